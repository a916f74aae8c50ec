import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { ENTITY_KEY, Node } from './node.type';
import { SyncKind, SyncState } from './enums';
import { DateTimeScalar, JSONScalar } from './scalars';

@ObjectType()
export class SyncResult {
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) terminated!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) failed!: number;
  @Field(() => JSONScalar, { nullable: true }) details?: unknown;
}

@ObjectType({
  description: 'A problem found in one input record: it names the file and line (or the record) and what was wrong.',
})
export class SyncIssue {
  @Field({ description: 'Pass as SyncJob.issues(after:) to read the issues after this one.' }) cursor!: string;
  @Field() severity!: string;
  @Field() message!: string;
  @Field(() => String, { nullable: true }) file?: string | null;
  @Field(() => Int, { nullable: true }) line?: number | null;
  @Field(() => String, { nullable: true, description: 'The field (column, attribute) that was wrong, when one was.' })
  field?: string | null;
  @Field(() => String, { nullable: true }) record?: string | null;
}

@Directive(ENTITY_KEY)
@ObjectType({ implements: Node })
export class SyncJob extends Node {
  @Field(() => SyncKind) kind!: SyncKind;
  @Field(() => SyncState) state!: SyncState;
  @Field(() => Float, { description: '0..1' }) progress!: number;
  @Field(() => String, { nullable: true }) message?: string | null;
  @Field() dryRun!: boolean;
  @Field(() => Int) attempts!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) finishedAt?: Date | null;
  @Field(() => SyncResult, { nullable: true }) result?: SyncResult | null;
}
