import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class PersonName {
  @Field() variant!: string;
  @Field() value!: string;
  @Field(() => String, { nullable: true }) sourceSystem?: string | null;
  @Field(() => String, { nullable: true }) language?: string | null;
}

@ObjectType()
export class Contact {
  @Field() type!: string;
  @Field() value!: string;
  @Field(() => Int, { nullable: true, description: 'Lower is preferred (Cerebrum).' }) preference?: number | null;
  @Field(() => String, { nullable: true }) sourceSystem?: string | null;
}

@ObjectType()
export class ExternalId {
  @Field({
    description:
      'Cerebrum REST names: norwegianNationalId, employeeNumber, studentNumber, passportNumber, fsPersonSerialNumber, dfoPersonId, …',
  })
  type!: string;
  @Field() value!: string;
  @Field(() => String, { nullable: true }) sourceSystem?: string | null;
}
