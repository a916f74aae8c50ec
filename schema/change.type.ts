import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from './scalars';

/** What a Cerebrum change event said happened (the SCIM event URI's last part, ../shared/specs/cerebrum-events.md). */
export enum ChangeKind {
  CREATE = 'CREATE',
  MODIFY = 'MODIFY',
  DELETE = 'DELETE',
  ADD = 'ADD',
  REMOVE = 'REMOVE',
  ACTIVATE = 'ACTIVATE',
  DEACTIVATE = 'DEACTIVATE',
  PASSWORD = 'PASSWORD',
}
registerEnumType(ChangeKind, {
  name: 'ChangeKind',
  description:
    'CREATE, MODIFY, DELETE; ADD / REMOVE: got / lost a spread; ACTIVATE / DEACTIVATE: quarantine lifted / set; PASSWORD.',
});

@ObjectType({
  description: 'A Cerebrum person changed. `person` is read from Cerebrum after the event: its current state.',
})
export class PersonChange {
  @Field(() => ID, { description: "The person's global id (cerebrum:<id>), also when it no longer exists." })
  id!: string;
  @Field(() => ChangeKind) kind!: ChangeKind;
  @Field(() => [String], { description: 'Names of the changed attributes when the event lists them (often empty).' })
  attributes!: string[];
  @Field(() => DateTimeScalar, { description: 'When Cerebrum issued the event.' }) changedAt!: Date;
  // `person` is a field resolver (resolvers/subscription.resolver.ts): null when the person no longer exists.
}

@ObjectType({
  description: 'A Cerebrum organisation unit changed. `organisationUnit` is read from Cerebrum after the event.',
})
export class OrganisationUnitChange {
  @Field(() => ID, { description: "The unit's global id (cerebrum:ou:<id>), also when it no longer exists." })
  id!: string;
  @Field(() => ChangeKind) kind!: ChangeKind;
  @Field(() => [String], { description: 'Names of the changed attributes when the event lists them (often empty).' })
  attributes!: string[];
  @Field(() => DateTimeScalar, { description: 'When Cerebrum issued the event.' }) changedAt!: Date;
}
