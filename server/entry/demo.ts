import './tracing-start'; // first: see tracing.ts
import 'reflect-metadata';
import { loadConfig, storeSettings, type Config } from '../../core/config';
import { createLogger } from '../../core/logger';
import { createGateway } from '../http';
import { defaultSources } from '../../datasources/index';
import { Lifecycle } from '../../core/lifecycle';
import { startCerebrumSimulator } from '../../simulators/cerebrum';
import { startFsSimulator } from '../../simulators/fs';
import { openStore } from '../../store/db';
import { prepareKeyedIds } from '../../store/keyed-ids.repo';
import { createSyncService } from '../../jobs/framework/sync-service';
import { startWorkers } from '../../jobs/framework/worker';
import { startCristinEventQueue } from '../../jobs/cristin-export/cristin-events';
import { applySchedules } from '../../jobs/framework/schedules';
import { loadBuiltInSyncs } from '../../jobs/framework/registry';
import { assertRedisReachable } from '../../jobs/framework/redis';
import { startLosDemoSources } from '../../simulators/demo-los';
import { startDemoUniLoginSimulator, uniloginDemoSettings } from '../../simulators/unilogin';
import { LOS_MARK_KEY } from '../../jobs/los-import/los-import';
import { SyncStateRepo } from '../../store/sync-state.repo';
import { demoEventsUrl, startDemoChanges } from '../../simulators/cerebrum-demo-changes';
import { shutdownTracing } from '../../core/tracing';

export const SAMPLE_QUERY = `# idbro demo: every source is served by a built-in simulator.
# Cerebrum (live, through DataLoaders):
query TorTest {
  person(id: "cerebrum:85073") {
    id
    name
    birthDate
    contacts { type value preference }
    accounts { name primary primaryEmail active contexts }
    affiliations {
      kind
      status
      from
      organisationUnit { id name acronym stedkode }
    }
  }
}

# FS (live, batched) and Cerebrum: Ola Nordmann is in both, matched by fødselsnummer.
query OlaInCerebrumAndFs {
  person(id: "cerebrum:101004") {
    name
    accounts { name primaryEmail }
    studyRights { programmeCode programmeName status level organisationUnit { id name stedkode } }
    sameAs { id source name contacts { type value } }
  }
  fsStudents: persons(filter: { source: FS, organisationUnit: "fs:ou:162000" }, first: 5) {
    totalCount
    edges { node { id name studyRights { programmeCode status } sameAs { id } } }
  }
}

# LOS (Aarhus), imported by a sync job on first start (see syncJobs):
query LosRoots {
  organisationUnits(filter: { source: LOS, roots: true }, first: 10) {
    totalCount
    edges { node { id name userKey children { name } managers { person { name } } } }
  }
}

# UNI-Login export of the LOS persons to the WS10 simulator (FULL first, then INCREMENTAL or DELETE):
mutation UniLoginFull {
  startUniLoginExport(mode: FULL) { id state }
}

query Jobs {
  syncJobs(first: 5) { edges { node { id kind state progress message result { created updated failed } } } }
}

# Live job updates over WebSocket (graphql-ws): run this, then start a job in another tab.
subscription JobUpdates {
  syncJobUpdated { id kind state progress message }
}
`;

export interface Demo {
  url: string;
  graphqlUrl: string;
  /** `<url>/metrics` of the METRICS_PORT listener, when METRICS_PORT is set. */
  metricsUrl?: string;
  config: Config;
  stop(): Promise<void>;
}

/**
 * `npm start`: every source served by its simulator, the gateway (and, as later issues add them, a job
 * worker) in one process with embedded defaults. Settings from the environment still apply (PORT, …);
 * the source URLs point at the simulators.
 */
