/** Tallies and the suggested winner of a poll. Pure. */
import type { Choice, PollOptionRecord, PollVote } from './ports.js';

export interface Tally {
  yes: number;
  ifNeedBe: number;
  no: number;
}

export const emptyTally = (): Tally => ({ yes: 0, ifNeedBe: 0, no: 0 });

const field: Record<Choice, keyof Tally> = { yes: 'yes', if_need_be: 'ifNeedBe', no: 'no' };

export function tallies(options: PollOptionRecord[], votes: PollVote[]): Map<string, Tally> {
  const out = new Map(options.map((o) => [o.id, emptyTally()]));
  for (const v of votes) {
    const t = out.get(v.optionId);
    if (t) t[field[v.choice]] += 1;
  }
  return out;
}

export interface Suggestion {
  option: PollOptionRecord;
  tally: Tally;
  /** The poll's creator said no to this option. */
  creatorSaidNo: boolean;
  /** More than half of everyone who voted said no to it. */
  mostSaidNo: boolean;
}

/**
 * Most yes + if need be, then most yes, then the earliest. Null when nobody voted yes or if need
 * be to any option (there is nothing to suggest).
 */
export function suggestWinner(
  options: PollOptionRecord[],
  votes: PollVote[],
  creatorId: string | null,
): Suggestion | null {
  const counts = tallies(options, votes);
  const ranked = [...options].sort((a, b) => {
    const ta = counts.get(a.id) ?? emptyTally();
    const tb = counts.get(b.id) ?? emptyTally();
    return (
      tb.yes + tb.ifNeedBe - (ta.yes + ta.ifNeedBe) ||
      tb.yes - ta.yes ||
      a.startsAt.getTime() - b.startsAt.getTime() ||
      a.position - b.position
    );
  });
  const best = ranked[0];
  if (!best) return null;
  const tally = counts.get(best.id) ?? emptyTally();
  if (tally.yes + tally.ifNeedBe === 0) return null;
  const voters = new Set(votes.map((v) => v.memberId)).size;
  const creatorSaidNo = votes.some((v) => v.optionId === best.id && v.memberId === creatorId && v.choice === 'no');
  return { option: best, tally, creatorSaidNo, mostSaidNo: tally.no * 2 > voters };
}
