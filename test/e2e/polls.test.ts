/**
 * Date polls through the local adapter with a fake clock and the real scheduler sweep: the form
 * (deadline, hidden votes), bad form input kept in the form with nothing stored, reminders to
 * non-voters only (once, in their allowed hours), the deadline locking votes and closing the poll.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../src/core/inputs.js';
import { POLL_FORM, POLL_FORM_OPEN, POLL_VOTE } from '../../src/core/polls/ids.js';
import { pollSweep } from '../../src/core/polls/sweep.js';
import { silentLogger } from '../../src/core/ports.js';
import type { Message } from '../../src/messages/model.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { backends } from '../support/db.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

// Real databases and HTTP under a busy machine: generous limits (speed is measured in `npm run bench votes`).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const CHANNEL = 'C-polls';
const PEOPLE = ['U-anna', 'U-henk', 'U-fatima', 'U-joost', 'U-mira'].map((id) => ({
  id,
  displayName: id.slice(2, 3).toUpperCase() + id.slice(3),
  locale: 'nl-NL',
  timezone: 'Europe/Amsterdam',
}));
const COORD = 'U-anna';

/** Buttons in actions blocks and on sections. */
const allButtons = (m: Message) => [
  ...buttonsOf(m),
  ...m.blocks.flatMap((b) => (b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory] : [])),
];
const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);

