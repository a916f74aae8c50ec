/**
 * Sync jobs in metrics and traces:
 *  - the trace context of the mutation that started a job travels in the BullMQ job's data (`trace`, W3C
 *    `traceparent`/`tracestate`), so the job's span belongs to the mutation's trace even though it runs later,
 *    in another process;
 *  - a span per attempt (`sync LOS_IMPORT`), active while the sync runs, so its upstream calls are its children;
 *    the sync's phases (what its progress messages say, numbers aside: "reading Employee_delta.csv", "validating
 *    the document") are child spans of it;
 *  - runs and durations by kind and outcome, and the records a run reports (its result counts).
 * No attribute carries a record: phase names pass through the national-id redaction, and only the job's own
 * id, kind, attempt and dry-run flag are recorded.
 */
import type { Job } from 'bullmq';
import { SpanStatusCode, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import { syncRecords, syncRunDuration, syncRuns } from '../../core/metrics';
import { redactNationalIds } from '../../core/national-ids';
import type { SyncJobData, SyncJobReturn } from './queues';
import type { SyncProcessor } from './types';

const tracer = trace.getTracer('idbro');
const COUNTS = ['created', 'updated', 'unchanged', 'terminated', 'skipped', 'failed'] as const;
/** A sync that reports a new phase for every record would otherwise make a span per record. */
const MAX_PHASES = 100;

/** The active trace context as job data (`{ trace: {traceparent} }`), or nothing when no trace is active. */
export function traceCarrier(): Pick<SyncJobData, 'trace'> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? { trace: carrier } : {};
}

/**
 * Runs one attempt of `job` (the BullMQ processor's body) inside the job's span, parented by the trace context
 * in its data, and counts it.
 */
export async function observeSyncRun(
  kind: string,
  job: Job<SyncJobData, SyncJobReturn>,
  run: () => Promise<SyncJobReturn>,
): Promise<SyncJobReturn> {
  const parent: Context = job.data.trace ? propagation.extract(context.active(), job.data.trace) : context.active();
  const span = tracer.startSpan(
    `sync ${kind}`,
    {
      attributes: {
        'idbro.sync.kind': kind,
        'idbro.sync.job_id': String(job.id),
        'idbro.sync.dry_run': Boolean(job.data.dryRun),
        'idbro.sync.attempt': job.attemptsMade + 1,
      },
    },
    parent,
  );
  const started = performance.now();
  let outcome = 'retry';
  try {
    const result = await context.with(trace.setSpan(parent, span), run);
    outcome = result.state;
    return result;
  } catch (e) {
    // WaitingError: handed back to the queue (shutdown); anything else: BullMQ retries the job or fails it.
    outcome = (e as Error)?.name === 'WaitingError' ? 'requeued' : 'retry';
    throw e;
  } finally {
    syncRuns.inc({ kind, outcome });
    syncRunDuration.observe({ kind, outcome }, (performance.now() - started) / 1000);
    span.setAttribute('idbro.sync.outcome', outcome);
    if (outcome === 'FAILED' || outcome === 'retry') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    span.end();
  }
}

/** The sync `processor` with its result counts added to the records metric and its phases as child spans. */
export function withSyncTelemetry(kind: string, processor: SyncProcessor): SyncProcessor {
  return async (ctx) => {
    const run = trace.getActiveSpan();
    let phase: Span | undefined;
    let phaseKey: string | undefined;
    let phases = 0;
    const progress = ctx.progress.bind(ctx);
    const onProgress = (fraction: number, message?: string) => {
      const key = message?.replace(/\d+/g, '#');
      if (run && key && key !== phaseKey && phases < MAX_PHASES) {
        phase?.end();
        phases++;
        phaseKey = key;
        phase = tracer.startSpan(
          `phase: ${redactNationalIds(key).slice(0, 120)}`,
          {
            attributes: { 'idbro.sync.phase': redactNationalIds(message!).slice(0, 200) },
          },
          trace.setSpan(context.active(), run),
        );
      }
      progress(fraction, message);
    };
    try {
      const outcome = await processor({ ...ctx, progress: onProgress });
      for (const count of COUNTS) {
        const n = Number(outcome?.result?.[count] ?? 0);
        if (n > 0) syncRecords.inc({ kind, count }, n);
      }
      return outcome;
    } finally {
      phase?.end();
    }
  };
}
