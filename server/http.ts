import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import { Authenticator } from './auth';
import { RequestStats, todayIn, type Context, type Warning } from '../resolvers/context';
import { ERROR_CODES, UpstreamError } from '../core/errors';
import { useLimits } from './plugins/use-limits';
import { useReadScope } from './plugins/use-read-scope';
import { useWarnings } from './plugins/use-warnings';
import { useRequestLog } from './plugins/use-request-log';
import { ReadinessProbe, type ReadinessCheck } from './readiness';
import { knownSecrets, redactText, redactedStack } from '../core/redact';
import { graphqlRequestGuard, jsonErrorHandler, jsonNotFound } from './errors-http';
import { mountGraphiql } from './graphiql';
import { mountConsole } from './console';
import { exportsRouter } from './exports';
import { buildIdbroSubgraphSchema } from './subgraph';
import { federationPlugins } from './plugins/use-entities-limit';
import { requestSignal } from '../core/request-budget';
import type { CerebrumClient } from '../datasources/cerebrum/client';
import type { CerebrumLive } from '../datasources/cerebrum/events/live';
import type { FsClient } from '../datasources/fs/client';
import { cerebrumModule } from '../datasources/cerebrum/module';
import { fsModule } from '../datasources/fs/module';
import { defaultSources } from '../datasources/index';
import { SourceSet, type SourceModule } from '../datasources/source-module';
import type { SyncService } from '../jobs/framework/sync-service';
import type { Db } from '../store/db';
import { mutationScopePlugin } from './plugins/use-mutation-scope';
import { attachSubscriptions } from './subscriptions';
import type { ChangeBus } from '../datasources/cerebrum/events/change';
import type { Scope } from '../core/config';
import { graphqlSpanMiddleware, telemetryPlugin } from './plugins/use-telemetry';
import { startMetricsServer, type MetricsServer } from './metrics-http';
import { observeQueues } from '../core/metrics';

export type { ReadinessCheck } from './readiness';

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  /** Shown in GraphiQL for a new browser profile. */
  defaultQuery?: string;
  /** Extra readiness checks (Redis, store, …) added by the process that owns them. */
  readiness?: ReadinessCheck[];
  /** The store; resolvers read imported data (LOS) and job history from it. */
  store?: Db;
  /** Services handed to resolvers through the context (store, job queues, …). */
  services?: Record<string, unknown>;
  /** Sync jobs, handed to resolvers as `ctx.sync`; readiness checks its Redis. */
  sync?: SyncService;
  /** Called with each request's upstream stats when it completes (benchmarks, tests). */
  onRequestStats?: (stats: RequestStats, ctx: Context) => void;
  /** Use plain resolvers without DataLoader caching or batching: the benchmark's baseline. */
  naiveLoaders?: boolean;
  /** Cerebrum change notices (the event consumer publishes them): feeds personChanged / organisationUnitChanged. */
  changes?: ChangeBus;
  /** The sources this gateway reads. Default: the list of datasources/index.ts (tests add a plug-in source). */
  sources?: readonly SourceModule[];
}

export interface Gateway {
  app: express.Express;
  httpServer: http.Server;
  cerebrum?: CerebrumClient;
  /** Cerebrum change events (bus, consumer) and the cache they keep true (README "Cerebrum change events"). */
  cerebrumLive?: CerebrumLive;
  /** The FS GraphQL client when FS_URL is set (its `stats` count every FS request of the process). */
  fs?: FsClient;
  /** The Prometheus listener (METRICS_PORT), once listen() has started it; its `url` + `/metrics`. */
  metrics?: MetricsServer;
  /** Listens on `port` (0 = any free port); resolves the base URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Drains HTTP, then stops Apollo. Idempotent. */
  stop(): Promise<void>;
  /** Subscriptions (graphql-ws) open right now. */
  activeSubscriptions(): number;
}

const CODES = new Set<string>(ERROR_CODES);

