/**
 * The Cerebrum REST simulator over real HTTP on loopback (global fetch): shapes and error bodies as
 * /work/shared/specs/cerebrum-rest.md gives them, auth, counters, injected failures and lifecycle.
 */
import {
  startCerebrumSimulator,
  sampleUniversity,
  generateCerebrumData,
  makeFnr,
  isValidFnr,
  SAMPLE,
  type CerebrumSimulator,
} from '../simulators/cerebrum';
import { first } from './helpers/defined';

const KEY = { 'X-API-Key': 'sim-api-key' };
type Body = any; // JSON under test

async function call(
  sim: CerebrumSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Body }> {
  const init: RequestInit = { method, headers: { ...KEY, 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(sim.url + path, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}
const get = (sim: CerebrumSimulator, path: string) => call(sim, 'GET', path);

/** Yield to the event loop until `cond` holds: a condition, not a timed sleep. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('Cerebrum simulator: read endpoints', () => {
  let sim: CerebrumSimulator;
  beforeAll(async () => {
    sim = await startCerebrumSimulator();
  });
  afterAll(() => sim.stop());

  it('serves an OU with `contact` (singular), stedkode parts and names', async () => {
    const { status, body } = await get(sim, `/v1/ous/${SAMPLE.usitOuId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      href: '/v1/ous/567',
      id: 567,
      stedkode: '330000',
      fakultet: 33,
      institutt: 0,
      avdeling: 0,
      contexts: expect.any(Array),
    });
    expect(body.contacts).toBeUndefined();
    expect(body.contact).toContainEqual({
      entity_id: 567,
      description: null,
      source_system: 'SAP',
      value: '22852470',
      alias: null,
      preference: 1,
      type: 'PHONE',
    });
    expect(body.names).toContainEqual({
      variant: 'OU name',
      name: 'Centre for Information Technology Services',
      language: 'en',
    });
    expect((await get(sim, `/v1/ous/${SAMPLE.shortNameOnlyOuId}`)).body.names).toEqual([
      { variant: 'OU short', name: 'IMV', language: 'nb' },
    ]);
    const nnEn = (await get(sim, `/v1/ous/${SAMPLE.nnEnOnlyOuId}`)).body.names.map((n: Body) => n.language);
    expect(new Set(nnEn)).toEqual(new Set(['nn', 'en']));
  });

  it('answers OU errors as Cerebrum does: 404 unknown, 500 non-numeric', async () => {
    expect(await get(sim, `/v1/ous/${SAMPLE.missingOuId}`)).toEqual({
      status: 404,
      body: { message: `No such ou with entity_id=${SAMPLE.missingOuId}` },
    });
    expect(await get(sim, '/v1/ous/abc')).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
    const affs = (await get(sim, `/v1/persons/${SAMPLE.personWithMissingOu}/affiliations`)).body.affiliations;
    expect(affs.map((a: Body) => a.ou.id)).toContain(SAMPLE.missingOuId);
  });

  it('serves a person with naive datetimes, names and contexts', async () => {
    const { status, body } = await get(sim, `/v1/persons/${SAMPLE.torTest}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ href: '/v1/persons/85073', id: 85073, birth_date: '1970-01-01T00:00:00' });
    expect(body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(body.names).toContainEqual({ source_system: 'Cached', variant: 'FULL', name: 'Tor Test' });
    expect(body.contexts).toEqual(['LDAP_person', 'UA@uio', 'ePhorte_person', 'CIM_person']);
    expect((await get(sim, '/v1/persons/101001')).body.names).toContainEqual({
      source_system: 'Cached',
      variant: 'FIRST',
      name: 'Åse',
    });
    expect((await get(sim, `/v1/persons/${SAMPLE.personWithoutBirthDate}`)).body.birth_date).toBeNull();
  });

  it('answers an unknown person 404 and an unknown route 404 JSON', async () => {
    expect(await get(sim, '/v1/persons/5')).toEqual({
      status: 404,
      body: { message: 'No such person with entity_id=5' },
    });
    expect(await get(sim, '/v1/persons/5/accounts')).toEqual({
      status: 404,
      body: { message: 'No such person with entity_id=5' },
    });
    const unknown = await get(sim, '/v1/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/not found/);
    expect((await call(sim, 'DELETE', '/v1/persons/85073')).status).toBe(405);
  });

  it('hides deleted affiliations unless include_deleted=true', async () => {
    const path = `/v1/persons/${SAMPLE.personWithDeletedAffiliation}/affiliations`;
    const visible = (await get(sim, path)).body.affiliations;
    const all = (await get(sim, `${path}?include_deleted=true`)).body.affiliations;
    expect(visible.every((a: Body) => a.deleted_date === null)).toBe(true);
    expect(all).toHaveLength(visible.length + 1);
    expect(all.find((a: Body) => a.deleted_date !== null)).toMatchObject({
      affiliation: 'ANSATT',
      status: 'ANSATT/vitenskapelig',
      deleted_date: '2016-09-15T00:00:00',
    });
    const tor = (await get(sim, '/v1/persons/85073/affiliations')).body.affiliations;
    expect(tor).toEqual([
      {
        affiliation: 'ANSATT',
        status: 'ANSATT/tekadm',
        ou: { href: '/v1/ous/2926742', id: 2926742 },
        create_date: '2016-01-01T00:00:00',
        last_date: '2016-10-14T00:00:00',
        deleted_date: null,
        source_system: 'SAP',
      },
    ]);
  });

  it('serves person contacts, external ids, addresses, consents and groups', async () => {
    const contacts = (await get(sim, '/v1/persons/85073/contacts')).body.contacts;
    expect(contacts).toContainEqual(
      expect.objectContaining({
        entity_id: 85073,
        type: 'EXTENSION',
        alias: '59999',
        value: '+4722859999',
        last_modified: expect.any(String),
      }),
    );
    const ext = (await get(sim, '/v1/persons/85073/external-ids')).body.external_ids;
    expect(ext).toContainEqual({ external_id: '999999', id_type: 'employeeNumber', source_system: 'SAP' });
    const fnr = ext.find((e: Body) => e.id_type === 'norwegianNationalId').external_id;
    expect(isValidFnr(fnr)).toBe(true);
    expect((await get(sim, '/v1/persons/85073/addresses')).body.addresses).toContainEqual({
      source_system: 'SAP',
      address_type: 'postalAddress',
      address_text: 'Postboks 1059 Blindern',
      p_o_box: null,
      postal_number: '0316',
      city: 'Oslo',
      country: 'NO',
    });
    expect((await get(sim, '/v1/persons/85073/consents')).body).toEqual({ consents: [] });
    expect((await get(sim, '/v1/persons/101001/consents')).body.consents[0]).toMatchObject({
      name: 'publication',
      type: 'opt-out',
    });
    expect((await get(sim, '/v1/persons/85073/groups')).body.groups.map((g: Body) => g.name)).toEqual([SAMPLE.group]);
  });

  it('lists person accounts with a string id, and seed-002 shapes for the legacy person', async () => {
    expect((await get(sim, '/v1/persons/85073/accounts')).body).toEqual({
      accounts: [{ href: '/v1/accounts/torte', id: '839022', name: 'torte', primary: true }],
    });
    const noPrimary = (await get(sim, `/v1/persons/${SAMPLE.personWithoutPrimary}/accounts`)).body.accounts;
    expect(noPrimary).toEqual([
      {
        href: `/v1/accounts/${SAMPLE.expiredAccount}`,
        id: String(SAMPLE.expiredAccountId),
        name: SAMPLE.expiredAccount,
        primary: false,
      },
    ]);
    expect((await get(sim, `/v1/persons/${SAMPLE.personWithoutAccounts}/accounts`)).body).toEqual({ accounts: [] });
    const legacy = (await get(sim, `/v1/persons/${SAMPLE.legacyPerson}/accounts`)).body.accounts;
    expect(legacy[0]).toEqual({
      href: `/v1/accounts/${SAMPLE.legacyPersonAccount}`,
      id: SAMPLE.legacyPersonAccount,
      primary: true,
    });
    const legacyExt = (await get(sim, `/v1/persons/${SAMPLE.legacyPerson}/external-ids`)).body.external_ids;
    expect(legacyExt.map((e: Body) => Object.keys(e).sort())).toEqual([
      ['id', 'source_system', 'type'],
      ['id', 'source_system', 'type'],
    ]);
    expect(legacyExt.map((e: Body) => e.type)).toEqual(['NO_BIRTHNO', 'NO_SAPNO']);
  });

  it('serves an account by name or entity id with an integer id', async () => {
    const byName = await get(sim, '/v1/accounts/torte');
    expect(byName).toEqual({
      status: 200,
      body: {
        href: '/v1/accounts/torte',
        name: 'torte',
        id: 839022,
        owner: { id: 85073, type: 'person', href: '/v1/persons/85073', name: null },
        created_at: '1970-01-01T00:00:00',
        expire_date: null,
        contexts: ['AD_account'],
        primary_email: 'torte@usit.uio.no',
        active: true,
      },
    });
    expect(await get(sim, '/v1/accounts/839022')).toEqual(byName);
    expect((await get(sim, `/v1/accounts/${SAMPLE.expiredAccount}`)).body).toMatchObject({
      active: false,
      expire_date: '2021-06-30T00:00:00',
    });
    expect(await get(sim, '/v1/accounts/nobody')).toEqual({
      status: 404,
      body: { message: 'No such account with name=nobody' },
    });
    expect((await get(sim, `/v1/accounts/${SAMPLE.groupOwnedAccount}`)).body.owner).toEqual({
      id: 300001,
      type: 'group',
      href: '/v1/groups/usit-ansatte',
      name: 'usit-ansatte',
    });
  });

  it('searches accounts with wildcards, hiding expired ones by default', async () => {
    const names = async (q: string): Promise<string[]> =>
      (await get(sim, `/v1/accounts/?${q}`)).body.accounts.map((a: Body) => a.name);
    expect(await names('name=t?rt*')).toEqual(['torte']);
    expect(await names('name=bjornae*')).toEqual(['bjornae', 'bjornae-adm']);
    expect(await names(`owner_id=${SAMPLE.personWithoutPrimary}`)).toEqual([]);
    expect(await names(`owner_id=${SAMPLE.personWithoutPrimary}&expire_start=1900-01-01`)).toEqual([
      SAMPLE.expiredAccount,
    ]);
    expect(await names('owner_type=group')).toEqual([SAMPLE.groupOwnedAccount]);
    expect(await names('context=NIS_user*&name=s*')).toEqual(['sigurdh-drift']);
    const item = (await get(sim, '/v1/accounts/?name=torte')).body.accounts[0];
    expect(item).toEqual({
      href: '/v1/accounts/torte',
      name: 'torte',
      id: 839022,
      owner: expect.objectContaining({ id: 85073, type: 'person' }),
      expire_date: null,
      np_type: null,
    });
    expect((await get(sim, '/v1/accounts/?owner_id=abc')).body.message).toBe('Input payload validation failed');
  });

  it('serves account email addresses, quarantines, groups, affiliations and contacts', async () => {
    expect((await get(sim, '/v1/accounts/torte/emailaddresses')).body).toMatchObject({
      primary: 'torte@usit.uio.no',
      addresses: expect.arrayContaining([expect.objectContaining({ value: 'tor.test@usit.uio.no' })]),
    });
    const q = (await get(sim, `/v1/accounts/${SAMPLE.quarantinedAccount}/quarantines`)).body;
    expect(q).toEqual({
      locked: true,
      quarantines: [
        {
          type: 'svakt_passord',
          comment: 'Passordet er for svakt',
          start: '2024-02-01T00:00:00',
          end: null,
          disable_until: null,
          active: true,
        },
      ],
    });
    expect((await get(sim, '/v1/accounts/bjornae-adm/quarantines')).body).toMatchObject({
      locked: false,
      quarantines: [{ type: 'generell', active: false }],
    });
    expect((await get(sim, '/v1/accounts/torte/groups')).body.groups.map((g: Body) => g.name)).toEqual([
      'alle-it',
      'torte-testgruppe',
    ]);
    expect((await get(sim, '/v1/accounts/torte/affiliations')).body).toEqual({
      affiliations: [{ affiliation: 'ANSATT', priority: 100, ou: { href: '/v1/ous/2926742', id: 2926742 } }],
    });
    expect((await get(sim, '/v1/accounts/olanor/contacts')).body.contacts[0]).toMatchObject({
      type: 'MOBILE',
      entity_id: expect.any(Number),
    });
  });

  it('serves groups, members and the member_id filter', async () => {
    expect((await get(sim, `/v1/groups/${SAMPLE.nestedGroup}`)).body).toMatchObject({
      href: '/v1/groups/alle-it',
      id: 300003,
      visibility: 'all',
      members: '/v1/groups/alle-it/members/',
    });
    expect((await get(sim, '/v1/groups/alle-it/members/')).body).toEqual({
      members: [
        { href: '/v1/groups/usit-ansatte', id: 300001, type: 'group', name: 'usit-ansatte' },
        { href: '/v1/accounts/torte', id: 839022, type: 'account', name: 'torte' },
      ],
    });
    const groups = (await get(sim, '/v1/groups/?member_id=85073&member_id=839022')).body.groups.map(
      (g: Body) => g.name,
    );
    expect(groups.sort()).toEqual(['alle-it', 'torte-testgruppe', 'usit-ansatte']);
    expect(await get(sim, '/v1/groups/nope')).toEqual({
      status: 404,
      body: { message: 'No such group with name=nope' },
    });
  });

  it('searches persons by external id', async () => {
    const fnr = first(sampleUniversity().persons.get(SAMPLE.torTest)!.external_ids).external_id;
    expect(
      (await get(sim, `/v1/search/persons/external-ids?external_id=${fnr}&id_type=norwegianNationalId`)).body,
    ).toEqual({
      external_ids: [
        {
          href: '/v1/persons/85073',
          person_id: 85073,
          source_system: 'SAP',
          id_type: 'norwegianNationalId',
          external_id: fnr,
        },
      ],
    });
    expect((await get(sim, '/v1/search/persons/external-ids?external_id=999999&id_type=studentNumber')).body).toEqual({
      external_ids: [],
    });
    expect(await get(sim, '/v1/search/persons/external-ids?external_id=1&id_type=NO_BIRTHNO')).toEqual({
      status: 404,
      body: { message: 'Unknown id_type=NO_BIRTHNO' },
    });
    expect((await get(sim, '/v1/search/persons/external-ids?id_type=employeeNumber')).status).toBe(400);
  });

  it('searches persons by affiliation: one entry per row, statuses, 400s', async () => {
    const ids = async (q: string): Promise<number[]> =>
      (await get(sim, `/v1/search/persons/affiliations?${q}`)).body.persons.map((p: Body) => p.id);
    expect(await ids(`affiliation=ANSATT&location=${SAMPLE.duplicateAffiliationStedkode}`)).toEqual([
      SAMPLE.duplicateAffiliationPerson,
      SAMPLE.duplicateAffiliationPerson,
    ]);
    expect(await ids('affiliation=ANSATT/tekadm&location=331000')).toEqual([85073, 101021]);
    expect(await ids('affiliation=TILKNYTTET/emeritus')).toEqual([101005, 101022]);
    expect(await ids('location=164000')).toEqual([101005, 101016, 101017]); // 101005's deleted row not listed
    expect((await ids('affiliation=ANSATT')).filter((id) => id === SAMPLE.personWithDeletedAffiliation)).toEqual([]);
    expect((await get(sim, '/v1/search/persons/affiliations?location=331000')).body.persons[0]).toEqual({
      id: 85073,
      href: '/v1/persons/85073',
    });
    expect(await get(sim, '/v1/search/persons/affiliations?affiliation=X')).toEqual({
      status: 400,
      body: { message: 'Invalid affiliation: X' },
    });
    expect(await get(sim, '/v1/search/persons/affiliations?location=123456')).toEqual({
      status: 400,
      body: { message: 'Invalid location 123456' },
    });
  });

  it('lists contexts as a bare array', async () => {
    const { body } = await get(sim, '/v1/contexts/');
    expect(Array.isArray(body)).toBe(true);
    expect(body).toContainEqual({ context: 'AD_account', description: expect.any(String), entity_type: 'account' });
  });
});

describe('Cerebrum simulator: writes', () => {
  let sim: CerebrumSimulator;
  beforeEach(async () => {
    sim = await startCerebrumSimulator();
  });
  afterEach(() => sim.stop());

  it('PUT quarantine: 201 created, 200 updated; DELETE 204 then 404; bad type and bad body 400', async () => {
    const path = '/v1/accounts/torte/quarantines/generell';
    const created = await call(sim, 'PUT', path, { start: '2024-01-01', comment: 'test' });
    expect(created).toEqual({
      status: 201,
      body: {
        type: 'generell',
        comment: 'test',
        start: '2024-01-01T00:00:00',
        end: null,
        disable_until: null,
        active: true,
      },
    });
    expect((await call(sim, 'PUT', path, { start: '2024-01-01', end: '2099-01-01T00:00:00Z' })).status).toBe(200);
    expect(sim.data.accounts.get('torte')!.quarantines).toHaveLength(1);
    expect((await get(sim, '/v1/accounts/torte/quarantines')).body.locked).toBe(true);
    expect(await call(sim, 'DELETE', path)).toEqual({ status: 204, body: null });
    expect(await call(sim, 'DELETE', path)).toEqual({ status: 404, body: { message: 'quarantine not set' } });
    expect(await call(sim, 'PUT', '/v1/accounts/torte/quarantines/bogus', { start: '2024-01-01' })).toEqual({
      status: 400,
      body: { message: 'quarantine type does not exist' },
    });
    const missing = await call(sim, 'PUT', path, { comment: 'no start' });
    expect(missing).toEqual({
      status: 400,
      body: { errors: { start: expect.any(String) }, message: 'Input payload validation failed' },
    });
    const badJson = await call(sim, 'PUT', path, '{"start": ');
    expect(badJson.status).toBe(400);
    expect(badJson.body).toEqual({ errors: expect.any(Object), message: 'Input payload validation failed' });
  });

  it('PUT group creates (201) and updates (200); members add, remove and replace', async () => {
    const created = await call(sim, 'PUT', '/v1/groups/ny-gruppe', { visibility: 'internal', description: 'Ny' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'ny-gruppe',
      visibility: 'internal',
      description: 'Ny',
      id: expect.any(Number),
    });
    expect((await call(sim, 'PUT', '/v1/groups/ny-gruppe', { visibility: 'ALL', description: null })).status).toBe(200);
    expect(sim.data.groups.get('ny-gruppe')).toMatchObject({ visibility: 'all', description: null });
    expect((await call(sim, 'PUT', '/v1/groups/ny-gruppe', { visibility: 'secret' })).body.errors.visibility).toMatch(
      /not a valid choice/,
    );
    expect(await call(sim, 'PUT', '/v1/groups/ny-gruppe/members/839022')).toEqual({
      status: 200,
      body: { href: '/v1/accounts/torte', id: 839022, type: 'account', name: 'torte' },
    });
    expect((await call(sim, 'PUT', '/v1/groups/ny-gruppe/members/85073')).status).toBe(200);
    expect((await get(sim, '/v1/groups/ny-gruppe/members/')).body.members.map((m: Body) => m.id)).toEqual([
      839022, 85073,
    ]);
    expect((await call(sim, 'DELETE', '/v1/groups/ny-gruppe/members/839022')).status).toBe(204);
    expect(
      (await call(sim, 'PUT', '/v1/groups/ny-gruppe/members/', { members: [300001, 101001] })).body.members.map(
        (m: Body) => m.id,
      ),
    ).toEqual([300001, 101001]);
    expect((await call(sim, 'PUT', '/v1/groups/ny-gruppe/members/4')).status).toBe(404);
    expect((await call(sim, 'PUT', '/v1/groups/ny-gruppe/members/', { members: 'x' })).status).toBe(400);
  });
});

describe('Cerebrum simulator: auth', () => {
  it('answers 403 for a missing or wrong key, naming the configured header', async () => {
    const sim = await startCerebrumSimulator({ apiKey: 'k1', apiKeyHeader: 'X-Api-Subscription' });
    try {
      const missing = await fetch(`${sim.url}/v1/persons/85073`);
      expect([missing.status, await missing.json()]).toEqual([
        403,
        { message: 'Missing API subscription identifier header', 'api-id-header': 'X-Api-Subscription' },
      ]);
      const wrong = await fetch(`${sim.url}/v1/persons/85073`, { headers: { 'X-Api-Subscription': 'nope' } });
      expect([wrong.status, await wrong.json()]).toEqual([403, { message: 'Invalid API key in header' }]);
      expect((await fetch(`${sim.url}/v1/persons/85073`, { headers: { 'x-api-subscription': 'k1' } })).status).toBe(
        200,
      );
    } finally {
      await sim.stop();
    }
  });

  it('checks nothing when apiKey is null', async () => {
    const sim = await startCerebrumSimulator({ apiKey: null });
    try {
      expect((await fetch(`${sim.url}/v1/ous/567`)).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });
});

describe('Cerebrum simulator: counters, latency, injected failures, lifecycle', () => {
  let sim: CerebrumSimulator;
  beforeEach(async () => {
    sim = await startCerebrumSimulator();
  });
  afterEach(() => sim.stop());

  it('counts every request by "METHOD path" including the query, and logs status and times', async () => {
    await get(sim, '/v1/persons/85073');
    await get(sim, '/v1/persons/85073');
    await get(sim, '/v1/persons/5/affiliations?include_deleted=true');
    await fetch(`${sim.url}/v1/persons/85073`); // 403: still counted
    expect(sim.stats.total).toBe(4);
    expect(sim.stats.byPath.get('GET /v1/persons/85073')).toBe(3);
    expect(sim.stats.byPath.get('GET /v1/persons/5/affiliations?include_deleted=true')).toBe(1);
    expect(sim.stats.log.map((r) => r.status)).toEqual([200, 200, 404, 403]);
    expect(sim.stats.log[2]).toMatchObject({ method: 'GET', path: '/v1/persons/5/affiliations?include_deleted=true' });
    expect(sim.stats.inFlight).toBe(0);
    sim.stats.reset();
    expect([sim.stats.total, sim.stats.byPath.size, sim.stats.log.length, sim.stats.peakInFlight]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('delays responses by the latency and reports concurrent requests in peakInFlight', async () => {
    sim.setLatency(20);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => get(sim, '/v1/ous/567')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(sim.stats.peakInFlight).toBe(5);
    for (const r of sim.stats.log) expect(r.endedAt - r.startedAt).toBeGreaterThanOrEqual(19);
    sim.setLatency(0);
    await get(sim, '/v1/ous/567');
    expect(sim.stats.peakInFlight).toBe(5);
  });

  it('injects status failures by method and path, `times` times, with the spec bodies', async () => {
    sim.failNext(/^GET \/v1\/persons\/85073$/, 500, 2);
    sim.failNext(/accounts/, 503);
    sim.failNext(/ous/, 404);
    expect(await get(sim, '/v1/persons/85073/accounts')).toEqual({
      status: 503,
      body: { message: 'Service Unavailable' },
    });
    expect(await get(sim, '/v1/persons/85073')).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
    expect(await get(sim, '/v1/persons/85073')).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
    expect((await get(sim, '/v1/persons/85073')).status).toBe(200);
    expect(await get(sim, '/v1/ous/567')).toEqual({ status: 404, body: { message: 'No such ou with entity_id=567' } });
    sim.failNext(/^PUT /, 429, Infinity);
    expect(await call(sim, 'PUT', '/v1/groups/x', { visibility: 'all' })).toEqual({
      status: 429,
      body: { message: 'Too Many Requests' },
    });
    expect((await get(sim, '/v1/groups/alle-it')).status).toBe(200);
    sim.clearFailures();
    expect((await call(sim, 'PUT', '/v1/groups/x', { visibility: 'all' })).status).toBe(201);
    expect(sim.stats.total).toBe(8);
  });

  it("'reset' destroys the socket: the client sees a network error", async () => {
    sim.failNext(/persons/, 'reset');
    await expect(fetch(`${sim.url}/v1/persons/85073`, { headers: KEY })).rejects.toThrow();
    expect(sim.stats.log.at(-1)).toMatchObject({ path: '/v1/persons/85073', status: 0 });
    expect((await get(sim, '/v1/persons/85073')).status).toBe(200);
  });

  it("'hang' never answers: the client's timeout fires, and the request ends when it aborts", async () => {
    sim.failNext(/persons/, 'hang');
    await expect(
      fetch(`${sim.url}/v1/persons/85073`, { headers: KEY, signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
    await until(() => sim.stats.inFlight === 0, 'the aborted request to close');
    expect(sim.stats.log.at(-1)).toMatchObject({ status: 0 });
    expect((await get(sim, '/v1/persons/85073')).status).toBe(200);
  });

  it('stop() closes hanging and keep-alive sockets and is idempotent', async () => {
    await get(sim, '/v1/ous/567'); // leaves an idle keep-alive connection
    sim.failNext(/persons/, 'hang');
    const hanging = fetch(`${sim.url}/v1/persons/85073`, { headers: KEY });
    const outcome = hanging.then(
      () => 'answered',
      () => 'failed',
    );
    await until(() => sim.stats.inFlight === 1, 'the hanging request to arrive');
    const first = sim.stop();
    expect(sim.stop()).toBe(first);
    await first;
    expect(await outcome).toBe('failed');
    await sim.stop();
    await expect(fetch(`${sim.url}/v1/ous/567`, { headers: KEY })).rejects.toThrow();
  });

  it('stop() ends a pending latency wait without answering', async () => {
    sim.setLatency(10_000);
    const pending = fetch(`${sim.url}/v1/ous/567`, { headers: KEY }).then(
      () => 'answered',
      () => 'failed',
    );
    await until(() => sim.stats.inFlight === 1, 'the request to arrive');
    await sim.stop();
    expect(await pending).toBe('failed');
  });
});

describe('Cerebrum sample data', () => {
  it('keeps the special ids consistent with the data', () => {
    const d = sampleUniversity();
    expect(d.persons.get(SAMPLE.torTest)!.names).toContainEqual({
      source_system: 'Cached',
      variant: 'FULL',
      name: 'Tor Test',
    });
    expect(d.accounts.get(SAMPLE.torTestAccount)).toMatchObject({
      id: SAMPLE.torTestAccountId,
      primary_email: 'torte@usit.uio.no',
      contexts: ['AD_account'],
    });
    expect(d.accounts.get(SAMPLE.expiredAccount)!.id).toBe(SAMPLE.expiredAccountId);
    expect(d.persons.get(SAMPLE.personWithoutPrimary)!.primary_account).toBeNull();
    expect(d.persons.get(SAMPLE.legacyPerson)!.legacy).toBe(true);
    expect(d.ous.has(SAMPLE.missingOuId)).toBe(false);
    expect(d.persons.size).toBeGreaterThanOrEqual(25);
    const ids = [
      ...d.ous.keys(),
      ...d.persons.keys(),
      ...[...d.accounts.values()].map((a) => a.id),
      ...[...d.groups.values()].map((g) => g.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.persons.values()) {
      for (const e of p.external_ids.filter((x) => x.id_type === 'NO_BIRTHNO'))
        expect(isValidFnr(e.external_id)).toBe(true);
    }
    expect(sampleUniversity()).toEqual(d); // deterministic, and a fresh copy each call
    expect(sampleUniversity().persons.get(SAMPLE.torTest)).not.toBe(d.persons.get(SAMPLE.torTest));
  });

  it('makeFnr gives valid numbers in the century ranges', () => {
    expect(makeFnr('1970-01-01', 0)).toMatch(/^010170[0-4]\d{4}$/);
    expect(makeFnr('2003-10-02', 0)).toMatch(/^021003[5-9]\d{4}$/);
    for (let seq = 0; seq < 50; seq++) expect(isValidFnr(makeFnr('1985-07-04', seq))).toBe(true);
  });

  it('generates deterministic data at scale with shared OUs', () => {
    const a = generateCerebrumData({ persons: 1000, seed: 7 });
    expect(generateCerebrumData({ persons: 1000, seed: 7 })).toEqual(a);
    expect(generateCerebrumData({ persons: 1000, seed: 8 })).not.toEqual(a);
    expect(a.persons.size).toBe(1000);
    expect(a.ous.size).toBe(40);
    expect(a.accounts.size).toBe(2000);
    const ouIds = new Set([...a.persons.values()].flatMap((p) => p.affiliations.map((x) => x.ou_id)));
    for (const id of ouIds) expect(a.ous.has(id)).toBe(true);
    for (const p of a.persons.values()) expect(p.affiliations.length).toBeGreaterThanOrEqual(1);
    const small = generateCerebrumData({ persons: 10, accountsPerPerson: 1 });
    expect([small.ous.size, small.accounts.size]).toEqual([10, 10]);
  });

  it('serves generated data', async () => {
    const data = generateCerebrumData({ persons: 50 });
    const sim = await startCerebrumSimulator({ data, apiKey: null });
    try {
      const person = first([...data.persons.values()]);
      expect((await get(sim, `/v1/persons/${person.id}/accounts`)).body.accounts[0]).toMatchObject({
        primary: true,
        id: expect.any(String),
      });
      expect((await get(sim, `/v1/ous/${first(person.affiliations).ou_id}`)).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });
});
