import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardBytes,
  readTeamsSubmit,
  renderAdaptiveCard,
  renderTeamsForm,
  TEAMS_MAX_CARD_BYTES,
  toCardMarkdown,
} from '../../adapters/teams/render.js';
import {
  actions,
  type Block,
  button,
  context,
  type Form,
  fields,
  type Message,
  mention,
  section,
} from '../../src/messages/model.js';
import { recorded } from '../support/fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: walking untyped card JSON in tests
type Json = any;

const TEAMS_LIMIT = 28 * 1024;
const body = (m: Message): Json[] => (renderAdaptiveCard(m).content as Json).body;

/** Every Action.Submit / Action.OpenUrl in a card body. */
const allActions = (els: Json[]): Json[] => els.flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));

/** What Teams sends as activity.value for a click: the button's data merged with the card's inputs. */
function click(card: Json, action: Json, inputs: Record<string, string> = {}): unknown {
  const ids = new Set(card.body.filter((e: Json) => String(e.type).startsWith('Input.')).map((e: Json) => e.id));
  for (const k of Object.keys(inputs)) expect(ids.has(k), `no input ${k} in card`).toBe(true);
  return { ...action.data, ...inputs };
}

describe('renderAdaptiveCard: block kinds', () => {
  it('renders every block kind', () => {
    const m: Message = {
      text: 'Nieuwe tip',
      blocks: [
        { type: 'header', text: 'Tip van de week' },
        section('Deel je *beste* tip', button('Delen', 'tip.share', 'n1', 'primary')),
        fields([
          { label: 'Wie', value: 'Anna' },
          { label: 'Wanneer', value: '*maandag*' },
        ]),
        { type: 'divider' },
        context('Verstuurd door Klik'),
        actions(button('Ja', 'rsvp', 'yes', 'primary'), button('Nee', 'rsvp', 'no', 'danger'), {
          type: 'button',
          label: 'Website',
          actionId: 'open',
          value: '',
          url: 'https://klik.example/x',
        }),
      ],
    };
    const a = renderAdaptiveCard(m);
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(a.content).toEqual({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: 'Tip van de week', wrap: true, size: 'Medium', weight: 'Bolder' },
        { type: 'TextBlock', text: 'Deel je **beste** tip', wrap: true },
        {
          type: 'ActionSet',
          actions: [
            {
              type: 'Action.Submit',
              title: 'Delen',
              data: { klik: 'action', actionId: 'tip.share', value: 'n1' },
              style: 'positive',
            },
          ],
        },
        {
          type: 'FactSet',
          facts: [
            { title: 'Wie', value: 'Anna' },
            { title: 'Wanneer', value: '**maandag**' },
          ],
        },
        { type: 'TextBlock', text: 'Verstuurd door Klik', wrap: true, isSubtle: true, size: 'Small', separator: true },
        {
          type: 'ActionSet',
          actions: [
            {
              type: 'Action.Submit',
              title: 'Ja',
              data: { klik: 'action', actionId: 'rsvp', value: 'yes' },
              style: 'positive',
            },
            {
              type: 'Action.Submit',
              title: 'Nee',
              data: { klik: 'action', actionId: 'rsvp', value: 'no' },
              style: 'destructive',
            },
            { type: 'Action.OpenUrl', title: 'Website', url: 'https://klik.example/x' },
          ],
        },
      ],
    });
  });

  it('renders selects and dates as inputs with a submit button naming the input', () => {
    const card = renderAdaptiveCard({
      text: 'x',
      blocks: [
        section('Kies een datum', { type: 'date', actionId: 'poll.date', placeholder: 'Datum', initial: '2025-06-01' }),
        actions(
          button('Ja', 'yes', '1'),
          {
            type: 'select',
            actionId: 'poll.pick',
            placeholder: 'Kies',
            options: [
              { label: 'A', value: 'a' },
              { label: 'B', value: 'b' },
            ],
            initial: 'b',
          },
          button('Nee', 'no', '0'),
        ),
      ],
    }).content as Json;
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'Kies een datum', wrap: true },
      { type: 'Input.Date', id: 'klik.input.1', placeholder: 'Datum', value: '2025-06-01' },
      {
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.Submit',
            title: 'OK',
            data: { klik: 'action', actionId: 'poll.date', value: '', input: 'klik.input.1' },
          },
        ],
      },
      {
        type: 'ActionSet',
        actions: [{ type: 'Action.Submit', title: 'Ja', data: { klik: 'action', actionId: 'yes', value: '1' } }],
      },
      {
        type: 'Input.ChoiceSet',
        id: 'klik.input.2',
        style: 'compact',
        placeholder: 'Kies',
        choices: [
          { title: 'A', value: 'a' },
          { title: 'B', value: 'b' },
        ],
        value: 'b',
      },
      {
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.Submit',
            title: 'OK',
            data: { klik: 'action', actionId: 'poll.pick', value: '', input: 'klik.input.2' },
          },
        ],
      },
      {
        type: 'ActionSet',
        actions: [{ type: 'Action.Submit', title: 'Nee', data: { klik: 'action', actionId: 'no', value: '0' } }],
      },
    ]);
    // A click on the select's button hands the core the chosen value under the select's actionId.
    const submit = card.body[5].actions[0];
    expect(readTeamsSubmit(click(card, submit, { 'klik.input.1': '2025-06-03', 'klik.input.2': 'a' }))).toEqual({
      kind: 'action',
      actionId: 'poll.pick',
      value: 'a',
    });
    expect(readTeamsSubmit(click(card, card.body[2].actions[0], { 'klik.input.1': '2025-06-03' }))).toEqual({
      kind: 'action',
      actionId: 'poll.date',
      value: '2025-06-03',
    });
  });

  it('groups at most 6 actions per ActionSet', () => {
    const els = Array.from({ length: 14 }, (_, i) => button(`B${i}`, `b${i}`, String(i)));
    const out = body({ text: 'x', blocks: [actions(...els)] });
    expect(out.map((e) => e.actions.length)).toEqual([6, 6, 2]);
  });

  it('keeps duplicate actionIds apart through their data', () => {
    const out = body({ text: 'x', blocks: [actions(button('1', 'vote', 'a'), button('2', 'vote', 'b'))] });
    const [a, b] = allActions(out);
    expect(readTeamsSubmit(a.data)).toEqual({ kind: 'action', actionId: 'vote', value: 'a' });
    expect(readTeamsSubmit(b.data)).toEqual({ kind: 'action', actionId: 'vote', value: 'b' });
  });

  it('ignores a leading or trailing divider and merges repeated ones', () => {
    const out = body({
      text: 'x',
      blocks: [
        { type: 'divider' },
        section('a'),
        { type: 'divider' },
        { type: 'divider' },
        section('b'),
        { type: 'divider' },
      ],
    });
    expect(out).toEqual([
      { type: 'TextBlock', text: 'a', wrap: true },
      { type: 'TextBlock', text: 'b', wrap: true, separator: true },
    ]);
  });

  it('shows the plain text when there are no blocks', () => {
    expect(body({ text: 'Alleen tekst', blocks: [] })).toEqual([
      { type: 'TextBlock', text: 'Alleen tekst', wrap: true },
    ]);
  });
});

