import { GraphQLError } from 'graphql';
import { redactNationalIds } from './national-ids';

/**
 * The closed error vocabulary (design/architecture.md, convention 4). Every error that leaves the gateway
 * carries one of these in `extensions.code`; anything else is masked as INTERNAL_SERVER_ERROR.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'SOURCE_DISABLED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_ERROR',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type SourceName = 'CEREBRUM' | 'FS' | 'LOS' | 'UNILOGIN' | 'DAR' | 'STORE';

export interface UpstreamInfo {
  status: number | null;
  method: string;
  /** Request path with national ids masked (see `redactPath`). */
  path: string;
}

export function gqlError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'Missing or unknown bearer token: send "Authorization: Bearer <token>".') =>
  gqlError('UNAUTHENTICATED', message, { http: { status: 401 } });
export const forbidden = (scope: string, what: string) =>
  gqlError('FORBIDDEN', `${what} needs scope "${scope}", which this token does not have.`);
export const badInput = (message: string, extra: Record<string, unknown> = {}) =>
  gqlError('BAD_USER_INPUT', message, extra);

/**
 * A failure talking to an external system. It becomes a GraphQLError with `extensions.source` and
 * `extensions.upstream` when thrown from a resolver (see `toGraphQLError`).
 */
export class UpstreamError extends Error {
  constructor(
    readonly code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT' | 'UPSTREAM_ERROR',
    readonly source: SourceName,
    message: string,
    readonly upstream: UpstreamInfo,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  toGraphQLError(): GraphQLError {
    return gqlError(this.code, this.message, { source: this.source, upstream: this.upstream });
  }
}

/** Masks national ids to their first 6 digits; what counts as one is decided in core/national-ids.ts. */
export { redactNationalIds } from './national-ids';

/** A request path safe to log or return: national ids masked, query values of secret-looking keys dropped. */
export function redactPath(path: string): string {
  return redactNationalIds(path).replace(/([?&](?:password|token|key|api_key|secret)=)[^&]*/gi, '$1***');
}
