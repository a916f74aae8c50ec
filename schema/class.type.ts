import { Directive, Field, ObjectType } from 'type-graphql';
import { ENTITY_KEY, Node } from './node.type';

@ObjectType('Facet')
export class Facet {
  @Field() userKey!: string;
  /** Set when the facet was loaded with its classes; otherwise the resolver loads them. */
  classesList?: ClassType[];
}

@Directive(ENTITY_KEY)
@ObjectType('Class', { implements: Node })
export class ClassType extends Node {
  @Field() userKey!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) scope?: string | null;
  @Field(() => Facet) facet!: Facet;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'LOS: false for a class no longer in its STAM file (kept, readable by id, listed only when asked for).',
  })
  published?: boolean | null;
}

@Directive(ENTITY_KEY)
@ObjectType('ItSystem', { implements: Node })
export class ItSystem extends Node {
  @Field() name!: string;
  @Field() userKey!: string;
}
