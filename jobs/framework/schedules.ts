/**
 * Sync schedules: one BullMQ job scheduler per scheduled kind, id `schedule-<KIND>`, cron in the configured time
 * zone (TZ), in this deployment's queues (the prefix carries its id); a schedule that names a mode
 * (`UNILOGIN_EXPORT=0 3 * * 0:FULL`) has its own, `schedule-<KIND>-<MODE>`, and its jobs carry `params: { mode }`.
 * Scheduled jobs never carry `force`: a guard's refusal needs a person. The jobs it creates carry
 * `{ scheduled: true, deploymentId }` and get their store record when a worker of that deployment takes them
 * (jobs/framework/sync-run.ts); a scheduled run that finds a job of its kind active is skipped.
 *
 * Schedulers live in Redis and are shared by every worker, so applying is idempotent (upsert), and a kind
 * no longer in SYNC_SCHEDULES (nor in DEFAULT_SCHEDULES) gets its scheduler removed. Give every worker the same
 * SYNC_SCHEDULES: the last one to start wins.
 */
import type { Logger } from '../../core/logger';
import type { SyncJobKind } from '../../store/sync-jobs.repo';
import { SYNC_KINDS, type SyncKindRow } from './kinds';
import { allKinds } from './registry';
import {
  closeQueues,
  createQueues,
  syncJobOptions,
  type QueueScope,
  type SyncJobData,
  type SyncQueues,
} from './queues';

/**
 * Schedules that apply unless SYNC_SCHEDULES names the kind itself (key `KIND` or `KIND:MODE` → cron, in TZ): the
 * rows' defaultSchedules (jobs/framework/kinds.ts; today the Cristin export's weekly FULL and 15-minute
 * INCREMENTAL). `SYNC_SCHEDULES="CRISTIN_EXPORT=0 5 * * 0"` moves the first (and, naming the kind, replaces both).
 */
export const DEFAULT_SCHEDULES: ReadonlyMap<string, string> = defaultSchedules(SYNC_KINDS);

function defaultSchedules(rows: readonly SyncKindRow[]): Map<string, string> {
  return new Map(
    rows.flatMap((k) => (k.defaultSchedules ?? []).map((d) => [d.mode ? `${k.name}:${d.mode}` : k.name, d.cron])),
  );
}

export function schedulerId(kind: SyncJobKind, mode?: string): string {
  return mode ? `schedule-${kind}-${mode}` : `schedule-${kind}`;
}

/** `UNILOGIN_EXPORT:FULL` → kind and mode (the keys of config.syncSchedules). */
export function scheduleKey(key: string): { kind: string; mode?: string } {
  const colon = key.indexOf(':');
  return colon < 0 ? { kind: key } : { kind: key.slice(0, colon), mode: key.slice(colon + 1) };
}

/**
 * The schedules in force (key `KIND` or `KIND:MODE` → cron): the defaults, replaced per kind by SYNC_SCHEDULES.
 * Only kinds of `rows` (default: the built-in list) count.
 */
export function effectiveSchedules(
  configured: ReadonlyMap<string, string>,
  rows: readonly SyncKindRow[] = SYNC_KINDS,
): Map<string, string> {
  const known = new Set(rows.map((k) => k.name));
  const named = new Set([...configured.keys()].map((k) => scheduleKey(k).kind));
  const defaults = [...defaultSchedules(rows)].filter(([key]) => !named.has(scheduleKey(key).kind));
  const out = new Map<string, string>(defaults);
  for (const [key, cron] of configured) {
    if (known.has(scheduleKey(key).kind)) out.set(key, cron);
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
  /** Kinds beyond jobs/framework/kinds.ts (tests), scheduled like the built-in ones. Default none. */
  extraKinds?: readonly SyncKindRow[];
}

/** Upserts the scheduler of every schedule in force and removes the others. Returns what is scheduled. */
export async function applySchedules(opts: ApplySchedulesOptions): Promise<Map<string, string>> {
  const rows = allKinds(opts.extraKinds);
  const kinds = rows.map((k) => k.name);
  const wanted = effectiveSchedules(opts.schedules, rows);
  const queues = opts.queues ?? createQueues(opts.redisUrl, opts, kinds);
  const applied = new Map<string, string>();
  try {
    for (const kind of kinds) {
      const queue = queues.get(kind);
      if (!queue) continue;
      const mine = [...wanted].filter(([key]) => scheduleKey(key).kind === kind);
      const runnable = !opts.available || opts.available.has(kind);
      if (mine.length > 0 && !runnable) {
        opts.logger.warn({ kind }, 'SYNC_SCHEDULES names a sync this build does not have: not scheduled');
      }
      const keep = new Set<string>();
      const { attempts, backoff, removeOnComplete, removeOnFail } = syncJobOptions(opts);
      for (const [key, cron] of runnable ? mine : []) {
        const { mode } = scheduleKey(key);
        const id = schedulerId(kind, mode);
        const data: SyncJobData = {
          kind,
          dryRun: false,
          params: mode ? { mode } : {},
          scheduled: true,
          deploymentId: opts.deploymentId,
        };
        await queue.upsertJobScheduler(
          id,
          { pattern: cron, tz: opts.tz },
          {
            name: kind,
            data,
            opts: { attempts, backoff, removeOnComplete, removeOnFail },
          },
        );
        keep.add(id);
        applied.set(key, cron);
        opts.logger.info({ kind, mode, cron, tz: opts.tz }, 'sync scheduled');
      }
      // Every other scheduler of this kind (taken out of SYNC_SCHEDULES, or a mode no longer named) goes.
      for (const s of await queue.getJobSchedulers()) {
        const id = s.key;
        if (!id.startsWith(schedulerId(kind)) || keep.has(id)) continue;
        if (await queue.removeJobScheduler(id)) opts.logger.info({ kind, scheduler: id }, 'sync schedule removed');
      }
    }
  } finally {
    if (!opts.queues) await closeQueues(queues);
  }
  return applied;
}
