import type { Db } from '../../store/db';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { InternalError } from '../../core/errors';
import type { NewSyncIssue, SyncJobKind, SyncJobResult } from '../../store/sync-jobs.repo';

/**
 * What a sync (an import or an export) gets from the job framework while it runs. The framework (jobs/framework/worker.ts)
 * owns the BullMQ job and the sync_jobs record; a sync only does its work and reports through this context.
 */
export interface SyncRunContext {
  jobId: string;
  kind: SyncJobKind;
  dryRun: boolean;
  /** The mutation's arguments (e.g. { mode: 'FULL' } for UNI-Login, { force: true } for Cristin). */
  params: Record<string, unknown>;
  /** 1 for the first run of this job, 2 for the first retry, … (a restart after a worker died or shut down counts too). */
  attempt: number;
  /**
   * Aborted when the job is cancelled (cancelSyncJob, reason 'cancel'), the worker shuts down (reason
   * 'shutdown') or this worker no longer holds the job (reason 'lock-lost': its BullMQ lock could not be
   * renewed, or another run took the kind's lease; its store writes are refused from then on and the job runs
   * elsewhere): stop soon, leave data consistent. After a cancel the job ends CANCELLED however the sync ends
   * (a result it returns is kept). After a shutdown a sync that throws (SyncCancelledError) is put back in the
   * queue without using an attempt and runs again on the next free worker; one that returns has SUCCEEDED.
   */
  signal: AbortSignal;
  /**
   * The store, fenced by the run's lease (jobs/framework/run-lease.ts): a transaction, or a statement outside one that is
   * not a SELECT, commits only while this run holds its kind's lease, and throws LeaseLostError otherwise.
   */
  store: Db;
  config: Config;
  logger: Logger;
  /**
   * Reports progress 0..1 with an optional message. Cheap to call often: the framework throttles it. While a
   * job runs its live progress is kept in BullMQ (Redis), so a sync may hold a store transaction open meanwhile
   * (PGlite has a single connection); the store record gets the final figures when the job ends.
   */
  progress(fraction: number, message?: string): void;
  /** Records a per-record problem (file, line, field, what was wrong). Buffered; written when the job ends. */
  issue(issue: NewSyncIssue): void;
}

export interface SyncOutcome {
  result: SyncJobResult;
  /** A one-line summary shown as SyncJob.message. */
  message?: string;
}

export type SyncProcessor = (ctx: SyncRunContext) => Promise<SyncOutcome>;

/**
 * What a sync's folder exports from its index.ts as `sync`: its kind (a row of jobs/framework/kinds.ts, whose
 * `module` names the folder) and the function that runs it. registry.ts loads it.
 */
export interface SyncDefinition {
  readonly kind: SyncJobKind;
  readonly run: SyncProcessor;
}

/**
 * A failure that retrying cannot fix (bad configuration, credentials refused, a guard such as Cristin's 15%
 * size check). The framework fails the job at once with this message instead of retrying.
 */
export class PermanentSyncError extends InternalError {
  constructor(message: string) {
    super('SYNC_FAILED_PERMANENTLY', message);
    this.name = 'PermanentSyncError';
  }
}

/** Thrown by a sync that noticed `signal.aborted`; the job ends CANCELLED. */
export class SyncCancelledError extends InternalError {
  constructor(message = 'cancelled') {
    super('SYNC_CANCELLED', message);
    this.name = 'SyncCancelledError';
  }
}
