/**
 * Block Kit validation the way Slack's API does it (the limits that matter to Klik), for the fake
 * Web API: a payload that breaks one is answered `invalid_blocks`, as Slack would.
 * https://docs.slack.dev/reference/block-kit
 */

export type Surface = 'message' | 'modal' | 'home';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const KNOWN_BLOCKS = new Set([
  'section',
  'header',
  'context',
  'divider',
  'actions',
  'input',
  'image',
  'rich_text',
  'markdown',
  'file',
  'video',
]);
const ELEMENT_TYPES = new Set([
  'button',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_users_select',
  'overflow',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'radio_buttons',
  'checkboxes',
  'plain_text_input',
  'image',
  'email_text_input',
  'number_input',
  'url_text_input',
]);

class Checker {
  readonly problems: string[] = [];
  private readonly actionIds = new Set<string>();
  private readonly blockIds = new Set<string>();

  fail(path: string, what: string): void {
    this.problems.push(`${path}: ${what}`);
  }

  text(path: string, v: unknown, max: number, plainOnly = false): void {
    if (!isObj(v)) {
      this.fail(path, 'must be a text object');
      return;
    }
    if (v.type !== 'plain_text' && (plainOnly || v.type !== 'mrkdwn')) {
      this.fail(path, `type must be plain_text${plainOnly ? '' : ' or mrkdwn'}`);
      return;
    }
    if (typeof v.text !== 'string' || v.text.length === 0) {
      this.fail(path, 'text must not be empty');
      return;
    }
    if (v.text.length > max) this.fail(path, `text longer than ${max}`);
  }

  actionId(path: string, id: unknown): void {
    if (id === undefined) return;
    if (typeof id !== 'string' || id.length === 0 || id.length > 255) {
      this.fail(path, 'bad action_id');
      return;
    }
    if (this.actionIds.has(id)) this.fail(path, `action_id ${id} is not unique`);
    this.actionIds.add(id);
  }

  blockId(path: string, id: unknown): void {
    if (id === undefined) return;
    if (typeof id !== 'string' || id.length === 0 || id.length > 255) {
      this.fail(path, 'bad block_id');
      return;
    }
    if (this.blockIds.has(id)) this.fail(path, `block_id ${id} is not unique`);
    this.blockIds.add(id);
  }

  option(path: string, o: unknown): string | undefined {
    if (!isObj(o)) {
      this.fail(path, 'option must be an object');
      return undefined;
    }
    this.text(`${path}.text`, o.text, 75);
    if (typeof o.value !== 'string' || o.value.length > 150) this.fail(`${path}.value`, 'value missing or > 150');
    return typeof o.value === 'string' ? o.value : undefined;
  }