/**
 * Maps every error to the closed vocabulary (architecture.md, convention 4): upstream failures carry
 * `source` and `upstream`; graphql-js and Apollo validation errors become BAD_USER_INPUT; anything
 * unexpected is masked and logged with the request id.
 */
function formatErrorWith(logger: Logger, secrets: readonly (string | undefined)[]) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof UpstreamError) {
      const g = original.toGraphQLError();
      return { message: g.message, locations: formatted.locations, path: formatted.path, extensions: g.extensions };
    }
    const rawCode = formatted.extensions?.code;
    const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : '';
    const ext: Record<string, unknown> = { ...formatted.extensions };
    delete ext.stacktrace;
    // Apollo gives every error without a code INTERNAL_SERVER_ERROR: only one we raised with that code is ours to
    // pass on; any other (a TypeError's message can quote upstream data) is masked below.
    const ours =
      code !== 'INTERNAL_SERVER_ERROR' || (original instanceof GraphQLError && original.extensions?.code === code);
    if (CODES.has(code) && ours) return { ...formatted, extensions: ext };
    if (
      [
        'GRAPHQL_PARSE_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
        'BAD_REQUEST',
        'OPERATION_RESOLUTION_FAILURE',
        'PERSISTED_QUERY_NOT_FOUND',
        'PERSISTED_QUERY_NOT_SUPPORTED',
      ].includes(code)
    ) {
      return { ...formatted, extensions: { ...ext, code: 'BAD_USER_INPUT', reason: code } };
    }
    // graphql-js reports a scalar's parse failure (e.g. a bad Date argument) without a code.
    if (!code && original instanceof GraphQLError && !formatted.path) {
      return { ...formatted, extensions: { ...ext, code: 'BAD_USER_INPUT' } };
    }
    const errorId = randomUUID();
    logger.error(
      {
        errorId,
        path: formatted.path,
        err: {
          message: redactText(String((original as Error)?.message ?? original), secrets),
          stack: redactedStack(original, secrets),
        },
      },
      'unexpected error',
    );
    return {
      message: `Internal server error (error id ${errorId}).`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

export function createGateway(opts: GatewayOptions): Gateway {
  const { config, logger } = opts;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const auth = new Authenticator(config);
  // Every source of the list whose settings are present: clients, caches, event consumers (closed by stop()).
  const sources = new SourceSet(opts.sources ?? defaultSources, {
    config,
    logger,
    store: opts.store,
    naiveLoaders: opts.naiveLoaders,
  });
  // Exposed on the Gateway for tests and benchmarks (their upstream stats, the change events).
  const cerebrumInstance = sources.instance(cerebrumModule);
  const cerebrum = cerebrumInstance?.client;
  const live = cerebrumInstance?.live;
  const fs = sources.instance(fsModule)?.client;

  const limits = useLimits(config);
  const plugins: ApolloServerPlugin<Context>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    ApolloServerPluginLandingPageDisabled(),
    mutationScopePlugin(),
    telemetryPlugin<Context>(),
    useReadScope(),
    useWarnings(),
    useRequestLog({ logger, onRequestStats: opts.onRequestStats }),
    // After the scope check: a caller without scope read hears FORBIDDEN, not about costs.
    limits.plugin,
  ];

  const formatError = formatErrorWith(logger, knownSecrets(config));
  // graphql-ws on the same port and path; its drain plugin closes the sockets when Apollo stops.
  const subscriptions = attachSubscriptions({
    httpServer,
    path: '/graphql',
    schema: buildIdbroSubgraphSchema(),
    config,
    limits,
    auth,
    logger,
    formatError,
    context: (r) => contextFor(r),
    changes: opts.changes ?? live?.bus,
    sync: opts.sync,
  });
  const apollo = new ApolloServer<Context>({
    schema: buildIdbroSubgraphSchema(),
    plugins: [...plugins, subscriptions.plugin, ...federationPlugins(config)],
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // The process's Lifecycle owns SIGINT/SIGTERM (HTTP, then workers, queues, store). Apollo's own handler would
    // stop only Apollo and re-send the signal, which the Lifecycle takes for a second signal and exits at once.
    stopOnTerminationSignals: false,
  });

  /** A request's context: fresh loaders and stats (convention 3). Subscriptions build one per event. */
  const contextFor = ({
    requestId,
    scopes,
    signal,
  }: {
    requestId: string;
    scopes: Set<Scope>;
    signal: AbortSignal;
  }): Context => {
    const stats = new RequestStats();
    const today = todayIn(config.tz);
    const warnings = new Map<string, Warning>();
    return {
      requestId,
      scopes,
      log: logger.child({ requestId }),
      config,
      today,
      sources: sources.forRequest({ stats, signal, today }, warnings),
      stats,
      store: opts.store,
      warnings,
      services: opts.services ?? {},
      sync: opts.sync,
    };
  };

  const readiness: ReadinessCheck[] = [...(opts.readiness ?? [])];
  const { store, sync } = opts;
  if (store)
    readiness.push({ name: 'store', setting: 'DATABASE_URL', check: async () => void (await store.query('SELECT 1')) });
  if (sync) readiness.push({ name: 'redis', setting: 'REDIS_URL', check: () => sync.ping() });
  readiness.push(...sources.readiness());
  const probe = new ReadinessProbe(readiness, logger.child({ component: 'readiness' }), config.readinessCacheMs);

  app.use((req, res, next) => {
    const given = req.header('x-request-id');
    const id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    (req as unknown as { requestId: string }).requestId = id;
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await probe.report();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  mountGraphiql(app, { endpoint: '/graphql', defaultQuery: opts.defaultQuery, title: 'idbro GraphiQL' });
  mountConsole(app);
  // Export files (Cristin XML) for callers with scope sync: GET /exports, GET /exports/<file>.
  app.use(exportsRouter({ dataDir: config.dataDir, auth, logger }));

  let started: Promise<void> | undefined;
  let unobserveQueues: (() => void) | undefined;
  let stopping: Promise<void> | undefined;

  const gateway: Gateway = {
    app,
    httpServer,
    cerebrum,
    cerebrumLive: live,
    fs,
    activeSubscriptions: () => subscriptions.active(),
    async listen(port, host = '0.0.0.0') {
      started ??= (async () => {
        await apollo.start();
        app.use(
          '/graphql',
          graphqlRequestGuard(),
          express.json({ limit: '1mb' }),
          graphqlSpanMiddleware(),
          expressMiddleware(apollo, {
            context: ({ req, res }): Promise<Context> => {
              const requestId = (req as unknown as { requestId: string }).requestId;
              const scopes = auth.scopesFor(req.header('authorization'));
              // Aborts this request's upstream loads at REQUEST_TIMEOUT_MS or when its client disconnects.
              return Promise.resolve(
                contextFor({ requestId, scopes, signal: requestSignal(res, config.requestTimeoutMs) }),
              );
            },
          }),
        );
        // Last: JSON answers for unknown paths and for anything that failed before Apollo answered.
        app.use(jsonNotFound(), jsonErrorHandler(logger, knownSecrets(config)));
      })();
      await started;
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      // Metrics on their own port (METRICS_PORT), never on the public one; the queues counted on each scrape.
      if (config.metricsPort !== undefined)
        gateway.metrics ??= await startMetricsServer(config.metricsPort, host, logger);
      if (sync) unobserveQueues ??= observeQueues(sync.queues);
      const addr = httpServer.address() as AddressInfo;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
    },
    stop() {
      // Apollo's drain plugin closes the HTTP server and waits for in-flight requests.
      stopping ??= (async () => {
        if (started) await apollo.stop();
        else if (httpServer.listening) await new Promise((r) => httpServer.close(r));
        await sources.close();
        await gateway.metrics?.close();
        unobserveQueues?.();
      })();
      return stopping;
    },
  };
  return gateway;
}