export async function startDemo(
  env: Record<string, string | undefined> = process.env,
  opts: { port?: number; quiet?: boolean } = {},
): Promise<Demo> {
  const logger = createLogger(opts.quiet ? 'silent' : (env.LOG_LEVEL ?? 'info'));
  const life = new Lifecycle(logger);
  // Fail fast, before starting anything, when Redis (needed by the sync jobs) does not answer.
  await assertRedisReachable(loadConfig(env, { mode: 'demo' }).redisUrl);
  // Change events: CEREBRUM_EVENTS_URL, else the local RabbitMQ when it answers (logged either way).
  const eventsUrl = await demoEventsUrl(env, logger);
  const eventsExchange = env.CEREBRUM_EVENTS_EXCHANGE ?? 'cerebrum';
  const cerebrumSim = await startCerebrumSimulator({
    apiKey: 'demo-api-key',
    ...(eventsUrl ? { events: { url: eventsUrl, exchange: eventsExchange } } : {}),
  });
  const los = await startLosDemoSources(loadConfig(env, { mode: 'demo' }).dataDir);
  // UNI-Login WS10: startUniLoginExport uploads the LOS persons (the whole organisation) to this simulator.
  const uniloginSim = await startDemoUniLoginSimulator();
  // FS: the sample university's students and staff, dated relative to today (current term, EVU courses).
  const fsSim = await startFsSimulator({ username: 'demo-fs', password: 'demo-fs-password' });
  const config = loadConfig(
    {
      ...env,
      CEREBRUM_URL: cerebrumSim.url,
      CEREBRUM_API_KEY: 'demo-api-key',
      CEREBRUM_API_KEY_HEADER: 'X-API-Key',
      ...(eventsUrl ? { CEREBRUM_EVENTS_URL: eventsUrl, CEREBRUM_EVENTS_EXCHANGE: eventsExchange } : {}),
      LOS_FTP_URL: los.ftpUrl,
      DAR_URL: los.darUrl,
      ...uniloginDemoSettings(uniloginSim.url, env),
      FS_URL: fsSim.graphqlUrl,
      FS_USERNAME: 'demo-fs',
      FS_PASSWORD: 'demo-fs-password',
      // Cristin export of the sample university (UiO = 185; OU 100 is its root): startCristinExport writes DATA_DIR/exports/.
      CRISTIN_INSTITUTION: env.CRISTIN_INSTITUTION ?? '185',
      CRISTIN_ROOT_OU: env.CRISTIN_ROOT_OU ?? '100',
    },
    { mode: 'demo' },
  );
  // The embedded store, the API side of the sync jobs and a worker, all in this process (one Redis needed).
  const store = await openStore({ ...storeSettings(config), logger: { warn: (m) => logger.warn(m) } });
  const processors = loadBuiltInSyncs();
  const stopEarly = async (e: unknown) => {
    await store.close();
    await cerebrumSim.stop();
    await uniloginSim.stop();
    await fsSim.stop();
    await los.stop();
    throw e;
  };
  // Stored ids of an older derivation are re-derived under the deployment key before anything reads them.
  await prepareKeyedIds(store, { idKey: config.idKey, logger }).catch(stopEarly);
  const sync = await createSyncService({ config, store, logger, processors }).catch(stopEarly);
  const workers = await startWorkers({ config, logger, store, processors }).catch(async (e) => {
    await sync.close();
    return stopEarly(e);
  });
  await applySchedules({
    redisUrl: config.redisUrl,
    deploymentId: workers.deploymentId,
    schedules: config.syncSchedules,
    tz: config.tz,
    available: new Set(processors.keys()),
    logger,
  });
  const gateway = createGateway({ config, logger, defaultQuery: SAMPLE_QUERY, store, sync, sources: defaultSources });
  // Shutdown order: HTTP, workers, queues, store, then the simulators.
  life.add('http', () => gateway.stop());
  // The worker's durable event queue, so that the incremental Cristin export (every 15 minutes) has changes to export.
  const cristinEvents = config.cerebrumEvents
    ? startCristinEventQueue({ events: config.cerebrumEvents, store, deploymentId: workers.deploymentId, logger })
    : undefined;
  if (cristinEvents) life.add('cristin events', () => cristinEvents.stop());
  life.add('workers', () => workers.close());
  life.add('sync queues', () => sync.close());
  life.add('store', () => store.close());
  const changes = eventsUrl ? startDemoChanges(cerebrumSim, logger) : undefined;
  life.add('cerebrum simulator', async () => {
    changes?.stop();
    await cerebrumSim.stop();
  });
  life.add('UNI-Login simulator', () => uniloginSim.stop());
  life.add('FS simulator', () => fsSim.stop());
  life.add('LOS FTP and DAR simulators', () => los.stop());
  life.add('traces', () => shutdownTracing());
  const url = await gateway.listen(opts.port ?? config.port);
  // First start: import the sample LOS delivery at once, so GraphiQL shows LOS data right away.
  if (!(await new SyncStateRepo(store).get(LOS_MARK_KEY)) && processors.has('LOS_IMPORT')) {
    const job = await sync.start('LOS_IMPORT', { dryRun: false, params: {} });
    logger.info({ job: job.id }, 'first start: importing the sample LOS delivery');
  }
  // METRICS_PORT: one listener for the whole process (API, worker and job metrics share the registry).
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    metricsUrl: gateway.metrics && `${gateway.metrics.url}/metrics`,
    config,
    stop: () => life.stop(),
  };
}

if (require.main === module) {
  startDemo()
    .then((demo) => {
      console.log(`
idbro demo is running.

  GraphiQL:  ${demo.graphqlUrl}   (open in a browser)
  Health:    ${demo.url}/healthz, ${demo.url}/readyz${demo.metricsUrl ? `\n  Metrics:   ${demo.metricsUrl}` : ''}

Every source is served by its built-in simulator. Try:

${SAMPLE_QUERY}
Or from a shell:
  curl -s ${demo.graphqlUrl} -H 'content-type: application/json' \\
    -d '{"query":"{ person(id: \\"cerebrum:85073\\") { name accounts { name primaryEmail } } }"}'

Stop with Ctrl+C.
`);
      const life = new Lifecycle();
      life.add('demo', async () => {
        console.log('idbro demo: stopping (HTTP drained, simulators closed)…');
        await demo.stop();
      });
      life.handleSignals();
    })
    .catch((e) => {
      console.error(`idbro demo failed to start: ${(e as Error).message}`);
      process.exit(1);
    });
}
