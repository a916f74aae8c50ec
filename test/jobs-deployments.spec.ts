/**
 * Issue 10 item 1: two deployments (two stores, each with its API SyncService and its workers) on one Redis and
 * the same BULLMQ prefix, as two `npm start` demos with different DATA_DIR are. Each job runs on the deployment
 * that started it (its processor, its store), scheduled jobs included; a job a worker of another store took is
 * refused and its owner's record is failed with a message saying so. Item 6: a job whose final write failed
 * is not left RUNNING: the worker's sweep or the next start of its kind fails it with the reason.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { openStore, type Db } from '../store/db';
import { SYNC_KIND_NAMES as SYNC_JOB_KINDS } from '../jobs/framework/kinds';
import { SyncJobsRepo, type SyncJobKind } from '../store/sync-jobs.repo';
import { loadDeploymentIdentity } from '../store/deployment.repo';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import { applySchedules } from '../jobs/framework/schedules';
import type { SyncProcessor } from '../jobs/framework/types';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';

const logger = testLogger();
const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' });
const ZERO = { created: 0, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 };

/** One deployment: its store, its API, its workers, and which jobs its processors ran. */
interface Deployment {
  name: string;
  store: Db;
  sync: SyncService;
  workers?: SyncWorkers;
  ran: { kind: SyncJobKind; jobId: string }[];
  processors: Map<SyncJobKind, SyncProcessor>;
}

async function deployment(name: string, prefix: string): Promise<Deployment> {
  const store = await openStore({ memory: true });
  const ran: Deployment['ran'] = [];
  const processors = new Map<SyncJobKind, SyncProcessor>(
    SYNC_JOB_KINDS.map((kind) => [
      kind,
      (ctx) => {
        ran.push({ kind, jobId: ctx.jobId });
        return Promise.resolve({ result: { ...ZERO, details: { ranBy: name } }, message: `ran on ${name}` });
      },
    ]),
  );
  const sync = await createSyncService({ config, store, logger, processors, prefix, attempts: 1 });
  return { name, store, sync, ran, processors };
}

const work = (d: Deployment, prefix: string) =>
  startWorkers({
    config,
    logger,
    store: d.store,
    processors: d.processors,
    prefix,
    lockDurationMs: 5000,
    stalledIntervalMs: 5000,
  });

async function finalState(d: Deployment, id: string, state = 'SUCCEEDED') {
  const repo = new SyncJobsRepo(d.store);
  let last: unknown;
  return waitFor(
    `job ${id} on ${d.name} to be ${state}`,
    async () => {
      const job = await repo.get(id);
      last = job;
      return job?.state === state && job;
    },
    { last: () => last },
  );
}

describe('two deployments on one Redis', () => {
  // The same base prefix for both, as two demos with the default settings have.
  const prefix = uniquePrefix('deployments');
  const all: Deployment[] = [];
  let a: Deployment;
  let b: Deployment;
  /** A store restored from a copy of A's: it shares A's identity (and so its queues), not its records. */
  let c: Deployment;

  beforeAll(async () => {
    // One after the other: opening PGlite keeps the event loop busy, which a parallel Redis probe would mistake for no answer.
    a = await deployment('A', prefix);
    b = await deployment('B', prefix);
    c = await deployment('C', prefix);
    all.push(a, b, c);
  }, 90_000);

  afterAll(async () => {
    for (const d of all) {
      await d.workers?.close();
      await d.sync.close();
      await d.store.close();
    }
    await deleteRedisKeys(prefix);
  });

  it('have different identities, so their queues have different keys', () => {
    expect(a.sync.deploymentId).not.toBe(b.sync.deploymentId);
  });

  it("a job started on A is never taken by B's workers: it waits for A's, and runs there", async () => {
    // Only B has workers: before the deployment scoping, B took A's job, recorded it in B's store and ran B's sync.
    b.workers = await work(b, prefix);
    const jobA = await a.sync.start('LOS_IMPORT');
    const jobB = await b.sync.start('LOS_IMPORT');
    await finalState(b, jobB.id);
    a.workers = await work(a, prefix);
    expect(await finalState(a, jobA.id)).toMatchObject({ message: 'ran on A', result: { details: { ranBy: 'A' } } });
    expect(a.ran).toEqual([{ kind: 'LOS_IMPORT', jobId: jobA.id }]);
    expect(b.ran).toEqual([{ kind: 'LOS_IMPORT', jobId: jobB.id }]);
    expect(await b.sync.get(jobA.id)).toBeNull();
  });

  it('starts of every kind on both run each on its own deployment', async () => {
    a.ran.length = 0;
    b.ran.length = 0;
    const started = await Promise.all(
      SYNC_JOB_KINDS.flatMap((kind) => [a, b].map(async (d) => ({ d, job: await d.sync.start(kind) }))),
    );
    for (const { d, job } of started)
      expect(await finalState(d, job.id)).toMatchObject({ message: `ran on ${d.name}` });
    for (const d of [a, b]) {
      const mine = started
        .filter((s) => s.d === d)
        .map((s) => s.job.id)
        .sort();
      expect(d.ran.map((r) => r.jobId).sort()).toEqual(mine);
    }
  });

  it('a scheduled job gets its record in the store of the deployment that owns the schedule, and runs there', async () => {
    a.ran.length = 0;
    b.ran.length = 0;
    const scheduleOn = (d: Deployment, schedules: Map<string, string>) =>
      applySchedules({
        redisUrl: REDIS_URL,
        prefix,
        deploymentId: d.sync.deploymentId,
        schedules,
        tz: 'UTC',
        logger,
        queues: d.sync.queues,
      });
    // Every second, on A only.
    await scheduleOn(a, new Map([['CRISTIN_EXPORT', '* * * * * *']]));
    try {
      const scheduled = await waitFor('a scheduled run on A', () => a.ran.find((r) => r.kind === 'CRISTIN_EXPORT'));
      const record = await finalState(a, scheduled.jobId);
      expect(record).toMatchObject({ kind: 'CRISTIN_EXPORT', message: 'ran on A' });
    } finally {
      await scheduleOn(a, new Map([['CRISTIN_EXPORT', '0 4 * * 1']]));
    }
    expect(b.ran).toEqual([]);
    expect(
      (await b.sync.list({ kind: 'CRISTIN_EXPORT', first: 100 })).rows.every((j) => j.message !== 'ran on A'),
    ).toBe(true);
  });

  it('a job taken by a worker whose store did not create it is refused, and its owner fails it with a message that says so', async () => {
    await c.store.query('UPDATE deployment SET id = $1', [a.sync.deploymentId]);
    expect((await loadDeploymentIdentity(c.store)).id).toBe(a.sync.deploymentId);
    await a.workers?.close();
    a.workers = undefined;
    c.workers = await work(c, prefix);

    const taken = await a.sync.start('FS_IMPORT');
    const queue = a.sync.queues.get('FS_IMPORT')!;
    await waitFor("C's worker to refuse the job", async () => (await queue.getJobState(taken.id)) === 'failed');
    expect((await queue.getJob(taken.id))!.failedReason).toMatch(/its store has no record of job/);
    expect(c.ran).toEqual([]);
    expect(await c.sync.get(taken.id)).toBeNull();
    await c.workers.close();
    c.workers = undefined;

    // A's record stayed QUEUED; the next start of the kind finds it, fails it, and starts a new job.
    expect((await a.sync.get(taken.id))!.state).toBe('QUEUED');
    a.workers = await work(a, prefix);
    const next = await a.sync.start('FS_IMPORT');
    expect(next.id).not.toBe(taken.id);
    expect(await a.sync.get(taken.id)).toMatchObject({
      state: 'FAILED',
      message: expect.stringMatching(
        /^Taken from the job queue without being run for this deployment: .*its store has no record of job/,
      ),
    });
    await finalState(a, next.id);
  }, 60_000);
});

