import { Field, ObjectType } from 'type-graphql';
import { SyncKind } from './enums';
import { SyncJob } from './sync-job.type';
import { DateTimeScalar } from './scalars';

@ObjectType({ description: 'A cron schedule in force for a sync kind, as the workers registered it in the job queue.' })
export class SyncSchedule {
  @Field({ description: 'Cron expression (5 or 6 fields).' }) cron!: string;
  @Field(() => String, { nullable: true, description: 'Time zone of the cron expression (TZ).' }) timeZone?:
    string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The mode its runs use (UNI-Login export), when the schedule names one.',
  })
  mode?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it runs next.' }) nextRunAt?: Date | null;
}

@ObjectType({ description: 'One kind of sync: whether this deployment can run it, its schedules and its newest job.' })
export class SyncKindInfo {
  @Field(() => SyncKind) kind!: SyncKind;
  @Field({
    description: 'False when this build or process has no sync for it (its start mutation answers SOURCE_DISABLED).',
  })
  available!: boolean;
  @Field(() => [String], {
    description:
      'Modes its start mutation takes (UNILOGIN_EXPORT: FULL, INCREMENTAL, DELETE); empty when it takes none.',
  })
  modes!: string[];
  @Field({ description: 'Whether its start mutation takes `force` (to run past a guard).' }) takesForce!: boolean;
  @Field(() => [SyncSchedule]) schedules!: SyncSchedule[];
  @Field(() => SyncJob, { nullable: true, description: 'Its newest job (queued, running or ended), if any.' })
  lastRun?: SyncJob | null;
}
