/**
 * The API side of the sync jobs: start, read, list and cancel. It writes the store record first (the durable
 * history, and the one-active-job-per-kind rule through createUnlessActive) and then enqueues a BullMQ job with
 * the same id; it never runs a sync itself (jobs/framework/worker.ts does, in any process sharing the Redis).
 *
 * Reading: the store record is the truth, except that while a job runs its live progress and message are in
 * BullMQ (the worker does not write them to the store mid-run: a sync may hold a PGlite transaction open), so
 * `get` and `list` merge them in.
 *
 * Cancelling (see `cancel`): a job no worker holds is removed from its queue and recorded CANCELLED at once; a
 * running one is asked to stop (jobs/framework/cancellation.ts) and the worker records CANCELLED when the sync returns.
 * Cancelling a job that has already ended returns it unchanged: cancel is idempotent, like stop().
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { BadUserInputError, GatewayError, SourceDisabledError } from '../../core/errors';
import type { Db } from '../../store/db';
import { loadDeploymentIdentity } from '../../store/deployment.repo';
import {
  SyncJobsRepo,
  type SyncIssue,
  type SyncJob,
  type SyncJobKind,
  type SyncJobPage,
  type SyncJobState,
} from '../../store/sync-jobs.repo';
import { QueueEventsProducer } from 'bullmq';
import { CancelRequests } from './cancellation';
import { JOB_RECORDED } from './sync-events';
import { traceCarrier } from './telemetry';
import {
  closeQueues,
  createQueues,
  deploymentPrefix,
  type LiveProgress,
  type QueueSettings,
  type SyncJobData,
  type SyncQueues,
} from './queues';
import { assertRedisReachable, scrubRedisSecret } from './redis';
import { SYNC_KINDS, type SyncKindRow } from './kinds';
import { allKinds, loadSyncs } from './registry';
import { failStuckJob, finishUnderLease, whyStuck } from './stuck-jobs';
import type { SyncProcessor } from './types';

/** How a kind is named to people ("FS import is not available yet …"): its row's label, else its name. */
export function kindLabel(kind: SyncJobKind, rows: readonly SyncKindRow[] = SYNC_KINDS): string {
  return rows.find((k) => k.name === kind)?.label ?? kind;
}

/** The kind has no processor in this build: its mutation answers SOURCE_DISABLED. */
export class SyncKindUnavailableError extends SourceDisabledError {
  override readonly name = 'SyncKindUnavailableError';
  constructor(
    readonly kind: SyncJobKind,
    label = kindLabel(kind),
  ) {
    super(`${label} is not available yet in this build of idbro.`, { kind });
  }
}

export class SyncJobNotFoundError extends BadUserInputError {
  override readonly name = 'SyncJobNotFoundError';
  constructor(readonly id: string) {
    super(`There is no sync job with id "${id.slice(0, 100)}".`);
  }
}

/** Redis refused or did not take a command (it went away after start-up). */
export class SyncQueueUnavailableError extends GatewayError {
  override readonly name = 'SyncQueueUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPSTREAM_UNAVAILABLE', message, { source: 'REDIS' }, options);
  }
}

export interface StartOptions {
  dryRun?: boolean;
  /** The mutation's arguments the sync needs (UNI-Login's mode, Cristin's force). */
  params?: Record<string, unknown>;
}

export interface SyncServiceOptions extends QueueSettings {
  config: Pick<Config, 'redisUrl'>;
  store: Db;
  logger: Logger;
  /**
   * This deployment's id, which scopes the queue keys. createSyncService() reads it from `store` (and checks
   * one given here against it); the constructor needs it given.
   */
  deploymentId?: string;
  /**
   * The kinds this build can run (only the keys matter here). Default: the syncs of jobs/framework/kinds.ts and
   * `extraKinds` this build has (registry.ts loadSyncs()). Workers must have the same processors, or jobs of a
   * kind wait for a worker that can run them.
   */
  processors?: ReadonlyMap<SyncJobKind, SyncProcessor>;
  /**
   * Kinds beyond jobs/framework/kinds.ts, rows of the same shape (tests add a sync this way): they get queues
   * and, unless `processors` is given, their modules are loaded like the built-in ones. Default none.
   */
  extraKinds?: readonly SyncKindRow[];
  /** Start-up Redis probe time-out, ms. Default 3000. */
  redisTimeoutMs?: number;
  /**
   * A QUEUED record older than this whose BullMQ job is gone (Redis wiped or flushed) is recorded FAILED when a
   * start of its kind meets it, so it no longer blocks the kind (jobs/framework/stuck-jobs.ts). Younger ones are left
   * alone: another API process may be between creating the record and enqueueing it. Default 60000.
   */
  lostAfterMs?: number;
  /** Lease time used while ending a record from outside a run (jobs/framework/stuck-jobs.ts), ms. Default 30000. */
  leaseMs?: number;
}