describe.each(backends())('polls through the local stack (%s)', (backend) => {
  let s: LocalStack;
  let scheduler: Scheduler;

  async function count(query: string): Promise<number> {
    const result = await s.database.db.execute(sql.raw(query));
    return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
  }
  const pollPost = () => {
    const post = s.workspace
      .listMessages(CHANNEL)
      .filter((m) => allButtons(m.message).some((b) => b.actionId.startsWith('poll.')))
      .at(-1);
    if (!post) throw new Error('no poll in the channel');
    return post;
  };
  const latestPollMessage = (): Message => s.workspace.findMessage(pollPost().id)!.message;
  const vote = async (userId: string, option: number, code: 'y' | 'm' | 'n') => {
    const post = pollPost();
    const b = buttonsOf(post.message).find((x) => x.actionId === POLL_VOTE && x.value.endsWith(`:${option}:${code}`));
    if (!b) throw new Error(`no vote button ${option}:${code}`);
    return s.adapter.click(userId, post.id, b.actionId, b.value);
  };
  const dms = (userId: string) => s.workspace.listMessages(s.workspace.dmFor(userId).id).map((m) => textOf(m.message));
  const reminders = (userId: string) => dms(userId).filter((t) => t.includes('nog niet gestemd'));
  /** One scheduler tick, then the outbox. */
  const tick = async () => {
    await scheduler.tick();
    await s.deliver();
  };

  beforeEach(async () => {
    s = await bootLocalStack({
      backend,
      // Monday 2 March 2026, 10:30 in Amsterdam.
      start: '2026-03-02T09:30:00Z',
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'polls', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
      },
    });
    scheduler = new Scheduler({
      store: s.store,
      clock: s.clock,
      logger: silentLogger,
      workerId: 'sweeper',
      jobs: [],
      handlers: new Map(),
      sweeps: [pollSweep()],
    });
    await s.adapter.command(COORD, CHANNEL, 'start');
    const preview = s.workspace.listEphemerals(COORD, CHANNEL).at(-1)!;
    const confirm = buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm')!;
    await s.adapter.click(COORD, preview.id, confirm.actionId, confirm.value);
    await s.deliver();
  });

  afterEach(async () => {
    await s.close();
  });

  it('no arguments opens the form; bad form input stays in the form with nothing stored', async () => {
    const reply = await s.adapter.command('U-henk', CHANNEL, 'prikker');
    expect(reply.kind).toBe('form');
    const form = s.workspace.getOpenForm('U-henk')!;
    expect(form.form.formId).toBe(POLL_FORM);
    const bad = await s.adapter.submit('U-henk', POLL_FORM, form.form.state, {
      title: '',
      options: '16 maart\n31-02-2026',
      deadline: '2026-03-01',
    });
    expect(bad.kind).toBe('form-errors');
    if (bad.kind !== 'form-errors') return;
    expect(bad.errors.title).toContain('titel');
    expect(bad.errors.options).toContain('"31-02-2026"');
    expect(bad.errors.deadline).toContain('voorbij');
    expect(await count('select count(*)::int as n from polls')).toBe(0);
    await s.deliver();
    expect(() => pollPost()).toThrow();
  });

  it('tampered buttons, strangers and wrong order get a clear answer and change nothing', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'poll "Intervisie" 16 maart 23 maart');
    await s.deliver();
    const post = pollPost();
    const id = buttonsOf(post.message).find((b) => b.actionId === 'poll.close')!.value;
    const click = (userId: string, actionId: string, value: string) =>
      s.adapter.click(userId, post.id, actionId, value).then(text);
    for (const value of ['', 'x:0:y', `${id}:9:y`, `${id}:0:q`, '00000000-0000-4000-8000-000000000000:0:y', `${id}:0`])
      expect(await click('U-joost', POLL_VOTE, value), value).toMatch(/werkt niet meer|bestaat niet meer/);
    expect(await click('U-joost', 'poll.finalize', `${id}:0`)).toContain('Alleen wie de prikker maakte');
    expect(await click('U-henk', 'poll.finalize', `${id}:0`)).toContain('Sluit eerst de prikker');
    expect(await click('U-joost', 'poll.close', 'not-a-uuid')).toContain('werkt niet meer');
    expect(await count('select count(*)::int as n from poll_votes')).toBe(0);
    expect(await count("select count(*)::int as n from polls where state = 'open'")).toBe(1);
    // Outside a network's channel there is no poll to make.
    const dm = s.workspace.dmFor('U-joost');
    expect(text(await s.adapter.command('U-joost', dm.id, 'poll "X" 16 maart'))).toContain('geen Klik-netwerk');
  });

  it('the rhythm nudge’s button (poll.form.open) opens the same form', async () => {
    const [msg] = s.workspace.listMessages(CHANNEL);
    const reply = await s.adapter.click('U-joost', msg!.id, POLL_FORM_OPEN, '');
    expect(reply.kind).toBe('form');
    expect(s.workspace.getOpenForm('U-joost')?.form.formId).toBe(POLL_FORM);
  });

  it('reminds only non-voters, once, 3 days after a poll without deadline; DMs wait for allowed hours', async () => {
    // Tuesday 3 March 19:00: the reminder falls on Friday 19:00, outside 08:00-18:00.
    s.clock.set('2026-03-03T18:00:00Z');
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'poll "Intervisie" 16 maart 23 maart 14:00'))).toContain(
      '2 data',
    );
    await s.deliver();
    // The sweep tells the scheduler when it next has work: the reminder, 3 days on.
    expect((await pollSweep().nextDueAt(s.clock.now(), s.store))?.toISOString()).toBe('2026-03-06T18:00:00.000Z');
    await vote('U-henk', 0, 'y');
    await vote('U-fatima', 1, 'n');
    s.clock.set('2026-03-06T17:59:00Z');
    await tick();
    for (const p of PEOPLE) expect(reminders(p.id)).toHaveLength(0);
    s.clock.set('2026-03-06T18:01:00Z');
    await tick();
    // Queued, but not sent in the evening or the weekend.
    expect(await count("select count(*)::int as n from outbox where idempotency_key like 'poll:%:remind:%'")).toBe(3);
    for (const p of PEOPLE) expect(reminders(p.id)).toHaveLength(0);
    s.clock.set('2026-03-09T07:01:00Z'); // Monday 08:01 in Amsterdam
    await tick();
    expect(reminders('U-anna')).toHaveLength(1);
    expect(reminders('U-joost')).toHaveLength(1);
    expect(reminders('U-mira')).toHaveLength(1);
    expect(reminders('U-henk')).toHaveLength(0);
    expect(reminders('U-fatima')).toHaveLength(0);
    expect(reminders('U-anna')[0]).toContain('Intervisie');
    // Once only.
    s.clock.advance(5 * 24 * 3600_000);
    await tick();
    expect(reminders('U-anna')).toHaveLength(1);
  });

  it('two schedulers sweeping at once: each poll’s reminders go out once', async () => {
    const other = new Scheduler({
      store: s.store,
      clock: s.clock,
      logger: silentLogger,
      workerId: 'other-process',
      jobs: [],
      handlers: new Map(),
      sweeps: [pollSweep()],
    });
    await s.adapter.command('U-henk', CHANNEL, 'poll "Intervisie" 16 maart 23 maart');
    await s.deliver();
    await vote('U-henk', 0, 'y');
    s.clock.set('2026-03-05T10:00:00Z');
    await Promise.all([scheduler.tick(), other.tick(), scheduler.tick(), other.tick()]);
    await s.deliver();
    expect(await count("select count(*)::int as n from outbox where idempotency_key like 'poll:%:remind:%'")).toBe(4);
    expect(await count("select count(*)::int as n from job_claims where kind = 'poll-reminder'")).toBe(1);
    for (const p of PEOPLE.filter((x) => x.id !== 'U-henk')) expect(reminders(p.id)).toHaveLength(1);
    expect(reminders('U-henk')).toHaveLength(0);
  });

  it('no reminders when the network switched poll reminders off, or while it is paused', async () => {
    expect(text(await s.adapter.command(COORD, CHANNEL, 'settings nudge poll-reminder off'))).not.toContain('Zo werkt');
    await s.adapter.command('U-henk', CHANNEL, 'poll "Intervisie" 16 maart 23 maart');
    await s.deliver();
    s.clock.set('2026-03-05T10:00:00Z');
    await tick();
    for (const p of PEOPLE) expect(reminders(p.id)).toHaveLength(0);
    expect(await count('select count(*)::int as n from polls where reminded_at is not null')).toBe(1);

    await s.adapter.command(COORD, CHANNEL, 'settings nudge poll-reminder on');
    await s.adapter.command(COORD, CHANNEL, 'pauzeer netwerk 2026-03-20');
    await s.adapter.command('U-henk', CHANNEL, 'poll "Tweede" 24 maart');
    await s.deliver();
    s.clock.set('2026-03-09T10:00:00Z');
    await tick();
    for (const p of PEOPLE) expect(reminders(p.id)).toHaveLength(0);
    // After the pause the reminder still comes, once.
    s.clock.set('2026-03-23T10:00:00Z');
    await tick();
    expect(reminders('U-joost')).toHaveLength(1);
    expect(reminders('U-joost')[0]).toContain('Tweede');
  });

  it('the deadline: reminder a day before, votes locked after, the poll closes itself', async () => {
    await s.adapter.command('U-henk', CHANNEL, 'poll');
    const form = s.workspace.getOpenForm('U-henk')!;
    const made = await s.adapter.submit('U-henk', POLL_FORM, form.form.state, {
      title: 'Bedrijfsbezoek Avoord',
      options: '16 maart\n17-3-2026 14:00\n24 maart',
      deadline: '2026-03-05',
      hide: 'yes',
    });
    expect(text(made)).toContain('3 data');
    await s.deliver();
    // Next work: the reminder a day before the deadline (the end of Thursday 5 March, Amsterdam time).
    const sweep = pollSweep();
    expect((await sweep.nextDueAt(s.clock.now(), s.store))?.toISOString()).toBe('2026-03-04T23:00:00.000Z');
    expect((await sweep.nextDueAt(new Date('2026-03-04T23:00:00Z'), s.store))?.toISOString()).toBe(
      '2026-03-05T23:00:00.000Z',
    );
    const open = textOf(latestPollMessage());
    expect(open).toContain('Stemmen kan tot do 5 mrt 23:59');
    expect(open).toContain('verborgen');
    await vote('U-henk', 0, 'y');
    await vote('U-anna', 0, 'm');
    await vote('U-anna', 1, 'y');
    s.clock.advance(2_000);
    await s.deliver();
    // Hidden: tallies and names are not shown while open.
    expect(textOf(latestPollMessage())).not.toContain('✅ 1');
    expect(textOf(latestPollMessage())).toContain('Nog niet gestemd (3)');

    // Wednesday 4 March, 23:59: a day before the deadline, at night → sent Thursday 08:00.
    s.clock.set('2026-03-04T23:00:00Z');
    await tick();
    expect(reminders('U-joost')).toHaveLength(0);
    s.clock.set('2026-03-05T07:00:00Z');
    await tick();
    expect(reminders('U-joost')).toHaveLength(1);
    expect(reminders('U-joost')[0]).toContain('do 5 mrt 23:59');
    expect(reminders('U-anna')).toHaveLength(0);

    // Just before the deadline a vote counts; just after it does not, even before the sweep runs.
    s.clock.set('2026-03-05T22:58:00Z');
    await vote('U-joost', 2, 'y');
    s.clock.set('2026-03-05T23:00:01Z');
    expect(text(await vote('U-mira', 2, 'y'))).toContain('kan niet meer');
    expect(await count('select count(*)::int as n from poll_votes')).toBe(4);

    await tick();
    s.clock.advance(2_000);
    await s.deliver();
    expect(await count("select count(*)::int as n from polls where state = 'closed'")).toBe(1);
    const closed = textOf(latestPollMessage());
    expect(closed).toContain('Deze prikker is gesloten');
    // Revealed now: most yes + if need be is 16 March (2), suggested.
    expect(closed).toContain('Voorstel: ma 16 mrt (1 ja, 1 als het moet)');
    expect(closed).toContain('✅ 1 · 🤔 1 · ❌ 0');
    expect(await count("select count(*)::int as n from job_claims where kind = 'poll-close'")).toBe(1);
    await tick();
    expect(await count("select count(*)::int as n from job_claims where kind = 'poll-close'")).toBe(1);
    // The creator hears it closed, with the suggestion, once their morning starts (Friday 08:00).
    const closedNote = () => dms('U-henk').filter((t) => t.includes('is gesloten'));
    expect(closedNote()).toHaveLength(0);
    s.clock.set('2026-03-06T07:01:00Z');
    await tick();
    expect(closedNote()).toHaveLength(1);
    expect(closedNote()[0]).toContain('Voorstel: ma 16 mrt');
    expect(dms('U-anna').some((t) => t.includes('is gesloten'))).toBe(false);
  });
});
