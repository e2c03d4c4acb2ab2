/**
 * Pairing end to end through the local stack: `pair now` in a channel of 7 makes two pairs and a
 * trio, each group gets one intro, the check-in comes halfway (not before), answers are recorded,
 * notes shared with consent appear at the next round, and profiles feed the intro.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/inputs.js';
import { silentLogger } from '../../src/core/ports.js';
import { JOB_DEFINITIONS } from '../../src/core/schedule/jobs.js';
import { pairingHandler } from '../../src/scheduler/pairing-handler.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-zorg';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL' },
  { id: 'U-fatima', displayName: 'Fatima el Amrani', locale: 'nl-NL' },
  { id: 'U-joost', displayName: 'Joost Bakker', locale: 'nl-NL' },
  { id: 'U-sanne', displayName: 'Sanne Visser', locale: 'nl-NL' },
  { id: 'U-ilse', displayName: 'Ilse Mulder', locale: 'nl-NL' },
  { id: 'U-priya', displayName: 'Priya Ramdin', locale: 'en-GB' },
];
const COORDINATOR = 'U-anna';

const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);

describe('pairing through the local stack', () => {
  let s: LocalStack;

  async function clickLatest(userId: string, actionId: string): Promise<Reply> {
    const ephemeral = s.workspace.listEphemerals(userId, CHANNEL).at(-1);
    const button = ephemeral ? buttonsOf(ephemeral.message).find((b) => b.actionId === actionId) : undefined;
    if (!ephemeral || !button) throw new Error(`no ${actionId} for ${userId}`);
    return s.adapter.click(userId, ephemeral.id, button.actionId, button.value);
  }

  const allGroups = () =>
    PEOPLE.flatMap((p) => s.workspace.listConversationsFor(p.id)).filter(
      (c, i, all) => c.kind === 'group' && all.findIndex((x) => x.id === c.id) === i,
    );

  beforeEach(async () => {
    // Tuesday 3 March 2026, 10:00 Amsterdam.
    s = await bootLocalStack({
      start: '2026-03-03T09:00:00Z',
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'zorg', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
      },
    });
    await s.adapter.command(COORDINATOR, CHANNEL, 'start');
    await clickLatest(COORDINATOR, 'setup.confirm');
    await s.deliver();
  });

  afterEach(async () => {
    await s.close();
  });

  it('pair now in a channel of 7: two pairs and a trio, one intro each, nobody left out', async () => {
    const reply = await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    expect(text(reply)).toContain('3 groepjes gemaakt');
    await s.deliver();
    await s.deliver();

    const groups = allGroups();
    expect(groups.map((g) => g.memberIds.length).sort()).toEqual([2, 2, 3]);
    const everyone = groups.flatMap((g) => g.memberIds).sort();
    expect(everyone).toEqual(PEOPLE.map((p) => p.id).sort());
    for (const g of groups) {
      const intros = s.workspace.listMessages(g.id);
      expect(intros).toHaveLength(1);
      const intro = textOf(intros[0]!.message);
      for (const id of g.memberIds) expect(intro).toContain(PEOPLE.find((p) => p.id === id)!.displayName);
      expect(intro).toMatch(/Om te beginnen|To get started/);
    }
    const channel = s.workspace.listMessages(CHANNEL).map((m) => textOf(m.message));
    expect(channel.filter((t) => t.includes('Koppelronde 1'))).toHaveLength(1);
  });

  it('only a coordinator can pair now; a second round avoids the pairs of the first', async () => {
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'koppel nu'))).toContain('Alleen een coördinator');
    await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    await s.deliver();
    const first = allGroups().map((g) => g.memberIds);
    s.clock.advance(14 * 86_400_000);
    await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    await s.deliver();
    const firstPairs = new Set(first.flatMap((g) => g.flatMap((a) => g.filter((b) => b > a).map((b) => `${a}|${b}`))));
    const second = allGroups()
      .map((g) => g.memberIds)
      .filter((g) => !first.some((f) => f.join() === g.join()));
    const repeated = second
      .flatMap((g) => g.flatMap((a) => g.filter((b) => b > a).map((b) => `${a}|${b}`)))
      .filter((p) => firstPairs.has(p));
    expect(repeated).toEqual([]);
  });

  it('the check-in arrives halfway, not before; yes opens the note form; a shared note reaches the channel next round', async () => {
    await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    await s.deliver();
    const dm = s.workspace.dmFor('U-henk').id;
    const checkIns = () =>
      s.workspace.listMessages(dm).filter((m) => buttonsOf(m.message).some((b) => b.actionId === 'checkin.answer'));
    expect(checkIns()).toHaveLength(0);

    s.clock.advance(8 * 86_400_000); // biweekly: the check-in is due after 7 days
    await s.deliver();
    expect(checkIns()).toHaveLength(1);
    const question = checkIns()[0]!;
    const yes = buttonsOf(question.message).find((b) => b.value.endsWith(':yes'))!;

    const form = await s.adapter.click('U-henk', question.id, yes.actionId, yes.value);
    expect(form.kind).toBe('form');
    const open = s.workspace.getOpenForm('U-henk')!;
    const empty = await s.adapter.submit('U-henk', open.form.formId, open.form.state, { note: ' ', share: 'yes' });
    expect(empty.kind).toBe('form-errors');
    const saved = await s.adapter.submit('U-henk', open.form.formId, open.form.state, {
      note: 'Zij werkt met vaste koppels per cliënt',
      share: 'yes',
    });
    expect(text(saved)).toContain('gedeeld in het kanaal');

    s.clock.advance(7 * 86_400_000);
    await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    await s.deliver();
    const channel = s.workspace.listMessages(CHANNEL).map((m) => textOf(m.message));
    const round2 = channel.find((t) => t.includes('Koppelronde 2'));
    expect(round2).toContain('Zij werkt met vaste koppels per cliënt');
    expect(round2).toContain('Henk Jansen');
  });

  it('a member who answers no check-in three rounds in a row is paused and told how to come back', async () => {
    for (let round = 0; round < 3; round++) {
      await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
      await s.deliver();
      s.clock.advance(14 * 86_400_000);
      await s.deliver();
      // Everyone but Sanne answers their check-in.
      for (const p of PEOPLE.filter((x) => x.id !== 'U-sanne')) {
        const latest = s.workspace
          .listMessages(s.workspace.dmFor(p.id).id)
          .filter((m) => buttonsOf(m.message).some((b) => b.actionId === 'checkin.answer'))
          .at(-1);
        const notYet = latest ? buttonsOf(latest.message).find((b) => b.value.endsWith(':not_yet')) : undefined;
        if (latest && notYet) await s.adapter.click(p.id, latest.id, notYet.actionId, notYet.value);
      }
    }
    await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    await s.deliver();
    const dm = s.workspace.listMessages(s.workspace.dmFor('U-sanne').id);
    const notice = dm.find((m) => buttonsOf(m.message).some((b) => b.actionId === 'member.resume'));
    expect(notice).toBeDefined();
    const roundStart = s.clock.now().getTime();
    const latestRoundGroups = allGroups().filter((g) =>
      s.workspace.listMessages(g.id).some((m) => new Date(m.postedAt).getTime() >= roundStart),
    );
    expect(latestRoundGroups.flatMap((g) => g.memberIds)).not.toContain('U-sanne');

    const resume = buttonsOf(notice!.message).find((b) => b.actionId === 'member.resume')!;
    expect(text(await s.adapter.click('U-sanne', notice!.id, resume.actionId, resume.value))).toContain(
      'Fijn dat je er weer bent',
    );
  });

  it('the profile form saves organisation, topics and nickname, and the intro shows them', async () => {
    const form = await s.adapter.command('U-henk', CHANNEL, 'profiel');
    expect(form.kind).toBe('form');
    const open = s.workspace.getOpenForm('U-henk')!;
    const nickname = open.form.fields.find((f) => f.id === 'nickname');
    expect(nickname?.type === 'text' && nickname.initial).toMatch(/^H\w+ Henk$/);
    const saved = await s.adapter.submit('U-henk', open.form.formId, open.form.state, {
      newOrganisation: 'Zorggroep Avoord',
      role: 'wijkverpleegkundige',
      canShare: 'valpreventie',
      wantsToLearn: 'dementiezorg',
      nickname: 'Handige Henk',
    });
    expect(text(saved)).toContain('profiel is opgeslagen');
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'organisaties'))).toContain('Zorggroep Avoord');

    await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    await s.deliver();
    const henksGroup = allGroups().find((g) => g.memberIds.includes('U-henk'))!;
    const intro = textOf(s.workspace.listMessages(henksGroup.id)[0]!.message);
    expect(intro).toContain('"Handige Henk"');
    expect(intro).toContain('Zorggroep Avoord, wijkverpleegkundige');
    expect(intro).toContain('kan delen: valpreventie');
  });

  it('scheduled: at the network’s slot the scheduler runs a round once', async () => {
    const scheduler = new Scheduler({
      store: s.store,
      clock: s.clock,
      logger: silentLogger,
      workerId: 'test',
      jobs: JOB_DEFINITIONS,
      handlers: new Map([['pairing', pairingHandler({ local: s.platform }, silentLogger)]]),
    });
    const due = await scheduler.nextDueAt(s.clock.now());
    expect(due).not.toBeNull();
    // Biweekly from the week of setup (Tuesday 3 March): Monday 16 March, 09:00 Amsterdam.
    expect(due?.toISOString()).toBe('2026-03-16T08:00:00.000Z');
    s.clock.set(due!);
    await scheduler.tick();
    await scheduler.tick();
    await s.deliver();
    const channel = s.workspace.listMessages(CHANNEL).map((m) => textOf(m.message));
    expect(channel.filter((t) => t.includes('Koppelronde 1'))).toHaveLength(1);
    expect(allGroups().flatMap((g) => g.memberIds)).toHaveLength(7);
  });

  it('someone leaving mid-round: their partner joins another group, which gets a new intro', async () => {
    await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
    await s.deliver();
    const pair = allGroups().find((g) => g.memberIds.length === 2)!;
    const [leaver, partner] = pair.memberIds as [string, string];
    s.clock.advance(86_400_000);
    await s.adapter.command(leaver, CHANNEL, 'stop');
    await s.deliver();
    const joined = allGroups().find((g) => g.memberIds.includes(partner) && g.memberIds.length > 2);
    expect(joined).toBeDefined();
    expect(joined!.memberIds).not.toContain(leaver);
    const intro = textOf(s.workspace.listMessages(joined!.id).at(-1)!.message);
    expect(intro).toContain(PEOPLE.find((p) => p.id === partner)!.displayName);
  });

  it('a confidential “don’t pair me with” list: only its owner sees it, and rounds respect it', async () => {
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'niet-met <@U-fatima|Fatima>'))).toContain(
      'Niemand anders ziet',
    );
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'niet-met'))).toContain('Fatima el Amrani');
    expect(text(await s.adapter.command('U-fatima', CHANNEL, 'niet-met'))).toContain('Je lijst is leeg');
    for (let round = 0; round < 4; round++) {
      await s.adapter.command(COORDINATOR, CHANNEL, 'koppel nu');
      await s.deliver();
      s.clock.advance(14 * 86_400_000);
    }
    const together = allGroups().filter((g) => g.memberIds.includes('U-henk') && g.memberIds.includes('U-fatima'));
    expect(together).toEqual([]);
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'niet-met verwijderen <@U-fatima>'))).toContain(
      'niet meer op je lijst',
    );
  });
});
