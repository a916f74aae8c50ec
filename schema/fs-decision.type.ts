import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from './scalars';
import { PageInfo } from './connections';

/**
 * The FS import's decisions (seed 001; README "FS import"), as stored by the last run: one per person FS knows
 * (or knew, while the person still has a student user). Read through Query.fsImportDecisions and
 * Person.fsImportDecision (resolvers/fs-decision.resolver.ts).
 */

export enum FsStudentRule {
  REGISTERED_WITH_EXAM = 'REGISTERED_WITH_EXAM',
  CONFIRMED_PLAN = 'CONFIRMED_PLAN',
  LIMITED_RIGHT_WITH_EXAM = 'LIMITED_RIGHT_WITH_EXAM',
  EVU = 'EVU',
}
export enum FsBlockAction {
  BLOCK = 'BLOCK',
  LIFT = 'LIFT',
  KEEP = 'KEEP',
  NONE = 'NONE',
}
export enum FsDeletionRule {
  INACTIVE_LAST_TERM = 'INACTIVE_LAST_TERM',
  BLOCKED_THREE_MONTHS = 'BLOCKED_THREE_MONTHS',
  EVU_COURSE_ENDED = 'EVU_COURSE_ENDED',
}
export enum FsPrecedenceRule {
  SINGLE_VALUE = 'SINGLE_VALUE',
  HIGHEST_PROGRAMME_LEVEL = 'HIGHEST_PROGRAMME_LEVEL',
  HIGHEST_COURSE_LEVEL = 'HIGHEST_COURSE_LEVEL',
  PLAN_BEATS_NO_PLAN = 'PLAN_BEATS_NO_PLAN',
  SHARED_AREA = 'SHARED_AREA',
  PLAN_HELD_LONGEST = 'PLAN_HELD_LONGEST',
  NO_PLANS_HIGHEST_COURSE = 'NO_PLANS_HIGHEST_COURSE',
  ALPHABETICAL = 'ALPHABETICAL',
  EVU_PROFILE = 'EVU_PROFILE',
}

registerEnumType(FsStudentRule, {
  name: 'FsStudentRule',
  description:
    'Seed 2.0: REGISTERED_WITH_EXAM = rule 1 (semester registration + exam in a course of the programme), CONFIRMED_PLAN = rule 2 ' +
    '(education plan confirmed this term; status_utdplan J), LIMITED_RIGHT_WITH_EXAM = course-limited study right with an exam in that course, EVU = approved EVU course.',
});
registerEnumType(FsBlockAction, {
  name: 'FsBlockAction',
  description:
    'Seed 2.5.1: BLOCK = not a student on/after 1 March / 1 October (quarantine set); LIFT = a student (quarantine removed if there); ' +
    'KEEP = not a student but before the blocking date (left as is); NONE = no student user.',
});
registerEnumType(FsDeletionRule, { name: 'FsDeletionRule', description: 'Seed 2.5.2 rules 1, 2 and 3.' });
registerEnumType(FsPrecedenceRule, {
  name: 'FsPrecedenceRule',
  description: 'Seed 2.1: how a home area or primary e-mail was chosen among programmes.',
});

@ObjectType({
  description: 'A STUDENT affiliation the rules give (seed 2.0): to the stedkode of an active programme or EVU course.',
})
export class FsStudentAffiliation {
  @Field({ description: 'Always STUDENT.' }) affiliation!: string;
  @Field({ description: 'aktiv, drgrad (programme level > 350) or evu.' }) status!: string;
  @Field() stedkode!: string;
  @Field({ description: 'The programme or EVU course code it comes from.' }) via!: string;
}

@ObjectType({ description: "A programme's verdict under seed 2.0." })
export class FsProgrammeVerdict {
  @Field() programmeCode!: string;
  @Field(() => FsStudentRule) rule!: FsStudentRule;
  @Field() met!: boolean;
  @Field() why!: string;
}

@ObjectType({ description: 'A single-valued attribute chosen by seed 2.1.' })
export class FsChosenValue {
  @Field() value!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The programme it comes from; null for the shared area or an EVU profile.',
  })
  programmeCode?: string | null;
  @Field(() => FsPrecedenceRule) rule!: FsPrecedenceRule;
}

@ObjectType({ description: 'Seed 2.4: the letter to a new user.' })
export class FsLetter {
  @Field() send!: boolean;
  @Field({ description: 'nb, nn or en (English unless maalform is BOKMÅL or NYNORSK).' }) language!: string;
  @Field(() => String, { nullable: true, description: 'SEMESTER or HOME.' }) addressKind?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Address lines, postal code and city. Needs scope pii; null without it.',
  })
  address?: string[] | null;
  @Field(() => String, { nullable: true, description: 'ISO country code of the address (null = Norway).' }) country?:
    string | null;
  @Field() reason!: string;
}

@ObjectType({ description: 'Seed 2.5.1.' })
export class FsBlock {
  @Field(() => FsBlockAction) action!: FsBlockAction;
  @Field(() => DateScalar, { nullable: true, description: 'Blocked since (BLOCK, or KEEP of an earlier block).' })
  since?: string | null;
  @Field() reason!: string;
}

