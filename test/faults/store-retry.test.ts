/**
 * Fault suite: the bound on waiting for the database (adapters/slack/store-retry.ts). Work that
 * meets an outage runs again once a ping answers; after the budget the core's short error is
 * shown (no endless wait); failures that are not about the database are never retried.
 */
import { describe, expect, it } from 'vitest';
import { StoreRetry } from '../../adapters/slack/store-retry.js';
import { isConnectionFailure } from '../../db/unavailable.js';
import { StoreUnavailableError } from '../../src/core/errors.js';
import type { Reply } from '../../src/core/inputs.js';
import { silentLogger } from '../../src/core/ports.js';
import { msg } from '../../src/messages/model.js';
import { ManualTimers } from './support/manual-timers.js';

const unavailable: Reply = { kind: 'message', message: msg('Sorry'), unavailable: true };
const saved: Reply = { kind: 'message', message: msg('Bewaard') };

/** Moves the timers on until `done` settles (each step lets pings and calls run). */
async function drive(timers: ManualTimers, done: Promise<unknown>, stepMs: number): Promise<void> {
  let settled = false;
  void done.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 10_000 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    timers.advance(stepMs);
  }
}

describe('waiting for the database, within a bound', () => {
  it('calls again once the database answers, and returns that answer', async () => {
    const timers = new ManualTimers();
    let up = false;
    let calls = 0;
    const retry = new StoreRetry(
      async () => {
        if (!up) throw new Error('Connection terminated unexpectedly');
      },
      silentLogger,
      { sleep: timers.sleep, now: timers.now, budgetMs: 60_000 },
    );
    const result = retry.reply(async () => {
      calls += 1;
      return up ? saved : unavailable;
    });
    await drive(
      timers,
      timers.waitFor(() => timers.now() >= 20_000),
      1_000,
    );
    expect(calls).toBe(1);
    up = true;
    await drive(timers, result, 1_000);
    expect(await result).toBe(saved);
    expect(calls).toBe(2);
  });

  it('gives up after the budget: the person gets the short error, not an endless wait', async () => {
    const timers = new ManualTimers();
    const retry = new StoreRetry(
      async () => {
        throw new Error('connect ECONNREFUSED');
      },
      silentLogger,
      { sleep: timers.sleep, now: timers.now, budgetMs: 120_000 },
    );
    const result = retry.reply(async () => unavailable);
    await drive(timers, result, 5_000);
    expect(await result).toBe(unavailable);
    expect(timers.now()).toBeGreaterThanOrEqual(120_000);
    expect(timers.now()).toBeLessThan(140_000);
  });

  it('reruns work that threw a connection failure; any other failure is thrown at once', async () => {
    const timers = new ManualTimers();
    const retry = new StoreRetry(async () => {}, silentLogger, { sleep: timers.sleep, now: timers.now });
    let runs = 0;
    const work = retry.run(async () => {
      runs += 1;
      if (runs < 3) throw new StoreUnavailableError();
    });
    await drive(timers, work, 1_000);
    await work;
    expect(runs).toBe(3);
    await expect(retry.run(async () => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });

  it('tells connection failures from other database errors', () => {
    expect(isConnectionFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isConnectionFailure(Object.assign(new Error('q'), { cause: Object.assign(new Error('y'), { code: '57P01' }) })),
    ).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionFailure(new TypeError('cannot read properties'))).toBe(false);
  });
});
