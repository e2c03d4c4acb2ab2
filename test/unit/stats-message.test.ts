/** The `stats` message: pending-only rounds, more quiet members than shown, English and Dutch. */
import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/stats/compute.js';
import { statsMessage } from '../../src/core/stats/message.js';
import type { StatsFacts } from '../../src/core/stats/ports.js';
import { translator } from '../../src/messages/i18n.js';
import { textOf } from '../support/local-stack.js';

const NOW = new Date('2026-06-15T10:00:00Z');
const joined = new Date('2026-01-05T09:00:00Z');

function facts(members: number, quietSince: Date | null): StatsFacts {
  const ids = Array.from({ length: members }, (_, i) => `m${i}`);
  return {
    members: ids.map((id, i) => ({
      memberId: id,
      displayName: `Lid ${String(i).padStart(2, '0')}`,
      organisationId: null,
      status: 'active',
      joinedAt: joined,
      leftAt: null,
      forgotten: false,
    })),
    events: [],
    // One round that waits for its check-in.
    rounds: [
      { id: 'r1', number: 1, startedAt: new Date('2026-06-12T08:00:00Z'), checkInAt: new Date('2026-06-19T08:00:00Z') },
    ],
    groupMembers: [
      { roundId: 'r1', groupId: 'g1', memberId: 'm0', checkIn: null, leftAt: null },
      { roundId: 'r1', groupId: 'g1', memberId: 'm1', checkIn: null, leftAt: null },
    ],
    activity: quietSince ? ids.map((memberId) => ({ memberId, at: quietSince })) : [],
    meetings: [],
    tipTimes: [],
    organisations: [],
  };
}

describe('stats message', () => {
  it('a first round still waiting for its check-in says so, not 0 of 0', () => {
    const s = computeStats(facts(2, null), NOW, 'Europe/Amsterdam');
    const nl = textOf(statsMessage(translator('nl'), 'nl', 'Netwerk', s));
    expect(nl).toContain('Koppelrondes\n1, de check-in komt nog');
    expect(nl).toContain('#1 (vr 12 jun): 1 groepje, de check-in komt nog');
    expect(nl).toContain('Bijeenkomsten\nnog geen gehouden');
    expect(nl).toContain('Niemand is stil geworden.');
    const en = textOf(statsMessage(translator('en'), 'en', 'Network', s));
    expect(en).toContain('Pairing rounds\n1, check-in still to come');
    expect(en).toContain('Meetings\nnone held yet');
  });

  it('names five quiet members and counts the rest', () => {
    const s = computeStats(facts(8, new Date('2026-02-01T10:00:00Z')), NOW, 'Europe/Amsterdam');
    const nl = textOf(statsMessage(translator('nl'), 'nl', 'Netwerk', s));
    expect(nl).toContain('Stil geworden (8)');
    expect(nl.match(/laatst actief zo 1 feb/g)).toHaveLength(5);
    expect(nl).toContain('en nog 3');
    expect(nl).toContain('Actief in de laatste 8 weken\n0 van de 8 (0%)');
  });
});
