/**
 * The closed error vocabulary (design/architecture.md, convention 4). Every error that leaves the gateway
 * carries one of these in `extensions.code`; anything else is masked as INTERNAL_SERVER_ERROR at the boundary
 * (server/http.ts formatError).
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

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** True for a string of the closed vocabulary. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}
