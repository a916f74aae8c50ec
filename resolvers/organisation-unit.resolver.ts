import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { Affiliation } from '../schema/affiliation.type';
import { Address, Manager } from '../schema/manager.type';
import { ClassType } from '../schema/class.type';
import { DateScalar } from '../schema/scalars';
import { Source } from '../schema/enums';
import type { Context } from '../server/context';

const CEREBRUM_NO_TREE =
  'Cerebrum REST has no parent or children endpoint for OUs (GET /v1/ous/{id} only): null/[] for Cerebrum units.';

@Resolver(() => OrganisationUnit)
export class OrganisationUnitResolver {
  @FieldResolver(() => OrganisationUnit, { nullable: true, description: `The parent unit. ${CEREBRUM_NO_TREE}` })
  parent(): OrganisationUnit | null {
    return null;
  }

  @FieldResolver(() => [OrganisationUnit], { description: `Units directly below, valid on \`at\`. ${CEREBRUM_NO_TREE}` })
  children(@Arg('at', () => DateScalar, { nullable: true }) _at?: string | null): OrganisationUnit[] {
    return [];
  }

  @FieldResolver(() => ClassType, { nullable: true, description: 'LOS unit type; null for Cerebrum units.' })
  unitType(): ClassType | null {
    return null;
  }

  @FieldResolver(() => [ClassType])
  hierarchies(): ClassType[] {
    return [];
  }

  @FieldResolver(() => [Address])
  addresses(@Arg('at', () => DateScalar, { nullable: true }) _at?: string | null): Address[] {
    return [];
  }

  /**
   * Cerebrum: the affiliations held at this unit itself (not its sub-units), found with the affiliation
   * search by stedkode — one search, then each person's affiliation list (through the loaders).
   */
  @FieldResolver(() => [Affiliation])
  async affiliations(
    @Root() ou: OrganisationUnit,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Affiliation[]> {
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

  @FieldResolver(() => [Manager])
  managers(@Arg('at', () => DateScalar, { nullable: true }) _at?: string | null): Manager[] {
    return [];
  }
}
