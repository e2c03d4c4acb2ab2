/**
 * A year of a network in Europe/Amsterdam with a fake clock that jumps from due moment to due moment
 * (the scheduler's `nextDueAt` and the outbox's next scheduled row), across both DST changes: every
 * nudge at its local minute, none in quiet hours or at a weekend, none twice, none while the network
 * is paused, `skip round` skips exactly one round; the rhythm nudge stops while a meeting is planned,
 * quiet members get a DM in their own zone at most monthly, milestones and the anniversary come once.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, gt, min } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostedMessage } from '../../adapters/local/workspace.js';
import { jobClaims, meetings, outbox } from '../../db/schema.js';
import { silentLogger } from '../../src/core/ports.js';
import { CHECKIN_ANSWER } from '../../src/core/rounds/messages.js';
import { JOB_DEFINITIONS } from '../../src/core/schedule/jobs.js';
import { isAllowed } from '../../src/core/schedule/quiet-hours.js';
import { digestHandler } from '../../src/scheduler/digest-handler.js';
import { nudgeHandlers, nudgeSweeps } from '../../src/scheduler/nudges-handler.js';
import { pairingHandler } from '../../src/scheduler/pairing-handler.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { backends } from '../support/db.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const AMS = 'Europe/Amsterdam';
const NY = 'America/New_York';
const OFFICE = { start: '08:00', end: '18:00' };
const CHANNEL = 'C-ritme';
const PAIRED = ['Anna', 'Henk', 'Fatima', 'Joost', 'Sanne', 'Pieter'];
const QUIET = [
  { id: 'U-grace', displayName: 'Grace Miller', timezone: NY, locale: 'en-US' },
  { id: 'U-ruud', displayName: 'Ruud Bakker', timezone: AMS, locale: 'nl-NL' },
];
const wall = (d: Date, zone = AMS) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

interface Seen {
  conversationId: string;
  text: string;
  at: Date;
  posted: PostedMessage;
}

describe.each(backends())('a year of nudges in Europe/Amsterdam on %s', (backend) => {
  let s: LocalStack;
  let scheduler: Scheduler;
  let networkId: string;
  const seen: Seen[] = [];
  const answered = new Set<string>();
  const pauseFrom = new Date('2026-07-03T08:00:00Z'); // Fri 3 July, 10:00
  const pauseUntil = '2026-08-03T00:00:00+02:00'; // Mon 3 August, start of the day
  const meetingAt = new Date('2026-09-17T13:00:00Z'); // Thu 17 September, 15:00
  const meetingPlannedAt = new Date('2026-08-12T10:00:00Z');
  const skipAt = new Date('2026-05-06T10:00:00Z'); // Wed 6 May
  const end = new Date('2027-03-10T12:00:00Z');

  function collect(): void {
    const known = new Set(seen.map((x) => x.posted.id));
    const conversations = [
      CHANNEL,
      ...[...PAIRED.map((n) => `U-${n.toLowerCase()}`), ...QUIET.map((q) => q.id)].map((u) => s.workspace.dmFor(u).id),
    ];
    for (const c of conversations) {
      for (const m of s.workspace.listMessages(c)) {
        if (known.has(m.id)) continue;
        seen.push({ conversationId: c, text: textOf(m.message), at: m.postedAt, posted: m });
      }
    }
  }

  /** The paired members answer every check-in ("yes"): they are active, so never "quiet". */
  async function answerCheckIns(): Promise<void> {
    for (const name of PAIRED) {
      const user = `U-${name.toLowerCase()}`;
      for (const m of s.workspace.listMessages(s.workspace.dmFor(user).id)) {
        if (answered.has(m.id)) continue;
        const yes = buttonsOf(m.message).find((b) => b.actionId === CHECKIN_ANSWER && b.value.endsWith(':yes'));
        if (!yes) continue;
        answered.add(m.id);
        await s.adapter.click(user, m.id, yes.actionId, yes.value);
      }
    }
  }

  async function nextOutboxAt(after: Date): Promise<Date | null> {
    const [row] = await s.database.db
      .select({ at: min(outbox.nextAttemptAt) })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), gt(outbox.nextAttemptAt, after)));
    return row?.at ? new Date(row.at) : null;
  }

  async function step(at: Date): Promise<void> {
    s.clock.set(at);
    await scheduler.tick();
    await s.deliver();
    collect();
    await answerCheckIns();
    await s.deliver();
    collect();
  }

  async function runUntil(until: Date): Promise<void> {
    for (let i = 0; i < 3_000; i++) {
      const now = s.clock.now();
      const candidates = [await scheduler.nextDueAt(now), await nextOutboxAt(now)].filter(
        (d): d is Date => d !== null && d > now,
      );
      const next = candidates.sort((a, b) => a.getTime() - b.getTime())[0];
      if (!next || next > until) break;
      await step(next);
    }
    s.clock.set(until);
  }

  beforeAll(async () => {
    s = await bootLocalStack({
      backend,
      start: '2026-03-02T09:30:00Z', // Mon 2 March 2026, 10:30
      seed: (ws) => {
        for (const name of PAIRED) ws.addUser({ displayName: `${name} Jansen`, timezone: AMS, locale: 'nl-NL' });
        for (const q of QUIET) ws.addUser(q);
        ws.addChannel({
          id: CHANNEL,
          name: 'ritme',
          memberIds: [...PAIRED.map((n) => `U-${n.toLowerCase()}`), ...QUIET.map((q) => q.id)],
          botInChannel: true,
        });
      },
    });
    await s.adapter.command('U-anna', CHANNEL, 'start');
    const preview = s.workspace.listEphemerals('U-anna', CHANNEL).at(-1);
    const confirm = buttonsOf(preview?.message ?? { text: '', blocks: [] }).find((b) => b.actionId === 'setup.confirm');
    if (!preview || !confirm) throw new Error('no setup preview');
    await s.adapter.click('U-anna', preview.id, confirm.actionId, confirm.value);
    for (const cmd of ['pool opt-in', 'digest off', 'rhythm 6']) {
      await s.adapter.command('U-anna', CHANNEL, `instellingen ${cmd}`);
    }
    for (const name of PAIRED) await s.adapter.command(`U-${name.toLowerCase()}`, CHANNEL, 'doe-mee');
    await s.deliver();
    collect();
    const installationId = await s.installationId();
    const network = await s.store.transaction((tx) => tx.networks.findByChannel(installationId, CHANNEL));
    if (!network) throw new Error('no network');
    networkId = network.id;
    scheduler = new Scheduler({
      store: s.store,
      clock: s.clock,
      logger: silentLogger,
      workerId: 'year',
      jobs: JOB_DEFINITIONS,
      handlers: new Map([
        ['pairing', pairingHandler({ local: s.platform }, silentLogger)],
        ['digest', digestHandler(silentLogger)],
        ...nudgeHandlers(silentLogger, 'year'),
      ]),
      sweeps: nudgeSweeps,
    });
    const setupDone = seen.length;

    await runUntil(skipAt);
    await s.adapter.command('U-anna', CHANNEL, 'sla over');
    await runUntil(pauseFrom);
    await s.adapter.command('U-anna', CHANNEL, 'pauzeer netwerk 3-8-2026');
    await runUntil(meetingPlannedAt);
    // A meeting is planned (as the polls feature would): the rhythm nudge keeps quiet until it is near.
    await s.database.db.insert(meetings).values({
      installationId: await s.installationId(),
      networkId,
      title: 'Bezoek De Zonnehof',
      startsAt: meetingAt,
      uid: `${randomUUID()}@klik`,
    });
    await runUntil(end);
    seen.splice(0, setupDone);
  }, 1_800_000);

  afterAll(async () => {
    await s?.close();
  });

  const channel = () => seen.filter((x) => x.conversationId === CHANNEL);
  const rhythm = () => channel().filter((x) => x.text.includes('Zullen we de volgende plannen'));
  const quietTo = (user: string) =>
    seen.filter(
      (x) =>
        x.conversationId === `D-${user}` && buttonsOf(x.posted.message).some((b) => b.actionId === 'nudge.quiet.pause'),
    );

  it('sends nothing in quiet hours or at a weekend, in network time for the channel and the member’s own zone for DMs', () => {
    expect(seen.length).toBeGreaterThan(100);
    for (const x of seen) {
      const zone = x.conversationId === 'D-U-grace' ? NY : AMS;
      expect(isAllowed(x.at, zone, OFFICE), `${wall(x.at, zone)} ${x.text.slice(0, 40)}`).toBe(true);
    }
  });

  it('the rhythm nudge: Mondays 09:00 local on both sides of both DST changes, with the poll form button, at most weekly', () => {
    const times = rhythm().map((x) => x.at);
    expect(times.length).toBeGreaterThan(20);
    for (const at of times) expect(wall(at).slice(0, 3) + wall(at).slice(14)).toBe('Mon 09:00');
    const offsets = new Set(times.map((t) => DateTime.fromJSDate(t, { zone: AMS }).offset));
    expect(offsets).toEqual(new Set([60, 120]));
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as Date).getTime() - (times[i - 1] as Date).getTime()).toBeGreaterThanOrEqual(6.9 * 86_400_000);
    }
    for (const x of rhythm()) {
      expect(buttonsOf(x.posted.message).map((b) => [b.actionId, b.value])).toEqual([['poll.form.open', networkId]]);
    }
    // A meeting on 17 September, within 6 weeks of every Monday from its planning: no nudge until it has passed.
    const during = times.filter((t) => t >= meetingPlannedAt && t <= meetingAt);
    expect(during).toEqual([]);
    expect(times.some((t) => t > meetingAt)).toBe(true);
  });

  it('nothing at all goes out while the network is paused; the channel is told when it resumes', () => {
    const resumed = new Date(pauseUntil);
    const inPause = seen.filter((x) => x.at > pauseFrom && x.at < resumed);
    expect(inPause.map((x) => `${wall(x.at)} ${x.text.slice(0, 40)}`)).toEqual([]);
    const back = channel().filter((x) => x.text.includes('terug van de pauze'));
    expect(back.map((x) => wall(x.at))).toEqual(['Mon 2026-08-03 09:00']);
  });

  it('skip round skips exactly one round; every slot is decided once', async () => {
    const claims = await s.database.db.select().from(jobClaims).where(eq(jobClaims.networkId, networkId));
    const keys = claims.map((c) => `${c.kind}|${c.slot}`);
    expect(new Set(keys).size).toBe(keys.length);
    const pairing = claims.filter((c) => c.kind === 'pairing');
    const skippedByCommand = pairing.filter(
      (c) => c.outcome === 'skipped' && !(new Date(c.slot) > pauseFrom && new Date(c.slot) < new Date(pauseUntil)),
    );
    expect(skippedByCommand.map((c) => wall(new Date(c.slot)))).toEqual(['Mon 2026-05-11 09:00']);
    const runs = pairing.filter((c) => c.outcome === 'run').map((c) => c.slot);
    expect(runs.length).toBeGreaterThan(20);
    // Each message went out once: no two deliveries of the same text to the same place at the same minute.
    const sent = seen.map((x) => `${x.conversationId}|${x.at.toISOString()}|${x.text}`);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('quiet members get one DM at most every month, at 09:00 in their own zone, never while paused', () => {
    const grace = quietTo('U-grace').map((x) => x.at);
    const ruud = quietTo('U-ruud').map((x) => x.at);
    expect(grace.length).toBeGreaterThanOrEqual(6);
    expect(ruud.length).toBeGreaterThanOrEqual(6);
    for (const at of grace) expect(wall(at, NY).slice(-5)).toBe('09:00');
    for (const at of ruud) expect(wall(at).slice(-5)).toBe('09:00');
    for (const list of [grace, ruud]) {
      // Eight weeks of silence first, then at most monthly.
      expect((list[0] as Date).getTime() - new Date('2026-03-02T09:30:00Z').getTime()).toBeGreaterThanOrEqual(
        56 * 86_400_000,
      );
      for (let i = 1; i < list.length; i++) {
        expect((list[i] as Date).getTime() - (list[i - 1] as Date).getTime()).toBeGreaterThanOrEqual(30 * 86_400_000);
      }
    }
    expect(quietTo('U-grace')[0]?.text).toContain('we have not heard from you');
    expect(quietTo('U-ruud')[0]?.text).toContain('we hebben je een tijdje niet gezien');
    // The paired members answered their check-ins: never quiet.
    for (const name of PAIRED) expect(quietTo(`U-${name.toLowerCase()}`)).toEqual([]);
  });

  it('milestones: the first ten connections once, the anniversary once, on its day at 09:00', () => {
    const ten = channel().filter((x) => x.text.includes('10 nieuwe connecties'));
    expect(ten).toHaveLength(1);
    const birthday = channel().filter((x) => x.text.includes('bestaat vandaag een jaar'));
    expect(birthday.map((x) => wall(x.at))).toEqual(['Tue 2027-03-02 09:00']);
  });
});
