/**
 * One attempt of one sync job inside a worker: the BullMQ processor's body. It owns the store record's
 * transitions for the attempt and turns what the sync did into a final state:
 *
 *   returned                          → SUCCEEDED (result, message)
 *   cancelled on request (any end)    → CANCELLED (a result it returned is kept)
 *   threw SyncCancelledError          → CANCELLED
 *   worker shutting down, then threw  → back to the queue (no attempt used); the next worker resumes it
 *   threw PermanentSyncError          → FAILED now (BullMQ UnrecoverableError: no retry)
 *   threw anything else               → retried with backoff while attempts remain, then FAILED
 *   lost its lock or lease, then threw → nothing recorded: the worker now holding the job runs it
 *
 * Before it runs, an attempt takes its kind's lease in the store (jobs/framework/run-lease.ts) and keeps it to the end;
 * every store write of the sync and of this file is fenced by it, so two runs of one kind never both write.
 * A job of another deployment (or one this store has no record of) is refused, never run.
 *
 * Issues are collected in memory and written when the attempt ends; live progress goes to BullMQ only (a sync
 * may hold a PGlite transaction open, and PGlite has one connection). Messages never carry URL passwords or
 * full national ids.
 */
import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { redactNationalIds } from '../../core/errors';
import { redactText, redactedStack } from '../../core/redact';
import type { Db } from '../../store/db';
import { LeaseLostError } from '../../store/sync-leases.repo';
import {
  SyncJobsRepo,
  type NewSyncIssue,
  type SyncJob,
  type SyncJobKind,
  type SyncJobResult,
} from '../../store/sync-jobs.repo';
import type { CancelRequests } from './cancellation';
import type { LiveProgress, SyncJobData, SyncJobReturn } from './queues';
import { RunLease } from './run-lease';
import {
  PermanentSyncError,
  SyncCancelledError,
  type SyncOutcome,
  type SyncProcessor,
  type SyncRunContext,
} from './types';

/**
 * Why a running job's signal was aborted: cancelSyncJob, the worker shutting down, or this worker no longer
 * holding the job (BullMQ lock renewal failed, or another run took the kind's lease).
 */
export type AbortReason = 'cancel' | 'shutdown' | 'lock-lost';

export interface RunSettings {
  /** Least time between two live progress writes to Redis, ms. Default 1000. */
  progressIntervalMs: number;
  /** How often a running job re-checks its cancel marker (in case the cancel event was missed), ms. Default 2000. */
  cancelPollMs: number;
  /** Issues kept per job; past it only a count is kept (and reported as one more WARNING). Default 10000. */
  maxIssues: number;
  /** Lease time of a run (store/sync-leases.repo.ts), renewed every third of it, ms. Default: the lock duration. */
  leaseMs: number;
}

export interface RunDeps {
  kind: SyncJobKind;
  processor: SyncProcessor;
  store: Db;
  config: Config;
  logger: Logger;
  cancels: CancelRequests;
  settings: RunSettings;
  /** The worker's table of running jobs, so a cancel event or shutdown can abort this one. */
  running: Map<string, AbortController>;
  /** True once the worker is shutting down. */
  isClosing(): boolean;
  /** This deployment's id: jobs of any other are refused. */
  deploymentId: string;
}

/** An error message fit for the store and GraphQL: no URL credentials, national ids masked, bounded length. */
export function safeMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return redactText(text).slice(0, 2000);
}

/** Throttled live progress: at most one Redis write per interval, and the latest value always written. */
class ProgressReporter {
  private latest: LiveProgress = { fraction: 0, message: null };
  private pending = false;
  private lastSent = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly job: Job<SyncJobData, SyncJobReturn>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  get fraction(): number {
    return this.latest.fraction;
  }

  report(fraction: number, message?: string): void {
    if (this.stopped) return;
    const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : this.latest.fraction;
    // A message stays until the sync gives another one.
    this.latest = { fraction: f, message: message === undefined ? this.latest.message : message };
    this.pending = true;
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending || this.stopped) return;
    this.pending = false;
    this.lastSent = Date.now();
    this.job
      .updateProgress({ ...this.latest })
      .catch((e: Error) => this.logger.debug({ err: e.message }, 'progress not written'));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

class IssueBuffer {
  private readonly kept: NewSyncIssue[] = [];
  private dropped = 0;

