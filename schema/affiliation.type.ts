import { Field, ID, ObjectType } from 'type-graphql';
import { Source } from './enums';
import { DateScalar } from './scalars';

@ObjectType({ description: 'An affiliation (Cerebrum) or an engagement (LOS) of a person to an organisation unit.' })
export class Affiliation {
  @Field(() => ID) id!: string;
  @Field(() => Source) source!: Source;
  @Field({ description: 'Cerebrum: ANSATT, STUDENT, TILKNYTTET; LOS: ENGAGEMENT.' }) kind!: string;
  @Field(() => String, { nullable: true, description: "Cerebrum status such as 'ANSATT/tekadm'." }) status?:
    string | null;
  @Field(() => String, { nullable: true }) userKey?: string | null;
  @Field(() => Boolean, { nullable: true }) primary?: boolean | null;
  @Field(() => String, { nullable: true }) sourceSystem?: string | null;
  @Field(() => DateScalar, { nullable: true }) from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;

  personNativeId!: string;
  ouNativeId?: string | null;
  jobFunctionId?: string | null;
  engagementTypeId?: string | null;
  round?: number;
  /** LOS: the day the engagement was read for; its person and unit are read for the same day. */
  at?: string | null;
}