/**
 * Checks Redis (fails fast with a message that names REDIS_URL), reads this deployment's id from the store
 * (created on its first start), then opens the deployment's queues.
 */
export async function createSyncService(opts: SyncServiceOptions): Promise<SyncService> {
  await assertRedisReachable(opts.config.redisUrl, { timeoutMs: opts.redisTimeoutMs });
  const { id } = await loadDeploymentIdentity(opts.store);
  if (opts.deploymentId !== undefined && opts.deploymentId !== id) {
    throw new Error(
      `createSyncService(): deploymentId ${opts.deploymentId} is not the id of its store's deployment (${id})`,
    );
  }
  return new SyncService({ ...opts, deploymentId: id });
}

export class SyncService {
  readonly queues: SyncQueues;
  /** The deployment whose queues these are (the store's identity). */
  readonly deploymentId: string;
  private readonly repo: SyncJobsRepo;
  private readonly cancels: CancelRequests;
  private readonly available: ReadonlySet<SyncJobKind>;
  private readonly rows: readonly SyncKindRow[];
  private readonly logger: Logger;
  private readonly lostAfterMs: number;
  private closing?: Promise<void>;

  /** Prefer createSyncService(), which checks that Redis answers first. */
  constructor(private readonly opts: SyncServiceOptions) {
    if (!opts.deploymentId)
      throw new Error('new SyncService() needs the deploymentId of its store: use createSyncService()');
    this.deploymentId = opts.deploymentId;
    const scope = { ...opts, deploymentId: opts.deploymentId };
    this.rows = allKinds(opts.extraKinds);
    this.queues = createQueues(
      opts.config.redisUrl,
      scope,
      this.rows.map((k) => k.name),
    );
    this.cancels = new CancelRequests({ redisUrl: opts.config.redisUrl, ...scope });
    this.repo = new SyncJobsRepo(opts.store);
    this.available = new Set((opts.processors ?? loadSyncs(opts.extraKinds)).keys());
    this.logger = opts.logger.child({ component: 'sync-service' });
    this.lostAfterMs = opts.lostAfterMs ?? 60_000;
  }

  /** Whether this build has a sync for the kind. */
  isAvailable(kind: SyncJobKind): boolean {
    return this.available.has(kind);
  }

  /**
   * Starts a job of `kind` and returns at once (state QUEUED). If one of the kind is already queued or running,
   * that one is returned instead and nothing is enqueued: at most one job per kind runs at a time.
   */
  async start(kind: SyncJobKind, opts: StartOptions = {}): Promise<SyncJob> {
    if (!this.isAvailable(kind)) throw new SyncKindUnavailableError(kind, kindLabel(kind, this.rows));
    const dryRun = opts.dryRun ?? false;
    const params = opts.params ?? {};
    for (let round = 1; ; round++) {
      const id = randomUUID();
      const { job, created } = await this.repo.createUnlessActive({ id, kind, dryRun, params });
      if (!created) {
        if (round <= 3 && (await this.failIfStuck(job))) continue;
        return this.withLiveProgress(job);
      }
      const data: SyncJobData = { kind, dryRun, params, deploymentId: this.deploymentId, ...traceCarrier() };
      try {
        await this.queue(kind).add(kind, data, { jobId: id });
      } catch (e) {
        const reason = scrubRedisSecret((e as Error).message, this.opts.config.redisUrl);
        await this.repo.finish(id, 'FAILED', null, `Could not be queued: Redis did not take the job (${reason}).`);
        throw new SyncQueueUnavailableError(`The job queue (Redis) is not available: ${reason}`, { cause: e });
      }
      this.logger.info({ jobId: id, kind, dryRun }, 'sync job queued');
      return job;
    }
  }

  /** The job, with live progress while it runs; null if there is none with that id. */
  async get(id: string): Promise<SyncJob | null> {
    const job = await this.repo.get(id);
    return job ? this.withLiveProgress(job) : null;
  }

  /** A page of jobs, newest first (keyset pagination: `after` is a previous page's endCursor). */
  async list(opts: {
    kind?: SyncJobKind | null;
    state?: SyncJobState | null;
    first: number;
    after?: string | null;
  }): Promise<SyncJobPage> {
    const page = await this.repo.list({
      kind: opts.kind ?? undefined,
      state: opts.state ?? undefined,
      first: opts.first,
      after: opts.after,
    });
    return { ...page, rows: await Promise.all(page.rows.map((job) => this.withLiveProgress(job))) };
  }

  /** A job's issues in the order the sync recorded them. */
  issues(id: string, opts: { afterSeq?: number; first?: number } = {}): Promise<SyncIssue[]> {
    return this.repo.issues(id, opts);
  }

