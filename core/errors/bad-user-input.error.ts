import { GatewayError } from './gateway.error';

export const BAD_USER_INPUT = 'BAD_USER_INPUT';

/** An argument, filter or document the gateway refuses; the message says what to send instead. */
export class BadUserInputError extends GatewayError {
  static override readonly codes = [BAD_USER_INPUT] as const;

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(BAD_USER_INPUT, message, extensions);
  }
}