  element(path: string, e: unknown, inInput: boolean): void {
    if (!isObj(e) || typeof e.type !== 'string' || !ELEMENT_TYPES.has(e.type)) {
      this.fail(path, `unknown element type ${isObj(e) ? String(e.type) : typeof e}`);
      return;
    }
    this.actionId(`${path}.action_id`, e.action_id);
    switch (e.type) {
      case 'button':
        this.text(`${path}.text`, e.text, 75, true);
        if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000))
          this.fail(`${path}.value`, 'value > 2000');
        if (e.url !== undefined && (typeof e.url !== 'string' || e.url.length > 3000))
          this.fail(`${path}.url`, 'url > 3000');
        if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
          this.fail(`${path}.style`, 'style must be primary or danger');
        break;
      case 'static_select': {
        if (!Array.isArray(e.options) || e.options.length === 0 || e.options.length > 100) {
          this.fail(`${path}.options`, 'needs 1 to 100 options');
          break;
        }
        const values = e.options.map((o, i) => this.option(`${path}.options[${i}]`, o));
        if (e.placeholder !== undefined) this.text(`${path}.placeholder`, e.placeholder, 150, true);
        if (e.initial_option !== undefined) {
          const v = this.option(`${path}.initial_option`, e.initial_option);
          if (!values.includes(v)) this.fail(`${path}.initial_option`, 'is not one of the options');
        }
        break;
      }
      case 'datepicker':
        if (e.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(e.initial_date)))
          this.fail(`${path}.initial_date`, 'must be YYYY-MM-DD');
        if (e.placeholder !== undefined) this.text(`${path}.placeholder`, e.placeholder, 150, true);
        break;
      case 'plain_text_input': {
        if (!inInput) this.fail(path, 'plain_text_input only in an input block');
        const max = e.max_length === undefined ? 3000 : Number(e.max_length);
        if (!(max >= 1 && max <= 3000)) this.fail(`${path}.max_length`, 'must be 1 to 3000');
        if (e.initial_value !== undefined && String(e.initial_value).length > max)
          this.fail(`${path}.initial_value`, 'longer than max_length');
        if (e.placeholder !== undefined) this.text(`${path}.placeholder`, e.placeholder, 150, true);
        break;
      }
      default:
        break;
    }
  }

  block(path: string, b: unknown, surface: Surface): void {
    if (!isObj(b) || typeof b.type !== 'string' || !KNOWN_BLOCKS.has(b.type)) {
      this.fail(path, `unknown block type ${isObj(b) ? String(b.type) : typeof b}`);
      return;
    }
    this.blockId(`${path}.block_id`, b.block_id);
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.fail(path, 'section needs text or fields');
        if (b.text !== undefined) this.text(`${path}.text`, b.text, 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > 10)
            this.fail(`${path}.fields`, 'needs 1 to 10 fields');
          else for (const [i, f] of b.fields.entries()) this.text(`${path}.fields[${i}]`, f, 2000);
        }
        if (b.accessory !== undefined) this.element(`${path}.accessory`, b.accessory, false);
        break;
      case 'header':
        this.text(`${path}.text`, b.text, 150, true);
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) {
          this.fail(`${path}.elements`, 'needs 1 to 10 elements');
          break;
        }
        for (const [i, e] of b.elements.entries()) {
          if (!(isObj(e) && e.type === 'image')) this.text(`${path}.elements[${i}]`, e, 3000);
        }
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) {
          this.fail(`${path}.elements`, 'needs 1 to 25 elements');
          break;
        }
        for (const [i, e] of b.elements.entries()) this.element(`${path}.elements[${i}]`, e, false);
        break;
      case 'input':
        if (surface === 'message') this.fail(path, 'input blocks belong in modals');
        this.text(`${path}.label`, b.label, 2000, true);
        this.element(`${path}.element`, b.element, true);
        break;
      default:
        break;
    }
  }
}

/** Problems with a message's or a view's blocks; empty when Slack would take them. */
export function blockProblems(blocks: unknown, surface: Surface): string[] {
  const c = new Checker();
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) c.fail('blocks', `more than ${max} blocks`);
  for (const [i, b] of blocks.entries()) c.block(`blocks[${i}]`, b, surface);
  return c.problems;
}

export function viewProblems(view: unknown): string[] {
  if (!isObj(view)) return ['view must be an object'];
  const surface: Surface | null = view.type === 'modal' ? 'modal' : view.type === 'home' ? 'home' : null;
  if (!surface) return ['view.type must be modal or home'];
  const c = new Checker();
  if (surface === 'modal') {
    c.text('view.title', view.title, 24, true);
    if (view.submit !== undefined) c.text('view.submit', view.submit, 24, true);
    if (view.close !== undefined) c.text('view.close', view.close, 24, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) c.fail('view.submit', 'required when the view has input blocks');
  }
  if (view.private_metadata !== undefined && String(view.private_metadata).length > 3000)
    c.fail('view.private_metadata', 'longer than 3000');
  if (view.callback_id !== undefined && String(view.callback_id).length > 255)
    c.fail('view.callback_id', 'longer than 255');
  return [...c.problems, ...blockProblems(view.blocks ?? [], surface)];
}

/** A message needs text or blocks; its text may be at most 40,000 characters. */
export function messageProblems(args: { text?: unknown; blocks?: unknown }): string[] {
  const problems = blockProblems(args.blocks, 'message');
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  if (!hasBlocks && (typeof args.text !== 'string' || args.text.trim() === '')) problems.push('no text and no blocks');
  if (typeof args.text === 'string' && args.text.length > 40_000) problems.push('text longer than 40000');
  return problems;
}
