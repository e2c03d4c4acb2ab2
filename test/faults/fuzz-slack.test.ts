/**
 * Fault suite: fuzzing what Slack sends, through the real Bolt app on the shared HTTP server, every
 * request signed correctly so it reaches the parsers: random command text in a live network,
 * slash-command forms with odd fields, interactions and Events API callbacks (random JSON and
 * mutated recorded payloads, with ids pointed at the fake workspace so they get past the
 * installation check), bodies up to 1 MiB. Never a 5xx, never a crash (the app still answers
 * `help` at the end, and vitest fails on any unhandled rejection), never a stack trace or internal
 * error text in anything a person sees.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../adapters/slack/signature.js';
import { nl } from '../../src/messages/catalog/nl.js';
import { RECORDED_DIR, recorded } from '../support/fixtures.js';
import { nowSeconds, post, signedCommand, signedEvent, signedInteraction } from '../support/slack-signing.js';
import { bootSlackStack, SIGNING_SECRET, type SlackStack, slackText } from '../support/slack-stack.js';
import { anyJson, commandText, leaksIn, mutated, stringsOf } from './support/fuzz.js';

type Obj = Record<string, unknown>;

const NET = 'CFUZZ';
const PEOPLE = ['UANNA', 'UHENK', 'UFATIMA'];

/** The recorded Slack payloads, by kind. */
function recordedPayloads(): { command: Obj[]; interaction: Obj[]; event: Obj[] } {
  const out = { command: [] as Obj[], interaction: [] as Obj[], event: [] as Obj[] };
  for (const file of readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.json') && f.includes('slack'))) {
    for (const value of Object.values(recorded<Record<string, unknown>>(file))) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
      const body = value as Obj;
      if (typeof body.command === 'string') out.command.push(body);
      else if (body.type === 'event_callback') out.event.push(body);
      else if (typeof body.type === 'string' && /block_actions|view_submission|view_closed/.test(body.type))
        out.interaction.push(body);
    }
  }
  return out;
}

