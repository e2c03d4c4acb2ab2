/**
 * `forget-me` end to end through the local stack, on PGlite and PostgreSQL: after the confirmation
 * no column of any table (every text, jsonb and array column, found in information_schema) holds the
 * member's platform id, name or profile text; the keyed hash is the one trace; roster syncs (pair
 * now, a channel join, a setup preview) do not re-enrol or re-welcome them; a new round still avoids
 * repeats among the others; `join` starts fresh. A second installation is untouched.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/inputs.js';
import { backends } from '../support/db.js';
import { bootLocalStack, buttonsOf, type LocalStack, textOf } from '../support/local-stack.js';
import { scanColumns } from '../support/privacy-scan.js';

const CHANNEL = 'C-zorg';
const ZEB = { id: 'U-zeb7q', displayName: 'Zebediah Quetzalcoatl', locale: 'en-GB' };
const PEOPLE = [
  { id: 'U-anna', displayName: 'Anna de Vries', locale: 'nl-NL' },
  { id: 'U-henk', displayName: 'Henk Jansen', locale: 'nl-NL' },
  { id: 'U-fatima', displayName: 'Fatima el Amrani', locale: 'nl-NL' },
  { id: 'U-joost', displayName: 'Joost Bakker', locale: 'nl-NL' },
  { id: 'U-sanne', displayName: 'Sanne Visser', locale: 'nl-NL' },
  ZEB,
];
const PROFILE = {
  role: 'Xylophone therapist',
  canShare: 'Quokka husbandry tricks',
  wantsToLearn: 'Wombat logistics',
  nickname: 'Zany Zebediah',
};
const NOTE = 'Learned about the Jabberwock rota';
/** Everything that must be gone after forget-me. */
const NEEDLES = [ZEB.id, 'Zebediah', 'Quetzalcoatl', ...Object.values(PROFILE), 'Jabberwock'];
const DAY = 86_400_000;

const text = (r: Reply) => (r.kind === 'message' || r.kind === 'update' ? textOf(r.message) : `<${r.kind}>`);

