import { Field, ObjectType } from 'type-graphql';
import { DateScalar } from './scalars';
import { ClassType } from './class.type';

@ObjectType()
export class Manager {
  @Field(() => [ClassType]) responsibilities!: ClassType[];
  @Field(() => DateScalar, { nullable: true }) from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;

  personNativeId?: string | null;
  ouNativeId!: string;
  source!: string;
  managerTypeId?: string | null;
  levelId?: string | null;
  /** LOS: class uuids of the responsibilities (facet responsibility); resolved by ManagerResolver. */
  responsibilityIds?: string[];
  /** LOS: the day the manager was read for; its unit is read for the same day. */
  at?: string | null;
}

@ObjectType()
export class Address {
  @Field(() => ClassType) addressType!: ClassType;
  @Field() value!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'DAR (Danmarks Adresseregister) address id of a postal address (LOS AddressMailUnit), when the import found one; `value` is then the address text.',
  })
  darId?: string | null;
  @Field(() => DateScalar, { nullable: true }) from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;
}
