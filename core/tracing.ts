/**
 * OpenTelemetry traces, on when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and
 * OTEL_SDK_DISABLED is not `true`; the standard OTEL_* variables (service name, resource attributes, batch
 * sizes, headers, sampler, propagators) apply as the SDK reads them. Spans go over OTLP/HTTP with JSON encoding
 * (what @opentelemetry/exporter-trace-otlp-http sends: OTEL_EXPORTER_OTLP_PROTOCOL=http/json).
 *
 * Started by the entry points (server/entry/serve.ts, server/entry/worker.ts, server/entry/demo.ts) through ./tracing-start.ts,
 * their FIRST import: @opentelemetry/instrumentation-http and -express patch `http` and `express` when they are
 * required, so the SDK must run before anything else loads them. What they make:
 *  - a SERVER span per incoming HTTP request (its query string left out: a GET /graphql?query=… can hold
 *    literals) and Express's route spans;
 *  - NOT the outgoing calls: our upstream clients make their own CLIENT spans and inject `traceparent`
 *    themselves, by route template (core/upstream-telemetry.ts), so outgoing instrumentation is switched off;
 *  - the GraphQL operation span comes from server/plugins/use-telemetry.ts, the sync job spans from
 *    jobs/framework/telemetry.ts.
 * The redaction processor below is the last guard: whatever an instrumentation records, no attribute leaves
 * the process with a credential header, a query string or a national id in it.
 */
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { containsNationalId, redactNationalIds } from './national-ids';

type Env = Record<string, string | undefined>;

/** True when the environment asks for traces. */
export function tracingEnabled(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

const SECRET_KEY = /authorization|cookie|password|secret|token|api[-_.]?key/i;
const URL_KEYS = new Set(['url.full', 'http.url', 'http.target', 'url.original']);

function clean(attributes: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (SECRET_KEY.test(key) || key === 'url.query') {
      delete attributes[key];
    } else if (typeof value === 'string') {
      let v = URL_KEYS.has(key) ? (value.split('?', 1)[0] ?? value) : value;
      if (containsNationalId(v)) v = redactNationalIds(v);
      if (v !== value) attributes[key] = v;
    }
  }
}

/**
 * Cleans each span's attributes (and its events') as the span ends, before the batch processor after it
 * exports it. Why mutate: the SDK hands processors the ended span itself, and the batch processor exports that
 * object later; a copy would not reach it.
 */
class RedactingSpanProcessor implements tracing.SpanProcessor {
  onStart(): void {}
  onEnd(span: tracing.ReadableSpan): void {
    clean(span.attributes);
    for (const e of span.events) if (e.attributes) clean(e.attributes);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let sdk: NodeSDK | undefined;

/** Starts the SDK when tracingEnabled(); harmless to call more than once. Returns whether traces are on. */
export function startTracing(env: Env = process.env): boolean {
  if (sdk) return true;
  if (!tracingEnabled(env)) return false;
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'idbro',
    spanProcessors: [new RedactingSpanProcessor(), new tracing.BatchSpanProcessor(new OTLPTraceExporter())],
    instrumentations: [
      new HttpInstrumentation({
        ignoreOutgoingRequestHook: () => true,
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ''),
        startIncomingSpanHook: () => ({ 'url.query': undefined }),
      }),
      // Only http.route on the server span: a span per Express middleware would be noise, and would stand
      // between the operation span (use-telemetry.ts) and what Apollo runs.
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER],
      }),
    ],
  });
  sdk.start();
  return true;
}

/** Flushes the spans still buffered and stops the SDK (the last step of a process's shutdown). Idempotent. */
export async function shutdownTracing(): Promise<void> {
  const s = sdk;
  sdk = undefined;
  await s?.shutdown();
}
