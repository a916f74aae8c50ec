import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Affiliation } from '../schema/affiliation.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { ClassType } from '../schema/class.type';
import { Source } from '../schema/enums';
import type { Context } from '../server/context';
import { UpstreamError } from '../server/errors';

@Resolver(() => Affiliation)
export class AffiliationResolver {
  @FieldResolver(() => Person)
  async person(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<Person | null> {
    if (a.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.person(a.personNativeId, (a.round ?? 0) + 1);
    return null;
  }

  /**
   * An affiliation whose OU answers 404 keeps the affiliation: this field is null with an error on its
   * path (specs/cerebrum-rest.md, mapping rules).
   */
  @FieldResolver(() => OrganisationUnit, { nullable: true })
  async organisationUnit(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<OrganisationUnit | null> {
    if (a.source === Source.CEREBRUM && ctx.cerebrum && a.ouNativeId) {
      const ou = await ctx.cerebrum.ou(a.ouNativeId, (a.round ?? 0) + 1);
      if (!ou) {
        const path = `/v1/ous/${a.ouNativeId}`;
        throw new UpstreamError('UPSTREAM_ERROR', 'CEREBRUM', `Cerebrum has no OU ${a.ouNativeId}, which affiliation ${a.status} refers to (404)`, {
          status: 404, method: 'GET', path,
        });
      }
      return ou;
    }
    return null;
  }

  @FieldResolver(() => ClassType, { nullable: true })
  jobFunction(): ClassType | null {
    return null;
  }

  @FieldResolver(() => ClassType, { nullable: true })
  engagementType(): ClassType | null {
    return null;
  }
}
