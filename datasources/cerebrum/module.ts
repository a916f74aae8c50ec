/**
 * Cerebrum as a source module (../source-module.ts): the REST client, the change events and the cache they keep
 * true (README "Cerebrum change events"), one CerebrumSource per request.
 */
import type { Config } from '../../core/config';
import { Source } from '../../schema/enums';
import type { SourceInstance, SourceModule } from '../source-module';
import { CerebrumClient } from './client';
import { CerebrumSource } from './source';
import { CerebrumRequestReader } from './reader';
import { startCerebrumLive, type CerebrumLive } from './events/live';

export interface CerebrumInstance extends SourceInstance {
  /** Undefined when only the change events are configured (CEREBRUM_URL unset): no reads. */
  client?: CerebrumClient;
  /** Change events and the cache (with CEREBRUM_EVENTS_URL or CEREBRUM_CACHE_TTL_S). */
  live?: CerebrumLive;
}

/** Persons of this source are linked to FS persons by fødselsnummer. */
const LINKED = ['fs'] as const;

export const cerebrumModule: SourceModule<Config, CerebrumInstance> = {
  name: 'CEREBRUM',
  prefix: 'cerebrum',
  source: Source.CEREBRUM,
  setting: 'CEREBRUM_URL',
  // The events run without CEREBRUM_URL too (subscriptions then answer SOURCE_DISABLED, as before).
  settings: (config) => (config.cerebrum || config.cerebrumEvents || config.cerebrumCacheTtlS ? config : undefined),
  create(config, { logger, naiveLoaders }) {
    const client = config.cerebrum
      ? new CerebrumClient({ ...config.cerebrum, logger: logger.child({ source: 'CEREBRUM' }) })
      : undefined;
    const live =
      config.cerebrumEvents || config.cerebrumCacheTtlS
        ? startCerebrumLive(config, logger.child({ component: 'cerebrum-events' }))
        : undefined;
    const reader = client && live ? live.reader(client) : client;
    const consumer = live?.consumer;
    return {
      client,
      live,
      reader: (req) =>
        reader
          ? new CerebrumRequestReader(
              new CerebrumSource(reader, { stats: req.stats, naive: naiveLoaders, signal: req.signal }),
              req.today,
              () => LINKED.some((p) => req.enabled.has(p)),
            )
          : undefined,
      readiness: [
        ...(client
          ? [
              {
                name: 'cerebrum',
                setting: 'CEREBRUM_URL',
                check: async () => void (await client.get('/contexts/', { round: 1 })),
              },
            ]
          : []),
        ...(consumer
          ? [{ name: 'cerebrum-events', setting: 'CEREBRUM_EVENTS_URL', check: () => consumer.check() }]
          : []),
      ],
      async close() {
        await live?.stop();
        client?.close();
      },
    };
  },
  ids: { person: ['person'], unit: ['person', 'ou', 'account'], node: ['person', 'ou', 'account'] },
  linkedByNationalId: LINKED,
  holdsNationalId: () => true,
  defaultPersonList: true,
  unitListRefusal:
    'Cerebrum REST has no OU listing or search; ask for one unit with organisationUnit(id: "cerebrum:ou:<id>")',
  servesAccounts: true,
  servesChanges: true,
};
