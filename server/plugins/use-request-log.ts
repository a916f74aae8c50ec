import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../core/logger';
import type { Context, RequestStats } from '../../resolvers/context';

export interface RequestLogOptions {
  logger: Logger;
  /** Called with each request's upstream stats when it completes (benchmarks, tests). @default none */
  onRequestStats?: (stats: RequestStats, ctx: Context) => void;
}

/** Each source's own request counts for this request (those with a transport of their own, e.g. FS). */
function ownStatsOf(ctx: Context): Record<string, { requests: number; retries: number }> {
  const out: Record<string, { requests: number; retries: number }> = {};
  for (const [prefix, reader] of ctx.sources.entries())
    if (reader.ownStats?.requests)
      out[prefix] = { requests: reader.ownStats.requests, retries: reader.ownStats.retries };
  return out;
}

/**
 * One log line per GraphQL request: request id, operation name, time, upstream requests/retries/rounds and the
 * error codes. Never variables or query text: they can hold national ids.
 */
export function useRequestLog({ logger, onRequestStats }: RequestLogOptions): ApolloServerPlugin<Context> {
  return {
    requestDidStart({ contextValue }) {
      const started = performance.now();
      return Promise.resolve({
        willSendResponse({ errors, request }) {
          const s = contextValue.stats;
          onRequestStats?.(s, contextValue);
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: request.operationName ?? null,
              ms: Math.round(performance.now() - started),
              upstream: { requests: s.requests, retries: s.retries, rounds: s.rounds, peakInFlight: s.peakInFlight },
              ...ownStatsOf(contextValue),
              errors: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            },
            'graphql request',
          );
          return Promise.resolve();
        },
      });
    },
  };
}
