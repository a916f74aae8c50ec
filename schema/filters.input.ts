import { Field, ID, InputType } from 'type-graphql';
import { Source } from './enums';
import { DateScalar } from './scalars';

@InputType()
export class PersonFilter {
  @Field(() => Source, { nullable: true }) source?: Source | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => ID, { nullable: true }) organisationUnit?: string | null;
  @Field(() => DateScalar, { nullable: true }) at?: string | null;
}

@InputType()
export class OrganisationUnitFilter {
  @Field(() => Source, { nullable: true }) source?: Source | null;
  @Field(() => ID, { nullable: true }) parent?: string | null;
  @Field(() => Boolean, { nullable: true }) roots?: boolean | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => DateScalar, { nullable: true }) at?: string | null;
}
