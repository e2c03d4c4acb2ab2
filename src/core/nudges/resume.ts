/**
 * The end of `pause network <date>`: when the date has come, the channel is told (at the network's
 * time that day, outside quiet hours) and the pause is cleared. Once across processes: the claim
 * (network, 'resumed', pause end) commits with the message.
 */
import { translator } from '../../messages/i18n.js';
import { section } from '../../messages/model.js';
import type { Store } from '../ports.js';
import type { Network } from '../types.js';
import { nextNetworkTime } from './local-time.js';

/** The first network `time` at or after the pause end, on an allowed day. */
export function resumeAnnouncedAt(network: Network, pausedUntil: Date): Date {
  return nextNetworkTime(pausedUntil, network.timezone, network);
}

export const pauseEndNudges = {
  name: 'network-resumed',
  async run({ now, store, workerId }: { now: Date; store: Store; workerId: string }): Promise<number> {
    const ended = await store.transaction((tx) => tx.nudges.endedPauses(now));
    let told = 0;
    for (const { network, pausedUntil } of ended) {
      let due: Date;
      try {
        due = resumeAnnouncedAt(network, pausedUntil);
      } catch {
        continue;
      }
      if (due > now) continue;
      const done = await store.transaction(async (tx) => {
        const fresh = await tx.networks.get(network.installationId, network.id);
        if (fresh?.state !== 'active' || fresh.pausedUntil?.getTime() !== pausedUntil.getTime()) return false;
        const won = await tx.jobClaims.claim({
          installationId: network.installationId,
          networkId: network.id,
          kind: 'resumed',
          slot: pausedUntil.toISOString(),
          outcome: 'run',
          claimedBy: workerId,
          at: now,
        });
        if (!won) return false;
        await tx.networks.setPause(network.installationId, network.id, null);
        const text = translator(fresh.locale)('nudge.resumed', { name: fresh.name });
        await tx.outbox.enqueue({
          installationId: network.installationId,
          networkId: network.id,
          key: `resumed:${network.id}:${pausedUntil.toISOString()}`,
          target: { kind: 'channel', channelId: network.channelId },
          message: { text, blocks: [section(text)] },
        });
        return true;
      });
      if (done) told++;
    }
    return told;
  },
  async nextDueAt(after: Date, store: Store): Promise<Date | null> {
    const { ended, next } = await store.transaction(async (tx) => ({
      ended: await tx.nudges.endedPauses(after),
      next: await tx.nudges.nextPauseEnd(after),
    }));
    let best = next;
    for (const { network, pausedUntil } of ended) {
      try {
        const due = resumeAnnouncedAt(network, pausedUntil);
        if (due > after && (!best || due < best)) best = due;
      } catch {
        // A broken time zone on one network must not stop the others.
      }
    }
    return best;
  },
};
