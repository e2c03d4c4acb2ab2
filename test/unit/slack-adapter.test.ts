/** The Slack adapter's small pure parts: signatures, per-person ordering, pacing, error codes. */
import { describe, expect, it } from 'vitest';
import { platformErrorFromCode, toPlatformError } from '../../adapters/slack/errors.js';
import { unwrapFormState, wrapFormState } from '../../adapters/slack/form-state.js';
import { ChannelPacer } from '../../adapters/slack/pacer.js';
import { normaliseMentions, textAfterMention } from '../../adapters/slack/payloads.js';
import { checkSlackSignature, slackSignature } from '../../adapters/slack/signature.js';
import { toPlatformUser } from '../../adapters/slack/users.js';
import { WorkQueue } from '../../adapters/slack/work-queue.js';
import { PlatformError } from '../../src/core/errors.js';
import { FakeClock } from '../support/clock.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('Slack signatures', () => {
  const secret = 'shh';
  const body = 'token=x&text=help';
  const at = 1_772_000_000;
  const check = (ts: number, now: number, sig = slackSignature(secret, ts, body)) =>
    checkSlackSignature(secret, { signature: sig, timestamp: String(ts) }, body, now);

  it('accepts Slack’s signature up to five minutes off, either way', () => {
    expect(check(at, at)).toBeNull();
    expect(check(at, at + 300)).toBeNull();
    expect(check(at, at - 300)).toBeNull();
    expect(check(at, at + 301)).toBe('stale');
    expect(check(at, at - 301)).toBe('stale');
  });

  it('refuses a wrong, truncated or missing signature and a malformed timestamp', () => {
    expect(check(at, at, slackSignature('other', at, body))).toBe('bad_signature');
    expect(check(at, at, slackSignature(secret, at, body).slice(0, -2))).toBe('bad_signature');
    expect(checkSlackSignature(secret, { timestamp: String(at) }, body, at)).toBe('missing_headers');
    expect(checkSlackSignature(secret, { signature: 'v0=ab', timestamp: '12a' }, body, at)).toBe('bad_timestamp');
  });
});

