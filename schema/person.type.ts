import { Field, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { Source } from './enums';
import { DateScalar } from './scalars';
import { PersonName } from './contact.type';

/**
 * A person as one source knows it. Fields set here come with the person's own record; the rest
 * (contacts, affiliations, accounts, …) are field resolvers in person.resolver.ts, fetched only when asked.
 */
@ObjectType({ implements: Node })
export class Person extends Node {
  @Field(() => Source) source!: Source;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => DateScalar, { nullable: true }) birthDate?: string | null;
  @Field(() => [PersonName]) names!: PersonName[];

  /** The source's own id (Cerebrum entity_id, LOS CPR key, FS personlopenummer). Not exposed. */
  nativeId!: string;
  /** Dependency round of the response this came from (see datasources/cerebrum/loaders.ts). */
  round?: number;
  /** Round in which this person's sub-resources are requested (= round with a look-ahead, else round + 1). */
  subRound?: number;
  /** A source that stores the national id with the person (LOS) sets it here; Cerebrum reads external ids. */
  storedNationalId?: string | null;
}
