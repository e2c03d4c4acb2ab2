/**
 * Follow-through when someone leaves mid-round: a partner left alone joins another group of the
 * same round (the smallest, preferring people they have not met), and that group gets a new intro.
 */
import type { StoreTx } from '../ports.js';
import type { Member, Network } from '../types.js';
import { introMessage } from './messages.js';
import type { GroupRecord } from './ports.js';

export async function rematchAfterLeaving(tx: StoreTx, network: Network, member: Member, now: Date): Promise<void> {
  const inst = network.installationId;
  const round = await tx.pairing.latestRound(inst, network.id);
  if (!round || round.endsAt <= now) return;
  const groups = await tx.pairing.groupsOfRound(inst, round.id);
  const active = (g: GroupRecord) => g.members.filter((m) => !m.leftAt);
  const own = groups.find((g) => active(g).some((m) => m.memberId === member.id));
  if (!own) return;
  await tx.pairing.markLeft(inst, own.id, member.id, now);
  const rest = active(own).filter((m) => m.memberId !== member.id);
  if (rest.length !== 1) return;
  const partner = rest[0]!.memberId;

  const history = await tx.pairing.history(inst, network.id);
  const met = new Set(history.filter((g) => g.memberIds.includes(partner)).flatMap((g) => g.memberIds));
  const candidates = groups
    .filter((g) => g.id !== own.id && active(g).length >= 2)
    .map((g) => ({ g, size: active(g).length, repeats: active(g).filter((m) => met.has(m.memberId)).length }))
    .sort((a, b) => a.repeats - b.repeats || a.size - b.size);
  const target = candidates[0]?.g;
  if (!target) return;
  await tx.pairing.addToGroup(inst, target.id, partner);
  const memberIds = [...active(target).map((m) => m.memberId), partner];
  const members = await tx.members.getMany(inst, memberIds);
  const orgs = await tx.organisations.list(inst, network.id);
  await tx.outbox.enqueue({
    installationId: inst,
    networkId: network.id,
    key: `intro:${target.id}:joined:${partner}`,
    target: { kind: 'group', memberIds },
    message: introMessage(
      network,
      memberIds.map((id) => members.find((m) => m.id === id)).filter((m): m is Member => !!m),
      target.reason,
      orgs,
    ),
  });
}
