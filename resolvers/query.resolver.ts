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
import type { Source } from '../schema/enums';
import type { PersonListQuery, Selection, SourceModule, SourceReader } from '../datasources/index';
import { requireScope, type Context } from './context';
import { selectedFields } from './selection';
import { badInput } from '../core/errors';
import { isNationalIdValue } from '../core/national-ids';
import { toSyncJob } from './sync.resolver';
import { parseSourceId } from './source-ids';

function checkFirst(first: number): void {
  if (first < 0 || first > 500) throw badInput(`"first" must be between 0 and 500, got ${first}`);
}

/** What the readers may know of the selection under a field (their look-ahead). */
export function selectionOf(ctx: Context, info: GraphQLResolveInfo, path: string[] = []): Selection {
  return { fields: selectedFields(info, path), pii: ctx.scopes.has('pii') };
}

/** The module of an id's prefix when it names that kind of object (`kind` of its `ids`); else undefined. */
function moduleFor(
  ctx: Context,
  id: string,
  kind: keyof SourceModule['ids'],
): { m: SourceModule; type: string; nativeId: string } | undefined {
  const parsed = parseSourceId(ctx, id);
  const m = ctx.sources.module(parsed.source);
  return m?.ids[kind].includes(parsed.type) ? { m, type: parsed.type, nativeId: parsed.nativeId } : undefined;
}

/** The enabled readers of the sources that serve the class lists (a disabled one warns). */
export function classReaders(ctx: Context): SourceReader[] {
  return ctx.sources.modules.flatMap((m) => {
    const r = m.servesClasses ? ctx.sources.get(m.prefix) : undefined;
    return r ? [r] : [];
  });
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

/**
 * persons() without a source: the unit's source when filtering by unit, else the first enabled source that lists
 * persons by default (datasources/index.ts order: Cerebrum, then LOS), else the first such source (which answers
 * empty, with its SOURCE_DISABLED warning).
 */
function defaultPersonSource(ctx: Context, filter: PersonFilter | null | undefined): Source | undefined {
  if (filter?.organisationUnit != null) {
    const unitSource = ctx.sources.module(parseSourceId(ctx, filter.organisationUnit).source);
    if (unitSource) return unitSource.source;
  }
  const defaults = ctx.sources.modules.filter((m) => m.defaultPersonList);
  return (defaults.find((m) => ctx.sources.enabled(m.prefix)) ?? defaults[0])?.source;
}

@Resolver()
export class QueryResolver {
  @Query(() => Node, { nullable: true, description: 'Any object with a global ID.' })
  async node(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Node | null> {
    const parsed = parseSourceId(ctx, id);
    if (parsed.source === 'sync') {
      if (!ctx.sync) return null;
      const job = await ctx.sync.get(parsed.nativeId);
      return job ? toSyncJob(job, ctx.scopes.has('pii')) : null;
    }
    const found = moduleFor(ctx, id, 'node');
    if (!found) return null;
    const reader = ctx.sources.get(found.m.prefix);
    return (await reader?.node?.(found.type, found.nativeId, selectionOf(ctx, info))) ?? null;
  }

  @Query(() => Person, { nullable: true })
  async person(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Person | null> {
    const found = moduleFor(ctx, id, 'person');
    if (!found) return null;
    const reader = ctx.sources.get(found.m.prefix);
    return (await reader?.person?.(found.nativeId, selectionOf(ctx, info))) ?? null;
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
    // The sources whose own numbers these are come first, and are asked only when enabled; then the others in
    // list order, a disabled one with its warning.
    const modules = ctx.sources.modules.filter((m) => m.holdsNationalId?.(nid));
    const sel = selectionOf(ctx, info);
    for (const m of [...modules.filter((x) => x.nationalIdFirst), ...modules.filter((x) => !x.nationalIdFirst)]) {
      const reader = m.nationalIdFirst ? ctx.sources.peek(m.prefix) : ctx.sources.get(m.prefix);
      const person = await reader?.personByNationalId?.(nid, sel);
      if (person) return person;
    }
    return null;
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
    const m = source && ctx.sources.moduleOf(source);
    if (!m) return pageOf([], first, after);
    m.checkPersonFilter?.(filter);
    const reader = ctx.sources.get(m.prefix);
    if (!reader?.listPersons) return pageOf([], first, after);
    const q: PersonListQuery = {
      filter,
      first,
      after,
      connectionFields: selectedFields(info),
      sel: selectionOf(ctx, info, ['edges', 'node']),
      sources: ctx.sources,
    };
    return reader.listPersons(q);
  }

  @Query(() => OrganisationUnit, { nullable: true, description: ORGANISATION_UNIT_VERSION })
  async organisationUnit(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Arg('at', () => DateScalar, { nullable: true, description: 'LOS: the day whose version to read (see above).' })
    at?: string | null,
  ): Promise<OrganisationUnit | null> {
    const found = moduleFor(ctx, id, 'unit');
    if (!found) return null;
    const reader = ctx.sources.get(found.m.prefix);
    return (await reader?.unit?.(found.type, found.nativeId, at)) ?? null;
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
    const m =
      filter?.source != null ? ctx.sources.moduleOf(filter.source) : ctx.sources.modules.find((x) => x.listsUnits);
    if (m?.unitListRefusal) throw badInput(m.unitListRefusal);
    if (!m?.listsUnits) return pageOf([], first, after);
    m.checkUnitFilter?.(filter);
    const reader = ctx.sources.get(m.prefix);
    if (!reader?.listUnits) return pageOf([], first, after);
    return reader.listUnits({ filter, first, after, connectionFields: selectedFields(info) });
  }

  @Query(() => Account, { nullable: true, description: 'Cerebrum account by account name.' })
  async account(@Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<Account | null> {
    const m = ctx.sources.modules.find((x) => x.servesAccounts);
    const reader = m && ctx.sources.get(m.prefix);
    return (await reader?.account?.(name)) ?? null;
  }

  @Query(() => [Facet], { description: 'The LOS facets (class lists), by user_key.' })
  async facets(@Ctx() ctx: Context): Promise<Facet[]> {
    return (await Promise.all(classReaders(ctx).map(async (r) => (await r.facets?.()) ?? []))).flat();
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
    const lists = await Promise.all(
      classReaders(ctx).map(async (r) => (await r.classes?.(facet, includeUnpublished ?? false)) ?? []),
    );
    return pageOf(lists.flat(), first, after);
  }

  @Query(() => [ItSystem], { description: 'The LOS IT systems (published ones), by name.' })
  async itSystems(@Ctx() ctx: Context): Promise<ItSystem[]> {
    return (await Promise.all(classReaders(ctx).map(async (r) => (await r.itSystems?.()) ?? []))).flat();
  }
}
