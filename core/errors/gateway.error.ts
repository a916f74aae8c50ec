import { GraphQLError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from './codes';

/**
 * The base of every error a client receives as it was raised: a GraphQLError whose `extensions.code` is one of
 * the closed vocabulary (plus any extra `extensions`, e.g. `setting`, `kind`). It stays a GraphQLError so that
 * Apollo and graphql-ws pass it on unchanged; its `name` stays graphql-js's "GraphQLError" for the same reason.
 * Use the class of the kind (BadUserInputError, ForbiddenError, …) where there is one.
 */
export class GatewayError extends GraphQLError {
  /** The codes an instance of this class can carry (the subclasses narrow it to one). */
  static readonly codes: readonly ErrorCode[] = ERROR_CODES;

  constructor(
    code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, { extensions: { code, ...extensions } });
    // GraphQLError takes no `cause`; keep it as Error does (not enumerable, so not in the answer or toJSON).
    if (options && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
    }
  }

  /** `extensions.code` (an accessor, so the error's own enumerable fields stay graphql-js's). */
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}
