import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SyncIssue, SyncJob, SyncResult } from '../schema/sync-job.type';
import { SyncJobConnection, type Connection } from '../schema/connections';
import { CristinExportMode, SyncKind, SyncState, UniLoginExportMode } from '../schema/enums';
import { requireScope, type Context } from './context';
import { InvalidCursorError, badInput, gqlError } from '../core/errors';
import { isNationalIdValue, redactNationalIds, scrubNationalIds } from '../core/national-ids';
import { cursorCodec, isNonNegativeInteger } from '../core/cursor';
import {
  SyncJobsRepo,
  syncJobCursor,
  type SyncIssue as StoredIssue,
  type SyncJob as StoredJob,
  type SyncJobKind,
} from '../store/sync-jobs.repo';
import {
  SyncJobNotFoundError,
  SyncKindUnavailableError,
  SyncQueueUnavailableError,
  type SyncService,
} from '../jobs/framework/sync-service';

/**
 * Sync jobs over GraphQL. Reads need scope read, every mutation scope sync. Mutations enqueue and return at
 * once (jobs/framework/sync-service.ts); a kind this build has no sync for answers SOURCE_DISABLED. SyncJob ids are
 * global ids `sync:<job id>`; syncJob and cancelSyncJob also take the bare job id.
 */

const ID_PREFIX = 'sync:';

export function syncJobGlobalId(jobId: string): string {
  return `${ID_PREFIX}${jobId}`;
}

function jobIdOf(id: string): string {
  return id.startsWith(ID_PREFIX) ? id.slice(ID_PREFIX.length) : id;
}

/** Free text as a caller sees it: as stored with scope pii, else with every national id masked. */
const textFor = (pii: boolean, text: string): string => (pii ? text : redactNationalIds(text));
/** A nullable text: without pii, one that is a national id is left out (null) and the rest masked. */
const optionalTextFor = (pii: boolean, text: string | null | undefined): string | null =>
  text == null ? null : pii ? text : isNationalIdValue(text) ? null : redactNationalIds(text);

/**
 * Store record → GraphQL object. Missing counts read as 0 (a sync may leave out the ones it never uses).
 * Without scope pii the message and the result details lose every national id (core/national-ids.ts): the
 * syncs store them masked already; this is the gate for what one could still have let through.
 */
export function toSyncJob(j: StoredJob, pii: boolean): SyncJob {
  const job = new SyncJob();
  job.id = syncJobGlobalId(j.id);
  job.kind = j.kind as SyncKind; // a kind of jobs/framework/kinds.ts: the sync service starts no other
  job.state = j.state as SyncState;
  job.progress = j.progress;
  job.message = optionalTextFor(pii, j.message);
  job.dryRun = j.dryRun;
  job.attempts = j.attempts;
  job.createdAt = j.createdAt;
  job.startedAt = j.startedAt;
  job.finishedAt = j.finishedAt;
  if (j.result) {
    const r = new SyncResult();
    r.created = j.result.created ?? 0;
    r.updated = j.result.updated ?? 0;
    r.unchanged = j.result.unchanged ?? 0;
    r.terminated = j.result.terminated ?? 0;
    r.skipped = j.result.skipped ?? 0;
    r.failed = j.result.failed ?? 0;
    r.details = j.result.details == null ? null : pii ? j.result.details : scrubNationalIds(j.result.details);
    job.result = r;
  } else {
    job.result = null;
  }
  return job;
}

/** Opaque issue cursors (core/cursor.ts) of the seq that numbers a job's issues 1, 2, … in recorded order. */
const ISSUE_CURSOR = cursorCodec('sync_issue', {
  is: (v): v is number => isNonNegativeInteger(v) && v < 1e15,
  invalid: () => '"after" is not an issue cursor from this API (use SyncIssue.cursor).',
});
function issueCursor(seq: number): string {
  return ISSUE_CURSOR.encode(seq);
}
function seqOfIssueCursor(cursor: string): number {
  return ISSUE_CURSOR.decode(cursor);
}

function toSyncIssue(i: StoredIssue, pii: boolean): SyncIssue {
  const issue = new SyncIssue();
  issue.cursor = issueCursor(i.seq);
  issue.severity = i.severity;
  issue.message = textFor(pii, i.message);
  issue.file = optionalTextFor(pii, i.file);
  issue.line = i.line;
  issue.field = optionalTextFor(pii, i.field);
  issue.record = optionalTextFor(pii, i.record);
  return issue;
}

/** Our errors → the closed vocabulary (architecture.md, convention 4). */
function asGraphQLError(e: unknown): unknown {
  if (e instanceof SyncKindUnavailableError) return gqlError('SOURCE_DISABLED', e.message, { kind: e.kind });
  if (e instanceof SyncJobNotFoundError || e instanceof InvalidCursorError) return badInput(e.message);
  if (e instanceof SyncQueueUnavailableError) return gqlError('UPSTREAM_UNAVAILABLE', e.message, { source: 'REDIS' });
  return e;
}

async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asGraphQLError(e);
  }
}

function service(ctx: Context): SyncService {
  if (!ctx.sync)
    throw gqlError('SOURCE_DISABLED', 'Sync jobs are not available in this process: it has no job queue (Redis).');
  return ctx.sync;
}

