/**
 * GraphQL subscriptions over graphql-ws (the `graphql-transport-ws` protocol) on the HTTP server's `/graphql`,
 * next to Apollo's HTTP handler: a `ws` WebSocketServer on the same port, run by graphql-ws's `useServer` (the
 * pattern of Apollo Server's subscriptions docs, including the drain plugin that disposes it on stop).
 *
 * - Auth: the `connection_init` payload carries `authorization: "Bearer <token>"` (any case of the key, as
 *   GraphiQL sends its headers), checked by the same Authenticator as HTTP. No or an unknown token closes the
 *   socket with 4401, a token without scope read with 4403 (every subscription needs read).
 * - Only subscription operations are served here: queries and mutations go over HTTP, where their scope checks,
 *   warnings and request log live.
 * - Limits: the same parser token limit, validation rules (depth, aliases, directives) and cost estimate as HTTP.
 * - Every event's payload runs with a fresh context (new DataLoaders, a request budget of REQUEST_TIMEOUT_MS),
 *   so each payload reads the sources after the event, never an earlier event's cached answers.
 * - Errors are formatted as over HTTP (closed vocabulary, unexpected ones masked and logged).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  createSourceEventStream,
  execute,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config, Scope } from '../core/config';
import type { Logger } from '../core/logger';
import type { Authenticator } from './auth';
import type { Context } from '../resolvers/context';
import type { Limits } from './plugins/use-limits';
import { badInput } from '../core/errors';
import { operationCost } from './query-cost';
import { hook } from './plugins/hook';
import { requestSignal } from '../core/request-budget';
import { mapEvents } from '../resolvers/event-stream';
import type { ChangeBus } from '../datasources/cerebrum/events/change';
import type { SyncService } from '../jobs/framework/sync-service';
import { SyncJobEvents } from '../jobs/framework/sync-events';

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  /** Path of the WebSocket endpoint, the GraphQL HTTP path. */
  path: string;
  schema: GraphQLSchema;
  config: Pick<Config, 'maxCost' | 'maxTokens' | 'requestTimeoutMs' | 'redisUrl'>;
  limits: Pick<Limits, 'validationRules' | 'parseOptions'>;
  auth: Authenticator;
  logger: Logger;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** A request context, as HTTP requests get one (the live sources are added here). */
  context: (request: { requestId: string; scopes: Set<Scope>; signal: AbortSignal }) => Context;
  /** Cerebrum change notices for personChanged / organisationUnitChanged; without it they answer SOURCE_DISABLED. */
  changes?: ChangeBus;
  /** Sync jobs for syncJobUpdated (its queues' events are read from the first subscription on). */
  sync?: SyncService;
}

export interface SubscriptionServer {
  /** Apollo plugin: on stop, closes every socket (1001 "Going away") and the WebSocket server. */
  plugin: ApolloServerPlugin<Context>;
  /** Subscriptions with an open event stream right now. */
  active(): number;
  /** What the plugin does on stop; idempotent. */
  close(): Promise<void>;
}

interface Connection {
  scopes: Set<Scope>;
}

/** WebSocket close reasons are at most 123 bytes (RFC 6455). */
function closeReason(text: string): string {
  return Buffer.byteLength(text) <= 123 ? text : `${text.slice(0, 110)}…`;
}

const TOKENS_EXCEEDED = /Document contains more th(?:an|at) (\d+) tokens/;

