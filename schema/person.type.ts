import { Directive, Field, ObjectType } from 'type-graphql';
import { ENTITY_KEY, Node } from './node.type';
import { Source } from './enums';
import { DateScalar } from './scalars';
import { PersonName } from './contact.type';
import type { FsPersonProfile } from './fs-person-profile';

/**
 * A person as one source knows it. Fields set here come with the person's own record; the rest
 * (contacts, affiliations, accounts, …) are field resolvers in person.resolver.ts, fetched only when asked.
 */
@Directive(ENTITY_KEY)
@ObjectType({ implements: Node })
export class Person extends Node {
  @Field(() => Source) source!: Source;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'LOS: the name (CPRNavn) without its last word; null for a one-word name.',
  })
  firstName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'LOS: the last word of the name (CPRNavn): LOS does not mark the family name.',
  })
  lastName?: string | null;
  @Field(() => DateScalar, {
    nullable: true,
    description:
      'LOS: read from the CPR number (ddmmyy, the century from yy and the 7th digit); null when that is no real date.',
  })
  birthDate?: string | null;
  @Field(() => [PersonName]) names!: PersonName[];

  /** The source's own id (Cerebrum entity_id, LOS CPR key, FS personlopenummer). Not exposed. */
  nativeId!: string;
  /** Dependency round of the response this came from (see datasources/cerebrum/loaders.ts). */
  round?: number;
  /** Round in which this person's sub-resources are requested (= round with a look-ahead, else round + 1). */
  subRound?: number;
  /** A source that stores the national id with the person (LOS) sets it here; Cerebrum reads external ids. */
  storedNationalId?: string | null;
  /** LOS: the e-mail address from the Pers files. */
  email?: string | null;
  /** FS: the person profile this person was mapped from (contacts, external ids, national id). */
  fsProfile?: FsPersonProfile;
  /** LOS: the day this person was read for, when the caller named one; the default of `affiliations(at)`. */
  at?: string | null;
}
