/** The scheduled pairing round: the scheduler claims the slot, the core runs the round. */
import type { ChatPlatform, Logger } from '../core/ports.js';
import { runRound } from '../core/rounds/run-round.js';
import type { Platform, PlatformUser } from '../core/types.js';
import type { JobHandler } from './scheduler.js';

export function pairingHandler(platforms: Partial<Record<Platform, ChatPlatform>>, logger: Logger): JobHandler {
  return async ({ network, slotKey, now, tx }) => {
    const installation = await tx.installations.get(network.installationId);
    const platform = installation ? platforms[installation.platform] : undefined;
    let roster: PlatformUser[] | null = null;
    if (installation && platform) {
      // A roster that cannot be read (Klik removed from the channel) leaves membership as it was.
      roster = await platform
        .listChannelMembers(
          { id: installation.id, platform: installation.platform, externalId: installation.externalId },
          network.channelId,
        )
        .catch((err: unknown) => {
          logger.warn({ networkId: network.id, code: (err as { code?: string }).code }, 'roster sync skipped');
          return null;
        });
    }
    const outcome = await runRound(tx, network, { trigger: 'scheduled', slot: slotKey, now, roster });
    logger.info(
      {
        networkId: network.id,
        ok: outcome.ok,
        ...(outcome.ok ? { groups: outcome.groups, repeats: outcome.repeats } : { reason: outcome.reason }),
      },
      'pairing round',
    );
  };
}
