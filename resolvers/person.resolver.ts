import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Person } from '../schema/person.type';
import { Contact, ExternalId } from '../schema/contact.type';
import { Affiliation } from '../schema/affiliation.type';
import { Account } from '../schema/account.type';
import { StudyRight } from '../schema/study-right.type';
import { DateScalar } from '../schema/scalars';
import { Source } from '../schema/enums';
import type { Context } from '../server/context';

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Needs scope pii; null without it.' })
  async nationalId(@Root() p: Person, @Ctx() ctx: Context): Promise<string | null> {
    // No error without pii: the contract says the field is simply null then.
    if (!ctx.scopes.has('pii')) return null;
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.nationalId(p);
    return p.storedNationalId ?? null;
  }

  @FieldResolver(() => [Contact])
  async contacts(@Root() p: Person, @Ctx() ctx: Context): Promise<Contact[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.contacts(p);
    return [];
  }

  @FieldResolver(() => [ExternalId])
  async externalIds(@Root() p: Person, @Ctx() ctx: Context): Promise<ExternalId[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.externalIds(p);
    return [];
  }

  @FieldResolver(() => [Affiliation], { description: 'Affiliations valid on `at` (default: today in TZ).' })
  async affiliations(
    @Root() p: Person,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Affiliation[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.affiliations(p, at ?? ctx.today, ctx.today);
    return [];
  }

  @FieldResolver(() => [Account], { description: 'Every account, expired ones included (active: false).' })
  async accounts(@Root() p: Person, @Ctx() ctx: Context): Promise<Account[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.accounts(p);
    return [];
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The account flagged primary, or null when none is.' })
  async primaryAccount(@Root() p: Person, @Ctx() ctx: Context): Promise<Account | null> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return (await ctx.cerebrum.accounts(p)).find((a) => a.primary) ?? null;
    return null;
  }

  @FieldResolver(() => [StudyRight], { description: 'FS study rights (studieretter), when FS is enabled.' })
  studyRights(): StudyRight[] {
    return [];
  }

  @FieldResolver(() => [Person], { description: 'The same person in the other enabled sources, matched by national id.' })
  sameAs(): Person[] {
    return [];
  }
}
