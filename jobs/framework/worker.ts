/**
 * Job workers: one BullMQ Worker per sync kind (concurrency 1 per kind and process; the store's
 * one-active-job-per-kind rule keeps it at one per kind overall), each running jobs through runSyncJob
 * (jobs/framework/sync-run.ts). Any number of worker processes on any number of machines may share one Redis: BullMQ
 * hands each job to one of them, and a job whose worker died (its lock expired) is moved back to the queue by
 * another worker's stalled-job check and run again there.
 */
import 'reflect-metadata';
import { Worker, type Job } from 'bullmq';
import { configWarnings, type Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/db';
import { loadDeploymentIdentity } from '../../store/deployment.repo';
import { SyncJobsRepo, type SyncJobKind } from '../../store/sync-jobs.repo';
import { CancelRequests, listenForCancels } from './cancellation';
import {
  closeQueues,
  createQueues,
  deploymentPrefix,
  queueName,
  type QueueSettings,
  type SyncJobData,
  type SyncJobReturn,
} from './queues';
import { assertRedisReachable, redisConnection } from './redis';
import type { SyncKindRow } from './kinds';
import { loadSyncs } from './registry';
import { failStuckJob, whyStuck } from './stuck-jobs';
import { runSyncJob, safeMessage, type AbortReason, type RunSettings } from './sync-run';
import { redactText } from '../../core/redact';
import type { SyncProcessor } from './types';
import { observeSyncRun, withSyncTelemetry } from './telemetry';
import { observeQueues } from '../../core/metrics';

export interface StartWorkersOptions extends QueueSettings, Partial<RunSettings> {
  config: Config;
  logger: Logger;
  store: Db;
  /** The syncs to run. Default: those of jobs/framework/kinds.ts and `extraKinds` this build has (loadSyncs()). */
  processors?: ReadonlyMap<SyncJobKind, SyncProcessor>;
  /** Kinds beyond jobs/framework/kinds.ts (tests), loaded like the built-in ones unless `processors` is given. */
  extraKinds?: readonly SyncKindRow[];
  /** Kinds to work on. Default: every kind in `processors`. A kind without a processor is an error. */
  kinds?: readonly SyncJobKind[];
  /** Jobs of one kind run at once in this process. Default 1. */
  concurrency?: number;
  /**
   * How long a worker's lock on a running job lasts, ms; it is renewed every half of it while the job runs. A
   * worker that dies holds the job at most this long before another worker's stalled check takes it back.
   * Default 30000.
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (stalled), ms. Default 30000. */
  stalledIntervalMs?: number;
  /** Times a job may stall (its worker die) before it is failed instead of restarted. Default 2. */
  maxStalledCount?: number;
  /**
   * Lease time of a run in the store (store/sync-leases.repo.ts), ms: how long a run that stopped renewing
   * (dead, or cut off from the database) keeps its kind before another run may take it. Default lockDurationMs.
   */
  leaseMs?: number;
  /** Start-up Redis probe time-out, ms. Default 3000. */
  redisTimeoutMs?: number;
  /**
   * How often this worker looks for store records of its kinds that no run will finish (their BullMQ job gone
   * or ended without the outcome recorded: jobs/framework/stuck-jobs.ts) and fails them, ms. Also once at start.
   * Default 60000.
   */
  sweepIntervalMs?: number;
  /** A QUEUED record is called lost only when older than this, ms (see SyncServiceOptions.lostAfterMs). Default 60000. */
  lostAfterMs?: number;
}

export interface SyncWorkers {
  readonly kinds: readonly SyncJobKind[];
  /** The deployment these workers serve: the identity of their store. */
  readonly deploymentId: string;
  /** Runs the stuck-record check now (it also runs every sweepIntervalMs); resolves when done. */
  sweep(): Promise<void>;
  /**
   * Stops taking jobs, aborts the signal of every running sync (reason "shutdown": a sync that then throws goes
   * back to the queue for another worker), waits for them, and closes the Redis connections. Idempotent.
   */
  close(): Promise<void>;
}

export async function startWorkers(opts: StartWorkersOptions): Promise<SyncWorkers> {
  const redisUrl = opts.config.redisUrl;
  await assertRedisReachable(redisUrl, { timeoutMs: opts.redisTimeoutMs });
  const processors = opts.processors ?? loadSyncs(opts.extraKinds);
  const kinds = opts.kinds ?? [...processors.keys()];
  for (const kind of kinds) {
    if (!processors.has(kind)) throw new Error(`startWorkers(): no sync is registered for ${kind}`);
  }
  // The store's identity scopes every key this worker uses: it sees only its own deployment's jobs.
  const { id: deploymentId } = await loadDeploymentIdentity(opts.store);
  const scope = { ...opts, deploymentId };
  const prefix = deploymentPrefix(scope);
  const logger = opts.logger.child({ component: 'worker' });
  const lockDuration = opts.lockDurationMs ?? 30_000;
  if (kinds.includes('LOS_IMPORT')) for (const w of configWarnings(opts.config)) logger.warn(w);
  const settings: RunSettings = {
    progressIntervalMs: opts.progressIntervalMs ?? 1000,
    cancelPollMs: opts.cancelPollMs ?? 2000,
    maxIssues: opts.maxIssues ?? 10_000,
    leaseMs: opts.leaseMs ?? lockDuration,
  };
  const running = new Map<string, AbortController>();
  const repo = new SyncJobsRepo(opts.store);
  let closing: Promise<void> | undefined;

  const cancels = new CancelRequests({ redisUrl, ...scope });
  const listener = await listenForCancels(
    { redisUrl, ...scope },
    (jobId) => running.get(jobId)?.abort('cancel' satisfies AbortReason),
    (err) => logger.warn({ err: redactText(err.message) }, 'cancel listener: Redis error'),
  );

  const workers: Worker<SyncJobData, SyncJobReturn>[] = [];
  try {
    for (const kind of kinds) {
      const deps = {
        kind,
        processor: withSyncTelemetry(kind, processors.get(kind)!),
        store: opts.store,
        config: opts.config,
        logger,
        cancels,
        settings,
        running,
        isClosing: () => closing !== undefined,
        deploymentId,
      };
      // Three parameters: BullMQ passes an AbortSignal only to processors that declare the third.
      // Metrics and the job's span (in the trace of the mutation that started it): jobs/framework/telemetry.ts.
      const processor = (job: Job<SyncJobData, SyncJobReturn>, token?: string, signal?: AbortSignal) =>
        observeSyncRun(kind, job, () => runSyncJob(deps, job, token, signal));
      const worker = new Worker<SyncJobData, SyncJobReturn>(queueName(kind), processor, {
        connection: redisConnection(redisUrl, 'worker'),
        prefix,
        concurrency: opts.concurrency ?? 1,
        lockDuration,
        stalledInterval: opts.stalledIntervalMs ?? 30_000,
        maxStalledCount: opts.maxStalledCount ?? 2,
        autorun: true,
      });
      worker.on('error', (err) =>
        logger.warn({ kind, err: redactText(err.message) }, 'worker: Redis or processing error'),
      );
      worker.on('stalled', (jobId) =>
        logger.warn({ kind, jobId }, 'sync job stalled (its worker died?): restarting it'),
      );
      // BullMQ does not stop a processor whose lock it could not renew; another worker's stalled check may
      // already be starting the job again. Abort the sync (its lease fences any write it still tries).
      worker.on('lockRenewalFailed', (jobIds) => {
        for (const jobId of jobIds) {
          const controller = running.get(jobId);
          if (!controller) continue;
          logger.warn({ kind, jobId }, 'lost the lock of a running sync job: stopping it');
          controller.abort('lock-lost' satisfies AbortReason);
        }
      });
      // A job BullMQ fails without our processor having recorded it (it stalled more than maxStalledCount
      // times) would stay RUNNING in the store forever. Recorded under the kind's lease: a run still holding
      // it is alive and records its own outcome. finish() leaves jobs that are already final alone.
      worker.on('failed', (job, err) => {
        if (!job?.id) return;
        const id = job.id;
        void job
          .getState()
          .then(async (state) => {
            if (state !== 'failed' && state !== 'unknown') return; // a retry is coming
            const record = await repo.get(id);
            if (!record || (record.state !== 'QUEUED' && record.state !== 'RUNNING')) return;
            const done = await failStuckJob(
              opts.store,
              record,
              `Stopped by the job queue: ${safeMessage(err)}`,
              settings.leaseMs,
            );
            if (done)
              logger.warn({ kind, jobId: id, err: redactText(err.message) }, 'sync job failed in the job queue');
          })
          .catch((e: Error) => logger.warn({ jobId: id, err: redactText(e.message) }, 'could not record a failed job'));
      });
      workers.push(worker);
    }
    await Promise.all(workers.map((w) => w.waitUntilReady()));
  } catch (e) {
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    await listener.close();
    await cancels.close();
    throw e;
  }

  // The periodic check for records no run will finish (jobs/framework/stuck-jobs.ts): a final write that failed, a job
  // lost with Redis or taken by a worker of another deployment. Without it such a record blocks its kind until
  // someone starts that kind again.
  const queues = createQueues(redisUrl, scope, kinds);
  const unobserveQueues = observeQueues(queues); // waiting/active per kind on each metrics scrape
  const lostAfterMs = opts.lostAfterMs ?? 60_000;
  let sweeping: Promise<void> | undefined;
  const sweep = () => {
    sweeping ??= (async () => {
      for (const kind of kinds) {
        try {
          const record = await repo.findActive(kind);
          if (!record) continue;
          const reason = await whyStuck(record, queues.get(kind)!, lostAfterMs);
          if (reason && (await failStuckJob(opts.store, record, reason, settings.leaseMs))) {
            logger.warn({ kind, jobId: record.id, reason }, 'stuck sync job recorded as failed');
          }
        } catch (e) {
          logger.warn({ kind, err: (e as Error).message }, 'stuck-job check failed; tried again later');
        }
      }
    })().finally(() => (sweeping = undefined));
    return sweeping;
  };
  const sweepTimer = setInterval(() => void sweep(), opts.sweepIntervalMs ?? 60_000);
  sweepTimer.unref();
  void sweep();
  logger.info({ kinds, prefix }, 'sync workers started');

  return {
    kinds,
    deploymentId,
    sweep,
    close() {
      closing ??= (async () => {
        clearInterval(sweepTimer);
        unobserveQueues();
        for (const controller of running.values()) controller.abort('shutdown' satisfies AbortReason);
        await Promise.all(
          workers.map((w) =>
            w.close().catch((e: Error) => logger.warn({ err: redactText(e.message) }, 'worker close failed')),
          ),
        );
        await sweeping?.catch(() => undefined);
        await closeQueues(queues);
        await listener.close();
        await cancels.close();
        logger.info('sync workers stopped');
      })();
      return closing;
    },
  };
}