@ObjectType({
  description: 'Seed 2.5.2: when the student user is to be deleted (Cerebrum REST cannot delete: reported only).',
})
export class FsDeletion {
  @Field(() => DateScalar) date!: string;
  @Field(() => FsDeletionRule) rule!: FsDeletionRule;
  @Field({ description: 'The date is the run day or past.' }) due!: boolean;
}

@ObjectType({ description: 'An action Cerebrum REST cannot carry out, left for whoever executes the plan.' })
export class FsPlannedAction {
  @Field() action!: string;
  @Field() detail!: string;
  @Field({ description: 'Due on the run day by the 2.5 schedule.' }) dueToday!: boolean;
}

@ObjectType({ description: "The FS import's decision about one person (seed 001), from the last run." })
export class FsImportDecision {
  @Field({ description: 'fs:<personlopenummer>, or nid:<hash> when FS gave no person number.' }) personKey!: string;
  @Field(() => String, { nullable: true }) personlopenummer?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field({ description: 'The sync job (FS_IMPORT) that decided.' }) jobId!: string;
  @Field() dryRun!: boolean;
  @Field(() => DateScalar) decidedOn!: string;
  @Field({ description: 'The term decided for, e.g. "HØST 2024".' }) term!: string;
  @Field({ description: 'Seed 1.0.' }) imported!: boolean;
  @Field(() => [String], { description: 'FAGPERSON, STUDENT, EVU.' }) importedAs!: string[];
  @Field({ description: 'Seed 2.0.' }) student!: boolean;
  @Field(() => FsStudentRule, { nullable: true }) studentRule?: FsStudentRule | null;
  @Field(() => [FsProgrammeVerdict]) programmes!: FsProgrammeVerdict[];
  @Field(() => [String], { description: 'Why, rule by rule, in order.' }) reasons!: string[];
  @Field(() => [FsStudentAffiliation]) affiliations!: FsStudentAffiliation[];
  @Field(() => [String], { description: 'Profiles of the configuration that matched.' }) profiles!: string[];
  @Field(() => [String]) groups!: string[];
  @Field(() => [String]) spreads!: string[];
  @Field(() => String, { nullable: true, description: 'The personal file group (named like the account).' })
  primaryGroup?: string | null;
  @Field(() => FsChosenValue, { nullable: true }) homeArea?: FsChosenValue | null;
  @Field(() => FsChosenValue, {
    nullable: true,
    description: 'value: the address, or "@domain" while the account does not exist.',
  })
  primaryEmail?: FsChosenValue | null;
  @Field({ description: 'Seed 2.2.' }) reserveUsername!: boolean;
  @Field({
    description: 'Seed 2.3: printer quota (paid PAPIRHEL/PAPIRDEL/PAPIRPPU this term) rather than the zero quota.',
  })
  printerQuota!: boolean;
  @Field(() => String, { nullable: true }) printerFeePaid?: string | null;
  @Field(() => FsLetter) letter!: FsLetter;
  @Field(() => String, { nullable: true, description: 'The Cerebrum account, when there is one.' }) accountName?:
    string | null;
  @Field({ description: 'A student user is to be built.' }) createAccount!: boolean;
  @Field(() => FsBlock) block!: FsBlock;
  @Field(() => FsDeletion, { nullable: true }) deletion?: FsDeletion | null;
  @Field(() => [String], {
    description: '"METHOD /v1/path" written to Cerebrum for this person (dry run: that would be written).',
  })
  cerebrumWrites!: string[];
  @Field(() => [String], { description: 'Writes Cerebrum refused (the job issues say why).' })
  cerebrumFailures!: string[];
  @Field(() => [FsPlannedAction]) plan!: FsPlannedAction[];
}

@InputType({ description: 'Every given field must match.' })
export class FsImportDecisionFilter {
  @Field({
    nullable: true,
    defaultValue: false,
    description: "The last dry run's decisions instead of the last applied run's.",
  })
  dryRun?: boolean;
  @Field(() => Boolean, { nullable: true }) student?: boolean | null;
  @Field(() => Boolean, { nullable: true }) imported?: boolean | null;
  @Field(() => FsBlockAction, { nullable: true }) blockAction?: FsBlockAction | null;
  @Field(() => Boolean, { nullable: true }) deletionDue?: boolean | null;
  @Field(() => FsStudentRule, { nullable: true }) studentRule?: FsStudentRule | null;
  @Field(() => String, { nullable: true }) personlopenummer?: string | null;
}

@ObjectType()
export class FsImportDecisionEdge {
  @Field() cursor!: string;
  @Field(() => FsImportDecision) node!: FsImportDecision;
}

@ObjectType()
export class FsImportDecisionConnection {
  @Field(() => [FsImportDecisionEdge]) edges!: FsImportDecisionEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { nullable: true }) totalCount?: number | null;
}
