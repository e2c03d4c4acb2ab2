import type { KnownBlock, ModalView } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseSlackActionId,
  readSlackViewValues,
  renderSlackMessage,
  renderSlackModal,
  toMrkdwn,
} from '../../adapters/slack/render.js';
import { helpMessage } from '../../src/core/help.js';
import {
  actions,
  type Block,
  button,
  context,
  type Form,
  fields,
  type Interactive,
  type Message,
  mention,
  msg,
  section,
} from '../../src/messages/model.js';
import { recorded } from '../support/fixtures.js';

const fixture = (name: string) => recorded<Json>(name);

// biome-ignore lint/suspicious/noExplicitAny: walking untyped JSON in a test validator
type Json = any;

/** Mrkdwn that Slack would not misread: only our link/mention tokens, entities well formed. */
function assertSafeMrkdwn(text: string): void {
  const withoutTokens = text.replace(/<@[UW][A-Z0-9]+>/g, '').replace(/<https?:\/\/[^\s<>|]+\|[^<>]*>/g, '');
  expect(withoutTokens, text).not.toMatch(/[<>]/);
  expect(withoutTokens.replace(/&(amp|lt|gt);/g, ''), text).not.toContain('&');
}

function assertPlain(t: Json, max: number): void {
  expect(t.type).toBe('plain_text');
  expect(t.text.length).toBeGreaterThan(0);
  expect(t.text.length).toBeLessThanOrEqual(max);
}

