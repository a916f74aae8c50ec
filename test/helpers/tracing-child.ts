/**
 * A gateway and a sync worker in their own process with the tracing SDK on, for test/tracing.spec.ts (forked
 * with test/helpers/swc-register.js). Like the entry points it loads server/tracing-start FIRST, so the HTTP and
 * Express instrumentations patch those modules before anything requires them. Settings come from the parent:
 * OTEL_* (the parent's OTLP receiver), CHILD_CEREBRUM_URL, CHILD_REDIS_URL, CHILD_PREFIX.
 *
 * Its LOS_IMPORT sync is a test processor with two phases that reads one person from Cerebrum, so the job's
 * trace shows phase spans and an upstream span. It tells the parent {type: 'ready', url}; on {type: 'stop'} it
 * shuts everything down, flushes the spans (shutdownTracing) and answers {type: 'stopped'}.
 */
import '../../server/entry/tracing-start';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import { createGateway } from '../../server/http';
import { shutdownTracing } from '../../core/tracing';
import { openStore } from '../../store/db';
import { createSyncService } from '../../jobs/framework/sync-service';
import { startWorkers } from '../../jobs/framework/worker';
import { CerebrumClient } from '../../datasources/cerebrum/client';
import type { SyncProcessor } from '../../jobs/framework/types';
import type { SyncJobKind } from '../../store/sync-jobs.repo';

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig(
    {
      API_TOKENS: 'tok-all=read+pii+sync',
      CEREBRUM_URL: env.CHILD_CEREBRUM_URL,
      CEREBRUM_API_KEY: env.CHILD_CEREBRUM_API_KEY,
      REDIS_URL: env.CHILD_REDIS_URL,
      LOG_LEVEL: 'silent',
    },
    { mode: 'serve' },
  );
  const logger = createLogger('silent');
  const store = await openStore({ memory: true });
  const cerebrum = new CerebrumClient({ url: env.CHILD_CEREBRUM_URL!, apiKey: env.CHILD_CEREBRUM_API_KEY });
  const los: SyncProcessor = async (ctx) => {
    ctx.progress(0.1, 'reading Employee_delta.csv');
    ctx.progress(0.3, 'reading Employee_delta.csv'); // same phase
    await cerebrum.get('/persons/85073');
    ctx.progress(0.7, 'applying 3 rows');
    return { result: { created: 3, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 }, message: 'done' };
  };
  const processors = new Map<SyncJobKind, SyncProcessor>([['LOS_IMPORT', los]]);
  const prefix = env.CHILD_PREFIX!;
  const sync = await createSyncService({ config, store, logger, processors, prefix });
  const workers = await startWorkers({ config, logger, store, processors, prefix, progressIntervalMs: 20 });
  const gateway = createGateway({ config, logger, store, sync });
  const url = await gateway.listen(0, '127.0.0.1');
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'stop') return;
    void (async () => {
      await gateway.stop();
      await workers.close();
      await sync.close();
      await store.close();
      cerebrum.close();
      await shutdownTracing();
      process.send?.({ type: 'stopped' }, () => process.exit(0));
    })();
  });
  process.send?.({ type: 'ready', url });
}

main().catch((e) => {
  process.send?.({ type: 'error', message: (e as Error).stack ?? String(e) });
  process.exit(1);
});
