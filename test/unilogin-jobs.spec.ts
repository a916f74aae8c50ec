/**
 * The UNI-Login export through the real job framework: SyncService → BullMQ on Redis → a worker running the
 * registered UNILOGIN_EXPORT processor → the WS10 simulator; the job record read back from the store.
 */
import { loadConfig } from '../core/config';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import { processorFor } from '../jobs/framework/registry';
import '../jobs/unilogin-export/unilogin-export';
import { SyncJobsRepo } from '../store/sync-jobs.repo';
import type { Db } from '../store/db';
import { startUniLoginSimulator, type UniLoginSimulator } from '../simulators/unilogin';
import { memoryStore } from './helpers/los-delivery';
import { insertLosFixtures } from './helpers/los-fixtures';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';
import { INSTITUTION, PASSWORD, SOURCE, USER, uniloginEnv } from './helpers/unilogin';

describe('UNI-Login export as a BullMQ sync job', () => {
  const prefix = uniquePrefix('unilogin');
  const logger = testLogger();
  let sim: UniLoginSimulator;
  let store: Db;
  let sync: SyncService;
  let workers: SyncWorkers;

  beforeAll(async () => {
    sim = await startUniLoginSimulator({
      users: [{ user: USER, password: PASSWORD }],
      institutions: [INSTITUTION],
      sources: [SOURCE],
    });
    store = await memoryStore();
    await insertLosFixtures(store);
    const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent', ...uniloginEnv(sim) }, { mode: 'worker' });
    const processors = new Map([['UNILOGIN_EXPORT' as const, processorFor('UNILOGIN_EXPORT')!]]);
    sync = await createSyncService({ config, store, logger, processors, prefix, attempts: 3, backoffMs: 50 });
    workers = await startWorkers({
      config,
      logger,
      store,
      processors,
      kinds: ['UNILOGIN_EXPORT'],
      prefix,
      progressIntervalMs: 20,
    });
  });

  afterAll(async () => {
    await workers?.close();
    await sync?.close();
    await deleteRedisKeys(prefix);
    await store?.close();
    await sim?.stop();
  });

  it("startUniLoginExport(FULL) runs to SUCCEEDED with the service's counts; a following INCREMENTAL sends nothing", async () => {
    const repo = new SyncJobsRepo(store);
    const finished = (id: string) =>
      waitFor(
        `job ${id} to finish`,
        async () => {
          const job = await repo.get(id);
          return job && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.state) ? job : undefined;
        },
        { timeoutMs: 30_000 },
      );

    const full = await finished((await sync.start('UNILOGIN_EXPORT', { dryRun: false, params: { mode: 'FULL' } })).id);
    expect(full).toMatchObject({ state: 'SUCCEEDED', progress: 1, attempts: 1 });
    expect(full.result).toMatchObject({ created: 3, updated: 0, terminated: 0, failed: 0 });
    expect(full.result!.details).toMatchObject({
      mode: 'FULL',
      sent: true,
      service: { statuskode: 0, newobjects: 3, summary: 'Indlæsning afsluttet' },
    });
    expect(full.message).toMatch(/^UNI-Login accepted the FULL upload of 3 person\(s\)/);
    expect(sim.persons(INSTITUTION, SOURCE)).toHaveLength(3);

    const inc = await finished(
      (await sync.start('UNILOGIN_EXPORT', { dryRun: false, params: { mode: 'INCREMENTAL' } })).id,
    );
    expect(inc).toMatchObject({ state: 'SUCCEEDED', result: { created: 0, updated: 0, unchanged: 3 } });
    expect(sim.calls.UploadIncrementalXmlData ?? 0).toBe(0);
    expect(sim.calls.UploadXmlData).toBe(1);
  });
});
