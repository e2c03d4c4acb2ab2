import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, markupToHtml, renderHtmlForm, renderHtmlMessage } from '../../adapters/local/render-html.js';
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

const ALLOWED_TAGS = new Set([
  'article',
  'h2',
  'div',
  'p',
  'br',
  'strong',
  'code',
  'em',
  'a',
  'span',
  'dl',
  'dt',
  'dd',
  'hr',
  'button',
  'select',
  'option',
  'input',
  'form',
  'label',
  'textarea',
]);
const VOID = new Set(['br', 'hr', 'input']);
const ALLOWED_ATTRS = new Set([
  'class',
  'href',
  'rel',
  'target',
  'type',
  'data-action-id',
  'data-value',
  'data-message-id',
  'data-form-id',
  'data-state',
  'data-form-cancel',
  'aria-label',
  'role',
  'name',
  'value',
  'selected',
  'disabled',
  'required',
  'maxlength',
  'placeholder',
  'rows',
]);

/**
 * A strict little checker for the renderer's output: only known tags and attributes, every attribute
 * value double-quoted without raw `<>"`, tags balanced, no raw `<`/`>` in text, no inline style or
 * event handlers. Anything a member typed that slipped through unescaped fails here.
 */
function assertSafeHtml(html: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>|([^<]+)|(<)/g;
  for (const m of html.matchAll(re)) {
    if (m[5]) throw new Error(`stray "<" at ${m.index}: ${html.slice(m.index ?? 0, (m.index ?? 0) + 40)}`);
    if (m[4] !== undefined) {
      expect(m[4], 'raw > in text').not.toContain('>');
      expect(m[4].replace(/&(amp|lt|gt|quot|#39);/g, ''), 'bare & in text').not.toContain('&');
      continue;
    }
    const [, close, tag = '', attrs = ''] = m;
    expect(ALLOWED_TAGS.has(tag), `tag <${tag}>`).toBe(true);
    for (const a of attrs.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(ALLOWED_ATTRS.has(a[1] ?? ''), `attribute ${a[1]}`).toBe(true);
      if (a[1] === 'href') expect(a[2]).toMatch(/^https?:\/\//);
    }
    if (close) expect(stack.pop(), `closing </${tag}>`).toBe(tag);
    else if (!VOID.has(tag)) stack.push(tag);
  }
  expect(stack, 'unclosed tags').toEqual([]);
}

describe('renderHtmlMessage', () => {
  it('renders every block kind', () => {
    const m: Message = {
      text: 'x',
      blocks: [
        { type: 'header', text: 'Tip van de week' },
        section('Deel je *beste* tip', button('Delen', 'tip.share', 'n1', 'primary')),
        fields([{ label: 'Wie', value: '_Anna_' }]),
        context('Door Klik'),
        { type: 'divider' },
        actions(
          button('Ja', 'rsvp', 'yes', 'primary'),
          button('Nee', 'rsvp', 'no', 'danger'),
          button('Later', 'rsvp', 'later'),
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
          { type: 'date', actionId: 'when', placeholder: 'Datum', initial: '2025-06-01' },
        ),
      ],
    };
    const html = renderHtmlMessage(m, { messageId: 'm1' });
    expect(html).toBe(
      '<article class="klik-message" data-message-id="m1">' +
        '<h2 class="klik-header">Tip van de week</h2>' +
        '<div class="klik-section"><p class="klik-text">Deel je <strong>beste</strong> tip</p>' +
        '<div class="klik-accessory"><button type="button" class="btn btn-primary" data-action-id="tip.share" data-value="n1">Delen</button></div></div>' +
        '<dl class="klik-fields"><div class="klik-field"><dt>Wie</dt><dd><em>Anna</em></dd></div></dl>' +
        '<p class="klik-context">Door Klik</p>' +
        '<hr class="klik-divider">' +
        '<div class="klik-actions" role="group">' +
        '<button type="button" class="btn btn-primary" data-action-id="rsvp" data-value="yes">Ja</button>' +
        '<button type="button" class="btn btn-danger" data-action-id="rsvp" data-value="no">Nee</button>' +
        '<button type="button" class="btn" data-action-id="rsvp" data-value="later">Later</button>' +
        '<a class="btn btn-link" href="https://klik.example/x" rel="noopener" target="_blank">Website</a>' +
        '<select class="klik-select" data-action-id="pick" aria-label="Kies">' +
        '<option value="" disabled>Kies</option><option value="a">A</option><option value="b" selected>B</option></select>' +
        '<input type="date" class="klik-date" data-action-id="when" aria-label="Datum" value="2025-06-01">' +
        '</div></article>',
    );
    assertSafeHtml(html);
  });

  it('selects the placeholder when there is no valid initial option', () => {
    const html = renderHtmlMessage(
      {
        text: 'x',
        blocks: [
          actions({
            type: 'select',
            actionId: 's',
            placeholder: 'Kies',
            options: [{ label: 'A', value: 'a' }],
            initial: 'zz',
          }),
        ],
      },
      { messageId: 'm' },
    );
    expect(html).toContain('<option value="" selected disabled>Kies</option><option value="a">A</option>');
  });

  it('shows the plain text when there are no blocks', () => {
    expect(renderHtmlMessage({ text: 'Hallo', blocks: [] }, { messageId: 'm' })).toBe(
      '<article class="klik-message" data-message-id="m"><div class="klik-section"><p class="klik-text">Hallo</p></div></article>',
    );
  });
});

describe('markup → HTML', () => {
  it('converts bold, italic, links, mentions and line breaks', () => {
    expect(markupToHtml(`*vet* _schuin_ [Klik](https://klik.example/a?x=1&y=2)\n${mention('U1', 'Anna')}`)).toBe(
      '<strong>vet</strong> <em>schuin</em> <a href="https://klik.example/a?x=1&amp;y=2" rel="noopener" target="_blank">Klik</a><br><span class="mention">@Anna</span>',
    );
  });

  it('renders `code` spans, escaped inside', () => {
    expect(markupToHtml('Typ `/klik <hulp>` en dan')).toBe('Typ <code>/klik &lt;hulp&gt;</code> en dan');
  });

  it('can make a link bold', () => {
    expect(markupToHtml('*[Klik](https://klik.example)*')).toBe(
      '<strong><a href="https://klik.example/" rel="noopener" target="_blank">Klik</a></strong>',
    );
  });

  it('escapes everything a member typed', () => {
    const hostile = `<script>alert("x")</script> <img src=x onerror=alert(1)> & 'q' <!channel>`;
    const html = markupToHtml(hostile);
    expect(html).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39; &lt;!channel&gt;',
    );
    assertSafeHtml(html);
  });

  it('only makes http(s) links, and escapes labels, urls and mention names', () => {
    expect(markupToHtml('[klik](javascript:alert(1))')).toBe('klik (javascript:alert(1))');
    expect(markupToHtml('[<b>x</b>](https://x.example/"onmouseover="a)')).toBe(
      '<a href="https://x.example/%22onmouseover=%22a" rel="noopener" target="_blank">&lt;b&gt;x&lt;/b&gt;</a>',
    );
    expect(markupToHtml('<@U1|<img src=x onerror=alert(1)>')).toBe(
      '<span class="mention">@&lt;img src=x onerror=alert(1)</span>',
    );
    expect(markupToHtml('<@U1|Anna "A" & co>')).toBe('<span class="mention">@Anna &quot;A&quot; &amp; co</span>');
  });

  it('escapes attribute values', () => {
    const html = renderHtmlMessage(
      { text: 'x', blocks: [actions(button('<b>', 'a"b', `v" onclick="alert(1)' x`))] },
      { messageId: `"><script>` },
    );
    expect(html).toContain('data-message-id="&quot;&gt;&lt;script&gt;"');
    expect(html).toContain(
      'data-action-id="a&quot;b" data-value="v&quot; onclick=&quot;alert(1)&#39; x">&lt;b&gt;</button>',
    );
    assertSafeHtml(html);
  });

  it('escapes the five characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('stays safe for arbitrary messages', () => {
    const text = fc.string({
      unit: fc.constantFrom(
        'a',
        ' ',
        '\n',
        '*',
        '_',
        '&',
        '<',
        '>',
        '"',
        "'",
        '[',
        ']',
        '(',
        ')',
        '@',
        '|',
        'h',
        't',
        'p',
        's',
        ':',
        '/',
      ),
      maxLength: 200,
    });
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.record({ type: fc.constant('header' as const), text }),
      fc.record({ type: fc.constant('section' as const), text }),
      fc.record({
        type: fc.constant('fields' as const),
        fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 3 }),
      }),
      fc.record({ type: fc.constant('context' as const), text }),
      fc.constant({ type: 'divider' as const }),
      fc.record({
        type: fc.constant('actions' as const),
        elements: fc.array(
          fc.oneof(
            fc.record({
              type: fc.constant('button' as const),
              label: text,
              actionId: text,
              value: text,
              url: fc.option(text, { nil: undefined }),
            }),
            fc.record({
              type: fc.constant('select' as const),
              actionId: text,
              placeholder: text,
              options: fc.array(fc.record({ label: text, value: text }), { maxLength: 3 }),
            }),
            fc.record({ type: fc.constant('date' as const), actionId: text, placeholder: text, initial: text }),
          ),
          { maxLength: 3 },
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), text, (blocks, id) => {
        assertSafeHtml(renderHtmlMessage({ text: 'x', blocks }, { messageId: id }));
      }),
      { numRuns: 200 },
    );
  });
});