function assertElement(e: Json, ids: Set<string>): void {
  expect(typeof e.action_id).toBe('string');
  expect(e.action_id.length).toBeGreaterThan(0);
  expect(e.action_id.length).toBeLessThanOrEqual(255);
  expect(ids.has(e.action_id), `duplicate action_id ${e.action_id}`).toBe(false);
  ids.add(e.action_id);
  switch (e.type) {
    case 'button':
      assertPlain(e.text, 75);
      if (e.value !== undefined) expect(e.value.length).toBeLessThanOrEqual(2000);
      if (e.url !== undefined) expect(e.url).toMatch(/^https?:\/\//);
      if (e.style !== undefined) expect(['primary', 'danger']).toContain(e.style);
      break;
    case 'static_select':
      expect(e.options.length).toBeGreaterThan(0);
      expect(e.options.length).toBeLessThanOrEqual(100);
      for (const o of e.options) {
        assertPlain(o.text, 75);
        expect(o.value.length).toBeLessThanOrEqual(150);
      }
      if (e.initial_option) expect(e.options).toContainEqual(e.initial_option);
      if (e.placeholder) assertPlain(e.placeholder, 150);
      break;
    case 'datepicker':
      if (e.initial_date !== undefined) expect(e.initial_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (e.placeholder) assertPlain(e.placeholder, 150);
      break;
    default:
      throw new Error(`unexpected element ${e.type}`);
  }
}

/** Checks a rendered message against Slack's documented Block Kit limits. */
function assertValidSlackMessage(out: { text: string; blocks: KnownBlock[] }): void {
  expect(out.text.length).toBeLessThanOrEqual(4000);
  assertSafeMrkdwn(out.text);
  expect(out.blocks.length).toBeLessThanOrEqual(50);
  const ids = new Set<string>();
  for (const b of out.blocks as Json[]) {
    switch (b.type) {
      case 'header':
        assertPlain(b.text, 150);
        break;
      case 'section':
        if (b.text) {
          expect(b.text.type).toBe('mrkdwn');
          expect(b.text.text.length).toBeGreaterThan(0);
          expect(b.text.text.length).toBeLessThanOrEqual(3000);
          assertSafeMrkdwn(b.text.text);
        } else {
          expect(b.fields.length).toBeGreaterThan(0);
          expect(b.fields.length).toBeLessThanOrEqual(10);
          for (const f of b.fields) {
            expect(f.text.length).toBeGreaterThan(0);
            expect(f.text.length).toBeLessThanOrEqual(2000);
            assertSafeMrkdwn(f.text);
          }
        }
        if (b.accessory) assertElement(b.accessory, ids);
        break;
      case 'context':
        expect(b.elements.length).toBeGreaterThan(0);
        expect(b.elements.length).toBeLessThanOrEqual(10);
        for (const e of b.elements) {
          expect(e.text.length).toBeGreaterThan(0);
          expect(e.text.length).toBeLessThanOrEqual(3000);
          assertSafeMrkdwn(e.text);
        }
        break;
      case 'divider':
        break;
      case 'actions':
        expect(b.elements.length).toBeGreaterThan(0);
        expect(b.elements.length).toBeLessThanOrEqual(25);
        for (const e of b.elements) assertElement(e, ids);
        break;
      default:
        throw new Error(`unexpected block ${b.type}`);
    }
  }
}

const sectionTexts = (blocks: KnownBlock[]): string[] =>
  (blocks as Json[]).filter((b) => b.type === 'section' && b.text).map((b) => b.text.text);

describe('renderSlackMessage: block kinds', () => {
  it('renders every block kind', () => {
    const m: Message = {
      text: 'Nieuwe tip',
      blocks: [
        { type: 'header', text: 'Tip van de week' },
        section('Deel je *beste* tip', button('Delen', 'tip.share', 'n1', 'primary')),
        fields([
          { label: 'Wie', value: 'Anna' },
          { label: 'Wanneer', value: 'maandag' },
        ]),
        context('Verstuurd door Klik'),
        { type: 'divider' },
        actions(
          button('Ja', 'rsvp', 'yes', 'primary'),
          button('Nee', 'rsvp.no', 'no', 'danger'),
          { type: 'button', label: 'Website', actionId: 'open', value: '', url: 'https://klik.example/x' },
          {
            type: 'select',
            actionId: 'pick',
            placeholder: 'Kies',
            options: [
              { label: 'A', value: 'a' },
              { label: 'B', value: 'b' },
            ],
            initial: 'b',
          },
          { type: 'date', actionId: 'when', placeholder: 'Datum', initial: '2025-03-04' },
        ),
      ],
    };
    const out = renderSlackMessage(m);
    expect(out.text).toBe('Nieuwe tip');
    expect(out.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Tip van de week', emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Deel je *beste* tip' },
        accessory: {
          type: 'button',
          action_id: 'tip.share',
          text: { type: 'plain_text', text: 'Delen', emoji: true },
          value: 'n1',
          style: 'primary',
        },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Wie*\nAnna' },
          { type: 'mrkdwn', text: '*Wanneer*\nmaandag' },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Verstuurd door Klik' }] },
      { type: 'divider' },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'rsvp',
            text: { type: 'plain_text', text: 'Ja', emoji: true },
            value: 'yes',
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'rsvp.no',
            text: { type: 'plain_text', text: 'Nee', emoji: true },
            value: 'no',
            style: 'danger',
          },
          {
            type: 'button',
            action_id: 'open',
            text: { type: 'plain_text', text: 'Website', emoji: true },
            url: 'https://klik.example/x',
          },
          {
            type: 'static_select',
            action_id: 'pick',
            placeholder: { type: 'plain_text', text: 'Kies', emoji: true },
            options: [
              { text: { type: 'plain_text', text: 'A', emoji: true }, value: 'a' },
              { text: { type: 'plain_text', text: 'B', emoji: true }, value: 'b' },
            ],
            initial_option: { text: { type: 'plain_text', text: 'B', emoji: true }, value: 'b' },
          },
          {
            type: 'datepicker',
            action_id: 'when',
            placeholder: { type: 'plain_text', text: 'Datum', emoji: true },
            initial_date: '2025-03-04',
          },
        ],
      },
    ]);
    assertValidSlackMessage(out);
  });

  it('puts select and date accessories on a section', () => {
    const out = renderSlackMessage({
      text: 'x',
      blocks: [
        section('Kies', { type: 'select', actionId: 's', placeholder: 'p', options: [{ label: 'A', value: 'a' }] }),
        section('Datum', { type: 'date', actionId: 'd', placeholder: 'p' }),
      ],
    });
    const [a, b] = out.blocks as Json[];
    expect(a.accessory.type).toBe('static_select');
    expect(b.accessory.type).toBe('datepicker');
    expect(b.accessory.initial_date).toBeUndefined();
  });

  it('shows a section with empty text but an accessory as an actions block', () => {
    const out = renderSlackMessage({ text: 'x', blocks: [section('  ', button('Go', 'go', '1'))] });
    expect(out.blocks).toHaveLength(1);
    expect((out.blocks[0] as Json).type).toBe('actions');
    assertValidSlackMessage(out);
  });

  it('skips a select without options and an invalid initial date', () => {
    const out = renderSlackMessage({
      text: 'x',
      blocks: [
        actions(
          { type: 'select', actionId: 's', placeholder: 'p', options: [] },
          { type: 'date', actionId: 'd', placeholder: 'p', initial: '2025-02-30' },
        ),
      ],
    });
    const els = (out.blocks[0] as Json).elements;
    expect(els).toHaveLength(1);
    expect(els[0].type).toBe('datepicker');
    expect(els[0].initial_date).toBeUndefined();
  });
});

