/**
 * Host rotation: among the members going, suggest one who has not hosted a meeting of the network
 * (never first, then longest ago); ties go to whoever said yes first.
 */
import type { StoreTx } from '../ports.js';
import type { Member } from '../types.js';
import type { MeetingRecord, RsvpRecord } from './ports.js';

/** Picks from candidate ids in answer order; pure, for tests. */
export function pickHost(candidates: readonly string[], lastHosted: ReadonlyMap<string, Date>): string | null {
  let best: string | null = null;
  let bestAt = Number.POSITIVE_INFINITY;
  for (const id of candidates) {
    const at = lastHosted.get(id)?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (best === null || at < bestAt) {
      best = id;
      bestAt = at;
    }
  }
  return best;
}

export async function suggestHost(
  tx: StoreTx,
  meeting: MeetingRecord,
  rsvps: readonly RsvpRecord[],
): Promise<Member | null> {
  const going = rsvps.filter((r) => r.status === 'going').map((r) => r.memberId);
  if (going.length === 0) return null;
  const last = await tx.meetings.lastHosted(meeting.installationId, meeting.networkId);
  const id = pickHost(going, last);
  return id ? tx.members.get(meeting.installationId, id) : null;
}
