/** The per-workspace pacing of Slack's conversations.open (adapters/slack/open-pacer.ts), on a fake clock. */

import { describe, expect, it } from 'vitest';
import { OpenPacer } from '../../adapters/slack/open-pacer.js';
import { FakeClock } from '../support/clock.js';
import { refusal } from '../support/refusal.js';

/** A sleep that never waits: it records the wait and resolves when the test lets it. */
function fakeSleep() {
  const waits: Array<{ ms: number; wake: () => void }> = [];
  const sleep = (ms: number) => new Promise<void>((wake) => waits.push({ ms, wake }));
  return { sleep, waits };
}

/** Resolves true once `promise` settled, false while it is still pending. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe('OpenPacer (conversations.open per workspace)', () => {
  const start = '2026-03-03T09:00:00.000Z';

  it('lets a burst of 50 through at once, with Slack’s defaults', async () => {
    const clock = new FakeClock(start);
    const { sleep, waits } = fakeSleep();
    const pacer = new OpenPacer(clock, { sleep });
    for (let i = 0; i < 50; i++) await pacer.take('I1');
    expect(waits).toEqual([]);
  });

  it('makes the 51st wait until the first leaves the window (2% longer than Slack’s), when that is soon', async () => {
    const clock = new FakeClock(start);
    const { sleep, waits } = fakeSleep();
    const pacer = new OpenPacer(clock, { windowMs: 1_000, sleep });
    for (let i = 0; i < 50; i++) {
      await pacer.take('I1');
      clock.advance(10);
    }
    // 500 ms after the first call; it leaves the 1,020 ms window 520 ms from now.
    const call = pacer.take('I1');
    expect(waits.map((w) => w.ms)).toEqual([520]);
    expect(await settled(call)).toBe(false);
    clock.advance(520);
    waits[0]?.wake();
    await call;
  });

  it('refuses as rate_limited for new conversations, with the wait, when the slot is more than 2 s away', async () => {
    const clock = new FakeClock(start);
    const { sleep, waits } = fakeSleep();
    const pacer = new OpenPacer(clock, { sleep });
    for (let i = 0; i < 50; i++) await pacer.take('I1');
    clock.advance(1_000);
    const err = await refusal(pacer.take('I1'));
    expect(err).toMatchObject({ code: 'rate_limited', scope: 'new-conversations', retryAfterMs: 60_200 });
    expect(waits).toEqual([]);
    // A refused call takes no slot: once the window has moved on, the next goes at once.
    clock.advance(60_200);
    await pacer.take('I1');
    expect(waits).toEqual([]);
  });

  it('waits up to 2 s and no longer, whatever the window', async () => {
    const clock = new FakeClock(start);
    const { sleep, waits } = fakeSleep();
    const pacer = new OpenPacer(clock, { windowMs: 60_000, sleep });
    for (let i = 0; i < 50; i++) await pacer.take('I1');
    clock.advance(59_199); // slot in 2,001 ms
    expect((await refusal(pacer.take('I1'))).retryAfterMs).toBe(2_001);
    clock.advance(1); // slot in 2,000 ms
    void pacer.take('I1');
    expect(waits.map((w) => w.ms)).toEqual([2_000]);
  });

  it('queues callers that come together: each takes its own slot, in order, not all at once', async () => {
    const clock = new FakeClock(start);
    const { sleep, waits } = fakeSleep();
    const pacer = new OpenPacer(clock, { perWindow: 2, windowMs: 500, sleep });
    const calls = [0, 1, 2, 3, 4].map(() => pacer.take('I1'));
    // Two go now; the next two get the slots the first two free (window 510 ms), the fifth the one after.
    expect(await settled(Promise.all(calls.slice(0, 2)))).toBe(true);
    expect(waits.map((w) => w.ms)).toEqual([510, 510, 1_020]);
    clock.advance(510);
    waits[0]?.wake();
    waits[1]?.wake();
    expect(await settled(Promise.all(calls.slice(2, 4)))).toBe(true);
    expect(await settled(calls[4] as Promise<void>)).toBe(false);
    // A caller coming now queues behind the fifth.
    void pacer.take('I1');
    expect(waits[3]?.ms).toBe(510);
    // Past the longest wait, a caller at the back of the queue is refused with the wait it would have had.
    const short = new OpenPacer(clock, { perWindow: 2, windowMs: 500, maxWaitMs: 600, sleep });
    for (let i = 0; i < 4; i++) void short.take('I2');
    expect((await refusal(short.take('I2'))).retryAfterMs).toBe(1_020);
  });

  it('slides: a slot frees as each earlier call leaves the window, not a whole window at a time', async () => {
    const clock = new FakeClock(start);
    const { sleep, waits } = fakeSleep();
    const pacer = new OpenPacer(clock, { perWindow: 3, windowMs: 1_000, margin: 0, sleep });
    await pacer.take('I1'); // t=0
    clock.advance(300);
    await pacer.take('I1'); // t=300
    clock.advance(300);
    await pacer.take('I1'); // t=600
    clock.advance(400); // t=1000: the first has left the window
    await pacer.take('I1');
    expect(waits).toEqual([]);
    clock.advance(100); // t=1100: the second leaves at 1300
    void pacer.take('I1');
    expect(waits.map((w) => w.ms)).toEqual([200]);
  });

  it('paces each workspace on its own', async () => {
    const clock = new FakeClock(start);
    const { sleep, waits } = fakeSleep();
    const pacer = new OpenPacer(clock, { perWindow: 1, windowMs: 60_000, sleep });
    await pacer.take('I1');
    await pacer.take('I2');
    expect(waits).toEqual([]);
    expect((await refusal(pacer.take('I1'))).scope).toBe('new-conversations');
  });
});
