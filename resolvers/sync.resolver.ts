import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SyncIssue, SyncJob } from '../schema/sync-job.type';
import { SyncJobConnection, pageOf, type Connection } from '../schema/connections';
import { SyncKind, SyncState, UniLoginExportMode } from '../schema/enums';
import { requireScope, type Context } from '../server/context';
import { gqlError } from '../server/errors';

function notYet(kind: string): never {
  throw gqlError('SOURCE_DISABLED', `${kind} is not available in this version of idbro yet.`);
}

@Resolver(() => SyncJob)
export class SyncResolver {
  @FieldResolver(() => [SyncIssue])
  issues(@Root() _job: SyncJob): SyncIssue[] {
    return [];
  }

  @Query(() => SyncJob, { nullable: true })
  syncJob(@Arg('id', () => ID) _id: string, @Ctx() ctx: Context): SyncJob | null {
    requireScope(ctx, 'read', 'syncJob');
    return null;
  }

  @Query(() => SyncJobConnection)
  syncJobs(
    @Arg('kind', () => SyncKind, { nullable: true }) _kind?: SyncKind | null,
    @Arg('state', () => SyncState, { nullable: true }) _state?: SyncState | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first = 20,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Connection<SyncJob> {
    return pageOf([], first, after);
  }

  @Mutation(() => SyncJob, { description: 'All sync mutations need scope sync, enqueue a BullMQ job and return at once.' })
  startLosImport(@Ctx() ctx: Context, @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) _dryRun = false): SyncJob {
    requireScope(ctx, 'sync', 'startLosImport');
    return notYet('LOS import');
  }

  @Mutation(() => SyncJob)
  startFsImport(@Ctx() ctx: Context, @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) _dryRun = false): SyncJob {
    requireScope(ctx, 'sync', 'startFsImport');
    return notYet('FS import');
  }

  @Mutation(() => SyncJob)
  startUniLoginExport(
    @Ctx() ctx: Context,
    @Arg('mode', () => UniLoginExportMode) _mode: UniLoginExportMode,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) _dryRun = false,
  ): SyncJob {
    requireScope(ctx, 'sync', 'startUniLoginExport');
    return notYet('UNI-Login export');
  }

  @Mutation(() => SyncJob)
  startCristinExport(@Ctx() ctx: Context, @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) _dryRun = false): SyncJob {
    requireScope(ctx, 'sync', 'startCristinExport');
    return notYet('Cristin export');
  }

  @Mutation(() => SyncJob)
  cancelSyncJob(@Arg('id', () => ID) _id: string, @Ctx() ctx: Context): SyncJob {
    requireScope(ctx, 'sync', 'cancelSyncJob');
    return notYet('Sync jobs are');
  }
}
