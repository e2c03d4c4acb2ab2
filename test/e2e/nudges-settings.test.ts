/**
 * Nudges as a coordinator steers them, through the local adapter with a fake clock: `settings` lists
 * the rhythm nudge; changing `rhythm` moves it, a new time zone moves it, `nudge rhythm off` stops it.
 * A coordinator leaving the channel is removed, and when none is left the longest-standing member is
 * asked to take over. The quiet-member DM's one-click pause.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinators, jobClaims, meetings, outbox, polls } from '../../db/schema.js';
import type { Reply } from '../../src/core/inputs.js';
import { quietMessage } from '../../src/core/nudges/quiet-member.js';
import { silentLogger } from '../../src/core/ports.js';
import { JOB_DEFINITIONS } from '../../src/core/schedule/jobs.js';
import { nudgeHandlers, nudgeSweeps } from '../../src/scheduler/nudges-handler.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-plan';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
  { id: 'U-fatima', displayName: 'Fatima El Amrani', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
  { id: 'U-joost', displayName: 'Joost Smit', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
];
const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);
const RHYTHM_LABEL = 'Herinnering bijeenkomst';

describe('nudges a coordinator steers', () => {
  let s: LocalStack;
  let scheduler: Scheduler;
  let networkId: string;
  let installationId: string;

  const settings = async () => text(await s.adapter.command('U-anna', CHANNEL, 'instellingen'));
  const nextRhythm = async () =>
    (await settings())
      .split('\n')
      .find((l) => l.includes(RHYTHM_LABEL))
      ?.replace(/^• /, '')
      .replace(`: ${RHYTHM_LABEL}`, '');
  const set = async (kv: string) => text(await s.adapter.command('U-anna', CHANNEL, `instellingen ${kv}`));
  const rhythmPosts = () =>
    s.workspace.listMessages(CHANNEL).filter((m) => textOf(m.message).includes('Zullen we de volgende plannen'));

  beforeAll(async () => {
    s = await bootLocalStack({
      start: '2026-03-02T09:30:00Z', // Mon 2 March 2026, 10:30 Amsterdam
      scheduledJobs: [...JOB_DEFINITIONS],
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'plan', memberIds: ['U-anna', 'U-henk', 'U-joost'], botInChannel: true });
      },
    });
    await s.adapter.command('U-anna', CHANNEL, 'start');
    const preview = s.workspace.listEphemerals('U-anna', CHANNEL).at(-1);
    const confirm = preview ? buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm') : undefined;
    if (!preview || !confirm) throw new Error('no setup preview');
    await s.adapter.click('U-anna', preview.id, confirm.actionId, confirm.value);
    await set('cadence off');
    await set('digest off');
    await s.deliver();
    installationId = await s.installationId();
    const network = await s.store.transaction((tx) => tx.networks.findByChannel(installationId, CHANNEL));
    if (!network) throw new Error('no network');
    networkId = network.id;
    scheduler = new Scheduler({
      store: s.store,
      clock: s.clock,
      logger: silentLogger,
      workerId: 'w',
      jobs: JOB_DEFINITIONS,
      handlers: new Map(nudgeHandlers(silentLogger, 'w')),
      sweeps: nudgeSweeps,
    });
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  it('settings lists the next rhythm nudge; changing rhythm moves it (a meeting on 16 April is within 6 weeks, not 4)', async () => {
    expect(await nextRhythm()).toBe('ma 9 mrt 09:00');
    await s.database.db.insert(meetings).values({
      installationId,
      networkId,
      title: 'Bezoek De Zonnehof',
      startsAt: new Date('2026-04-16T13:00:00Z'),
      uid: `${randomUUID()}@klik`,
    });
    // Rhythm 6: every Monday until the meeting has it within six weeks; the first after it asks.
    expect(await nextRhythm()).toBe('ma 20 apr 09:00');
    expect(await set('rhythm 4')).toContain('rhythm');
    expect(await nextRhythm()).toBe('ma 9 mrt 09:00');
  });

  it('the scheduler follows: rhythm 4 asks on Monday 9 March at 09:00 with the poll form button, once', async () => {
    const due = await scheduler.nextDueAt(s.clock.now());
    expect(due?.toISOString()).toBe('2026-03-09T08:00:00.000Z');
    s.clock.set(due as Date);
    await scheduler.tick();
    await scheduler.tick();
    await s.deliver();
    expect(rhythmPosts()).toHaveLength(1);
    const post = rhythmPosts()[0];
    expect(textOf(post?.message ?? { text: '', blocks: [] })).toContain('de komende 4 weken');
    expect(buttonsOf(post?.message ?? { text: '', blocks: [] }).map((b) => [b.actionId, b.value])).toEqual([
      ['poll.form.open', networkId],
    ]);
    // Anyone in the channel can click it: the poll form opens.
    const button = buttonsOf(post?.message ?? { text: '', blocks: [] })[0];
    if (!post || !button) throw new Error('no button');
    expect((await s.adapter.click('U-henk', post.id, button.actionId, button.value)).kind).toBe('form');
    expect(s.workspace.getOpenForm('U-henk')?.form.formId).toBeTruthy();
  });

  it('an open poll stops the rhythm nudge too; so does a meeting within a longer rhythm', async () => {
    s.clock.set('2026-03-10T10:00:00Z');
    const [poll] = await s.database.db
      .insert(polls)
      .values({ installationId, networkId, title: 'Volgende bijeenkomst', channelId: CHANNEL })
      .returning();
    expect(await nextRhythm()).toBeUndefined();
    await s.database.db.delete(polls).where(eq(polls.id, poll?.id ?? ''));
    expect(await nextRhythm()).toBe('ma 16 mrt 09:00');
    await set('rhythm 26');
    expect(await nextRhythm()).toBe('ma 20 apr 09:00');
  });

  it('a new time zone moves the next nudge to 09:00 there', async () => {
    await set('rhythm 4');
    expect((await scheduler.nextDueAt(s.clock.now()))?.toISOString()).toBe('2026-03-16T08:00:00.000Z');
    await set('timezone America/New_York');
    // 09:00 in New York (EDT since 8 March) is 13:00 UTC.
    expect((await scheduler.nextDueAt(s.clock.now()))?.toISOString()).toBe('2026-03-16T13:00:00.000Z');
    expect(await nextRhythm()).toBe('ma 16 mrt 09:00');
    await set('timezone Europe/Amsterdam');
  });

  it('nudge rhythm off stops it: not listed, not sent, the slot recorded as skipped', async () => {
    await set('nudge rhythm off');
    expect(await nextRhythm()).toBeUndefined();
    s.clock.set('2026-03-16T08:00:00Z');
    await scheduler.tick();
    await s.deliver();
    expect(rhythmPosts()).toHaveLength(1);
    const [claim] = await s.database.db
      .select()
      .from(jobClaims)
      .where(
        and(
          eq(jobClaims.networkId, networkId),
          eq(jobClaims.kind, 'rhythm'),
          eq(jobClaims.slot, '2026-03-16T08:00:00.000Z'),
        ),
      );
    expect(claim?.outcome).toBe('skipped');
    s.clock.set('2026-03-16T08:05:00Z');
    await set('nudge rhythm on');
    // Rhythm 4: from Monday 23 March the meeting of 16 April is within the window.
    expect(await nextRhythm()).toBe('ma 20 apr 09:00');
  });

  it('a coordinator leaving the channel is removed; the last one leaving makes Klik ask the longest-standing member, a week later the next', async () => {
    s.clock.set('2026-03-17T09:00:00Z');
    s.workspace.join(CHANNEL, 'U-fatima');
    await s.adapter.idle();
    s.clock.set('2026-03-18T09:00:00Z');
    expect(text(await s.adapter.command('U-anna', CHANNEL, 'coordinator toevoegen <@U-joost>'))).toContain('Joost');
    s.workspace.leave(CHANNEL, 'U-joost');
    await s.adapter.idle();
    await s.deliver();
    const coordinatorIds = async () =>
      (await s.database.db.select().from(coordinators).where(eq(coordinators.networkId, networkId))).length;
    expect(await coordinatorIds()).toBe(1);
    const asked = (user: string) =>
      s.workspace
        .listMessages(s.workspace.dmFor(user).id)
        .filter((m) => buttonsOf(m.message).some((b) => b.actionId === 'coordinator.takeOver'));
    expect(asked('U-henk')).toEqual([]);

    s.workspace.leave(CHANNEL, 'U-anna');
    await s.adapter.idle();
    await s.deliver();
    expect(await coordinatorIds()).toBe(0);
    // Henk has been a member since setup; Fatima joined later.
    expect(asked('U-fatima')).toEqual([]);
    const [ask] = asked('U-henk');
    expect(textOf(ask?.message ?? { text: '', blocks: [] })).toContain('Wil jij het overnemen?');
    const button = buttonsOf(ask?.message ?? { text: '', blocks: [] }).find(
      (b) => b.actionId === 'coordinator.takeOver',
    );
    if (!ask || !button) throw new Error('no take-over button');
    // A week without an answer: the next longest-standing member is asked, at the network's time.
    for (let i = 0; i < 10 && asked('U-fatima').length === 0; i++) {
      const next = await scheduler.nextDueAt(s.clock.now());
      if (!next || next > new Date('2026-03-28T00:00:00Z')) break;
      s.clock.set(next);
      await scheduler.tick();
      await s.deliver();
    }
    const [second] = asked('U-fatima');
    expect(second?.postedAt.toISOString()).toBe('2026-03-26T08:00:00.000Z');
    expect(asked('U-henk')).toHaveLength(1);
    expect(text(await s.adapter.click('U-henk', ask.id, button.actionId, button.value))).toContain(
      'Je bent nu coördinator',
    );
    await s.deliver();
    expect(await coordinatorIds()).toBe(1);
    expect(s.workspace.listMessages(CHANNEL).map((m) => textOf(m.message))).toContainEqual(
      expect.stringContaining('nieuwe coördinator van dit netwerk'),
    );
    // A second click changes nothing; Henk can now run settings.
    expect(text(await s.adapter.click('U-henk', ask.id, button.actionId, button.value))).toContain(
      'Je bent nu coördinator',
    );
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'instellingen'))).toContain('Volgende geplande berichten');
    // Fatima answers too late: someone already coordinates.
    expect(text(await s.adapter.click('U-fatima', second?.id ?? '', button.actionId, button.value))).toContain(
      'Iemand anders is al coördinator',
    );
    expect(await coordinatorIds()).toBe(1);
    // With a coordinator again, nobody else is asked.
    expect(await scheduler.nextDueAt(s.clock.now())).not.toBeNull();
    s.clock.set('2026-04-10T08:00:00Z');
    await scheduler.tick();
    await s.deliver();
    expect(asked('U-joost')).toEqual([]);
  });

  it('the quiet-member DM names the next meeting; its pause button pauses the member for a month', async () => {
    const network = await s.store.transaction((tx) => tx.networks.get(installationId, networkId));
    if (!network) throw new Error('no network');
    const message = quietMessage('nl', 'Europe/Amsterdam', 'Fatima', network, {
      title: 'Bezoek De Zonnehof',
      startsAt: new Date('2026-04-16T13:00:00Z'),
    });
    expect(textOf(message)).toContain('De volgende bijeenkomst: Bezoek De Zonnehof, do 16 apr 15:00');
    const pause = buttonsOf(message).find((b) => b.actionId === 'nudge.quiet.pause');
    if (!pause) throw new Error('no pause button');
    const posted = s.workspace.post(s.workspace.dmFor('U-fatima').id, message);
    expect(text(await s.adapter.click('U-fatima', posted.id, pause.actionId, pause.value))).toContain(
      'je hebt pauze tot 10 mei 2026',
    );
    const member = await s.store.transaction(async (tx) => tx.members.findByPlatformId(installationId, 'U-fatima'));
    const membership = await s.store.transaction((tx) =>
      tx.members.getMembership(installationId, networkId, member?.id ?? ''),
    );
    expect(membership?.status).toBe('paused');
  });

  it('pause network: what was queued for the pause is withdrawn, what comes after stays; the end is announced once', async () => {
    s.clock.set('2026-04-17T08:00:00Z'); // Friday 17 April, 10:00
    const queue = (key: string, notBefore: string) =>
      s.store.transaction((tx) =>
        tx.outbox.enqueue({
          installationId,
          networkId,
          key,
          target: { kind: 'channel', channelId: CHANNEL },
          message: { text: key, blocks: [] },
          notBefore: new Date(notBefore),
        }),
      );
    await queue('during-pause', '2026-04-22T09:00:00Z');
    await queue('after-pause', '2026-05-06T09:00:00Z');
    expect(text(await s.adapter.command('U-henk', CHANNEL, 'pauzeer netwerk 4-5-2026'))).toContain('4 mei 2026');
    const status = async (key: string) =>
      (await s.database.db.select().from(outbox).where(eq(outbox.idempotencyKey, key)))[0]?.status;
    expect(await status('during-pause')).toBe('withdrawn');
    expect(await status('after-pause')).toBe('pending');
    // Nothing goes out in the pause; on Monday 4 May at 09:00 the channel hears it is back, once.
    const before = s.workspace.listMessages(CHANNEL).length;
    for (let i = 0; i < 20; i++) {
      const next = await scheduler.nextDueAt(s.clock.now());
      if (!next || next > new Date('2026-05-04T12:00:00Z')) break;
      s.clock.set(next);
      await scheduler.tick();
      await s.deliver();
    }
    const after = s.workspace.listMessages(CHANNEL).slice(before);
    expect(after.every((m) => m.postedAt.toISOString() === '2026-05-04T07:00:00.000Z')).toBe(true);
    expect(after.filter((m) => textOf(m.message).includes('is terug van de pauze'))).toHaveLength(1);
  });
});
