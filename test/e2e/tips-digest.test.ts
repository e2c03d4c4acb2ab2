/**
 * The weekly tip digest through the scheduler with a fake clock: on the `digest` day, the week's
 * new tips and the most upvoted go to the channel once; a week without new tips sends nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.js';
import { digestJob } from '../../src/core/schedule/jobs.js';
import { digestHandler } from '../../src/scheduler/digest-handler.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-digest';
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL' },
];
describe('weekly tip digest', () => {
  let s: LocalStack;
  let scheduler: Scheduler;
  const digests = () =>
    s.workspace
      .listMessages(CHANNEL)
      .map((m) => textOf(m.message))
      .filter((t) => t.includes('Tips van de week'));

  async function runDue(): Promise<string> {
    const due = await scheduler.nextDueAt(s.clock.now());
    if (!due) throw new Error('nothing due');
    s.clock.set(due);
    await scheduler.tick();
    await scheduler.tick();
    await s.deliver();
    return due.toISOString();
  }

  beforeEach(async () => {
    // Tuesday 3 March 2026, 10:00 Amsterdam.
    s = await bootLocalStack({
      start: '2026-03-03T09:00:00Z',
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'digest', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
      },
    });
    await s.adapter.command('U-anna', CHANNEL, 'start');
    const preview = s.workspace.listEphemerals('U-anna', CHANNEL).at(-1)!;
    const confirm = buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm')!;
    await s.adapter.click('U-anna', preview.id, confirm.actionId, confirm.value);
    await s.adapter.command('U-anna', CHANNEL, 'instellingen digest fri');
    await s.adapter.command('U-anna', CHANNEL, 'instellingen post-new-tips off');
    await s.deliver();
    scheduler = new Scheduler({
      store: s.store,
      clock: s.clock,
      logger: silentLogger,
      workerId: 'test',
      jobs: [digestJob],
      handlers: new Map([['digest', digestHandler(silentLogger)]]),
    });
  });

  afterEach(async () => {
    await s.close();
  });

  it('skipped when nothing is new; then the week’s tips and the most upvoted, once, on Friday', async () => {
    // Friday 6 March, 09:00 Amsterdam: no tips yet, nothing is sent.
    expect(await runDue()).toBe('2026-03-06T08:00:00.000Z');
    expect(digests()).toEqual([]);

    s.clock.set('2026-03-09T10:00:00Z');
    await s.adapter.command('U-henk', CHANNEL, 'tip Begin de bijeenkomst met een rondje #start');
    expect(await runDue()).toBe('2026-03-13T08:00:00.000Z');
    expect(digests()).toHaveLength(1);
    expect(digests()[0]).toContain('Begin de bijeenkomst met een rondje');
    expect(digests()[0]).toContain('1 nieuwe tip deze week');
    await scheduler.tick();
    await s.deliver();
    expect(digests()).toHaveLength(1);

    s.clock.set('2026-03-16T10:00:00Z');
    await s.adapter.command('U-anna', CHANNEL, 'tip Sluit af met één ding dat je morgen anders doet');
    await s.adapter.command('U-henk', CHANNEL, 'tips sluit');
    const list = s.workspace.listEphemerals('U-henk', CHANNEL).at(-1)!;
    const upvote = buttonsOf(list.message).find((b) => b.actionId === 'tip.upvote')!;
    await s.adapter.click('U-henk', list.id, upvote.actionId, upvote.value);
    expect(await runDue()).toBe('2026-03-20T08:00:00.000Z');
    expect(digests()).toHaveLength(2);
    const second = digests()[1]!;
    const [fresh, top] = second.split('Meeste duimen');
    expect(fresh).toContain('Sluit af met één ding');
    expect(fresh).not.toContain('Begin de bijeenkomst');
    expect(top).toContain('Sluit af met één ding');
  });

  it('a network with the digest off gets no slots', async () => {
    await s.adapter.command('U-anna', CHANNEL, 'instellingen digest off');
    await s.adapter.command('U-henk', CHANNEL, 'tip Iets nieuws');
    expect(await scheduler.nextDueAt(s.clock.now())).toBeNull();
  });
});
