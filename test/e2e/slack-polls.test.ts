/**
 * Date polls through the real Slack app (signed requests, the fake Web API): a poll with 3 options,
 * 50 members voting on every option at once while the outbox runs, every vote stored, the final
 * message with the right tallies, far fewer message updates than votes; changing a vote; bad input
 * answered and nothing stored; close by its creator only, votes refused after; finalize.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POLL_CLOSE, POLL_FINALIZE, POLL_VOTE } from '../../src/core/polls/ids.js';
import { backends } from '../support/db.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { bootSlackStack, type SlackStack, slackButtons, slackText } from '../support/slack-stack.js';

// Real databases and HTTP under a busy machine: generous limits (speed is measured in `npm run bench votes`).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const NET = 'CPOLLS';
const PEOPLE = Array.from({ length: 50 }, (_, i) => `UP${String(i).padStart(3, '0')}`);
const CREATOR = PEOPLE[1]!;
const COORD = PEOPLE[0]!;
const CODES = ['y', 'm', 'n'] as const;

/** What member i votes on option o (deterministic, every answer used). */
const choiceOf = (i: number, o: number) => CODES[(i * 7 + o * 3) % 3]!;

async function count(stack: SlackStack, query: string): Promise<number> {
  const result = await stack.database.db.execute(sql.raw(query));
  return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
}