describe('markup → mrkdwn', () => {
  it('converts bold, italic, links and mentions', () => {
    const src = `*vet* _schuin_ [Klik](https://klik.example/a?x=1&y=2) hoi ${mention('U0123ABC', 'Anna de Vries')}`;
    expect(toMrkdwn(src)).toBe('*vet* _schuin_ <https://klik.example/a?x=1&amp;y=2|Klik> hoi <@U0123ABC>');
  });

  it('keeps a mention without a name', () => {
    expect(toMrkdwn('hoi <@W0123ABC>')).toBe('hoi <@W0123ABC>');
  });

  it('escapes & < > in member text so it never becomes Slack markup', () => {
    const hostile = '<script>alert(1)</script> & <!channel> <!here|here> <#C123> <https://evil.example|klik hier>';
    const out = toMrkdwn(hostile);
    expect(out).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;!here|here&gt; &lt;#C123&gt; &lt;https://evil.example|klik hier&gt;',
    );
    expect(out).not.toContain('<!');
    assertSafeMrkdwn(out);
  });

  it('does not turn non-http links or odd mention ids into tokens', () => {
    expect(toMrkdwn('[klik](javascript:alert(1))')).toBe('klik (javascript:alert(1))');
    expect(toMrkdwn('<@!channel|iedereen>')).toBe('@iedereen');
    expect(toMrkdwn('<@29:abc|Piet>')).toBe('@Piet');
    // A mention name cannot smuggle a token either: it is dropped on Slack.
    expect(toMrkdwn('<@U0123ABC|<!channel>')).toBe('<@U0123ABC>');
    expect(toMrkdwn('<@U0123ABC|Anna> <!channel>')).toBe('<@U0123ABC> &lt;!channel&gt;');
  });

  it('escapes link labels and keeps | > out of the url', () => {
    const out = toMrkdwn('[a <b> & c](https://x.example/p|q>r)');
    expect(out).toBe('<https://x.example/p%7Cq%3Er|a &lt;b&gt; &amp; c>');
    assertSafeMrkdwn(out);
  });

  it('escapes the fallback text too', () => {
    const out = renderSlackMessage(msg('Hallo <!channel> & <@U0123ABC|Anna>'));
    expect(out.text).toBe('Hallo &lt;!channel&gt; &amp; @Anna');
    expect((out.blocks[0] as Json).text.text).toBe('Hallo &lt;!channel&gt; &amp; <@U0123ABC>');
  });
});

