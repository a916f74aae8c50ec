import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Affiliation } from '../schema/affiliation.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { ClassType } from '../schema/class.type';
import { readerOf, type Context } from './context';

@Resolver(() => Affiliation)
export class AffiliationResolver {
  @FieldResolver(() => Person)
  async person(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<Person | null> {
    return (await readerOf(ctx, a.source)?.affiliationPerson?.(a)) ?? null;
  }

  /**
   * An affiliation whose OU answers 404 keeps the affiliation: this field is null with an error on its
   * path (specs/cerebrum-rest.md, mapping rules). LOS: the unit as it was on the day the engagement was read
   * for (or its nearest version, should the unit not exist that day).
   */
  @FieldResolver(() => OrganisationUnit, { nullable: true })
  async organisationUnit(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<OrganisationUnit | null> {
    return (await readerOf(ctx, a.source)?.affiliationUnit?.(a)) ?? null;
  }

  @FieldResolver(() => ClassType, {
    nullable: true,
    description: 'LOS: the Stillingsbetegnelse (facet engagement_job_function).',
  })
  async jobFunction(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<ClassType | null> {
    return (await readerOf(ctx, a.source)?.class?.(a.jobFunctionId)) ?? null;
  }

  @FieldResolver(() => ClassType, { nullable: true, description: 'LOS: the engagement type (facet engagement_type).' })
  async engagementType(@Root() a: Affiliation, @Ctx() ctx: Context): Promise<ClassType | null> {
    return (await readerOf(ctx, a.source)?.class?.(a.engagementTypeId)) ?? null;
  }
}
