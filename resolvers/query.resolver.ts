import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { Node } from '../schema/node.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { Account } from '../schema/account.type';
import { Facet, ItSystem } from '../schema/class.type';
import { ClassConnection, OrganisationUnitConnection, PersonConnection, pageOf, type Connection } from '../schema/connections';
import { OrganisationUnitFilter, PersonFilter } from '../schema/filters.input';
import { Source } from '../schema/enums';
import { mapAccountRef } from '../datasources/cerebrum/mapping';
import type { PersonPrefetch } from '../datasources/cerebrum/source';
import { requireScope, warnSourceDisabled, type Context } from '../server/context';
import { parseGlobalId } from '../server/ids';
import { selectedFields } from '../server/selection';
import { badInput } from '../server/errors';

/** Which person sub-resources a selection will need, so they load in the same round as the person. */
export function personPrefetch(fields: Set<string>): PersonPrefetch {
  return {
    contacts: fields.has('contacts'),
    externalIds: fields.has('externalIds') || fields.has('nationalId'),
    affiliations: fields.has('affiliations'),
    accounts: fields.has('accounts') || fields.has('primaryAccount'),
  };
}

function checkFirst(first: number): void {
  if (first < 0 || first > 500) throw badInput(`"first" must be between 0 and 500, got ${first}`);
}

@Resolver()
export class QueryResolver {
  @Query(() => Node, { nullable: true, description: 'Any object with a global ID.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Node | null> {
    const parsed = parseGlobalId(id);
    if (parsed.source === 'cerebrum') {
      if (parsed.type === 'person') return this.person(id, ctx, info);
      if (parsed.type === 'ou') return this.organisationUnit(id, ctx);
      if (parsed.type === 'account') return this.account(parsed.nativeId, ctx);
    }
    return null;
  }

  @Query(() => Person, { nullable: true })
  async person(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Person | null> {
    const parsed = parseGlobalId(id);
    if (parsed.source === 'cerebrum' && parsed.type === 'person') {
      if (!ctx.cerebrum) return this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
      return ctx.cerebrum.person(parsed.nativeId, 1, personPrefetch(selectedFields(info)));
    }
    return null;
  }

  @Query(() => Person, { nullable: true, description: 'Finds the person in every enabled source by national id (fødselsnummer / CPR). Needs scope pii.' })
  async personByNationalId(
    @Arg('nationalId', () => String) nationalId: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Person | null> {
    requireScope(ctx, 'pii', 'personByNationalId');
    const nid = nationalId.replace(/[\s-]/g, '');
    if (!/^\d{10,11}$/.test(nid)) throw badInput('nationalId must be an 11-digit fødselsnummer or a 10-digit CPR');
    if (!ctx.cerebrum) return this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
    const ids = await ctx.cerebrum.personIdsByNationalId(nid);
    if (ids.length === 0) return null;
    // The search answered round 1; the person record and its sub-resources are round 2.
    return ctx.cerebrum.person(ids[0], 2, personPrefetch(selectedFields(info)));
  }

  @Query(() => PersonConnection)
  async persons(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => PersonFilter, { nullable: true }) filter?: PersonFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<Person>> {
    checkFirst(first);
    const source = filter?.source ?? Source.CEREBRUM;
    if (source !== Source.CEREBRUM) return pageOf([], first, after);
    if (!ctx.cerebrum) {
      this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
      return pageOf([], first, after);
    }
    if (filter?.name != null) {
      throw badInput('Cerebrum REST cannot search persons by name; filter Cerebrum persons by organisationUnit instead');
    }
    let location: string | undefined;
    if (filter?.organisationUnit != null) {
      const parsed = parseGlobalId(filter.organisationUnit);
      if (parsed.source !== 'cerebrum' || parsed.type !== 'ou') {
        throw badInput(`organisationUnit "${filter.organisationUnit}" is not a Cerebrum unit (expected "cerebrum:ou:<id>")`);
      }
      const ou = await ctx.cerebrum.ou(parsed.nativeId, 1);
      if (!ou?.stedkode) return pageOf([], first, after);
      location = ou.stedkode;
    }
    const round = location ? 3 : 2; // ids come from the search (round 1, or 2 after the OU look-up)
    const ids = await ctx.cerebrum.searchPersonIds({ location }, round - 1);
    const page = pageOf(ids, first, after);
    const prefetch = personPrefetch(selectedFields(info, ['edges', 'node']));
    const cerebrum = ctx.cerebrum;
    const persons = await Promise.all(page.edges.map((e) => cerebrum.person(e.node, round, prefetch)));
    return {
      ...page,
      edges: page.edges.flatMap((e, i) => (persons[i] ? [{ cursor: e.cursor, node: persons[i]! }] : [])),
    };
  }

  @Query(() => OrganisationUnit, { nullable: true })
  async organisationUnit(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<OrganisationUnit | null> {
    const parsed = parseGlobalId(id);
    if (parsed.source === 'cerebrum') {
      if (!ctx.cerebrum) return this.disabled(ctx, 'CEREBRUM', 'CEREBRUM_URL');
      // "cerebrum:567" is accepted too: Cerebrum entity ids are unique across entity types.
      return ctx.cerebrum.ou(parsed.nativeId, 1);
    }
    return null;
  }

  @Query(() => OrganisationUnitConnection, {
    description: 'Lists units of sources that can list them (LOS). Cerebrum REST has no OU listing: ask for a Cerebrum unit by id.',
  })
  async organisationUnits(
    @Arg('filter', () => OrganisationUnitFilter, { nullable: true }) filter?: OrganisationUnitFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<OrganisationUnit>> {
    checkFirst(first);
    if (filter?.source === Source.CEREBRUM) {
      throw badInput('Cerebrum REST has no OU listing or search; ask for one unit with organisationUnit(id: "cerebrum:ou:<id>")');
    }
    return pageOf([], first, after);
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

  @Query(() => [Facet])
  facets(): Facet[] {
    return [];
  }

  @Query(() => ClassConnection)
  classes(
    @Arg('facet', () => String, { nullable: true }) _facet?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first = 100,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    checkFirst(first);
    return pageOf([], first, after);
  }

  @Query(() => [ItSystem])
  itSystems(): ItSystem[] {
    return [];
  }

  private disabled(ctx: Context, source: string, setting: string): null {
    warnSourceDisabled(ctx, source, setting);
    return null;
  }
}