describe('Slack limits', () => {
  it('keeps a message of 120 sections at 50 blocks ending in a "…" context', () => {
    const blocks: Block[] = Array.from({ length: 120 }, (_, i) => section(`Sectie ${i + 1}`));
    const out = renderSlackMessage({ text: 'veel', blocks });
    assertValidSlackMessage(out);
    expect(out.blocks).toHaveLength(50);
    expect(out.blocks[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…' }] });
    expect((out.blocks[48] as Json).text.text).toBe('Sectie 49');
  });

  it('uses a custom notice and never ends on a divider before it', () => {
    const blocks: Block[] = [{ type: 'header', text: 'Kop' }];
    for (let i = 0; i < 60; i++) blocks.push(section(`s${i}`), { type: 'divider' });
    const out = renderSlackMessage({ text: 'x', blocks }, { moreNotice: '… (ingekort)' });
    // header, then section/divider pairs: block 49 would be a divider, so it goes too.
    expect(blocks[48]?.type).toBe('divider');
    expect(out.blocks).toHaveLength(49);
    expect((out.blocks[47] as Json).type).toBe('section');
    expect((out.blocks[48] as Json).elements[0].text).toBe('… (ingekort)');
  });

  it('splits a 10,000-char text on line breaks into sections of at most 3,000', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `Regel ${i} ${'x'.repeat(40)}`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(10_000);
    const out = renderSlackMessage({ text: 'lang', blocks: [section(text)] });
    assertValidSlackMessage(out);
    const parts = sectionTexts(out.blocks);
    expect(parts.length).toBeGreaterThanOrEqual(4);
    // Split cleanly: every part is whole lines, nothing lost.
    for (const p of parts) for (const line of p.split('\n')) expect(lines).toContain(line);
    expect(parts.join('\n')).toBe(text);
  });

  it('splits a 10,000-char line without line breaks at spaces, and one without spaces anywhere', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const a = renderSlackMessage({ text: 'x', blocks: [section(words)] });
    assertValidSlackMessage(a);
    expect(sectionTexts(a.blocks).join(' ')).toBe(words);

    const solid = 'y'.repeat(10_000);
    const b = renderSlackMessage({ text: 'x', blocks: [section(solid)] });
    assertValidSlackMessage(b);
    expect(sectionTexts(b.blocks).join('')).toBe(solid);
  });

  it('counts escaped characters against the limit and never splits an entity or token', () => {
    const text =
      `${'&<>'.repeat(2000)} [link](https://klik.example/${'a'.repeat(50)}) ${mention('U0123ABC', 'Anna')} `.repeat(3);
    const out = renderSlackMessage({ text: text, blocks: [section(text)] });
    assertValidSlackMessage(out);
    const joined = sectionTexts(out.blocks).join('');
    expect(joined.match(/<https:/g)).toHaveLength(3);
    expect(joined.match(/<@U0123ABC>/g)).toHaveLength(3);
  });

  it('cuts the fallback text to 4,000 chars at a word boundary', () => {
    const text = Array.from({ length: 3000 }, () => 'woord').join(' ');
    const out = renderSlackMessage(msg(text));
    expect(out.text.length).toBeLessThanOrEqual(4000);
    expect(out.text.endsWith('woord…')).toBe(true);
    assertValidSlackMessage(out);
  });

  it('derives the fallback text from the blocks when text is empty', () => {
    const out = renderSlackMessage({ text: '', blocks: [{ type: 'header', text: 'Kop' }, section('*Tekst*')] });
    expect(out.text).toBe('Kop\nTekst');
  });

  it('cuts a header to 150 chars of plain text', () => {
    const out = renderSlackMessage({ text: 'x', blocks: [{ type: 'header', text: `*Kop* ${'lang '.repeat(60)}` }] });
    const h = (out.blocks[0] as Json).text.text as string;
    expect(h.length).toBeLessThanOrEqual(150);
    expect(h.startsWith('Kop lang')).toBe(true);
    expect(h.endsWith('…')).toBe(true);
  });

  it('splits fields into sections of 10 and cuts each to 2,000 chars', () => {
    const items = Array.from({ length: 23 }, (_, i) => ({
      label: `L${i}`,
      value: i === 0 ? 'v '.repeat(1500) : `v${i}`,
    }));
    const out = renderSlackMessage({ text: 'x', blocks: [fields(items)] });
    assertValidSlackMessage(out);
    expect((out.blocks as Json[]).map((b) => b.fields.length)).toEqual([10, 10, 3]);
    const first = (out.blocks[0] as Json).fields[0].text as string;
    expect(first.length).toBeLessThanOrEqual(2000);
    expect(first.startsWith('*L0*\nv v')).toBe(true);
  });

  it('splits more than 25 action elements into several actions blocks', () => {
    const els = Array.from({ length: 30 }, (_, i) => button(`B${i}`, `b${i}`, String(i)));
    const out = renderSlackMessage({ text: 'x', blocks: [actions(...els)] });
    assertValidSlackMessage(out);
    expect((out.blocks as Json[]).map((b) => b.elements.length)).toEqual([25, 5]);
  });

  it('caps button text, value and select options', () => {
    const out = renderSlackMessage({
      text: 'x',
      blocks: [
        actions(button('Heel lange knoptekst '.repeat(10), 'a', 'v'.repeat(2500)), {
          type: 'select',
          actionId: 's',
          placeholder: 'Kies '.repeat(40),
          options: [
            ...Array.from({ length: 120 }, (_, i) => ({ label: `Optie ${i} ${'o'.repeat(100)}`, value: `o${i}` })),
          ],
          initial: 'o110',
        }),
      ],
    });
    assertValidSlackMessage(out);
    const [btn, sel] = (out.blocks[0] as Json).elements;
    expect(btn.value).toHaveLength(2000);
    expect(sel.options).toHaveLength(100);
    // The initial value is not among the first 100 options: leave it out rather than send an invalid one.
    expect(sel.initial_option).toBeUndefined();
  });

  it('drops url buttons pointing at non-http urls to plain action buttons', () => {
    const out = renderSlackMessage({
      text: 'x',
      blocks: [actions({ type: 'button', label: 'x', actionId: 'x', value: 'v', url: 'javascript:alert(1)' })],
    });
    expect((out.blocks[0] as Json).elements[0].url).toBeUndefined();
  });

  it('stays valid for arbitrary messages', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ' ', '\n', '*', '_', '&', '<', '>', '[', ']', '(', ')', '@', '|', 'é', '😀'),
      maxLength: 4000,
    });
    const interactive: fc.Arbitrary<Interactive> = fc.oneof(
      fc.record({
        type: fc.constant('button' as const),
        label: fc.string({ maxLength: 100 }),
        actionId: fc.constantFrom('a', 'b', 'a::1'),
        value: fc.string({ maxLength: 2100 }),
      }),
      fc.record({
        type: fc.constant('select' as const),
        actionId: fc.constantFrom('a', 's'),
        placeholder: fc.string({ maxLength: 200 }),
        options: fc.array(fc.record({ label: fc.string({ maxLength: 90 }), value: fc.string({ maxLength: 160 }) }), {
          maxLength: 120,
        }),
      }),
      fc.record({
        type: fc.constant('date' as const),
        actionId: fc.constant('d'),
        placeholder: fc.string({ maxLength: 5 }),
        initial: fc.string({ maxLength: 12 }),
      }),
    );
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.record({ type: fc.constant('header' as const), text }),
      fc.record({ type: fc.constant('section' as const), text, accessory: fc.option(interactive, { nil: undefined }) }),
      fc.record({
        type: fc.constant('fields' as const),
        fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 14 }),
      }),
      fc.record({ type: fc.constant('context' as const), text }),
      fc.constant({ type: 'divider' as const }),
      fc.record({ type: fc.constant('actions' as const), elements: fc.array(interactive, { maxLength: 30 }) }),
    );
    fc.assert(
      fc.property(fc.record({ text, blocks: fc.array(block, { maxLength: 60 }) }), (m) => {
        const out = renderSlackMessage(m as Message);
        assertValidSlackMessage(out);
        const section = out.blocks.find((b) => b.type === 'section' && b.accessory) as Json | undefined;
        if (section) expect(typeof parseSlackActionId(section.accessory.action_id)).toBe('string');
      }),
      { numRuns: 60 },
    );
  });
});

