/**
 * Tips end to end through the local stack, on every test backend: save with tags, Dutch stemming
 * search, upvote twice counts once, edit and delete rights, undo, bad input refused with nothing
 * stored, `post-new-tips`, and the "more" button.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/inputs.js';
import type { Message } from '../../src/messages/model.js';
import { backends } from '../support/db.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-tips';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL' },
  { id: 'U-fatima', displayName: 'Fatima el Amrani', locale: 'nl-NL' },
];
const COORDINATOR = 'U-anna';

const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);
const message = (r: Reply): Message => {
  if (r.kind !== 'message' && r.kind !== 'update') throw new Error(`expected a message, got ${r.kind}`);
  return r.message;
};

describe.each(backends())('tips through the local stack (%s)', (backend) => {
  let s: LocalStack;

  async function count(query: string): Promise<number> {
    const result = await s.database.db.execute(sql.raw(query));
    return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
  }

  /** Clicks a button of the latest private message that has it. */
  async function click(userId: string, actionId: string, nth = 0): Promise<Reply> {
    const shown = s.workspace
      .listEphemerals(userId, CHANNEL)
      .filter((e) => buttonsOf(e.message).some((b) => b.actionId === actionId))
      .at(-1);
    const button = shown ? buttonsOf(shown.message).filter((b) => b.actionId === actionId)[nth] : undefined;
    if (!shown || !button) throw new Error(`no ${actionId} for ${userId}`);
    return s.adapter.click(userId, shown.id, button.actionId, button.value);
  }

  beforeEach(async () => {
    s = await bootLocalStack({
      backend,
      start: '2026-03-03T09:00:00Z',
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'tips', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
        ws.addChannel({ id: 'C-leeg', name: 'leeg', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
      },
    });
    await s.adapter.command(COORDINATOR, CHANNEL, 'start');
    const preview = s.workspace.listEphemerals(COORDINATOR, CHANNEL).at(-1)!;
    const confirm = buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm')!;
    await s.adapter.click(COORDINATOR, preview.id, confirm.actionId, confirm.value);
    await s.deliver();
  });

  afterEach(async () => {
    await s.close();
  });

  it('a tip is saved with its tags (lower-cased, accents kept); the author sees undo and add tags', async () => {
    await s.adapter.command(COORDINATOR, CHANNEL, 'instellingen post-new-tips off');
    const reply = await s.adapter.command('U-henk', CHANNEL, 'tip Begin klein met één afdeling #Start #Cliëntenraad');
    expect(text(reply)).toContain('je tip is bewaard');
    expect(text(reply)).toContain('#start #cliëntenraad');
    expect(buttonsOf(message(reply)).map((b) => b.actionId)).toEqual(['tip.edit', 'tip.undo']);
    expect(await count("select count(*)::int as n from tips where tags = array['start','cliëntenraad']")).toBe(1);
    // post-new-tips is off: nothing in the channel.
    await s.deliver();
    expect(s.workspace.listMessages(CHANNEL).filter((m) => textOf(m.message).includes('Begin klein'))).toEqual([]);

    const undone = await click('U-henk', 'tip.undo');
    expect(text(undone)).toContain('weggehaald');
    expect(await count('select count(*)::int as n from tips')).toBe(0);
  });

  it('Dutch stemming: "netwerk" finds "netwerken"; #tags filter; no words lists newest first', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'tip Netwerken werkt het best als je elkaars werkvloer bezoekt #bezoek');
    s.clock.advance(60_000);
    await s.adapter.command('U-fatima', CHANNEL, 'tip Plan de volgende bijeenkomst meteen aan het eind #ritme');
    s.clock.advance(60_000);
    await s.adapter.command('U-anna', CHANNEL, 'tip Wissel van gastvrouw, dan voelt iedereen zich eigenaar #ritme');

    const found = await s.adapter.command('U-fatima', CHANNEL, 'tips netwerk');
    expect(text(found)).toContain('Netwerken werkt het best');
    expect(text(found)).not.toContain('Plan de volgende');

    const tagged = await s.adapter.command('U-fatima', CHANNEL, 'tips #ritme');
    expect(text(tagged)).toContain('Plan de volgende');
    expect(text(tagged)).toContain('Wissel van gastvrouw');
    expect(text(tagged)).not.toContain('Netwerken');

    const newest = text(await s.adapter.command('U-fatima', CHANNEL, 'tips'));
    expect(newest.indexOf('Wissel van gastvrouw')).toBeLessThan(newest.indexOf('Plan de volgende'));
    expect(newest.indexOf('Plan de volgende')).toBeLessThan(newest.indexOf('Netwerken'));

    expect(text(await s.adapter.command('U-fatima', CHANNEL, 'tips vliegtuig'))).toContain('Geen tips gevonden');
  });

  it('upvote twice counts once; upvotes break ties in the list', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'tip Vraag wat de ander wil leren');
    await s.adapter.command('U-anna', CHANNEL, 'tip Vraag wat de ander kan delen');
    await s.adapter.command('U-fatima', CHANNEL, 'tips');
    // Both tips were made at the same instant: the first button is the tip shown first.
    const first = await click('U-fatima', 'tip.upvote', 1);
    expect(text(first)).toContain('nu 1');
    await s.adapter.command('U-fatima', CHANNEL, 'tips');
    const list = s.workspace.listEphemerals('U-fatima', CHANNEL).at(-1)!;
    const topValue = buttonsOf(list.message).find((b) => b.actionId === 'tip.upvote')!.value;
    const again = await s.adapter.click('U-fatima', list.id, 'tip.upvote', topValue);
    expect(text(again)).toContain('telt één keer');
    expect(await count('select count(*)::int as n from tip_votes')).toBe(1);
    expect(await count('select sum(upvotes)::int as n from tips')).toBe(1);
    expect(textOf(list.message)).toContain('1 duim');
  });

  it('a member cannot edit or delete another member’s tip; the author and a coordinator can', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'tip Neem een collega mee naar de bijeenkomst');
    const tipId = buttonsOf(message(await s.adapter.command('U-henk', CHANNEL, 'tips'))).find(
      (b) => b.actionId === 'tip.upvote',
    )!.value;

    const listed = await s.adapter.command('U-fatima', CHANNEL, 'tips');
    expect(buttonsOf(message(listed)).map((b) => b.actionId)).toEqual(['tip.upvote']);
    const shown = s.workspace.listEphemerals('U-fatima', CHANNEL).at(-1)!;
    // Even a crafted click is refused.
    expect(text(await s.adapter.click('U-fatima', shown.id, 'tip.delete', tipId))).toContain(
      'Alleen wie de tip schreef',
    );
    expect(text(await s.adapter.click('U-fatima', shown.id, 'tip.edit', tipId))).toContain('Alleen wie de tip schreef');
    expect(await count('select count(*)::int as n from tips')).toBe(1);

    const form = await click('U-henk', 'tip.edit');
    expect(form.kind).toBe('form');
    const saved = await s.adapter.submit('U-henk', 'tip.form', tipId, {
      text: 'Neem een nieuwe collega mee naar de bijeenkomst',
      tags: 'nieuw #Welkom',
    });
    expect(text(saved)).toContain('#nieuw #welkom');
    expect(await count("select count(*)::int as n from tips where text like '%nieuwe collega%'")).toBe(1);

    await s.adapter.command(COORDINATOR, CHANNEL, 'tips');
    expect(text(await click(COORDINATOR, 'tip.delete'))).toContain('verwijderd');
    expect(await count('select count(*)::int as n from tips')).toBe(0);
  });

  it('bad input is refused with a clear message and nothing stored', async () => {
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'tip'))).toContain('/klik tip');
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'tip    '))).toContain('/klik tip');
    expect(text(await s.adapter.command('U-henk', CHANNEL, `tip ${'a'.repeat(2_001)}`))).toContain('2000');
    expect(text(await s.adapter.command('U-henk', 'C-leeg', 'tip Een goede tip'))).toContain('nog geen Klik-netwerk');
    expect(await count('select count(*)::int as n from tips')).toBe(0);
    expect(text(await s.adapter.command('U-henk', CHANNEL, `tip ${'a'.repeat(2_000)}`))).toContain('bewaard');
    expect(await count('select count(*)::int as n from tips')).toBe(1);
  });

  it('post-new-tips on (the default): the channel sees the tip once; a member’s tips stay when they leave', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'tip Zet de koffie klaar voor de gasten #gastvrij');
    await s.deliver();
    await s.deliver();
    const posted = s.workspace.listMessages(CHANNEL).filter((m) => textOf(m.message).includes('Zet de koffie klaar'));
    expect(posted).toHaveLength(1);
    expect(textOf(posted[0]!.message)).toContain('Een nieuwe tip');

    await s.adapter.command('U-henk', CHANNEL, 'stop');
    expect(text(await s.adapter.command('U-fatima', CHANNEL, 'tips koffie'))).toContain('Zet de koffie klaar');
  });

  it('ask: a coordinator’s question reaches the channel; answers are tips linked to it, and the question shows how many', async () => {
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'vraag "Hoe begin je?"'))).toContain(
      'Alleen een coördinator',
    );
    const asked = await s.adapter.command(
      COORDINATOR,
      CHANNEL,
      'vraag “Wat zijn succesfactoren voor een leernetwerk?”',
    );
    expect(text(asked)).toContain('Je vraag staat in het kanaal');
    await s.deliver();
    const question = () =>
      s.workspace
        .listMessages(CHANNEL)
        .filter((m) => textOf(m.message).includes('succesfactoren voor een leernetwerk'));
    expect(question()).toHaveLength(1);
    expect(textOf(question()[0]!.message)).toContain('Nog geen tips');
    expect(textOf(question()[0]!.message)).not.toContain('“');

    for (const [who, answer] of [
      ['U-henk', 'Een gedeeld doel dat iedereen kan uitleggen #succes'],
      ['U-fatima', 'Vaste tijden, zodat het een ritme wordt'],
    ] as const) {
      const posted = question()[0]!;
      const add = buttonsOf(posted.message).find((b) => b.actionId === 'ask.answer')!;
      const form = await s.adapter.click(who, posted.id, add.actionId, add.value);
      expect(form.kind).toBe('form');
      if (form.kind !== 'form') return;
      expect(text(await s.adapter.submit(who, form.form.formId, form.form.state, { text: '' }))).toBe('<form-errors>');
      await s.adapter.submit(who, form.form.formId, form.form.state, { text: answer });
      await s.deliver();
    }
    expect(question()).toHaveLength(1);
    expect(textOf(question()[0]!.message)).toContain('2 tips tot nu toe');
    expect(await count('select count(*)::int as n from tips where question_id is not null')).toBe(2);
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'tips doelen'))).toContain('Een gedeeld doel');
  });

  it('ten at a time with a "more" button', async () => {
    for (let i = 1; i <= 12; i++) {
      await s.adapter.command('U-henk', CHANNEL, `tip Tip nummer ${i} over overdracht`);
      s.clock.advance(1_000);
    }
    const first = await s.adapter.command('U-fatima', CHANNEL, 'tips overdracht');
    expect(buttonsOf(message(first)).filter((b) => b.actionId === 'tip.upvote')).toHaveLength(10);
    const more = await click('U-fatima', 'tips.more');
    expect(buttonsOf(message(more)).filter((b) => b.actionId === 'tip.upvote')).toHaveLength(2);
    expect(buttonsOf(message(more)).some((b) => b.actionId === 'tips.more')).toBe(false);
  });
});
