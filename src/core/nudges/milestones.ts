/**
 * Milestones: connections made ("50 nieuwe connecties gemaakt!"), counted as distinct pairs who
 * were ever in one pairing group, each announced once; and the network's anniversary.
 */
import { translator } from '../../messages/i18n.js';
import { section } from '../../messages/model.js';
import type { StoreTx } from '../ports.js';
import { anniversaryYears } from '../schedule/slots.js';
import type { Network } from '../types.js';

export const CONNECTION_MILESTONES = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/** Claims every milestone reached; announces the highest newly reached. Returns it, or null. */
export async function sendConnectionMilestone(
  tx: StoreTx,
  network: Network,
  now: Date,
  workerId: string,
): Promise<number | null> {
  const made = await tx.nudges.connectionsMade(network.installationId, network.id);
  let reached: number | null = null;
  for (const milestone of CONNECTION_MILESTONES) {
    if (milestone > made) break;
    const won = await tx.jobClaims.claim({
      installationId: network.installationId,
      networkId: network.id,
      kind: 'milestone',
      slot: `connections:${milestone}`,
      outcome: 'run',
      claimedBy: workerId,
      at: now,
    });
    if (won) reached = milestone;
  }
  if (reached === null) return null;
  const text = translator(network.locale)('nudge.milestone.connections', { count: reached, name: network.name });
  await tx.outbox.enqueue({
    installationId: network.installationId,
    networkId: network.id,
    key: `milestone:${network.id}:connections:${reached}`,
    target: { kind: 'channel', channelId: network.channelId },
    message: { text, blocks: [section(text)] },
  });
  return reached;
}

export async function sendAnniversary(tx: StoreTx, network: Network, slot: Date, slotKey: string): Promise<void> {
  const connections = await tx.nudges.connectionsMade(network.installationId, network.id);
  const text = translator(network.locale)('nudge.anniversary', {
    years: anniversaryYears(network, slot),
    name: network.name,
    connections,
  });
  await tx.outbox.enqueue({
    installationId: network.installationId,
    networkId: network.id,
    key: `anniversary:${network.id}:${slotKey}`,
    target: { kind: 'channel', channelId: network.channelId },
    message: { text, blocks: [section(text)] },
  });
}
