/**
 * GraphQL operations in metrics and traces: the request-duration histogram (by operation type and outcome) and
 * a span per operation, the parent of every upstream span its resolvers cause.
 *
 * The span is made by a small Express middleware in front of Apollo, not by @opentelemetry/instrumentation-
 * graphql: the middleware makes it the active span for everything Apollo then runs (resolvers, DataLoaders,
 * upstream calls), whatever the order in which `graphql` was loaded, and it never records the query text (whose
 * literals can be national ids) or the variables. The plugin names it once the operation is known.
 */
import type { RequestHandler } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { graphqlRequestDuration } from '../../core/metrics';
import { containsNationalId } from '../../core/national-ids';
import { ERROR_CODES } from '../../core/errors';
import { hook } from './hook';

const tracer = trace.getTracer('idbro');
const CODES = new Set<string>(ERROR_CODES);
/** The spans this middleware made: the plugin names only these, never another instrumentation's active span. */
const OURS = new WeakSet<Span>();

/** Starts the operation's span and runs the rest of the request inside it; ends it when the response closes. */
export function graphqlSpanMiddleware(): RequestHandler {
  return (_req, res, next) => {
    const span = tracer.startSpan('graphql');
    OURS.add(span);
    res.once('close', () => span.end());
    context.with(trace.setSpan(context.active(), span), next);
  };
}

/** An operation name fit for a span: a GraphQL name that holds no national id (the caller chooses it). */
function safeName(name: string | null | undefined): string | undefined {
  return name && /^[_A-Za-z]\w{0,99}$/.test(name) && !containsNationalId(name) ? name : undefined;
}

export function telemetryPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    requestDidStart: () =>
      hook(() => {
        const started = performance.now();
        // The middleware's span, active in Apollo's async context (undefined when tracing is off).
        const active = trace.getActiveSpan();
        const span = active && OURS.has(active) ? active : undefined;
        return {
          didResolveOperation: ({ operation, operationName }) =>
            hook(() => {
              if (!operation) return;
              const name = safeName(operationName);
              span?.updateName(`graphql ${operation.operation}${name ? ` ${name}` : ''}`);
              span?.setAttribute('graphql.operation.type', operation.operation);
              if (name) span?.setAttribute('graphql.operation.name', name);
            }),
          willSendResponse: ({ operation, errors, response }) =>
            hook(() => {
              const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
              const first = body?.errors?.[0]?.extensions?.code ?? errors?.[0]?.extensions?.code;
              const failed = (body?.errors?.length ?? errors?.length ?? 0) > 0;
              const outcome = !failed ? 'ok' : CODES.has(String(first)) ? String(first) : 'INTERNAL_SERVER_ERROR';
              const type = operation?.operation ?? 'unknown';
              graphqlRequestDuration.observe({ operation_type: type, outcome }, (performance.now() - started) / 1000);
              span?.setAttribute('graphql.outcome', outcome);
              if (failed) span?.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
            }),
        };
      }),
  };
}
