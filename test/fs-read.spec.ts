import { startFsStack, FS_PASSWORD, FS_USER, type FsStack } from './helpers/fs-stack';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { startFsSimulator, type FsSimulator } from '../simulators/fs';
import { FS_SAMPLE } from './helpers/fs-sample';
import { SAMPLE } from '../simulators/cerebrum';
import { FsClient } from '../datasources/fs/client';
import { FsSource, collect, termOf, previousTerm } from '../datasources/fs/source';
import { UpstreamError } from '../core/errors';

const ola = FS_SAMPLE.rule1Student;
const fsId = (h: { personNumber: string }) => `fs:${h.personNumber}`;

const PERSON_FIELDS = `
  id source name firstName lastName birthDate nationalId
  names { variant value sourceSystem }
  contacts { type value preference sourceSystem }
  externalIds { type value sourceSystem }
  studyRights { programmeCode programmeName status from to level active cohort studentNumber organisationUnit { id source name stedkode } }
  accounts { name } affiliations { id }
`;

describe('FS through the gateway', () => {
  let s: FsStack;
  beforeAll(async () => {
    s = await startFsStack();
  });
  afterAll(async () => {
    await s.stop();
  });
  beforeEach(() => {
    s.fsSim.clearFailures();
    s.fsSim.stats.reset();
    s.sim.clearFailures();
    s.sim.stats.reset();
  });

  it('maps an FS person: names, birth date, contacts, external ids, study rights with their FS unit', async () => {
    const { body } = await s.gql(`{ person(id: "${fsId(ola)}") { ${PERSON_FIELDS} } }`, undefined, TOKENS.pii);
    expect(body.errors).toBeUndefined();
    const p = body.data.person;
    expect(p).toMatchObject({
      id: fsId(ola),
      source: 'FS',
      name: 'Ola Nordmann',
      firstName: 'Ola',
      lastName: 'Nordmann',
      birthDate: '1990-02-14',
      nationalId: ola.nationalId,
      accounts: [],
      affiliations: [],
    });
    expect(p.names).toEqual([
      { variant: 'FIRST', value: 'Ola', sourceSystem: 'FS' },
      { variant: 'LAST', value: 'Nordmann', sourceSystem: 'FS' },
      { variant: 'FULL', value: 'Ola Nordmann', sourceSystem: 'FS' },
    ]);
    expect(p.contacts[0]).toEqual({ type: 'EMAIL', value: 'olanor@uio.no', preference: 1, sourceSystem: 'FS' });
    expect(p.contacts).toContainEqual({
      type: 'MOBILE',
      value: expect.stringMatching(/^\+47/),
      preference: 1,
      sourceSystem: 'FS',
    });
    expect(p.externalIds).toEqual([
      { type: 'fsPersonSerialNumber', value: ola.personNumber, sourceSystem: 'FS' },
      { type: 'studentNumber', value: ola.studentNumber, sourceSystem: 'FS' },
      { type: 'feideId', value: 'olanor@uio.no', sourceSystem: 'FS' },
    ]);
    expect(p.studyRights).toEqual([
      {
        programmeCode: 'BA-INF',
        programmeName: 'Informatikk: programmering og systemarkitektur (bachelor)',
        status: 'AKTIV',
        from: expect.stringMatching(/^\d{4}-0[18]-01$/),
        to: null,
        level: '280',
        active: true,
        cohort: expect.stringMatching(/^\d{4} (VÅR|HØST)$/),
        studentNumber: ola.studentNumber,
        organisationUnit: { id: 'fs:ou:162000', source: 'FS', name: 'Institutt for informatikk', stedkode: '162000' },
      },
    ]);
  });

  it('shows the national id only with scope pii', async () => {
    const q = `{ person(id: "${fsId(ola)}") { nationalId sameAs { nationalId } } }`;
    const read = await s.gql(q, undefined, TOKENS.read);
    expect(read.body.data.person).toEqual({ nationalId: null, sameAs: [{ nationalId: null }] });
    expect(JSON.stringify(read.body)).not.toContain(ola.nationalId);
    const pii = await s.gql(q, undefined, TOKENS.pii);
    expect(pii.body.data.person).toEqual({ nationalId: ola.nationalId, sameAs: [{ nationalId: ola.nationalId }] });
  });

  it('links FS and Cerebrum persons by national id in both directions', async () => {
    const { body } = await s.gql(
      `{
      cerebrum: person(id: "cerebrum:${ola.cerebrumId}") { id studyRights { programmeCode } sameAs { id source name studyRights { programmeCode } } }
      fs: person(id: "${fsId(ola)}") { sameAs { id source name accounts { name } } }
      fsOnly: person(id: "${fsId(FS_SAMPLE.englishLetter)}") { sameAs { id } }
      cerebrumOnly: person(id: "cerebrum:${FS_SAMPLE.cerebrumOnly}") { studyRights { programmeCode } sameAs { id } }
    }`,
      undefined,
      TOKENS.read,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      cerebrum: {
        id: `cerebrum:${ola.cerebrumId}`,
        studyRights: [{ programmeCode: 'BA-INF' }],
        sameAs: [{ id: fsId(ola), source: 'FS', name: 'Ola Nordmann', studyRights: [{ programmeCode: 'BA-INF' }] }],
      },
      fs: {
        sameAs: [
          {
            id: `cerebrum:${ola.cerebrumId}`,
            source: 'CEREBRUM',
            name: 'Ola Nordmann',
            accounts: [{ name: 'olanor' }],
          },
        ],
      },
      fsOnly: { sameAs: [] },
      cerebrumOnly: { studyRights: [], sameAs: [] },
    });
    // FS → Cerebrum: one external-id search per FS person (Cerebrum has no batch search; the national id masked in logs).
    const searches = [...s.sim.stats.byPath.keys()].filter((k) => k.startsWith('GET /v1/search/persons/external-ids'));
    expect(searches).toHaveLength(2);
    // Cerebrum → FS: the national ids of both Cerebrum persons went to FS in one personProfiler call.
    expect(s.fsSim.stats.byOperation.get('FsPersonsByNationalId')).toBe(1);
    expect(s.logs.join('\n')).not.toContain(ola.nationalId);
  });

  it('shows every study right of a person (active or not) and the FS unit by id', async () => {
    const { body } = await s.gql(`{
      liv: person(id: "cerebrum:${FS_SAMPLE.highestLevelWins.cerebrumId}") { studyRights { programmeCode level status } }
      marit: person(id: "${fsId(FS_SAMPLE.inactiveStudent)}") { studyRights { programmeCode status active to } }
      unit: organisationUnit(id: "fs:ou:151000") { id source stedkode name parent { id } children { id } affiliations { id } }
      node(id: "fs:ou:162000") { id }
      missing: organisationUnit(id: "fs:ou:999999") { id }
      nodePerson: node(id: "${fsId(ola)}") { id ... on Person { name } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.liv.studyRights.map((r: any) => r.level).sort()).toEqual(['350', '900']);
    expect(body.data.marit.studyRights).toEqual([
      { programmeCode: 'BA-INF', status: 'FULLFØRT', active: false, to: '2021-06-30' },
    ]);
    expect(body.data.unit).toEqual({
      id: 'fs:ou:151000',
      source: 'FS',
      stedkode: '151000',
      name: 'Institutt for filosofi, ide- og kunsthistorie og klassiske språk',
      parent: null,
      children: [],
      affiliations: [],
    });
    expect(body.data.node).toEqual({ id: 'fs:ou:162000' });
    expect(body.data.missing).toBeNull();
    expect(body.data.nodePerson).toEqual({ id: fsId(ola), name: 'Ola Nordmann' });
  });

  it('personByNationalId: the Cerebrum person when both have it (sameAs leads to FS), else the FS person', async () => {
    const q = (nid: string) => `{ personByNationalId(nationalId: "${nid}") { id source sameAs { id } } }`;
    const both = await s.gql(q(ola.nationalId), undefined, TOKENS.pii);
    expect(both.body.data.personByNationalId).toEqual({
      id: `cerebrum:${ola.cerebrumId}`,
      source: 'CEREBRUM',
      sameAs: [{ id: fsId(ola) }],
    });
    const lukas = FS_SAMPLE.englishLetter;
    const fsOnly = await s.gql(q(lukas.nationalId), undefined, TOKENS.pii);
    expect(fsOnly.body.data.personByNationalId).toEqual({ id: fsId(lukas), source: 'FS', sameAs: [] });
    const none = await s.gql(q('01010112345'), undefined, TOKENS.pii);
    expect(none.body.data.personByNationalId).toBeNull();
    const forbidden = await s.gql(q(lukas.nationalId), undefined, TOKENS.read);
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('persons(filter: {source: FS}) pages through every FS person with FS cursors', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const { body } = await s.gql(
        `query P($after: String) { persons(filter: {source: FS}, first: 8, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id source } } } }`,
        { after },
      );
      expect(body.errors).toBeUndefined();
      const c = body.data.persons;
      total = c.totalCount;
      ids.push(...c.edges.map((e: any) => e.node.id));
      expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)?.cursor ?? null);
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(total).toBe(s.fsSim.data.persons.length);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(s.fsSim.stats.byField.get('personProfiler')).toBe(Math.ceil(total / 8));
  });

  it('persons(FS) by unit (a Cerebrum unit or an FS stedkode: the same persons) and by name', async () => {
    const { body } = await s.gql(`{
      byCerebrum: persons(filter: {source: FS, organisationUnit: "cerebrum:ou:1620"}, first: 100) { totalCount edges { node { id } } }
      byFs: persons(filter: {organisationUnit: "fs:ou:162000"}, first: 100) { totalCount edges { node { id source } } }
      byName: persons(filter: {source: FS, name: "nordMANN"}) { edges { node { id name } } }
    }`);
    expect(body.errors).toBeUndefined();
    const a = body.data.byCerebrum.edges.map((e: any) => e.node.id);
    expect(body.data.byFs.edges.map((e: any) => e.node.id)).toEqual(a);
    expect(body.data.byFs.edges.every((e: any) => e.node.source === 'FS')).toBe(true);
    // BA-INF/MA-INF students, IFI teaching staff (Per Ås, Liv Bråten).
    expect(a).toEqual(
      expect.arrayContaining([fsId(ola), fsId(FS_SAMPLE.staffCurrentTerm2), fsId(FS_SAMPLE.highestLevelWins)]),
    );
    expect(a).not.toContain(fsId(FS_SAMPLE.courseLevelTie));
    expect(body.data.byName.edges).toEqual([{ node: { id: fsId(ola), name: 'Ola Nordmann' } }]);
    const bad = await s.gql('{ persons(filter: {source: FS}, after: "bm90LWEtY3Vyc29y") { totalCount } }');
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badUnit = await s.gql(
      '{ persons(filter: {source: FS, organisationUnit: "los:0b6c6e4a-0000-4000-8000-000000000001"}) { totalCount } }',
    );
    expect(badUnit.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('batches: 20 aliased FS persons with study rights cost one personProfiler and one programStudieretter call', async () => {
    const students = s.fsSim.data.persons.filter((p) => p.studentnummer).slice(0, 20);
    expect(students).toHaveLength(20);
    const query = `{ ${students.map((p, i) => `s${i}: person(id: "fs:${p.personlopenummer}") { name studyRights { programmeCode } }`).join('\n')} }`;
    const { body } = await s.gql(query);
    expect(body.errors).toBeUndefined();
    expect(students.map((p, i) => body.data[`s${i}`].name)).toEqual(students.map((p) => `${p.fornavn} ${p.etternavn}`));
    expect(s.fsSim.stats.byField).toEqual(
      new Map([
        ['personProfiler', 1],
        ['programStudieretter', 1],
      ]),
    );
    expect(s.fsSim.stats.requests).toBe(2);
  });

  it('batches Cerebrum → FS: the sameAs of 8 Cerebrum persons is one FS call', async () => {
    const ids = FS_SAMPLE.inBoth.slice(0, 8).map((h) => h.cerebrumId);
    const { body } = await s.gql(
      `{ ${ids.map((id, i) => `c${i}: person(id: "cerebrum:${id}") { sameAs { id } }`).join('\n')} }`,
    );
    expect(body.errors).toBeUndefined();
    expect(ids.map((_, i) => body.data[`c${i}`].sameAs)).toEqual(
      FS_SAMPLE.inBoth.slice(0, 8).map((h) => [{ id: fsId(h) }]),
    );
    expect(s.fsSim.stats.byField).toEqual(new Map([['personProfiler', 1]]));
  });

  it('an FS 500 nulls the field with UPSTREAM_ERROR and source FS (after retries); Cerebrum data stays intact', async () => {
    s.fsSim.failNext(/FsPersonsByNumber/, 500, Infinity);
    const { body } = await s.gql(
      `{ fs: person(id: "${fsId(ola)}") { name } cerebrum: person(id: "cerebrum:${SAMPLE.torTest}") { name } }`,
    );
    expect(body.data).toEqual({ fs: null, cerebrum: { name: 'Tor Test' } });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      path: ['fs'],
      extensions: { code: 'UPSTREAM_ERROR', source: 'FS', upstream: { status: 500, method: 'POST', path: '/graphql' } },
    });
    expect(s.fsSim.stats.byOperation.get('FsPersonsByNumber')).toBe(3); // the first attempt and 2 retries (the default)
  });

  it('a failing FS gives a Cerebrum person [] study rights and a warning, not an error', async () => {
    s.fsSim.failNext(/FsPersonsByNationalId/, 503, Infinity);
    const { body } = await s.gql(
      `{ person(id: "cerebrum:${ola.cerebrumId}") { name studyRights { programmeCode } sameAs { id } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.person).toEqual({ name: 'Ola Nordmann', studyRights: [], sameAs: [] });
    expect(body.extensions.warnings).toEqual([expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', source: 'FS' })]);
  });

  it('retries a 5xx once and then answers; GraphQL errors from FS are not retried', async () => {
    s.fsSim.failNext(/FsPersonsByNumber/, 502, 1);
    const ok = await s.gql(`{ person(id: "${fsId(ola)}") { name } }`);
    expect(ok.body.data.person).toEqual({ name: 'Ola Nordmann' });
    expect(s.fsSim.stats.byOperation.get('FsPersonsByNumber')).toBe(2);
    s.fsSim.stats.reset();
    s.fsSim.failNext(/FsPersonsByNumber/, 'graphql', 1);
    const bad = await s.gql(`{ person(id: "${fsId(ola)}") { name } }`);
    expect(bad.body.errors[0].message).toMatch(/FS answered FsPersonsByNumber with errors: Internal server error/);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', source: 'FS' });
    expect(s.fsSim.stats.byOperation.get('FsPersonsByNumber')).toBe(1);
  });

  it('reports FS in /readyz', async () => {
    const res = await fetch(`${s.url}/readyz`);
    const body = (await res.json()) as any;
    expect(body.checks).toContainEqual({ name: 'fs', ok: true, status: 'OK' });
  });

  it('never puts the FS password (or its Basic header) into logs or responses', async () => {
    await s.gql(`{ person(id: "${fsId(ola)}") { name studyRights { programmeCode } sameAs { id } } }`);
    const basic = Buffer.from(`${FS_USER}:${FS_PASSWORD}`).toString('base64');
    const text = s.logs.join('\n');
    expect(text).not.toContain(FS_PASSWORD);
    expect(text).not.toContain(basic);
  });
});

describe('FS with bad credentials or disabled', () => {
  it('a wrong password is an UPSTREAM_ERROR naming the settings, never the password', async () => {
    const secret = 'Gateway-Secret-Pw!42';
    const s = await startFsStack({ fsEnv: { FS_PASSWORD: secret } });
    try {
      const { body } = await s.gql(`{ person(id: "${fsId(ola)}") { name } }`);
      expect(body.data.person).toBeNull();
      expect(body.errors[0].message).toMatch(
        /FS refused the gateway's credentials \(401\).*FS_USERNAME and FS_PASSWORD/,
      );
      expect(body.errors[0].extensions).toMatchObject({
        code: 'UPSTREAM_ERROR',
        source: 'FS',
        upstream: { status: 401 },
      });
      const ready = await (await fetch(`${s.url}/readyz`)).text();
      const basic = Buffer.from(`${FS_USER}:${secret}`).toString('base64');
      for (const text of [JSON.stringify(body), ready, s.logs.join('\n')]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(basic);
      }
      expect(s.fsSim.stats.byOperation.get('FsPersonsByNumber')).toBe(1); // 401 is not retried
    } finally {
      await s.stop();
    }
  });

  it('credentials inside FS_URL are sent as Basic auth and shown nowhere', async () => {
    const fsSim = await startFsSimulator({ username: FS_USER, password: FS_PASSWORD });
    const withCreds = fsSim.graphqlUrl.replace(
      'http://',
      `http://${encodeURIComponent(FS_USER)}:${encodeURIComponent(FS_PASSWORD)}@`,
    );
    const s = await startStack({ env: { FS_URL: withCreds } });
    try {
      const { body } = await s.gql(`{ person(id: "${fsId(ola)}") { name } }`);
      expect(body.data.person).toEqual({ name: 'Ola Nordmann' });
      fsSim.failNext(/./, 500, Infinity);
      const failed = await s.gql(`{ person(id: "${fsId(FS_SAMPLE.englishLetter)}") { name } }`);
      expect(failed.body.errors[0].extensions.upstream.path).toBe('/graphql');
      expect(JSON.stringify(failed.body) + s.logs.join('\n')).not.toContain(encodeURIComponent(FS_PASSWORD));
    } finally {
      await s.stop();
      await fsSim.stop();
    }
  });

  it('FS disabled: FS fields resolve to null/[] with a SOURCE_DISABLED warning', async () => {
    const s: Stack = await startStack();
    try {
      const { body } = await s.gql(`{
        fs: person(id: "${fsId(ola)}") { name }
        unit: organisationUnit(id: "fs:ou:162000") { id }
        list: persons(filter: {source: FS}) { totalCount edges { node { id } } }
        cerebrum: person(id: "cerebrum:${ola.cerebrumId}") { name studyRights { programmeCode } sameAs { id } }
      }`);
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        fs: null,
        unit: null,
        list: { totalCount: 0, edges: [] },
        cerebrum: { name: 'Ola Nordmann', studyRights: [], sameAs: [] },
      });
      expect(body.extensions.warnings).toEqual([
        expect.objectContaining({ code: 'SOURCE_DISABLED', source: 'FS', message: expect.stringMatching(/FS_URL/) }),
      ]);
      // With FS disabled, asking for studyRights costs Cerebrum nothing extra (no external-ids look-up).
      expect([...s.sim.stats.byPath.keys()].some((k) => k.includes('external-ids'))).toBe(false);
    } finally {
      await s.stop();
    }
  });
});