describe('WorkQueue', () => {
  it('applies one person’s clicks in the order they were made: yes, no, yes ends on yes', async () => {
    const queue = new WorkQueue(() => {});
    const writes: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    ['yes', 'no', 'yes'].forEach((answer, i) => {
      void queue.run('T1:U1', async () => {
        await gates[i]?.promise;
        writes.push(answer);
      });
    });
    // The later clicks are ready first; they still wait their turn.
    gates[2]?.resolve();
    gates[1]?.resolve();
    gates[0]?.resolve();
    await queue.idle();
    expect(writes).toEqual(['yes', 'no', 'yes']);
  });

  it('does not hold up other people, and survives a failing job', async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue((err) => errors.push(err));
    const slow = deferred();
    const order: string[] = [];
    void queue.run('T1:U1', async () => {
      await slow.promise;
      order.push('u1');
    });
    void queue.run('T1:U1', async () => {
      throw new Error('boom');
    });
    await queue.run('T1:U2', async () => {
      order.push('u2');
    });
    expect(order).toEqual(['u2']);
    slow.resolve();
    await queue.idle();
    expect(order).toEqual(['u2', 'u1']);
    expect(errors).toHaveLength(1);
  });

  it('runs at most `concurrency` jobs at once; the others start in arrival order as slots free up', async () => {
    const queue = new WorkQueue(() => {}, 2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    gates.forEach((gate, i) => {
      void queue.run(`T1:U${i}`, async () => {
        started.push(i);
        await gate.promise;
      });
    });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(queue.queued).toBe(2);
    gates[1]?.resolve();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();
    await queue.idle();
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('never starts a job in the turn that handed it in, and a failing job frees its slot', async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue((err) => errors.push(err), 1);
    let ran = false;
    void queue.run(null, async () => {
      throw new Error('boom');
    });
    const done = queue.run(null, async () => {
      ran = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(ran).toBe(false);
    await done;
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('idle waits for tracked work too', async () => {
    const queue = new WorkQueue(() => {});
    const gate = deferred();
    let settled = false;
    queue.track(gate.promise.then(() => Promise.reject(new Error('a failed delivery'))));
    const idle = queue.idle().then(() => {
      settled = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    gate.resolve();
    await idle;
    expect(settled).toBe(true);
  });
});

describe('ChannelPacer', () => {
  it('lets one post a second through per channel and says how long the next must wait', () => {
    const clock = new FakeClock('2026-03-03T09:00:00Z');
    const pacer = new ChannelPacer(clock, 1_000);
    pacer.take('i:C1');
    pacer.take('i:C2');
    clock.advance(400);
    let err: unknown;
    try {
      pacer.take('i:C1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 600 });
    clock.advance(600);
    expect(() => pacer.take('i:C1')).not.toThrow();
  });
});

describe('Slack error codes', () => {
  it('maps Slack’s error strings to the outbox’s codes', () => {
    expect(platformErrorFromCode('ratelimited').code).toBe('rate_limited');
    expect(platformErrorFromCode('not_in_channel').code).toBe('not_in_channel');
    expect(platformErrorFromCode('channel_not_found').code).toBe('channel_not_found');
    expect(platformErrorFromCode('users_not_found').code).toBe('user_not_found');
    expect(platformErrorFromCode('account_inactive').code).toBe('invalid_auth');
    expect(platformErrorFromCode('service_unavailable').code).toBe('transient');
    expect(platformErrorFromCode('<html>oops</html>').code).toBe('transient');
    expect(platformErrorFromCode('invalid_blocks').code).toBe('permanent');
  });

  it('leaves errors of Klik’s own code alone', () => {
    const own = new TypeError('bug');
    expect(toPlatformError(own)).toBe(own);
  });
});

describe('Slack text and users', () => {
  it('normalises escaped mentions and Slack’s entities', () => {
    expect(normaliseMentions('coordinator add <@U123|anna> &amp; <#C1|x>')).toBe('coordinator add <@U123> & <#C1|x>');
    expect(textAfterMention('<@UBOT> help', 'UBOT')).toBe('help');
    expect(textAfterMention('<@UOTHER> help', 'UBOT')).toBe('<@UOTHER> help');
    expect(textAfterMention('<@UOTHER> help', 'UBOT', true)).toBe('help');
  });

  it('keeps the channel of a form beside the core’s state, within Slack’s 3,000 characters', () => {
    expect(unwrapFormState(wrapFormState('net-1', 'C1'))).toEqual({ state: 'net-1', channelId: 'C1' });
    expect(unwrapFormState('{"c":"other app"}')).toEqual({ state: '{"c":"other app"}' });
    const long = 'x'.repeat(2_990);
    expect(unwrapFormState(wrapFormState(long, 'C1'))).toEqual({ state: long });
  });

  it('names people by display name, real name, then handle; guests and strangers are members', () => {
    expect(
      toPlatformUser({ id: 'U1', name: 'h', real_name: 'Real', profile: { display_name: 'Disp' } }, 'U1'),
    ).toMatchObject({ displayName: 'Disp', isBot: false, isAdmin: false });
    expect(
      toPlatformUser({ id: 'U1', name: 'h', real_name: 'Real', profile: { display_name: '' } }, 'U1').displayName,
    ).toBe('Real');
    expect(toPlatformUser({ id: 'U1', name: 'h' }, 'U1').displayName).toBe('h');
    expect(toPlatformUser({ id: 'U1', is_ultra_restricted: true, is_stranger: true }, 'U1')).toMatchObject({
      isBot: false,
      isDeleted: false,
    });
    expect(toPlatformUser({ id: 'U1', is_owner: true }, 'U1').isAdmin).toBe(true);
    expect(toPlatformUser({ id: 'USLACKBOT' }, 'USLACKBOT').isBot).toBe(true);
  });
});
