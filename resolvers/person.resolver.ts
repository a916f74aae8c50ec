import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Person } from '../schema/person.type';
import { Contact, ExternalId } from '../schema/contact.type';
import { Affiliation } from '../schema/affiliation.type';
import { Account } from '../schema/account.type';
import { StudyRight } from '../schema/study-right.type';
import { DateScalar } from '../schema/scalars';
import { Source } from '../schema/enums';
import type { Context } from '../server/context';
import { losOf } from '../datasources/los-store/source';

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Needs scope pii; null without it.' })
  async nationalId(@Root() p: Person, @Ctx() ctx: Context): Promise<string | null> {
    // No error without pii: the contract says the field is simply null then.
    if (!ctx.scopes.has('pii')) return null;
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.nationalId(p);
    return p.storedNationalId ?? null;
  }

  @FieldResolver(() => [Contact], { description: 'LOS: the e-mail address from the Pers files (type EMAIL).' })
  async contacts(@Root() p: Person, @Ctx() ctx: Context): Promise<Contact[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.contacts(p);
    if (p.source === Source.LOS) return losOf(ctx)?.contacts(p) ?? [];
    return [];
  }

  @FieldResolver(() => [ExternalId], { description: "LOS: the AZ user name (AZID) of the person's engagements as type AZ, newest first." })
  async externalIds(@Root() p: Person, @Ctx() ctx: Context): Promise<ExternalId[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.externalIds(p);
    if (p.source === Source.LOS) return (await losOf(ctx)?.externalIds(p)) ?? [];
    return [];
  }

  @FieldResolver(() => [Affiliation], {
    description:
      'Affiliations valid on `at` (default: today in TZ). LOS: the engagements (kind ENGAGEMENT), primary first; `at` defaults to ' +
      'the day the person was read for (persons(filter: {organisationUnit, at}), an engagement read for a day), else today.',
  })
  async affiliations(
    @Root() p: Person,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true }) at?: string | null,
  ): Promise<Affiliation[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.affiliations(p, at ?? ctx.today, ctx.today);
    if (p.source === Source.LOS) return (await losOf(ctx)?.engagementsOfPerson(p.nativeId, at ?? p.at ?? ctx.today)) ?? [];
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
