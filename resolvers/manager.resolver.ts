import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Manager } from '../schema/manager.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { ClassType } from '../schema/class.type';
import { readerOf, type Context } from './context';

/** Managers come from LOS (stored): a manager is the pair (unit, person) (specs/aarhus-los.md, "Manager files"). */
@Resolver(() => Manager)
export class ManagerResolver {
  @FieldResolver(() => Person, { nullable: true })
  async person(@Root() m: Manager, @Ctx() ctx: Context): Promise<Person | null> {
    return (await readerOf(ctx, m.source)?.managerPerson?.(m)) ?? null;
  }

  /** The unit as it was on the day the manager was read for. */
  @FieldResolver(() => OrganisationUnit)
  async organisationUnit(@Root() m: Manager, @Ctx() ctx: Context): Promise<OrganisationUnit> {
    const ou = await readerOf(ctx, m.source)?.managerUnit?.(m);
    if (!ou) throw new Error(`organisation unit ${m.ouNativeId} of a manager is not in the store`);
    return ou;
  }

  @FieldResolver(() => ClassType, { nullable: true, description: 'LOS: Ledertype (facet manager_type).' })
  async managerType(@Root() m: Manager, @Ctx() ctx: Context): Promise<ClassType | null> {
    return (await readerOf(ctx, m.source)?.class?.(m.managerTypeId)) ?? null;
  }

  @FieldResolver(() => ClassType, { nullable: true, description: 'LOS: Lederniveau (facet manager_level).' })
  async level(@Root() m: Manager, @Ctx() ctx: Context): Promise<ClassType | null> {
    return (await readerOf(ctx, m.source)?.class?.(m.levelId)) ?? null;
  }

  @FieldResolver(() => [ClassType], { description: 'LOS: Lederansvar (facet responsibility).' })
  async responsibilities(@Root() m: Manager, @Ctx() ctx: Context): Promise<ClassType[]> {
    // A source with a class list keeps the ids (LOS); another one gives the classes with the manager.
    const reader = readerOf(ctx, m.source);
    const byId = reader?.class?.bind(reader);
    if (!byId) return m.responsibilities ?? [];
    const classes = await Promise.all((m.responsibilityIds ?? []).map((id) => byId(id)));
    return classes.filter((c): c is ClassType => c !== null);
  }
}