describe('renderHtmlForm', () => {
  const form: Form = {
    formId: 'tip.new',
    title: 'Nieuwe tip',
    submitLabel: 'Versturen',
    cancelLabel: 'Annuleren',
    intro: 'Deel *kort* je tip',
    state: '{"network":"n1"}',
    fields: [
      {
        type: 'text',
        id: 'tip',
        label: 'Tip',
        multiline: true,
        maxLength: 500,
        initial: '</textarea><script>x</script>',
        placeholder: 'Typ',
      },
      { type: 'text', id: 'name', label: 'Naam', optional: true, initial: '"Anna"' },
      {
        type: 'select',
        id: 'topic',
        label: 'Onderwerp',
        options: [
          { label: 'Zorg', value: 'care' },
          { label: 'Overig', value: 'other' },
        ],
        initial: 'other',
      },
      { type: 'date', id: 'when', label: 'Datum', optional: true, initial: '2025-06-01' },
    ],
  };

  it('renders a labelled form with submit and cancel', () => {
    const html = renderHtmlForm(form);
    expect(html).toBe(
      '<form class="klik-form" data-form-id="tip.new" data-state="{&quot;network&quot;:&quot;n1&quot;}" aria-label="Nieuwe tip">' +
        '<h2 class="klik-form-title">Nieuwe tip</h2>' +
        '<p class="klik-form-intro">Deel <strong>kort</strong> je tip</p>' +
        '<label class="klik-form-field"><span class="klik-label">Tip</span>' +
        '<textarea class="klik-input" name="tip" rows="4" maxlength="500" placeholder="Typ" required>&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea></label>' +
        '<label class="klik-form-field"><span class="klik-label">Naam <span class="klik-optional">(optioneel)</span></span>' +
        '<input type="text" class="klik-input" name="name" value="&quot;Anna&quot;"></label>' +
        '<label class="klik-form-field"><span class="klik-label">Onderwerp</span>' +
        '<select class="klik-input" name="topic" required><option value="" disabled>…</option><option value="care">Zorg</option><option value="other" selected>Overig</option></select></label>' +
        '<label class="klik-form-field"><span class="klik-label">Datum <span class="klik-optional">(optioneel)</span></span>' +
        '<input type="date" class="klik-input" name="when" value="2025-06-01"></label>' +
        '<div class="klik-form-buttons"><button type="submit" class="btn btn-primary">Versturen</button>' +
        '<button type="button" class="btn" data-form-cancel>Annuleren</button></div>' +
        '</form>',
    );
    assertSafeHtml(html);
  });

  it('escapes hostile form data', () => {
    const html = renderHtmlForm({
      ...form,
      formId: '"><script>',
      title: '<img onerror=x>',
      state: `'"><b>`,
      fields: [{ type: 'text', id: '" autofocus onfocus="x', label: '<i>l</i>' }],
    });
    assertSafeHtml(html);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
  });

  it('drops an invalid initial date', () => {
    const html = renderHtmlForm({ ...form, fields: [{ type: 'date', id: 'd', label: 'D', initial: '"x' }] });
    expect(html).toContain('<input type="date" class="klik-input" name="d" required>');
  });
});