describe('markup → card markdown', () => {
  it('converts bold, keeps italic and links, makes mentions bold names', () => {
    expect(
      toCardMarkdown(`*vet* en _schuin_ [Klik](https://klik.example/a?b=1) ${mention('29:1abc', 'Anna de Vries')}`),
    ).toBe('**vet** en _schuin_ [Klik](https://klik.example/a?b=1) **Anna de Vries**');
  });

  it('turns line breaks into paragraph breaks', () => {
    expect(toCardMarkdown('regel 1\nregel 2')).toBe('regel 1\n\nregel 2');
    expect(toCardMarkdown('Typ `/klik hulp`.')).toBe('Typ **/klik hulp**.');
  });

  it('does not make links of non-http urls', () => {
    const out = toCardMarkdown('[klik](javascript:alert(1)) [x](data:text/html,hi)');
    expect(out).not.toMatch(/\]\(/);
    expect(out).toBe('klik (javascript:alert(1)) x (data:text/html,hi)');
  });

  it('keeps member text with <script> and <!channel> as text, not markup', () => {
    const out = toCardMarkdown('<script>alert(1)</script> <!channel> <at>Iedereen</at>');
    // Adaptive Cards do not render HTML and Teams has no <!channel>: the text shows as typed.
    expect(out).toBe('<script>alert(1)</script> <!channel> <at>Iedereen</at>');
    const card = renderAdaptiveCard({ text: 'x', blocks: [section(out)] }).content as Json;
    expect(card.msteams).toBeUndefined(); // no mention entities, so nobody is notified
  });

  it('keeps brackets and parentheses in a link label or url from breaking the link', () => {
    expect(toCardMarkdown('[a [b](https://x.example/p(q)')).toBe('[a (b](https://x.example/p%28q)');
  });
});