describe('a job whose final write fails', () => {
  const prefix = uniquePrefix('final-write');
  let store: Db;
  let sync: SyncService;
  let workers: SyncWorkers;
  const warnings: string[] = [];

  beforeAll(async () => {
    store = await openStore({ memory: true });
    // A real database error on every write that takes a job out of RUNNING while "the outage" lasts.
    await store.query(`CREATE TABLE test_outage (down boolean NOT NULL)`);
    await store.query(`INSERT INTO test_outage VALUES (false)`);
    await store.query(`CREATE FUNCTION test_outage_check() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.state = 'RUNNING' AND NEW.state <> 'RUNNING' AND (SELECT down FROM test_outage) THEN
          RAISE EXCEPTION 'simulated store outage';
        END IF;
        RETURN NEW;
      END $$`);
    await store.query(
      `CREATE TRIGGER test_outage BEFORE UPDATE ON sync_jobs FOR EACH ROW EXECUTE FUNCTION test_outage_check()`,
    );
    const sink = new Writable({
      write(chunk, _enc, done) {
        warnings.push(String(chunk));
        done();
      },
    });
    const processors = new Map<SyncJobKind, SyncProcessor>([
      ['UNILOGIN_EXPORT', () => Promise.resolve({ result: { ...ZERO }, message: 'uploaded' })],
    ]);
    sync = await createSyncService({ config, store, logger, processors, prefix, attempts: 1 });
    // The periodic sweep is far away: the test runs it (sweep()) when it wants it.
    workers = await startWorkers({
      config,
      logger: createLogger('warn', sink),
      store,
      processors,
      prefix,
      sweepIntervalMs: 3_600_000,
    });
  }, 60_000);

  afterAll(async () => {
    await workers?.close();
    await sync?.close();
    await store?.close();
    await deleteRedisKeys(prefix);
  });

  /** Runs a job through an outage that outlasts its last write (and the worker's fallback), then ends it. */
  async function stuckJob() {
    await store.query('UPDATE test_outage SET down = true');
    const job = await sync.start('UNILOGIN_EXPORT', { params: { mode: 'FULL' } });
    await waitFor(
      'BullMQ to fail the job',
      async () => (await sync.queues.get('UNILOGIN_EXPORT')!.getJobState(job.id)) === 'failed',
    );
    await waitFor("the worker's fallback write to fail too", () =>
      warnings.some((w) => w.includes(job.id) && w.includes('could not record a failed job')),
    );
    await store.query('UPDATE test_outage SET down = false');
    expect((await sync.get(job.id))!.state).toBe('RUNNING');
    return job;
  }

  it("is failed with the reason by the worker's periodic sweep", async () => {
    const job = await stuckJob();
    await workers.sweep();
    expect(await sync.get(job.id)).toMatchObject({
      state: 'FAILED',
      message: expect.stringMatching(
        /^Its run ended in the job queue \(failed: simulated store outage\) but the outcome was never recorded in the store/,
      ),
    });
  });

  it('is failed with the reason by the next start of its kind, which then runs', async () => {
    const job = await stuckJob();
    const next = await sync.start('UNILOGIN_EXPORT', { params: { mode: 'FULL' } });
    expect(next.id).not.toBe(job.id);
    expect(await sync.get(job.id)).toMatchObject({
      state: 'FAILED',
      message: expect.stringMatching(/simulated store outage/),
    });
    await waitFor('the new job to succeed', async () => (await sync.get(next.id))?.state === 'SUCCEEDED');
  });
});
