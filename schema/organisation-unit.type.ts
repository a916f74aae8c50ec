import { Directive, Field, ObjectType } from 'type-graphql';
import { ENTITY_KEY, Node } from './node.type';
import { Source } from './enums';
import { DateScalar } from './scalars';
import { Contact } from './contact.type';

@Directive(ENTITY_KEY)
@ObjectType({ implements: Node })
export class OrganisationUnit extends Node {
  @Field(() => Source) source!: Source;
  @Field(() => String, { nullable: true }) userKey?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) acronym?: string | null;
  @Field(() => String, { nullable: true, description: "Cerebrum six-digit stedkode, e.g. '330000'." }) stedkode?:
    string | null;
  @Field(() => [Contact]) contacts!: Contact[];
  @Field(() => DateScalar, { nullable: true }) validFrom?: string | null;
  @Field(() => DateScalar, { nullable: true }) validTo?: string | null;

  nativeId!: string;
  round?: number;
  /** Native id of the parent unit, when the source knows it (LOS). */
  parentNativeId?: string | null;
  /**
   * LOS: the day this unit was read for, when the caller named one (`organisationUnit(at:)`,
   * `organisationUnits(filter: {at})`, a parent's `children(at:)`); the default of the dated sub-fields.
   */
  at?: string | null;
  /** LOS: class uuid of the unit type (facet org_unit_type). */
  unitTypeId?: string | null;
  /** LOS: `Med-i-LinjeOrg` — the unit is in the Linjeorganisation hierarchy. */
  lineOrg?: boolean;
  /** LOS: this version's addresses as stored (jsonb keyed by address-class user_key). */
  addressData?: Record<string, unknown>;
}
