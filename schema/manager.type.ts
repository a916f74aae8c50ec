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
}

@ObjectType()
export class Address {
  @Field(() => ClassType) addressType!: ClassType;
  @Field() value!: string;
  @Field(() => DateScalar, { nullable: true }) from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;
}
