/**
 * Capacity, waitlist and offers with a fake clock on a real database; the details form (every bad
 * value refused with nothing changed; a change raises SEQUENCE); after the meeting, one attendance
 * card for the host and a take-back question in the channel whose answers are tips.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/inputs.js';
import type { Network } from '../../src/core/types.js';
import { meetingSweeps } from '../../src/scheduler/meeting-sweeps.js';
import { bootMeetingNetwork, calendar, meetingFromPoll, rows } from '../e2e/meetings-support.js';
import { backends } from '../support/db.js';
import { buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';

const CHANNEL = 'C-netwerk';
const PEOPLE = ['anna', 'henk', 'fatima', 'joris', 'sanne'].map((n) => ({
  id: `U-${n}`,
  displayName: n[0]!.toUpperCase() + n.slice(1),
  locale: 'nl-NL',
}));
const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);

describe.each(backends())('meeting capacity, waitlist and details (%s)', (backend) => {
  let s: LocalStack;
  let network: Network;
  let meetingId: string;
  const [, offers, after] = meetingSweeps(calendar);

  beforeEach(async () => {
    ({ s, network } = await bootMeetingNetwork({
      backend,
      start: '2027-03-01T09:00:00Z',
      people: PEOPLE,
      channelId: CHANNEL,
      coordinator: 'U-anna',
    }));
    meetingId = await meetingFromPoll(s, network, 'U-anna', {
      title: 'Intervisie',
      startsAt: new Date('2027-03-09T13:00:00Z'),
      votes: { 'U-anna': 'yes', 'U-henk': 'yes' },
    });
    await s.deliver();
  });

  afterEach(async () => {
    await s.close();
  });

  const announcement = () =>
    s.workspace
      .listMessages(CHANNEL)
      .filter((m) => buttonsOf(m.message).some((b) => b.actionId === 'meeting.rsvp'))
      .at(-1)!;
  const click = (userId: string, actionId: string, value: string) =>
    s.adapter.click(userId, announcement().id, actionId, value);
  const answer = (userId: string, word: string) => {
    s.clock.advance(1_000); // people click one after another
    return click(userId, 'meeting.rsvp', `${meetingId}:${word}`);
  };
  const statuses = async () =>
    Object.fromEntries(
      (
        await rows<{ uid: string; status: string; offer: Date | null }>(
          s,
          sql`select m.platform_user_id as uid, r.status, r.offer_expires_at as offer from meeting_rsvps r
              join members m on m.id = r.member_id where r.meeting_id = ${meetingId}`,
        )
      ).map((r) => [r.uid, r.offer ? `${r.status}+offer` : r.status]),
    );
  const meetingRow = async () =>
    (
      await rows<{ sequence: number; capacity: number | null; place: string | null; state: string; starts_at: Date }>(
        s,
        sql`select sequence, capacity, place, state, starts_at from meetings where id = ${meetingId}`,
      )
    )[0]!;
  const details = (userId: string, values: Record<string, string>) =>
    s.adapter.submit(userId, 'meeting.details', meetingId, {
      title: 'Intervisie',
      date: '2027-03-09',
      time: '14:00',
      place: '',
      host: 'none',
      capacity: '',
      state: 'scheduled',
      ...values,
    });
  const offerDms = (userId: string) =>
    s.workspace
      .listMessages(s.workspace.dmFor(userId).id)
      .filter((m) => buttonsOf(m.message).some((b) => b.actionId === 'meeting.offer'));

  it('the details form: bad values keep the form open and change nothing; a change raises SEQUENCE', async () => {
    const form = await click('U-anna', 'meeting.edit', meetingId);
    expect(form.kind).toBe('form');
    expect(text(await click('U-joris', 'meeting.edit', meetingId))).toContain('Alleen de gastheer');
    const before = await meetingRow();
    for (const [values, field] of [
      [{ title: '  ' }, 'title'],
      [{ date: '2027-02-30' }, 'date'],
      [{ date: 'morgen' }, 'date'],
      [{ time: '25:00' }, 'time'],
      [{ time: '14u' }, 'time'],
      [{ date: '2027-02-01' }, 'time'],
      [{ capacity: '0' }, 'capacity'],
      [{ capacity: '2.5' }, 'capacity'],
      [{ capacity: '-3' }, 'capacity'],
      [{ host: 'U-joris' }, 'host'],
      [{ host: '00000000-0000-4000-8000-000000000000' }, 'host'],
      [{ place: 'x'.repeat(501) }, 'place'],
      [{ state: 'maybe' }, 'state'],
    ] as const) {
      const reply = await details('U-anna', values);
      expect(reply.kind, JSON.stringify(values)).toBe('form-errors');
      expect(Object.keys((reply as { errors: Record<string, string> }).errors), JSON.stringify(values)).toContain(
        field,
      );
    }
    expect(await meetingRow()).toEqual(before);
    expect(text(await details('U-joris', { capacity: '2' }))).toContain('Alleen de gastheer');
    expect(text(await details('U-anna', {}))).toContain('niets veranderd');
    expect(await meetingRow()).toEqual(before);

    expect(text(await details('U-anna', { place: 'Avoord, Etten-Leur', time: '10:30' }))).toContain('Opgeslagen');
    const changed = await meetingRow();
    expect(changed.sequence).toBe(before.sequence + 1);
    expect(changed.place).toBe('Avoord, Etten-Leur');
    expect(new Date(changed.starts_at).toISOString()).toBe('2027-03-09T09:30:00.000Z');
    await s.deliver();
    expect(
      s.workspace.listMessages(CHANNEL).some((m) => textOf(m.message).includes('De bijeenkomst is gewijzigd')),
    ).toBe(true);
    expect(text(await details('U-anna', { state: 'cancelled', time: '10:30', place: 'Avoord, Etten-Leur' }))).toContain(
      'afgezegd',
    );
    const cancelled = await meetingRow();
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.sequence).toBe(before.sequence + 2);
    expect(text(await answer('U-joris', 'going'))).toContain('gaat niet door');
    await s.deliver();
    const told = (u: string) =>
      s.workspace
        .listMessages(s.workspace.dmFor(u).id)
        .some((m) => textOf(m.message).includes('Deze bijeenkomst gaat niet door'));
    expect(told('U-henk')).toBe(true); // going
    expect(told('U-anna')).toBe(false); // cancelled it herself
    expect(told('U-joris')).toBe(false); // never answered
  });

  it('full: new "going" joins the waitlist in order; a freed place is offered to the first, expiry passes it on', async () => {
    await details('U-anna', { capacity: '2' });
    expect(text(await answer('U-fatima', 'going'))).toContain('1e op de wachtlijst');
    expect(text(await answer('U-joris', 'going'))).toContain('2e op de wachtlijst');
    expect(text(await answer('U-fatima', 'going'))).toContain('1e op de wachtlijst');
    expect(await statuses()).toEqual({
      'U-anna': 'going',
      'U-henk': 'going',
      'U-fatima': 'waitlist',
      'U-joris': 'waitlist',
    });

    // Henk cancels: Fatima is offered the place for 24 hours; meanwhile nobody else takes it.
    await answer('U-henk', 'not_going');
    expect(await statuses()).toMatchObject({
      'U-henk': 'not_going',
      'U-fatima': 'waitlist+offer',
      'U-joris': 'waitlist',
    });
    expect(text(await answer('U-sanne', 'going'))).toContain('3e op de wachtlijst');
    await s.deliver();
    expect(offerDms('U-fatima')).toHaveLength(1);
    expect(textOf(offerDms('U-fatima')[0]!.message)).toContain('tot di 2 mrt 10:00');

    const expiry = await offers!.nextDueAt!(s.clock.now(), s.store);
    expect(expiry!.getTime()).toBeGreaterThan(new Date('2027-03-02T09:00:00Z').getTime());
    expect(expiry!.getTime()).toBeLessThan(new Date('2027-03-02T09:01:00Z').getTime());
    // Not yet expired: nothing happens.
    s.clock.set('2027-03-02T08:59:00Z');
    expect(await offers!.run({ store: s.store, now: s.clock.now(), workerId: 'w' })).toBe(0);
    // Expired: Fatima leaves the waitlist and is told; Joris gets the offer.
    s.clock.set('2027-03-02T09:01:00Z');
    expect(await offers!.run({ store: s.store, now: s.clock.now(), workerId: 'w' })).toBe(1);
    expect(await offers!.run({ store: s.store, now: s.clock.now(), workerId: 'w' })).toBe(0);
    expect(await statuses()).toMatchObject({
      'U-fatima': 'not_going',
      'U-joris': 'waitlist+offer',
      'U-sanne': 'waitlist',
    });
    await s.deliver();
    expect(
      s.workspace
        .listMessages(s.workspace.dmFor('U-fatima').id)
        .some((m) => textOf(m.message).includes('aanbod was verlopen')),
    ).toBe(true);
    const offer = offerDms('U-fatima')[0]!;
    const accept = buttonsOf(offer.message).find((b) => b.value.endsWith(':accept'))!;
    expect(text(await s.adapter.click('U-fatima', offer.id, accept.actionId, accept.value))).toContain(
      'geldt niet meer',
    );

    // Joris takes it.
    const jorisOffer = offerDms('U-joris')[0]!;
    const take = buttonsOf(jorisOffer.message).find((b) => b.value.endsWith(':accept'))!;
    expect(text(await s.adapter.click('U-joris', jorisOffer.id, take.actionId, take.value))).toContain(
      'De plek is van jou',
    );
    expect(await statuses()).toMatchObject({ 'U-anna': 'going', 'U-joris': 'going', 'U-sanne': 'waitlist' });
    await s.deliver();
    expect(textOf(announcement().message)).toContain('2 plaatsen, vol');
  });

  it('many people clicking "going" at once for the last places: exactly the capacity goes, the rest wait in line', async () => {
    await details('U-anna', { capacity: '3' });
    const post = announcement();
    const going = buttonsOf(post.message).find((b) => b.actionId === 'meeting.rsvp' && b.value.endsWith(':going'))!;
    await Promise.all(
      ['U-fatima', 'U-joris', 'U-sanne'].map((u) => s.adapter.click(u, post.id, going.actionId, going.value)),
    );
    const all = Object.values(await statuses());
    expect(all.filter((x) => x === 'going')).toHaveLength(3);
    expect(all.filter((x) => x === 'waitlist')).toHaveLength(2);
  });

  it('an offer never runs past the start; declining passes it on at once; a bigger capacity offers more places', async () => {
    await details('U-anna', { capacity: '2' });
    await answer('U-fatima', 'going');
    await answer('U-joris', 'going');
    s.clock.set('2027-03-09T03:00:00Z');
    await answer('U-henk', 'not_going');
    const [row] = await rows<{ offer: Date }>(
      s,
      sql`select offer_expires_at as offer from meeting_rsvps where meeting_id = ${meetingId} and status = 'waitlist' and offer_expires_at is not null`,
    );
    expect(new Date(row!.offer).toISOString()).toBe('2027-03-09T13:00:00.000Z');
    await s.deliver();
    const offer = offerDms('U-fatima')[0]!;
    const decline = buttonsOf(offer.message).find((b) => b.value.endsWith(':decline'))!;
    expect(text(await s.adapter.click('U-fatima', offer.id, decline.actionId, decline.value))).toContain('volgende');
    expect(await statuses()).toMatchObject({ 'U-fatima': 'not_going', 'U-joris': 'waitlist+offer' });
    await answer('U-sanne', 'going');
    await details('U-anna', { capacity: '4' });
    expect(await statuses()).toMatchObject({ 'U-joris': 'waitlist+offer', 'U-sanne': 'waitlist+offer' });
  });

  it('after the meeting: one attendance card for the host, the take-back question in the channel; answers are tips', async () => {
    const post = announcement();
    const host = buttonsOf(post.message).find((b) => b.actionId === 'meeting.host')!;
    await s.adapter.click('U-henk', post.id, host.actionId, host.value);
    s.clock.set('2027-03-09T14:59:00Z');
    expect(await after!.run({ store: s.store, now: s.clock.now(), workerId: 'w' })).toBe(0);
    s.clock.set('2027-03-09T15:00:00Z');
    expect(await after!.run({ store: s.store, now: s.clock.now(), workerId: 'w' })).toBe(1);
    expect(await after!.run({ store: s.store, now: s.clock.now(), workerId: 'w' })).toBe(0);
    await s.deliver();
    const card = s.workspace
      .listMessages(s.workspace.dmFor('U-henk').id)
      .find((m) => buttonsOf(m.message).some((b) => b.actionId === 'meeting.attend'))!;
    expect(textOf(card.message)).toContain('Wie waren er bij Intervisie?');
    expect(
      s.workspace.listMessages(s.workspace.dmFor('U-anna').id).some((m) => textOf(m.message).includes('Wie waren er')),
    ).toBe(false);
    const open = buttonsOf(card.message).find((b) => b.actionId === 'meeting.attend')!;
    expect(text(await s.adapter.click('U-joris', post.id, open.actionId, open.value))).toContain(
      'Alleen de gastheer/-vrouw of een coördinator',
    );
    const form = await s.adapter.click('U-henk', card.id, open.actionId, open.value);
    expect(form.kind).toBe('form');
    const fields = form.kind === 'form' ? form.form.fields : [];
    expect(fields.map((f) => f.label).sort()).toEqual(['Anna', 'Henk']);
    const [annaField, henkField] = [fields.find((f) => f.label === 'Anna')!, fields.find((f) => f.label === 'Henk')!];
    const bad = await s.adapter.submit('U-henk', 'meeting.attendance', meetingId, { [annaField.id]: 'maybe' });
    expect(bad.kind).toBe('form-errors');
    expect(
      await s.adapter.submit('U-henk', 'meeting.attendance', meetingId, {
        [annaField.id]: 'no_show',
        [henkField.id]: 'attended',
      }),
    ).toEqual({ kind: 'none' });
    const marks = await rows<{ uid: string; attendance: string }>(
      s,
      sql`select m.platform_user_id as uid, r.attendance from meeting_rsvps r join members m on m.id = r.member_id
          where r.meeting_id = ${meetingId} order by 1`,
    );
    expect(marks).toEqual([
      { uid: 'U-anna', attendance: 'no_show' },
      { uid: 'U-henk', attendance: 'attended' },
    ]);
    const question = s.workspace
      .listMessages(CHANNEL)
      .find((m) => textOf(m.message).includes('Wat neem je mee terug naar je organisatie?'))!;
    const add = buttonsOf(question.message).find((b) => b.actionId === 'ask.answer')!;
    const answerForm = await s.adapter.click('U-joris', question.id, add.actionId, add.value);
    expect(answerForm.kind).toBe('form');
    await s.adapter.submit('U-joris', 'ask.form', add.value, { text: 'Een vaste buddy voor nieuwe collega’s' });
    const tips = await rows<{ text: string }>(s, sql`select text from tips where question_id is not null`);
    expect(tips).toEqual([{ text: 'Een vaste buddy voor nieuwe collega’s' }]);
  });
});
