/**
 * PGlite runs inside Klik's process and answers each query without real I/O: its promises settle
 * as microtasks, so a burst of transactions (200 votes at once) ran back to back without the event
 * loop ever getting a turn, and no request was even acknowledged until all were done (1 s and
 * more). This view of a PGlite gives the event loop one turn before each query, so the longest
 * stall is one query. drizzle only calls `query` and `transaction` on its client.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

interface Queryable {
  query(...args: never[]): Promise<unknown>;
}

export function withEventLoopTurns<T extends object & Queryable>(client: T): T {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'query') {
        return async (...args: unknown[]) => {
          await nextTurn();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop === 'transaction') {
        return (fn: (tx: Queryable) => unknown, ...rest: unknown[]) =>
          (value as (...a: unknown[]) => unknown).call(
            target,
            (tx: Queryable) => fn(withEventLoopTurns(tx as Queryable & object)),
            ...rest,
          );
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