export function attachSubscriptions(opts: SubscriptionServerOptions): SubscriptionServer {
  const { schema, config, limits, logger } = opts;
  const log = logger.child({ component: 'subscriptions' });
  const connections = new WeakMap<object, Connection>();
  let open = 0;
  let closing: Promise<void> | undefined;

  let jobEvents: Promise<SyncJobEvents> | undefined;
  const sync = opts.sync;
  const live: Context['live'] = {
    changes: opts.changes,
    jobEvents: sync
      ? () => {
          if (closing)
            return Promise.reject(
              new GraphQLError('The server is stopping.', { extensions: { code: 'UPSTREAM_UNAVAILABLE' } }),
            );
          jobEvents ??= Promise.resolve(
            new SyncJobEvents(config.redisUrl, sync.queues, (err) =>
              log.warn({ err: err.message }, 'sync job events: Redis error'),
            ),
          );
          return jobEvents;
        }
      : undefined,
  };

  /** A context for one event's execution, with its own budget that ends when the payload is built. */
  const eventContext = (requestId: string, scopes: Set<Scope>) => {
    const res = Object.assign(new EventEmitter(), { writableFinished: false });
    const context = {
      ...opts.context({
        requestId,
        scopes,
        signal: requestSignal(res as unknown as Parameters<typeof requestSignal>[0], config.requestTimeoutMs),
      }),
      live,
    };
    const done = () => {
      res.writableFinished = true;
      res.emit('close');
    };
    return { context, done };
  };

  const format = (errors: readonly GraphQLError[]) => errors.map((e) => opts.formatError(e.toJSON(), e));

  // The same bound as an HTTP request body (express.json's 1 MB); ws would take 100 MiB messages by default.
  const wss = new WebSocketServer({ server: opts.httpServer, path: opts.path, maxPayload: 1024 * 1024 });
  const server = useServer(
    {
      schema,
      // Close reasons of internal errors say "Internal server error", never a message that could quote data.
      isProd: true,
      onConnect(ctx) {
        const params: Record<string, unknown> = ctx.connectionParams ?? {};
        const key = Object.keys(params).find((k) => k.toLowerCase() === 'authorization');
        const header = key ? params[key] : undefined;
        let scopes: Set<Scope>;
        try {
          scopes = opts.auth.scopesFor(typeof header === 'string' ? header : undefined);
        } catch (e) {
          ctx.extra.socket.close(4401, closeReason(`Unauthorized: ${(e as Error).message}`));
          return false;
        }
        if (!scopes.has('read')) {
          ctx.extra.socket.close(
            4403,
            closeReason('Forbidden: subscriptions need scope "read", which this token does not have.'),
          );
          return false;
        }
        connections.set(ctx, { scopes });
        return true;
      },
      onSubscribe(ctx, id, payload) {
        const conn = connections.get(ctx);
        if (!conn) return [new GraphQLError('Not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } })];
        let document: DocumentNode;
        try {
          document = parse(payload.query, limits.parseOptions);
        } catch (e) {
          if (e instanceof GraphQLError && TOKENS_EXCEEDED.test(e.message)) {
            return [
              badInput(`The document has more than ${config.maxTokens} tokens, the limit (MAX_TOKENS).`, {
                setting: 'MAX_TOKENS',
                limit: config.maxTokens,
              }),
            ];
          }
          return [e instanceof GraphQLError ? e : badInput('The document could not be parsed.')];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
        if (invalid.length > 0) return invalid;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation)
          return [badInput('Name the operation to run (operationName): the document has several, or none.')];
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [
            badInput(
              `Only subscriptions are served over WebSocket; send ${operation.operation === OperationTypeNode.QUERY ? 'queries' : 'mutations'} with HTTP POST to ${opts.path}.`,
            ),
          ];
        }
        const fragments: Record<string, FragmentDefinitionNode> = {};
        for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
        const cost = operationCost(schema, operation, fragments, payload.variables ?? {});
        if (cost !== null && cost > config.maxCost) {
          return [
            badInput(
              `Query cost ${cost} exceeds the limit of ${config.maxCost} (MAX_QUERY_COST): ask for fewer items per page or fewer nested lists.`,
              {
                setting: 'MAX_QUERY_COST',
                limit: config.maxCost,
                actual: cost,
              },
            ),
          ];
        }
        const requestId = `ws-${randomUUID()}`;
        // Never log variables or the document: they can hold national ids.
        log.info({ requestId, operationName: payload.operationName ?? null, id }, 'graphql subscription started');
        const { context, done } = eventContext(requestId, conn.scopes);
        done(); // the subscribe resolvers only set up streams; each event gets its own budget
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: context,
        };
      },
      // graphql-js's subscribe() runs every event with the one context of the subscription; this runs each with a
      // fresh one (convention 3: new loaders per request), so each payload reads the sources after its event.
      async subscribe(args: ExecutionArgs) {
        const stream = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
        const { requestId, scopes } = args.contextValue as Context;
        open++;
        let counted = true;
        const uncount = () => {
          if (counted) open--;
          counted = false;
        };
        const source = stream as AsyncIterableIterator<unknown>;
        const mapped = mapEvents(source, async (payload) => {
          const { context, done } = eventContext(requestId, scopes);
          try {
            return await execute({ ...args, rootValue: payload, contextValue: context });
          } finally {
            done();
          }
        });
        return {
          async next() {
            const r = await mapped.next();
            if (r.done) uncount();
            return r;
          },
          async return() {
            uncount();
            return mapped.return!();
          },
          async throw(e: unknown) {
            uncount();
            return mapped.throw!(e);
          },
          [Symbol.asyncIterator]() {
            return this;
          },
        } as unknown as AsyncGenerator<ExecutionResult>;
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors) return;
        return { ...result, errors: format(result.errors) };
      },
      onError(_ctx, _id, _payload, errors) {
        return format(errors);
      },
      onComplete(_ctx, id) {
        log.debug({ id }, 'graphql subscription ended');
      },
    },
    wss,
  );

  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Typed `void | Promise<void>` (graphql-ws's Disposable); the ws adapter's dispose is async.
      await Promise.resolve(server.dispose()).catch((e: Error) =>
        log.warn({ err: e.message }, 'closing the WebSocket server failed'),
      );
      if (jobEvents) await (await jobEvents).close();
    })();
    return closing;
  };

  return {
    plugin: {
      serverWillStart: () => hook(() => ({ drainServer: close })),
      // Over HTTP a subscription would reach Apollo's executor, which has no stream to answer with.
      requestDidStart: () =>
        hook(() => ({
          didResolveOperation: ({ operation }) =>
            hook(() => {
              if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
                throw badInput(
                  `Subscriptions are served over WebSocket (graphql-ws, protocol graphql-transport-ws) at ${opts.path}, not over HTTP.`,
                  { http: { status: 400 } },
                );
              }
            }),
        })),
    },
    active: () => open,
    close,
  };
}
