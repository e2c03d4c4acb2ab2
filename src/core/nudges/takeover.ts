/**
 * A network without a coordinator: the member asked to take over has a week to answer; then the
 * next longest-standing member is asked, at the network's time, until someone does or everyone was
 * asked. Not while the network is paused (an archived channel has nobody to ask).
 */
import { askToTakeOver, TAKEOVER_ASK, TAKEOVER_WAIT_DAYS } from '../networks/coordinators.js';
import type { Store, StoreTx } from '../ports.js';
import type { Network } from '../types.js';
import { nextNetworkTime } from './local-time.js';

const DAY = 86_400_000;

/** When the next member is asked, given when the last one was (now when nobody was yet). */
async function nextAskAt(tx: StoreTx, network: Network, now: Date): Promise<Date> {
  const last = await tx.jobClaims.latest(network.id, TAKEOVER_ASK);
  return last ? nextNetworkTime(last.claimedAt.getTime() + TAKEOVER_WAIT_DAYS * DAY, network.timezone, network) : now;
}

const paused = (network: Network, now: Date) => network.pausedUntil !== null && network.pausedUntil > now;

export const takeOverNudges = {
  name: 'coordinator-takeover',
  async run({ now, store, workerId }: { now: Date; store: Store; workerId: string }): Promise<number> {
    const orphans = await store.transaction((tx) => tx.nudges.withoutCoordinator());
    let asked = 0;
    for (const network of orphans) {
      if (paused(network, now)) continue;
      const done = await store.transaction(async (tx) => {
        if ((await tx.coordinators.list(network.installationId, network.id)).length > 0) return false;
        let at: Date;
        try {
          at = await nextAskAt(tx, network, now);
        } catch {
          return false;
        }
        return at <= now ? askToTakeOver(tx, network, now, workerId) : false;
      });
      if (done) asked++;
    }
    return asked;
  },
  async nextDueAt(after: Date, store: Store): Promise<Date | null> {
    return store.transaction(async (tx) => {
      let best: Date | null = null;
      for (const network of await tx.nudges.withoutCoordinator()) {
        if (paused(network, after)) continue;
        try {
          const at = await nextAskAt(tx, network, after);
          if (at > after && (!best || at < best)) best = at;
        } catch {
          // A broken time zone on one network must not stop the others.
        }
      }
      return best;
    });
  },
};
