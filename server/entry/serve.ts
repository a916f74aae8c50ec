import './tracing-start'; // first: see tracing.ts
import 'reflect-metadata';
import { ConfigError, configWarnings, loadConfig, storeSettings } from '../../core/config';
import { createLogger } from '../../core/logger';
import { createGateway } from '../http';
import { defaultSources } from '../../datasources/index';
import { Lifecycle } from '../../core/lifecycle';
import { openStore } from '../../store/db';
import { prepareKeyedIds } from '../../store/keyed-ids.repo';
import { createSyncService } from '../../jobs/framework/sync-service';
import { assertRedisReachable } from '../../jobs/framework/redis';
import { shutdownTracing } from '../../core/tracing';

/** `npm run serve`: the production API process. Sources without a URL are disabled, never simulated. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, { mode: 'serve' });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`idbro: invalid setting ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const life = new Lifecycle(logger);
  await assertRedisReachable(config.redisUrl); // fail fast, before opening the store
  const store = await openStore({ ...storeSettings(config), logger: { warn: (m) => logger.warn(m) } });
  // Stored ids of an older derivation (or another ID_KEY) are re-derived under the deployment key, once.
  await prepareKeyedIds(store, { idKey: config.idKey, logger }).catch(async (e) => {
    await store.close();
    throw e;
  });
  // Fails fast, naming REDIS_URL, when Redis does not answer. This process runs no worker (npm run worker does).
  const sync = await createSyncService({ config, store, logger }).catch(async (e) => {
    await store.close();
    throw e;
  });
  const gateway = createGateway({ config, logger, store, sync, sources: defaultSources });
  // Shutdown order (architecture.md, convention 8): HTTP, then queues (Redis), then the store.
  life.add('http', () => gateway.stop());
  life.add('sync queues', () => sync.close());
  life.add('store', () => store.close());
  life.add('traces', () => shutdownTracing());
  const url = await gateway.listen(config.port);
  const enabled = [
    config.cerebrum && 'CEREBRUM',
    config.fs && 'FS',
    config.losFtpUrl && 'LOS',
    config.unilogin && 'UNILOGIN',
  ].filter(Boolean);
  logger.info({ url: `${url}/graphql`, sources: enabled }, 'idbro gateway listening');
  if (gateway.metrics) logger.info({ url: `${gateway.metrics.url}/metrics` }, 'metrics listening');
  if (!config.apiTokens) logger.warn('API_TOKENS is unset: every request will be refused with 401');
  for (const w of configWarnings(config)) logger.warn(w);
  life.handleSignals();
}

main().catch((e) => {
  console.error(`idbro: ${(e as Error).message}`);
  process.exit(1);
});
