/**
 * Wires one API process's change events to its Cerebrum cache (issue 13): the consumer publishes to a ChangeBus,
 * the cache follows the bus and the consumer's connection state. Later consumers of the same bus (subscriptions)
 * take `bus` from here.
 */
import type { Config } from '../../../core/config';
import type { Logger } from '../../../core/logger';
import { CerebrumCache, type CerebrumReader } from '../cache';
import { ChangeBus } from './change';
import { CerebrumEventConsumer } from './consumer';

export interface CerebrumLive {
  bus: ChangeBus;
  /** Undefined when the cache is off (no events and no CEREBRUM_CACHE_TTL_S). */
  cache?: CerebrumCache;
  /** Undefined when CEREBRUM_EVENTS_URL is unset. */
  consumer?: CerebrumEventConsumer;
  /** The reader CerebrumSource should use: the cache in front of `client`, or `client` itself. */
  reader(client: CerebrumReader): CerebrumReader;
  stop(): Promise<void>;
}

export function startCerebrumLive(config: Config, logger: Logger): CerebrumLive {
  const bus = new ChangeBus();
  const ev = config.cerebrumEvents;
  const cache =
    config.cerebrum && config.cerebrumCacheTtlS
      ? new CerebrumCache({
          ttlMs: config.cerebrumCacheTtlS * 1000,
          maxEntries: config.cerebrumCacheMaxEntries,
          live: !ev,
        })
      : undefined;
  const unfollow = cache?.follow(bus);
  const consumer = ev ? new CerebrumEventConsumer({ ...ev, bus, logger }) : undefined;
  if (consumer && cache) consumer.onState((s) => cache.setLive(s === 'connected'));
  consumer?.start();
  return {
    bus,
    cache,
    consumer,
    reader: (client) => (cache ? cache.wrap(client) : client),
    async stop() {
      unfollow?.();
      await consumer?.stop();
      cache?.setLive(false);
    },
  };
}
