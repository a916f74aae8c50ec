import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Manager } from '../schema/manager.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { ClassType } from '../schema/class.type';
import type { Context } from '../server/context';

/** Managers come from LOS (stored); the LOS issue wires these to the store. */
@Resolver(() => Manager)
export class ManagerResolver {
  @FieldResolver(() => Person, { nullable: true })
  person(@Root() _m: Manager, @Ctx() _ctx: Context): Person | null {
    return null;
  }

  @FieldResolver(() => OrganisationUnit)
  organisationUnit(@Root() m: Manager): OrganisationUnit {
    throw new Error(`organisation unit ${m.ouNativeId} of a manager cannot be resolved yet`);
  }

  @FieldResolver(() => ClassType, { nullable: true })
  managerType(): ClassType | null {
    return null;
  }

  @FieldResolver(() => ClassType, { nullable: true })
  level(): ClassType | null {
    return null;
  }
}
