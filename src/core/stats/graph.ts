/**
 * The picture of the network: current members as dots, a line for each pair that met. Members are
 * numbered, never identified by an id; a forgotten member has no name. Layout happens elsewhere.
 */
import { metPairs } from './compute.js';
import type { StatsFacts } from './ports.js';

export interface GraphNode {
  /** Position in `nodes`; edges refer to it. */
  index: number;
  name: string;
  initials: string;
  /** Index into `organisations`, or null when unknown. */
  organisation: number | null;
  /** How many distinct people this member met. */
  degree: number;
}

export interface GraphEdge {
  source: number;
  target: number;
  /** How many times the pair met. */
  weight: number;
}

export interface NetworkGraph {
  organisations: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** "Anna de Vries" → "AV"; "fatima" → "F". */
export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const capitals = words.filter((w) => w[0] === w[0]?.toUpperCase() && /\p{L}/u.test(w[0] ?? ''));
  const pick = capitals.length > 0 ? capitals : words;
  const first = pick[0]?.[0] ?? '?';
  const last = pick.length > 1 ? (pick[pick.length - 1]?.[0] ?? '') : '';
  return `${first}${last}`.toUpperCase();
}

export function networkGraph(facts: StatsFacts, anonymous: string): NetworkGraph {
  const current = facts.members
    .filter((m) => m.status !== 'left')
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.memberId.localeCompare(b.memberId));
  const usedOrgs = new Set(current.map((m) => m.organisationId).filter((o): o is string => o !== null));
  const organisations = facts.organisations
    .filter((o) => usedOrgs.has(o.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  const orgIndex = new Map(organisations.map((o, i) => [o.id, i]));
  const index = new Map(current.map((m, i) => [m.memberId, i]));

  const edges: GraphEdge[] = [];
  const degree = new Array<number>(current.length).fill(0);
  for (const [key, weight] of metPairs(facts)) {
    const [a, b] = key.split('|') as [string, string];
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) continue;
    edges.push({ source: Math.min(ia, ib), target: Math.max(ia, ib), weight });
    degree[ia] = (degree[ia] ?? 0) + 1;
    degree[ib] = (degree[ib] ?? 0) + 1;
  }
  edges.sort((x, y) => x.source - y.source || x.target - y.target);

  return {
    organisations: organisations.map((o) => o.name),
    nodes: current.map((m, i) => {
      const name = m.forgotten || !m.displayName ? anonymous : m.displayName;
      return {
        index: i,
        name,
        initials: m.forgotten ? '?' : initials(name),
        organisation: m.organisationId ? (orgIndex.get(m.organisationId) ?? null) : null,
        degree: degree[i] ?? 0,
      };
    }),
    edges,
  };
}
