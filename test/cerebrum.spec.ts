import { generateCerebrumData, sampleUniversity, SAMPLE, type CerebrumData } from '../simulators/cerebrum';
import { validate } from 'graphql';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { OrganisationUnitCardDocument, PersonCardDocument } from './generated/graphql';
import { buildGatewaySchema } from '../server/schema-build';

/** The minimum upstream requests for `persons { accounts { details } affiliations { organisationUnit } }`. */
function minimumRequests(
  data: CerebrumData,
  personIds: number[],
  today: string,
): { total: number; paths: Set<string> } {
  const paths = new Set<string>();
  for (const id of personIds) {
    const p = data.persons.get(id)!;
    paths.add(`GET /v1/persons/${id}`);
    paths.add(`GET /v1/persons/${id}/accounts`);
    paths.add(`GET /v1/persons/${id}/affiliations`);
    for (const name of p.account_names) paths.add(`GET /v1/accounts/${name}`);
    for (const a of p.affiliations) {
      if (a.deleted_date && a.deleted_date.slice(0, 10) <= today) continue;
      if (a.create_date && a.create_date.slice(0, 10) > today) continue;
      paths.add(`GET /v1/ous/${a.ou_id}`);
    }
  }
  return { total: paths.size, paths };
}

const PERSON_FIELDS = `
  id source name firstName lastName birthDate
  names { variant value sourceSystem }
  contacts { type value preference sourceSystem }
  externalIds { type value sourceSystem }
  nationalId
  accounts { id name primary primaryEmail active createdAt expireDate contexts owner { id } }
  primaryAccount { name }
  affiliations { id source kind status sourceSystem from to organisationUnit { id name acronym stedkode } }
  studyRights { programmeCode }
  sameAs { id }
`;

