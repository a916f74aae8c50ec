import { isErrorCode, type ErrorCode } from './codes';
import { GatewayError } from './gateway.error';
import { UpstreamError } from './upstream.error';

/**
 * The `extensions.code` a client sees for `error` once the boundary has mapped it: a GatewayError's own code, an
 * UpstreamError's code, and INTERNAL_SERVER_ERROR (masked) for anything else, InternalError included.
 */
export function clientCodeOf(error: unknown): ErrorCode {
  if (error instanceof GatewayError || error instanceof UpstreamError) {
    if (isErrorCode(error.code)) return error.code;
  }
  return 'INTERNAL_SERVER_ERROR';
}
