/** The real core and outbox dispatcher, wired the way src/app.ts wires them, for test stacks. */

import type { Db } from '../../db/client.js';
import { outboxQueue } from '../../db/repositories/outbox-queue.js';
import { createKlik, type Klik } from '../../src/core/app.js';
import type { CalendarLinks } from '../../src/core/meetings/links.js';
import { pollLiveMessages } from '../../src/core/polls/live.js';
import type { ChatPlatform, Clock, Logger, Store } from '../../src/core/ports.js';
import type { JobDefinition } from '../../src/core/schedule/jobs.js';
import type { Locale, Platform } from '../../src/core/types.js';
import { createMetrics } from '../../src/http/metrics.js';
import { OutboxDispatcher } from '../../src/scheduler/outbox-dispatcher.js';

export interface TestCoreOptions {
  db: Db;
  store: Store;
  platforms: Partial<Record<Platform, ChatPlatform>>;
  clock: Clock;
  logger: Logger;
  workerId: string;
  defaultLocale?: Locale;
  /** Signed calendar links (meetings), as src/app.ts makes them. */
  calendar?: CalendarLinks;
  /** Jobs `settings` lists as upcoming (default none). */
  scheduledJobs?: JobDefinition[];
}

export function testCore(o: TestCoreOptions): { klik: Klik; dispatcher: OutboxDispatcher } {
  const klik = createKlik({
    store: o.store,
    platforms: o.platforms,
    clock: o.clock,
    logger: o.logger,
    defaults: {
      locale: o.defaultLocale ?? 'nl',
      timezone: 'Europe/Amsterdam',
      ...(o.calendar ? { calendar: o.calendar } : {}),
    },
    scheduledJobs: o.scheduledJobs ?? [],
  });
  const dispatcher = new OutboxDispatcher({
    queue: outboxQueue(o.db, o.clock),
    platforms: o.platforms,
    clock: o.clock,
    logger: o.logger,
    metrics: createMetrics(),
    workerId: o.workerId,
    live: pollLiveMessages(o.store, o.clock),
  });
  return { klik, dispatcher };
}
