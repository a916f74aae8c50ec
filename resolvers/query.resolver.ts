import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { Node } from '../schema/node.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { Account } from '../schema/account.type';
import { ClassType, Facet, ItSystem } from '../schema/class.type';
import { DateScalar } from '../schema/scalars';
import {
  ClassConnection,
  OrganisationUnitConnection,
  PersonConnection,
  pageOf,
  type Connection,
} from '../schema/connections';
import { OrganisationUnitFilter, PersonFilter } from '../schema/filters.input';
import { Source } from '../schema/enums';
import { mapAccountRef } from '../datasources/cerebrum/mapping';
import type { PersonPrefetch } from '../datasources/cerebrum/source';
import { requireScope, warnSourceDisabled, type Context } from './context';
import { parseGlobalId } from '../core/ids';
import { selectedFields } from './selection';
import { badInput } from '../core/errors';
import { cursorCodec } from '../core/cursor';
import { isNationalIdValue } from '../core/national-ids';
import { toSyncJob } from './sync.resolver';
import { losOf, normaliseUuid } from '../datasources/los-store/source';
import { fsOf } from '../datasources/fs/source';
import { mapFsPerson, mapFsUnit } from '../datasources/fs/mapping';

/**
 * Which person sub-resources a selection will need, so they load in the same round as the person. With FS
 * enabled, studyRights and sameAs need the national id (an external id) to find the FS person. Without scope
 * pii, `nationalId` answers null: its external ids are not fetched for it.
 */
export function personPrefetch(fields: Set<string>, fsEnabled = false, pii = false): PersonPrefetch {
  return {
    contacts: fields.has('contacts'),
    externalIds:
      fields.has('externalIds') ||
      (pii && fields.has('nationalId')) ||
      (fsEnabled && (fields.has('studyRights') || fields.has('sameAs'))),
    affiliations: fields.has('affiliations'),
    accounts: fields.has('accounts') || fields.has('primaryAccount'),
  };
}

/** Our cursor for an FS cursor (core/cursor.ts): tells a cursor of another listing apart (bad input) before FS sees it. */
const FS_CURSOR = cursorCodec('fs_person', {
  is: (v): v is string => typeof v === 'string',
  invalid: () => '"after" is not a cursor of persons(filter: {source: FS})',
});
const wrapFsCursor = (c: string) => FS_CURSOR.encode(c);
function unwrapFsCursor(c: string | null | undefined): string | null {
  if (c == null) return null;
  return FS_CURSOR.decode(c);
}

function checkFirst(first: number): void {
  if (first < 0 || first > 500) throw badInput(`"first" must be between 0 and 500, got ${first}`);
}

/** The uuid of a LOS unit's global id given as a filter value; bad input for anything else. */
function losUnitUuid(id: string, what: string): string {
  const parsed = parseGlobalId(id);
  const uuid = parsed.source === 'los' && parsed.type === '' ? normaliseUuid(parsed.nativeId) : undefined;
  if (!uuid) throw badInput(`${what} "${id}" is not a LOS unit (expected "los:<uuid>")`);
  return uuid;
}

const ORGANISATION_UNIT_VERSION =
  'LOS units have versions (a rename or a move starts a new one). With `at`: the version valid that day, or null when the ' +
  'unit did not exist then. Without: the version valid today (TZ); if none is, the latest version that ended before today; ' +
  'if none did, the earliest that starts after today. `at` is ignored for Cerebrum units.';

const PERSONS_DESCRIPTION =
  'Persons of one source. An omitted `source` means the source of `filter.organisationUnit` when one is given, else ' +
  'CEREBRUM when Cerebrum is enabled, else LOS. LOS: by name then id; `organisationUnit` gives the persons with an ' +
  'engagement valid on `at` (default today) at that unit itself — not its sub-units; without it, every LOS person ' +
  '(`at` is then not a filter); `name` is a case-insensitive substring of the full name. Cerebrum: see the filter rules ' +
  'of the affiliation search (no name filter). FS: persons by FS person number; `organisationUnit` a Cerebrum unit (its ' +
  'stedkode) or "fs:ou:<stedkode>" gives the persons with a study right in a programme of, a teaching posting at, or employment ' +
  'at that stedkode itself; `name` a case-insensitive substring of the full name; `at` is ignored.';