describe('Slack payloads under fuzzing', () => {
  let s: SlackStack;
  const shown = new Map<string, string>();
  const payloads = recordedPayloads();

  /** Points a recorded payload's workspace, person, channel and response_url at the fake. */
  function localise(value: unknown): unknown {
    const walk = (v: unknown, key?: string): unknown => {
      if (Array.isArray(v)) return v.map((x) => walk(x));
      if (v && typeof v === 'object') {
        const o: Obj = {};
        for (const [k, x] of Object.entries(v as Obj)) {
          if ((k === 'team' || k === 'user' || k === 'channel') && x && typeof x === 'object' && !Array.isArray(x)) {
            const id = k === 'team' ? s.team.id : k === 'user' ? 'UHENK' : NET;
            o[k] = { ...(walk(x) as Obj), id };
          } else o[k] = walk(x, k);
        }
        return o;
      }
      if (typeof v !== 'string') return v;
      if (key === 'team_id') return s.team.id;
      if (key === 'user_id') return 'UHENK';
      if (key === 'channel_id') return NET;
      if (key === 'response_url') return s.fake.newResponseUrl({ teamId: s.team.id, channelId: NET, userId: 'UHENK' });
      if (key === 'trigger_id') return s.fake.newTrigger('UHENK');
      return v;
    };
    return walk(value);
  }

  /** Everything Klik showed people since the last call (response_url posts, messages, views). */
  function newlyShown(): string[] {
    const texts: string[] = [];
    const add = (key: string, text: string) => {
      if (shown.has(key)) return;
      shown.set(key, text);
      texts.push(text);
    };
    for (const [key, target] of s.fake.responseTargets)
      target.posts.forEach((p, i) => {
        add(`r:${key}:${i}`, stringsOf(p).join('\n'));
      });
    for (const m of s.fake.messages) add(`m:${m.ts}:${m.text}`, `${slackText(m)}\n${stringsOf(m.blocks).join('\n')}`);
    for (const [id, modal] of s.fake.modals)
      add(`v:${id}:${JSON.stringify(modal.view).length}`, stringsOf(modal.view).join('\n'));
    for (const [user, home] of s.fake.homes)
      add(`h:${user}:${JSON.stringify(home).length}`, stringsOf(home).join('\n'));
    return texts;
  }

  const expectClean = (status: number, body: string, input: string) => {
    expect(status).toBeLessThan(500);
    expect(leaksIn(body, input)).toEqual([]);
    for (const text of newlyShown()) expect(leaksIn(text, input)).toEqual([]);
  };

  beforeAll(async () => {
    s = await bootSlackStack({
      seed: (fake, team) => {
        for (const id of PEOPLE) {
          fake.addUser({
            id,
            teamId: team.id,
            name: id.slice(1).toLowerCase(),
            locale: 'nl-NL',
            tz: 'Europe/Amsterdam',
          });
        }
        fake.addChannel({ id: NET, teamId: team.id, name: 'fuzz', members: PEOPLE });
      },
    });
    await s.driver.command('UANNA', NET, 'start');
    const preview = s.fake.ephemerals('UANNA', NET).at(-1);
    if (!preview) throw new Error('no setup preview');
    await s.driver.click('UANNA', preview, 'setup.confirm');
    await s.deliver();
    newlyShown();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('random command text in a live network', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, fc.constantFrom(...PEOPLE), async (text, user) => {
        const r = await s.driver.command(user, NET, text);
        await s.deliver();
        expectClean(r.status, '', text);
      }),
      { numRuns: 60 },
    );
  }, 90_000);

  it('slash-command forms with missing, odd or extra fields', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('team_id', 'user_id', 'channel_id', 'text', 'command', 'channel_name', 'x', 'enterprise_id'),
          fc.oneof(fc.string({ maxLength: 30 }), fc.constant('')),
        ),
        fc.subarray(['team_id', 'user_id', 'channel_id', 'text', 'response_url', 'trigger_id', 'command']),
        async (changes, removed) => {
          const fields: Record<string, string> = { ...s.driver.commandFields('UHENK', NET, 'help'), ...changes };
          for (const k of removed) delete fields[k];
          const res = await post(s.eventsUrl, signedCommand(fields, { signingSecret: SIGNING_SECRET }));
          await s.idle();
          expectClean(res.status, res.body, JSON.stringify(changes));
        },
      ),
      { numRuns: 60 },
    );
  }, 90_000);

  it('interactions: mutated recorded clicks and forms, random JSON, payloads that are not JSON', async () => {
    const recordedInteraction = fc.constantFrom(...payloads.interaction).chain((p) => mutated(localise(p)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(recordedInteraction, anyJson, fc.string({ maxLength: 200 })), async (payload) => {
        const request =
          typeof payload === 'string'
            ? signedForm(`payload=${encodeURIComponent(payload)}`)
            : signedInteraction(payload, { signingSecret: SIGNING_SECRET });
        const res = await post(s.eventsUrl, request);
        await s.idle();
        expectClean(res.status, res.body, JSON.stringify(payload));
      }),
      { numRuns: 60 },
    );
  }, 90_000);

  it('events: mutated recorded callbacks and random JSON', async () => {
    const recordedEvent = fc.constantFrom(...payloads.event).chain((p) => mutated(localise(p)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(recordedEvent, recordedEvent, anyJson), async (payload) => {
        const res = await post(s.eventsUrl, signedEvent(payload, { signingSecret: SIGNING_SECRET }));
        await s.idle();
        expectClean(res.status, res.body, JSON.stringify(payload));
      }),
      { numRuns: 60 },
    );
  }, 90_000);

  it('bodies up to 1 MiB are handled; larger ones refused with 413, never read further', async () => {
    const big = (n: number) => ({
      ...(localise(payloads.event.find((e) => (e.event as Obj)?.type === 'app_mention') ?? payloads.event[0]) as Obj),
      event_id: `Ev${n}`,
    });
    for (const size of [64 * 1024, 512 * 1024, 1_000_000]) {
      const payload = big(size) as Obj;
      payload.event = { ...(payload.event as Obj), text: `<@${s.team.botUserId}> tip ${'lang '.repeat(size / 5)}` };
      const request = signedEvent(payload, { signingSecret: SIGNING_SECRET });
      expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(1024 * 1024);
      const res = await post(s.eventsUrl, request);
      await s.idle();
      expectClean(res.status, res.body, '');
    }
    const tooBig = signedEvent(
      { type: 'event_callback', pad: 'x'.repeat(1024 * 1024) },
      { signingSecret: SIGNING_SECRET },
    );
    expect((await post(s.eventsUrl, tooBig)).status).toBe(413);
    const fields = s.driver.commandFields('UHENK', NET, `tip ${'x'.repeat(1024 * 1024)}`);
    expect((await post(s.eventsUrl, signedCommand(fields, { signingSecret: SIGNING_SECRET }))).status).toBe(413);
  }, 90_000);

  it('Slack’s own odd requests still pass: the SSL check, a URL verification', async () => {
    expect((await post(s.eventsUrl, signedForm('ssl_check=1&token=x'))).status).toBe(200);
    const challenge = await post(
      s.eventsUrl,
      signedEvent({ type: 'url_verification', challenge: 'c-123', token: 'x' }, { signingSecret: SIGNING_SECRET }),
    );
    expect(challenge.status).toBe(200);
    expect(challenge.body).toContain('c-123');
  });

  it('still answers afterwards', async () => {
    const r = await s.driver.command('UFATIMA', NET, 'help');
    expect(r.status).toBe(200);
    const answer = s.driver.lastResponse(r.responseUrl);
    expect(answer && slackText(answer)).toContain(nl['help.title']);
  });
});

/** A form body signed as Slack signs it, whatever it holds. */
function signedForm(body: string) {
  const ts = String(nowSeconds());
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body),
    },
  };
}
