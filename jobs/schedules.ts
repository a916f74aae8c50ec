/**
 * Sync schedules: one BullMQ job scheduler per scheduled kind, id `schedule-<KIND>`, cron in the configured time
 * zone (TZ), in this deployment's queues (the prefix carries its id). The jobs it creates carry
 * `{ scheduled: true, deploymentId }` and get their store record when a worker of that deployment takes them
 * (jobs/sync-run.ts); a scheduled run that finds a job of its kind active is skipped.
 *
 * Schedulers live in Redis and are shared by every worker, so applying is idempotent (upsert), and a kind
 * no longer in SYNC_SCHEDULES (nor in DEFAULT_SCHEDULES) gets its scheduler removed. Give every worker the same
 * SYNC_SCHEDULES: the last one to start wins.
 */
import type { Logger } from '../server/logger';
import { SYNC_JOB_KINDS, type SyncJobKind } from '../store/sync-jobs.repo';
import { closeQueues, createQueues, syncJobOptions, type QueueScope, type SyncJobData, type SyncQueues } from './queues';

/**
 * Schedules that apply unless SYNC_SCHEDULES names the kind itself (cron, in TZ).
 * - CRISTIN_EXPORT: weekly full export, Mondays 04:00 (seed 002: a weekly full sync so that missed changes do
 *   not linger). `SYNC_SCHEDULES="CRISTIN_EXPORT=0 5 * * 0"` moves it.
 */
export const DEFAULT_SCHEDULES: ReadonlyMap<SyncJobKind, string> = new Map<SyncJobKind, string>([
  ['CRISTIN_EXPORT', '0 4 * * 1'],
]);

export function schedulerId(kind: SyncJobKind): string {
  return `schedule-${kind}`;
}

/** The schedules in force: the defaults, overridden per kind by SYNC_SCHEDULES. */
export function effectiveSchedules(configured: ReadonlyMap<string, string>): Map<SyncJobKind, string> {
  const out = new Map<SyncJobKind, string>(DEFAULT_SCHEDULES);
  for (const [kind, cron] of configured) {
    if ((SYNC_JOB_KINDS as readonly string[]).includes(kind)) out.set(kind as SyncJobKind, cron);
  }
  return out;
}

export interface ApplySchedulesOptions extends QueueScope {
  redisUrl: string;
  /** Kind → cron, as config.syncSchedules (SYNC_SCHEDULES). */
  schedules: ReadonlyMap<string, string>;
  /** Time zone of the cron expressions (config.tz). */
  tz: string;
  /** Kinds this build can run; a schedule of any other kind is left out (with a warning). Default: all. */
  available?: ReadonlySet<SyncJobKind>;
  logger: Logger;
  /** Queues to use instead of opening (and closing) new ones. */
  queues?: SyncQueues;
}

/** Upserts the scheduler of every scheduled kind and removes the others'. Returns what is scheduled. */
export async function applySchedules(opts: ApplySchedulesOptions): Promise<Map<SyncJobKind, string>> {
  const wanted = effectiveSchedules(opts.schedules);
  const queues = opts.queues ?? createQueues(opts.redisUrl, opts);
  const applied = new Map<SyncJobKind, string>();
  try {
    for (const kind of SYNC_JOB_KINDS) {
      const queue = queues.get(kind);
      if (!queue) continue;
      const cron = wanted.get(kind);
      if (cron !== undefined && opts.available && !opts.available.has(kind)) {
        opts.logger.warn({ kind }, 'SYNC_SCHEDULES names a sync this build does not have: not scheduled');
      }
      if (cron === undefined || (opts.available && !opts.available.has(kind))) {
        if (await queue.removeJobScheduler(schedulerId(kind))) opts.logger.info({ kind }, 'sync schedule removed');
        continue;
      }
      const { attempts, backoff, removeOnComplete, removeOnFail } = syncJobOptions(opts);
      const data: SyncJobData = { kind, dryRun: false, params: {}, scheduled: true, deploymentId: opts.deploymentId };
      await queue.upsertJobScheduler(schedulerId(kind), { pattern: cron, tz: opts.tz }, {
        name: kind,
        data,
        opts: { attempts, backoff, removeOnComplete, removeOnFail },
      });
      applied.set(kind, cron);
      opts.logger.info({ kind, cron, tz: opts.tz }, 'sync scheduled');
    }
  } finally {
    if (!opts.queues) await closeQueues(queues);
  }
  return applied;
}
