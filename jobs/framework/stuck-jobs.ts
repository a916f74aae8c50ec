/**
 * Finding and failing store records that no run will ever finish, so they do not block their kind forever
 * (the store allows one QUEUED/RUNNING job per kind and a start returns that one):
 *
 * - QUEUED or RUNNING, and its BullMQ job is gone: Redis was reset or flushed, or the job was queued under
 *   another key prefix (before the deployment scoping, or a BULLMQ_PREFIX change);
 * - QUEUED, and its BullMQ job has ended: a worker that is not of this deployment took it (and refused it), or
 *   it failed before it could start;
 * - RUNNING, and its BullMQ job has ended: the run's final write to the store failed (database gone or timed
 *   out), so the record was never closed.
 *
 * Checked by every start of a kind (jobs/framework/sync-service.ts) and by a periodic sweep in each worker
 * (jobs/framework/worker.ts). A record is failed under its kind's lease (store/sync-leases.repo.ts): if a run still holds
 * the lease it is alive, and it is left alone.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import type { Db } from '../../store/db';
import { SyncJobsRepo, type FinalSyncJobState, type SyncJob } from '../../store/sync-jobs.repo';
import { SyncLeasesRepo } from '../../store/sync-leases.repo';
import type { SyncJobData, SyncJobReturn } from './queues';

export const LOST_MESSAGE =
  "Lost from the job queue: its BullMQ job is no longer in this deployment's queue (Redis was reset or flushed, or it " +
  'was queued under another key prefix, before an upgrade or a BULLMQ_PREFIX change). Start it again.';

/**
 * Why `job` (QUEUED or RUNNING in the store) will never finish, or null when it may still. A QUEUED record
 * younger than `lostAfterMs` whose BullMQ job is missing is given the benefit of the doubt: another API process
 * may be between creating the record and enqueueing it. Throws when Redis does not answer (that says nothing).
 */
export async function whyStuck(
  job: SyncJob,
  queue: Queue<SyncJobData, SyncJobReturn>,
  lostAfterMs: number,
): Promise<string | null> {
  const bull = await queue.getJob(job.id);
  const state = bull ? await bull.getState() : 'unknown';
  if (state === 'unknown') {
    if (job.state === 'QUEUED' && Date.now() - job.createdAt.getTime() < lostAfterMs) return null;
    return LOST_MESSAGE;
  }
  if (state !== 'completed' && state !== 'failed') return null;
  const how =
    state === 'failed'
      ? `failed: ${bull?.failedReason ?? 'no reason given'}`
      : `completed: ${describeReturn(bull?.returnvalue)}`;
  return job.state === 'QUEUED'
    ? `Taken from the job queue without being run for this deployment: its BullMQ job ended (${how}) before this store saw it start (a worker of another deployment took it, or it failed before it could start). Start it again.`
    : `Its run ended in the job queue (${how}) but the outcome was never recorded in the store (its final write failed). Start it again.`;
}

function describeReturn(value: SyncJobReturn | undefined): string {
  if (!value) return 'no result';
  return value.reason ? `${value.state}, ${value.reason}` : value.state;
}

/**
 * Records `job` FAILED with `message`, under its kind's lease. Returns the failed job, or null when a run holds
 * the lease (it is alive: left alone) or the job ended meanwhile.
 */
export async function failStuckJob(
  store: Db,
  job: SyncJob,
  message: string,
  leaseTtlMs: number,
): Promise<SyncJob | null> {
  const done = await finishUnderLease(store, job, 'FAILED', message, leaseTtlMs);
  return done === 'busy' ? null : done;
}

/**
 * Ends `job` from outside any run (a stuck-record check, a cancel of a job no worker holds), under its kind's
 * lease, so that it cannot close a record while a run that still holds the lease goes on writing. 'busy': a run
 * holds it, nothing was written; null: the job had ended meanwhile.
 */
export async function finishUnderLease(
  store: Db,
  job: SyncJob,
  state: FinalSyncJobState,
  message: string,
  leaseTtlMs: number,
): Promise<SyncJob | null | 'busy'> {
  const leases = new SyncLeasesRepo(store);
  const token = randomUUID();
  const got = await leases.acquire(job.kind, token, job.id, `${hostname()}:${process.pid} (outside a run)`, leaseTtlMs);
  if (!got.acquired) return 'busy';
  try {
    return await new SyncJobsRepo(store).finish(job.id, state, job.result, message);
  } finally {
    await leases.release(job.kind, token);
  }
}