describe('Cerebrum through the gateway (sample university)', () => {
  let s: Stack;
  // Readiness answers uncached (READINESS_CACHE_MS=0): the /readyz test sees Cerebrum fail at once.
  beforeAll(async () => {
    s = await startStack({ env: { READINESS_CACHE_MS: '0' } });
  });
  afterAll(async () => {
    await s.stop();
  });
  beforeEach(() => {
    s.sim.clearFailures();
    s.sim.stats.reset();
  });

  it('maps every person field from the person and its sub-resources', async () => {
    const { body } = await s.gql(`{ person(id: "cerebrum:${SAMPLE.torTest}") { ${PERSON_FIELDS} } }`);
    expect(body.errors).toBeUndefined();
    const p = body.data.person;
    const raw = sampleUniversity().persons.get(SAMPLE.torTest)!;
    expect(p).toMatchObject({
      id: 'cerebrum:85073',
      source: 'CEREBRUM',
      name: 'Tor Test',
      firstName: 'Tor',
      lastName: 'Test',
      birthDate: '1970-01-01',
    });
    expect(p.names).toHaveLength(raw.names.length);
    expect(p.names).toContainEqual({ variant: 'FULL', value: 'Tor Test', sourceSystem: 'Cached' });
    // Contacts: preferred (lowest preference) first.
    const prefs = p.contacts.map((c: any) => c.preference ?? Infinity);
    expect([...prefs].sort((a, b) => a - b)).toEqual(prefs);
    expect(p.contacts).toHaveLength(raw.contacts.length);
    const fnr = raw.external_ids.find((x) => x.id_type === 'NO_BIRTHNO')!.external_id;
    expect(p.nationalId).toBe(fnr);
    expect(p.externalIds).toContainEqual({ type: 'norwegianNationalId', value: fnr, sourceSystem: expect.any(String) });
    const torte = p.accounts.find((a: any) => a.name === 'torte');
    expect(torte).toEqual({
      id: 'cerebrum:account:torte',
      name: 'torte',
      primary: true,
      primaryEmail: 'torte@usit.uio.no',
      active: true,
      createdAt: expect.stringMatching(/^1969-12-31T23:00:00.000Z$/), // naive 1970-01-01T00:00:00 read in Europe/Copenhagen
      expireDate: null,
      contexts: ['AD_account'],
      owner: { id: 'cerebrum:85073' },
    });
    expect(p.primaryAccount).toEqual({ name: 'torte' });
    const aff = p.affiliations.find((a: any) => a.status === 'ANSATT/tekadm');
    expect(aff).toMatchObject({
      source: 'CEREBRUM',
      kind: 'ANSATT',
      organisationUnit: { id: `cerebrum:ou:${SAMPLE.torTestOuId}`, stedkode: '331000' },
    });
    expect(aff.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(p.studyRights).toEqual([]);
    expect(p.sameAs).toEqual([]);
  });

  it('maps OU names by language then variant precedence, the acronym and contacts', async () => {
    const { body } = await s.gql(`{
      usit: organisationUnit(id: "cerebrum:ou:${SAMPLE.usitOuId}") { id source name acronym stedkode userKey contacts { type value preference } parent { id } children { id } }
      short: organisationUnit(id: "cerebrum:ou:${SAMPLE.shortNameOnlyOuId}") { name acronym }
      nnEn: organisationUnit(id: "cerebrum:ou:${SAMPLE.nnEnOnlyOuId}") { name }
      plain: organisationUnit(id: "cerebrum:${SAMPLE.usitOuId}") { id }
      missing: organisationUnit(id: "cerebrum:ou:${SAMPLE.missingOuId}") { id }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.usit).toMatchObject({
      id: 'cerebrum:ou:567',
      source: 'CEREBRUM',
      name: 'Universitetets senter for informasjonsteknologi',
      acronym: 'USIT',
      stedkode: '330000',
      userKey: '330000',
      parent: null,
      children: [],
    });
    expect(body.data.usit.contacts[0].preference).toBeLessThanOrEqual(body.data.usit.contacts.at(-1).preference);
    const data = sampleUniversity();
    const shortName = data.ous
      .get(SAMPLE.shortNameOnlyOuId)!
      .names.find((n) => n.variant === 'OU short' && n.language === 'nb');
    expect(body.data.short.name).toBe(shortName?.name);
    const nn =
      data.ous.get(SAMPLE.nnEnOnlyOuId)!.names.find((n) => n.language === 'nn' && n.variant === 'OU name') ??
      data.ous.get(SAMPLE.nnEnOnlyOuId)!.names.find((n) => n.language === 'nn');
    expect(body.data.nnEn.name).toBe(nn?.name);
    expect(body.data.plain).toEqual({ id: 'cerebrum:ou:567' });
    expect(body.data.missing).toBeNull();
  });

  it('reads the older seed-002 shapes: external ids {type, id} and accounts without name', async () => {
    const { body } = await s.gql(
      `{ person(id: "cerebrum:${SAMPLE.legacyPerson}") { nationalId externalIds { type value } accounts { name primaryEmail } } }`,
    );
    expect(body.errors).toBeUndefined();
    const raw = sampleUniversity().persons.get(SAMPLE.legacyPerson)!;
    const legacyFnr = raw.external_ids.find((x) => x.id_type === 'NO_BIRTHNO')!.external_id;
    expect(body.data.person.nationalId).toBe(legacyFnr);
    expect(body.data.person.externalIds.map((x: any) => x.type)).toEqual(
      expect.arrayContaining(['norwegianNationalId', 'employeeNumber']),
    );
    expect(body.data.person.accounts.map((a: any) => a.name)).toContain(SAMPLE.legacyPersonAccount);
    expect(s.sim.stats.byPath.get(`GET /v1/accounts/${SAMPLE.legacyPersonAccount}`)).toBe(1);
  });

  it('lists expired accounts as inactive; primaryAccount is null when none is flagged', async () => {
    const { body } = await s.gql(
      `{ person(id: "cerebrum:${SAMPLE.personWithoutPrimary}") { accounts { name active expireDate } primaryAccount { name } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.person.accounts).toContainEqual({
      name: SAMPLE.expiredAccount,
      active: false,
      expireDate: expect.any(String),
    });
    expect(body.data.person.primaryAccount).toBeNull();
  });

  it('affiliations(at:) reads deleted rows for a past date (include_deleted in the loader key)', async () => {
    const raw = sampleUniversity().persons.get(SAMPLE.personWithDeletedAffiliation)!;
    const deleted = raw.affiliations.find((a) => a.deleted_date)!;
    const during = deleted.create_date.slice(0, 10);
    const { body } = await s.gql(`{ person(id: "cerebrum:${SAMPLE.personWithDeletedAffiliation}") {
      now: affiliations { status } then: affiliations(at: "${during}") { status to } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.person.then).toContainEqual({ status: deleted.status, to: deleted.deleted_date!.slice(0, 10) });
    expect(body.data.person.now.length).toBeLessThan(body.data.person.then.length + raw.affiliations.length);
    expect(
      s.sim.stats.byPath.get(
        `GET /v1/persons/${SAMPLE.personWithDeletedAffiliation}/affiliations?include_deleted=true`,
      ),
    ).toBe(1);
  });

  it('an unknown person is null without an error (upstream 404)', async () => {
    const { body } = await s.gql(
      `{ person(id: "cerebrum:424242") { name } junk: person(id: "cerebrum:abc") { name } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ person: null, junk: null });
  });

  it('an affiliation whose OU answers 404 keeps the affiliation: organisationUnit is null with a coded error on that path', async () => {
    const { body } = await s.gql(
      `{ person(id: "cerebrum:${SAMPLE.personWithMissingOu}") { name affiliations { status organisationUnit { name } } } }`,
    );
    expect(body.data.person.name).toBeTruthy();
    const idx = body.data.person.affiliations.findIndex((a: any) => a.organisationUnit === null);
    expect(idx).toBeGreaterThanOrEqual(0);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      path: ['person', 'affiliations', idx, 'organisationUnit'],
      extensions: {
        code: 'UPSTREAM_ERROR',
        source: 'CEREBRUM',
        upstream: { status: 404, method: 'GET', path: `/v1/ous/${SAMPLE.missingOuId}` },
      },
    });
  });

  it('retries a GET after a 500 and after a dropped connection, and the answer is complete', async () => {
    s.sim.failNext(new RegExp(`^GET /v1/persons/${SAMPLE.torTest}$`), 500, 1);
    s.sim.failNext(new RegExp(`^GET /v1/persons/${SAMPLE.torTest}/accounts$`), 'reset', 1);
    s.sim.failNext(new RegExp(`^GET /v1/accounts/torte$`), 429, 1);
    const { body } = await s.gql(
      `{ person(id: "cerebrum:${SAMPLE.torTest}") { name accounts { name primaryEmail } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.person.name).toBe('Tor Test');
    expect(body.data.person.accounts).toContainEqual({ name: 'torte', primaryEmail: 'torte@usit.uio.no' });
    expect(s.sim.stats.byPath.get(`GET /v1/persons/${SAMPLE.torTest}`)).toBe(2);
    expect(s.lastStats()!.retries).toBe(3);
  });

  it('a 500 that persists after the retries nulls only that field, with UPSTREAM_ERROR and the upstream request', async () => {
    s.sim.failNext(new RegExp(`^GET /v1/ous/${SAMPLE.usitOuId}$`), 500, Infinity);
    const { body } = await s.gql(
      `{ a: organisationUnit(id: "cerebrum:ou:${SAMPLE.usitOuId}") { name } b: person(id: "cerebrum:${SAMPLE.torTest}") { name } }`,
    );
    expect(body.data).toEqual({ a: null, b: { name: 'Tor Test' } });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      path: ['a'],
      extensions: {
        code: 'UPSTREAM_ERROR',
        source: 'CEREBRUM',
        upstream: { status: 500, method: 'GET', path: `/v1/ous/${SAMPLE.usitOuId}` },
      },
    });
    expect(body.errors[0].extensions.stacktrace).toBeUndefined();
    expect(s.sim.stats.byPath.get(`GET /v1/ous/${SAMPLE.usitOuId}`)).toBe(3); // 1 + CEREBRUM_RETRIES=2
  });

  it('a 503 after retries is UPSTREAM_UNAVAILABLE', async () => {
    s.sim.failNext(/^GET \/v1\/persons\/85073$/, 503, Infinity);
    const { body } = await s.gql(`{ person(id: "cerebrum:85073") { name } }`);
    expect(body.data.person).toBeNull();
    expect(body.errors[0].extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      source: 'CEREBRUM',
      upstream: { status: 503 },
    });
  });

  it('without a token: HTTP 401 UNAUTHENTICATED and no upstream request', async () => {
    const r = await s.gql('{ person(id: "cerebrum:85073") { name } }', undefined, null);
    expect(r.status).toBe(401);
    expect(r.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const bad = await s.gql('{ person(id: "cerebrum:85073") { name } }', undefined, 'not-a-token');
    expect(bad.status).toBe(401);
    expect(s.sim.stats.total).toBe(0);
  });

  it('nationalId is null without scope pii; personByNationalId needs pii', async () => {
    const q = `{ person(id: "cerebrum:85073") { name nationalId } }`;
    const noPii = await s.gql(q, undefined, TOKENS.read);
    expect(noPii.body.errors).toBeUndefined();
    expect(noPii.body.data.person).toEqual({ name: 'Tor Test', nationalId: null });
    const fnr = sampleUniversity()
      .persons.get(85073)!
      .external_ids.find((x) => x.id_type === 'NO_BIRTHNO')!.external_id;
    const forbidden = await s.gql(
      `query($n: String!) { personByNationalId(nationalId: $n) { name } }`,
      { n: fnr },
      TOKENS.read,
    );
    expect(forbidden.body.data.personByNationalId).toBeNull();
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const ok = await s.gql(
      `query($n: String!) { personByNationalId(nationalId: $n) { id name nationalId } }`,
      { n: fnr },
      TOKENS.pii,
    );
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.personByNationalId).toEqual({ id: 'cerebrum:85073', name: 'Tor Test', nationalId: fnr });
  });

  it('a token without read cannot query (FORBIDDEN)', async () => {
    const r = await s.gql('{ person(id: "cerebrum:85073") { name } }', undefined, TOKENS.sync);
    expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(s.sim.stats.total).toBe(0);
  });

  it('no full national id, API key or bearer token in any log line, error or response', async () => {
    const fnr = sampleUniversity()
      .persons.get(85073)!
      .external_ids.find((x) => x.id_type === 'NO_BIRTHNO')!.external_id;
    s.sim.failNext(/^GET \/v1\/search\/persons\/external-ids/, 500, Infinity);
    const r = await s.gql(`query($n: String!) { personByNationalId(nationalId: $n) { name } }`, { n: fnr }, TOKENS.pii);
    expect(r.body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
    const text = JSON.stringify(r.body) + s.logs.join('');
    expect(text).toContain(fnr.slice(0, 6)); // the masked form is there: the check below is not vacuous
    expect(text).not.toContain(fnr);
    expect(text).not.toContain('test-api-key');
    expect(text).not.toContain(TOKENS.pii);
  });

  it('persons(filter: {source: CEREBRUM, organisationUnit}) lists each person at that unit once (via the affiliation search)', async () => {
    const data = sampleUniversity();
    const ouId = [...data.ous.values()].find((o) => o.stedkode === SAMPLE.duplicateAffiliationStedkode)!.id;
    const expected = new Set(
      [...data.persons.values()]
        .filter((p) => p.affiliations.some((a) => a.ou_id === ouId && !a.deleted_date))
        .map((p) => `cerebrum:${p.id}`),
    );
    const { body } =
      await s.gql(`{ persons(filter: {source: CEREBRUM, organisationUnit: "cerebrum:ou:${ouId}"}, first: 2) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.persons.totalCount).toBe(expected.size);
    const seen = body.data.persons.edges.map((e: any) => e.node.id);
    let after = body.data.persons.pageInfo.endCursor;
    let more = body.data.persons.pageInfo.hasNextPage;
    while (more) {
      const next = await s.gql(
        `query($a: String) { persons(filter: {source: CEREBRUM, organisationUnit: "cerebrum:ou:${ouId}"}, first: 2, after: $a) {
        pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { a: after },
      );
      seen.push(...next.body.data.persons.edges.map((e: any) => e.node.id));
      ({ hasNextPage: more, endCursor: after } = next.body.data.persons.pageInfo);
    }
    expect(new Set(seen)).toEqual(expected);
    expect(seen).toHaveLength(expected.size);
  });

  it('account(name) and node(id) resolve accounts and persons', async () => {
    const { body } = await s.gql(`{
      account(name: "torte") { id name active primaryEmail owner { name } }
      nobody: account(name: "no-such-account") { name }
      node(id: "cerebrum:account:torte") { id ... on Account { name } }
      p: node(id: "cerebrum:85073") { ... on Person { name } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.account).toEqual({
      id: 'cerebrum:account:torte',
      name: 'torte',
      active: true,
      primaryEmail: 'torte@usit.uio.no',
      owner: { name: 'Tor Test' },
    });
    expect(body.data.nobody).toBeNull();
    expect(body.data.node).toEqual({ id: 'cerebrum:account:torte', name: 'torte' });
    expect(body.data.p).toEqual({ name: 'Tor Test' });
    expect(s.sim.stats.byPath.get('GET /v1/accounts/torte')).toBe(1);
  });

  it('rejects a query over the depth or cost limit before any upstream request', async () => {
    const nest = (n: number): string => (n === 0 ? 'name' : `accounts { owner { ${nest(n - 1)} } }`);
    const deep = `{ person(id: "cerebrum:85073") { ${nest(6)} } }`; // depth 1 + 6 * 2 + 1 = 14
    const r1 = await s.gql(deep);
    expect(r1.status).toBe(400);
    expect(r1.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 12 } });
    expect(r1.body.errors[0].message).toMatch(/depth/);
    const wide = `{ persons(first: 500) { edges { node { accounts { owner { affiliations { organisationUnit { name } } } } } } } }`;
    const r2 = await s.gql(wide);
    expect(r2.status).toBe(400);
    expect(r2.body.errors[0].message).toMatch(/cost/);
    expect(s.sim.stats.total).toBe(0);
    const introspection = await s.gql(
      `{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name ofType { name } } } } } } } } }`,
    );
    expect(introspection.body.errors).toBeUndefined();
  });

  it('GraphiQL is served to browsers from local assets', async () => {
    const res = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('/graphiql/assets/');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(`${s.url}/graphiql/assets/graphiql.min.js`);
    expect(js.status).toBe(200);
  });

  it('typed documents (codegen) validate against the schema and answer with typed data', async () => {
    expect(validate(buildGatewaySchema(), PersonCardDocument)).toEqual([]);
    expect(validate(buildGatewaySchema(), OrganisationUnitCardDocument)).toEqual([]);
    const { data, errors } = await s.typed(PersonCardDocument, { id: 'cerebrum:85073' }, TOKENS.read);
    expect(errors).toBeUndefined();
    expect(data?.person?.primaryAccount?.name).toBe('torte');
    expect(data?.person?.nationalId).toBeNull(); // read-only token
    const ou = await s.typed(OrganisationUnitCardDocument, { id: `cerebrum:ou:${SAMPLE.usitOuId}` });
    expect(ou.data?.organisationUnit?.acronym).toBe('USIT');
  });

  it('/healthz answers and /readyz checks Cerebrum', async () => {
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    s.sim.failNext(/^GET \/v1\/contexts\/$/, 500, Infinity);
    const notReady = await fetch(`${s.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as any).checks).toContainEqual(
      expect.objectContaining({ name: 'cerebrum', ok: false }),
    );
  });
});

describe('upstream credentials and time-outs', () => {
  it('Cerebrum refusing the API key (403) is UPSTREAM_ERROR naming the setting, without the key', async () => {
    const s = await startStack({ env: { CEREBRUM_API_KEY: 'wrong-key-123' } });
    try {
      const { body } = await s.gql('{ person(id: "cerebrum:85073") { name } }');
      expect(body.data.person).toBeNull();
      expect(body.errors[0].extensions).toMatchObject({
        code: 'UPSTREAM_ERROR',
        source: 'CEREBRUM',
        upstream: { status: 403 },
      });
      expect(body.errors[0].message).toMatch(/CEREBRUM_API_KEY/);
      expect(JSON.stringify(body) + s.logs.join('')).not.toContain('wrong-key-123');
      expect(s.sim.stats.byPath.get('GET /v1/persons/85073')).toBe(1); // a 403 is not retried
    } finally {
      await s.stop();
    }
  });

  it('a request that gets no answer is UPSTREAM_TIMEOUT after the configured time-out and retries', async () => {
    const s = await startStack({ env: { CEREBRUM_TIMEOUT_MS: '150', CEREBRUM_RETRIES: '1' } });
    try {
      s.sim.failNext(/^GET \/v1\/persons\/85073$/, 'hang', Infinity);
      const { body } = await s.gql(
        '{ person(id: "cerebrum:85073") { name } other: organisationUnit(id: "cerebrum:ou:567") { acronym } }',
      );
      expect(body.data).toEqual({ person: null, other: { acronym: 'USIT' } });
      expect(body.errors[0].extensions).toMatchObject({
        code: 'UPSTREAM_TIMEOUT',
        source: 'CEREBRUM',
        upstream: { status: null, path: '/v1/persons/85073' },
      });
      expect(s.sim.stats.byPath.get('GET /v1/persons/85073')).toBe(2);
    } finally {
      await s.stop();
    }
  });

  it('an unreachable Cerebrum is UPSTREAM_UNAVAILABLE and /readyz says not ready', async () => {
    const s = await startStack({ env: { CEREBRUM_URL: 'http://127.0.0.1:1', CEREBRUM_RETRIES: '0' } });
    try {
      const { body } = await s.gql('{ person(id: "cerebrum:85073") { name } }');
      expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'CEREBRUM' });
      expect(body.errors[0].message).toMatch(/CEREBRUM_URL/);
      expect((await fetch(`${s.url}/readyz`)).status).toBe(503);
    } finally {
      await s.stop();
    }
  });
});

describe('the DataLoader promise (generated data, 60 persons)', () => {
  let s: Stack;
  const data = generateCerebrumData({ persons: 60, seed: 7 });
  beforeAll(async () => {
    s = await startStack({ sim: { data }, env: { CEREBRUM_CONCURRENCY: '8' } });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('50 aliased persons with accounts, account details, affiliations and their OUs: exactly one request per distinct resource, in 2 rounds', async () => {
    const ids = [...data.persons.keys()].slice(0, 50);
    // Ask for each person twice (aliases) and the shared OUs many times: duplicates must cost nothing.
    const fields = `name accounts { name primaryEmail active } affiliations { status organisationUnit { name stedkode } }`;
    const query = `{ ${ids.map((id, i) => `p${i}: person(id: "cerebrum:${id}") { ${fields} } q${i}: person(id: "cerebrum:${id}") { name primaryAccount { name contexts } }`).join('\n')} }`;
    s.sim.stats.reset();
    const { body } = await s.gql(query);
    expect(body.errors).toBeUndefined();
    expect(body.data.p0.name).toBeTruthy();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
    const min = minimumRequests(data, ids, today);
    expect(new Set(s.sim.stats.byPath.keys())).toEqual(min.paths);
    expect([...s.sim.stats.byPath.values()].every((n) => n === 1)).toBe(true);
    expect(s.sim.stats.total).toBe(min.total);
    expect(s.lastStats()!.rounds).toBe(2);
    expect(s.sim.stats.peakInFlight).toBeLessThanOrEqual(8);
  });
});
