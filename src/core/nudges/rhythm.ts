/**
 * The rhythm nudge: when no meeting is planned within the network's `rhythm` weeks and no poll is
 * open, the channel is asked to plan the next one, with a button that opens the poll form.
 */
import { translator } from '../../messages/i18n.js';
import { actions, button, type Message, section } from '../../messages/model.js';
import { POLL_FORM_OPEN } from '../polls/ids.js';
import type { StoreTx } from '../ports.js';
import type { Network } from '../types.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Claimed when the channel was asked (the rhythm slot's own claim is made whether or not it asks). */
const RHYTHM_SENT = 'rhythm-sent';

/** True when the network keeps its rhythm at `at`: a meeting within `rhythm` weeks, or an open poll. */
export async function rhythmKept(tx: StoreTx, network: Network, at: Date): Promise<boolean> {
  if (await tx.nudges.hasOpenPoll(network.installationId, network.id)) return true;
  const until = new Date(at.getTime() + network.rhythmWeeks * WEEK);
  return tx.nudges.meetingPlanned(network.installationId, network.id, at, until);
}

export function rhythmMessage(network: Network): Message {
  const t = translator(network.locale);
  const text = t('nudge.rhythm.text', { weeks: network.rhythmWeeks });
  return {
    text,
    blocks: [section(text), actions(button(t('nudge.rhythm.button'), POLL_FORM_OPEN, network.id, 'primary'))],
  };
}

/** Runs in the scheduler's claim transaction; returns whether the channel was asked. */
export async function sendRhythmNudge(
  tx: StoreTx,
  network: Network,
  slotKey: string,
  now: Date,
  workerId: string,
): Promise<boolean> {
  if (await rhythmKept(tx, network, now)) return false;
  // At most weekly, even when a new time zone or day brings the next slot closer.
  const last = await tx.jobClaims.latest(network.id, RHYTHM_SENT);
  if (last && now.getTime() - last.claimedAt.getTime() < 6 * DAY) return false;
  await tx.jobClaims.claim({
    installationId: network.installationId,
    networkId: network.id,
    kind: RHYTHM_SENT,
    slot: slotKey,
    outcome: 'run',
    claimedBy: workerId,
    at: now,
  });
  return tx.outbox.enqueue({
    installationId: network.installationId,
    networkId: network.id,
    key: `rhythm:${network.id}:${slotKey}`,
    target: { kind: 'channel', channelId: network.channelId },
    message: rhythmMessage(network),
  });
}

/**
 * For `settings`: whether a rhythm slot at `at` would ask, given the meetings planned now and whether
 * a poll is open (a meeting planned later counts once `at` comes within its window).
 */
export async function rhythmForecast(
  tx: StoreTx,
  network: Network,
  now: Date,
  horizon: Date,
): Promise<(at: Date) => boolean> {
  if (await tx.nudges.hasOpenPoll(network.installationId, network.id)) return () => false;
  const starts = await tx.nudges.meetingStarts(network.installationId, network.id, now, horizon);
  return (at) => !starts.some((s) => s > at && s.getTime() <= at.getTime() + network.rhythmWeeks * WEEK);
}
