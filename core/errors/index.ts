/**
 * The gateway's errors: one closed list of codes (codes.ts) and one class per kind, one class per file.
 *  - GatewayError and its subclasses (UnauthenticatedError, ForbiddenError, BadUserInputError,
 *    InvalidCursorError, SourceDisabledError) are GraphQLErrors a client receives as raised.
 *  - UpstreamError (UPSTREAM_UNAVAILABLE / _TIMEOUT / _ERROR) is mapped to one at the boundary.
 *  - InternalError carries a `reason` (SYNC_JOB_ACTIVE, REDIS_UNAVAILABLE, …) that is never an `extensions.code`;
 *    it is resolved where it is raised or masked as INTERNAL_SERVER_ERROR at the boundary.
 * A concept of one module (LeaseLostError, SyncKindUnavailableError, …) lives with it and extends one of these.
 * Private control-flow sentinels that never leave their function (TimeoutSignal, AttemptTimeout in the HTTP
 * clients, DryRunRollback and FileRejected in the LOS import, CheckTimeout in server/readiness.ts) stay private
 * where they are.
 */
export { ERROR_CODES, isErrorCode, type ErrorCode } from './codes';
export { GatewayError } from './gateway.error';
export { UnauthenticatedError } from './unauthenticated.error';
export { ForbiddenError } from './forbidden.error';
export { BadUserInputError } from './bad-user-input.error';
export { InvalidCursorError } from './invalid-cursor.error';
export { SourceDisabledError } from './source-disabled.error';
export { UpstreamError, UPSTREAM_CODES, type UpstreamCode } from './upstream.error';
export { InternalError } from './internal.error';
export { clientCodeOf } from './client-code';
export { redactPath, type SourceName, type UpstreamInfo } from './upstream-info';
export { gqlError, unauthenticated, forbidden, badInput } from './helpers';

/** Masks national ids to their first 6 digits; what counts as one is decided in core/national-ids.ts. */
export { redactNationalIds } from '../national-ids';
