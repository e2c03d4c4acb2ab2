/** The welcome a member gets in a direct message: at setup, or when they join the channel later. */
import { translator } from '../../messages/i18n.js';
import { actions, button, context, type Message, mention, plainText, section } from '../../messages/model.js';
import type { StoreTx } from '../ports.js';
import { sendableFrom } from '../schedule/quiet-hours.js';
import type { Member, Network } from '../types.js';
import { PROFILE_OPEN } from './profile.js';

export function welcomeMessage(network: Network, member: Member): Message {
  const t = translator(member.locale ?? network.locale);
  return {
    text: t('setup.welcome.title', { name: network.name }),
    blocks: [
      { type: 'header', text: t('setup.welcome.title', { name: network.name }) },
      section(t('setup.welcome.body', { member: member.displayName })),
      ...(network.purpose ? [context(t('setup.announce.purpose', { purpose: network.purpose }))] : []),
      actions(button(t('profile.open'), PROFILE_OPEN, network.id, 'primary')),
    ],
  };
}

/**
 * Queues the welcome once per member and network (a member who leaves and returns is not
 * welcomed twice). It waits for the member's allowed hours, in their own time zone when known.
 */
export function enqueueWelcome(tx: StoreTx, network: Network, member: Member, now: Date): Promise<boolean> {
  return tx.outbox.enqueue({
    installationId: network.installationId,
    networkId: network.id,
    key: `welcome:${network.id}:${member.id}`,
    target: { kind: 'user', memberId: member.id },
    message: welcomeMessage(network, member),
    notBefore: sendableFrom(now, member.timezone ?? network.timezone, network.quietHours),
  });
}

/** The channel's short welcome for a newcomer, with the network's purpose (once per member). */
export function enqueueChannelWelcome(tx: StoreTx, network: Network, member: Member, now: Date): Promise<boolean> {
  const t = translator(network.locale);
  const text = t('welcome.channel', { member: mention(member.platformUserId, member.displayName) });
  return tx.outbox.enqueue({
    installationId: network.installationId,
    networkId: network.id,
    key: `welcome-channel:${network.id}:${member.id}`,
    target: { kind: 'channel', channelId: network.channelId },
    message: {
      text: plainText(text),
      blocks: [
        section(text),
        ...(network.purpose ? [context(t('setup.announce.purpose', { purpose: network.purpose }))] : []),
      ],
    },
    notBefore: sendableFrom(now, network.timezone, network.quietHours),
  });
}
