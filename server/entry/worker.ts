/** `npm run worker`: the job worker process (jobs/framework/worker.ts runs the syncs). */
import './tracing-start'; // first: see core/tracing.ts
import 'reflect-metadata';
import { ConfigError, loadConfig, storeSettings, type Config } from '../../core/config';
import { createLogger } from '../../core/logger';
import { Lifecycle } from '../../core/lifecycle';
import { openStore } from '../../store/db';
import { prepareKeyedIds } from '../../store/keyed-ids.repo';
import { assertRedisReachable } from '../../jobs/framework/redis';
import { loadBuiltInSyncs } from '../../jobs/framework/registry';
import { applySchedules } from '../../jobs/framework/schedules';
import { startWorkers, type SyncWorkers } from '../../jobs/framework/worker';
import { startCristinEventQueue } from '../../jobs/cristin-export/cristin-events';
import { startMetricsServer } from '../metrics-http';
import { shutdownTracing } from '../../core/tracing';

/**
 * `npm run worker`: settings from the environment (runtime.md), the store at DATABASE_URL (or the embedded one
 * under DATA_DIR — shared with the API process on this machine through the process that opened it first),
 * workers for every sync in this build, and the schedules of SYNC_SCHEDULES. SIGTERM/SIGINT drain it.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, { mode: 'worker' });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`idbro worker: invalid setting ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const life = new Lifecycle(logger);
  // Redis first: a missing Redis is the likeliest start-up failure, and the cheapest to find out.
  await assertRedisReachable(config.redisUrl);
  const store = await openStore({ ...storeSettings(config), logger: { warn: (m) => logger.warn(m) } });
  let workers: SyncWorkers;
  try {
    // Stored ids of an older derivation (or another ID_KEY) are re-derived under the deployment key, once.
    await prepareKeyedIds(store, { idKey: config.idKey, logger });
    const processors = loadBuiltInSyncs();
    if (processors.size === 0) logger.warn('this build has no syncs yet: the worker has nothing to run');
    workers = await startWorkers({ config, logger, store, processors });
    await applySchedules({
      redisUrl: config.redisUrl,
      deploymentId: workers.deploymentId,
      schedules: config.syncSchedules,
      tz: config.tz,
      available: new Set(processors.keys()),
      logger,
    });
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  // Changes for the incremental Cristin export (jobs/cristin-export/cristin-events.ts), kept by the broker while no worker runs.
  const cristinEvents = config.cerebrumEvents
    ? startCristinEventQueue({ events: config.cerebrumEvents, store, deploymentId: workers.deploymentId, logger })
    : undefined;
  // Lifecycle order: the event queue and workers (finish or hand back running jobs), then the store they write to.
  if (cristinEvents) life.add('cristin-events', () => cristinEvents.stop());
  life.add('workers', () => workers.close());
  life.add('store', () => store.close());
  // Job metrics (runs, durations, queue depth) on METRICS_PORT; the worker has no other HTTP listener.
  if (config.metricsPort !== undefined) {
    const metrics = await startMetricsServer(config.metricsPort, '0.0.0.0', logger);
    life.add('metrics', () => metrics.close());
    logger.info({ url: `${metrics.url}/metrics` }, 'metrics listening');
  }
  life.add('traces', () => shutdownTracing());
  life.handleSignals();
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`idbro worker: ${(e as Error).message}`);
    process.exit(1);
  });
}
