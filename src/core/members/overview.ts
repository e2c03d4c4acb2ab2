/**
 * What one member sees of themselves: their profile and the networks they belong to, with their
 * pairing status in each. A read-only query for surfaces such as Slack's App Home.
 */
import type { InstallationKey } from '../inputs.js';
import type { MeetingRecord, RsvpStatus } from '../meetings/ports.js';
import type { Store } from '../ports.js';
import type { Member, Membership, Network } from '../types.js';

export interface MemberOverview {
  member: Member | null;
  organisationName: string | null;
  networks: Array<{ network: Network; membership: Membership }>;
  /** Upcoming meetings the member answered going, maybe or waitlist for (when asked with a time). */
  meetings?: Array<{ meeting: MeetingRecord; status: RsvpStatus; timezone: string }>;
}

export async function memberOverview(
  store: Store,
  key: InstallationKey,
  platformUserId: string,
  now?: Date,
): Promise<MemberOverview> {
  return store.transaction(async (tx) => {
    const installation = await tx.installations.ensure(key.platform, key.externalId, key.name);
    const member = await tx.members.findByPlatformId(installation.id, platformUserId);
    if (!member) return { member: null, organisationName: null, networks: [] };
    // The port has no "networks of a member" query yet: active networks, filtered to this installation.
    const active = (await tx.networks.listActive()).filter((n) => n.installationId === installation.id);
    const networks: MemberOverview['networks'] = [];
    let organisationName: string | null = null;
    for (const network of active) {
      const membership = await tx.members.getMembership(installation.id, network.id, member.id);
      if (!membership) continue;
      networks.push({ network, membership });
      if (member.organisationId && organisationName === null) {
        const orgs = await tx.organisations.list(installation.id, network.id);
        organisationName = orgs.find((o) => o.id === member.organisationId)?.name ?? null;
      }
    }
    networks.sort((a, b) => a.network.name.localeCompare(b.network.name));
    if (!now) return { member, organisationName, networks };
    const zones = new Map(networks.map((n) => [n.network.id, n.network.timezone]));
    const meetings = (await tx.meetings.upcomingForMember(installation.id, member.id, now, 10)).map((m) => ({
      ...m,
      timezone: member.timezone ?? zones.get(m.meeting.networkId) ?? 'UTC',
    }));
    return { member, organisationName, networks, meetings };
  });
}
