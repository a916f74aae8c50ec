/**
 * How an upstream HTTP request fails, and how such a failure becomes the UpstreamError a GraphQL field answers
 * with (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, UPSTREAM_ERROR; `extensions.source` and
 * `extensions.upstream { status, method, path }`). The wording that is the same for every source lives here;
 * what a source says about an answer it got (a refused key, a GraphQL error) is the source client's.
 */
import { UpstreamError, type SourceName, type UpstreamInfo } from '../errors';
import { cancelledUpstreamError } from '../request-budget';

/** An attempt that got no answer within the transport's `timeoutMs`. */
export class AttemptTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    // The telemetry tells a time-out from other failures by a class name containing "Timeout".
    this.name = 'AttemptTimeout';
  }
}

/**
 * An answer that counts as failed: thrown by a request's `read` (e.g. for any status >= 300, or a 200 whose
 * body is not what the protocol promises). The transport retries it when `status` is 429 or >= 500.
 */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    /** What the upstream said (parsed or raw text), for the source's own message. */
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** A retryable answer whose Retry-After asks for a longer pause than the transport's `retryAfter.maxMs`. */
export class RetryAfterTooLong extends Error {
  constructor(
    readonly answer: HttpStatusError,
    readonly retryAfterMs: number,
    readonly maxMs: number,
  ) {
    super(`asked to retry after ${Math.round(retryAfterMs / 1000)} s, more than the ${maxMs} ms this client waits`);
    this.name = 'RetryAfterTooLong';
  }
}

/** Answers worth asking again: the upstream failed or asked us to slow down (not a definite "no"). */
export const retryableStatus = (status: number): boolean => status >= 500 || status === 429;

/** A network error's short name for a message (ECONNREFUSED, ECONNRESET, …): never a host, a path or a body. */
export function networkCause(e: unknown): string {
  const err = e as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | null | undefined;
  const cause = err?.code ?? err?.cause?.code ?? err?.name;
  return typeof cause === 'string' && cause !== '' ? cause : 'network error';
}

/** Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The names a source's messages use. */
export interface UpstreamNames {
  source: SourceName;
  /** As people call it: 'Cerebrum', 'FS'. */
  label: string;
  /** The setting that holds its address, named in "cannot reach" messages: 'CEREBRUM_URL'. */
  urlSetting: string;
}

/** The request a failure belongs to, as it may be shown: no secret, no full national id. */
export interface ShownRequest {
  /** E.g. "GET /v1/persons/010190*****" or an operation name. */
  what: string;
  method: string;
  /** `extensions.upstream.path`. */
  path: string;
}

/**
 * The UpstreamError for a failed request. In order: an UpstreamError passes unchanged; a request stopped by
 * its caller's signal is cancelled (UPSTREAM_TIMEOUT naming REQUEST_TIMEOUT_MS when its budget ran out:
 * core/request-budget.ts); then the source's own wording (`describe`, e.g. for a refused key), then the common
 * one: a time-out is UPSTREAM_TIMEOUT, 429/503 UPSTREAM_UNAVAILABLE, another status UPSTREAM_ERROR, and
 * anything else a network failure (UPSTREAM_UNAVAILABLE naming the URL setting, never the URL).
 */
export function upstreamErrorOf(
  e: unknown,
  names: UpstreamNames,
  req: ShownRequest,
  signal?: AbortSignal,
  describe?: (e: unknown, req: ShownRequest) => UpstreamError | undefined,
): UpstreamError {
  const { source, label, urlSetting } = names;
  const { what, method, path } = req;
  const upstream = (status: number | null): UpstreamInfo => ({ status, method, path });
  if (e instanceof UpstreamError) return e;
  if (signal?.aborted) return cancelledUpstreamError(source, label, what, signal.reason, upstream(null));
  if (e instanceof AttemptTimeout) {
    return new UpstreamError(
      'UPSTREAM_TIMEOUT',
      source,
      `${label} did not answer ${what} within ${e.ms} ms`,
      upstream(null),
    );
  }
  const own = describe?.(e, req);
  if (own) return own;
  if (e instanceof RetryAfterTooLong) {
    return new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      source,
      `${label} is unavailable (${e.answer.status}) for ${what}; ${e.message}`,
      upstream(e.answer.status),
    );
  }
  if (e instanceof HttpStatusError) {
    if (e.status === 429 || e.status === 503) {
      return new UpstreamError(
        'UPSTREAM_UNAVAILABLE',
        source,
        `${label} is unavailable (${e.status}) for ${what}`,
        upstream(e.status),
      );
    }
    return new UpstreamError('UPSTREAM_ERROR', source, `${label} answered ${e.status} for ${what}`, upstream(e.status));
  }
  return new UpstreamError(
    'UPSTREAM_UNAVAILABLE',
    source,
    `Cannot reach ${label} at ${urlSetting} (${networkCause(e)}) for ${what}`,
    upstream(null),
  );
}
