/**
 * A GraphQL request's upstream work ends with the request: its AbortSignal (created in the context builder,
 * handed to the Cerebrum and FS sources) aborts when
 *  - its time budget, REQUEST_TIMEOUT_MS (default 30 000 ms), runs out: the loads still queued are never sent,
 *    those in flight are cut, and their fields answer UPSTREAM_TIMEOUT naming the setting; or
 *  - its client disconnects before the answer is written: nobody would read the answer, so nothing more is
 *    asked of the upstreams on its behalf.
 * Together with the fair in-flight limit (core/http/semaphore.ts) this keeps one heavy or abandoned query
 * from holding the upstream slots other requests are waiting for.
 */
import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { InternalError, UpstreamError, type SourceName, type UpstreamInfo } from './errors';

/** The abort reason when REQUEST_TIMEOUT_MS ran out; cancelledUpstreamError maps it to UPSTREAM_TIMEOUT. */
export class RequestBudgetExceeded extends InternalError {
  constructor(readonly ms: number) {
    super('REQUEST_BUDGET_EXCEEDED', `the request's time budget of ${ms} ms (REQUEST_TIMEOUT_MS) ran out`);
    this.name = 'RequestBudgetExceeded';
  }
}

/** The abort reason when the client closed the connection before the answer was written (nobody reads it). */
export class ClientDisconnected extends InternalError {
  constructor() {
    super('CLIENT_DISCONNECTED', 'the client disconnected before the answer was written');
    this.name = 'ClientDisconnected';
  }
}

/**
 * The signal of one HTTP request: aborts after `timeoutMs`, or when `res` closes unfinished (the client went
 * away). Its timer ends with the response, so a finished request leaves nothing behind.
 */
export function requestSignal(res: Pick<ServerResponse, 'once' | 'writableFinished'>, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  // Every queued or in-flight upstream load listens on it: hundreds at once are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new RequestBudgetExceeded(timeoutMs)), timeoutMs);
  timer.unref();
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) controller.abort(new ClientDisconnected());
  });
  return controller.signal;
}

/**
 * The error of an upstream request that was stopped by its caller's signal (`reason` = `signal.reason`):
 * UPSTREAM_TIMEOUT naming REQUEST_TIMEOUT_MS when the request's budget ran out, else UPSTREAM_UNAVAILABLE
 * saying it was cancelled (a client that went away, a cancelled job). `what` is e.g. "GET /v1/persons/5".
 */
export function cancelledUpstreamError(
  source: SourceName,
  label: string,
  what: string,
  reason: unknown,
  upstream: UpstreamInfo,
): UpstreamError {
  if (reason instanceof UpstreamError) return reason;
  if (reason instanceof RequestBudgetExceeded) {
    return new UpstreamError(
      'UPSTREAM_TIMEOUT',
      source,
      `${label} had not answered ${what} when the request's time budget of ${reason.ms} ms ran out (REQUEST_TIMEOUT_MS); ask for less in one query, or raise REQUEST_TIMEOUT_MS`,
      upstream,
    );
  }
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'cancelled';
  return new UpstreamError(
    'UPSTREAM_UNAVAILABLE',
    source,
    `${what} to ${label} was stopped before an answer (${why})`,
    upstream,
  );
}
