/**
 * What every upstream HTTP attempt reports, in one place for all clients (Cerebrum, FS, DAR, UNI-Login): a
 * CLIENT span named by the route TEMPLATE, the W3C `traceparent` header for the upstream, and the metrics of
 * core/metrics.ts (requests, latency, errors, in-flight).
 *
 * Why our clients make their own spans instead of leaving outgoing calls to @opentelemetry/instrumentation-http
 * (which the tracing set-up turns off for outgoing requests): that instrumentation records the full URL, and
 * ours carry person ids in the path (`/v1/persons/85073`), national ids in a query (`/v1/search/persons/
 * external-ids?external_id=…`) and addresses in DAR's (`?betegnelse=…`). Here the span and the metrics only
 * ever see the template (`/v1/persons/{id}`), and they work whatever the order in which modules were loaded.
 *
 * Without a tracing SDK started (OTEL_EXPORTER_OTLP_ENDPOINT unset) the span and the propagation are no-ops.
 */
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { statusClass, upstreamDuration, upstreamErrors, upstreamInFlight, upstreamRequests } from './metrics';

const tracer = trace.getTracer('idbro');

export interface UpstreamCall {
  /** CEREBRUM, FS, DAR, UNILOGIN. */
  source: string;
  method: string;
  /** The route template or operation name: never an id, a query string or anything a caller typed. */
  route: string;
}

/** Why an attempt failed, as a closed set (the errors metric's `reason`). */
function failureReason(e: unknown): string {
  const err = e as { name?: string; code?: string; constructor?: { name?: string } };
  if (err?.name === 'AbortError' || err?.code === 'ABORT_ERR') return 'cancelled';
  if (err?.code === 'ETIMEDOUT' || /Timeout/.test(err?.constructor?.name ?? '')) return 'timeout';
  return 'network';
}

/** An answer that counts as the upstream failing (not a plain "not found" or a refused input). */
function failedStatus(status: number): string | undefined {
  if (status >= 500) return 'http_5xx';
  if (status === 429 || status === 401 || status === 403) return `http_${status}`;
  return undefined;
}

/**
 * Runs one attempt (`send`, which must add `headers` to its request) inside a CLIENT span, and counts it.
 * An error thrown by `send` with a numeric `status` (an HTTP answer the client turned into an error) is counted
 * by that status; any other by its failure reason.
 */
export async function observeUpstream<T extends { status: number }>(
  call: UpstreamCall,
  send: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  const { source, method, route } = call;
  const span = tracer.startSpan(`${source} ${method} ${route}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'idbro.source': source, 'http.request.method': method, 'url.template': route },
  });
  const headers: Record<string, string> = {};
  const ctx = trace.setSpan(context.active(), span);
  propagation.inject(ctx, headers);
  const started = performance.now();
  upstreamInFlight.inc({ source });
  let status: number | undefined;
  let reason: string | undefined;
  try {
    const answer = await context.with(ctx, () => send(headers));
    status = answer.status;
    reason = failedStatus(status);
    return answer;
  } catch (e) {
    const s = (e as { status?: unknown }).status;
    if (typeof s === 'number') {
      status = s;
      reason = failedStatus(s) ?? `http_${statusClass(s)}`;
    } else reason = failureReason(e);
    throw e;
  } finally {
    upstreamInFlight.dec({ source });
    upstreamRequests.inc({ source, method, route, status_class: statusClass(status) });
    upstreamDuration.observe({ source, method, route }, (performance.now() - started) / 1000);
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if (reason) {
      upstreamErrors.inc({ source, method, route, reason });
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    }
    span.end();
  }
}
