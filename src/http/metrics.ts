/** Prometheus metrics, one registry per process (tests make their own). */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  outboxSent: Counter<'platform'>;
  outboxDeadLetters: Counter<'platform' | 'reason'>;
  outboxRetries: Counter<'platform' | 'reason'>;
  outboxPending: Gauge;
  requests: Counter<'route' | 'status'>;
  schedulerRuns: Counter<'kind' | 'outcome'>;
  /** The pending gauge asks this when scraped. */
  setPendingSource(source: () => Promise<number>): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'klik_process_' });
  let pendingSource: (() => Promise<number>) | null = null;
  return {
    registry,
    outboxSent: new Counter({
      name: 'klik_outbox_sent_total',
      help: 'Outbox messages the platform accepted',
      labelNames: ['platform'],
      registers: [registry],
    }),
    outboxDeadLetters: new Counter({
      name: 'klik_outbox_dead_letters_total',
      help: 'Outbox messages given up on (permanent error or too many tries)',
      labelNames: ['platform', 'reason'],
      registers: [registry],
    }),
    outboxRetries: new Counter({
      name: 'klik_outbox_retries_total',
      help: 'Outbox sends that failed and were rescheduled',
      labelNames: ['platform', 'reason'],
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: 'klik_outbox_pending',
      help: 'Outbox messages waiting to be sent',
      registers: [registry],
      async collect() {
        if (pendingSource) this.set(await pendingSource().catch(() => -1));
      },
    }),
    requests: new Counter({
      name: 'klik_requests_total',
      help: 'HTTP requests handled',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    schedulerRuns: new Counter({
      name: 'klik_scheduler_runs_total',
      help: 'Scheduled slots claimed, by outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    setPendingSource(source) {
      pendingSource = source;
    },
  };
}
