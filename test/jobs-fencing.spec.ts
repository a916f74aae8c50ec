/**
 * Issue 10 item 2: a job never runs twice at once. A worker that loses its BullMQ lock has its sync's
 * AbortSignal aborted (reason 'lock-lost'), and the kind's lease in the store fences every write, so a run
 * that another one took over cannot write any more. Real Redis, real stores; lock loss is produced for real:
 * the lock key vanishes from Redis (in-process workers on PGlite), or a worker process's event loop is blocked
 * past its lock and lease (two processes on PostgreSQL).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisConnection } from 'bullmq';
import { loadConfig } from '../core/config';
import { openStore, type Db } from '../store/db';
import { SyncJobsRepo, type SyncJobKind } from '../store/sync-jobs.repo';
import { SyncLeasesRepo } from '../store/sync-leases.repo';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import { deploymentPrefix, queueName } from '../jobs/framework/queues';
import { SyncCancelledError, type SyncProcessor } from '../jobs/framework/types';
import { dropSchema, postgresTestUrl } from './helpers/stores';
import { REDIS_URL, aborted, deferred, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';
import { first } from './helpers/defined';

const logger = testLogger();
const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' });
const ZERO = { created: 0, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 };
const WRITES =
  'CREATE TABLE test_writes (seq bigserial PRIMARY KEY, worker text NOT NULL, attempt int NOT NULL, step int NOT NULL)';

/** Writes of any run that were committed after another run's first write: must be none. */
async function overlappingWrites(store: Db): Promise<number> {
  const { rows } = await store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM test_writes w
      WHERE EXISTS (SELECT 1 FROM test_writes o WHERE (o.worker, o.attempt) <> (w.worker, w.attempt) AND o.seq < w.seq
                      AND EXISTS (SELECT 1 FROM test_writes l WHERE (l.worker, l.attempt) = (w.worker, w.attempt) AND l.seq < o.seq))`,
  );
  return first(rows).n;
}

describe('lease and lock on one kind', () => {
  const prefix = uniquePrefix('fencing');
  let store: Db;
  let sync: SyncService;
  const started: SyncWorkers[] = [];

  beforeAll(async () => {
    store = await openStore({ memory: true });
    await store.query(WRITES);
    sync = await createSyncService({
      config,
      store,
      logger,
      processors: new Map([['LOS_IMPORT', () => Promise.resolve({ result: ZERO })]]),
      prefix,
    });
  });

  afterAll(async () => {
    for (const w of started) await w.close();
    await sync?.close();
    await store?.close();
    await deleteRedisKeys(prefix);
  });

  it('markRunning refuses a job RUNNING under another attempt whose lease is held, and any caller without the lease', async () => {
    const repo = new SyncJobsRepo(store);
    const leases = new SyncLeasesRepo(store);
    await repo.create({ id: 'fence-mark', kind: 'FS_IMPORT' });
    expect(await repo.markRunning('fence-mark', 1, 'token-a')).toBeNull(); // no lease
    expect(await leases.acquire('FS_IMPORT', 'token-a', 'fence-mark', 'test', 60_000)).toEqual({ acquired: true });
    expect(await repo.markRunning('fence-mark', 1, 'token-a')).toMatchObject({ state: 'RUNNING', attempts: 1 });
    expect(await leases.acquire('FS_IMPORT', 'token-b', 'fence-mark', 'test', 60_000)).toMatchObject({
      acquired: false,
      current: { jobId: 'fence-mark', holder: 'test' },
    });
    expect(await repo.markRunning('fence-mark', 2, 'token-b')).toBeNull();
    expect(await repo.markRunning('fence-mark', 2)).toBeNull(); // RUNNING under attempt 1, whose lease is held
    await leases.release('FS_IMPORT', 'token-a');
    expect(await leases.acquire('FS_IMPORT', 'token-b', 'fence-mark', 'test', 60_000)).toEqual({ acquired: true });
    expect(await repo.markRunning('fence-mark', 2, 'token-b')).toMatchObject({ state: 'RUNNING', attempts: 2 });
    await expect(store.transaction((tx) => new SyncLeasesRepo(tx).check('FS_IMPORT', 'token-a'))).rejects.toThrow(
      /no longer holds the FS_IMPORT lease/,
    );
    await repo.finish('fence-mark', 'CANCELLED', null);
    await leases.release('FS_IMPORT', 'token-b');
  });

  it('a worker whose lock vanishes stops its sync; the worker that takes the job over waits for the lease; no overlap', async () => {
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const firstRunning = deferred();
    const stopReasons: unknown[] = [];
    const processor =
      (worker: string): SyncProcessor =>
      async (ctx) => {
        maxActive = Math.max(maxActive, ++active);
        try {
          const write = (step: number) =>
            ctx.store.query('INSERT INTO test_writes (worker, attempt, step) VALUES ($1, $2, $3)', [
              worker,
              ctx.attempt,
              step,
            ]);
          await write(1);
          if (ctx.attempt === 1) {
            firstRunning.resolve();
            stopReasons.push(await aborted(ctx.signal));
            throw new SyncCancelledError('stopped');
          }
          for (let step = 2; step <= 4; step++) await write(step);
          finished++;
          return { result: { ...ZERO, details: { attempt: ctx.attempt, worker } }, message: `finished by ${worker}` };
        } finally {
          active--;
        }
      };
    const work = async (worker: string) => {
      const w = await startWorkers({
        config,
        logger,
        store,
        prefix,
        processors: new Map([['LOS_IMPORT', processor(worker)]]),
        lockDurationMs: 600,
        stalledIntervalMs: 200,
      });
      started.push(w);
      return w;
    };
    await work('w1');
    const job = await sync.start('LOS_IMPORT');
    await firstRunning.promise;
    await work('w2');
    // The lock key goes, as when Redis lost it or it expired while the worker could not renew it.
    const conn = new RedisConnection({ url: REDIS_URL });
    try {
      const client = await conn.client;
      expect(
        await client.del(
          `${deploymentPrefix({ prefix, deploymentId: sync.deploymentId })}:${queueName('LOS_IMPORT')}:${job.id}:lock`,
        ),
      ).toBe(1);
    } finally {
      await conn.close();
    }
    const repo = new SyncJobsRepo(store);
    const done = await waitFor('the job to succeed on a later attempt', async () => {
      const j = await repo.get(job.id);
      return j?.state === 'SUCCEEDED' && j;
    });
    expect(stopReasons).toEqual(['lock-lost']);
    expect(maxActive).toBe(1);
    expect(finished).toBe(1);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(done.message).toMatch(/^finished by w[12]$/);
    expect(await overlappingWrites(store)).toBe(0);
  });
});

const pgUrl = postgresTestUrl();
(pgUrl ? describe : describe.skip)('a worker process whose event loop is blocked past its lock and lease', () => {
  const prefix = uniquePrefix('fencing-procs');
  const schema = `test_fence_${process.pid}_${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'idbro-fence-'));
  const flag = join(dir, 'taken-over');
  let store: Db;
  let sync: SyncService;
  let workers: SyncWorkers | undefined;

  beforeAll(async () => {
    store = await openStore({ databaseUrl: pgUrl, schema, connectTimeoutMs: 3000 });
    await store.query(WRITES);
    sync = await createSyncService({
      config,
      store,
      logger,
      processors: new Map([['LOS_IMPORT', () => Promise.resolve({ result: ZERO })]]),
      prefix,
    });
  });

  afterAll(async () => {
    await workers?.close();
    await sync?.close();
    await store?.close();
    await dropSchema(pgUrl!, schema);
    await deleteRedisKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses the job to another worker, its late write is refused, its sync is aborted, and the job ends once', async () => {
    const child = fork(join(__dirname, 'helpers', 'child-worker.ts'), [], {
      execArgv: ['--require', join(__dirname, 'helpers', 'swc-register.js')],
      env: {
        ...process.env,
        CHILD_REDIS_URL: REDIS_URL,
        CHILD_PREFIX: prefix,
        CHILD_MODE: 'fence',
        CHILD_DATABASE_URL: pgUrl!,
        CHILD_SCHEMA: schema,
        CHILD_FLAG_FILE: flag,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const messages: any[] = [];
    child.on('message', (m) => messages.push(m));
    const next = (type: string) =>
      waitFor(
        `the child worker's "${type}" (output: ${output.slice(-500)})`,
        () => messages.find((m) => m.type === type),
        { timeoutMs: 20_000 },
      );
    try {
      await next('ready');
      const job = await sync.start('LOS_IMPORT');
      expect(await next('running')).toMatchObject({ jobId: job.id, attempt: 1 });

      // The child is frozen now. This worker takes the job over once its lock and lease have expired.
      let takeover: { attempt: number } | undefined;
      workers = await startWorkers({
        config,
        logger,
        store,
        prefix,
        lockDurationMs: 1000,
        stalledIntervalMs: 300,
        processors: new Map<SyncJobKind, SyncProcessor>([
          [
            'LOS_IMPORT',
            async (ctx) => {
              takeover = { attempt: ctx.attempt };
              const write = (step: number) =>
                ctx.store.query('INSERT INTO test_writes (worker, attempt, step) VALUES ($1, $2, $3)', [
                  'parent',
                  ctx.attempt,
                  step,
                ]);
              await write(1);
              writeFileSync(flag, 'taken over'); // unfreezes the child
              await next('after-block'); // its late write has been tried
              await write(2);
              return {
                result: { ...ZERO, details: { by: 'parent' } },
                message: 'finished by the worker that took over',
              };
            },
          ],
        ]),
      });
      const repo = new SyncJobsRepo(store);
      const done = await waitFor(
        'the job to succeed',
        async () => {
          const j = await repo.get(job.id);
          return j?.state === 'SUCCEEDED' && j;
        },
        { timeoutMs: 20_000 },
      );
      expect(done).toMatchObject({
        message: 'finished by the worker that took over',
        result: { details: { by: 'parent' } },
      });
      expect(takeover!.attempt).toBeGreaterThanOrEqual(2);
      expect(await next('after-block')).toEqual({ type: 'after-block', written: false, error: 'LeaseLostError' });
      expect(await next('aborted')).toEqual({ type: 'aborted', reason: 'lock-lost' });
      expect(await overlappingWrites(store)).toBe(0);
      const { rows } = await store.query('SELECT worker, step FROM test_writes ORDER BY seq');
      expect(rows).toEqual([
        { worker: 'child', step: 1 },
        { worker: 'child', step: 2 },
        { worker: 'child', step: 3 },
        { worker: 'parent', step: 1 },
        { worker: 'parent', step: 2 },
      ]);
      // The job is not recorded again by the child (its outcome write is fenced too).
      expect((await repo.get(job.id))!.state).toBe('SUCCEEDED');
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});

(pgUrl ? describe : describe.skip)('the lease table on PostgreSQL', () => {
  const schema = `test_lease_${process.pid}_${randomBytes(3).toString('hex')}`;
  let store: Db;
  beforeAll(async () => (store = await openStore({ databaseUrl: pgUrl, schema, connectTimeoutMs: 3000 })));
  afterAll(async () => {
    await store?.close();
    await dropSchema(pgUrl!, schema);
  });

  it('an acquire that meets a released lease locked by a committing fence answers "not acquired", not a SQL error', async () => {
    const leases = new SyncLeasesRepo(store);
    expect(await leases.acquire('CRISTIN_EXPORT', 'token-a', 'job-a', 'test', 60_000)).toEqual({ acquired: true });
    await leases.release('CRISTIN_EXPORT', 'token-a'); // expires_at = '-infinity'
    // Another run's transaction holds the row (as check() does while its fenced write commits): SKIP LOCKED
    // skips it, and the acquire reads the holder of a released lease.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const tx = store.transaction(async (t) => {
      await t.query(`SELECT kind FROM sync_leases WHERE kind = 'CRISTIN_EXPORT' FOR UPDATE`);
      locked();
      await held;
    });
    await isLocked;
    try {
      expect(await leases.acquire('CRISTIN_EXPORT', 'token-b', 'job-b', 'test', 60_000)).toEqual({
        acquired: false,
        current: { jobId: null, holder: null, remainingMs: 0 },
      });
    } finally {
      release();
      await tx;
    }
    expect(await leases.acquire('CRISTIN_EXPORT', 'token-b', 'job-b', 'test', 60_000)).toEqual({ acquired: true });
  });
});
