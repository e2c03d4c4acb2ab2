/**
 * The quiet-member nudge: a member with no pairing answer, vote, RSVP or tip for 8 weeks gets one
 * friendly DM with the next meeting and a one-click pause; at most once a month, never while they or
 * the network are paused, at the network's time of day in the member's own zone, outside quiet hours.
 * Each DM is made once across processes by claiming (network, 'quiet-member', member:due).
 */
import { formatDateTime, formatLongDate, translator } from '../../messages/i18n.js';
import { actions, button, context, type Message, section } from '../../messages/model.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { Store, StoreTx } from '../ports.js';
import type { Locale, Network } from '../types.js';
import { nextNetworkTime } from './local-time.js';
import type { QuietCandidate } from './ports.js';

const DAY = 86_400_000;
export const QUIET_AFTER_DAYS = 56;
export const NUDGE_EVERY_DAYS = 30;
export const QUIET_PAUSE_DAYS = 30;
/** Action: pause the member for a month (value: the network id). */
export const QUIET_PAUSE = 'nudge.quiet.pause';

function validZone(zone: string | null): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The member's zone when known (and valid), else the network's. */
export const memberZone = (c: Pick<QuietCandidate, 'timezone'>, network: Network): string =>
  validZone(c.timezone) ? c.timezone : network.timezone;

const atLocalTime = (from: number, zone: string, network: Network): Date => nextNetworkTime(from, zone, network);

/**
 * When this member's next quiet-member DM is due, if they stay quiet: eight weeks after their last
 * activity, a month after the last such DM, not before a network pause ends; at the network's time
 * in the member's zone. Also the DM's claim key, so every process computes the same.
 */
export function quietDueAt(c: QuietCandidate, network: Network): Date {
  let from = c.lastActivity.getTime() + QUIET_AFTER_DAYS * DAY;
  if (c.lastNudgedAt) from = Math.max(from, c.lastNudgedAt.getTime() + NUDGE_EVERY_DAYS * DAY);
  if (network.pausedUntil) from = Math.max(from, network.pausedUntil.getTime());
  return atLocalTime(from, memberZone(c, network), network);
}

/** Late by more than this (downtime, a pause just lifted), a DM waits for the member's next `time`. */
const LATE_MS = 3_600_000;

/** When the DM due at `due` may go out, seen at `now`: on time, or when late, at the next local `time`. */
export function quietSendAt(c: QuietCandidate, network: Network, due: Date, now: Date): Date {
  if (due > now || now.getTime() - due.getTime() < LATE_MS) return due;
  return atLocalTime(now.getTime(), memberZone(c, network), network);
}

export function quietMessage(
  locale: Locale,
  zone: string,
  name: string,
  network: Network,
  meeting: { title: string; startsAt: Date } | null,
): Message {
  const t = translator(locale);
  const text = t('nudge.quiet.text', { name, network: network.name });
  const meetingLine = meeting
    ? t('nudge.quiet.meeting', { title: meeting.title, when: formatDateTime(meeting.startsAt, locale, zone) })
    : t('nudge.quiet.noMeeting');
  return {
    text,
    blocks: [
      section(text),
      section(meetingLine),
      context(t('nudge.quiet.pauseHint')),
      actions(button(t('nudge.quiet.pause'), QUIET_PAUSE, network.id)),
    ],
  };
}

async function networksOf(store: Store, candidates: QuietCandidate[]): Promise<Map<string, Network>> {
  const ids = new Map(candidates.map((c) => [c.networkId, c.installationId]));
  const out = new Map<string, Network>();
  await store.transaction(async (tx) => {
    for (const [networkId, installationId] of ids) {
      const network = await tx.networks.get(installationId, networkId);
      if (network) out.set(networkId, network);
    }
  });
  return out;
}

/**
 * Sends a network's due DMs in one transaction; returns how many (none when another process did, or
 * the network was paused or switched the nudge off meanwhile).
 */
