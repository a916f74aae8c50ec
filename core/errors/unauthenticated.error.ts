import { GatewayError } from './gateway.error';

export const UNAUTHENTICATED = 'UNAUTHENTICATED';

/** No bearer token, or one the gateway does not know; answered with HTTP 401. */
export class UnauthenticatedError extends GatewayError {
  static override readonly codes = [UNAUTHENTICATED] as const;

  constructor(message = 'Missing or unknown bearer token: send "Authorization: Bearer <token>".') {
    super(UNAUTHENTICATED, message, { http: { status: 401 } });
  }
}