describe('duplicate actionIds', () => {
  it('suffixes repeats so Slack accepts them, and parseSlackActionId gives the original back', () => {
    const out = renderSlackMessage({
      text: 'x',
      blocks: [
        section('Eerste', button('Stem', 'poll.vote', '1')),
        actions(button('Stem', 'poll.vote', '2'), button('Stem', 'poll.vote', '3'), button('Anders', 'other', '4')),
      ],
    });
    assertValidSlackMessage(out);
    const ids = [
      (out.blocks[0] as Json).accessory.action_id,
      ...(out.blocks[1] as Json).elements.map((e: Json) => e.action_id),
    ];
    expect(ids).toEqual(['poll.vote', 'poll.vote::1', 'poll.vote::2', 'other']);
    expect(new Set(ids).size).toBe(4);
    expect(ids.map(parseSlackActionId)).toEqual(['poll.vote', 'poll.vote', 'poll.vote', 'other']);
  });

  it('round-trips an actionId that itself looks suffixed', () => {
    const out = renderSlackMessage({ text: 'x', blocks: [actions(button('a', 'step::2', 'v'))] });
    const id = (out.blocks[0] as Json).elements[0].action_id;
    expect(id).not.toBe('step::2');
    expect(parseSlackActionId(id)).toBe('step::2');
    expect(parseSlackActionId('plain')).toBe('plain');
  });
});

