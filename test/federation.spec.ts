/**
 * idbro as an Apollo Federation 2 subgraph, over real HTTP: `_service { sdl }` and `_entities` against the
 * Cerebrum simulator (its counters give the upstream requests), the FS simulator and a PGlite store with LOS data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCerebrumData, SAMPLE, type CerebrumData } from '../simulators/cerebrum';
import { FS_SAMPLE } from './helpers/fs-sample';
import { nth } from './helpers/defined';
import { openStore, type Db } from '../store/db';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { startFsStack, type FsStack } from './helpers/fs-stack';
import { CLASSES, IT_SYSTEMS, PERSONS, UNITS, insertLosFixtures, personId } from './helpers/los-fixtures';

const ENTITIES = 'query Entities($r: [_Any!]!) { _entities(representations: $r) { __typename ...on Node { id } %s } }';
const entitiesQuery = (selection = '') => ENTITIES.replace('%s', selection);
const person = (id: string) => ({ __typename: 'Person', id });

/** The minimum upstream requests for persons with `accounts { primaryEmail } affiliations { organisationUnit }`. */
function minimumPaths(data: CerebrumData, ids: number[], today: string): Set<string> {
  const paths = new Set<string>();
  for (const id of ids) {
    const p = data.persons.get(id)!;
    paths.add(`GET /v1/persons/${id}`).add(`GET /v1/persons/${id}/accounts`).add(`GET /v1/persons/${id}/affiliations`);
    for (const name of p.account_names) paths.add(`GET /v1/accounts/${name}`);
    for (const a of p.affiliations) {
      if (
        (a.deleted_date && a.deleted_date.slice(0, 10) <= today) ||
        (a.create_date && a.create_date.slice(0, 10) > today)
      )
        continue;
      paths.add(`GET /v1/ous/${a.ou_id}`);
    }
  }
  return paths;
}

