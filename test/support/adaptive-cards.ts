/**
 * What Teams would refuse in a posted activity: over 28 KB, or an attachment the Adaptive Cards
 * SDK (Microsoft's own parser) reports problems with. Empty when the activity is fine.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

/** Teams refuses activities larger than this. */
export const TEAMS_MAX_BYTES = 28 * 1024;

export function cardProblems(activity: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(JSON.stringify(activity));
  if (bytes >= TEAMS_MAX_BYTES) problems.push(`activity is ${bytes} bytes`);
  for (const a of (activity.attachments as Array<{ content?: unknown }> | undefined) ?? []) {
    const ctx = new AC.SerializationContext();
    new AC.AdaptiveCard().parse(a.content, ctx);
    for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  }
  return problems;
}
