import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { Affiliation } from '../schema/affiliation.type';
import { Address, Manager } from '../schema/manager.type';
import { ClassType } from '../schema/class.type';
import { DateScalar } from '../schema/scalars';
import { Source } from '../schema/enums';
import type { Context } from './context';
import { losOf } from '../datasources/los-store/source';

const CEREBRUM_NO_TREE =
  'Cerebrum REST has no parent or children endpoint for OUs (GET /v1/ous/{id} only): null/[] for Cerebrum units.';
const LOS_AT =
  'For LOS units `at` defaults to the day this unit was read for (organisationUnit(at:), organisationUnits(filter: {at}), ' +
  "the parent's children(at:)), else today in TZ.";

/** The day a dated LOS sub-field of a unit is read for (see LOS_AT). */
const dayOf = (ou: OrganisationUnit, at: string | null | undefined, ctx: Context) => at ?? ou.at ?? ctx.today;

/** The LOS reader for a LOS unit; undefined for a unit of another source. */
const losFor = (ou: OrganisationUnit, ctx: Context) => (ou.source === Source.LOS ? losOf(ctx) : undefined);

@Resolver(() => OrganisationUnit)
export class OrganisationUnitResolver {
  @FieldResolver(() => OrganisationUnit, {
    nullable: true,
    description: `The parent unit; null for a root. LOS: the parent as it was while this version of the unit was valid. ${CEREBRUM_NO_TREE}`,
  })
  async parent(@Root() ou: OrganisationUnit, @Ctx() ctx: Context): Promise<OrganisationUnit | null> {
    return (await losFor(ou, ctx)?.parent(ou, ctx.today)) ?? null;
  }

  @FieldResolver(() => [OrganisationUnit], {
    description: `Units directly below, valid on \`at\`, by name. ${LOS_AT} ${CEREBRUM_NO_TREE}`,
  })
  async children(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<OrganisationUnit[]> {
    return (await losFor(ou, ctx)?.children(ou.nativeId, dayOf(ou, at, ctx))) ?? [];
  }

  @FieldResolver(() => ClassType, {
    nullable: true,
    description: 'LOS unit type (a class of facet org_unit_type); null for Cerebrum units.',
  })
  async unitType(@Root() ou: OrganisationUnit, @Ctx() ctx: Context): Promise<ClassType | null> {
    return (await losFor(ou, ctx)?.unitType(ou)) ?? null;
  }

  @FieldResolver(() => [ClassType], {
    description:
      'LOS: the hierarchies (facet org_unit_hierarchy) the unit is in — Linjeorganisation when the LOS file says Med-i-LinjeOrg. [] for Cerebrum units.',
  })
  async hierarchies(@Root() ou: OrganisationUnit, @Ctx() ctx: Context): Promise<ClassType[]> {
    return (await losFor(ou, ctx)?.hierarchies(ou)) ?? [];
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
    return (await losFor(ou, ctx)?.addresses(ou, at)) ?? [];
  }

  /**
   * Cerebrum: the affiliations held at this unit itself (not its sub-units), found with the affiliation
   * search by stedkode — one search, then each person's affiliation list (through the loaders).
   */
  @FieldResolver(() => [Affiliation], {
    description: `Affiliations held at this unit itself (not its sub-units), valid on \`at\`. LOS: the engagements (kind ENGAGEMENT). ${LOS_AT}`,
  })
  async affiliations(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Affiliation[]> {
    if (ou.source === Source.LOS) return (await losOf(ctx)?.engagementsAtUnit(ou.nativeId, dayOf(ou, at, ctx))) ?? [];
    if (ou.source !== Source.CEREBRUM || !ctx.cerebrum || !ou.stedkode) return [];
    const cerebrum = ctx.cerebrum;
    const round = (ou.round ?? 0) + 1;
    const ids = await cerebrum.searchPersonIds({ location: ou.stedkode }, round);
    const day = at ?? ctx.today;
    const lists = await Promise.all(
      ids.map((id) => cerebrum.affiliations({ nativeId: id, round: round + 1 }, day, ctx.today)),
    );
    return lists.flat().filter((a) => a.ouNativeId === ou.nativeId);
  }

  @FieldResolver(() => [Manager], {
    description: `LOS: the managers of this unit valid on \`at\`. ${LOS_AT} [] for Cerebrum units.`,
  })
  async managers(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Manager[]> {
    return (await losFor(ou, ctx)?.managersAtUnit(ou.nativeId, dayOf(ou, at, ctx))) ?? [];
  }
}
