/**
 * The sync-job framework on a real Redis and a real store: SyncService (API side) → BullMQ → startWorkers, read
 * back through the real gateway over HTTP. The syncs are test processors passed through the injectable
 * registry; each test sets what its kind's processor does (`behaviour`). No sleeps: tests hold a processor at
 * a known point with a deferred and poll (bounded) for the state they expect.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/config';
import { openStore, type Db } from '../store/db';
import { SyncJobsRepo, type SyncJobKind } from '../store/sync-jobs.repo';
import { createSyncService, SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import { applySchedules, schedulerId } from '../jobs/framework/schedules';
import { RedisUnavailableError } from '../jobs/framework/redis';
import { PermanentSyncError, SyncCancelledError, type SyncOutcome, type SyncProcessor } from '../jobs/framework/types';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { dropSchema, postgresTestUrl } from './helpers/stores';
import {
  REDIS_URL,
  aborted,
  countRedisKeys,
  deferred,
  deleteRedisKeys,
  testLogger,
  uniquePrefix,
  waitFor,
} from './helpers/jobs';

const logger = testLogger();
const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' });
const ZERO = { created: 0, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 };
const ok = (message = 'done'): SyncOutcome => ({ result: { ...ZERO }, message });

const JOB = `id kind state progress message dryRun attempts createdAt startedAt finishedAt
  result { created updated unchanged terminated skipped failed details }
  issues { severity message file line field record }`;

describe('sync jobs', () => {
  const prefix = uniquePrefix('jobs');
  /** What each kind's sync does in the current test. */
  const behaviour: Partial<Record<SyncJobKind, SyncProcessor>> = {};
  const delegate =
    (kind: SyncJobKind): SyncProcessor =>
    (ctx) => {
      const run = behaviour[kind];
      if (!run) throw new Error(`test: no behaviour set for ${kind}`);
      return run(ctx);
    };
  // FS_IMPORT has no processor (SOURCE_DISABLED). CRISTIN_EXPORT is known to the API but no worker here runs
  // it, so its jobs stay QUEUED (for cancelling a queued job).
  const processors = new Map<SyncJobKind, SyncProcessor>([
    ['LOS_IMPORT', delegate('LOS_IMPORT')],
    ['UNILOGIN_EXPORT', delegate('UNILOGIN_EXPORT')],
    ['CRISTIN_EXPORT', delegate('CRISTIN_EXPORT')],
  ]);
  let store: Db;
  let sync: SyncService;
  let workers: SyncWorkers;
  let stack: Stack;

  beforeAll(async () => {
    store = await openStore({ memory: true });
    sync = await createSyncService({ config, store, logger, processors, prefix, attempts: 3, backoffMs: 50 });
    workers = await startWorkers({
      config,
      logger,
      store,
      processors,
      kinds: ['LOS_IMPORT', 'UNILOGIN_EXPORT'],
      prefix,
      progressIntervalMs: 20,
      // Long: a cancel must arrive through the control event, not the marker poll.
      cancelPollMs: 60_000,
      maxIssues: 5,
    });
    stack = await startStack({ gateway: { store, sync } });
  });

  afterAll(async () => {
    await stack?.stop();
    await workers?.close();
    await sync?.close();
    await deleteRedisKeys(prefix);
    await store?.close();
  });

  async function gql(query: string, variables?: Record<string, unknown>, token: string | null = TOKENS.all) {
    const { body } = await stack.gql(query, variables, token);
    return body;
  }

  async function mutate(field: string, args = ''): Promise<any> {
    const body = await gql(`mutation { ${field}${args} { ${JOB} } }`);
    expect(body.errors).toBeUndefined();
    return body.data[field];
  }

  async function jobById(id: string): Promise<any> {
    const body = await gql(`query ($id: ID!) { syncJob(id: $id) { ${JOB} } }`, { id });
    expect(body.errors).toBeUndefined();
    return body.data.syncJob;
  }

  async function until(id: string, test: (job: any) => boolean, what: string): Promise<any> {
    let last: unknown;
    return waitFor(
      what,
      async () => {
        const job = await jobById(id);
        last = job;
        return test(job) && job;
      },
      { last: () => last },
    );
  }

  const final = (id: string, state: string) => until(id, (j) => j?.state === state, `job ${id} to be ${state}`);

  it('start returns at once (QUEUED) and the job runs to SUCCEEDED; counts and issues through GraphQL', async () => {
    const gate = deferred();
    behaviour.LOS_IMPORT = async (ctx) => {
      ctx.issue({
        severity: 'ERROR',
        message: 'unknown parent unit',
        file: 'Org_delta.csv',
        line: 7,
        field: 'ParentUUID',
        record: 'a;b;c',
      });
      ctx.issue({ severity: 'WARNING', message: 'address not found in DAR', file: 'Employee_delta.csv', line: 3 });
      await gate.promise;
      return {
        result: {
          created: 3,
          updated: 2,
          unchanged: 10,
          terminated: 1,
          skipped: 0,
          failed: 1,
          details: { files: ['Org_delta.csv'] },
        },
        message: 'imported 2 files',
      };
    };
    // The sync is held at the gate: the mutation can only answer because it does not wait for the job.
    const job = await mutate('startLosImport', '(dryRun: true)');
    expect(job).toMatchObject({
      kind: 'LOS_IMPORT',
      state: 'QUEUED',
      dryRun: true,
      progress: 0,
      attempts: 0,
      result: null,
      issues: [],
    });
    expect(job.id).toMatch(/^sync:/);
    gate.resolve();

    const done = await final(job.id, 'SUCCEEDED');
    expect(done).toMatchObject({
      attempts: 1,
      progress: 1,
      message: 'imported 2 files',
      result: {
        created: 3,
        updated: 2,
        unchanged: 10,
        terminated: 1,
        skipped: 0,
        failed: 1,
        details: { files: ['Org_delta.csv'] },
      },
      issues: [
        {
          severity: 'ERROR',
          message: 'unknown parent unit',
          file: 'Org_delta.csv',
          line: 7,
          field: 'ParentUUID',
          record: 'a;b;c',
        },
        {
          severity: 'WARNING',
          message: 'address not found in DAR',
          file: 'Employee_delta.csv',
          line: 3,
          field: null,
          record: null,
        },
      ],
    });
    expect(new Date(done.startedAt).getTime()).toBeLessThanOrEqual(new Date(done.finishedAt).getTime());
  });

  it('a second start while one runs returns the running job and enqueues nothing', async () => {
    const gate = deferred();
    const running = deferred();
    behaviour.LOS_IMPORT = async () => {
      running.resolve();
      await gate.promise;
      return ok();
    };
    const before = (await sync.list({ kind: 'LOS_IMPORT', first: 0 })).totalCount;
    // Two at the same moment: one record, one BullMQ job.
    const [a, b] = await Promise.all([mutate('startLosImport'), mutate('startLosImport')]);
    expect(b.id).toBe(a.id);
    await running.promise;
    const c = await mutate('startLosImport');
    expect(c).toMatchObject({ id: a.id, state: 'RUNNING' });
    const queue = sync.queues.get('LOS_IMPORT')!;
    expect(await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')).toBe(1);
    gate.resolve();
    await final(a.id, 'SUCCEEDED');
    expect((await sync.list({ kind: 'LOS_IMPORT', first: 0 })).totalCount).toBe(before + 1);
  });

  it('shows live progress 0..1 while a job runs, and passes the mutation arguments to the sync', async () => {
    const gate = deferred();
    let params: unknown;
    behaviour.UNILOGIN_EXPORT = async (ctx) => {
      params = ctx.params;
      ctx.progress(0.25, 'sent 25 of 100 persons');
      await gate.promise;
      return ok('exported 100 persons');
    };
    const job = await mutate('startUniLoginExport', '(mode: INCREMENTAL)');
    const live = await until(job.id, (j) => j.state === 'RUNNING' && j.progress === 0.25, 'progress 0.25');
    expect(live.message).toBe('sent 25 of 100 persons');
    expect(params).toEqual({ mode: 'INCREMENTAL' });
    gate.resolve();
    expect(await final(job.id, 'SUCCEEDED')).toMatchObject({ progress: 1, message: 'exported 100 persons' });
  });

  it('cancelling a running job aborts its AbortSignal (through Redis) and ends it CANCELLED', async () => {
    const running = deferred();
    const stopped = deferred<unknown>();
    const gate = deferred();
    behaviour.LOS_IMPORT = async (ctx) => {
      running.resolve();
      stopped.resolve(await aborted(ctx.signal));
      await gate.promise; // still "cleaning up" when the mutation answers
      throw new SyncCancelledError();
    };
    const job = await mutate('startLosImport');
    await running.promise;
    const body = await gql(`mutation ($id: ID!) { cancelSyncJob(id: $id) { id state message } }`, { id: job.id });
    expect(body.errors).toBeUndefined();
    expect(body.data.cancelSyncJob).toMatchObject({
      id: job.id,
      state: 'RUNNING',
      message: expect.stringMatching(/^Cancellation requested/),
    });
    const reason = await stopped.promise;
    gate.resolve();
    const done = await final(job.id, 'CANCELLED');
    expect(reason).toBe('cancel');
    expect(done.message).toMatch(/^Cancelled on request/);
    // Cancelling an ended job answers it unchanged.
    const again = await gql(`mutation ($id: ID!) { cancelSyncJob(id: $id) { state finishedAt } }`, { id: job.id });
    expect(again.data.cancelSyncJob).toEqual({ state: 'CANCELLED', finishedAt: done.finishedAt });
  });

  it('cancelling a queued job removes it from its queue and records CANCELLED at once', async () => {
    const job = await mutate('startCristinExport', '(force: true)');
    expect(job.state).toBe('QUEUED');
    const body = await gql(`mutation ($id: ID!) { cancelSyncJob(id: $id) { state message finishedAt } }`, {
      id: job.id,
    });
    expect(body.data.cancelSyncJob).toMatchObject({ state: 'CANCELLED', message: 'Cancelled before it started.' });
    const bareId = job.id.replace(/^sync:/, '');
    expect(await sync.queues.get('CRISTIN_EXPORT')!.getJobState(bareId)).toBe('unknown');
    expect((await sync.get(bareId))!.params).toEqual({ force: true });
  });

  it('an unknown job id is BAD_USER_INPUT for cancel and null for syncJob', async () => {
    const body = await gql(`mutation { cancelSyncJob(id: "sync:no-such-job") { id } }`);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await jobById('sync:no-such-job')).toBeNull();
  });

  it('retries a transient failure with backoff and ends SUCCEEDED with attempts 2', async () => {
    const seen: number[] = [];
    behaviour.LOS_IMPORT = (ctx) => {
      seen.push(ctx.attempt);
      if (ctx.attempt === 1) return Promise.reject(new Error('connection reset by the FTP server'));
      return Promise.resolve(ok('second time lucky'));
    };
    const job = await mutate('startLosImport');
    const done = await final(job.id, 'SUCCEEDED');
    expect(done).toMatchObject({ attempts: 2, message: 'second time lucky' });
    expect(seen).toEqual([1, 2]);
  });

  it('fails after the last attempt with a message that says what happened (and no password)', async () => {
    behaviour.LOS_IMPORT = () => Promise.reject(new Error('cannot log in to ftp://los:s3cret-pw@127.0.0.1:2121/out'));
    const job = await mutate('startLosImport');
    const done = await final(job.id, 'FAILED');
    expect(done.attempts).toBe(3);
    expect(done.message).toBe(
      'Failed after 3 attempts; the last one: cannot log in to ftp://los:***@127.0.0.1:2121/out',
    );
    expect(JSON.stringify(done)).not.toContain('s3cret-pw');
  });

  it('a PermanentSyncError fails the job at once, without a retry', async () => {
    const seen: number[] = [];
    behaviour.UNILOGIN_EXPORT = (ctx) => {
      seen.push(ctx.attempt);
      ctx.issue({ severity: 'ERROR', message: 'WS10 refused the credentials' });
      return Promise.reject(
        new PermanentSyncError('UNI-Login refused the credentials (UNILOGIN_USER/UNILOGIN_PASSWORD)'),
      );
    };
    const job = await mutate('startUniLoginExport', '(mode: FULL, dryRun: false)');
    const done = await final(job.id, 'FAILED');
    expect(done).toMatchObject({
      attempts: 1,
      message: 'UNI-Login refused the credentials (UNILOGIN_USER/UNILOGIN_PASSWORD)',
    });
    expect(done.issues).toEqual([expect.objectContaining({ message: 'WS10 refused the credentials' })]);
    await waitFor(
      'BullMQ to fail the job',
      async () => (await sync.queues.get('UNILOGIN_EXPORT')!.getJobState(job.id.slice(5))) === 'failed',
    );
    expect(seen).toEqual([1]);
  });

  it('keeps at most maxIssues issues and says how many more there were', async () => {
    behaviour.LOS_IMPORT = (ctx) => {
      for (let line = 1; line <= 8; line++)
        ctx.issue({ severity: 'WARNING', message: `bad row`, file: 'Org_delta.csv', line });
      return Promise.resolve(ok());
    };
    const job = await mutate('startLosImport');
    const done = await final(job.id, 'SUCCEEDED');
    expect(done.issues.map((i: any) => i.line)).toEqual([1, 2, 3, 4, 5, null]);
    expect(done.issues[5]).toMatchObject({
      severity: 'WARNING',
      message: '3 more issues were found but not kept (at most 5 are kept per job).',
    });
  });

  it('a scheduled run gets its own record; one that finds its kind active is skipped', async () => {
    behaviour.LOS_IMPORT = () => Promise.resolve(ok('nightly import'));
    const queue = sync.queues.get('LOS_IMPORT')!;
    await queue.add(
      'LOS_IMPORT',
      { kind: 'LOS_IMPORT', dryRun: false, params: {}, scheduled: true, deploymentId: sync.deploymentId },
      { jobId: 'scheduled-run-1' },
    );
    const done = await final('scheduled-run-1', 'SUCCEEDED');
    expect(done).toMatchObject({
      id: 'sync:scheduled-run-1',
      kind: 'LOS_IMPORT',
      message: 'nightly import',
      attempts: 1,
    });

    // A job of the kind is active (queued by an API, say): the scheduled run does not start a second one.
    const repo = new SyncJobsRepo(store);
    await repo.create({ id: 'active-by-hand', kind: 'LOS_IMPORT' });
    await queue.add(
      'LOS_IMPORT',
      { kind: 'LOS_IMPORT', dryRun: false, params: {}, scheduled: true, deploymentId: sync.deploymentId },
      { jobId: 'scheduled-run-2' },
    );
    await waitFor('the scheduled run to end', async () => (await queue.getJobState('scheduled-run-2')) === 'completed');
    expect((await queue.getJob('scheduled-run-2'))!.returnvalue).toMatchObject({ state: 'SKIPPED' });
    expect(await sync.get('scheduled-run-2')).toBeNull();
    await repo.finish('active-by-hand', 'CANCELLED', null);
  });

  it('a queued job lost from Redis does not block its kind: the next start records it FAILED and starts anew', async () => {
    const repo = new SyncJobsRepo(store);
    await repo.create({ id: 'lost-in-redis', kind: 'UNILOGIN_EXPORT', createdAt: new Date(Date.now() - 3600_000) });
    behaviour.UNILOGIN_EXPORT = () => Promise.resolve(ok());
    const job = await mutate('startUniLoginExport', '(mode: DELETE)');
    expect(job.id).not.toBe('sync:lost-in-redis');
    expect(await repo.get('lost-in-redis')).toMatchObject({
      state: 'FAILED',
      message: expect.stringMatching(/^Lost from the job queue/),
    });
    await final(job.id, 'SUCCEEDED');
  });

  it('lists jobs newest first with keyset pagination, filters and totalCount', async () => {
    const all = await gql(`{ syncJobs(first: 500) { totalCount edges { node { id } } } }`);
    const ids = all.data.syncJobs.edges.map((e: any) => e.node.id);
    expect(all.data.syncJobs.totalCount).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(5);

    const first = await gql(
      `{ syncJobs(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
    );
    expect(first.data.syncJobs.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));
    expect(first.data.syncJobs.pageInfo.hasNextPage).toBe(true);
    const next = await gql(`query ($after: String) { syncJobs(first: 2, after: $after) { edges { node { id } } } }`, {
      after: first.data.syncJobs.pageInfo.endCursor,
    });
    expect(next.data.syncJobs.edges.map((e: any) => e.node.id)).toEqual(ids.slice(2, 4));

    const filtered = await gql(
      `{ syncJobs(kind: LOS_IMPORT, state: FAILED) { totalCount edges { node { kind state } } } }`,
    );
    expect(filtered.data.syncJobs.totalCount).toBeGreaterThanOrEqual(1);
    for (const e of filtered.data.syncJobs.edges) expect(e.node).toEqual({ kind: 'LOS_IMPORT', state: 'FAILED' });

    const bad = await gql(`{ syncJobs(after: "not-a-cursor") { totalCount } }`);
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('mutations need scope sync; queries need scope read', async () => {
    for (const m of [
      'startLosImport',
      'startFsImport',
      'startUniLoginExport(mode: FULL)',
      'startCristinExport',
      'cancelSyncJob(id: "sync:x")',
    ]) {
      const body = await gql(`mutation { ${m} { id } }`, undefined, TOKENS.read);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const query = await gql(`{ syncJobs { totalCount } }`, undefined, TOKENS.sync);
    expect(query.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('a kind this build has no sync for answers SOURCE_DISABLED and enqueues nothing', async () => {
    const body = await gql(`mutation { startFsImport { id } }`);
    expect(body.errors[0]).toMatchObject({
      message: 'FS import is not available yet in this build of idbro.',
      extensions: { code: 'SOURCE_DISABLED' },
    });
    expect((await sync.list({ kind: 'FS_IMPORT', first: 0 })).totalCount).toBe(0);
  });

  it('schedules from SYNC_SCHEDULES become job schedulers in Redis; a kind taken out loses its scheduler', async () => {
    const both = loadConfig(
      { REDIS_URL, SYNC_SCHEDULES: 'LOS_IMPORT=0 2 * * *;UNILOGIN_EXPORT=30 3 * * 1-5', TZ: 'Europe/Oslo' },
      { mode: 'worker' },
    );
    const apply = (c: typeof both) =>
      applySchedules({
        redisUrl: REDIS_URL,
        prefix,
        deploymentId: sync.deploymentId,
        schedules: c.syncSchedules,
        tz: c.tz,
        available: new Set(processors.keys()),
        logger,
        queues: sync.queues,
      });

    // Cristin's weekly default (DEFAULT_SCHEDULES) is applied too.
    expect(await apply(both)).toEqual(
      new Map([
        ['CRISTIN_EXPORT', '0 4 * * 1'],
        ['CRISTIN_EXPORT:INCREMENTAL', '*/15 * * * *'],
        ['LOS_IMPORT', '0 2 * * *'],
        ['UNILOGIN_EXPORT', '30 3 * * 1-5'],
      ]),
    );
    const los = await sync.queues.get('LOS_IMPORT')!.getJobSchedulers();
    expect(los).toEqual([
      expect.objectContaining({ key: schedulerId('LOS_IMPORT'), pattern: '0 2 * * *', tz: 'Europe/Oslo' }),
    ]);
    expect(await sync.queues.get('UNILOGIN_EXPORT')!.getJobSchedulers()).toEqual([
      expect.objectContaining({ pattern: '30 3 * * 1-5' }),
    ]);
    // Applying again changes nothing.
    await apply(both);
    expect(await sync.queues.get('LOS_IMPORT')!.getJobSchedulersCount()).toBe(1);

    await apply(loadConfig({ REDIS_URL, SYNC_SCHEDULES: 'UNILOGIN_EXPORT=30 3 * * 1-5' }, { mode: 'worker' }));
    expect(await sync.queues.get('LOS_IMPORT')!.getJobSchedulers()).toEqual([]);
    expect(await sync.queues.get('UNILOGIN_EXPORT')!.getJobSchedulersCount()).toBe(1);

    // A schedule for a sync this build lacks is not applied.
    const fs = loadConfig({ REDIS_URL, SYNC_SCHEDULES: 'FS_IMPORT=0 1 * * *' }, { mode: 'worker' });
    expect(await apply(fs)).toEqual(
      new Map([
        ['CRISTIN_EXPORT', '0 4 * * 1'],
        ['CRISTIN_EXPORT:INCREMENTAL', '*/15 * * * *'],
      ]),
    );
    expect(await sync.queues.get('FS_IMPORT')!.getJobSchedulersCount()).toBe(0);
    expect(await sync.queues.get('UNILOGIN_EXPORT')!.getJobSchedulersCount()).toBe(0);
  });

  it('readiness reports Redis and the store', async () => {
    const res = await fetch(`${stack.url}/readyz`);
    const body = (await res.json()) as { checks: unknown[] };
    expect(body.checks).toEqual(
      expect.arrayContaining([
        { name: 'redis', ok: true, status: 'OK' },
        { name: 'store', ok: true, status: 'OK' },
      ]),
    );
  });

  it('serve and worker start-up fail within seconds with a message that names REDIS_URL (never its password)', async () => {
    const unreachable = loadConfig({ REDIS_URL: 'redis://:hunter2@127.0.0.1:1' }, { mode: 'serve' });
    const started = Date.now();
    const err = await createSyncService({ config: unreachable, store, logger, processors: new Map() }).catch((e) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect(err.message).toBe(
      'Cannot reach Redis at REDIS_URL (redis://127.0.0.1:1): ECONNREFUSED. Start Redis (e.g. `redis-server`, or `docker run -p 6379:6379 redis`) or set REDIS_URL.',
    );
    const werr = await startWorkers({ config: unreachable, logger, store, processors: new Map() }).catch((e) => e);
    expect(werr).toBeInstanceOf(RedisUnavailableError);
    expect(werr.message).not.toContain('hunter2');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a worker that shuts down hands its running job back to the queue, and another worker finishes it', async () => {
    // CRISTIN_EXPORT: no worker of this file's main set runs it, so the two here are the only ones.
    const running = deferred();
    let reason: unknown;
    const first = await startWorkers({
      config,
      logger,
      store,
      prefix,
      kinds: ['CRISTIN_EXPORT'],
      processors: new Map<SyncJobKind, SyncProcessor>([
        [
          'CRISTIN_EXPORT',
          async (ctx) => {
            running.resolve();
            reason = await aborted(ctx.signal);
            throw new SyncCancelledError('stopping for shutdown');
          },
        ],
      ]),
    });
    let second: SyncWorkers | undefined;
    try {
      const job = await mutate('startCristinExport');
      await running.promise;
      second = await startWorkers({
        config,
        logger,
        store,
        prefix,
        kinds: ['CRISTIN_EXPORT'],
        processors: new Map<SyncJobKind, SyncProcessor>([
          ['CRISTIN_EXPORT', (ctx) => Promise.resolve(ok(`finished on attempt ${ctx.attempt}`))],
        ]),
      });
      await first.close();
      expect(reason).toBe('shutdown');
      // Handing back used none of the three attempts; the second worker's run is the job's second start.
      expect(await final(job.id, 'SUCCEEDED')).toMatchObject({ attempts: 2, message: 'finished on attempt 2' });
    } finally {
      await first.close();
      await second?.close();
    }
  });

  // Last in this block: it deletes the file's Redis keys under the running workers.
  it('the history survives a Redis wipe, and jobs run again afterwards', async () => {
    const before = await gql(`{ syncJobs(first: 500) { totalCount edges { node { id state } } } }`);
    expect(await deleteRedisKeys(prefix)).toBeGreaterThan(0);
    expect(await countRedisKeys(prefix)).toBe(0);
    const after = await gql(`{ syncJobs(first: 500) { totalCount edges { node { id state } } } }`);
    expect(after.data).toEqual(before.data);

    behaviour.LOS_IMPORT = () => Promise.resolve(ok('after the wipe'));
    const job = await mutate('startLosImport');
    expect(await final(job.id, 'SUCCEEDED')).toMatchObject({ message: 'after the wipe' });
  });
});

describe('sync jobs across worker processes', () => {
  const prefix = uniquePrefix('jobs-procs');
  const dirs: string[] = [];
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await deleteRedisKeys(prefix);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Forks test/helpers/child-worker.ts; `next(type)` resolves with its next IPC message of that type. */
  function forkWorker(env: Record<string, string>) {
    const child = fork(join(__dirname, 'helpers', 'child-worker.ts'), [], {
      execArgv: ['--require', join(__dirname, 'helpers', 'swc-register.js')],
      env: { ...process.env, CHILD_REDIS_URL: REDIS_URL, CHILD_PREFIX: prefix, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const next = (type: string) =>
      new Promise<any>((resolve, reject) => {
        const onMessage = (m: any) => {
          if (m?.type === type) resolve(m);
          if (m?.type === 'error') reject(new Error(`child worker failed: ${m.message}`));
        };
        child.on('message', onMessage);
        child.once('exit', (code) => reject(new Error(`child worker exited (${code}) before "${type}": ${output}`)));
      });
    return { child, exited, next };
  }

  it('a job whose worker process is SIGKILLed mid-run is taken over by another worker and SUCCEEDS', async () => {
    // The embedded store has one owner at a time, so the processes take turns with it: API, then the child
    // worker (killed), then the worker here.
    const dataDir = mkdtempSync(join(tmpdir(), 'idbro-stall-'));
    dirs.push(dataDir);
    const los = new Map<SyncJobKind, SyncProcessor>([['LOS_IMPORT', () => Promise.resolve(ok())]]);
    let db = await openStore({ dataDir });
    const api = await createSyncService({ config, store: db, logger, processors: los, prefix });
    const job = await api.start('LOS_IMPORT');
    await api.close();
    await db.close();

    const { child, exited, next } = forkWorker({ CHILD_MODE: 'hang', CHILD_DATA_DIR: dataDir });
    expect(await next('running')).toEqual({ type: 'running', jobId: job.id, attempt: 1 });
    child.kill('SIGKILL');
    await exited;

    db = await openStore({ dataDir });
    const seen: number[] = [];
    const takeover = new Map<SyncJobKind, SyncProcessor>([
      [
        'LOS_IMPORT',
        (ctx) => {
          seen.push(ctx.attempt);
          return Promise.resolve({
            result: { ...ZERO, created: 4, details: { attempt: ctx.attempt } },
            message: 'taken over',
          });
        },
      ],
    ]);
    const workers = await startWorkers({
      config,
      logger,
      store: db,
      processors: takeover,
      prefix,
      lockDurationMs: 1000,
      stalledIntervalMs: 300,
    });
    try {
      const repo = new SyncJobsRepo(db);
      const done = await waitFor(
        'the job to be taken over and finished',
        async () => {
          const j = await repo.get(job.id);
          return j?.state === 'SUCCEEDED' && j;
        },
        { timeoutMs: 20_000 },
      );
      expect(done).toMatchObject({
        attempts: 2,
        message: 'taken over',
        result: { created: 4, details: { attempt: 2 } },
      });
      expect(seen).toEqual([2]);
      // The killed attempt's issue is gone: the run that finished recorded none.
      expect(await repo.issues(job.id)).toEqual([]);
    } finally {
      await workers.close();
      await db.close();
    }
  }, 40_000);

  // Two processes need a store both can open: PostgreSQL (see test/helpers/stores.ts), skipped without one.
  const pgUrl = postgresTestUrl();
  (pgUrl ? it : it.skip)(
    'cancelSyncJob in one process aborts the sync running in a worker process',
    async () => {
      const schema = `test_jobs_${process.pid}_${randomBytes(3).toString('hex')}`;
      const db = await openStore({ databaseUrl: pgUrl, schema, connectTimeoutMs: 3000 });
      const api = await createSyncService({
        config,
        store: db,
        logger,
        processors: new Map([['LOS_IMPORT', () => Promise.resolve(ok())]]),
        prefix,
      });
      const { child, exited, next } = forkWorker({
        CHILD_MODE: 'cancel',
        CHILD_DATABASE_URL: pgUrl!,
        CHILD_SCHEMA: schema,
      });
      try {
        await next('ready');
        const job = await api.start('LOS_IMPORT');
        await next('running');
        const aborted = next('aborted');
        expect(await api.cancel(job.id)).toMatchObject({
          state: 'RUNNING',
          message: expect.stringMatching(/^Cancellation requested/),
        });
        expect(await aborted).toEqual({ type: 'aborted', reason: 'cancel' });
        const done = await waitFor('the worker process to record CANCELLED', async () => {
          const j = await api.get(job.id);
          return j?.state === 'CANCELLED' && j;
        });
        expect(done.message).toMatch(/^Cancelled on request/);
        child.send({ type: 'stop' });
        await exited;
      } finally {
        await api.close();
        await db.close();
        await dropSchema(pgUrl!, schema);
      }
    },
    40_000,
  );
});