describe('_entities and _service (generated Cerebrum data, 60 persons)', () => {
  let s: Stack;
  const data = generateCerebrumData({ persons: 60, seed: 7 });
  beforeAll(async () => {
    s = await startStack({ sim: { data }, env: { CEREBRUM_CONCURRENCY: '8' } });
  });
  afterAll(async () => {
    await s.stop();
  });
  beforeEach(() => {
    s.sim.stats.reset();
  });

  it('_service { sdl } is the committed schema/subgraph.graphql SDL: @link to federation v2 and @key(fields: "id") on every entity', async () => {
    const { body } = await s.gql('{ _service { sdl } }', undefined, TOKENS.read);
    expect(body.errors).toBeUndefined();
    const sdl: string = body.data._service.sdl;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    for (const type of ['Person', 'OrganisationUnit', 'Account', 'Class', 'ItSystem', 'SyncJob']) {
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node\\s+@key\\(fields: "id"\\)`));
    }
    expect(`${sdl.trimEnd()}\n`).toBe(readFileSync(join(__dirname, '..', 'schema', 'subgraph.graphql'), 'utf8'));
  });

  it('_service and _entities need scope "read" and cost no upstream request without it', async () => {
    for (const token of [TOKENS.sync, null]) {
      const r = await s.gql(
        entitiesQuery('... on Person { name }'),
        { r: [person(`cerebrum:${[...data.persons.keys()][0]}`)] },
        token,
      );
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors[0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
      const svc = await s.gql('{ _service { sdl } }', undefined, token);
      expect(svc.body.errors[0].extensions.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    expect(s.sim.stats.total).toBe(0);
  });

  it('50 Person representations (each sent twice) cost exactly one upstream request per distinct resource, answered in order', async () => {
    const ids = [...data.persons.keys()].slice(0, 50);
    const reps = [...ids, ...[...ids].reverse()].map((id) => person(`cerebrum:${id}`));
    const selection =
      '... on Person { name accounts { name primaryEmail active } affiliations { status organisationUnit { id name stedkode } } }';
    const { body } = await s.gql(entitiesQuery(selection), { r: reps }, TOKENS.read);
    expect(body.errors).toBeUndefined();
    const got: any[] = body.data._entities;
    expect(got).toHaveLength(100);
    expect(got.map((e) => e.id)).toEqual(reps.map((r) => r.id));
    expect(got.every((e) => e.__typename === 'Person' && e.name)).toBe(true);
    expect(got[99]).toEqual(got[0]);
    const first = data.persons.get(nth(ids, 0))!;
    expect(got[0].accounts.map((a: any) => a.name).sort()).toEqual([...first.account_names].sort());

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
    const min = minimumPaths(data, ids, today);
    expect(new Set(s.sim.stats.byPath.keys())).toEqual(min);
    expect([...s.sim.stats.byPath.values()].every((n) => n === 1)).toBe(true);
    expect(s.sim.stats.total).toBe(min.size);
    expect(s.lastStats()!.rounds).toBe(2);
  });

  it('an unknown id is null; a malformed representation is BAD_USER_INPUT on that entity alone', async () => {
    const known = nth([...data.persons.keys()], 0);
    const reps = [
      person(`cerebrum:${known}`),
      person('cerebrum:999999999'), // no such person
      person('not-a-global-id'),
      { __typename: 'Person' }, // no id
      { __typename: 'Nope', id: `cerebrum:${known}` },
      { id: `cerebrum:${known}` }, // no __typename
      { __typename: 'OrganisationUnit', id: `cerebrum:ou:${data.persons.get(known)!.affiliations[0]?.ou_id ?? 1}` },
      person('sync:00000000-0000-0000-0000-000000000000'), // a global id of another type
    ];
    const { body } = await s.gql(
      entitiesQuery('... on Person { name } ... on OrganisationUnit { name }'),
      { r: reps },
      TOKENS.read,
    );
    const got: any[] = body.data._entities;
    expect(got[0]).toMatchObject({
      __typename: 'Person',
      id: `cerebrum:${known}`,
      name: data.persons.get(known)!.names.length ? expect.any(String) : null,
    });
    expect(got[1]).toBeNull();
    expect(got.slice(2, 6)).toEqual([null, null, null, null]);
    expect(got[6]).toMatchObject({ __typename: 'OrganisationUnit' });
    expect(got[7]).toBeNull();
    const errors: any[] = [...body.errors].sort((a, b) => a.path[1] - b.path[1]);
    expect(errors.map((e) => e.path)).toEqual([2, 3, 4, 5].map((i) => ['_entities', i]));
    expect(errors.every((e) => e.extensions.code === 'BAD_USER_INPUT')).toBe(true);
    expect(errors[1].message).toMatch(/needs "id"/);
    expect(errors[2].message).toMatch(/Person, OrganisationUnit, Account, Class/);
  });

  it('5,000 representations are refused before any upstream request (MAX_ENTITY_REPRESENTATIONS), as are fewer but costly ones (MAX_QUERY_COST)', async () => {
    const ids = [...data.persons.keys()];
    const many = Array.from({ length: 5000 }, (_, i) => person(`cerebrum:${ids[i % ids.length]}`));
    const r = await s.gql(entitiesQuery('... on Person { name }'), { r: many }, TOKENS.read);
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 1000, actual: 5000 } });
    expect(r.body.errors[0].message).toMatch(/MAX_ENTITY_REPRESENTATIONS/);
    // 900 representations, each with nested lists: 900 × 121 > 20,000 although the list is within the count.
    const costly = many.slice(0, 900);
    const c = await s.gql(
      entitiesQuery('... on Person { accounts { owner { accounts { name } } } }'),
      { r: costly },
      TOKENS.read,
    );
    expect(c.status).toBe(400);
    expect(c.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 20000, actual: 900 * 121 } });
    expect(c.body.errors[0].message).toMatch(/MAX_QUERY_COST/);
    // Inline representations count as well.
    const inline = `{ _entities(representations: [${many
      .slice(0, 1001)
      .map((p) => `{__typename: "Person", id: "${p.id}"}`)
      .join(',')}]) { __typename } }`;
    const i = await s.gql(inline, undefined, TOKENS.read);
    expect(i.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', actual: 1001 });
    expect(s.sim.stats.total).toBe(0);
  });
});

describe('_entities across sources (Cerebrum, FS, LOS in one call)', () => {
  let s: FsStack;
  let db: Db;
  beforeAll(async () => {
    db = await openStore({ memory: true });
    await insertLosFixtures(db);
    s = await startFsStack({ gateway: { store: db } });
  });
  afterAll(async () => {
    await s?.stop();
    await db?.close();
  });

  it('answers Cerebrum, FS and LOS representations of every entity type in one call', async () => {
    const ola = FS_SAMPLE.rule1Student;
    const reps = [
      person(`cerebrum:${SAMPLE.torTest}`),
      person(`fs:${ola.personNumber}`),
      person(`los:${personId(PERSONS.anne)}`),
      { __typename: 'OrganisationUnit', id: `cerebrum:ou:${SAMPLE.usitOuId}` },
      { __typename: 'OrganisationUnit', id: 'fs:ou:162000' },
      { __typename: 'OrganisationUnit', id: `los:${UNITS.schools}` },
      { __typename: 'Account', id: `cerebrum:account:${SAMPLE.torTestAccount}` },
      { __typename: 'Class', id: `los:${CLASSES.teacher.uuid}` },
      { __typename: 'ItSystem', id: `los:${IT_SYSTEMS.az.uuid}` },
      person(`los:${UNITS.schools}`), // a LOS unit asked for as a Person: no such Person
    ];
    const selection =
      '... on Person { name source } ... on OrganisationUnit { name source } ... on Account { accountName: name primaryEmail } ... on Class { title } ... on ItSystem { systemName: name }';
    const { body } = await s.gql(entitiesQuery(selection), { r: reps }, TOKENS.read);
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { __typename: 'Person', id: `cerebrum:${SAMPLE.torTest}`, name: 'Tor Test', source: 'CEREBRUM' },
      { __typename: 'Person', id: `fs:${ola.personNumber}`, name: 'Ola Nordmann', source: 'FS' },
      { __typename: 'Person', id: `los:${personId(PERSONS.anne)}`, name: PERSONS.anne.name, source: 'LOS' },
      {
        __typename: 'OrganisationUnit',
        id: `cerebrum:ou:${SAMPLE.usitOuId}`,
        name: 'Universitetets senter for informasjonsteknologi',
        source: 'CEREBRUM',
      },
      { __typename: 'OrganisationUnit', id: 'fs:ou:162000', name: 'Institutt for informatikk', source: 'FS' },
      { __typename: 'OrganisationUnit', id: `los:${UNITS.schools}`, name: 'Skoler', source: 'LOS' },
      {
        __typename: 'Account',
        id: `cerebrum:account:${SAMPLE.torTestAccount}`,
        accountName: SAMPLE.torTestAccount,
        primaryEmail: 'torte@usit.uio.no',
      },
      { __typename: 'Class', id: `los:${CLASSES.teacher.uuid}`, title: CLASSES.teacher.title },
      { __typename: 'ItSystem', id: `los:${IT_SYSTEMS.az.uuid}`, systemName: IT_SYSTEMS.az.name },
      null,
    ]);
  });
});
