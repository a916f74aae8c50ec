import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { Affiliation } from '../schema/affiliation.type';
import { Address, Manager } from '../schema/manager.type';
import { ClassType } from '../schema/class.type';
import { DateScalar } from '../schema/scalars';
import { readerOf, type Context } from './context';

const CEREBRUM_NO_TREE =
  'Cerebrum REST has no parent or children endpoint for OUs (GET /v1/ous/{id} only): null/[] for Cerebrum units.';
const LOS_AT =
  'For LOS units `at` defaults to the day this unit was read for (organisationUnit(at:), organisationUnits(filter: {at}), ' +
  "the parent's children(at:)), else today in TZ.";

/** The reader of the unit's source; a source without a method for a field answers null or [] for it. */
const readerFor = (ou: OrganisationUnit, ctx: Context) => readerOf(ctx, ou.source);

@Resolver(() => OrganisationUnit)
export class OrganisationUnitResolver {
  @FieldResolver(() => OrganisationUnit, {
    nullable: true,
    description: `The parent unit; null for a root. LOS: the parent as it was while this version of the unit was valid. ${CEREBRUM_NO_TREE}`,
  })
  async parent(@Root() ou: OrganisationUnit, @Ctx() ctx: Context): Promise<OrganisationUnit | null> {
    return (await readerFor(ou, ctx)?.parent?.(ou)) ?? null;
  }

  @FieldResolver(() => [OrganisationUnit], {
    description: `Units directly below, valid on \`at\`, by name. ${LOS_AT} ${CEREBRUM_NO_TREE}`,
  })
  async children(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<OrganisationUnit[]> {
    return (await readerFor(ou, ctx)?.children?.(ou, at)) ?? [];
  }

  @FieldResolver(() => ClassType, {
    nullable: true,
    description: 'LOS unit type (a class of facet org_unit_type); null for Cerebrum units.',
  })
  async unitType(@Root() ou: OrganisationUnit, @Ctx() ctx: Context): Promise<ClassType | null> {
    return (await readerFor(ou, ctx)?.unitType?.(ou)) ?? null;
  }

  @FieldResolver(() => [ClassType], {
    description:
      'LOS: the hierarchies (facet org_unit_hierarchy) the unit is in — Linjeorganisation when the LOS file says Med-i-LinjeOrg. [] for Cerebrum units.',
  })
  async hierarchies(@Root() ou: OrganisationUnit, @Ctx() ctx: Context): Promise<ClassType[]> {
    return (await readerFor(ou, ctx)?.hierarchies?.(ou)) ?? [];
  }

  @FieldResolver(() => [Address], {
    description:
      'LOS: the addresses (LOS ID, CVR, EAN, P-nummer, SE-nummer, IntDebitor-Nr, Magkort, Postadresse with its DAR id) of the unit ' +
      "version valid on `at`; without `at`, those of this very version. from/to are that version's validity. [] for Cerebrum units.",
  })
  async addresses(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Address[]> {
    return (await readerFor(ou, ctx)?.addresses?.(ou, at)) ?? [];
  }

  /**
   * Cerebrum: the affiliations held at this unit itself (not its sub-units), found with the affiliation
   * search by stedkode — one search, then each person's affiliation list (through the loaders).
   * LOS: the engagements at the unit.
   */
  @FieldResolver(() => [Affiliation], {
    description: `Affiliations held at this unit itself (not its sub-units), valid on \`at\`. LOS: the engagements (kind ENGAGEMENT). ${LOS_AT}`,
  })
  async affiliations(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Affiliation[]> {
    return (await readerFor(ou, ctx)?.unitAffiliations?.(ou, at)) ?? [];
  }

  @FieldResolver(() => [Manager], {
    description: `LOS: the managers of this unit valid on \`at\`. ${LOS_AT} [] for Cerebrum units.`,
  })
  async managers(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Manager[]> {
    return (await readerFor(ou, ctx)?.managers?.(ou, at)) ?? [];
  }
}