/** persons() without a source: the unit's source when filtering by unit, else Cerebrum when enabled, else LOS. */
function defaultPersonSource(ctx: Context, filter: PersonFilter | null | undefined): Source {
  if (filter?.organisationUnit != null) {
    const unitSource = parseGlobalId(filter.organisationUnit).source;
    if (unitSource === 'los') return Source.LOS;
    if (unitSource === 'cerebrum') return Source.CEREBRUM;
    if (unitSource === 'fs') return Source.FS;
  }
  if (ctx.cerebrum) return Source.CEREBRUM;
  // Neither enabled: the Cerebrum branch answers as before (empty, with its SOURCE_DISABLED warning).
  return ctx.store ? Source.LOS : Source.CEREBRUM;
}

@Resolver()
export class QueryResolver {
  @Query(() => Node, { nullable: true, description: 'Any object with a global ID.' })
  async node(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Node | null> {
    const parsed = parseGlobalId(id);
    if (parsed.source === 'cerebrum') {
      if (parsed.type === 'person') return this.person(id, ctx, info);
      if (parsed.type === 'ou') return this.organisationUnit(id, ctx);
      if (parsed.type === 'account') return this.account(parsed.nativeId, ctx);
    }
    if (parsed.source === 'los' && parsed.type === '')
      return (await losOf(ctx)?.node(parsed.nativeId, ctx.today)) ?? null;
    if (parsed.source === 'fs' && parsed.type === '') return this.person(id, ctx, info);
    if (parsed.source === 'fs' && parsed.type === 'ou') return this.organisationUnit(id, ctx);
    if (parsed.source === 'sync' && ctx.sync) {
      const job = await ctx.sync.get(parsed.nativeId);
      return job ? toSyncJob(job, ctx.scopes.has('pii')) : null;
    }
    return null;
  }

  @Query(() => Person, { nullable: true })
  async person(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Person | null> {
    const parsed = parseGlobalId(id);
    if (parsed.source === 'cerebrum' && parsed.type === 'person') {
      if (!ctx.cerebrum) return this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
      return ctx.cerebrum.person(
        parsed.nativeId,
        1,
        personPrefetch(selectedFields(info), !!ctx.fs, ctx.scopes.has('pii')),
      );
    }
    if (parsed.source === 'los' && parsed.type === '') return (await losOf(ctx)?.person(parsed.nativeId)) ?? null;
    if (parsed.source === 'fs' && parsed.type === '') {
      const fsPerson = await fsOf(ctx)?.person(parsed.nativeId);
      return fsPerson ? mapFsPerson(fsPerson) : null;
    }
    return null;
  }

  @Query(() => Person, {
    nullable: true,
    description:
      'Finds the person in every enabled source by national id (fødselsnummer / CPR). Needs scope pii. A 10-digit CPR is looked up in LOS ' +
      'first. An 11-digit fødselsnummer: the Cerebrum person when Cerebrum has one (its sameAs leads to the FS person), else the FS person.',
  })
  async personByNationalId(
    @Arg('nationalId', () => String) nationalId: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Person | null> {
    requireScope(ctx, 'pii', 'personByNationalId');
    const nid = nationalId.replace(/[\s-]/g, '');
    if (!isNationalIdValue(nid))
      throw badInput(
        'nationalId must be an 11-digit fødselsnummer or a 10-digit CPR (a date of birth in its first six digits)',
      );
    if (nid.length === 10 && ctx.store) {
      const los = await losOf(ctx)?.personByCpr(nid);
      if (los) return los;
    }
    if (ctx.cerebrum) {
      const ids = await ctx.cerebrum.personIdsByNationalId(nid);
      // The search answered round 1; the person record and its sub-resources are round 2.
      if (ids.length > 0)
        return ctx.cerebrum.person(ids[0], 2, personPrefetch(selectedFields(info), !!ctx.fs, ctx.scopes.has('pii')));
    } else {
      this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
    }
    if (nid.length !== 11) return null; // FS keys persons by the 11-digit fødselsnummer
    const fsPerson = await fsOf(ctx)?.personByNationalId(nid);
    return fsPerson ? mapFsPerson(fsPerson) : null;
  }

  @Query(() => PersonConnection, { description: PERSONS_DESCRIPTION })
  async persons(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => PersonFilter, { nullable: true }) filter?: PersonFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<Person>> {
    checkFirst(first);
    const source = filter?.source ?? defaultPersonSource(ctx, filter);
    if (source === Source.LOS) return this.losPersons(ctx, info, filter, first, after);
    if (source === Source.FS) return this.fsPersons(ctx, filter, first, after);
    if (source !== Source.CEREBRUM) return pageOf([], first, after);
    if (!ctx.cerebrum) {
      this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
      return pageOf([], first, after);
    }
    if (filter?.name != null) {
      throw badInput(
        'Cerebrum REST cannot search persons by name; filter Cerebrum persons by organisationUnit instead',
      );
    }
    let location: string | undefined;
    if (filter?.organisationUnit != null) {
      const parsed = parseGlobalId(filter.organisationUnit);
      if (parsed.source !== 'cerebrum' || parsed.type !== 'ou') {
        throw badInput(
          `organisationUnit "${filter.organisationUnit}" is not a Cerebrum unit (expected "cerebrum:ou:<id>")`,
        );
      }
      const ou = await ctx.cerebrum.ou(parsed.nativeId, 1);
      if (!ou?.stedkode) return pageOf([], first, after);
      location = ou.stedkode;
    }
    const round = location ? 3 : 2; // ids come from the search (round 1, or 2 after the OU look-up)
    const ids = await ctx.cerebrum.searchPersonIds({ location }, round - 1);
    const page = pageOf(ids, first, after);
    const prefetch = personPrefetch(selectedFields(info, ['edges', 'node']), !!ctx.fs, ctx.scopes.has('pii'));
    const cerebrum = ctx.cerebrum;
    const persons = await Promise.all(page.edges.map((e) => cerebrum.person(e.node, round, prefetch)));
    return {
      ...page,
      edges: page.edges.flatMap((e, i) => (persons[i] ? [{ cursor: e.cursor, node: persons[i]! }] : [])),
    };
  }

  @Query(() => OrganisationUnit, { nullable: true, description: ORGANISATION_UNIT_VERSION })
  async organisationUnit(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true, description: 'LOS: the day whose version to read (see above).' })
    at?: string | null,
  ): Promise<OrganisationUnit | null> {
    const parsed = parseGlobalId(id);
    if (parsed.source === 'cerebrum') {
      if (!ctx.cerebrum) return this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
      // "cerebrum:567" is accepted too: Cerebrum entity ids are unique across entity types.
      return ctx.cerebrum.ou(parsed.nativeId, 1);
    }
    if (parsed.source === 'los' && parsed.type === '')
      return (await losOf(ctx)?.unit(parsed.nativeId, at, ctx.today)) ?? null;
    if (parsed.source === 'fs' && parsed.type === 'ou') {
      const unit = await fsOf(ctx)?.unit(parsed.nativeId);
      return unit ? mapFsUnit(unit) : null;
    }
    return null;
  }

  @Query(() => OrganisationUnitConnection, {
    description:
      'Lists units of sources that can list them (LOS; an omitted `source` means those). Cerebrum REST has no OU listing: ask for a ' +
      'Cerebrum unit by id. LOS: the versions valid on `at` (default today), by name then id; `parent` = the units directly below ' +
      'that unit; `roots: true` = units without a parent (false: with one); `name` = a case-insensitive substring of the name.',
  })
  async organisationUnits(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => OrganisationUnitFilter, { nullable: true }) filter?: OrganisationUnitFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<OrganisationUnit>> {
    checkFirst(first);
    if (filter?.source === Source.CEREBRUM) {
      throw badInput(
        'Cerebrum REST has no OU listing or search; ask for one unit with organisationUnit(id: "cerebrum:ou:<id>")',
      );
    }
    if (filter?.source != null && filter.source !== Source.LOS) return pageOf([], first, after);
    const parentUuid = filter?.parent != null ? losUnitUuid(filter.parent, 'filter.parent') : undefined;
    const los = losOf(ctx);
    if (!los) return pageOf([], first, after);
    return los.listUnits(
      { at: filter?.at ?? ctx.today, parentUuid, roots: filter?.roots ?? undefined, name: filter?.name ?? undefined },
      first,
      after,
      selectedFields(info).has('totalCount'),
    );
  }

  @Query(() => Account, { nullable: true, description: 'Cerebrum account by account name.' })
  async account(@Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<Account | null> {
    if (!ctx.cerebrum) return this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
    const raw = await ctx.cerebrum.accountByName(name, 1);
    if (!raw) return null;
    // Prime the loader under the canonical name, so that the detail fields reuse this answer.
    ctx.cerebrum.loaders.account.prime(raw.name, raw);
    return mapAccountRef({ href: raw.href, id: raw.id, name: raw.name }, 0);
  }

  @Query(() => [Facet], { description: 'The LOS facets (class lists), by user_key.' })
  async facets(@Ctx() ctx: Context): Promise<Facet[]> {
    return (await losOf(ctx)?.facets()) ?? [];
  }

  @Query(() => ClassConnection, {
    description:
      'LOS classes of one facet (all facets when omitted), by title then id. A class no longer in its STAM file is unpublished: ' +
      'still readable by id (node), listed here only with includeUnpublished.',
  })
  async classes(
    @Ctx() ctx: Context,
    @Arg('facet', () => String, { nullable: true }) facet?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('includeUnpublished', () => Boolean, { nullable: true, defaultValue: false }) includeUnpublished = false,
  ): Promise<Connection<ClassType>> {
    checkFirst(first);
    const classes = (await losOf(ctx)?.classes(facet, includeUnpublished ?? false)) ?? [];
    return pageOf(classes, first, after);
  }

  @Query(() => [ItSystem], { description: 'The LOS IT systems (published ones), by name.' })
  async itSystems(@Ctx() ctx: Context): Promise<ItSystem[]> {
    return (await losOf(ctx)?.itSystems()) ?? [];
  }

  /** persons(filter: {source: LOS …}): keyset pages over the stored persons. */
  private async losPersons(
    ctx: Context,
    info: GraphQLResolveInfo,
    filter: PersonFilter | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Connection<Person>> {
    const unitUuid =
      filter?.organisationUnit != null ? losUnitUuid(filter.organisationUnit, 'organisationUnit') : undefined;
    const los = losOf(ctx);
    if (!los) return pageOf([], first, after);
    const at = filter?.at ?? ctx.today;
    return los.listPersons(
      { unitUuid, at, name: filter?.name ?? undefined },
      first,
      after,
      selectedFields(info).has('totalCount'),
      // Persons found through their engagements on a day are read for that day (their affiliations' default).
      unitUuid ? at : (filter?.at ?? null),
    );
  }

  /**
   * persons(filter: {source: FS …}): one FS page per call (`personProfiler`, by person number), FS's own
   * cursors wrapped in ours. `organisationUnit`: a Cerebrum unit (its stedkode) or an FS unit `fs:ou:<stedkode>`;
   * the persons with a study right in a programme of, teaching at, or employed at exactly that stedkode
   * (not its sub-units). `name`: case-insensitive substring of the full name. `at` is not a filter here.
   */
  private async fsPersons(
    ctx: Context,
    filter: PersonFilter | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Connection<Person>> {
    let stedkode: string | undefined;
    if (filter?.organisationUnit != null) {
      const parsed = parseGlobalId(filter.organisationUnit);
      if (parsed.source === 'fs' && parsed.type === 'ou' && /^\d{6}$/.test(parsed.nativeId)) {
        stedkode = parsed.nativeId;
      } else if (parsed.source === 'cerebrum' && parsed.type === 'ou') {
        if (!ctx.cerebrum) {
          this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
          return pageOf([], first, after);
        }
        const ou = await ctx.cerebrum.ou(parsed.nativeId, 1);
        if (!ou?.stedkode) return pageOf([], first, after);
        stedkode = ou.stedkode;
      } else {
        throw badInput(
          `organisationUnit "${filter.organisationUnit}" is neither a Cerebrum unit ("cerebrum:ou:<id>") nor an FS unit ("fs:ou:<stedkode>")`,
        );
      }
    }
    const fs = fsOf(ctx);
    if (!fs) return pageOf([], first, after);
    const page = await fs.searchPersons({ name: filter?.name ?? undefined, stedkode }, first, unwrapFsCursor(after));
    return {
      edges: page.items.map((p, i) => ({ cursor: wrapFsCursor(page.cursors[i]), node: mapFsPerson(p) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ? wrapFsCursor(page.endCursor) : null },
      totalCount: page.totalCount,
    };
  }

  private disabled(ctx: Context, source: string, setting: string): null {
    warnSourceDisabled(ctx, source, setting);
    return null;
  }
}
