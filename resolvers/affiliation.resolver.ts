import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Affiliation } from '../schema/affiliation.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { ClassType } from '../schema/class.type';
import { Source } from '../schema/enums';
import type { Context } from './context';
import { UpstreamError } from '../core/errors';
import { losOf } from '../datasources/los-store/source';

@Resolver(() => Affiliation)
export class AffiliationResolver {
  @FieldResolver(() => Person)
  async person(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<Person | null> {
    if (a.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.person(a.personNativeId, (a.round ?? 0) + 1);
    if (a.source === Source.LOS) {
      const person = await losOf(ctx)?.person(a.personNativeId, a.at);
      // los_engagements.person_uuid references los_persons: a miss means the store is broken, not the request.
      if (!person) throw new Error(`LOS engagement ${a.id} refers to a person the store does not have`);
      return person;
    }
    return null;
  }

  /**
   * An affiliation whose OU answers 404 keeps the affiliation: this field is null with an error on its
   * path (specs/cerebrum-rest.md, mapping rules). LOS: the unit as it was on the day the engagement was read
   * for (or its nearest version, should the unit not exist that day).
   */
  @FieldResolver(() => OrganisationUnit, { nullable: true })
  async organisationUnit(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<OrganisationUnit | null> {
    if (a.source === Source.LOS && a.ouNativeId)
      return (await losOf(ctx)?.unitNear(a.ouNativeId, a.at ?? ctx.today)) ?? null;
    if (a.source === Source.CEREBRUM && ctx.cerebrum && a.ouNativeId) {
      const ou = await ctx.cerebrum.ou(a.ouNativeId, (a.round ?? 0) + 1);
      if (!ou) {
        const path = `/v1/ous/${a.ouNativeId}`;
        throw new UpstreamError(
          'UPSTREAM_ERROR',
          'CEREBRUM',
          `Cerebrum has no OU ${a.ouNativeId}, which affiliation ${a.status} refers to (404)`,
          {
            status: 404,
            method: 'GET',
            path,
          },
        );
      }
      return ou;
    }
    return null;
  }

  @FieldResolver(() => ClassType, {
    nullable: true,
    description: 'LOS: the Stillingsbetegnelse (facet engagement_job_function).',
  })
  async jobFunction(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<ClassType | null> {
    return a.source === Source.LOS ? ((await losOf(ctx)?.class(a.jobFunctionId)) ?? null) : null;
  }

  @FieldResolver(() => ClassType, { nullable: true, description: 'LOS: the engagement type (facet engagement_type).' })
  async engagementType(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<ClassType | null> {
    return a.source === Source.LOS ? ((await losOf(ctx)?.class(a.engagementTypeId)) ?? null) : null;
  }
}
