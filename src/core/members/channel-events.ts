/** Membership follows the channel: a join makes a member (and welcomes them), a leave ends pairing. */
import { installationRef } from '../context.js';
import type { MemberEvent } from '../inputs.js';
import { coordinatorLeftChannel } from '../networks/coordinators.js';
import { isHuman } from '../networks/setup.js';
import type { ChatPlatform, Clock, Store } from '../ports.js';
import { rematchAfterLeaving } from '../rounds/leaver.js';
import type { Platform } from '../types.js';
import { enqueueChannelWelcome, enqueueWelcome } from './welcome.js';

export interface MemberEventDeps {
  store: Store;
  platforms: Partial<Record<Platform, ChatPlatform>>;
  clock: Clock;
}

export async function handleMemberEvent(deps: MemberEventDeps, input: MemberEvent): Promise<void> {
  const { platform: kind, externalId } = input.installation;
  const found = await deps.store.transaction(async (tx) => {
    const installation = await tx.installations.ensure(kind, externalId);
    const network = await tx.networks.findByChannel(installation.id, input.channelId);
    return network?.state === 'active' ? { installation, network } : null;
  });
  if (!found) return;
  const { installation, network } = found;

  if (input.kind === 'left') {
    await deps.store.transaction(async (tx) => {
      const member = await tx.members.findByPlatformId(installation.id, input.platformUserId);
      if (!member) return;
      await tx.members.setMembership(installation.id, network.id, member.id, 'left', deps.clock.now());
      await rematchAfterLeaving(tx, network, member, deps.clock.now());
      await coordinatorLeftChannel(tx, network, member, deps.clock.now());
    });
    return;
  }

  // Ask the platform who joined before opening a transaction: no network call holds a database lock.
  const platform = deps.platforms[kind];
  const user = platform ? await platform.getUser(installationRef(installation), input.platformUserId) : null;
  if (!user || !isHuman(user)) return;
  await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    // Someone who asked Klik to forget them is not enrolled or welcomed again (until they `join`).
    if (await tx.privacy.isForgotten(installation.id, user.id)) return;
    const member = await tx.members.upsertFromPlatform(installation.id, user);
    await tx.members.setMembership(installation.id, network.id, member.id, 'active', now);
    await enqueueWelcome(tx, network, member, now);
    await enqueueChannelWelcome(tx, network, member, now);
  });
}
