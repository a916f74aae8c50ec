/**
 * Adding a sync = a folder with an index.ts that exports its definition + one row of jobs/framework/kinds.ts.
 * This proves it with a test-only kind, TEST_ECHO (test/helpers/echo-sync/), whose row reaches the framework
 * through `extraKinds`, the same mechanism as the built-in list: the API side enqueues it, a worker on a real
 * Redis loads its module, takes its lease (a kind with no lease row yet), runs it to SUCCEEDED, and the store
 * (PGlite, and PostgreSQL when reachable) keeps the job, its issue and what the sync wrote, with no migration
 * naming the kind. It also checks that the built-in rows are what the rest is derived from.
 */
import { join } from 'node:path';
import { loadConfig, SCHEDULE_MODES } from '../core/config';
import { SyncKind } from '../schema/enums';
import { SYNC_KIND_NAMES, SYNC_KINDS, type SyncKindRow } from '../jobs/framework/kinds';
import { loadSync } from '../jobs/framework/registry';
import { DEFAULT_SCHEDULES } from '../jobs/framework/schedules';
import { createSyncService, SyncKindUnavailableError, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import type { Db } from '../store/db';
import { SyncJobsRepo } from '../store/sync-jobs.repo';
import { SyncStateRepo } from '../store/sync-state.repo';
import { ECHO_MARK_KEY } from './helpers/echo-sync';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';
import { storeBackends } from './helpers/stores';

const logger = testLogger();
const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' });

/** The one row a new sync needs (here given to the framework instead of written into kinds.ts). */
const ECHO: SyncKindRow = {
  name: 'TEST_ECHO',
  label: 'Echo test sync',
  description: 'Echoes its `say` parameter (tests only).',
  mutation: 'startTestEcho',
  takesForce: false,
  module: join(__dirname, 'helpers', 'echo-sync'),
};

describe('the list of sync kinds', () => {
  it('every built-in row names a module whose index.ts exports the definition of that kind', () => {
    for (const row of SYNC_KINDS) expect(loadSync(row)).toMatchObject({ kind: row.name, run: expect.any(Function) });
  });

  it('the GraphQL enum, the schedule modes and the default schedules come from the rows', () => {
    expect(Object.values(SyncKind)).toEqual(SYNC_KIND_NAMES);
    expect(SCHEDULE_MODES).toEqual({ UNILOGIN_EXPORT: ['FULL', 'INCREMENTAL', 'DELETE'] });
    expect([...DEFAULT_SCHEDULES]).toEqual([
      ['CRISTIN_EXPORT', '0 4 * * 1'],
      ['CRISTIN_EXPORT:INCREMENTAL', '*/15 * * * *'],
    ]);
    expect(() => loadConfig({ SYNC_SCHEDULES: 'TEST_ECHO=0 2 * * *' })).toThrow(
      'SYNC_SCHEDULES: unknown sync kind "TEST_ECHO" (known: LOS_IMPORT, FS_IMPORT, UNILOGIN_EXPORT, CRISTIN_EXPORT)',
    );
  });
});

describe.each(storeBackends())('a sync added by one row ($name)', (backend) => {
  const prefix = uniquePrefix('sync-kinds');
  let store: Db;
  let sync: SyncService;
  let workers: SyncWorkers;

  beforeAll(async () => {
    store = await backend.open();
    // No `processors`: the modules are loaded from the rows, the built-in ones and ECHO alike.
    sync = await createSyncService({ config, store, logger, extraKinds: [ECHO], prefix, attempts: 1 });
    workers = await startWorkers({
      config,
      logger,
      store,
      extraKinds: [ECHO],
      kinds: ['TEST_ECHO'],
      prefix,
      progressIntervalMs: 20,
    });
  });

  afterAll(async () => {
    await workers?.close();
    await sync?.close();
    await deleteRedisKeys(prefix);
    await backend.cleanup();
  });

  it('is enqueued, run by a worker to SUCCEEDED and stored', async () => {
    expect(sync.isAvailable('TEST_ECHO')).toBe(true);
    const queued = await sync.start('TEST_ECHO', { params: { say: 'hello' } });
    expect(queued).toMatchObject({ kind: 'TEST_ECHO', state: 'QUEUED' });

    const repo = new SyncJobsRepo(store);
    const done = await waitFor('the TEST_ECHO job to succeed', async () => {
      const job = await repo.get(queued.id);
      return job?.state === 'SUCCEEDED' && job;
    });
    expect(done).toMatchObject({
      kind: 'TEST_ECHO',
      progress: 1,
      message: 'echo: hello',
      result: { created: 1, details: { say: 'hello' } },
    });
    expect(await repo.issues(queued.id)).toMatchObject([
      { seq: 1, severity: 'INFO', message: 'asked to say "hello"', field: 'say' },
    ]);
    // Written through the run's fenced store: the new kind's lease row was created and held.
    expect(await new SyncStateRepo(store).get(ECHO_MARK_KEY)).toEqual({ jobId: queued.id, say: 'hello' });
    const lease = await store.query<{ token: string | null }>(`SELECT token FROM sync_leases WHERE kind = 'TEST_ECHO'`);
    expect(lease.rows).toEqual([{ token: null }]);
    expect((await sync.list({ kind: 'TEST_ECHO', first: 5 })).rows.map((j) => j.id)).toEqual([queued.id]);
  });

  it('without its row the framework refuses the kind, and the store refuses a name of the wrong shape', async () => {
    const plain = await createSyncService({ config, store, logger, prefix, processors: new Map() });
    try {
      await expect(plain.start('TEST_ECHO')).rejects.toBeInstanceOf(SyncKindUnavailableError);
    } finally {
      await plain.close();
    }
    await expect(new SyncJobsRepo(store).create({ id: 'bad-kind', kind: 'test echo' })).rejects.toThrow(
      /sync_jobs_kind_check/,
    );
  });
});
