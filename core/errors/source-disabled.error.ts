import { GatewayError } from './gateway.error';

export const SOURCE_DISABLED = 'SOURCE_DISABLED';

/** A source or sync this process does not have (not configured, or not in this build). */
export class SourceDisabledError extends GatewayError {
  static override readonly codes = [SOURCE_DISABLED] as const;

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(SOURCE_DISABLED, message, extensions);
  }
}
