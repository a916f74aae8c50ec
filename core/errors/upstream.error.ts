import type { GraphQLError } from 'graphql';
import type { ErrorCode } from './codes';
import { GatewayError } from './gateway.error';
import type { SourceName, UpstreamInfo } from './upstream-info';

export const UPSTREAM_CODES = [
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_ERROR',
] as const satisfies readonly ErrorCode[];
export type UpstreamCode = (typeof UPSTREAM_CODES)[number];

/**
 * A failure talking to an external system: UPSTREAM_UNAVAILABLE (no answer), UPSTREAM_TIMEOUT (no answer in
 * time) or UPSTREAM_ERROR (an answer we cannot use). It becomes a GraphQLError with `extensions.source` and
 * `extensions.upstream` at the boundary (server/http.ts formatError calls `toGraphQLError`).
 *
 * It is a plain Error, not a GatewayError: it travels through DataLoaders, retries, jobs and log lines long
 * before (if ever) it reaches a client, and there its name, `String(e)` and stack are those of an Error.
 */
export class UpstreamError extends Error {
  static readonly codes: readonly ErrorCode[] = UPSTREAM_CODES;

  constructor(
    readonly code: UpstreamCode,
    readonly source: SourceName,
    message: string,
    readonly upstream: UpstreamInfo,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  toGraphQLError(): GraphQLError {
    return new GatewayError(this.code, this.message, { source: this.source, upstream: this.upstream });
  }
}
