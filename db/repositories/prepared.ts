/**
 * Statements built once per database connection, for the queries every request runs.
 *
 * drizzle turns a query builder into SQL text on every execution: about 150 µs for the member and
 * network join each command starts with, 50 µs for a one-table select, more than the round trip
 * itself. A prepared drizzle query (`.prepare(name)`, values as `sql.placeholder`) keeps the text,
 * but is bound to the connection it was made on. So it is kept per connection: a pooled
 * PostgreSQL connection lives for the whole process, and each of its transactions reuses the
 * statements made on it (PostgreSQL parses each named statement once per connection, too).
 *
 * The connection is read from drizzle's session, which does not type it as public; when it is not
 * there (another driver, a drizzle upgrade), every call builds its statement afresh: correct,
 * only slower. `test/unit/prepared.test.ts` notices that.
 */
import type { Executor } from './executor.js';

interface Preparable<P> {
  prepare(name: string): P;
}

const byConnection = new WeakMap<object, Map<string, unknown>>();

/** The connection a database or transaction runs its queries on, when drizzle shows it. */
export function connectionOf(db: Executor): object | null {
  const session = (db as { _?: { session?: { client?: unknown } } })._?.session;
  const client = session?.client;
  return typeof client === 'object' && client !== null ? client : null;
}

/**
 * A statement named `name` (unique in the process: it is the PostgreSQL statement name), built by
 * `build` once for each connection it runs on.
 */
export function prepared<P>(name: string, build: (db: Executor) => Preparable<P>): (db: Executor) => P {
  return (db) => {
    const connection = connectionOf(db);
    if (!connection) return build(db).prepare(name);
    let statements = byConnection.get(connection);
    if (!statements) {
      statements = new Map();
      byConnection.set(connection, statements);
    }
    let statement = statements.get(name) as P | undefined;
    if (!statement) {
      statement = build(db).prepare(name);
      statements.set(name, statement);
    }
    return statement;
  };
}
