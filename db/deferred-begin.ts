/**
 * Deferred BEGIN for `pg` clients: saves two round trips for every unit of work that only reads.
 *
 * Most requests (`/klik help`, a dashboard view, a repeated click) open a transaction, read a
 * member and a network, and write nothing. drizzle sends `begin` and `commit` around them anyway,
 * so a read of one row costs three round trips. Under PostgreSQL's default READ COMMITTED every
 * statement takes its own snapshot, so plain reads before the first write see exactly what they
 * would see inside the transaction. This wrapper therefore holds a bare `begin`, lets plain reads
 * run, and sends the held `begin` just before the first statement that writes or locks (anything
 * that is not a plain `select`, or a `select … for update/share`, or one calling a function with
 * effects). A `commit` or `rollback` that ends a unit which never wrote is answered locally.
 * `begin isolation level …` (a unit asking for a stronger snapshot) is never held.
 */
import type pg from 'pg';

const BARE_BEGIN = /^\s*begin\s*;?\s*$/i;
const END = /^\s*(commit|rollback)\s*;?\s*$/i;
const PLAIN_READ = /^\s*select\b/i;
/** A select that locks rows or has effects must run inside the transaction. */
const NOT_PLAIN =
  /\bfor\s+(?:no\s+key\s+update|update|share|key\s+share)\b|pg_advisory_xact_lock|nextval|setval|set_config/i;

type QueryArgs = [config: unknown, ...rest: unknown[]];

const textOf = (config: unknown): string | null => {
  if (typeof config === 'string') return config;
  if (config && typeof config === 'object' && typeof (config as { text?: unknown }).text === 'string') {
    return (config as { text: string }).text;
  }
  return null;
};

const localResult = (command: string) => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/**
 * A Proxy that forwards everything to `target`, with its methods bound to it (so private fields
 * and `instanceof` keep working), except the members `override` returns.
 */
function forwarding<T extends object>(target: T, override: (key: PropertyKey) => unknown): T {
  const bound = new Map<PropertyKey, { fn: unknown; boundFn: unknown }>();
  return new Proxy(target, {
    get(t, key) {
      const own = override(key);
      if (own !== undefined) return own;
      const value = Reflect.get(t, key, t);
      if (typeof value !== 'function') return value;
      const cached = bound.get(key);
      if (cached && cached.fn === value) return cached.boundFn;
      const boundFn = (value as (...a: unknown[]) => unknown).bind(t);
      bound.set(key, { fn: value, boundFn });
      return boundFn;
    },
  });
}

/** One checked-out client whose bare `begin` waits for the first write. Promise-style calls only. */
export function deferBegin<C extends pg.PoolClient | pg.Client>(client: C): C {
  let held = false;
  const send = (args: QueryArgs) => (client.query as (...a: unknown[]) => unknown)(...args);
  const query = (...args: QueryArgs): unknown => {
    const text = textOf(args[0]);
    // Callback style and streaming queries (not used by drizzle) pass through untouched.
    if (text === null || args.some((a) => typeof a === 'function')) return send(args);
    if (BARE_BEGIN.test(text)) {
      held = true;
      return Promise.resolve(localResult('BEGIN'));
    }
    const end = END.exec(text);
    if (held && end) {
      held = false;
      return Promise.resolve(localResult(String(end[1]).toUpperCase()));
    }
    if (held && !(PLAIN_READ.test(text) && !NOT_PLAIN.test(text))) {
      held = false;
      return (send(['begin']) as Promise<unknown>).then(() => send(args));
    }
    return send(args);
  };
  const release = (...args: unknown[]): unknown => {
    // Back to the pool: whatever happened, the next unit of work starts with nothing held.
    held = false;
    return ((client as pg.PoolClient).release as (...a: unknown[]) => unknown)(...args);
  };
  return forwarding(client, (key) => (key === 'query' ? query : key === 'release' ? release : undefined));
}

/**
 * A pool whose checked-out clients defer their `begin` (see deferBegin). A connection keeps one
 * wrapper for its whole life, so what is kept per connection (db/repositories/prepared.ts) stays.
 */
export function deferBeginPool(pool: pg.Pool): pg.Pool {
  const wrappers = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = deferBegin(client);
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };
  const connect = (...args: unknown[]): unknown => {
    const callback = args[0];
    if (typeof callback === 'function') {
      return pool.connect((err, client, done) =>
        (callback as (...a: unknown[]) => void)(err, client ? wrap(client) : client, done),
      );
    }
    return pool.connect().then(wrap);
  };
  return forwarding(pool, (key) => (key === 'connect' ? connect : undefined));
}
