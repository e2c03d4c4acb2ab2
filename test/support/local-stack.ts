/**
 * The whole local stack for tests: a real database, the real core, the local adapter and the
 * real outbox dispatcher delivering to the in-memory workspace. Time is a FakeClock.
 */
import { LocalAdapter } from '../../adapters/local/adapter.js';
import { LocalPlatform } from '../../adapters/local/platform.js';
import { LocalWorkspace } from '../../adapters/local/workspace.js';
import { createStore } from '../../db/store.js';
import type { Klik } from '../../src/core/app.js';
import type { CalendarLinks } from '../../src/core/meetings/links.js';
import type { Store } from '../../src/core/ports.js';
import { silentLogger } from '../../src/core/ports.js';
import type { JobDefinition } from '../../src/core/schedule/jobs.js';
import type { Locale } from '../../src/core/types.js';
import { type Button, type Message, plainText } from '../../src/messages/model.js';
import type { OutboxDispatcher } from '../../src/scheduler/outbox-dispatcher.js';
import { FakeClock } from './clock.js';
import { testCore } from './core.js';
import { type Backend, createTestDatabase, type TestDatabase } from './db.js';

export interface LocalStack {
  database: TestDatabase;
  store: Store;
  klik: Klik;
  workspace: LocalWorkspace;
  platform: LocalPlatform;
  adapter: LocalAdapter;
  clock: FakeClock;
  dispatcher: OutboxDispatcher;
  /** Runs the dispatcher until the outbox is empty; resolves to the number of rows handled. */
  deliver(): Promise<number>;
  installationId(): Promise<string>;
  close(): Promise<void>;
}

export interface LocalStackOptions {
  backend?: Backend;
  /** Defaults to Monday 2 March 2026, 10:30 in Amsterdam (inside the allowed hours). */
  start?: string;
  defaultLocale?: Locale;
  seed?: (workspace: LocalWorkspace) => void;
  /** Signed calendar links for meetings (tests make them with a secret box). */
  calendar?: CalendarLinks;
  /** Jobs `settings` lists as upcoming (default none). */
  scheduledJobs?: JobDefinition[];
}

export async function bootLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const database = await createTestDatabase(options.backend ?? 'pglite');
  const clock = new FakeClock(options.start ?? '2026-03-02T09:30:00.000Z');
  const store = createStore(database.db, clock);
  const workspace = new LocalWorkspace({ clock });
  options.seed?.(workspace);
  const platform = new LocalPlatform(workspace);
  const { klik, dispatcher } = testCore({
    db: database.db,
    store,
    platforms: { local: platform },
    clock,
    logger: silentLogger,
    workerId: 'test',
    defaultLocale: options.defaultLocale ?? 'nl',
    ...(options.calendar ? { calendar: options.calendar } : {}),
    ...(options.scheduledJobs ? { scheduledJobs: options.scheduledJobs } : {}),
  });
  const adapter = new LocalAdapter(klik, workspace);
  return {
    database,
    store,
    klik,
    workspace,
    platform,
    adapter,
    clock,
    dispatcher,
    async deliver() {
      let total = 0;
      for (let i = 0; i < 50; i++) {
        const n = await dispatcher.runOnce();
        if (n === 0) return total;
        total += n;
      }
      throw new Error('outbox did not drain');
    },
    installationId() {
      return store.transaction(async (tx) => (await tx.installations.ensure('local', 'local')).id);
    },
    async close() {
      await dispatcher.stop();
      await database.close();
    },
  };
}

/** Every text of a message a reader sees, markup stripped (the fallback when there are no blocks). */
export function textOf(message: Message): string {
  const parts: string[] = [];
  for (const b of message.blocks) {
    if (b.type === 'header' || b.type === 'section' || b.type === 'context') parts.push(b.text);
    if (b.type === 'fields') for (const f of b.fields) parts.push(f.label, f.value);
    if (b.type === 'actions') for (const e of b.elements) if (e.type === 'button') parts.push(e.label);
  }
  return plainText(parts.length > 0 ? parts.join('\n') : message.text);
}

/** The buttons of a message, in order. */
export function buttonsOf(message: Message): Button[] {
  return message.blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.filter((e): e is Button => e.type === 'button') : [],
  );
}
