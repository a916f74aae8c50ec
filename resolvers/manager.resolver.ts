import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Manager } from '../schema/manager.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { ClassType } from '../schema/class.type';
import { Source } from '../schema/enums';
import type { Context } from './context';
import { losOf } from '../datasources/los-store/source';

/** Managers come from LOS (stored): a manager is the pair (unit, person) (specs/aarhus-los.md, "Manager files"). */
@Resolver(() => Manager)
export class ManagerResolver {
  @FieldResolver(() => Person, { nullable: true })
  async person(@Root() m: Manager, @Ctx() ctx: Context): Promise<Person | null> {
    if (m.source !== Source.LOS || !m.personNativeId) return null;
    return (await losOf(ctx)?.person(m.personNativeId, m.at)) ?? null;
  }

  /** The unit as it was on the day the manager was read for. */
  @FieldResolver(() => OrganisationUnit)
  async organisationUnit(@Root() m: Manager, @Ctx() ctx: Context): Promise<OrganisationUnit> {
    const ou = m.source === Source.LOS ? await losOf(ctx)?.unitNear(m.ouNativeId, m.at ?? ctx.today) : undefined;
    if (!ou) throw new Error(`organisation unit ${m.ouNativeId} of a manager is not in the store`);
    return ou;
  }

  @FieldResolver(() => ClassType, { nullable: true, description: 'LOS: Ledertype (facet manager_type).' })
  async managerType(@Root() m: Manager, @Ctx() ctx: Context): Promise<ClassType | null> {
    return m.source === Source.LOS ? ((await losOf(ctx)?.class(m.managerTypeId)) ?? null) : null;
  }

  @FieldResolver(() => ClassType, { nullable: true, description: 'LOS: Lederniveau (facet manager_level).' })
  async level(@Root() m: Manager, @Ctx() ctx: Context): Promise<ClassType | null> {
    return m.source === Source.LOS ? ((await losOf(ctx)?.class(m.levelId)) ?? null) : null;
  }

  @FieldResolver(() => [ClassType], { description: 'LOS: Lederansvar (facet responsibility).' })
  async responsibilities(@Root() m: Manager, @Ctx() ctx: Context): Promise<ClassType[]> {
    if (m.source !== Source.LOS) return m.responsibilities ?? [];
    const los = losOf(ctx);
    if (!los) return [];
    const classes = await Promise.all((m.responsibilityIds ?? []).map((id) => los.class(id)));
    return classes.filter((c): c is ClassType => c !== null);
  }
}