describe('FS datasource (client, loaders, bulk readers)', () => {
  let sim: FsSimulator;
  let client: FsClient;
  beforeAll(async () => {
    sim = await startFsSimulator({ username: FS_USER, password: FS_PASSWORD });
    client = new FsClient({
      url: sim.graphqlUrl,
      username: FS_USER,
      password: FS_PASSWORD,
      timeoutMs: 300,
      backoffMs: 10,
    });
  });
  afterAll(async () => {
    client.close();
    await sim.stop();
  });
  beforeEach(() => {
    sim.stats.reset();
    sim.clearFailures();
  });

  it('loads 20 students by student number in ONE studenterGittStudentnumre call', async () => {
    const fs = new FsSource(client);
    const numbers = sim.data.persons.flatMap((p) => (p.studentnummer ? [p.studentnummer] : [])).slice(0, 20);
    const students = await Promise.all([...numbers.map((n) => fs.student(n)), fs.student('0')]);
    expect(students.slice(0, 20).map((x) => x?.studentNumber)).toEqual(numbers);
    expect(students[20]).toBeNull();
    expect(sim.stats.byField).toEqual(new Map([['studenterGittStudentnumre', 1]]));
    expect(fs.stats.requests).toBe(1);
    const olaStudent = students.find((x) => x?.personNumber === ola.personNumber)!;
    expect(olaStudent.semesterRegistrations.map((r) => r.regformCode)).toEqual(['STUDWEB', 'STUDWEB']);
    expect(olaStudent.semesterAddress).toMatchObject({ city: 'OSLO', country: 'NO' });
  });

  it('reads every page of the bulk readers (small pages) into the types of types.ts', async () => {
    const fs = new FsSource(client, { pageSize: 4 });
    const cur = termOf(sim.data.today);
    const [rights, allRights, semregs, exams, staff, evu, participants, invoices, programmes, courses, terms] =
      await Promise.all([
        collect(fs.studyRights()),
        collect(fs.studyRights({ active: false })),
        collect(fs.semesterRegistrations(cur)),
        collect(fs.examRegistrations(cur)),
        collect(fs.teachingStaff(cur)),
        collect(fs.evuCourses()),
        collect(fs.evuParticipants()),
        collect(fs.invoices(cur)),
        collect(fs.programmes()),
        collect(fs.courses()),
        fs.terms(),
      ]);
    expect(allRights).toHaveLength(sim.data.studyRights.length);
    expect(rights.length).toBeLessThan(allRights.length);
    expect(rights.every((r) => r.active)).toBe(true);
    expect(semregs).toHaveLength(
      sim.data.semesterRegistrations.filter((r) => r.termin.arstall === cur.year && r.termin.betegnelse === cur.name)
        .length,
    );
    expect(sim.stats.byOperation.get('FsStudyRights')).toBe(
      Math.ceil(rights.length / 4) + Math.ceil(allRights.length / 4),
    );

    const bio = programmes.find((p) => p.code === FS_SAMPLE.programmes.masterBiosciences)!;
    expect(bio).toMatchObject({
      level: '350',
      requiresEducationPlan: true,
      unit: { stedkode: '164000', name: { nb: null, nn: 'Institutt for biovitskap' } },
    });
    const sondre = rights.find((r) => r.personNumber === FS_SAMPLE.courseLimitedWithExam.personNumber)!;
    expect(sondre.limitedToCourses).toEqual(['IN2010']);
    expect(exams).toContainEqual(
      expect.objectContaining({ personNumber: sondre.personNumber, courseCode: 'IN2010', term: cur }),
    );
    const jorgen = rights.find((r) => r.personNumber === FS_SAMPLE.planOnlyStudent.personNumber)!;
    expect(jorgen.educationPlan!.confirmations).toContainEqual({ term: cur, confirmedDate: expect.any(String) });
    expect(semregs.some((r) => r.personNumber === jorgen.personNumber)).toBe(false);

    const magnus = staff
      .filter((t) => t.personNumber === FS_SAMPLE.staffTwoUnits.personNumber)
      .map((t) => t.unit.stedkode)
      .sort();
    expect(magnus).toEqual(['170000', '171000']);
    expect(
      staff.find((t) => t.personNumber === FS_SAMPLE.staffWithoutWorkAddress.personNumber)!.profile.staff,
    ).toMatchObject({ active: true, workAddress: null });
    expect(staff.some((t) => t.personNumber === FS_SAMPLE.staffPastTerm.personNumber)).toBe(false);
    expect((await collect(fs.teachingStaff(previousTerm(cur)))).map((t) => t.personNumber)).toContain(
      FS_SAMPLE.staffPastTerm.personNumber,
    );

    expect(evu.map((c) => [c.code, c.approvedForAccounts])).toEqual([
      ['EVU-IKT', true],
      ['EVU-LED', true],
      ['EVU-JUS', false],
    ]);
    const knut = participants.find((p) => p.personNumber === FS_SAMPLE.evuNotApproved.personNumber)!;
    expect(knut).toMatchObject({
      courseCode: 'EVU-JUS',
      jobAddress: null,
      homeAddress: { city: 'HØNEFOSS' },
      profile: { homeAddress: null },
    });
    expect(invoices.every((i) => i.lines.some((l) => ['PAPIRHEL', 'PAPIRDEL', 'PAPIRPPU'].includes(l.type)))).toBe(
      true,
    );
    expect(invoices.find((i) => i.personNumber === FS_SAMPLE.fullTie.personNumber)).toMatchObject({
      paid: false,
      status: 'UTSTEDT',
    });
    expect(courses.find((c) => c.code === 'IN2010')).toMatchObject({
      level: '200',
      programmeCodes: ['BA-INF', 'ENKEMNE-MN'],
    });
    expect(terms.find((t) => t.year === cur.year && t.name === cur.name)).toBeDefined();

    const siri = (await fs.person(FS_SAMPLE.addressAbroad.personNumber))!;
    expect(siri.homeAddress).toMatchObject({ country: 'SE' });
    expect((await fs.person(FS_SAMPLE.englishLetter.personNumber))!.language).toBe('UKJENT');
  });

  it('times an attempt out (UPSTREAM_TIMEOUT) and maps a network reset to UPSTREAM_UNAVAILABLE', async () => {
    const fs = new FsSource(
      new FsClient({ url: sim.graphqlUrl, username: FS_USER, password: FS_PASSWORD, timeoutMs: 150, retries: 0 }),
    );
    sim.failNext(/FsTerms/, 'hang');
    const e1 = await fs.terms().catch((e) => e);
    expect(e1).toBeInstanceOf(UpstreamError);
    expect(e1).toMatchObject({ code: 'UPSTREAM_TIMEOUT', source: 'FS' });
    sim.failNext(/FsTerms/, 'reset');
    const e2 = await fs.terms().catch((e) => e);
    expect(e2).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'FS' });
    fs.client.close();
  });
});