describe('renderSlackModal', () => {
  const form: Form = {
    formId: 'feedback_form',
    title: 'Feedback sturen',
    submitLabel: 'Versturen',
    cancelLabel: 'Annuleren',
    intro: 'Vertel ons *wat* je vindt',
    state: 'd57850a7-5bab-414d-b11e-ca355b55d629',
    fields: [
      {
        type: 'text',
        id: 'message',
        label: 'Jouw feedback',
        multiline: true,
        placeholder: 'Typ hier',
        maxLength: 500,
        initial: 'Hoi',
      },
      {
        type: 'select',
        id: 'category',
        label: 'Categorie',
        options: [
          { label: 'Fout', value: 'bug' },
          { label: 'Wens', value: 'feature' },
        ],
        initial: 'feature',
      },
      { type: 'text', id: 'email', label: 'E-mail', optional: true },
      { type: 'date', id: 'when', label: 'Datum', optional: true, initial: '2025-06-01' },
    ],
  };

  it('renders a modal view', () => {
    const v = renderSlackModal(form);
    expect(v).toEqual({
      type: 'modal',
      callback_id: 'feedback_form',
      private_metadata: 'd57850a7-5bab-414d-b11e-ca355b55d629',
      title: { type: 'plain_text', text: 'Feedback sturen', emoji: true },
      submit: { type: 'plain_text', text: 'Versturen', emoji: true },
      close: { type: 'plain_text', text: 'Annuleren', emoji: true },
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Vertel ons *wat* je vindt' } },
        {
          type: 'input',
          block_id: 'message',
          label: { type: 'plain_text', text: 'Jouw feedback', emoji: true },
          optional: false,
          element: {
            type: 'plain_text_input',
            action_id: 'message',
            multiline: true,
            max_length: 500,
            initial_value: 'Hoi',
            placeholder: { type: 'plain_text', text: 'Typ hier', emoji: true },
          },
        },
        {
          type: 'input',
          block_id: 'category',
          label: { type: 'plain_text', text: 'Categorie', emoji: true },
          optional: false,
          element: {
            type: 'static_select',
            action_id: 'category',
            options: [
              { text: { type: 'plain_text', text: 'Fout', emoji: true }, value: 'bug' },
              { text: { type: 'plain_text', text: 'Wens', emoji: true }, value: 'feature' },
            ],
            initial_option: { text: { type: 'plain_text', text: 'Wens', emoji: true }, value: 'feature' },
          },
        },
        {
          type: 'input',
          block_id: 'email',
          label: { type: 'plain_text', text: 'E-mail', emoji: true },
          optional: true,
          element: { type: 'plain_text_input', action_id: 'email', multiline: false, max_length: 3000 },
        },
        {
          type: 'input',
          block_id: 'when',
          label: { type: 'plain_text', text: 'Datum', emoji: true },
          optional: true,
          element: { type: 'datepicker', action_id: 'when', initial_date: '2025-06-01' },
        },
      ],
    });
  });

  it('matches the shape of the recorded modal (ids, element types, optional)', () => {
    const recorded = fixture('modals_slack.json').viewSubmission.view;
    const v = renderSlackModal({ ...form, fields: form.fields.slice(0, 3) });
    const shape = (blocks: Json[]) =>
      blocks
        .filter((b) => b.type === 'input')
        .map((b) => [b.block_id, b.element.action_id, b.element.type, b.optional, b.element.multiline ?? null]);
    expect(shape(v.blocks as Json[])).toEqual(shape(recorded.blocks));
    expect(v.callback_id).toBe(recorded.callback_id);
    expect(v.private_metadata).toBe(recorded.private_metadata);
  });

  it('caps title, buttons and blocks; refuses state over 3,000 chars', () => {
    const many: Form = {
      ...form,
      title: 'Een veel te lange titel voor Slack',
      submitLabel: 'Versturen en afsluiten nu meteen',
      cancelLabel: 'Annuleren en weggaan zonder opslaan',
      fields: Array.from({ length: 150 }, (_, i) => ({ type: 'text' as const, id: `f${i}`, label: `Veld ${i}` })),
    };
    const v = renderSlackModal(many) as ModalView & { title: Json; submit: Json; close: Json };
    expect(v.title.text.length).toBeLessThanOrEqual(24);
    expect(v.submit.text.length).toBeLessThanOrEqual(24);
    expect(v.close.text.length).toBeLessThanOrEqual(24);
    expect(v.blocks.length).toBeLessThanOrEqual(100);
    expect(new Set((v.blocks as Json[]).map((b) => b.block_id)).size).toBe(v.blocks.length);
    expect(() => renderSlackModal({ ...form, state: 's'.repeat(3001) })).toThrow(RangeError);
    expect(renderSlackModal({ ...form, state: 's'.repeat(3000) }).private_metadata).toHaveLength(3000);
  });

  it('keeps initial_value within max_length and skips duplicate field ids', () => {
    const v = renderSlackModal({
      ...form,
      fields: [
        { type: 'text', id: 'a', label: 'A', maxLength: 5, initial: 'abcdefgh' },
        { type: 'text', id: 'a', label: 'A again' },
      ],
    });
    const inputs = (v.blocks as Json[]).filter((b) => b.type === 'input');
    expect(inputs).toHaveLength(1);
    expect(inputs[0].element.initial_value).toBe('abcde');
  });
});