  constructor(private readonly max: number) {}

  add(issue: NewSyncIssue): void {
    if (this.kept.length >= this.max) {
      this.dropped++;
      return;
    }
    const severity = issue.severity === 'ERROR' || issue.severity === 'INFO' ? issue.severity : 'WARNING';
    this.kept.push({
      severity,
      message: redactNationalIds(String(issue.message ?? '')),
      file: issue.file == null ? null : redactNationalIds(String(issue.file)),
      line: Number.isInteger(issue.line) ? issue.line : null,
      field: issue.field == null ? null : redactNationalIds(String(issue.field)),
      record: issue.record == null ? null : redactNationalIds(String(issue.record)),
    });
  }

  all(): NewSyncIssue[] {
    if (this.dropped === 0) return this.kept;
    return [
      ...this.kept,
      {
        severity: 'WARNING',
        message: `${this.dropped} more issues were found but not kept (at most ${this.max} are kept per job).`,
      },
    ];
  }
}

/**
 * Runs one attempt. Resolves with what BullMQ should record as the job's return value, or throws what makes
 * BullMQ retry (an ordinary error), fail without retry (UnrecoverableError) or put the job back (WaitingError).
 */
export async function runSyncJob(
  deps: RunDeps,
  job: Job<SyncJobData, SyncJobReturn>,
  token: string | undefined,
  bullSignal: AbortSignal | undefined,
): Promise<SyncJobReturn> {
  const id = job.id!;
  const repo = new SyncJobsRepo(deps.store);
  const attempt = Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
  const log = deps.logger.child({ jobId: id, kind: deps.kind, attempt });

  // 1. Only jobs of this deployment: the queue prefix keeps other deployments' jobs out; this is the second
  //    fence (a store restored from a copy of another deployment's shares its identity, not its records).
  if (job.data.deploymentId !== undefined && job.data.deploymentId !== deps.deploymentId) {
    throw new UnrecoverableError(
      `Refused by a worker of deployment ${deps.deploymentId}: the job belongs to deployment ${job.data.deploymentId}.`,
    );
  }
  // 2. The store record. Jobs from a job scheduler of this deployment have none yet; one is made now, unless a
  //    job of the kind is already queued or running, in which case this scheduled run is skipped (one job per
  //    kind at a time). Any other job must have been recorded by this store before it was queued.
  let record = await repo.get(id);
  if (!record) {
    if (!job.data.scheduled || job.data.deploymentId !== deps.deploymentId) {
      throw new UnrecoverableError(
        `Refused by a worker of deployment ${deps.deploymentId}: its store has no record of job ${id}, so this deployment did not create it.`,
      );
    }
    const { job: active, created } = await repo.createUnlessActive({
      id,
      kind: deps.kind,
      dryRun: job.data.dryRun ?? false,
      params: job.data.params ?? {},
      message: 'Started by its schedule.',
    });
    if (!created) {
      log.info({ activeJobId: active.id }, 'scheduled sync skipped: a job of its kind is still queued or running');
      return { state: 'SKIPPED', reason: `job ${active.id} of this kind is active` };
    }
    record = active;
  } else if (record.state !== 'QUEUED' && record.state !== 'RUNNING') {
    log.info({ state: record.state }, 'sync job already ended: not run again');
    return { state: 'SKIPPED', reason: `already ${record.state}` };
  }

  // 3. Registered before the lease and the marker check, so a cancel event, a lost lock or a shutdown from
  //    now on reaches this job.
  const controller = new AbortController();
  deps.running.set(id, controller);
  const onBullAbort = () => controller.abort('shutdown' satisfies AbortReason);
  bullSignal?.addEventListener('abort', onBullAbort, { once: true });
  if (deps.isClosing()) controller.abort('shutdown' satisfies AbortReason);
  // Waiting for the lease stops on a shutdown or a lost lock, not on a cancel (honoured once it runs).
  const stopWaiting = new AbortController();
  const onAbort = () => controller.signal.reason !== 'cancel' && stopWaiting.abort();
  controller.signal.addEventListener('abort', onAbort);
  if (controller.signal.aborted) onAbort();
  let poll: NodeJS.Timeout | undefined;
  const progress = new ProgressReporter(job, deps.settings.progressIntervalMs, log);
  const lease = new RunLease(deps.store, deps.kind, id, deps.settings.leaseMs, log);
  let leased = false;
  try {
    // 4. The kind's lease: no other run of the kind writes while this one holds it.
    leased = await lease.acquire(stopWaiting.signal);
    if (!leased) {
      if (controller.signal.reason === 'shutdown') {
        await job.moveToWait(token);
        log.info('sync job handed back (shutdown) while waiting for its lease');
        throw new WaitingError();
      }
      throw new Error(
        'This worker lost the job (its lock) while waiting for the lease; the worker now holding it runs it.',
      );
    }
    lease.keepAlive(() => {
      log.warn("another run took over this kind's lease: stopping this one");
      controller.abort('lock-lost' satisfies AbortReason);
    });

    if (await deps.cancels.isRequested(id)) {
      await lease.fenced((tx) => new SyncJobsRepo(tx).finish(id, 'CANCELLED', null, 'Cancelled before it started.'));
      await deps.cancels.clear(id).catch(() => undefined);
      log.info('sync job cancelled before it started');
      return { state: 'CANCELLED' };
    }
    const running = await repo.markRunning(id, attempt, lease.token);
    if (!running) {
      log.info('sync job ended meanwhile (cancelled?): not run');
      return { state: 'SKIPPED', reason: 'no longer queued' };
    }
    // A progress write puts an event on the queue's stream now: syncJobUpdated subscribers (server/subscriptions.ts)
    // see the job RUNNING at once, not only at the sync's first progress report.
    progress.report(0);

    poll = setInterval(() => {
      deps.cancels.isRequested(id).then(
        (yes) => yes && controller.abort('cancel' satisfies AbortReason),
        () => undefined,
      );
    }, deps.settings.cancelPollMs);

    const issues = new IssueBuffer(deps.settings.maxIssues);
    const ctx: SyncRunContext = {
      jobId: id,
      kind: deps.kind,
      dryRun: running.dryRun,
      params: running.params ?? {},
      attempt,
      signal: controller.signal,
      store: lease.fencedStore(),
      config: deps.config,
      logger: log,
      progress: (fraction, message) => progress.report(fraction, message),
      issue: (issue) => issues.add(issue),
    };

    log.info({ dryRun: running.dryRun }, 'sync job started');
    let outcome: SyncOutcome | undefined;
    let error: unknown;
    try {
      outcome = await deps.processor(ctx);
    } catch (e) {
      error = e;
    } finally {
      clearInterval(poll);
      progress.stop();
    }
    const reason = controller.signal.aborted ? (controller.signal.reason as AbortReason) : undefined;
    return await settle({
      deps,
      lease,
      job,
      token,
      log,
      attempt,
      running,
      outcome,
      error,
      reason,
      issues: issues.all(),
      fraction: progress.fraction,
    });
  } finally {
    clearInterval(poll);
    progress.stop();
    bullSignal?.removeEventListener('abort', onBullAbort);
    controller.signal.removeEventListener('abort', onAbort);
    deps.running.delete(id);
    if (leased) await lease.release();
  }
}

interface Ended {
  deps: RunDeps;
  lease: RunLease;
  job: Job<SyncJobData, SyncJobReturn>;
  token: string | undefined;
  log: Logger;
  attempt: number;
  running: SyncJob;
  outcome?: SyncOutcome;
  error: unknown;
  reason?: AbortReason;
  issues: NewSyncIssue[];
  fraction: number;
}

/**
 * Records how the attempt ended and tells BullMQ what to do next (see the table at the top). Every store write
 * here is fenced by the run's lease: a run that another one has taken over records nothing.
 */
async function settle(e: Ended): Promise<SyncJobReturn> {
  try {
    return await settleFenced(e);
  } catch (err) {
    if (!(err instanceof LeaseLostError)) throw err;
    e.log.warn('this run lost its lease to another run: its outcome is not recorded');
    throw new Error(
      `Superseded: another run of ${e.deps.kind} took over this job; this run's outcome was not recorded.`,
    );
  }
}

async function settleFenced(e: Ended): Promise<SyncJobReturn> {
  const { job, log, attempt, lease } = e;
  const id = job.id!;
  const write = <T>(fn: (repo: SyncJobsRepo) => Promise<T>) => lease.fenced((tx) => fn(new SyncJobsRepo(tx)));
  const withIssues = async (repo: SyncJobsRepo) => {
    if (e.issues.length > 0) await repo.addIssues(id, e.issues);
  };
  const result: SyncJobResult | null = e.outcome?.result ?? null;

  if (e.error instanceof LeaseLostError || (e.reason === 'lock-lost' && e.error !== undefined)) {
    // Another worker has (or is about to have) the job: it runs it again and records the outcome.
    log.warn(
      { err: safeMessage(e.error) },
      'sync job stopped: this worker lost its lock or lease; the job runs elsewhere',
    );
    throw new Error(`Stopped: this worker lost the job's lock or lease (${safeMessage(e.error)}).`);
  }

  if (e.reason === 'cancel' || (e.error instanceof SyncCancelledError && e.reason !== 'shutdown')) {
    const how = e.error && !(e.error instanceof SyncCancelledError) ? ` It stopped with: ${safeMessage(e.error)}` : '';
    const summary = e.outcome?.message ? ` ${e.outcome.message}` : '';
    await write(async (repo) => {
      await withIssues(repo);
      await repo.finish(id, 'CANCELLED', result, `Cancelled on request.${how}${summary}`);
    });
    await e.deps.cancels.clear(id).catch(() => undefined);
    log.info('sync job cancelled');
    return { state: 'CANCELLED' };
  }

  if (e.reason === 'shutdown' && e.error !== undefined) {
    // Not the job's fault: hand it back without using an attempt. It runs again from the start (syncs are
    // idempotent), on the next free worker; its issues are recorded again then.
    await write((repo) =>
      repo.updateProgress(id, e.fraction, 'Interrupted by a worker shutting down; it resumes on the next free worker.'),
    );
    await job.moveToWait(e.token);
    log.info('sync job interrupted by shutdown: back in the queue');
    throw new WaitingError();
  }

  if (e.error === undefined) {
    const done = await write(async (repo) => {
      await withIssues(repo);
      return repo.finish(id, 'SUCCEEDED', result, e.outcome?.message ?? null);
    });
    if (!done) log.warn('sync job had already ended in the store: result not recorded');
    log.info({ result: result && { ...result, details: undefined } }, 'sync job succeeded');
    return { state: 'SUCCEEDED' };
  }

  const message = safeMessage(e.error);
  if (e.error instanceof PermanentSyncError) {
    await write(async (repo) => {
      await withIssues(repo);
      await repo.finish(id, 'FAILED', result, message);
    });
    log.warn({ err: message }, 'sync job failed (not retried)');
    throw new UnrecoverableError(message);
  }

  const attempts = job.opts.attempts ?? 1;
  if (job.attemptsMade + 1 < attempts) {
    const delay = backoffDelay(job);
    // Issues of this attempt are not kept: the next attempt starts over (markRunning clears them anyway).
    await write((repo) =>
      repo.updateProgress(
        id,
        e.fraction,
        `Attempt ${attempt} failed: ${message}; retrying${delay ? ` in ${formatMs(delay)}` : ''}.`,
      ),
    );
    log.warn({ err: message, attemptsLeft: attempts - job.attemptsMade - 1 }, 'sync job attempt failed: retrying');
    throw asError(e.error, message);
  }
  await write(async (repo) => {
    await withIssues(repo);
    await repo.finish(
      id,
      'FAILED',
      result,
      attempts > 1 ? `Failed after ${attempt} attempts; the last one: ${message}` : message,
    );
  });
  log.warn({ err: message }, 'sync job failed');
  throw asError(e.error, message);
}

/**
 * BullMQ keeps `.message` and `.stack` of what a processor throws (in Redis, and in its `failed` event, which the
 * worker logs): both redacted, since the original's message can hold a national id or a URL's password.
 */
function asError(err: unknown, message: string): Error {
  const out = new Error(message);
  out.stack = redactedStack(err) ?? out.stack;
  return out;
}

/** BullMQ's exponential backoff before the next attempt (2^(n-1) × delay), for the message only. */
function backoffDelay(job: Job): number | undefined {
  const b = job.opts.backoff;
  if (b === undefined) return undefined;
  if (typeof b === 'number') return b;
  if (b.type === 'fixed') return b.delay;
  if (b.type === 'exponential' && b.delay !== undefined) return Math.round(2 ** job.attemptsMade * b.delay);
  return undefined;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
