import { GatewayError } from './gateway.error';

export const FORBIDDEN = 'FORBIDDEN';

/** The token is known but lacks the scope (read, pii, sync, …) the field or mutation needs. */
export class ForbiddenError extends GatewayError {
  static override readonly codes = [FORBIDDEN] as const;

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(FORBIDDEN, message, extensions);
  }

  /** The message that names the missing scope: `${what} needs scope "${scope}", …`. */
  static forScope(scope: string, what: string): ForbiddenError {
    return new ForbiddenError(`${what} needs scope "${scope}", which this token does not have.`);
  }
}
