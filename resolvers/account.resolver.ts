import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Account } from '../schema/account.type';
import { Person } from '../schema/person.type';
import { DateScalar, DateTimeScalar } from '../schema/scalars';
import type { Context } from './context';
import { dateOf } from '../datasources/cerebrum/mapping';
import type { RawAccount } from '../datasources/cerebrum/types';
import { naiveToInstant } from '../core/time';

/** Every detail field reads the same `/v1/accounts/{name}` answer through the loader: one request per account. */
async function details(a: Account, ctx: Context): Promise<RawAccount | null> {
  return ctx.cerebrum ? ctx.cerebrum.accountDetails(a) : null;
}

@Resolver(() => Account)
export class AccountResolver {
  @FieldResolver(() => String, { nullable: true })
  async primaryEmail(@Root() a: Account, @Ctx() ctx: Context): Promise<string | null> {
    return (await details(a, ctx))?.primary_email ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'False for an expired account (or one Cerebrum no longer has).' })
  async active(@Root() a: Account, @Ctx() ctx: Context): Promise<boolean> {
    const d = await details(a, ctx);
    if (!d) return false;
    if (typeof d.active === 'boolean') return d.active;
    return d.expire_date == null || dateOf(d.expire_date)! >= ctx.today;
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description: "Cerebrum's naive datetime read in the configured time zone (TZ).",
  })
  async createdAt(@Root() a: Account, @Ctx() ctx: Context): Promise<Date | null> {
    const d = await details(a, ctx);
    const v = d?.created_at ?? d?.create_date; // seed 002's older servers say create_date
    return v ? naiveToInstant(v, ctx.config.tz) : null;
  }

  @FieldResolver(() => DateScalar, { nullable: true })
  async expireDate(@Root() a: Account, @Ctx() ctx: Context): Promise<string | null> {
    return dateOf((await details(a, ctx))?.expire_date);
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: 'The owning person; null for an account owned by a group.',
  })
  async owner(@Root() a: Account, @Ctx() ctx: Context): Promise<Person | null> {
    const d = await details(a, ctx);
    if (!d?.owner || d.owner.type !== 'person' || !ctx.cerebrum) return null;
    return ctx.cerebrum.person(String(d.owner.id), (a.round ?? 0) + 2);
  }

  @FieldResolver(() => [String])
  async contexts(@Root() a: Account, @Ctx() ctx: Context): Promise<string[]> {
    return (await details(a, ctx))?.contexts ?? [];
  }
}