describe('readSlackViewValues', () => {
  it('reads the recorded feedback modal submission', () => {
    const view = fixture('modals_slack.json').viewSubmission.view;
    expect(readSlackViewValues(view.state)).toEqual({
      message: 'Hello!',
      category: 'feature',
      email: 'user@example.com',
    });
  });

  it('reads the recorded modal with private metadata', () => {
    const view = fixture('modals_slack-private-metadata.json').viewSubmission.view;
    expect(readSlackViewValues(view.state)).toEqual({ title: 'tes', steps: 'test', severity: 'high' });
  });

  it('reads the recorded ephemeral modal submission', () => {
    const view = fixture('modals_slack.json').ephemeralViewSubmission.view;
    expect(readSlackViewValues(view.state)).toEqual({ response: 'Hello!' });
  });

  it('gives empty strings for empty inputs and reads datepickers', () => {
    expect(
      readSlackViewValues({
        values: {
          a: { a: { type: 'plain_text_input', value: null } },
          b: { b: { type: 'static_select', selected_option: null } },
          c: { c: { type: 'datepicker', selected_date: '2025-06-01' } },
          d: { d: { type: 'datepicker', selected_date: null } },
          e: { e: { type: 'users_select', selected_user: 'U1' } },
          f: { f: null },
        },
      }),
    ).toEqual({ a: '', b: '', c: '2025-06-01', d: '' });
  });
});

describe('frozen messages', () => {
  it('help is made once per language and rendered once: the same blocks, frozen, equal to a fresh render', () => {
    const nl = helpMessage('nl');
    expect(helpMessage('nl')).toBe(nl);
    expect(Object.isFrozen(nl.blocks[0])).toBe(true);
    const first = renderSlackMessage(nl);
    expect(renderSlackMessage(nl)).toBe(first);
    expect(() => first.blocks.push({ type: 'divider' })).toThrow(TypeError);
    const fresh = renderSlackMessage(structuredClone(nl));
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
    expect(renderSlackMessage(helpMessage('en')).text).not.toBe(first.text);
  });

  it('an unfrozen message is rendered afresh every time', () => {
    const m = msg('hallo', [section('*een*')]);
    expect(renderSlackMessage(m)).not.toBe(renderSlackMessage(m));
  });
});
