/**
 * One process of the scale-out test (test/jobs-scale.spec.ts), forked with test/helpers/swc-register.js, on the
 * PostgreSQL schema CHILD_SCHEMA at CHILD_DATABASE_URL and the Redis at CHILD_REDIS_URL under CHILD_PREFIX:
 *
 * - CHILD_ROLE=api: a SyncService (as `npm run serve` has). On {type: 'start', kind, ref} it starts a job of
 *   that kind and answers {type: 'started', ref, id, state}.
 * - CHILD_ROLE=worker: workers for the kinds in CHILD_KINDS (comma-separated) with light test syncs. Each run
 *   sends {type: 'run-start', kind, jobId, attempt, pid} and, when it ends, {type: 'run-end', …}. Runs wait for
 *   {type: 'release'} unless CHILD_RELEASED=1 (then they end at once).
 *
 * Both send {type: 'ready'} once up, and stop cleanly on {type: 'stop'}.
 */
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import { openStore } from '../../store/db';
import { SYNC_KIND_NAMES as SYNC_JOB_KINDS } from '../../jobs/framework/kinds';
import { type SyncJobKind } from '../../store/sync-jobs.repo';
import { createSyncService } from '../../jobs/framework/sync-service';
import { startWorkers } from '../../jobs/framework/worker';
import type { SyncProcessor } from '../../jobs/framework/types';

const ZERO = { created: 0, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 };

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig({ REDIS_URL: env.CHILD_REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' });
  const logger = createLogger('silent');
  const store = await openStore({
    databaseUrl: env.CHILD_DATABASE_URL,
    schema: env.CHILD_SCHEMA,
    connectTimeoutMs: 5000,
  });
  const send = (m: Record<string, unknown>) => process.send?.(m);
  const processors = new Map<SyncJobKind, SyncProcessor>();
  let released = env.CHILD_RELEASED === '1';
  const waiting: (() => void)[] = [];
  for (const kind of SYNC_JOB_KINDS) {
    processors.set(kind, async (ctx) => {
      send({ type: 'run-start', kind, jobId: ctx.jobId, attempt: ctx.attempt, pid: process.pid });
      if (!released) await new Promise<void>((resolve) => waiting.push(resolve));
      send({ type: 'run-end', kind, jobId: ctx.jobId, attempt: ctx.attempt, pid: process.pid });
      return { result: { ...ZERO, details: { pid: process.pid } }, message: `ran on ${process.pid}` };
    });
  }

  let stop: () => Promise<void>;
  if (env.CHILD_ROLE === 'api') {
    const sync = await createSyncService({ config, store, logger, processors, prefix: env.CHILD_PREFIX });
    process.on('message', (m: { type?: string; kind?: SyncJobKind; ref?: number }) => {
      if (m?.type !== 'start') return;
      sync.start(m.kind!).then(
        (job) => send({ type: 'started', ref: m.ref, id: job.id, state: job.state }),
        (e: Error) => send({ type: 'started', ref: m.ref, error: e.message }),
      );
    });
    stop = () => sync.close();
  } else {
    const kinds = (env.CHILD_KINDS ?? SYNC_JOB_KINDS.join(',')).split(',');
    const workers = await startWorkers({
      config,
      logger,
      store,
      processors,
      kinds,
      prefix: env.CHILD_PREFIX,
      lockDurationMs: 1000,
      stalledIntervalMs: 300,
    });
    process.on('message', (m: { type?: string }) => {
      if (m?.type !== 'release') return;
      released = true;
      for (const resolve of waiting.splice(0)) resolve();
    });
    stop = () => workers.close();
  }
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'stop') return;
    void stop()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
  send({ type: 'ready', pid: process.pid });
}

main().catch((e) => {
  process.send?.({ type: 'error', message: String((e as Error).stack ?? e) });
  process.exit(1);
});
