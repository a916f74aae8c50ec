/**
 * Prometheus metrics (issue 14, item 3): a gateway started with METRICS_PORT=0 in front of the Cerebrum
 * simulator, sync jobs through BullMQ on the real Redis (unique prefix, test processors), and `/metrics` scraped
 * over HTTP on its own port: the series exist, their values move with the traffic, no label carries an id, and
 * the public port does not serve them.
 */
import { loadConfig } from '../core/config';
import { openStore, type Db } from '../store/db';
import type { SyncJobKind } from '../store/sync-jobs.repo';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import type { SyncProcessor } from '../jobs/framework/types';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { REDIS_URL, deferred, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, one sample per line (`name{a="b",…} value`). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const [, name = '', labelText = '', value] = m; // the name and the value always take part
    for (const [, label = '', text = ''] of labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[label] = text;
    out.push({ name, labels, value: Number(value) });
  }
  return out;
}

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('Prometheus metrics on METRICS_PORT', () => {
  const prefix = uniquePrefix('metrics');
  const logger = testLogger();
  const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' });
  const gate = deferred();
  let started: () => void = () => undefined;
  const running = new Promise<void>((r) => (started = r));
  const los: SyncProcessor = async (ctx) => {
    ctx.progress(0.5, 'reading Employee_delta.csv');
    started();
    await gate.promise;
    return { result: { created: 3, updated: 2, unchanged: 7, terminated: 1, skipped: 0, failed: 1 }, message: 'done' };
  };
  // CRISTIN_EXPORT is known to the API but no worker here runs it: its job stays waiting in its queue.
  const never: SyncProcessor = () => Promise.reject(new Error('not run in this test'));
  const processors = new Map<SyncJobKind, SyncProcessor>([
    ['LOS_IMPORT', los],
    ['CRISTIN_EXPORT', never],
  ]);
  let store: Db;
  let sync: SyncService;
  let workers: SyncWorkers;
  let stack: Stack;

  beforeAll(async () => {
    store = await openStore({ memory: true });
    sync = await createSyncService({ config, store, logger, processors, prefix });
    workers = await startWorkers({
      config,
      logger,
      store,
      processors,
      kinds: ['LOS_IMPORT'],
      prefix,
      progressIntervalMs: 20,
    });
    stack = await startStack({ env: { METRICS_PORT: '0' }, gateway: { store, sync } });
  }, 60_000);

  afterAll(async () => {
    gate.resolve();
    await stack?.stop();
    await workers?.close();
    await sync?.close();
    await deleteRedisKeys(prefix);
    await store?.close();
  });

  async function scrape(): Promise<{ text: string; samples: Sample[] }> {
    const res = await fetch(`${stack.gateway.metrics!.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    return { text, samples: parse(text) };
  }

  it('serves /metrics on its own port only', async () => {
    expect(stack.gateway.metrics).toBeDefined();
    expect(new URL(stack.gateway.metrics!.url).port).not.toBe(new URL(stack.url).port);
    const pub = await fetch(`${stack.url}/metrics`);
    expect(pub.status).toBe(404);
    expect(await pub.text()).not.toMatch(/idbro_|process_cpu/);
    const { samples } = await scrape();
    // Node's default process metrics.
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('GraphQL, upstream and DataLoader series move with traffic; no label holds an id', async () => {
    const before = (await scrape()).samples;
    // Ids in the requests: a person id in the path, a national id in a search, an account name.
    const tor = await stack.gql(
      '{ person(id: "cerebrum:85073") { nationalId accounts { name } affiliations { kind } } }',
      undefined,
      TOKENS.all,
    );
    expect(tor.body.errors).toBeUndefined();
    const fnr: string = tor.body.data.person.nationalId;
    expect(fnr).toMatch(/^\d{11}$/);
    const byFnr = await stack.gql(
      'query ($n: String!) { personByNationalId(nationalId: $n) { id } }',
      { n: fnr },
      TOKENS.all,
    );
    expect(byFnr.body.errors).toBeUndefined();
    const missing = await stack.gql('{ person(id: "cerebrum:987654321") { name } }', undefined, TOKENS.all);
    expect(missing.body.data.person).toBeNull();
    const bad = await stack.gql('{ person(id: "cerebrum:85073") { nosuchfield } }', undefined, TOKENS.all);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const { text, samples } = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      value(samples, name, labels) - value(before, name, labels);

    expect(delta('idbro_graphql_request_duration_seconds_count', { operation_type: 'query', outcome: 'ok' })).toBe(3);
    expect(delta('idbro_graphql_request_duration_seconds_count', { outcome: 'BAD_USER_INPUT' })).toBe(1);
    expect(
      delta('idbro_graphql_request_duration_seconds_sum', { operation_type: 'query', outcome: 'ok' }),
    ).toBeGreaterThan(0);

    const persons = { source: 'CEREBRUM', method: 'GET', route: '/v1/persons/{id}' };
    expect(delta('idbro_upstream_requests_total', { ...persons, status_class: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(delta('idbro_upstream_requests_total', { ...persons, status_class: '4xx' })).toBeGreaterThanOrEqual(1); // the 404
    expect(
      delta('idbro_upstream_requests_total', { route: '/v1/persons/{id}/accounts', status_class: '2xx' }),
    ).toBeGreaterThanOrEqual(1);
    expect(delta('idbro_upstream_requests_total', { route: '/v1/search/persons/external-ids' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(delta('idbro_upstream_request_duration_seconds_count', persons)).toBeGreaterThanOrEqual(2);
    // A 404 is an answer, not an upstream failure.
    expect(delta('idbro_upstream_errors_total', { source: 'CEREBRUM' })).toBe(0);
    expect(samples.some((s) => s.name === 'idbro_upstream_in_flight' && s.labels.source === 'CEREBRUM')).toBe(true);
    expect(value(samples, 'idbro_upstream_in_flight', { source: 'CEREBRUM' })).toBe(0);
    expect(delta('idbro_dataloader_batch_size_count', { source: 'CEREBRUM', loader: 'person' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      delta('idbro_dataloader_batch_size_sum', { source: 'CEREBRUM', loader: 'accountRefs' }),
    ).toBeGreaterThanOrEqual(1);

    // No label value is an id: not the person id, the national id, an account name, nor any long number.
    const accounts: string[] = tor.body.data.person.accounts.map((a: { name: string }) => a.name);
    expect(accounts.length).toBeGreaterThan(0);
    for (const s of samples) {
      for (const [k, v] of Object.entries(s.labels)) {
        if (k === 'le' || k === 'quantile') continue;
        expect(v).not.toMatch(/\d{5,}/);
        expect(accounts).not.toContain(v);
      }
    }
    expect(text).not.toContain(fnr);
    expect(text).not.toContain('85073');
    expect(text).not.toContain('987654321');
  });

  it('sync jobs: runs, durations, records and queue depth per kind', async () => {
    const before = (await scrape()).samples;
    const start = await stack.gql('mutation { startLosImport(dryRun: true) { id state } }', undefined, TOKENS.sync);
    expect(start.body.errors).toBeUndefined();
    const id = start.body.data.startLosImport.id;
    await running;
    // Held at the gate: active in its queue. CRISTIN_EXPORT has no worker: its job waits.
    const cristin = await stack.gql('mutation { startCristinExport { id } }', undefined, TOKENS.sync);
    expect(cristin.body.errors).toBeUndefined();
    const during = (await scrape()).samples;
    expect(value(during, 'idbro_sync_queue_jobs', { kind: 'LOS_IMPORT', state: 'active' })).toBe(1);
    expect(value(during, 'idbro_sync_queue_jobs', { kind: 'CRISTIN_EXPORT', state: 'waiting' })).toBe(1);
    expect(value(during, 'idbro_sync_queue_jobs', { kind: 'CRISTIN_EXPORT', state: 'active' })).toBe(0);

    gate.resolve();
    await waitFor('the LOS job to succeed', async () => {
      const r = await stack.gql('query ($id: ID!) { syncJob(id: $id) { state } }', { id }, TOKENS.all);
      return r.body.data?.syncJob?.state === 'SUCCEEDED';
    });
    // The run's metrics are counted when the BullMQ processor returns, just after the store says SUCCEEDED.
    const after = await waitFor('the run to be counted', async () => {
      const { samples } = await scrape();
      return (
        value(samples, 'idbro_sync_runs_total', { kind: 'LOS_IMPORT', outcome: 'SUCCEEDED' }) >
          value(before, 'idbro_sync_runs_total', { kind: 'LOS_IMPORT', outcome: 'SUCCEEDED' }) && samples
      );
    });
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('idbro_sync_runs_total', { kind: 'LOS_IMPORT', outcome: 'SUCCEEDED' })).toBe(1);
    expect(delta('idbro_sync_run_duration_seconds_count', { kind: 'LOS_IMPORT', outcome: 'SUCCEEDED' })).toBe(1);
    expect(delta('idbro_sync_run_duration_seconds_sum', { kind: 'LOS_IMPORT', outcome: 'SUCCEEDED' })).toBeGreaterThan(
      0,
    );
    expect(delta('idbro_sync_records_total', { kind: 'LOS_IMPORT', count: 'created' })).toBe(3);
    expect(delta('idbro_sync_records_total', { kind: 'LOS_IMPORT', count: 'unchanged' })).toBe(7);
    expect(delta('idbro_sync_records_total', { kind: 'LOS_IMPORT', count: 'failed' })).toBe(1);
    expect(value(after, 'idbro_sync_queue_jobs', { kind: 'LOS_IMPORT', state: 'active' })).toBe(0);
    // No job id in any label either.
    for (const s of after) for (const v of Object.values(s.labels)) expect(v).not.toContain(id);
  });
});
