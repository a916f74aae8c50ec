import type { ErrorCode } from './codes';

/**
 * The base of errors that never reach a client as such: a store conflict a service resolves (SYNC_JOB_ACTIVE),
 * a start-up failure (REDIS_UNAVAILABLE), a run that lost its lease. `reason` says which, for code and logs; it
 * is deliberately not `extensions.code`. Should one escape to a resolver anyway, the boundary (server/http.ts
 * formatError) masks it as INTERNAL_SERVER_ERROR and logs it with an error id.
 */
export class InternalError extends Error {
  /** What a client sees should one escape: the masked INTERNAL_SERVER_ERROR. */
  static readonly codes: readonly ErrorCode[] = ['INTERNAL_SERVER_ERROR'];

  constructor(
    /** A stable, machine-readable name of what went wrong, e.g. SYNC_JOB_ACTIVE (never a GraphQL code). */
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