describe('Teams size limit', () => {
  it('keeps 120 sections of a 10,000-char text under 28 KB, ending in "…"', () => {
    const long = Array.from({ length: 200 }, (_, i) => `Regel ${i} ${'x'.repeat(40)}`).join('\n');
    const blocks: Block[] = [
      section(long),
      ...Array.from({ length: 120 }, (_, i) => section(`Sectie ${i} ${'y'.repeat(200)}`)),
    ];
    const a = renderAdaptiveCard({ text: 'x', blocks });
    expect(cardBytes(a)).toBeLessThanOrEqual(TEAMS_MAX_CARD_BYTES);
    expect(Buffer.byteLength(JSON.stringify(a))).toBeLessThan(TEAMS_LIMIT);
    const b = (a.content as Json).body;
    expect(b[0].text.startsWith('Regel 0')).toBe(true);
    expect(b.at(-1)).toEqual({ type: 'TextBlock', text: '…', wrap: true, isSubtle: true, size: 'Small' });
    expect(b.length).toBeGreaterThan(2);
    expect(b.length).toBeLessThan(122);
  });

  it('cuts one huge text block instead of dropping everything', () => {
    const huge = 'woord '.repeat(20_000);
    const a = renderAdaptiveCard(
      { text: 'x', blocks: [{ type: 'header', text: 'Kop' }, section(huge)] },
      { moreNotice: '… (ingekort)' },
    );
    expect(cardBytes(a)).toBeLessThanOrEqual(TEAMS_MAX_CARD_BYTES);
    const b = (a.content as Json).body;
    expect(b).toHaveLength(3);
    expect(b[1].text.length).toBeGreaterThan(20_000);
    expect(b[1].text.endsWith('woord…')).toBe(true);
    expect(b[2].text).toBe('… (ingekort)');
  });

  it('measures bytes, not characters', () => {
    const emoji = '😀'.repeat(10_000); // 40,000 UTF-8 bytes, 20,000 UTF-16 units
    const a = renderAdaptiveCard({ text: 'x', blocks: [section(emoji), section('einde')] });
    expect(cardBytes(a)).toBeLessThanOrEqual(TEAMS_MAX_CARD_BYTES);
    const text: string = (a.content as Json).body[0].text;
    expect(text.endsWith('😀…')).toBe(true); // no broken surrogate pair
  });

  it('leaves a card that fits alone', () => {
    const blocks: Block[] = Array.from({ length: 20 }, (_, i) => section(`Sectie ${i}`));
    expect(body({ text: 'x', blocks })).toHaveLength(20);
  });
});

describe('renderTeamsForm', () => {
  const form: Form = {
    formId: 'tip.new',
    title: 'Nieuwe tip',
    submitLabel: 'Versturen',
    cancelLabel: 'Annuleren',
    intro: 'Deel *kort* je tip',
    state: '{"network":"n1"}',
    fields: [
      { type: 'text', id: 'tip', label: 'Tip', multiline: true, maxLength: 500, initial: 'Hoi', placeholder: 'Typ' },
      {
        type: 'select',
        id: 'topic',
        label: 'Onderwerp',
        optional: true,
        options: [
          { label: 'Zorg', value: 'care' },
          { label: 'Overig', value: 'other' },
        ],
        initial: 'other',
      },
      { type: 'date', id: 'when', label: 'Datum', initial: '2025-06-01' },
    ],
  };

  it('renders inputs and a submit carrying formId and state', () => {
    const a = renderTeamsForm(form);
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect((a.content as Json).body).toEqual([
      { type: 'TextBlock', text: 'Nieuwe tip', wrap: true, size: 'Medium', weight: 'Bolder' },
      { type: 'TextBlock', text: 'Deel **kort** je tip', wrap: true },
      {
        type: 'Input.Text',
        id: 'field.tip',
        label: 'Tip',
        isRequired: true,
        isMultiline: true,
        maxLength: 500,
        value: 'Hoi',
        placeholder: 'Typ',
      },
      {
        type: 'Input.ChoiceSet',
        id: 'field.topic',
        label: 'Onderwerp',
        isRequired: false,
        style: 'compact',
        choices: [
          { title: 'Zorg', value: 'care' },
          { title: 'Overig', value: 'other' },
        ],
        value: 'other',
      },
      { type: 'Input.Date', id: 'field.when', label: 'Datum', isRequired: true, value: '2025-06-01' },
      {
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.Submit',
            title: 'Versturen',
            style: 'positive',
            data: { klik: 'form', formId: 'tip.new', state: '{"network":"n1"}' },
          },
        ],
      },
    ]);
  });

  it('round-trips a submission, even with a field id that collides with the data keys', () => {
    const f: Form = { ...form, fields: [...form.fields, { type: 'text', id: 'state', label: 'Staat' }] };
    const card = renderTeamsForm(f).content as Json;
    const submit = card.body.at(-1).actions[0];
    const value = click(card, submit, {
      'field.tip': 'Mijn tip',
      'field.topic': 'care',
      'field.when': '2025-06-02',
      'field.state': 'x',
    });
    expect(readTeamsSubmit(value)).toEqual({
      kind: 'form',
      formId: 'tip.new',
      state: '{"network":"n1"}',
      values: { tip: 'Mijn tip', topic: 'care', when: '2025-06-02', state: 'x' },
    });
  });

  it('refuses a state over 3,000 chars', () => {
    expect(() => renderTeamsForm({ ...form, state: 's'.repeat(3001) })).toThrow(RangeError);
  });
});

