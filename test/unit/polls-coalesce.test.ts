/**
 * Coalesced poll updates on every test backend: votes within one second share one live outbox row,
 * rendered when it is sent; a row a dispatcher already claimed is left alone and the next second's
 * row is written instead; 200 concurrent votes lose none and the one update shows the final state.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { outboxQueue } from '../../db/repositories/outbox-queue.js';
import { POLL_VOTE } from '../../src/core/polls/ids.js';
import type { OutboxTarget } from '../../src/core/ports.js';
import type { Message } from '../../src/messages/model.js';
import { backends } from '../support/db.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

// Real databases and HTTP under a busy machine: generous limits (speed is measured in `npm run bench votes`).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const CHANNEL = 'C-coalesce';
const PEOPLE = Array.from({ length: 200 }, (_, i) => ({
  id: `U-${String(i).padStart(3, '0')}`,
  displayName: `Lid ${i}`,
  locale: 'nl-NL',
}));
const CODES = ['y', 'm', 'n'] as const;

interface Row {
  key: string;
  status: string;
  message: Message;
  target: OutboxTarget;
  next: string;
}

describe.each(backends())('coalesced poll updates (%s)', (backend) => {
  let s: LocalStack;

  const updateRows = async (): Promise<Row[]> => {
    const result = await s.database.db.execute(
      sql.raw(
        "select idempotency_key as key, status, message, target, next_attempt_at as next from outbox where idempotency_key like 'poll:%:u:%' order by idempotency_key",
      ),
    );
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    return (result as unknown as { rows: Row[] }).rows.map((r) => ({
      ...r,
      message: json(r.message),
      target: json(r.target),
    }));
  };
  const count = async (query: string) =>
    Number(
      ((await s.database.db.execute(sql.raw(query))) as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0,
    );
  const post = () => {
    const found = s.workspace
      .listMessages(CHANNEL)
      .find((m) => buttonsOf(m.message).some((b) => b.actionId === POLL_VOTE));
    if (!found) throw new Error('no poll posted');
    return found;
  };
  const vote = (userId: string, option: number, code: string) => {
    const p = post();
    const b = buttonsOf(p.message).find((x) => x.actionId === POLL_VOTE && x.value.endsWith(`:${option}:${code}`));
    if (!b) throw new Error('no button');
    return s.adapter.click(userId, p.id, b.actionId, b.value);
  };

  /** A network of `people` members (setup confirmed, welcomes sent) with one poll posted. */
  async function boot(people: number): Promise<void> {
    const members = PEOPLE.slice(0, people);
    s = await bootLocalStack({
      backend,
      start: '2026-03-03T09:00:00.200Z',
      seed: (ws) => {
        for (const p of members) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'c', memberIds: members.map((p) => p.id), botInChannel: true });
      },
    });
    await s.adapter.command(PEOPLE[0]!.id, CHANNEL, 'start');
    const preview = s.workspace.listEphemerals(PEOPLE[0]!.id, CHANNEL).at(-1)!;
    const confirm = buttonsOf(preview.message).find((b) => b.actionId === 'setup.confirm')!;
    await s.adapter.click(PEOPLE[0]!.id, preview.id, confirm.actionId, confirm.value);
    await s.adapter.command(PEOPLE[1]!.id, CHANNEL, 'poll "Overleg" 16 maart 17 maart');
    await s.deliver();
    post();
  }

  afterEach(async () => {
    await s?.close();
  });

  it('one row per second, replaced while pending; a claimed row is left and the next second gets one', async () => {
    await boot(6);
    await vote('U-002', 0, 'y');
    await vote('U-003', 0, 'n');
    let rows = await updateRows();
    expect(rows).toHaveLength(1);
    expect(new Date(rows[0]!.next).toISOString()).toBe('2026-03-03T09:00:01.000Z');
    // A live update: rendered when it is sent, so the row holds no tallies that could go stale.
    expect(rows[0]!.target).toMatchObject({ kind: 'update', live: { kind: 'poll' } });
    expect(textOf(rows[0]!.message)).not.toContain('✅');

    // A dispatcher claims the row (sending) but has not sent it yet; a vote in the same second.
    s.clock.set('2026-03-03T09:00:01.000Z');
    const claimed = await outboxQueue(s.database.db, s.clock).claim('other-worker', 10, 60_000);
    expect(claimed.map((c) => c.key)).toEqual([rows[0]!.key]);
    s.clock.set('2026-03-03T09:00:00.900Z');
    await vote('U-004', 1, 'm');
    rows = await updateRows();
    expect(rows.map((r) => r.status)).toEqual(['sending', 'pending']);
    // The claimed row may have been rendered before this vote: the next second's row shows it.
    expect(new Date(rows[1]!.next).toISOString()).toBe('2026-03-03T09:00:02.000Z');
    s.clock.set('2026-03-03T09:00:02.000Z');
    await s.deliver();
    const shown = textOf(s.workspace.findMessage(post().id)!.message);
    expect(shown).toContain('✅ 1 · 🤔 0 · ❌ 1');
    expect(shown).toContain('✅ 0 · 🤔 1 · ❌ 0');
    expect((await updateRows()).map((r) => r.status)).toEqual(['sending', 'sent']);
  }, 120_000);

  it('200 concurrent votes: none lost, one update queued, showing the final state', async () => {
    await boot(200);
    await Promise.all(PEOPLE.map((p, i) => vote(p.id, i % 2, CODES[i % 3]!)));
    expect(await count('select count(*)::int as n from poll_votes')).toBe(200);
    expect(await count('select version as n from polls')).toBe(200);
    const rows = await updateRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.target).toMatchObject({ kind: 'update', live: { kind: 'poll' } });
    s.clock.advance(1_000);
    await s.deliver();
    const text = textOf(s.workspace.findMessage(post().id)!.message);
    for (const o of [0, 1]) {
      const n = (c: string) => PEOPLE.filter((_, i) => i % 2 === o && CODES[i % 3] === c).length;
      expect(text).toContain(`✅ ${n('y')} · 🤔 ${n('m')} · ❌ ${n('n')}`);
    }
    expect(text).toContain('Iedereen heeft gestemd (200)');
    expect((await updateRows()).map((r) => r.status)).toEqual(['sent']);
  }, 240_000);
});
