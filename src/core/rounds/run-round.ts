/**
 * Runs one pairing round for a network, in one transaction: sync the roster, pause members who
 * stopped answering, plan the groups, and queue every message the round causes (the group intros,
 * the check-ins halfway, the channel announcement with the notes people agreed to share).
 */
import { translator } from '../../messages/i18n.js';
import { actions, button, section } from '../../messages/model.js';
import { pickStarter } from '../../messages/starters.js';
import { enqueueChannelWelcome, enqueueWelcome } from '../members/welcome.js';
import { planRound, topicTags } from '../pairing/index.js';
import type { StoreTx } from '../ports.js';
import { sendableFrom } from '../schedule/quiet-hours.js';
import { nextPairingSlot } from '../schedule/slots.js';
import type { Member, Membership, Network, PlatformUser } from '../types.js';
import { checkInMessage, introMessage, roundAnnouncement } from './messages.js';
import type { RoundRecord, RoundTrigger } from './ports.js';

export const MEMBER_RESUME = 'member.resume';

const DAY = 86_400_000;
/** Unanswered check-ins in a row after which a member is paused. */
const GHOST_LIMIT = 3;
/** Rounds within which a conversation starter is not used again. */
const STARTER_MEMORY = 6;

export interface RoundOptions {
  trigger: RoundTrigger;
  slot: string | null;
  now: Date;
  /** The channel's members as the platform sees them now; null skips the roster sync. */
  roster: PlatformUser[] | null;
}

export type RoundOutcome =
  | { ok: true; round: RoundRecord; groups: number; people: number; repeats: number }
  | { ok: false; reason: 'not_enough' | 'exists' };

const CADENCE_DAYS = { weekly: 7, biweekly: 14, monthly: 28, off: 14 } as const;

function roundTiming(network: Network, now: Date): { checkInAt: Date; endsAt: Date } {
  const endsAt = nextPairingSlot(network, now) ?? new Date(now.getTime() + CADENCE_DAYS[network.cadence] * DAY);
  const days = Math.max(1, Math.round((endsAt.getTime() - now.getTime()) / DAY));
  return { checkInAt: new Date(now.getTime() + Math.floor(days / 2) * DAY), endsAt };
}

/** Who joined or left the channel since the last look: membership follows the channel. */
async function syncRoster(tx: StoreTx, network: Network, roster: PlatformUser[], now: Date): Promise<void> {
  const people = roster.filter((u) => !u.isBot && !u.isDeleted);
  // Whoever asked Klik to forget them is not enrolled again (until they `join`).
  const forgotten = await tx.privacy.forgottenAmong(
    network.installationId,
    people.map((u) => u.id),
  );
  const humans = people.filter((u) => !forgotten.has(u.id));
  const present = new Set(humans.map((u) => u.id));
  const memberships = await tx.members.listMemberships(network.installationId, network.id);
  const known = new Map(memberships.map((m) => [m.member.platformUserId, m]));
  for (const user of humans) {
    const existing = known.get(user.id);
    if (existing && existing.status !== 'left') continue;
    const member = await tx.members.upsertFromPlatform(network.installationId, user);
    await tx.members.setMembership(network.installationId, network.id, member.id, 'active', now);
    if (!existing) {
      await enqueueWelcome(tx, network, member, now);
      await enqueueChannelWelcome(tx, network, member, now);
    }
  }
  for (const m of memberships) {
    if (m.status !== 'left' && !present.has(m.member.platformUserId)) {
      await tx.members.setMembership(network.installationId, network.id, m.memberId, 'left', now);
    }
  }
}

/** Pauses members whose last three check-ins went unanswered, and tells them how to come back. */
async function pauseGhosts(
  tx: StoreTx,
  network: Network,
  memberships: Array<Membership & { member: Member }>,
  now: Date,
  roundNumber: number,
): Promise<Set<string>> {
  const paused = new Set<string>();
  for (const m of memberships) {
    if (m.status !== 'active') continue;
    const answers = await tx.pairing.recentCheckIns(network.installationId, network.id, m.memberId, GHOST_LIMIT, now);
    if (answers.length < GHOST_LIMIT || answers.some((a) => a !== null)) continue;
    await tx.members.setMembership(network.installationId, network.id, m.memberId, 'paused', now);
    paused.add(m.memberId);
    const t = translator(m.member.locale ?? network.locale);
    await tx.outbox.enqueue({
      installationId: network.installationId,
      networkId: network.id,
      key: `ghost:${network.id}:${m.memberId}:${roundNumber}`,
      target: { kind: 'user', memberId: m.memberId },
      message: {
        text: t('ghost.paused'),
        blocks: [section(t('ghost.paused')), actions(button(t('ghost.resume'), MEMBER_RESUME, network.id, 'primary'))],
      },
      notBefore: sendableFrom(now, m.member.timezone ?? network.timezone, network.quietHours),
    });
  }
  return paused;
}

