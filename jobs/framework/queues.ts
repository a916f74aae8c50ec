/**
 * The BullMQ queues: one per sync kind (`idbro-los-import`, …), all under one key prefix that ends with this
 * deployment's id (`idbro:<deployment uuid>:idbro-los-import:…`), with the job options every sync job gets.
 * Scoping the keys by the identity kept in the store (store/deployment.repo.ts) is what keeps deployments that
 * share one Redis apart: a worker only ever sees the queues of the store it was started on. BullMQ holds only what is needed to run jobs; the durable history is the store's
 * sync_jobs table (store/sync-jobs.repo.ts), so finished jobs are dropped from Redis after a while.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { SyncJobKind } from '../../store/sync-jobs.repo';
import { SYNC_KIND_NAMES } from './kinds';
import { redisConnection } from './redis';

/** What a sync job carries in BullMQ. The store record (same id) holds the rest. */
export interface SyncJobData {
  kind: SyncJobKind;
  dryRun: boolean;
  params: Record<string, unknown>;
  /** Set on the jobs a job scheduler (SYNC_SCHEDULES) creates: they have no store record until a worker takes them. */
  scheduled?: boolean;
  /**
   * The deployment whose store created the job (or owns its schedule). A worker refuses a job of another
   * deployment; the queue prefix already keeps them apart, this is the second fence.
   */
  deploymentId?: string;
  /** W3C trace context (traceparent, tracestate) of the request that started the job: the job's span joins that trace. */
  trace?: Record<string, string>;
}

/** What the BullMQ processor returns (kept in Redis only briefly; for BullMQ's own tools). */
export interface SyncJobReturn {
  state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'SKIPPED';
  reason?: string;
}

/** Live progress, as `job.updateProgress()` stores it while a job runs. */
export interface LiveProgress {
  fraction: number;
  message?: string | null;
}

/** Settings shared by the API side (SyncService) and the workers. */
export interface QueueSettings {
  /**
   * Base of the BullMQ key prefix (BULLMQ_PREFIX): every key is `<prefix>:<deployment id>:<queue>:…`. It only
   * adds to the deployment scoping, never replaces it. Tests use a unique one per file. Default `idbro`.
   */
  prefix?: string;
  /** Runs per job: the first and the retries after an ordinary failure. Default 3. */
  attempts?: number;
  /** Base delay of the exponential backoff between attempts, in ms (2 s, 4 s, …). Default 2000. */
  backoffMs?: number;
}

/** QueueSettings bound to a deployment: what opening queues and control channels needs. */
export interface QueueScope extends QueueSettings {
  /** This deployment's id (loadDeploymentIdentity(store).id). */
  deploymentId: string;
}

export const DEFAULT_PREFIX = 'idbro';

/** The BullMQ prefix of a deployment: `<prefix>:<deploymentId>`. */
export function deploymentPrefix(scope: Pick<QueueScope, 'prefix' | 'deploymentId'>): string {
  if (!/^[0-9a-f-]{36}$/i.test(scope.deploymentId))
    throw new Error(`not a deployment id: "${scope.deploymentId.slice(0, 60)}"`);
  return `${scope.prefix ?? DEFAULT_PREFIX}:${scope.deploymentId}`;
}
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 2000;

/** `LOS_IMPORT` → `idbro-los-import`. */
export function queueName(kind: SyncJobKind): string {
  return `idbro-${kind.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * Options of every sync job. Bounded removal keeps Redis small: the store keeps the history, BullMQ only the
 * last jobs for its own tools (and for `getJobState` while cancelling).
 */
export function syncJobOptions(settings: QueueSettings = {}): JobsOptions {
  return {
    attempts: settings.attempts ?? DEFAULT_ATTEMPTS,
    backoff: { type: 'exponential', delay: settings.backoffMs ?? DEFAULT_BACKOFF_MS },
    removeOnComplete: { count: 200, age: 7 * 24 * 3600 },
    removeOnFail: { count: 500, age: 30 * 24 * 3600 },
  };
}

export type SyncQueues = ReadonlyMap<SyncJobKind, Queue<SyncJobData, SyncJobReturn>>;

/**
 * One producer-side Queue per kind (default: the built-in kinds of jobs/framework/kinds.ts). `close()` them (closeQueues) when done. The caller checks that Redis
 * answers first (assertRedisReachable); these connections reconnect on their own afterwards.
 */
export function createQueues(
  redisUrl: string,
  settings: QueueScope,
  kinds: readonly SyncJobKind[] = SYNC_KIND_NAMES,
): SyncQueues {
  const queues = new Map<SyncJobKind, Queue<SyncJobData, SyncJobReturn>>();
  for (const kind of kinds) {
    const queue = new Queue<SyncJobData, SyncJobReturn>(queueName(kind), {
      connection: redisConnection(redisUrl, 'producer'),
      prefix: deploymentPrefix(settings),
      defaultJobOptions: syncJobOptions(settings),
    });
    // Without a listener an 'error' (Redis gone for a moment) would be thrown as an uncaught exception; the
    // command that failed reports it to its caller anyway.
    queue.on('error', () => undefined);
    queues.set(kind, queue);
  }
  return queues;
}

export async function closeQueues(queues: SyncQueues): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
}
