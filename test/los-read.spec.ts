/**
 * The LOS read side over real HTTP: fixtures written into a fresh store (PGlite, and Postgres when reachable),
 * a gateway with that store and a Cerebrum simulator, GraphQL queries against it.
 */
import { SAMPLE } from '../simulators/cerebrum';
import type { Db } from '../store/db';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { storeBackends } from './helpers/stores';
import {
  CLASSES,
  DAR_ID,
  ENGAGEMENTS,
  IT_SYSTEMS,
  PERSONS,
  RENAMED_ON,
  ROOT_ADDRESSES,
  UNITS,
  bulkUnitName,
  insertBulkUnits,
  insertLosFixtures,
  personId,
} from './helpers/los-fixtures';

const BULK = 60;
const los = (uuid: string) => `los:${uuid}`;

/** The store seen through a proxy that counts the SQL statements the gateway sends. */
function countingStore(db: Db): { db: Db; count(): number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'query') {
        return (sql: string, params?: unknown[]) => {
          n++;
          return target.query(sql, params);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { db: proxy, count: () => n };
}

const backends = storeBackends();

describe.each(backends)('LOS reads on $name', (backend) => {
  let s: Stack;
  let store: ReturnType<typeof countingStore>;

  /** A query with the pii token by default; fails the test on any GraphQL error. */
  async function ok(query: string, variables?: Record<string, unknown>, token: string = TOKENS.all): Promise<any> {
    const { body } = await s.gql(query, variables, token);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  beforeAll(async () => {
    const db = await backend.open();
    await insertLosFixtures(db);
    await insertBulkUnits(db, BULK);
    store = countingStore(db);
    // The batching test asks for more nested lists than the default cost limit allows: it is about SQL, not limits.
    s = await startStack({ gateway: { store: store.db }, env: { MAX_QUERY_COST: '100000' } });
  });
  afterAll(async () => {
    await s?.stop();
    await backend.cleanup();
  });

  it('reads a unit: its own fields, type, hierarchy and every address type with the DAR id', async () => {
    const { organisationUnit: u } = await ok(`{ organisationUnit(id: "${los(UNITS.aarhus)}") {
      id source userKey name validFrom validTo acronym stedkode contacts { value }
      unitType { id title userKey facet { userKey } }
      hierarchies { userKey title }
      addresses { addressType { userKey title scope } value darId from to }
      parent { id }
    } }`);
    expect(u).toMatchObject({
      id: los(UNITS.aarhus),
      source: 'LOS',
      userKey: 'AK',
      name: 'Aarhus Kommune',
      validFrom: '2000-01-01',
      validTo: null,
      acronym: null,
      stedkode: null,
      contacts: [],
      parent: null,
      unitType: { id: los(CLASSES.magistrat.uuid), title: 'Magistratsafdeling', facet: { userKey: 'org_unit_type' } },
      hierarchies: [{ userKey: 'linjeorg', title: 'Linjeorganisation' }],
    });
    const byType = Object.fromEntries(u.addresses.map((a: any) => [a.addressType.userKey, a]));
    expect(Object.keys(byType).sort()).toEqual(Object.keys(ROOT_ADDRESSES).sort());
    expect(byType.LOSID).toEqual({
      addressType: { userKey: 'LOSID', title: 'LOS ID', scope: 'TEXT' },
      value: '1001',
      darId: null,
      from: '2000-01-01',
      to: null,
    });
    expect(byType.AddressMailUnit).toMatchObject({ value: 'Rådhuspladsen 2, 8000 Aarhus C', darId: DAR_ID });
    expect(byType.EANUnit.value).toBe(ROOT_ADDRESSES.EANUnit);
    const { organisationUnit: daycare } = await ok(
      `{ organisationUnit(id: "${los(UNITS.daycare)}") { hierarchies { userKey } addresses { value } } }`,
    );
    expect(daycare).toEqual({ hierarchies: [], addresses: [] });
  });

  it('navigates the tree: children by name, parent up to the root', async () => {
    const { organisationUnit: root } = await ok(`{ organisationUnit(id: "${los(UNITS.aarhus)}") {
      children { name children { name children { name } } }
    } }`);
    // Ny Afdeling starts in 2999: not a child today.
    expect(root.children.map((c: any) => c.name)).toEqual(['Børn og Unge', 'Kultur']);
    expect(root.children[0].children).toEqual([
      { name: 'Dagtilbud', children: [] },
      { name: 'Skoler', children: [] },
    ]);
    const { organisationUnit: leaf } = await ok(
      `{ organisationUnit(id: "${los(UNITS.schools)}") { parent { name parent { name parent { id } } } } }`,
    );
    expect(leaf.parent).toEqual({ name: 'Børn og Unge', parent: { name: 'Aarhus Kommune', parent: null } });
  });

  it('reads the renamed unit by date: organisationUnit(at), children(at) and addresses(at)', async () => {
    const q = `query($at: Date) { organisationUnit(id: "${los(UNITS.culture)}", at: $at) {
      name validFrom validTo parent { name } addresses { addressType { userKey } value darId from to }
    } }`;
    const now = (await ok(q)).organisationUnit;
    expect(now).toMatchObject({
      name: 'Kultur',
      validFrom: RENAMED_ON,
      validTo: null,
      parent: { name: 'Aarhus Kommune' },
    });
    expect(now.addresses).toEqual([
      { addressType: { userKey: 'LOSID' }, value: '222', darId: null, from: RENAMED_ON, to: null },
    ]);
    const old = (await ok(q, { at: '2019-03-01' })).organisationUnit;
    expect(old).toMatchObject({
      name: 'Kultur og Borgerservice',
      validFrom: '2000-01-01',
      validTo: '2020-05-31',
      parent: { name: 'Borgmesterens Afdeling' },
    });
    expect(old.addresses).toEqual([
      { addressType: { userKey: 'LOSID' }, value: '111', darId: null, from: '2000-01-01', to: '2020-05-31' },
      {
        addressType: { userKey: 'AddressMailUnit' },
        value: 'Gammel Vej 1, 8000 Aarhus C',
        darId: null,
        from: '2000-01-01',
        to: '2020-05-31',
      },
    ]); // by address type title: "LOS ID" before "Postadresse"
    expect((await ok(q, { at: RENAMED_ON })).organisationUnit.name).toBe('Kultur');
    expect((await ok(q, { at: '2020-05-31' })).organisationUnit.name).toBe('Kultur og Borgerservice');
    expect((await ok(q, { at: '1999-12-31' })).organisationUnit).toBeNull();

    // addresses(at) on today's version reads the old version's addresses.
    const { organisationUnit: u } = await ok(
      `{ organisationUnit(id: "${los(UNITS.culture)}") { old: addresses(at: "2019-03-01") { value } gone: addresses(at: "1990-01-01") { value } } }`,
    );
    expect(u.old.map((a: any) => a.value).sort()).toEqual(['111', 'Gammel Vej 1, 8000 Aarhus C']);
    expect(u.gone).toEqual([]);

    // The move shows in the parents' children on either side of the date; children inherit the unit's `at`.
    const tree = await ok(`{
      mayorNow: organisationUnit(id: "${los(UNITS.mayor)}") { children { name } }
      mayorThen: organisationUnit(id: "${los(UNITS.mayor)}") { children(at: "2019-03-01") { name } }
      mayorInherit: organisationUnit(id: "${los(UNITS.mayor)}", at: "2019-03-01") { children { name } }
      rootThen: organisationUnit(id: "${los(UNITS.aarhus)}") { children(at: "2019-03-01") { name } }
    }`);
    expect(tree.mayorNow.children).toEqual([]);
    expect(tree.mayorThen.children.map((c: any) => c.name)).toEqual(['Gammel Afdeling', 'Kultur og Borgerservice']);
    expect(tree.mayorInherit.children).toEqual(tree.mayorThen.children);
    expect(tree.rootThen.children.map((c: any) => c.name)).toEqual(['Børn og Unge']);
  });

  it('answers an ended unit with its last version and a future one with its first', async () => {
    const d = await ok(`{
      ended: organisationUnit(id: "${los(UNITS.ended)}") { name validFrom validTo parent { name } }
      endedToday: organisationUnit(id: "${los(UNITS.ended)}", at: "2022-01-01") { name }
      future: organisationUnit(id: "${los(UNITS.future)}") { name validFrom }
      missing: organisationUnit(id: "los:00000000-0000-4000-8000-000000000000") { name }
      notAUuid: organisationUnit(id: "los:nope") { name }
    }`);
    expect(d).toEqual({
      ended: {
        name: 'Gammel Afdeling',
        validFrom: '2000-01-01',
        validTo: '2021-12-31',
        parent: { name: 'Borgmesterens Afdeling' },
      },
      endedToday: null,
      future: { name: 'Ny Afdeling', validFrom: '2999-01-01' },
      missing: null,
      notAUuid: null,
    });
  });

  it('lists engagements and managers of a unit on a day', async () => {
    const q = `query($id: ID!, $at: Date) { organisationUnit(id: $id) {
      affiliations(at: $at) {
        id source kind status userKey primary sourceSystem from to
        jobFunction { title published } engagementType { title }
        person { id name } organisationUnit { id name }
      }
      managers(at: $at) {
        person { name } organisationUnit { id } managerType { title } level { title } responsibilities { title } from to
      }
    } }`;
    const schools = (await ok(q, { id: los(UNITS.schools) })).organisationUnit;
    expect(schools.affiliations).toEqual([
      {
        id: `los:engagement:${ENGAGEMENTS.anneSchools}`,
        source: 'LOS',
        kind: 'ENGAGEMENT',
        status: null,
        userKey: 'E-1001',
        primary: true,
        sourceSystem: 'LOS',
        from: '2020-01-01',
        to: null,
        jobFunction: { title: 'Pædagog', published: true },
        engagementType: { title: 'Månedslønnet' },
        person: { id: los(personId(PERSONS.anne)), name: 'Anne Marie Hansen' },
        organisationUnit: { id: los(UNITS.schools), name: 'Skoler' },
      },
      expect.objectContaining({
        userKey: 'E-1002',
        jobFunction: { title: 'Lærer', published: true },
        person: { id: los(personId(PERSONS.bo)), name: 'Bo Jensen' },
      }),
    ]);
    expect(schools.managers).toEqual([
      {
        person: { name: 'Bo Jensen' },
        organisationUnit: { id: los(UNITS.schools) },
        managerType: { title: 'Direktør' },
        level: { title: 'Niveau 1' },
        responsibilities: [{ title: 'Personale' }],
        from: '2018-01-01',
        to: null,
      },
    ]);
    // Bo became manager in 2018: not yet in 2017.
    expect((await ok(q, { id: los(UNITS.schools), at: '2017-06-01' })).organisationUnit.managers).toEqual([]);

    // Børn og Unge: Anne's engagement and management ended 2019-12-31.
    const now = (await ok(q, { id: los(UNITS.children) })).organisationUnit;
    expect(now).toEqual({ affiliations: [], managers: [] });
    const then = (await ok(q, { id: los(UNITS.children), at: '2019-12-31' })).organisationUnit;
    expect(then.affiliations).toEqual([
      expect.objectContaining({
        userKey: 'E-0900',
        primary: false,
        from: '2010-01-01',
        to: '2019-12-31',
        jobFunction: { title: 'Kontorelev (udgået)', published: false },
      }),
    ]);
    expect(then.managers).toEqual([
      expect.objectContaining({ person: { name: 'Anne Marie Hansen' }, from: '2010-01-01', to: '2019-12-31' }),
    ]);

    // An engagement at the renamed unit, read in the past, shows the unit as it was then.
    const { person } = await ok(
      `{ person(id: "${los(personId(PERSONS.cecilie))}") { affiliations(at: "2019-03-01") { organisationUnit { name } } } }`,
    );
    expect(person.affiliations).toEqual([{ organisationUnit: { name: 'Kultur og Borgerservice' } }]);
  });

  it('lists roots, filters by name and parent, and refuses a Cerebrum listing', async () => {
    const names = async (filter: string) =>
      (await ok(`{ organisationUnits(filter: ${filter}, first: 500) { totalCount edges { node { name } } } }`))
        .organisationUnits;
    const roots = await names('{roots: true}');
    expect(roots.edges.map((e: any) => e.node.name)).toEqual(['Aarhus Kommune', 'Borgmesterens Afdeling', 'Masse']);
    expect(roots.totalCount).toBe(3);
    expect((await names('{source: LOS, roots: true, at: "2019-03-01"}')).totalCount).toBe(3);
    const kult = await names('{name: "KULT"}');
    expect(kult.edges.map((e: any) => e.node.name)).toEqual(['Kultur']);
    expect((await names('{name: "kult", at: "2019-03-01"}')).edges.map((e: any) => e.node.name)).toEqual([
      'Kultur og Borgerservice',
    ]);
    expect((await names('{name: "østergaard"}')).totalCount).toBe(0);
    expect((await names('{name: "BØRN"}')).edges.map((e: any) => e.node.name)).toEqual(['Børn og Unge']);
    expect((await names('{name: "%"}')).totalCount).toBe(0); // no LIKE wildcard
    const under = await names(`{parent: "${los(UNITS.children)}"}`);
    expect(under.edges.map((e: any) => e.node.name)).toEqual(['Dagtilbud', 'Skoler']);
    expect((await names(`{parent: "${los(UNITS.bulkRoot)}", name: "indskoling"}`)).totalCount).toBe(0);
    expect((await names('{name: "indskoling"}')).totalCount).toBe(BULK);

    const cerebrum = await s.gql('{ organisationUnits(filter: {source: CEREBRUM}) { totalCount } }');
    expect(cerebrum.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(cerebrum.body.errors[0].message).toMatch(/Cerebrum REST has no OU listing/);
    const badParent = await s.gql('{ organisationUnits(filter: {parent: "cerebrum:ou:1"}) { totalCount } }');
    expect(badParent.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badCursor = await s.gql('{ organisationUnits(after: "bm9wZQ") { totalCount } }');
    expect(badCursor.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('pages through every unit valid today: no duplicates, none missing, totalCount on every page', async () => {
    const q = `query($after: String) { organisationUnits(first: 7, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } }
    } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: any = (await ok(q, { after })).organisationUnits;
      pages++;
      // Today: 6 fixture units (not the ended, not the future one) + Masse + 2 per bulk unit.
      expect(page.totalCount).toBe(6 + 1 + 2 * BULK);
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (page.edges.length > 0) expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(100);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(6 + 1 + 2 * BULK);
    expect(seen).toContain(los(UNITS.culture));
    expect(seen).not.toContain(los(UNITS.ended));
    expect(pages).toBe(Math.ceil(seen.length / 7));
    // Sorted by name, case-insensitively.
    const all = (await ok('{ organisationUnits(first: 500) { edges { node { name } } } }')).organisationUnits.edges.map(
      (e: any) => e.node.name.toLowerCase(),
    );
    expect(all).toEqual([...all].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('lists persons by unit (that unit only, on a day) and by name, and reads their fields', async () => {
    const list = async (filter: string) =>
      (await ok(`{ persons(filter: ${filter}) { totalCount edges { node { id name } } } }`)).persons;
    const schools = await list(`{source: LOS, organisationUnit: "${los(UNITS.schools)}"}`);
    expect(schools.edges.map((e: any) => e.node.name)).toEqual(['Anne Marie Hansen', 'Bo Jensen']);
    expect(schools.totalCount).toBe(2);
    // Børn og Unge itself: Anne's engagement there ended; the engagements in Skoler (a sub-unit) do not count.
    expect((await list(`{source: LOS, organisationUnit: "${los(UNITS.children)}"}`)).totalCount).toBe(0);
    expect(
      (await list(`{source: LOS, organisationUnit: "${los(UNITS.children)}", at: "2019-06-01"}`)).edges.map(
        (e: any) => e.node.name,
      ),
    ).toEqual(['Anne Marie Hansen']);
    // Without a source, a LOS unit id chooses LOS.
    expect(
      (await list(`{organisationUnit: "${los(UNITS.schools)}", name: "BO"}`)).edges.map((e: any) => e.node.name),
    ).toEqual(['Bo Jensen']);
    expect((await list('{source: LOS, name: "hansen"}')).edges.map((e: any) => e.node.name)).toEqual([
      'Anne Marie Hansen',
    ]);
    expect((await list('{source: LOS, name: "ØSTER"}')).edges.map((e: any) => e.node.name)).toEqual([
      'Cecilie Østergaard',
    ]);
    expect((await list('{source: LOS}')).totalCount).toBe(4 + BULK);

    // Paging persons: every one once.
    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page: any = (
        await ok(
          'query($a: String) { persons(filter: {source: LOS}, first: 9, after: $a) { pageInfo { hasNextPage endCursor } edges { node { id } } } }',
          { a: after },
        )
      ).persons;
      ids.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(4 + BULK);
    expect(ids).toHaveLength(4 + BULK);
  });

  it('maps a LOS person: names, birth date from the CPR, e-mail, AZ id, engagements; the CPR only with pii', async () => {
    const q = (id: string) => `{ person(id: "${id}") {
      id source name firstName lastName birthDate nationalId names { variant value sourceSystem }
      contacts { type value sourceSystem } externalIds { type value sourceSystem }
      accounts { id } primaryAccount { id } studyRights { programmeCode } sameAs { id }
      affiliations { userKey primary organisationUnit { name } }
      past: affiliations(at: "2019-06-01") { userKey organisationUnit { name } }
    } }`;
    const anneId = los(personId(PERSONS.anne));
    const withPii = (await ok(q(anneId), undefined, TOKENS.pii)).person;
    expect(withPii).toEqual({
      id: anneId,
      source: 'LOS',
      name: 'Anne Marie Hansen',
      firstName: 'Anne Marie',
      lastName: 'Hansen',
      birthDate: '1970-01-01',
      nationalId: PERSONS.anne.cpr,
      names: [{ variant: 'FULL', value: 'Anne Marie Hansen', sourceSystem: 'LOS' }],
      contacts: [{ type: 'EMAIL', value: 'amh@aarhus.dk', sourceSystem: 'LOS' }],
      externalIds: [{ type: 'AZ', value: 'az12345', sourceSystem: 'LOS' }],
      accounts: [],
      primaryAccount: null,
      studyRights: [],
      sameAs: [],
      affiliations: [{ userKey: 'E-1001', primary: true, organisationUnit: { name: 'Skoler' } }],
      past: [{ userKey: 'E-0900', organisationUnit: { name: 'Børn og Unge' } }],
    });
    const noPii = (await ok(q(anneId), undefined, TOKENS.read)).person;
    expect(noPii.nationalId).toBeNull();
    expect(JSON.stringify(noPii)).not.toContain(PERSONS.anne.cpr);

    const others = await ok(`{
      bo: person(id: "${los(personId(PERSONS.bo))}") { firstName lastName birthDate contacts { value } externalIds { value } }
      cecilie: person(id: "${los(personId(PERSONS.cecilie))}") { birthDate }
      ulrik: person(id: "${los(personId(PERSONS.ulrik))}") { firstName lastName birthDate affiliations { userKey } old: affiliations(at: "2021-12-31") { userKey organisationUnit { name validTo } } }
      unit: person(id: "${los(UNITS.aarhus)}") { id }
    }`);
    expect(others).toEqual({
      bo: { firstName: 'Bo', lastName: 'Jensen', birthDate: PERSONS.bo.birthDate, contacts: [], externalIds: [] },
      cecilie: { birthDate: PERSONS.cecilie.birthDate },
      ulrik: {
        firstName: null,
        lastName: 'Ulrik',
        birthDate: PERSONS.ulrik.birthDate,
        affiliations: [],
        old: [{ userKey: 'E-0500', organisationUnit: { name: 'Gammel Afdeling', validTo: '2021-12-31' } }],
      },
      unit: null,
    });

    const byCpr = await s.gql(
      `query($n: String!) { personByNationalId(nationalId: $n) { id name } }`,
      { n: PERSONS.bo.cpr },
      TOKENS.pii,
    );
    expect(byCpr.body.data.personByNationalId).toEqual({ id: los(personId(PERSONS.bo)), name: 'Bo Jensen' });
  });

  it('node(id) answers each LOS type', async () => {
    const q = (id: string) => `{ node(id: "${id}") {
      __typename id
      ... on OrganisationUnit { name }
      ... on Person { name }
      ... on Class { title published facet { userKey } }
      ... on ItSystem { itName: name userKey }
    } }`;
    expect((await ok(q(los(UNITS.culture)))).node).toEqual({
      __typename: 'OrganisationUnit',
      id: los(UNITS.culture),
      name: 'Kultur',
    });
    expect((await ok(q(los(UNITS.ended)))).node).toMatchObject({
      __typename: 'OrganisationUnit',
      name: 'Gammel Afdeling',
    });
    expect((await ok(q(los(personId(PERSONS.bo))))).node).toEqual({
      __typename: 'Person',
      id: los(personId(PERSONS.bo)),
      name: 'Bo Jensen',
    });
    expect((await ok(q(los(CLASSES.clerkTrainee.uuid)))).node).toEqual({
      __typename: 'Class',
      id: los(CLASSES.clerkTrainee.uuid),
      title: 'Kontorelev (udgået)',
      published: false,
      facet: { userKey: 'engagement_job_function' },
    });
    expect((await ok(q(los(IT_SYSTEMS.az.uuid)))).node).toEqual({
      __typename: 'ItSystem',
      id: los(IT_SYSTEMS.az.uuid),
      itName: 'AZ',
      userKey: 'AZ',
    });
    // Unpublished IT systems are not listed by itSystems but stay readable by id.
    expect((await ok(q(los(IT_SYSTEMS.retired.uuid)))).node).toMatchObject({ __typename: 'ItSystem', itName: 'OPUS' });
    expect((await ok(q(`los:engagement:${ENGAGEMENTS.anneSchools}`))).node).toBeNull();
    expect((await ok(q('los:00000000-0000-4000-8000-000000000000'))).node).toBeNull();
  });

  it('lists classes without the unpublished ones unless asked; facets with their classes; IT systems', async () => {
    const titles = async (args: string) =>
      (await ok(`{ classes(${args}) { totalCount edges { node { title published } } } }`)).classes.edges.map(
        (e: any) => e.node.title,
      );
    expect(await titles('facet: "engagement_job_function"')).toEqual(['Lærer', 'Pædagog']);
    expect(await titles('facet: "engagement_job_function", includeUnpublished: true')).toEqual([
      'Kontorelev (udgået)',
      'Lærer',
      'Pædagog',
    ]);
    expect(await titles('facet: "no_such_facet"')).toEqual([]);
    const all = await titles('first: 500');
    expect(all).toHaveLength(Object.values(CLASSES).length - 1);
    expect(all).not.toContain('Kontorelev (udgået)');
    const page = (
      await ok(
        '{ classes(facet: "org_unit_address_type", first: 3) { totalCount pageInfo { hasNextPage } edges { node { userKey } } } }',
      )
    ).classes;
    expect(page.totalCount).toBe(8);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges).toHaveLength(3);

    const { facets } = await ok(
      '{ facets { userKey classes { title } withUnpublished: classes(includeUnpublished: true) { title } } }',
    );
    const jobs = facets.find((f: any) => f.userKey === 'engagement_job_function');
    expect(jobs.classes.map((c: any) => c.title)).toEqual(['Lærer', 'Pædagog']);
    expect(jobs.withUnpublished).toHaveLength(3);
    expect(facets.find((f: any) => f.userKey === 'org_unit_hierarchy').classes.map((c: any) => c.title)).toEqual([
      'Linjeorganisation',
      'Sikkerhedsorganisation',
    ]);

    expect((await ok('{ itSystems { id name userKey } }')).itSystems).toEqual([
      { id: los(IT_SYSTEMS.az.uuid), name: 'AZ', userKey: 'AZ' },
    ]);
  });

  it('costs one SQL statement per level however many units a page holds', async () => {
    const q = `query($first: Int) { organisationUnits(filter: {parent: "${los(UNITS.bulkRoot)}"}, first: $first) {
      edges { node {
        name unitType { title }
        children { name children { name } affiliations { userKey } }
        affiliations { userKey jobFunction { title } engagementType { title } person { name affiliations { userKey } } }
        managers { person { name } managerType { title } level { title } responsibilities { title } }
      } }
    } }`;
    const run = async (first: number) => {
      const before = store.count();
      const data = await ok(q, { first });
      return { data, queries: store.count() - before };
    };
    const small = await run(2);
    const large = await run(50);
    const nodes = large.data.organisationUnits.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(50);
    expect(nodes[0]).toMatchObject({
      name: bulkUnitName(1),
      unitType: { title: 'Afdeling' },
      children: [{ name: `${bulkUnitName(1)} Indskoling`, children: [], affiliations: [] }],
      affiliations: [
        {
          userKey: 'BE-1',
          jobFunction: { title: 'Pædagog' },
          engagementType: { title: 'Månedslønnet' },
          person: { name: 'Elev 001 Bulk', affiliations: [{ userKey: 'BE-1' }] },
        },
      ],
      managers: [
        {
          person: { name: 'Elev 001 Bulk' },
          managerType: { title: 'Direktør' },
          level: { title: 'Niveau 1' },
          responsibilities: [{ title: 'Personale' }],
        },
      ],
    });
    // The page; the units' children, engagements and managers; the grandchildren and the children's engagements;
    // the persons; the persons' engagements: 8, each with every key of its level in one statement. Classes come
    // in one to three batches, depending on which levels' answers arrive in the same tick (on Postgres, with a
    // pool, that varies). No count query: totalCount was not asked for. One statement per row would be > 250.
    process.stderr.write(
      `LOS query count (${backend.name}): first 2 → ${small.queries} statements, first 50 → ${large.queries}\n`,
    );
    expect(small.queries).toBeLessThanOrEqual(11);
    expect(large.queries).toBeLessThanOrEqual(11);
  });

  it('keeps Cerebrum working in the same gateway', async () => {
    const d = await ok(`{
      person(id: "cerebrum:${SAMPLE.torTest}") { name source }
      persons(first: 2) { edges { node { source } } }
      ou: organisationUnit(id: "cerebrum:ou:${SAMPLE.usitOuId}", at: "2000-01-01") { source stedkode children { id } }
    }`);
    expect(d.person).toEqual({ name: 'Tor Test', source: 'CEREBRUM' });
    // Omitted source with Cerebrum enabled: Cerebrum.
    expect(d.persons.edges.map((e: any) => e.node.source)).toEqual(['CEREBRUM', 'CEREBRUM']);
    expect(d.ou).toMatchObject({ source: 'CEREBRUM', children: [] });
  });

  it('persons without a source reads LOS when Cerebrum is not configured', async () => {
    const noCerebrum = await startStack({ gateway: { store: store.db }, env: { CEREBRUM_URL: '' } });
    try {
      const { body } = await noCerebrum.gql('{ persons(first: 3) { totalCount edges { node { source name } } } }');
      expect(body.errors).toBeUndefined();
      expect(body.data.persons.totalCount).toBe(4 + BULK);
      expect(body.data.persons.edges[0].node).toEqual({ source: 'LOS', name: 'Anne Marie Hansen' });
      expect(body.extensions?.warnings).toBeUndefined();
    } finally {
      await noCerebrum.stop();
    }
  });
});

describe('LOS reads without a store', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.stop();
  });

  it('answers null/[] with a SOURCE_DISABLED warning, and Cerebrum still answers', async () => {
    const { body } = await s.gql(`{
      organisationUnit(id: "los:${UNITS.aarhus}") { name }
      node(id: "los:${UNITS.aarhus}") { id }
      units: organisationUnits { totalCount edges { node { id } } }
      facets { userKey }
      classes { totalCount }
      itSystems { id }
      losPersons: persons(filter: {source: LOS}) { totalCount }
      person(id: "cerebrum:${SAMPLE.torTest}") { name }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      organisationUnit: null,
      node: null,
      units: { totalCount: 0, edges: [] },
      facets: [],
      classes: { totalCount: 0 },
      itSystems: [],
      losPersons: { totalCount: 0 },
      person: { name: 'Tor Test' },
    });
    expect(body.extensions.warnings).toEqual([expect.objectContaining({ code: 'SOURCE_DISABLED', source: 'LOS' })]);
  });
});