  /**
   * Cancels a job:
   * - not held by any worker (waiting, delayed between attempts, or gone from Redis): removed from its queue and
   *   recorded CANCELLED now;
   * - running: every worker is told (marker + event, jobs/framework/cancellation.ts); the one running it aborts the sync's
   *   AbortSignal and records CANCELLED when the sync returns. The job is returned as it is now (RUNNING, with
   *   a message saying cancellation was requested);
   * - already ended: returned unchanged (not an error).
   * Throws SyncJobNotFoundError for an unknown id.
   */
  async cancel(id: string): Promise<SyncJob> {
    const job = await this.repo.get(id);
    if (!job) throw new SyncJobNotFoundError(id);
    if (job.state !== 'QUEUED' && job.state !== 'RUNNING') return job;
    const queue = this.queue(job.kind);
    // The marker goes first: a worker that takes the job between here and remove() sees it before it starts.
    await this.cancels.request(id);
    const removed = (await queue.remove(id).catch(() => 0)) === 1;
    const bullState = removed ? 'removed' : await queue.getJobState(id);
    if (removed || bullState === 'unknown' || bullState === 'completed' || bullState === 'failed') {
      const message =
        job.state === 'QUEUED'
          ? 'Cancelled before it started.'
          : bullState === 'removed'
            ? 'Cancelled while waiting for its next attempt.'
            : 'Cancelled (it was no longer in the job queue).';
      // A RUNNING record whose queue entry is gone is closed under the kind's lease: a run that still holds
      // the lease is alive, the marker set above stops it, and it records CANCELLED itself. A removed job has
      // no run anywhere.
      const done =
        !removed && job.state === 'RUNNING'
          ? await finishUnderLease(this.opts.store, job, 'CANCELLED', message, this.opts.leaseMs ?? 30_000)
          : await this.repo.finish(id, 'CANCELLED', job.result, message);
      if (done !== 'busy') {
        await this.cancels.clear(id).catch(() => undefined);
        await this.announce(job.kind, id);
        this.logger.info({ jobId: id, kind: job.kind }, 'sync job cancelled');
        // null: it ended on its own meanwhile; show how.
        return done ?? (await this.repo.get(id))!;
      }
    }
    this.logger.info({ jobId: id, kind: job.kind }, 'sync job cancellation requested');
    const live = await this.withLiveProgress(job);
    return { ...live, message: 'Cancellation requested: the worker running it is stopping it.' };
  }

  /** Readiness: Redis answers. */
  async ping(): Promise<void> {
    // Any queue will do: they share one Redis.
    const client = await this.queue(this.rows[0]?.name ?? 'LOS_IMPORT').getBackend().client;
    await client.get(`${deploymentPrefix({ prefix: this.opts.prefix, deploymentId: this.deploymentId })}:ping`);
  }

  /** Closes the queues' connections. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await closeQueues(this.queues);
      await this.cancels.close();
    })();
    return this.closing;
  }

  private queue(kind: SyncJobKind) {
    const q = this.queues.get(kind);
    if (!q) throw new Error(`no queue for sync kind ${kind}`);
    return q;
  }

  /** Merges BullMQ's live progress into a running job's record (left as is when Redis does not answer). */
  private async withLiveProgress(job: SyncJob): Promise<SyncJob> {
    if (job.state !== 'RUNNING') return job;
    try {
      const bull = await this.queue(job.kind).getJob(job.id);
      const live = bull?.progress as LiveProgress | number | undefined;
      if (typeof live === 'number') return { ...job, progress: clamp(live) };
      if (live && typeof live === 'object' && typeof live.fraction === 'number') {
        return { ...job, progress: clamp(live.fraction), message: live.message ?? job.message };
      }
    } catch (e) {
      this.logger.debug({ jobId: job.id, err: (e as Error).message }, 'live progress unavailable');
    }
    return job;
  }

  /**
   * Tells syncJobUpdated subscribers (jobs/framework/sync-events.ts) in every API process to read the job again after a write
   * that no queue event follows. On the queue's own connection; a lost announcement only delays what they see.
   */
  private async announce(kind: SyncJobKind, jobId: string): Promise<void> {
    try {
      const queue = this.queue(kind);
      const producer = new QueueEventsProducer(queue.name, {
        connection: await queue.getBackend().client,
        prefix: queue.opts.prefix,
      });
      await producer.publishEvent({ eventName: JOB_RECORDED, jobId });
      await producer.close();
    } catch (e) {
      this.logger.debug({ jobId, err: (e as Error).message }, 'job change not announced');
    }
  }

  /** Fails the active record of a kind when no run will ever finish it (jobs/framework/stuck-jobs.ts). True if it did. */
  private async failIfStuck(job: SyncJob): Promise<boolean> {
    let reason: string | null;
    try {
      reason = await whyStuck(job, this.queue(job.kind), this.lostAfterMs);
    } catch {
      return false; // Redis not answering says nothing about the job
    }
    if (!reason) return false;
    const failed = await failStuckJob(this.opts.store, job, reason, this.opts.leaseMs ?? 30_000);
    if (failed) this.logger.warn({ jobId: job.id, kind: job.kind, reason }, 'stuck sync job recorded as failed');
    return failed !== null;
  }
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
