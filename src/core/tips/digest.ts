/** The weekly tip digest: the week's new tips and the most upvoted; nothing when nothing is new. */
import { translator } from '../../messages/i18n.js';
import { context, type Message, section } from '../../messages/model.js';
import type { StoreTx } from '../ports.js';
import type { Member, Network } from '../types.js';
import { tipLine } from './tips.js';

const WEEK = 7 * 86_400_000;
const MAX_NEW = 10;
const TOP = 3;

/** Queues the digest of the week before `slot`; returns false (nothing queued) when no tip is new. */
export async function sendDigest(tx: StoreTx, network: Network, slot: Date, slotKey: string): Promise<boolean> {
  const fresh = await tx.tips.createdBetween(network.installationId, network.id, new Date(slot.getTime() - WEEK), slot);
  if (fresh.length === 0) return false;
  const top = await tx.tips.mostUpvoted(network.installationId, network.id, TOP);
  const shown = fresh.slice(0, MAX_NEW);
  const authorIds = [...new Set([...shown, ...top].map((t) => t.authorId).filter((a): a is string => a !== null))];
  const authors = new Map<string, Member>(
    (await tx.members.getMany(network.installationId, authorIds)).map((m) => [m.id, m]),
  );
  const t = translator(network.locale);
  const line = (tip: (typeof fresh)[number]) =>
    `• ${tipLine(t, tip, tip.authorId ? authors.get(tip.authorId) : undefined).replace('\n', ' ')}`;
  const blocks: Message['blocks'] = [
    { type: 'header', text: t('digest.title') },
    section(`${t('digest.new', { count: fresh.length })}\n${shown.map(line).join('\n')}`),
  ];
  if (fresh.length > shown.length) blocks.push(context(t('digest.andMore', { count: fresh.length - shown.length })));
  if (top.length > 0) blocks.push(section(`${t('digest.top')}\n${top.map(line).join('\n')}`));
  await tx.outbox.enqueue({
    installationId: network.installationId,
    networkId: network.id,
    key: `digest:${network.id}:${slotKey}`,
    target: { kind: 'channel', channelId: network.channelId },
    message: { text: t('digest.title'), blocks },
  });
  return true;
}