async function nudgeNetwork(
  tx: StoreTx,
  listed: Network,
  due: Array<{ c: QuietCandidate; at: Date }>,
  now: Date,
  workerId: string,
): Promise<number> {
  const network = await tx.networks.get(listed.installationId, listed.id);
  if (network?.state !== 'active') return 0;
  if (network.nudges['quiet-member'] === false) return 0;
  if (network.pausedUntil && network.pausedUntil > now) return 0;
  let meeting: Awaited<ReturnType<StoreTx['nudges']['nextMeeting']>> | undefined;
  let sent = 0;
  for (const { c, at } of due) {
    const membership = await tx.members.getMembership(c.installationId, c.networkId, c.memberId);
    if (!membership || membership.status === 'left') continue;
    if (membership.pausedUntil ? membership.pausedUntil > now : membership.status === 'paused') continue;
    const slot = `${c.memberId}:${at.toISOString()}`;
    const won = await tx.jobClaims.claim({
      installationId: c.installationId,
      networkId: c.networkId,
      kind: 'quiet-member',
      slot,
      outcome: 'run',
      claimedBy: workerId,
      at: now,
    });
    if (!won) continue;
    const member = await tx.members.get(c.installationId, c.memberId);
    if (!member) continue;
    meeting ??= await tx.nudges.nextMeeting(c.installationId, c.networkId, now);
    await tx.outbox.enqueue({
      installationId: c.installationId,
      networkId: c.networkId,
      key: `quiet-member:${c.networkId}:${slot}`,
      target: { kind: 'user', memberId: c.memberId },
      message: quietMessage(c.locale ?? network.locale, memberZone(c, network), member.displayName, network, meeting),
    });
    sent++;
  }
  return sent;
}

export const quietMemberNudges = {
  name: 'quiet-member',
  async run({ now, store, workerId }: { now: Date; store: Store; workerId: string }): Promise<number> {
    const quietBefore = new Date(now.getTime() - QUIET_AFTER_DAYS * DAY);
    const candidates = await store.transaction((tx) => tx.nudges.quietCandidates(now, quietBefore));
    if (candidates.length === 0) return 0;
    const networks = await networksOf(store, candidates);
    const byNetwork = new Map<string, Array<{ c: QuietCandidate; at: Date }>>();
    for (const c of candidates) {
      const network = networks.get(c.networkId);
      if (!network) continue;
      try {
        const at = quietDueAt(c, network);
        if (quietSendAt(c, network, at, now) > now) continue;
        byNetwork.set(c.networkId, [...(byNetwork.get(c.networkId) ?? []), { c, at }]);
      } catch {
        // A broken setting on one network must not stop the others.
      }
    }
    let sent = 0;
    for (const [networkId, due] of byNetwork) {
      const network = networks.get(networkId) as Network;
      sent += await store.transaction((tx) => nudgeNetwork(tx, network, due, now, workerId));
    }
    return sent;
  },
  async nextDueAt(after: Date, store: Store): Promise<Date | null> {
    const candidates = await store.transaction((tx) => tx.nudges.quietCandidates(after));
    const networks = await networksOf(store, candidates);
    let best: Date | null = null;
    for (const c of candidates) {
      const network = networks.get(c.networkId);
      if (!network) continue;
      try {
        const due = quietDueAt(c, network);
        const at = due > after ? due : quietSendAt(c, network, due, new Date(after.getTime() + 60_000));
        if (at > after && (!best || at < best)) best = at;
      } catch {
        // A broken setting on one network must not stop the others.
      }
    }
    return best;
  },
};

/** The one-click pause from the quiet-member DM: a month off pairing and nudges, then as before. */
export async function pauseFromQuietNudge(ctx: RequestContext, networkId: string, now: Date): Promise<Reply> {
  const network = await ctx.tx.networks.get(ctx.installation.id, networkId);
  if (!network) return ctx.reply('error.expired');
  const membership = await ctx.tx.members.getMembership(ctx.installation.id, network.id, ctx.member.id);
  if (!membership || membership.status === 'left') return ctx.reply('error.expired');
  const until = new Date(now.getTime() + QUIET_PAUSE_DAYS * DAY);
  await ctx.tx.members.pauseMembership(ctx.installation.id, network.id, ctx.member.id, until, now);
  const zone = ctx.member.timezone && validZone(ctx.member.timezone) ? ctx.member.timezone : network.timezone;
  return {
    kind: 'update',
    message: ctx.message('nudge.quiet.paused', { until: formatLongDate(until, ctx.locale, zone) }),
  };
}
