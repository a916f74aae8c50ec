import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Person } from '../schema/person.type';
import { Contact, ExternalId } from '../schema/contact.type';
import { Affiliation } from '../schema/affiliation.type';
import { Account } from '../schema/account.type';
import { StudyRight } from '../schema/study-right.type';
import { DateScalar } from '../schema/scalars';
import { readerOf, type Context } from './context';
import type { SourceReader } from '../datasources/index';
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

/**
 * Reads the persons' linked sources (the person's module's `linkedByNationalId`) by its national id. The
 * national id a source stores with the person is checked first (no id: nothing to look up, nothing to warn
 * about); one the source must read is read only when a linked source is enabled, so a disabled one costs no
 * upstream request, only its SOURCE_DISABLED warning.
 */
async function viaNationalId<T>(
  ctx: Context,
  p: Person,
  read: (linked: SourceReader, nationalId: string) => Promise<T[]> | undefined,
): Promise<T[]> {
  const m = ctx.sources.moduleOf(p.source);
  const own = readerOf(ctx, p.source);
  if (!m?.linkedByNationalId?.length) return [];
  const stored = !own?.nationalId;
  if (stored && !p.storedNationalId) return [];
  const out: T[] = [];
  for (const prefix of m.linkedByNationalId) {
    const linked = ctx.sources.get(prefix);
    if (!linked) continue;
    const nid = stored ? p.storedNationalId : await own?.nationalId?.(p);
    if (!nid) continue;
    out.push(...(await crossSource(ctx, [], async () => (await read(linked, nid)) ?? [])));
  }
  return out;
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Needs scope pii; null without it.' })
  async nationalId(@Root() p: Person, @Ctx() ctx: Context): Promise<string | null> {
    // No error without pii: the contract says the field is simply null then.
    if (!ctx.scopes.has('pii')) return null;
    const reader = readerOf(ctx, p.source);
    if (reader?.nationalId) return reader.nationalId(p);
    return p.storedNationalId ?? null;
  }

  @FieldResolver(() => [Contact], { description: 'LOS: the e-mail address from the Pers files (type EMAIL).' })
  async contacts(@Root() p: Person, @Ctx() ctx: Context): Promise<Contact[]> {
    return (await readerOf(ctx, p.source)?.contacts?.(p)) ?? [];
  }

  @FieldResolver(() => [ExternalId], { description: EXTERNAL_IDS })
  async externalIds(@Root() p: Person, @Ctx() ctx: Context): Promise<ExternalId[]> {
    const ids = (await readerOf(ctx, p.source)?.externalIds?.(p)) ?? [];
    // Without pii a national id is left out, not masked (core/national-ids.ts decides which entries are).
    return ctx.scopes.has('pii') ? ids : withoutNationalIds(ids);
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
    return (await readerOf(ctx, p.source)?.affiliations?.(p, at)) ?? [];
  }

  @FieldResolver(() => [Account], { description: 'Every account, expired ones included (active: false).' })
  async accounts(@Root() p: Person, @Ctx() ctx: Context): Promise<Account[]> {
    return (await readerOf(ctx, p.source)?.accounts?.(p)) ?? [];
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The account flagged primary, or null when none is.' })
  async primaryAccount(@Root() p: Person, @Ctx() ctx: Context): Promise<Account | null> {
    return ((await readerOf(ctx, p.source)?.accounts?.(p)) ?? []).find((a) => a.primary) ?? null;
  }

  @FieldResolver(() => [StudyRight], { description: STUDY_RIGHTS })
  async studyRights(@Root() p: Person, @Ctx() ctx: Context): Promise<StudyRight[]> {
    const own = readerOf(ctx, p.source);
    if (own?.studyRights) return own.studyRights(p);
    return viaNationalId(ctx, p, (linked, nid) => linked.studyRightsByNationalId?.(nid));
  }

  @FieldResolver(() => [Person], { description: SAME_AS })
  async sameAs(@Root() p: Person, @Ctx() ctx: Context): Promise<Person[]> {
    return viaNationalId(ctx, p, (linked, nid) => linked.personsByNationalId?.(nid));
  }
}
