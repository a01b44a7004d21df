/**
 * The server's Prometheus instruments. Each server owns its registry (not prom-client's
 * global one), so several servers in one test process keep separate counts, and every
 * series carries the `instance` label so the instances behind one database can be told
 * apart. GET /metrics serves `registry`; docs/operations.md#metrics says what to alert on.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { JobsObserver } from './modules/jobs/job-queue.js';

/** The kinds of published event, as `parley_events_published_total{kind}` counts them. */
export type PublishedEventKind = 'stored' | 'ephemeral' | 'control';
const PUBLISHED_EVENT_KINDS: readonly PublishedEventKind[] = ['stored', 'ephemeral', 'control'];

/** What a PostgreSQL pool (`pg.Pool`) reports; read at each scrape. */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface MetricsOptions {
  instanceId: string;
  connectionCount: () => number;
  pool?: PoolCounts;
}

export interface Metrics {
  registry: Registry;
  /** Typed by kind so a misspelt kind cannot open a new series. */
  eventsPublished: { inc(labels: { kind: PublishedEventKind }, value?: number): void };
  eventsDelivered: Counter;
  skipsDelivered: Counter;
  gapFills: Counter;
  deliveryLag: Histogram;
  busLag: Histogram;
  sendLatency: Histogram;
  slowConsumerCutoffs: Counter;
  heartbeatTimeouts: Counter;
  replayedEvents: Counter;
  resumeReloads: Counter;
  /** Background jobs by kind: finished, failed and retried later, failed for good. */
  jobs: JobsObserver;
}

// Half a millisecond (one instance, idle) to five seconds (a stalled database or bus):
// fine steps below 100 ms, where the latency targets are, coarse ones above.
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics({ instanceId, connectionCount, pool }: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ instance: instanceId });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  const histogram = (name: string, help: string) => new Histogram({ name, help, buckets: LATENCY_BUCKETS, registers });

  new Gauge({
    name: 'parley_sockets',
    help: 'Authenticated WebSocket connections open on this instance.',
    registers,
    collect() {
      this.set(connectionCount());
    },
  });
  new Gauge({
    name: 'parley_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting = queries queued for a connection); absent on SQLite.',
    labelNames: ['state'],
    registers,
    collect() {
      if (!pool) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  const eventsPublished = new Counter({
    name: 'parley_events_published_total',
    help: 'Events published to the bus by this instance, by kind (stored in the event log, ephemeral, control).',
    labelNames: ['kind'],
    registers,
  });
  // Every kind starts at 0, so rate() sees the first event instead of a series appearing.
  for (const kind of PUBLISHED_EVENT_KINDS) eventsPublished.inc({ kind }, 0);

  const jobCounter = (outcome: string, help: string) =>
    new Counter({ name: `parley_jobs_${outcome}_total`, help, labelNames: ['kind'], registers });
  const jobsCompleted = jobCounter('completed', 'Background jobs that finished, by kind.');
  const jobsRetried = jobCounter('retried', 'Background job attempts that failed and were scheduled again, by kind.');
  const jobsFailed = jobCounter('failed', 'Background jobs that ran out of attempts (kept in the jobs table as failed), by kind.');

  return {
    registry,
    eventsPublished,
    jobs: {
      completed: (kind) => jobsCompleted.inc({ kind }),
      retried: (kind) => jobsRetried.inc({ kind }),
      failed: (kind) => jobsFailed.inc({ kind }),
    },
    eventsDelivered: counter('parley_events_delivered_total', 'Event frames written to sockets.'),
    skipsDelivered: counter(
      'parley_skips_delivered_total',
      'Skip frames written to sockets (positions of events that socket may not see).',
    ),
    gapFills: counter('parley_gap_fills_total', 'Times a gap in a stream was filled from the database.'),
    deliveryLag: histogram('parley_delivery_lag_seconds', 'From an event committed to its frame written to a socket.'),
    busLag: histogram('parley_bus_lag_seconds', 'From an event published on one instance to it received on another.'),
    sendLatency: histogram('parley_send_latency_seconds', 'message.send from the request received to the ack sent.'),
    slowConsumerCutoffs: counter('parley_slow_consumer_cutoffs_total', 'Sockets closed because their outgoing buffer overflowed.'),
    heartbeatTimeouts: counter('parley_heartbeat_timeouts_total', 'Sockets closed because they missed a heartbeat.'),
    replayedEvents: counter('parley_replayed_events_total', 'Events replayed to resuming sockets.'),
    resumeReloads: counter('parley_resume_reloads_total', 'Streams a resuming socket was told to reload instead of replaying them.'),
  };
}
