/**
 * A big meeting (120 going) is marked in pages of 50: each form fits Slack's 100-block modal (the
 * fake Slack's validator) and Teams' card limit (Microsoft's parser); each submit saves its page and
 * offers the next with a button; only the last page closes the attendance. Nobody's mark is lost.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { renderSlackModal } from '../../adapters/slack/render.js';
import { renderTeamsForm } from '../../adapters/teams/render.js';
import type { Reply } from '../../src/core/inputs.js';
import { ATTENDANCE_PAGE } from '../../src/core/meetings/after.js';
import type { Form } from '../../src/messages/model.js';
import { bootMeetingNetwork, meetingFromPoll, rows } from '../e2e/meetings-support.js';
import { cardProblems } from '../support/adaptive-cards.js';
import { backends } from '../support/db.js';
import { viewProblems } from '../support/fake-slack-blocks.js';
import { buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-groot';
const PEOPLE = Array.from({ length: 120 }, (_, i) => ({
  id: `U-${String(i).padStart(3, '0')}`,
  displayName: `Wijkverpleegkundige ${i} van Zorggroep Noord-Oost`,
  locale: 'nl-NL',
}));

describe.each(backends())('attendance of a big meeting (%s)', (backend) => {
  let s: LocalStack;
  afterEach(async () => {
    await s?.close();
  });

  it('pages of 50, each within the platforms’ limits; every mark saved; the last page closes it', async () => {
    let network: Awaited<ReturnType<typeof bootMeetingNetwork>>['network'];
    ({ s, network } = await bootMeetingNetwork({
      backend,
      start: '2027-03-01T09:00:00Z',
      people: PEOPLE,
      channelId: CHANNEL,
      coordinator: 'U-000',
    }));
    const meetingId = await meetingFromPoll(s, network, 'U-000', {
      title: 'Jaarcongres',
      startsAt: new Date('2027-03-09T13:00:00Z'),
      votes: Object.fromEntries(PEOPLE.map((p) => [p.id, 'yes'])),
    });
    await s.deliver();
    s.clock.set('2027-03-09T16:00:00Z');
    const anyMessage = s.workspace.listMessages(CHANNEL).at(-1)!;
    const formOf = (r: Reply): Form => {
      if (r.kind !== 'form') throw new Error(`expected a form, got ${r.kind}`);
      return r.form;
    };

    const pages: Form[] = [];
    let open: Reply = await s.adapter.click('U-000', anyMessage.id, 'meeting.attend', meetingId);
    for (let page = 0; ; page++) {
      const form = formOf(open);
      pages.push(form);
      expect(viewProblems(renderSlackModal(form))).toEqual([]);
      expect(cardProblems({ type: 'message', attachments: [renderTeamsForm(form)] })).toEqual([]);
      // Everyone on an odd page position is a no-show.
      const values = Object.fromEntries(form.fields.map((f, i) => [f.id, i % 2 === 1 ? 'no_show' : 'attended']));
      const saved = await s.adapter.submit('U-000', 'meeting.attendance', form.state, values);
      if (saved.kind === 'none') break;
      expect(saved.kind).toBe('message');
      const next = saved.kind === 'message' ? saved.message : { text: '', blocks: [] };
      const left = PEOPLE.length - (page + 1) * ATTENDANCE_PAGE;
      expect(textOf(next)).toContain(`Nog ${left} mensen om af te vinken`);
      expect(
        (
          await rows<{ n: number }>(
            s,
            sql`select count(*)::int as n from meetings where attendance_taken_at is not null`,
          )
        )[0]?.n,
      ).toBe(0);
      const button = buttonsOf(next).find((b) => b.actionId === 'meeting.attend')!;
      open = await s.adapter.click('U-000', anyMessage.id, button.actionId, button.value);
    }

    expect(pages.map((p) => p.fields.length)).toEqual([50, 50, 20]);
    expect(new Set(pages.flatMap((p) => p.fields.map((f) => f.id))).size).toBe(120);
    const marks = await rows<{ attendance: string; n: number }>(
      s,
      sql`select attendance, count(*)::int as n from meeting_rsvps where meeting_id = ${meetingId} group by 1 order by 1`,
    );
    expect(marks).toEqual([
      { attendance: 'attended', n: 60 },
      { attendance: 'no_show', n: 60 },
    ]);
    expect(
      (
        await rows<{ n: number }>(s, sql`select count(*)::int as n from meetings where attendance_taken_at is not null`)
      )[0]?.n,
    ).toBe(1);
    // A page past the end is refused, nothing changes.
    const past = await s.adapter.click('U-000', anyMessage.id, 'meeting.attend', `${meetingId}:7`);
    expect(past.kind).toBe('message');
  }, 240_000);
});
