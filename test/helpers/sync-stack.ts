/**
 * A real gateway with real sync workers for tests of the operators' tools (console, CLI): the LOS FTP and DAR
 * simulators with one delivery (with bad rows, so the import reports issues), an in-memory store, BullMQ on the
 * real Redis under a unique prefix, workers running the real LOS import and the real Cristin export (which
 * fails at once here: CRISTIN_INSTITUTION is unset), UNILOGIN_EXPORT known to the API but run by no worker (its
 * jobs stay QUEUED), and a schedule for LOS_IMPORT registered as a worker would.
 */
import { loadConfig } from '../../core/config';
import { openStore, type Db } from '../../store/db';
import type { SyncJobKind } from '../../store/sync-jobs.repo';
import { createSyncService, type SyncService } from '../../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../../jobs/framework/worker';
import { applySchedules } from '../../jobs/framework/schedules';
import { runLosImport } from '../../jobs/los-import/los-import';
import { runCristinExport } from '../../jobs/cristin-export/cristin-export';
import type { SyncProcessor } from '../../jobs/framework/types';
import { startStack, type Stack } from './gateway';
import { startLosBed, type LosBed } from './los-delivery';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix } from './jobs';

/** The schedule the stack registers for LOS_IMPORT (1 January, 02:00: never during a test run in practice). */
export const LOS_SCHEDULE = '0 2 1 1 *';

export interface SyncStack {
  stack: Stack;
  bed: LosBed;
  store: Db;
  sync: SyncService;
  prefix: string;
  stop(): Promise<void>;
}

export async function startSyncStack(name: string): Promise<SyncStack> {
  const prefix = uniquePrefix(name);
  const logger = testLogger();
  const bed = await startLosBed({ days: 1, badRows: true, failAddresses: 1 });
  await bed.deliver('all');
  const config = loadConfig(
    { REDIS_URL, LOS_FTP_URL: bed.ftp.url, DAR_URL: bed.dar.url, LOG_LEVEL: 'silent' },
    { mode: 'worker' },
  );
  const store = await openStore({ memory: true });
  const processors = new Map<SyncJobKind, SyncProcessor>([
    ['LOS_IMPORT', (ctx) => runLosImport(ctx)],
    ['CRISTIN_EXPORT', (ctx) => runCristinExport(ctx)],
    // Known to the API, but no worker here runs it: its jobs stay QUEUED (to be cancelled).
    ['UNILOGIN_EXPORT', () => Promise.reject(new Error('test: no worker runs UNILOGIN_EXPORT'))],
  ]);
  const sync = await createSyncService({ config, store, logger, processors, prefix, attempts: 1 });
  const workers: SyncWorkers = await startWorkers({
    config,
    logger,
    store,
    processors,
    kinds: ['LOS_IMPORT', 'CRISTIN_EXPORT'],
    prefix,
    progressIntervalMs: 50,
  });
  await applySchedules({
    redisUrl: REDIS_URL,
    prefix,
    logger,
    tz: config.tz,
    deploymentId: workers.deploymentId,
    schedules: new Map([['LOS_IMPORT', LOS_SCHEDULE]]),
    available: new Set<SyncJobKind>(['LOS_IMPORT']),
  });
  const stack = await startStack({ gateway: { store, sync } });
  return {
    stack,
    bed,
    store,
    sync,
    prefix,
    async stop() {
      await stack.stop();
      await workers.close();
      await sync.close();
      await deleteRedisKeys(prefix);
      await store.close();
      await bed.stop();
    },
  };
}
