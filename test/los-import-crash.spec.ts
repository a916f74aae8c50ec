import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/db';
import { createSyncService } from '../jobs/framework/sync-service';
import { startWorkers } from '../jobs/framework/worker';
import { runLosImport } from '../jobs/los-import/los-import';
import { SyncJobsRepo } from '../store/sync-jobs.repo';
import { loadConfig } from '../core/config';
import type { SyncProcessor } from '../jobs/framework/types';
import type { SyncJobKind } from '../store/sync-jobs.repo';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';
import { fakeRun, losSnapshot, memoryStore, startLosBed, type LosBed } from './helpers/los-delivery';

/**
 * The crash test: a worker process is SIGKILLed in the middle of a LOS import (its store transaction
 * open and half-written); another worker takes the stalled job over, and the final state equals a clean run.
 */
describe('LOS import: a worker killed mid-import', () => {
  const prefix = uniquePrefix('los-crash');
  let bed: LosBed;
  let dataDir: string;
  beforeAll(async () => {
    bed = await startLosBed({ days: 2, units: 40, engagements: 200, managers: 10 });
    await bed.deliver('all');
    dataDir = mkdtempSync(join(tmpdir(), 'idbro-los-crash-'));
  });
  afterAll(async () => {
    await deleteRedisKeys(prefix);
    await bed.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is taken over by another worker and ends in the same state as a clean run', async () => {
    // The same ID_KEY for the clean store and the taken-over one: else each keeps its own random key (other ids).
    const env = {
      LOS_FTP_URL: bed.ftp.url,
      DAR_URL: bed.dar.url,
      REDIS_URL,
      LOG_LEVEL: 'silent',
      ID_KEY: 'the same key for both stores, 32+ characters',
    };
    const clean = await memoryStore();
    await runLosImport(fakeRun(clean, env).ctx);
    const expected = await losSnapshot(clean);
    await clean.close();

    // The embedded store has one owner at a time: the API enqueues, then the child worker owns it until killed.
    const config = loadConfig(env, { mode: 'worker' });
    let db = await openStore({ dataDir });
    const los = new Map<SyncJobKind, SyncProcessor>([['LOS_IMPORT', (ctx) => runLosImport(ctx)]]);
    const api = await createSyncService({ config, store: db, logger: testLogger(), processors: los, prefix });
    const job = await api.start('LOS_IMPORT');
    await api.close();
    await db.close();

    const child = fork(join(__dirname, 'helpers', 'child-worker.ts'), [], {
      execArgv: ['--require', join(__dirname, 'helpers', 'swc-register.js')],
      env: {
        ...process.env,
        CHILD_REDIS_URL: REDIS_URL,
        CHILD_PREFIX: prefix,
        CHILD_MODE: 'los-crash',
        CHILD_DATA_DIR: dataDir,
        CHILD_LOS_FTP_URL: bed.ftp.url,
        CHILD_DAR_URL: bed.dar.url,
        CHILD_CRASH_AFTER: '40',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const running = await new Promise<any>((resolve, reject) => {
      child.on('message', (m: any) => {
        if (m?.type === 'running') resolve(m);
        if (m?.type === 'error') reject(new Error(m.message));
      });
      child.once('exit', (code) => reject(new Error(`child exited (${code}) early: ${output}`)));
    });
    expect(running.statements).toBe(40); // stopped inside its transaction, with writes made
    child.kill('SIGKILL');
    await exited;

    db = await openStore({ dataDir });
    // Nothing of the killed attempt survived: its seed data and classes were inside the open transaction.
    expect((await db.query('SELECT count(*)::int AS n FROM los_facets')).rows[0].n).toBe(0);
    const workers = await startWorkers({
      config,
      logger: testLogger(),
      store: db,
      processors: los,
      prefix,
      lockDurationMs: 1000,
      stalledIntervalMs: 300,
    });
    try {
      const repo = new SyncJobsRepo(db);
      const done = await waitFor(
        'the stalled LOS import to be taken over and finish',
        async () => {
          const j = await repo.get(job.id);
          return (j?.state === 'SUCCEEDED' || j?.state === 'FAILED') && j;
        },
        { timeoutMs: 40_000 },
      );
      expect(done).toMatchObject({ state: 'SUCCEEDED', attempts: 2 });
      expect(await losSnapshot(db)).toBe(expected);
    } finally {
      await workers.close();
      await db.close();
    }
  }, 90_000);
});
