/**
 * Side-effect import, FIRST in every entry point (server/entry/serve.ts, server/entry/worker.ts, server/entry/demo.ts): starts the
 * tracing SDK (when OTEL_EXPORTER_OTLP_ENDPOINT is set) before `http` and `express` are loaded, so its
 * instrumentations can patch them. See ./tracing.ts.
 */
import { startTracing } from '../../core/tracing';

startTracing();