/** Reads go through the SyncService (live progress) when there is one, else straight to the store's history. */
function history(ctx: Context): Pick<SyncService, 'get' | 'list' | 'issues'> {
  if (ctx.sync) return ctx.sync;
  if (!ctx.store)
    throw gqlError('SOURCE_DISABLED', 'Sync job history is not available in this process: it has no store.');
  const repo = new SyncJobsRepo(ctx.store);
  return {
    get: (id) => repo.get(id),
    list: (o) => repo.list({ kind: o.kind ?? undefined, state: o.state ?? undefined, first: o.first, after: o.after }),
    issues: (id, o) => repo.issues(id, o),
  };
}

@Resolver(() => SyncJob)
export class SyncResolver {
  @FieldResolver(() => [SyncIssue], {
    description: 'In the order the job met them: `first` of them (0..500) after the issue whose cursor is `after`.',
  })
  async issues(
    @Root() job: SyncJob,
    @Ctx() ctx: Context,
    // A job can record one issue per input line (hundreds of thousands): the list is paged like every other.
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<SyncIssue[]> {
    const n = first ?? 50;
    if (n < 0 || n > 500) throw badInput(`"first" must be between 0 and 500, got ${n}`);
    const afterSeq = after == null ? 0 : seqOfIssueCursor(after);
    const rows = await history(ctx).issues(jobIdOf(job.id), { afterSeq, first: n });
    const pii = ctx.scopes.has('pii');
    return rows.map((i) => toSyncIssue(i, pii));
  }

  @Query(() => SyncJob, { nullable: true })
  async syncJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SyncJob | null> {
    requireScope(ctx, 'read', 'syncJob');
    const job = await history(ctx).get(jobIdOf(id));
    return job ? toSyncJob(job, ctx.scopes.has('pii')) : null;
  }

  @Query(() => SyncJobConnection, { description: 'Newest first.' })
  async syncJobs(
    @Ctx() ctx: Context,
    @Arg('kind', () => SyncKind, { nullable: true }) kind?: SyncKind | null,
    @Arg('state', () => SyncState, { nullable: true }) state?: SyncState | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first = 20,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<SyncJob>> {
    requireScope(ctx, 'read', 'syncJobs');
    const n = first ?? 20;
    if (n < 0 || n > 500) throw badInput(`"first" must be between 0 and 500, got ${n}`);
    const page = await mapped(() => history(ctx).list({ kind: kind ?? null, state: state ?? null, first: n, after }));
    return {
      edges: page.rows.map((row) => ({ cursor: syncJobCursor(row), node: toSyncJob(row, ctx.scopes.has('pii')) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }

  @Mutation(() => SyncJob, {
    description:
      'All sync mutations need scope sync, enqueue a BullMQ job and return at once. Their answer shows the job handle (id, kind, ' +
      'state, progress, dryRun, attempts, createdAt, startedAt, finishedAt); anything else of the job needs scope read as well.',
  })
  startLosImport(
    @Ctx() ctx: Context,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun = false,
  ): Promise<SyncJob> {
    return this.start(ctx, 'startLosImport', 'LOS_IMPORT', dryRun, {});
  }

  @Mutation(() => SyncJob)
  startFsImport(
    @Ctx() ctx: Context,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun = false,
    @Arg('force', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Run even when the drop guard would stop it (far fewer students than the last run).',
    })
    force = false,
  ): Promise<SyncJob> {
    return this.start(ctx, 'startFsImport', 'FS_IMPORT', dryRun, { force: force ?? false });
  }

  @Mutation(() => SyncJob)
  startUniLoginExport(
    @Ctx() ctx: Context,
    @Arg('mode', () => UniLoginExportMode) mode: UniLoginExportMode,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun = false,
    @Arg('force', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description:
        'Upload even when the drop guard would stop it (a FULL or DELETE removing more than UNILOGIN_MAX_DROP_PERCENT of the persons UNI-Login holds from us).',
    })
    force = false,
  ): Promise<SyncJob> {
    return this.start(ctx, 'startUniLoginExport', 'UNILOGIN_EXPORT', dryRun, {
      mode,
      ...(force ? { force: true } : {}),
    });
  }

  @Mutation(() => SyncJob)
  startCristinExport(
    @Ctx() ctx: Context,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun = false,
    @Arg('force', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Export even when the size guard would stop it (the new file differs too much from the last one).',
    })
    force = false,
    @Arg('mode', () => CristinExportMode, { nullable: true, defaultValue: CristinExportMode.FULL })
    mode: CristinExportMode = CristinExportMode.FULL,
  ): Promise<SyncJob> {
    return this.start(ctx, 'startCristinExport', 'CRISTIN_EXPORT', dryRun, {
      force: force ?? false,
      ...(mode === CristinExportMode.INCREMENTAL ? { mode } : {}),
    });
  }

  @Mutation(() => SyncJob, {
    description:
      'A queued job is cancelled at once; a running one is asked to stop and ends CANCELLED when its sync returns ' +
      '(the answer shows it still RUNNING); a job that has already ended is returned unchanged.',
  })
  async cancelSyncJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SyncJob> {
    requireScope(ctx, 'sync', 'cancelSyncJob');
    return toSyncJob(await mapped(() => service(ctx).cancel(jobIdOf(id))), ctx.scopes.has('pii'));
  }

  private async start(
    ctx: Context,
    what: string,
    kind: SyncJobKind,
    dryRun: boolean | null,
    params: Record<string, unknown>,
  ): Promise<SyncJob> {
    requireScope(ctx, 'sync', what);
    return toSyncJob(
      await mapped(() => service(ctx).start(kind, { dryRun: dryRun ?? false, params })),
      ctx.scopes.has('pii'),
    );
  }
}
