import { Field, ObjectType } from 'type-graphql';
import { DateScalar } from './scalars';
import { OrganisationUnit } from './organisation-unit.type';

@ObjectType()
export class StudyRight {
  @Field() programmeCode!: string;
  @Field(() => String, { nullable: true }) programmeName?: string | null;
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => DateScalar, { nullable: true }) from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;
  @Field(() => OrganisationUnit, { nullable: true }) organisationUnit?: OrganisationUnit | null;
}
