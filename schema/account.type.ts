import { Directive, Field, ObjectType } from 'type-graphql';
import { ENTITY_KEY, Node } from './node.type';

/**
 * A Cerebrum account. Built from a person's account list entry (name, primary) and completed from
 * `/v1/accounts/{name}` by the field resolvers when details are asked for.
 */
@Directive(ENTITY_KEY)
@ObjectType({ implements: Node })
export class Account extends Node {
  @Field() name!: string;
  @Field(() => Boolean, { nullable: true }) primary?: boolean | null;

  round?: number;
}
