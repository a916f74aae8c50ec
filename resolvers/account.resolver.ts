import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Account } from '../schema/account.type';
import { Person } from '../schema/person.type';
import { DateScalar, DateTimeScalar } from '../schema/scalars';
import type { Context } from './context';
import type { AccountDetails, SourceReader } from '../datasources/index';
import { naiveToInstant } from '../core/time';
import { parseSourceId } from './source-ids';

/** The reader of the account's source (its global id's prefix). */
function readerFor(a: Account, ctx: Context): SourceReader | undefined {
  return ctx.sources.peek(parseSourceId(ctx, a.id).source);
}

/** Every detail field reads the same account record through the source's loader: one request per account. */
async function details(a: Account, ctx: Context): Promise<AccountDetails | null> {
  return (await readerFor(a, ctx)?.accountDetails?.(a)) ?? null;
}

@Resolver(() => Account)
export class AccountResolver {
  @FieldResolver(() => String, { nullable: true })
  async primaryEmail(@Root() a: Account, @Ctx() ctx: Context): Promise<string | null> {
    return (await details(a, ctx))?.primaryEmail ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'False for an expired account (or one Cerebrum no longer has).' })
  async active(@Root() a: Account, @Ctx() ctx: Context): Promise<boolean> {
    return (await details(a, ctx))?.active ?? false;
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description: "Cerebrum's naive datetime read in the configured time zone (TZ).",
  })
  async createdAt(@Root() a: Account, @Ctx() ctx: Context): Promise<Date | null> {
    const v = (await details(a, ctx))?.createdAt;
    return v ? naiveToInstant(v, ctx.config.tz) : null;
  }

  @FieldResolver(() => DateScalar, { nullable: true })
  async expireDate(@Root() a: Account, @Ctx() ctx: Context): Promise<string | null> {
    return (await details(a, ctx))?.expireDate ?? null;
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: 'The owning person; null for an account owned by a group.',
  })
  async owner(@Root() a: Account, @Ctx() ctx: Context): Promise<Person | null> {
    const owner = (await details(a, ctx))?.ownerPersonId;
    if (!owner) return null;
    return (await readerFor(a, ctx)?.accountOwner?.(a, owner)) ?? null;
  }

  @FieldResolver(() => [String])
  async contexts(@Root() a: Account, @Ctx() ctx: Context): Promise<string[]> {
    return (await details(a, ctx))?.contexts ?? [];
  }
}
