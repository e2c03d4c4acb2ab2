/**
 * Scheduled job kinds: when their slots are, how quiet hours move them, and when a slot has lost
 * its point. Features register a handler per kind with the scheduler; the definitions are pure.
 */
import type { Network, NudgeKind } from '../types.js';
import { nextAllowedMinute, previousWeekdayAllowed } from './quiet-hours.js';
import {
  anniversarySlots,
  checkInRound,
  checkInSlots,
  digestSlots,
  nextPairingSlot,
  pairingSlots,
  weeklySlots,
} from './slots.js';

export interface JobDefinition {
  kind: string;
  /** The `nudge <kind> on|off` setting that switches this job. */
  nudge: NudgeKind;
  audience: 'channel' | 'dm';
  /** Outside quiet hours: wait for the next allowed minute, or move back to the weekday before. */
  adjust: 'next-allowed' | 'previous-weekday';
  /** Nominal slots, from ≤ slot ≤ to, ascending, in the network's zone. */
  slots(network: Network, from: Date, to: Date): Date[];
  /** After this the slot has lost its point (dropped when first seen later); null: never. */
  staleAt(network: Network, slot: Date): Date | null;
  /**
   * The slot of another kind this one belongs to (a check-in belongs to its pairing round): when
   * that slot was skipped, dropped or failed, this one is skipped too.
   */
  parent?: { kind: string; slot(network: Network, slot: Date): Date | null };
  /** The network's one-off "skip round" flag skips this job's next slot (and is cleared then). */
  honoursSkipNextRound?: boolean;
  /** Left out of `settings`' upcoming list (a weekly look that usually sends nothing). */
  hiddenInUpcoming?: boolean;
}

/** When a nominal slot actually goes out: adjusted for quiet hours and weekends, in network time. */
export function effectiveAt(job: Pick<JobDefinition, 'adjust'>, network: Network, slot: Date): Date {
  return job.adjust === 'previous-weekday'
    ? previousWeekdayAllowed(slot, network.timezone, network.quietHours)
    : nextAllowedMinute(slot, network.timezone, network.quietHours);
}

const DAY = 86_400_000;

/** A pairing round ends when the next round goes out. */
function roundEnd(network: Network, roundStart: Date): Date | null {
  const next = nextPairingSlot(network, roundStart);
  return next ? effectiveAt(pairingJob, network, next) : null;
}

export const pairingJob: JobDefinition = {
  kind: 'pairing',
  nudge: 'pairing',
  audience: 'channel',
  adjust: 'next-allowed',
  slots: pairingSlots,
  staleAt: (network, slot) => roundEnd(network, slot),
  honoursSkipNextRound: true,
};

export const checkInJob: JobDefinition = {
  kind: 'check-in',
  nudge: 'check-in',
  audience: 'dm',
  adjust: 'next-allowed',
  slots: checkInSlots,
  staleAt: (network, slot) => {
    const round = checkInRound(network, slot);
    return round ? roundEnd(network, round.start) : null;
  },
  parent: { kind: 'pairing', slot: (network, slot) => checkInRound(network, slot)?.start ?? null },
};

export const digestJob: JobDefinition = {
  kind: 'digest',
  nudge: 'digest',
  audience: 'channel',
  adjust: 'next-allowed',
  slots: digestSlots,
  // Two days after it could first go out (a Friday-evening digest waits for Monday, then counts).
  staleAt: (network, slot) => new Date(effectiveAt(digestJob, network, slot).getTime() + 2 * DAY),
};

/**
 * The rhythm nudge: weekly on the network's day at its time, the channel is asked to plan the next
 * meeting when none is planned within `rhythm` weeks and no poll is open (the handler checks).
 */
export const rhythmJob: JobDefinition = {
  kind: 'rhythm',
  nudge: 'rhythm',
  audience: 'channel',
  adjust: 'next-allowed',
  slots: weeklySlots,
  // The next week's slot takes over.
  staleAt: (network, slot) => new Date(effectiveAt(rhythmJob, network, slot).getTime() + 2 * DAY),
};

/**
 * Connection milestones ("50 new connections made!"): looked at weekly, right after the pairing
 * round of that minute; each milestone is announced once.
 */
export const milestonesJob: JobDefinition = {
  kind: 'milestones',
  nudge: 'milestones',
  audience: 'channel',
  adjust: 'next-allowed',
  slots: weeklySlots,
  staleAt: (network, slot) => new Date(effectiveAt(milestonesJob, network, slot).getTime() + 2 * DAY),
  hiddenInUpcoming: true,
};

/** The network's anniversary, on the date of setup at the network's time. */
export const anniversaryJob: JobDefinition = {
  kind: 'anniversary',
  nudge: 'milestones',
  audience: 'channel',
  adjust: 'next-allowed',
  slots: anniversarySlots,
  staleAt: (network, slot) => new Date(effectiveAt(anniversaryJob, network, slot).getTime() + 7 * DAY),
};

/**
 * In the order the scheduler handles them: a round's pairing before its check-in, and before the
 * milestones that round may reach.
 */
export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  pairingJob,
  checkInJob,
  digestJob,
  rhythmJob,
  milestonesJob,
  anniversaryJob,
];