describe.each(backends())('polls through Slack (%s)', (backend) => {
  let s: SlackStack;
  let poll: FakeMessage;
  const latest = (userId: string): FakeMessage => {
    const shown = s.fake.ephemerals(userId, NET).at(-1);
    if (!shown) throw new Error(`nothing shown to ${userId}`);
    return shown;
  };
  const say = async (userId: string, text: string): Promise<string> => {
    const before = s.fake.ephemerals(userId, NET).length;
    const r = await s.driver.command(userId, NET, text);
    expect(r.status).toBe(200);
    const all = s.fake.ephemerals(userId, NET);
    expect(all.length).toBeGreaterThan(before);
    return slackText(all.at(-1)!);
  };
  /** A click on the button carrying exactly this value. */
  const clickValue = async (userId: string, message: FakeMessage, actionId: string, value: string) => {
    const { payload } = s.driver.clickPayload(userId, message, actionId);
    const button = slackButtons(message.blocks).find((b) => b.actionId === actionId && b.value === value);
    if (!button) throw new Error(`no ${actionId} button with value ${value}`);
    const action = (payload.actions as Array<Record<string, unknown>>)[0]!;
    payload.actions = [
      { ...action, action_id: button.rawActionId, value, text: { type: 'plain_text', text: button.label } },
    ];
    const res = await s.driver.sendInteraction(payload);
    expect(res.status).toBe(200);
  };
  const pollId = () => slackButtons(poll.blocks).find((b) => b.actionId === POLL_CLOSE)!.value;
  const current = () => s.fake.findMessage(poll.ts)!;
  /** Runs the outbox after the coalescing window has passed. */
  const settle = async () => {
    s.clock.advance(1_100);
    await s.deliver();
  };

  beforeAll(async () => {
    s = await bootSlackStack({
      backend,
      seed: (fake, team) => {
        for (const id of PEOPLE)
          fake.addUser({ id, teamId: team.id, name: `lid${id.slice(2)}`, locale: 'nl-NL', tz: 'Europe/Amsterdam' });
        fake.addChannel({ id: NET, teamId: team.id, name: 'polls', members: PEOPLE });
      },
    });
    await s.driver.command(COORD, NET, 'start');
    await s.driver.click(COORD, latest(COORD), 'setup.confirm');
    await s.idle();
    await s.deliver();
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it('posts the poll: three options in network time, vote buttons per option', async () => {
    const before = s.fake.channelMessages(NET).length;
    const answer = await say(CREATOR, 'prikker "Bedrijfsbezoek Avoord" 2026-03-10 17-3-2026T14:00 24 maart');
    expect(answer).toContain('3 data staat in het kanaal');
    await settle();
    const posted = s.fake.channelMessages(NET).slice(before);
    expect(posted).toHaveLength(1);
    poll = posted[0]!;
    const text = slackText(poll);
    expect(text).toContain('Bedrijfsbezoek Avoord');
    expect(text).toContain('di 10 mrt');
    expect(text).toContain('di 17 mrt 14:00');
    expect(text).toContain('di 24 mrt');
    expect(text).toContain('Nog niet gestemd (50)');
    expect(slackButtons(poll.blocks).filter((b) => b.actionId === POLL_VOTE)).toHaveLength(9);
    const [row] = (
      (await s.database.db.execute(sql.raw("select starts_at from poll_options where time = '14:00'"))) as unknown as {
        rows: Array<{ starts_at: unknown }>;
      }
    ).rows;
    expect(new Date(String(row?.starts_at)).toISOString()).toBe('2026-03-17T13:00:00.000Z');
  });

  it('50 members vote on all 3 options at once: every vote stored, final tallies right, few updates', async () => {
    const id = pollId();
    const updatesBefore = s.fake.callsOf('chat.update').length;
    const clicks = PEOPLE.flatMap((user, i) =>
      [0, 1, 2].map((o) => clickValue(user, poll, POLL_VOTE, `${id}:${o}:${choiceOf(i, o)}`)),
    );
    // The outbox runs while the votes come in: some updates go out mid-way.
    const running = (async () => {
      for (let k = 0; k < 4; k++) {
        await new Promise((r) => setTimeout(r, 150));
        await settle();
      }
    })();
    await Promise.all([...clicks, running]);
    await s.idle();
    await settle();
    await settle();

    expect(await count(s, 'select count(*)::int as n from poll_votes')).toBe(150);
    const updates = s.fake.callsOf('chat.update').length - updatesBefore;
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThanOrEqual(10);

    const text = slackText(current());
    for (let o = 0; o < 3; o++) {
      const n = (code: string) => PEOPLE.filter((_, i) => choiceOf(i, o) === code).length;
      expect(text).toContain(`✅ ${n('y')} · 🤔 ${n('m')} · ❌ ${n('n')}`);
    }
    expect(text).toContain('Iedereen heeft gestemd (50)');
  }, 120_000);

  it('clicking again changes the vote, still one row', async () => {
    const id = pollId();
    const i = 5;
    const next = choiceOf(i, 0) === 'n' ? 'y' : 'n';
    await clickValue(PEOPLE[i]!, current(), POLL_VOTE, `${id}:0:${next}`);
    await settle();
    expect(await count(s, 'select count(*)::int as n from poll_votes')).toBe(150);
    const n = (code: string) => PEOPLE.filter((_, k) => (k === i ? next : choiceOf(k, 0)) === code).length;
    expect(slackText(current())).toContain(`✅ ${n('y')} · 🤔 ${n('m')} · ❌ ${n('n')}`);
  });

  it('every bad input gets a clear answer; nothing is stored or posted', async () => {
    const polls = await count(s, 'select count(*)::int as n from polls');
    const posts = s.fake.channelMessages(NET).length;
    const cases: Array<[string, string]> = [
      ['poll 16 maart 17 maart', 'titel'],
      ['poll "Borrel" 31-02-2027', '"31-02-2027" herken ik niet'],
      ['poll "Borrel" 1-1-2020', '"1-1-2020" ligt in het verleden'],
      ['poll "Borrel" 16 maart 16-3-2026', 'staat er twee keer in'],
      ['poll "Borrel" morgen', '"morgen" herken ik niet'],
      [
        `poll "Borrel" ${Array.from({ length: 21 }, (_, d) => `2026-04-${String(d + 1).padStart(2, '0')}`).join(' ')}`,
        'Dat zijn 21 data',
      ],
    ];
    for (const [input, expected] of cases) {
      const answer = await say(PEOPLE[3]!, input);
      expect(answer, input).toContain(expected);
      expect(answer, input).toContain('Er is niets geplaatst');
    }
    await s.deliver();
    expect(await count(s, 'select count(*)::int as n from polls')).toBe(polls);
    expect(s.fake.channelMessages(NET)).toHaveLength(posts);
  });

  it('only the creator or a coordinator closes; then voting is locked; the creator picks the date', async () => {
    const id = pollId();
    await clickValue(PEOPLE[7]!, current(), POLL_CLOSE, id);
    expect(slackText(latest(PEOPLE[7]!))).toContain('Alleen wie de prikker maakte');
    await clickValue(CREATOR, current(), POLL_CLOSE, id);
    expect(slackText(latest(CREATOR))).toContain('De prikker is gesloten');
    const open = structuredClone(current());
    await settle();
    const closed = current();
    expect(slackText(closed)).toContain('Deze prikker is gesloten');
    expect(slackText(closed)).toContain('Voorstel:');
    expect(slackButtons(closed.blocks).filter((b) => b.actionId === POLL_FINALIZE)).toHaveLength(3);

    // A click on the old message's buttons after closing is refused and changes nothing.
    await clickValue(PEOPLE[9]!, open, POLL_VOTE, `${id}:1:y`);
    expect(slackText(latest(PEOPLE[9]!))).toContain('kan niet meer');
    expect(await count(s, 'select count(*)::int as n from poll_votes')).toBe(150);

    await clickValue(CREATOR, closed, POLL_FINALIZE, `${id}:2`);
    expect(slackText(latest(CREATOR))).toContain('di 24 mrt');
    await settle();
    expect(slackText(current())).toContain('De datum staat: *di 24 mrt*');
    expect(await count(s, "select count(*)::int as n from polls where state = 'finalized'")).toBe(1);
    // The meeting exists with the votes carried over (yes → going, if need be → maybe).
    expect(await count(s, 'select count(*)::int as n from meetings m join polls p on p.meeting_id = m.id')).toBe(1);
    const onOption = (code: string) => PEOPLE.filter((_, i) => choiceOf(i, 2) === code).length;
    expect(await count(s, "select count(*)::int as n from meeting_rsvps where status = 'going'")).toBe(onOption('y'));
    expect(await count(s, "select count(*)::int as n from meeting_rsvps where status = 'maybe'")).toBe(onOption('m'));
  });
  it('with no arguments a modal opens; its errors stay in the modal; a good submission posts the poll', async () => {
    await s.driver.command(PEOPLE[4]!, NET, 'prikker "Kerstborrel"');
    const modal = s.fake.modalOf(PEOPLE[4]!);
    expect(modal?.view.callback_id).toBe('poll.form');
    const bad = await s.driver.submit(PEOPLE[4]!, { options: '16 maart\n16-3-2026', deadline: '2026-03-01' });
    expect(bad.ack.response_action).toBe('errors');
    const errors = bad.ack.errors as Record<string, string>;
    expect(errors.options).toContain('twee keer');
    expect(errors.deadline).toContain('voorbij');
    const polls = await count(s, 'select count(*)::int as n from polls');
    const before = s.fake.channelMessages(NET).length;
    const good = await s.driver.submit(PEOPLE[4]!, {
      options: '16 maart\n17 maart 14:00',
      deadline: '2026-03-12',
      hide: 'yes',
    });
    expect(good.ack).toEqual({});
    expect(await count(s, 'select count(*)::int as n from polls')).toBe(polls + 1);
    await settle();
    const posted = s.fake.channelMessages(NET).slice(before);
    expect(posted).toHaveLength(1);
    expect(slackText(posted[0]!)).toContain('Kerstborrel');
    expect(slackText(posted[0]!)).toContain('Stemmen kan tot do 12 mrt 23:59');
    expect(slackText(posted[0]!)).toContain('verborgen');
  });
});
