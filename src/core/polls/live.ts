/**
 * Live poll updates: the outbox dispatcher renders a vote's update when it sends it, from the
 * votes as they are then (see queueLivePollUpdate). Reading and rendering are separate turns of
 * the event loop, so requests waiting for their ack get in between.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock, LiveMessages, Store } from '../ports.js';
import { pollView } from './refresh.js';
import { pollMessage } from './render.js';

export function pollLiveMessages(store: Store, clock: Clock): LiveMessages {
  return {
    async render(installationId, source) {
      if (source.kind !== 'poll') return null;
      const view = await store.transaction(async (tx) => {
        const poll = await tx.polls.get(installationId, source.id);
        // A finalized poll's own update names the chosen date; a live one must not overwrite it.
        if (!poll || poll.state === 'finalized') return null;
        const network = await tx.networks.get(installationId, poll.networkId);
        if (!network) return null;
        return pollView(tx, network, poll, clock.now());
      });
      if (!view) return null;
      await nextTurn();
      return pollMessage(view);
    },
  };
}
