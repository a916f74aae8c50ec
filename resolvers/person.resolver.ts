import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Person } from '../schema/person.type';
import { Contact, ExternalId } from '../schema/contact.type';
import { Affiliation } from '../schema/affiliation.type';
import { Account } from '../schema/account.type';
import { StudyRight } from '../schema/study-right.type';
import { DateScalar } from '../schema/scalars';
import { Source } from '../schema/enums';
import { warnSourceDisabled, type Context } from './context';
import { losOf } from '../datasources/los-store/source';
import { fsOf } from '../datasources/fs/source';
import { mapFsContacts, mapFsExternalIds, mapFsPerson, mapFsStudyRight } from '../datasources/fs/mapping';
import { UpstreamError } from '../core/errors';
import { withoutNationalIds } from '../core/national-ids';

const STUDY_RIGHTS =
  'FS study rights (studieretter), active or not, when FS is enabled. FS persons: their own. Cerebrum persons: those of the FS ' +
  'person with the same national id (read from Cerebrum, then looked up in FS). [] for LOS persons. When FS fails for a Cerebrum ' +
  'person the list is [] and extensions.warnings says why (the Cerebrum answer stays intact).';
const EXTERNAL_IDS =
  'Ids of the person in other systems. National ids (fødselsnummer, CPR, passport number) only with scope pii: without it ' +
  "they are left out. LOS: the AZ user name (AZID) of the person's engagements as type AZ, newest first.";
const SAME_AS =
  'The same person in the other enabled sources, matched by national id. Cerebrum person → the FS person with its ' +
  'fødselsnummer (batched FS look-up); FS person → the Cerebrum persons with its fødselsnummer (one Cerebrum search per ' +
  'person: Cerebrum has no batch search). A failing other source gives [] and a warning instead of an error.';

/**
 * Reads another source for a person of this one (Cerebrum ↔ FS). Such a read is an enrichment: when it fails,
 * the person's own data must still be answered, so the failure becomes a warning (same vocabulary) and [].
 */
async function crossSource<T>(ctx: Context, fallback: T, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (!(e instanceof UpstreamError)) throw e;
    ctx.warnings.set(`${e.code}:${e.source}:cross-source`, { code: e.code, source: e.source, message: e.message });
    return fallback;
  }
}

/** Cerebrum's external-id search answers per request once per national id (no batch endpoint exists). */
const cerebrumSearches = new WeakMap<Context, Map<string, Promise<string[]>>>();
function cerebrumIdsByNationalId(ctx: Context, nationalId: string): Promise<string[]> {
  let memo = cerebrumSearches.get(ctx);
  if (!memo) cerebrumSearches.set(ctx, (memo = new Map()));
  let ids = memo.get(nationalId);
  if (!ids) memo.set(nationalId, (ids = ctx.cerebrum!.personIdsByNationalId(nationalId)));
  return ids;
}

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
    if (p.source === Source.FS && p.fsProfile) return mapFsContacts(p.fsProfile);
    return [];
  }

  @FieldResolver(() => [ExternalId], { description: EXTERNAL_IDS })
  async externalIds(@Root() p: Person, @Ctx() ctx: Context): Promise<ExternalId[]> {
    const ids = await this.allExternalIds(p, ctx);
    // Without pii a national id is left out, not masked (core/national-ids.ts decides which entries are).
    return ctx.scopes.has('pii') ? ids : withoutNationalIds(ids);
  }

  private async allExternalIds(p: Person, ctx: Context): Promise<ExternalId[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.externalIds(p);
    if (p.source === Source.LOS) return (await losOf(ctx)?.externalIds(p)) ?? [];
    if (p.source === Source.FS && p.fsProfile) {
      // The student numbers come with the study rights (one batched FS call, shared with studyRights).
      const rights = ctx.fs ? await ctx.fs.studyRightsOf(p.nativeId) : [];
      return mapFsExternalIds(
        p.fsProfile,
        rights.flatMap((r) => (r.studentNumber ? [r.studentNumber] : [])),
      );
    }
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
    if (p.source === Source.LOS)
      return (await losOf(ctx)?.engagementsOfPerson(p.nativeId, at ?? p.at ?? ctx.today)) ?? [];
    return [];
  }

  @FieldResolver(() => [Account], { description: 'Every account, expired ones included (active: false).' })
  async accounts(@Root() p: Person, @Ctx() ctx: Context): Promise<Account[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) return ctx.cerebrum.accounts(p);
    return [];
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The account flagged primary, or null when none is.' })
  async primaryAccount(@Root() p: Person, @Ctx() ctx: Context): Promise<Account | null> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum)
      return (await ctx.cerebrum.accounts(p)).find((a) => a.primary) ?? null;
    return null;
  }

  @FieldResolver(() => [StudyRight], { description: STUDY_RIGHTS })
  async studyRights(@Root() p: Person, @Ctx() ctx: Context): Promise<StudyRight[]> {
    if (p.source === Source.FS) {
      const fs = fsOf(ctx);
      return fs ? (await fs.studyRightsOf(p.nativeId)).map(mapFsStudyRight) : [];
    }
    if (p.source !== Source.CEREBRUM || !ctx.cerebrum) return [];
    const fs = fsOf(ctx);
    if (!fs) return [];
    const nid = await ctx.cerebrum.nationalId(p);
    if (!nid) return [];
    return crossSource(ctx, [], async () => {
      const fsPerson = await fs.personByNationalId(nid);
      return fsPerson ? (await fs.studyRightsOf(fsPerson.personNumber)).map(mapFsStudyRight) : [];
    });
  }

  @FieldResolver(() => [Person], { description: SAME_AS })
  async sameAs(@Root() p: Person, @Ctx() ctx: Context): Promise<Person[]> {
    if (p.source === Source.CEREBRUM && ctx.cerebrum) {
      const fs = fsOf(ctx);
      if (!fs) return [];
      const nid = await ctx.cerebrum.nationalId(p);
      if (!nid) return [];
      return crossSource(ctx, [], async () => {
        const fsPerson = await fs.personByNationalId(nid);
        return fsPerson ? [mapFsPerson(fsPerson)] : [];
      });
    }
    if (p.source === Source.FS) {
      const nid = p.storedNationalId;
      if (!nid) return [];
      const cerebrum = ctx.cerebrum;
      if (!cerebrum) {
        warnSourceDisabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
        return [];
      }
      return crossSource(ctx, [], async () => {
        const ids = await cerebrumIdsByNationalId(ctx, nid);
        // The search answered round 1; the person records are round 2.
        const persons = await Promise.all(ids.map((id) => cerebrum.person(id, 2)));
        return persons.filter((x): x is Person => x !== null);
      });
    }
    return [];
  }
}
