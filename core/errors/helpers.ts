import type { GraphQLError } from 'graphql';
import type { ErrorCode } from './codes';
import { GatewayError } from './gateway.error';
import { UnauthenticatedError } from './unauthenticated.error';
import { ForbiddenError } from './forbidden.error';
import { BadUserInputError } from './bad-user-input.error';

/** An error with a code of the closed list; prefer the class of the kind where there is one. */
export function gqlError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GatewayError(code, message, extra);
}

export const unauthenticated = (message?: string): GraphQLError => new UnauthenticatedError(message);
export const forbidden = (scope: string, what: string): GraphQLError => ForbiddenError.forScope(scope, what);
export const badInput = (message: string, extra: Record<string, unknown> = {}): GraphQLError =>
  new BadUserInputError(message, extra);