describe.each(backends())('forget-me (%s)', (backend) => {
  let s: LocalStack;
  let inst: string;

  const exec = async <T = Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T[]> =>
    ((await s.database.db.execute(q)) as unknown as { rows: T[] }).rows;

  async function clickLatest(userId: string, actionId: string, channel = CHANNEL): Promise<Reply> {
    const ephemeral = s.workspace.listEphemerals(userId, channel).at(-1);
    const button = ephemeral ? buttonsOf(ephemeral.message).find((b) => b.actionId === actionId) : undefined;
    if (!ephemeral || !button) throw new Error(`no ${actionId} for ${userId}`);
    return s.adapter.click(userId, ephemeral.id, button.actionId, button.value);
  }

  const scan = (needles: string[]) => scanColumns(s.database, needles);

  const memberId = async (platformUserId: string) =>
    (
      await exec<{ id: string }>(
        sql`select id from members where installation_id = ${inst} and platform_user_id = ${platformUserId}`,
      )
    )[0]?.id;

  /** Pairs met per round, as sorted "a|b" keys over member ids. */
  async function pairsByRound(): Promise<Map<number, Set<string>>> {
    const rows = await exec<{ number: number; group_id: string; member_id: string }>(sql`
      select r.number, gm.group_id, gm.member_id from pairing_group_members gm
      join pairing_groups g on g.id = gm.group_id join pairing_rounds r on r.id = g.round_id
      where gm.installation_id = ${inst}`);
    const groups = new Map<string, { round: number; ids: string[] }>();
    for (const r of rows) {
      const g = groups.get(r.group_id) ?? { round: Number(r.number), ids: [] };
      g.ids.push(r.member_id);
      groups.set(r.group_id, g);
    }
    const out = new Map<number, Set<string>>();
    for (const g of groups.values()) {
      const set = out.get(g.round) ?? new Set<string>();
      for (const a of g.ids) for (const b of g.ids) if (a < b) set.add(`${a}|${b}`);
      out.set(g.round, set);
    }
    return out;
  }

  beforeEach(async () => {
    // Tuesday 3 March 2026, 10:00 Amsterdam.
    s = await bootLocalStack({
      backend,
      start: '2026-03-03T09:00:00Z',
      seed: (ws) => {
        for (const p of PEOPLE) ws.addUser(p);
        ws.addChannel({ id: CHANNEL, name: 'zorg', memberIds: PEOPLE.map((p) => p.id), botInChannel: true });
        ws.addChannel({ id: 'C-other', name: 'other', memberIds: [PEOPLE[1]!.id, ZEB.id], botInChannel: true });
      },
    });
    await s.adapter.command('U-anna', CHANNEL, 'start');
    await clickLatest('U-anna', 'setup.confirm');
    await s.deliver();
    inst = await s.installationId();

    // Zeb: a profile, a second coordinator role, an avoid list, two rounds with a note, a tip, a vote, an RSVP.
    const zeb = (await memberId(ZEB.id))!;
    const network = (await exec<{ id: string }>(sql`select id from networks where channel_id = ${CHANNEL}`))[0]!.id;
    await s.store.transaction(async (tx) => {
      await tx.members.updateProfile(inst, zeb, PROFILE);
      await tx.coordinators.add(inst, network, zeb, null);
    });
    await s.adapter.command(ZEB.id, CHANNEL, 'avoid <@U-sanne>');
    expect(text(await s.adapter.command('U-anna', CHANNEL, 'koppel nu'))).toMatch(/groep|group/i);
    await s.deliver();
    const group = (
      await exec<{ group_id: string }>(sql`select group_id from pairing_group_members where member_id = ${zeb}`)
    )[0]!.group_id;
    await s.store.transaction((tx) => tx.pairing.saveNote(inst, group, zeb, NOTE, true));
    // As if the planner had matched Zeb's group on a topic from Zeb's profile.
    await exec(sql`update pairing_groups set reason = jsonb_set(reason, '{sharedTopics}', '["quokka husbandry tricks"]')
      where id = ${group}`);
    s.clock.advance(14 * DAY);
    expect(text(await s.adapter.command('U-anna', CHANNEL, 'koppel nu'))).toMatch(/groep|group/i);
    await s.deliver();
    expect(text(await s.adapter.command(ZEB.id, CHANNEL, 'tip Label every tray before the shift #keuken'))).not.toMatch(
      /sorry/i,
    );
    await s.deliver();
    await exec(sql`insert into polls (id, installation_id, network_id, created_by, title, channel_id)
      values ('00000000-0000-4000-8000-000000000001', ${inst}, ${network}, ${zeb}, 'Company visit', ${CHANNEL})`);
    await exec(sql`insert into poll_options (id, installation_id, poll_id, position, date, starts_at)
      values ('00000000-0000-4000-8000-000000000002', ${inst}, '00000000-0000-4000-8000-000000000001', 0,
        '2026-04-01', '2026-03-31T22:00:00Z')`);
    await exec(sql`insert into poll_votes (installation_id, poll_id, option_id, member_id, choice, updated_at)
      values (${inst}, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', ${zeb},
        'yes', now())`);
    await exec(sql`insert into meetings (id, installation_id, network_id, title, starts_at, uid, host_id, created_by)
      values ('00000000-0000-4000-8000-000000000003', ${inst}, ${network}, 'Visit Zonnehuis', '2026-04-01T08:00:00Z',
        'uid-1@klik', ${zeb}, ${zeb})`);
    await exec(sql`insert into meetings (id, installation_id, network_id, title, starts_at, uid)
      values ('00000000-0000-4000-8000-000000000004', ${inst}, ${network}, 'Kick-off', '2026-02-01T09:00:00Z',
        'uid-0@klik')`);
    await exec(sql`insert into meeting_rsvps (installation_id, meeting_id, member_id, status, responded_at, attendance)
      values (${inst}, '00000000-0000-4000-8000-000000000003', ${zeb}, 'going', now(), null),
             (${inst}, '00000000-0000-4000-8000-000000000004', ${zeb}, 'going', now(), 'attended')`);
    // A message to Zeb still waiting (quiet hours), and where platforms keep ids in installation details.
    await s.store.transaction((tx) =>
      tx.outbox.enqueue({
        installationId: inst,
        networkId: network,
        key: 'test:pending-to-zeb',
        target: { kind: 'user', memberId: zeb },
        message: { text: `Hi ${ZEB.displayName}`, blocks: [] },
        notBefore: new Date(s.clock.now().getTime() + DAY),
      }),
    );
    await exec(
      sql`update installations set details = ${JSON.stringify({
        slack: { installerUserId: ZEB.id, appId: 'A1' },
        teams: { conversations: { [`personal:${ZEB.id}`]: { kind: 'personal', userTeamsId: `29:${ZEB.id}` } } },
      })}::jsonb where id = ${inst}`,
    );
  });

  afterEach(async () => {
    await s?.close();
  });

  it('erases every trace but the keyed hash, keeps history on a tombstone, and a roster sync does not re-enrol', async () => {
    // Before: the needles are really there (the scan can fail).
    const before = await scan(NEEDLES);
    for (const needle of NEEDLES)
      expect(
        before.some((f) => f.needle === needle),
        needle,
      ).toBe(true);
    const zeb = (await memberId(ZEB.id))!;
    const historyBefore = await exec(sql`select 1 from pairing_group_members where member_id = ${zeb}`);
    expect(historyBefore.length).toBe(2);

    const confirm = await s.adapter.command(ZEB.id, CHANNEL, 'forget-me');
    expect(text(confirm)).toMatch(/cannot be undone/);
    // Another member cannot press Zeb's button.
    const button = buttonsOf((confirm as { message: Parameters<typeof buttonsOf>[0] }).message).find(
      (b) => b.actionId === 'privacy.forget.confirm',
    )!;
    expect(
      text(
        await s.klik.handleAction({
          installation: { platform: 'local', externalId: 'local' },
          channelId: CHANNEL,
          actor: { platformUserId: 'U-henk' },
          actionId: button.actionId,
          value: button.value,
        }),
      ),
    ).toMatch(/iemand anders/);
    const done = await clickLatest(ZEB.id, 'privacy.forget.confirm');
    expect(done.kind).toBe('update');
    expect(text(done)).toMatch(/Klik has forgotten you/);
    await s.deliver();

    expect(await scan(NEEDLES)).toEqual([]);
    const hashes = await exec<{ platform_hash: string }>(
      sql`select platform_hash from forgotten_members where installation_id = ${inst}`,
    );
    expect(hashes).toHaveLength(1);
    expect(hashes[0]!.platform_hash).toMatch(/^[0-9a-f]{64}$/);

    // The tombstone: same id, no personal fields, out of every network, no coordinator role.
    const [tomb] = await exec<Record<string, unknown>>(sql`select * from members where id = ${zeb}`);
    expect(tomb).toMatchObject({ display_name: '', role: null, can_share: null, nickname: null, locale: null });
    expect(String(tomb!.platform_user_id)).toMatch(/^forgotten:[0-9a-f-]{36}$/);
    expect(tomb!.forgotten_at).not.toBeNull();
    expect(await exec(sql`select 1 from network_members where member_id = ${zeb} and status <> 'left'`)).toEqual([]);
    expect(await exec(sql`select 1 from coordinators where member_id = ${zeb}`)).toEqual([]);
    expect(await exec(sql`select 1 from pairing_exclusions where member_id = ${zeb}`)).toEqual([]);
    expect(await exec(sql`select 1 from pairing_group_members where member_id = ${zeb}`)).toHaveLength(2);
    // Zeb left the running round (round 2): their partner was matched into another group.
    expect(
      await exec(sql`select 1 from pairing_group_members where member_id = ${zeb} and left_at is not null`),
    ).toHaveLength(1);
    expect(await exec(sql`select 1 from pairing_group_members where note is not null`)).toEqual([]);
    // Tips stay without author; the vote and the RSVP stay on the tombstone (tallies stay honest).
    expect(await exec(sql`select author_id from tips where text like 'Label every tray%'`)).toEqual([
      { author_id: null },
    ]);
    expect(await exec(sql`select 1 from poll_votes where member_id = ${zeb}`)).toHaveLength(1);
    // The answer for the meeting still ahead is withdrawn; the past meeting's attendance stays anonymous.
    expect(await exec(sql`select meeting_id, attendance from meeting_rsvps where member_id = ${zeb}`)).toEqual([
      { meeting_id: '00000000-0000-4000-8000-000000000004', attendance: 'attended' },
    ]);
    expect(
      await exec(sql`select host_id, created_by from meetings where host_id is not null or created_by is not null`),
    ).toEqual([]);
    // The pending message to Zeb was cancelled, not sent.
    expect(await exec(sql`select status from outbox where idempotency_key = 'test:pending-to-zeb'`)).toEqual([
      { status: 'cancelled' },
    ]);
    expect(s.workspace.listMessages(s.workspace.dmFor(ZEB.id).id).some((m) => m.message.text.includes('Hi '))).toBe(
      false,
    );

    // Roster syncs: a new round, a channel join event, a setup preview elsewhere. None re-enrols Zeb.
    s.clock.advance(14 * DAY);
    const dmBefore = s.workspace.listMessages(s.workspace.dmFor(ZEB.id).id).length;
    expect(text(await s.adapter.command('U-anna', CHANNEL, 'koppel nu'))).toMatch(/groep|group/i);
    await s.klik.handleMemberEvent({
      installation: { platform: 'local', externalId: 'local' },
      channelId: CHANNEL,
      platformUserId: ZEB.id,
      kind: 'joined',
    });
    await s.adapter.command('U-anna', CHANNEL, `niet-met <@${ZEB.id}>`);
    const preview = await s.adapter.command('U-henk', 'C-other', 'start');
    expect(text(preview)).not.toMatch(/Zebediah/);
    await s.deliver();
    expect(await memberId(ZEB.id)).toBeUndefined();
    expect(s.workspace.listMessages(s.workspace.dmFor(ZEB.id).id).length).toBe(dmBefore);
    expect(await scan([ZEB.id, 'Zebediah'])).toEqual([]);

    // The new round (round 3) repeats no pair the others met in rounds 1 and 2.
    const rounds = await pairsByRound();
    const earlier = new Set([...(rounds.get(1) ?? []), ...(rounds.get(2) ?? [])]);
    const latest = [...(rounds.get(3) ?? [])];
    expect(latest.length).toBeGreaterThan(0);
    expect(latest.filter((p) => earlier.has(p))).toEqual([]);
    expect(latest.some((p) => p.includes(zeb))).toBe(false);

    // `join` starts fresh: the hash goes, a new member takes part.
    expect(text(await s.adapter.command(ZEB.id, CHANNEL, 'join'))).not.toMatch(/sorry/i);
    expect(await exec(sql`select 1 from forgotten_members`)).toEqual([]);
    const fresh = await memberId(ZEB.id);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(zeb);
    expect(
      await exec(sql`select status from network_members where member_id = ${fresh!} and installation_id = ${inst}`),
    ).toEqual([{ status: 'active' }]);
  });

  it('cancel erases nothing; the last coordinator hears who takes over', async () => {
    const reply = await s.adapter.command('U-anna', CHANNEL, 'vergeet-mij');
    expect(text(reply)).toMatch(/niet terugdraaien/);
    // Zeb is a coordinator too: Anna is not the last one.
    expect(text(reply)).not.toMatch(/laatste coördinator/);
    expect(text(await clickLatest('U-anna', 'privacy.forget.cancel'))).toMatch(/niets gewist/);
    expect(await memberId('U-anna')).toBeDefined();

    await s.adapter.command(ZEB.id, CHANNEL, 'forget-me');
    await clickLatest(ZEB.id, 'privacy.forget.confirm');
    const last = await s.adapter.command('U-anna', CHANNEL, 'vergeet-mij');
    expect(text(last)).toMatch(/laatste coördinator van #zorg/);
    await clickLatest('U-anna', 'privacy.forget.confirm');
    await s.deliver();
    // The longest-standing member is asked to take over, in a DM that names no one forgotten.
    const asked = PEOPLE.filter((p) => p.id !== 'U-anna' && p.id !== ZEB.id).filter((p) =>
      s.workspace.listMessages(s.workspace.dmFor(p.id).id).some((m) => /overnemen|take over/.test(textOf(m.message))),
    );
    expect(asked).toHaveLength(1);
    expect(await scan(['Anna de Vries', 'U-anna'])).toEqual([]);
  });
});
