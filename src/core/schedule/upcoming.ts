/**
 * The next scheduled messages of a network, as `settings` shows them: effective times (after
 * quiet hours), leaving out what the scheduler would skip or drop.
 */
import type { Network } from '../types.js';
import { effectiveAt, type JobDefinition } from './jobs.js';

export interface UpcomingSlot {
  kind: string;
  /** When it goes out (quiet hours applied). */
  at: Date;
  /** The nominal slot (the scheduler's slot key is its ISO string). */
  slot: Date;
}

const DAY = 86_400_000;
/** How far back parents (a round that started before `from`) are looked at. */
const PAST_DAYS = 45;
const HORIZONS_DAYS = [62, 400];

interface Planned {
  slot: Date;
  at: Date;
  runs: boolean;
}

/** What the scheduler would decide for each slot of one job, ignoring parents. */
function plan(network: Network, job: JobDefinition, from: Date, to: Date): Planned[] {
  const out: Planned[] = [];
  let skipPending = job.honoursSkipNextRound === true && network.skipNextRound;
  const slots = job.slots(network, new Date(from.getTime() - PAST_DAYS * DAY), to);
  for (const slot of slots) {
    const at = effectiveAt(job, network, slot);
    const stale = job.staleAt(network, slot);
    let runs =
      network.nudges[job.nudge] !== false &&
      !(network.pausedUntil && network.pausedUntil > at) &&
      !(stale && stale <= at);
    if (runs && skipPending && at >= from) {
      runs = false;
      skipPending = false;
    }
    out.push({ slot, at, runs });
  }
  return out;
}

/**
 * The first `count` scheduled messages at or after `from`, merged over `jobs` and sorted by time:
 * paused slots, switched-off nudges, the round skipped by `skipNextRound` (with its check-in) and
 * slots that would be stale by then are left out.
 */
export function upcomingSlots(
  network: Network,
  allJobs: readonly JobDefinition[],
  from: Date,
  count: number,
  /** What the database knows: false when a slot's handler would send nothing then (a meeting is planned). */
  wouldSend: (kind: string, at: Date) => boolean = () => true,
): UpcomingSlot[] {
  if (count <= 0) return [];
  const jobs = allJobs.filter((job) => !job.hiddenInUpcoming);
  let result: UpcomingSlot[] = [];
  for (const days of HORIZONS_DAYS) {
    const to = new Date(from.getTime() + days * DAY);
    const plans = new Map(jobs.map((job) => [job.kind, plan(network, job, from, to)]));
    const runsByKind = new Map(
      [...plans].map(([kind, planned]) => [kind, new Map(planned.map((p) => [p.slot.getTime(), p.runs]))]),
    );
    result = [];
    jobs.forEach((job) => {
      for (const p of plans.get(job.kind) ?? []) {
        if (!p.runs || p.at < from || !wouldSend(job.kind, p.at)) continue;
        if (job.parent) {
          const parentSlot = job.parent.slot(network, p.slot);
          const parentRuns = parentSlot ? runsByKind.get(job.parent.kind)?.get(parentSlot.getTime()) : undefined;
          if (parentRuns === false) continue;
        }
        result.push({ kind: job.kind, at: p.at, slot: p.slot });
      }
    });
    const order = new Map(jobs.map((j, i) => [j.kind, i]));
    result.sort((a, b) => a.at.getTime() - b.at.getTime() || (order.get(a.kind) ?? 0) - (order.get(b.kind) ?? 0));
    if (result.length >= count) break;
  }
  return result.slice(0, count);
}