/** Active members, and paused ones whose pause has ended; opt-in pools only those who joined. */
function eligible(network: Network, memberships: Array<Membership & { member: Member }>, now: Date): Member[] {
  return memberships
    .filter((m) => m.status === 'active' || (m.status === 'paused' && m.pausedUntil !== null && m.pausedUntil <= now))
    .filter((m) => network.pool === 'channel' || m.optedIn)
    .map((m) => m.member);
}

function seedOf(networkId: string, roundNumber: number): number {
  let h = roundNumber;
  for (const ch of networkId) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

export async function runRound(tx: StoreTx, network: Network, options: RoundOptions): Promise<RoundOutcome> {
  const { now } = options;
  const inst = network.installationId;
  if (options.roster) await syncRoster(tx, network, options.roster, now);

  const previous = await tx.pairing.latestRound(inst, network.id);
  const roundNumber = (previous?.number ?? 0) + 1;
  let memberships = await tx.members.listMemberships(inst, network.id);
  const ghosts = await pauseGhosts(tx, network, memberships, now, roundNumber);
  memberships = memberships.filter((m) => !ghosts.has(m.memberId));
  for (const m of memberships) {
    if (m.status === 'paused' && m.pausedUntil !== null && m.pausedUntil <= now) {
      await tx.members.setMembership(inst, network.id, m.memberId, 'active', now);
    }
  }
  const people = eligible(network, memberships, now);
  if (people.length < 2) return { ok: false, reason: 'not_enough' };

  const timing = roundTiming(network, now);
  const history = await tx.pairing.history(inst, network.id);
  const previousGroups = previous ? await tx.pairing.groupsOfRound(inst, previous.id) : [];
  const plan = planRound({
    members: people.map((m) => ({
      id: m.id,
      organisationId: m.organisationId,
      canShare: topicTags(m.canShare ?? ''),
      wantsToLearn: topicTags(m.wantsToLearn ?? ''),
      isNewcomer: !history.some((g) => g.memberIds.includes(m.id)),
    })),
    history,
    groupSize: network.groupSize,
    exclusions: await tx.pairing.exclusions(inst, network.id),
    previousOversized: previousGroups
      .filter((g) => g.members.length > network.groupSize)
      .flatMap((g) => g.members.map((m) => m.memberId)),
    seed: seedOf(network.id, roundNumber),
  });

  const round = await tx.pairing.createRound({
    installationId: inst,
    networkId: network.id,
    trigger: options.trigger,
    slot: options.slot,
    startedAt: now,
    ...timing,
    report: {
      repeats: plan.repeats.length,
      crossOrganisationShare: plan.crossOrganisationShare,
      people: people.length,
    },
  });
  if (!round) return { ok: false, reason: 'exists' };

  const byId = new Map(people.map((m) => [m.id, m]));
  const orgs = await tx.organisations.list(inst, network.id);
  const recent = await tx.pairing.recentStarters(inst, network.id, STARTER_MEMORY);
  const used = [...recent];
  for (const [index, planned] of plan.groups.entries()) {
    const members = planned.memberIds.map((id) => byId.get(id)).filter((m): m is Member => m !== undefined);
    const starter = pickStarter(used, round.number * 5 + index);
    used.push(starter);
    const reason = { ...planned.reasons, starter };
    const group = await tx.pairing.addGroup(inst, round, planned.memberIds, reason);
    await tx.outbox.enqueue({
      installationId: inst,
      networkId: network.id,
      key: `intro:${group.id}`,
      target: { kind: 'group', memberIds: planned.memberIds },
      message: introMessage(network, members, reason, orgs),
    });
    if (network.nudges['check-in']) {
      for (const member of members) {
        await tx.outbox.enqueue({
          installationId: inst,
          networkId: network.id,
          key: `checkin:${group.id}:${member.id}`,
          target: { kind: 'user', memberId: member.id },
          message: checkInMessage(
            network,
            member,
            members.filter((o) => o.id !== member.id),
            group.id,
          ),
          notBefore: sendableFrom(timing.checkInAt, member.timezone ?? network.timezone, network.quietHours),
        });
      }
    }
  }

  const notes = await tx.pairing.unsharedNotes(inst, network.id);
  const noteAuthors = await tx.members.getMany(inst, [...new Set(notes.map((n) => n.memberId))]);
  const authors = new Map(noteAuthors.map((m) => [m.id, m]));
  const shared = network.shareNotes
    ? notes.flatMap((n) => {
        const member = authors.get(n.memberId);
        return member ? [{ member, note: n.note }] : [];
      })
    : [];
  await tx.outbox.enqueue({
    installationId: inst,
    networkId: network.id,
    key: `round:${round.id}:announce`,
    target: { kind: 'channel', channelId: network.channelId },
    message: roundAnnouncement(
      network,
      { number: round.number, groups: plan.groups.length, people: people.length },
      shared,
    ),
  });
  if (shared.length > 0) await tx.pairing.markNotesShared(inst, network.id, now);

  return { ok: true, round, groups: plan.groups.length, people: people.length, repeats: plan.repeats.length };
}
