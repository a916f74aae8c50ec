/**
 * THE metrics of the process (Prometheus, prom-client), served at `/metrics` on METRICS_PORT
 * (server/metrics-http.ts). Every metric idbro exposes is defined here, with its labels, so a reader finds the
 * whole list (and README "Operating idbro → Metrics" documents it) in one place; code elsewhere only increments.
 *
 * Label rule: a label value comes from a small closed set (a source, a route TEMPLATE, an operation type, a
 * sync kind, an outcome, an error class). None carries a person, an account, an id or anything a caller typed:
 * a label per id would both leak personal data and grow the series without bound.
 *
 * One registry of our own (not prom-client's global one, which other libraries may fill). The metric objects
 * are made once, when this module loads, never per gateway or worker: jest runs many gateways in one process,
 * and they all count into the same objects, so starting another never registers a name twice (prom-client
 * throws on that). Tests compare values before and after, not absolute values.
 *
 * Depends on nothing of ours.
 */
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from 'prom-client';

export const registry = new Registry();

/** The metric registered under `name`, made on first use (a name defined twice here gets one object). */
function metric<M extends Metric<string>>(name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}
const counter = <L extends string>(c: CounterConfiguration<L>) =>
  metric(c.name, () => new Counter<L>({ ...c, registers: [registry] }));
const gauge = <L extends string>(c: GaugeConfiguration<L>) =>
  metric(c.name, () => new Gauge<L>({ ...c, registers: [registry] }));
const histogram = <L extends string>(c: HistogramConfiguration<L>) =>
  metric(c.name, () => new Histogram<L>({ ...c, registers: [registry] }));

/** Seconds: from a fast cached answer (1 ms) to a slow upstream near its time-out (30 s). */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// ---- GraphQL -------------------------------------------------------------------------------------------

/** operation_type: query | mutation | subscription | unknown (did not parse); outcome: ok or the first error's code. */
export const graphqlRequestDuration = histogram({
  name: 'idbro_graphql_request_duration_seconds',
  help: 'GraphQL requests by operation type and outcome (ok, or the closed-vocabulary code of the first error)',
  labelNames: ['operation_type', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});

// ---- Upstreams -----------------------------------------------------------------------------------------

/** One HTTP attempt (retries count again); status_class 2xx…5xx, or none when no answer came. */
export const upstreamRequests = counter({
  name: 'idbro_upstream_requests_total',
  help: 'HTTP requests sent to an upstream, by source, method, route template and status class',
  labelNames: ['source', 'method', 'route', 'status_class'] as const,
});
export const upstreamDuration = histogram({
  name: 'idbro_upstream_request_duration_seconds',
  help: 'Time from sending an upstream request to its full answer (or failure), by source, method and route template',
  labelNames: ['source', 'method', 'route'] as const,
  buckets: LATENCY_BUCKETS,
});
/** reason: timeout | network | cancelled | http_5xx | http_429 | http_401 | http_403. */
export const upstreamErrors = counter({
  name: 'idbro_upstream_errors_total',
  help: 'Upstream requests that failed (no answer, time-out, 5xx, 429, credentials refused), by source, route template and reason',
  labelNames: ['source', 'method', 'route', 'reason'] as const,
});
export const upstreamInFlight = gauge({
  name: 'idbro_upstream_in_flight',
  help: "Upstream requests in flight now, by source (bounded by each client's fair in-flight limit)",
  labelNames: ['source'] as const,
});
/** Keys per DataLoader batch (what one tick of resolvers asked of one loader). */
export const dataloaderBatchSize = histogram({
  name: 'idbro_dataloader_batch_size',
  help: 'Keys per DataLoader batch, by source and loader',
  labelNames: ['source', 'loader'] as const,
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
});

// ---- Cache and change events (incremented by the Cerebrum cache and event consumer) -------------------

/** cache: the cache's name (e.g. person, account); never the key. */
export const cacheHits = counter({
  name: 'idbro_cache_hits_total',
  help: 'Lookups answered from a cache, by source and cache',
  labelNames: ['source', 'cache'] as const,
});
export const cacheMisses = counter({
  name: 'idbro_cache_misses_total',
  help: 'Lookups a cache could not answer (the upstream was asked), by source and cache',
  labelNames: ['source', 'cache'] as const,
});
/** Seconds between a change event's publication and its processing, set per event consumed. */
export const eventConsumerLag = gauge({
  name: 'idbro_event_consumer_lag_seconds',
  help: 'Age of the last change event processed when it was processed, by source',
  labelNames: ['source'] as const,
});
export const eventsConsumed = counter({
  name: 'idbro_events_consumed_total',
  help: 'Change events received, by source and outcome (ok: applied, refused: malformed or unverifiable, duplicate)',
  labelNames: ['source', 'outcome'] as const,
});

// ---- Sync jobs -----------------------------------------------------------------------------------------

/** outcome: SUCCEEDED | FAILED | CANCELLED | SKIPPED | retry (threw; BullMQ retries or fails it) | requeued. */
export const syncRuns = counter({
  name: 'idbro_sync_runs_total',
  help: 'Sync job attempts run by this worker, by kind and outcome',
  labelNames: ['kind', 'outcome'] as const,
});
export const syncRunDuration = histogram({
  name: 'idbro_sync_run_duration_seconds',
  help: 'Duration of a sync job attempt, by kind and outcome',
  labelNames: ['kind', 'outcome'] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200],
});
/** count: created | updated | unchanged | terminated | skipped | failed (the job's result counts). */
export const syncRecords = counter({
  name: 'idbro_sync_records_total',
  help: 'Records (rows, persons, decisions) a sync reported, by kind and count',
  labelNames: ['kind', 'count'] as const,
});

/** What the queue gauge asks on each scrape: BullMQ's Queue.getJobCounts per kind. */
export interface QueueCounts {
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}
const observedQueues = new Set<ReadonlyMap<string, QueueCounts>>();

/** state: waiting (incl. delayed and prioritized) | active. Read from Redis at scrape time. */
export const syncQueueJobs = gauge({
  name: 'idbro_sync_queue_jobs',
  help: 'Jobs in the BullMQ queue of a sync kind, by state (waiting, active), read at scrape time',
  labelNames: ['kind', 'state'] as const,
  async collect() {
    this.reset();
    for (const queues of observedQueues) {
      for (const [kind, q] of queues) {
        try {
          const c = await q.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active');
          this.set(
            { kind, state: 'waiting' },
            (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
          );
          this.set({ kind, state: 'active' }, c.active ?? 0);
        } catch {
          // Redis away: the scrape goes on without these series (the readiness probe reports Redis).
        }
      }
    }
  },
});

/** Counts `queues` (kind → Queue) on every scrape until the returned function is called. */
export function observeQueues(queues: ReadonlyMap<string, QueueCounts>): () => void {
  observedQueues.add(queues);
  return () => void observedQueues.delete(queues);
}

let defaultsOn = false;
/**
 * Node's default process metrics (CPU, memory, event loop lag, GC, handles). Turned on by the first metrics
 * listener, not at import: processes (and test files) that serve no metrics pay nothing for them.
 */
export function enableDefaultMetrics(): void {
  if (defaultsOn || registry.getSingleMetric('process_cpu_user_seconds_total')) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry });
}

/** `2xx`…`5xx`; `none` when no answer came. */
export function statusClass(status: number | undefined): string {
  return status && status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'none';
}
