/**
 * An archived or deleted channel pauses its network (nothing scheduled goes out) and the
 * coordinators are told; unarchiving resumes it.
 */
import { translator } from '../../messages/i18n.js';
import { section } from '../../messages/model.js';
import type { InstallationKey } from '../inputs.js';
import type { Clock, Store } from '../ports.js';

export type ChannelState = 'archived' | 'deleted' | 'unarchived';

export interface ChannelStateEvent {
  installation: InstallationKey;
  channelId: string;
  state: ChannelState;
}

/** A pause with no end: lifted only by unarchiving or `pause network` with a date. */
export const INDEFINITE = new Date('9999-12-31T00:00:00Z');

export async function handleChannelState(
  deps: { store: Store; clock: Clock },
  event: ChannelStateEvent,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const installation = await tx.installations.ensure(event.installation.platform, event.installation.externalId);
    const network = await tx.networks.findByChannel(installation.id, event.channelId);
    if (network?.state !== 'active') return;
    const now = deps.clock.now();
    const gone = event.state !== 'unarchived';
    if (gone === (network.pausedUntil !== null && network.pausedUntil >= INDEFINITE)) return;
    await tx.networks.setPause(installation.id, network.id, gone ? INDEFINITE : null);
    if (gone) await tx.nudges.withdrawScheduled(installation.id, network.id, now, INDEFINITE);
    for (const coordinator of await tx.coordinators.list(installation.id, network.id)) {
      const t = translator(coordinator.locale ?? network.locale);
      const text = t(`channel.${event.state}`, { name: network.name });
      await tx.outbox.enqueue({
        installationId: installation.id,
        networkId: network.id,
        key: `channel-state:${network.id}:${event.state}:${now.toISOString()}:${coordinator.id}`,
        target: { kind: 'user', memberId: coordinator.id },
        message: { text, blocks: [section(text)] },
      });
    }
  });
}