describe('readTeamsSubmit', () => {
  const fixture = recorded<{ action: { value: Record<string, unknown> } }>('actions-reactions_teams.json');

  it('does not crash on the recorded card click and ignores foreign card data', () => {
    expect(fixture.action.value).toEqual({ actionId: 'info' });
    expect(readTeamsSubmit(fixture.action.value)).toBeNull();
    for (const payload of Object.values(fixture)) expect(() => readTeamsSubmit(payload)).not.toThrow();
    expect(readTeamsSubmit(fixture.action)).toBeNull(); // a whole activity is not a submit value
  });

  it('reads the recorded click shape once it carries Klik data', () => {
    expect(readTeamsSubmit({ ...fixture.action.value, klik: 'action', value: 'v' })).toEqual({
      kind: 'action',
      actionId: 'info',
      value: 'v',
    });
    expect(readTeamsSubmit({ ...fixture.action.value, klik: 'action' })).toEqual({
      kind: 'action',
      actionId: 'info',
      value: '',
    });
  });

  it('returns null for hostile or malformed input', () => {
    const hostile: unknown[] = [
      undefined,
      null,
      '',
      'klik',
      42,
      true,
      [],
      [{ klik: 'action', actionId: 'a' }],
      {},
      { klik: 'ACTION', actionId: 'a' },
      { klik: 'action' },
      { klik: 'action', actionId: '' },
      { klik: 'action', actionId: 42 },
      { klik: 'action', actionId: { toString: () => 'a' } },
      { klik: 'action', actionId: 'a'.repeat(256) },
      { klik: 'action', actionId: 'a', value: 7 },
      { klik: 'action', actionId: 'a', value: ['x'] },
      { klik: 'action', actionId: 'a', value: 'v'.repeat(10_001) },
      { klik: 'action', actionId: 'a', input: 'x', x: { evil: true } },
      { klik: 'action', actionId: 'a', input: '__proto__' },
      { klik: 'action', actionId: 'a', input: 7 },
      { klik: 'form' },
      { klik: 'form', formId: 'f', state: 3 },
      { klik: 'form', formId: 'f', state: 's'.repeat(3001) },
      { klik: 'form', formId: 'f', state: '', 'field.a': 1 },
      { klik: 'form', formId: 'f', state: '', 'field.a': null },
      { klik: 'form', formId: 'f', state: '', 'field.a': 'x'.repeat(10_001) },
      Object.fromEntries([
        ['klik', 'form'],
        ['formId', 'f'],
        ...Array.from({ length: 101 }, (_, i) => [`field.f${i}`, 'v']),
      ]),
    ];
    for (const v of hostile) expect(readTeamsSubmit(v), JSON.stringify(v)?.slice(0, 80)).toBeNull();
  });

  it('never runs getters or trusts the prototype chain', () => {
    let ran = false;
    const withGetter = {
      klik: 'action',
      get actionId() {
        ran = true;
        return 'a';
      },
    };
    expect(readTeamsSubmit(withGetter)).toBeNull();
    expect(ran).toBe(false);
    const inherited = Object.create({ klik: 'action', actionId: 'a' });
    expect(readTeamsSubmit(inherited)).toBeNull();
    const throwing = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('boom');
        },
      },
    );
    expect(readTeamsSubmit(throwing)).toBeNull();
  });

  it('does not let __proto__ keys pollute the result', () => {
    const v = JSON.parse(
      '{"klik":"form","formId":"f","state":"s","field.__proto__":"x","field.ok":"y","__proto__":{"polluted":1}}',
    );
    const r = readTeamsSubmit(v);
    expect(r).toEqual({ kind: 'form', formId: 'f', state: 's', values: { ok: 'y' } });
    expect(({} as Json).polluted).toBeUndefined();
    expect(Object.getPrototypeOf((r as Json).values)).toBe(Object.prototype);
  });

  it('never throws, whatever it gets', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (v) => {
        const r = readTeamsSubmit(v);
        expect(r === null || typeof r === 'object').toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            klik: fc.constantFrom('action', 'form'),
            actionId: fc.anything(),
            formId: fc.anything(),
            state: fc.anything(),
            value: fc.anything(),
            input: fc.anything(),
          },
          { requiredKeys: ['klik'] },
        ),
        (v) => {
          const r = readTeamsSubmit(v);
          if (r?.kind === 'action') expect(typeof r.value).toBe('string');
          if (r?.kind === 'form') expect(typeof r.state).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });
});
