import { Ctx, Query, Resolver } from 'type-graphql';
import { SyncKindInfo, SyncSchedule } from '../schema/sync-kind.type';
import { Viewer } from '../schema/viewer.type';
import { requireScope, type Context } from './context';
import { SCOPES } from '../core/config';
import { SYNC_KINDS, type SyncKindRow } from '../jobs/framework/kinds';
import { SyncJobsRepo, type SyncJobKind } from '../store/sync-jobs.repo';
import { toSyncJob } from './sync.resolver';

/**
 * What operators' tools (the /console page, the idbro CLI) need beside the job API: who the caller is (its
 * scopes, so a client offers only what it may do) and the sync kinds with their schedules and newest job.
 */
@Resolver()
export class SyncKindResolver {
  @Query(() => Viewer, { description: 'The caller: the scopes of its token. Like every query it needs scope read.' })
  viewer(@Ctx() ctx: Context): Viewer {
    const viewer = new Viewer();
    viewer.scopes = SCOPES.filter((s) => ctx.scopes.has(s));
    return viewer;
  }

  @Query(() => [SyncKindInfo], { description: 'Every sync kind with its schedules and newest job. Needs scope read.' })
  async syncKinds(@Ctx() ctx: Context): Promise<SyncKindInfo[]> {
    requireScope(ctx, 'read', 'syncKinds');
    const repo = ctx.store ? new SyncJobsRepo(ctx.store) : undefined;
    return Promise.all(
      SYNC_KINDS.map(async (row: SyncKindRow & { name: SyncKindInfo['kind'] }) => {
        const kind = row.name;
        const info = new SyncKindInfo();
        info.kind = kind;
        info.available = ctx.sync?.isAvailable(kind) ?? false;
        // The modes a schedule may name (jobs/framework/kinds.ts `inSchedules`), as SYNC_SCHEDULES takes them.
        info.modes = row.mode?.inSchedules ? [...row.mode.values] : [];
        info.takesForce = row.takesForce;
        info.schedules = await schedulesOf(ctx, kind);
        // The SyncService merges a running job's live progress; the store alone has the last persisted one.
        const newest = ctx.sync ? await ctx.sync.list({ kind, first: 1 }) : await repo?.list({ kind, first: 1 });
        info.lastRun = newest?.rows[0] ? toSyncJob(newest.rows[0], ctx.scopes.has('pii')) : null;
        return info;
      }),
    );
  }
}

/**
 * The schedulers the workers registered in Redis (jobs/framework/schedules.ts): what really runs, which may differ from
 * this process's own SYNC_SCHEDULES when the worker processes were started with another value.
 */
async function schedulesOf(ctx: Context, kind: SyncJobKind): Promise<SyncSchedule[]> {
  const queue = ctx.sync?.queues.get(kind);
  if (!queue) return [];
  let found: Awaited<ReturnType<typeof queue.getJobSchedulers>>;
  try {
    found = await queue.getJobSchedulers();
  } catch (e) {
    ctx.log.debug({ kind, err: (e as Error).message }, 'schedules unavailable');
    return [];
  }
  return found
    .filter((s) => s.pattern)
    .map((s) => {
      const schedule = new SyncSchedule();
      schedule.cron = s.pattern!;
      schedule.timeZone = s.tz ?? null;
      const mode = (s.template?.data as { params?: { mode?: unknown } } | undefined)?.params?.mode;
      schedule.mode = typeof mode === 'string' ? mode : null;
      schedule.nextRunAt = typeof s.next === 'number' ? new Date(s.next) : null;
      return schedule;
    });
}
