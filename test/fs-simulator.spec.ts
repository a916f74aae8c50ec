import { startFsSimulator, fsSampleData, termOfDate, type FsSimulator } from '../simulators/fs';
import { FS_SAMPLE } from './helpers/fs-sample';
import { sampleUniversity } from '../simulators/cerebrum';

const USER = 'sim-user';
const PASSWORD = 'sim-password';
const TODAY = '2025-10-15'; // HØST 2025
const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

async function post(
  sim: FsSimulator,
  query: string,
  variables: Record<string, unknown> = {},
  o: { authorization?: string | null; path?: string } = {},
) {
  const authorization = o.authorization === undefined ? auth : o.authorization;
  const res = await fetch(`${sim.url}${o.path ?? '/graphql/'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const PROFILE = `id personlopenummer fodselsdato fodselsnummer kjonn navn { fornavn etternavn } privatEpost institusjonsEpost arbeidsEpost
  mobilTelefon feideBruker maalform postadresse { adresselinjer postnummer poststed landkode }
  fagperson { erAktiv ansattVed { institusjonsnr faknr instituttnr gruppenr } stillingstittelAlleSprak { nb en } }`;

describe('FS simulator', () => {
  let sim: FsSimulator;
  beforeAll(async () => {
    sim = await startFsSimulator({ username: USER, password: PASSWORD, today: TODAY });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.stats.reset();
    sim.clearFailures();
  });

  it('answers personProfiler for a list of person numbers and of national ids, with the spec field names', async () => {
    const ola = FS_SAMPLE.rule1Student;
    const { status, body } = await post(
      sim,
      `query Q($n: [String!], $f: [String!]) {
      byNumber: personProfiler(filter: { eierOrganisasjonskode: "185", personlopenumre: $n }) { nodes { ${PROFILE} } totalCount }
      byNid: personProfiler(filter: { fodselsnumre: $f }) { edges { cursor node { personlopenummer } } }
    }`,
      { n: [ola.personNumber, FS_SAMPLE.staffCurrentTerm.personNumber, '404404'], f: [ola.nationalId] },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.byNumber.totalCount).toBe(2);
    const [staff, p] = body.data.byNumber.nodes; // by person number: 707007 (Åse) before 707028 (Ola)
    expect(p).toMatchObject({
      personlopenummer: ola.personNumber,
      fodselsdato: '1990-02-14',
      fodselsnummer: ola.nationalId,
      kjonn: 'M',
      navn: { fornavn: 'Ola', etternavn: 'Nordmann' },
      maalform: 'BOKMÅL',
      fagperson: null,
      postadresse: { landkode: 'NO', poststed: 'BERGEN' },
    });
    expect(staff.fagperson).toEqual({
      erAktiv: true,
      ansattVed: { institusjonsnr: 185, faknr: 15, instituttnr: 10, gruppenr: 0 },
      stillingstittelAlleSprak: { nb: 'Professor', en: 'Professor' },
    });
    expect(body.data.byNid.edges).toEqual([
      { cursor: expect.any(String), node: { personlopenummer: ola.personNumber } },
    ]);
  });

  it('answers studenterGittStudentnumre with semester registrations, in the order asked', async () => {
    const { body } = await post(
      sim,
      `{ studenterGittStudentnumre(eierOrganisasjonskode: "185", studentnumre: ["${FS_SAMPLE.englishLetter.studentNumber}", "999", "${FS_SAMPLE.rule1Student.studentNumber}"]) {
      studentnummer personProfil { personlopenummer } semesteradresse { poststed landkode }
      semesterregistreringer { nodes { termin { arstall betegnelse } regformkode } }
    } }`,
    );
    expect(body.errors).toBeUndefined();
    const [lukas, ola] = body.data.studenterGittStudentnumre;
    expect(lukas).toMatchObject({
      studentnummer: FS_SAMPLE.englishLetter.studentNumber,
      semesteradresse: { poststed: 'OSLO', landkode: 'NO' },
    });
    expect(ola.semesterregistreringer.nodes).toEqual([
      { termin: { arstall: 2025, betegnelse: 'VÅR' }, regformkode: 'STUDWEB' },
      { termin: { arstall: 2025, betegnelse: 'HØST' }, regformkode: 'STUDWEB' },
    ]);
  });

  it('answers programStudieretter with programme, level, unit, cohort, status, plan; aktivStatus filters', async () => {
    const q = (aktiv: string) =>
      post(
        sim,
        `{ programStudieretter(filter: { eierOrganisasjonskode: "185", aktivStatus: ${aktiv} }, first: 1000) {
      totalCount nodes { personProfil { personlopenummer } studieprogram { kode navnAlleSprak { nb nn en } studieniva { kode }
        organisasjonsenhet { institusjonsnr faknr instituttnr gruppenr } statusUtdanningsplan emner { kode } }
        kull { termin { arstall betegnelse } } studierettstatus { kode } gyldigFra gyldigTil aktiv begrensetTilEmner { kode }
        utdanningsplan { startTermin { arstall betegnelse } bekreftelser { termin { arstall betegnelse } datoBekreftet } } } } }`,
      );
    const all = (await q('ALLE')).body.data.programStudieretter;
    const active = (await q('AKTIV')).body.data.programStudieretter;
    const inactive = (await q('INAKTIV')).body.data.programStudieretter;
    expect(active.totalCount + inactive.totalCount).toBe(all.totalCount);
    const marit = all.nodes.find(
      (n: any) => n.personProfil.personlopenummer === FS_SAMPLE.inactiveStudent.personNumber,
    );
    expect(marit).toMatchObject({ studierettstatus: { kode: 'FULLFØRT' }, gyldigTil: '2021-06-30', aktiv: false });
    expect(active.nodes.every((n: any) => n.aktiv)).toBe(true);
    const ola = active.nodes.find((n: any) => n.personProfil.personlopenummer === FS_SAMPLE.rule1Student.personNumber);
    expect(ola).toMatchObject({
      studieprogram: {
        kode: 'BA-INF',
        studieniva: { kode: '280' },
        organisasjonsenhet: { institusjonsnr: 185, faknr: 16, instituttnr: 20, gruppenr: 0 },
        statusUtdanningsplan: false,
        emner: [{ kode: 'IN1000' }, { kode: 'IN2010' }, { kode: 'IN3030' }],
      },
      kull: { termin: { arstall: 2024, betegnelse: 'VÅR' } },
      studierettstatus: { kode: 'AKTIV' },
      gyldigFra: '2024-01-01',
      gyldigTil: null,
      begrensetTilEmner: [],
      utdanningsplan: null,
    });
    const sondre = active.nodes.find(
      (n: any) => n.personProfil.personlopenummer === FS_SAMPLE.courseLimitedWithExam.personNumber,
    );
    expect(sondre.begrensetTilEmner).toEqual([{ kode: 'IN2010' }]);
    const levels = new Set(all.nodes.map((n: any) => n.studieprogram.studieniva.kode));
    expect([...levels]).toEqual(expect.arrayContaining(['280', '350', '900']));
    const mari = active.nodes.find(
      (n: any) => n.personProfil.personlopenummer === FS_SAMPLE.planConfirmedTodayStudent.personNumber,
    );
    expect(mari.utdanningsplan.bekreftelser).toContainEqual({
      termin: { arstall: 2025, betegnelse: 'HØST' },
      datoBekreftet: TODAY,
    });
  });

  it('serves courses, terms, registrations, teaching staff, EVU courses with participants and invoices', async () => {
    const { body } = await post(
      sim,
      `query Q($t: TerminInput!) {
      emner(filter: { eierOrganisasjonskode: "185", koder: ["IN2010"] }) { nodes { kode versjonskode studieniva { kode } studieprogrammer { kode } } }
      terminer { nodes { arstall betegnelse startdato sluttdato } }
      semesterregistreringer(filter: { eierOrganisasjonskode: "185", termin: $t }, first: 1000) { totalCount nodes { regformkode } }
      vurderingsmeldinger(filter: { eierOrganisasjonskode: "185", termin: $t }, first: 1000) { totalCount nodes { emne { kode } studieprogram { kode } } }
      undervisningsfagpersoner(filter: { eierOrganisasjonskode: "185", termin: $t }) { nodes { personProfil { personlopenummer } emne { kode } organisasjonsenhet { faknr instituttnr } rolle { kode } } }
      evuKurs(filter: { eierOrganisasjonskode: "185" }) { nodes { kode tidskode startdato sluttdato statusNettbasertUndervisning deltakere { nodes { personProfil { personlopenummer } } } } }
      fakturaer(filter: { eierOrganisasjonskode: "185", termin: $t, fakturadetaljtyper: ["PAPIRHEL", "PAPIRDEL", "PAPIRPPU"] }) {
        nodes { personProfil { personlopenummer } statusBetalt fakturastatus { kode } fakturadetaljer { fakturadetaljtype { kode } belop } } }
      organisasjonsenheter(filter: { eierOrganisasjonskode: "185", stedkoder: ["162000"] }) { nodes { faknr instituttnr navnAlleSprak { nb } } }
    }`,
      { t: { arstall: 2025, betegnelse: 'HØST' } },
    );
    expect(body.errors).toBeUndefined();
    const d = body.data;
    expect(d.emner.nodes).toEqual([
      {
        kode: 'IN2010',
        versjonskode: '1',
        studieniva: { kode: '200' },
        studieprogrammer: [{ kode: 'BA-INF' }, { kode: 'ENKEMNE-MN' }],
      },
    ]);
    expect(d.terminer.nodes).toContainEqual({
      arstall: 2025,
      betegnelse: 'HØST',
      startdato: '2025-08-01',
      sluttdato: '2025-12-31',
    });
    expect(new Set(d.semesterregistreringer.nodes.map((n: any) => n.regformkode))).toEqual(
      new Set(['STUDWEB', 'MANUELL', 'DOKTORREG']),
    );
    expect(d.vurderingsmeldinger.totalCount).toBeGreaterThan(15);
    const staff = d.undervisningsfagpersoner.nodes.map((n: any) => n.personProfil.personlopenummer);
    expect(staff).toEqual(
      expect.arrayContaining([FS_SAMPLE.staffCurrentTerm.personNumber, FS_SAMPLE.staffTwoUnits.personNumber]),
    );
    expect(staff).not.toContain(FS_SAMPLE.staffPastTerm.personNumber);
    const ikt = d.evuKurs.nodes.find((k: any) => k.kode === FS_SAMPLE.evuCourses.inside);
    expect(ikt).toMatchObject({ startdato: '2025-10-25', statusNettbasertUndervisning: true });
    expect(ikt.deltakere.nodes.map((n: any) => n.personProfil.personlopenummer)).toEqual(
      expect.arrayContaining([FS_SAMPLE.evuInside.personNumber, FS_SAMPLE.evuInsideCerebrum.personNumber]),
    );
    const paid = d.fakturaer.nodes
      .filter((f: any) => f.statusBetalt && f.fakturastatus.kode === 'OPPGJORT')
      .map((f: any) => f.personProfil.personlopenummer);
    expect(paid.sort()).toEqual(
      [FS_SAMPLE.rule1Student, FS_SAMPLE.courseLevelTie, FS_SAMPLE.planOnlyStudent].map((h) => h.personNumber).sort(),
    );
    expect(d.organisasjonsenheter.nodes).toEqual([
      { faknr: 16, instituttnr: 20, navnAlleSprak: { nb: 'Institutt for informatikk' } },
    ]);
  });

  it('pages with first/after: edges and nodes agree, the last page says hasNextPage false, every person once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const { body } = await post(
        sim,
        `query P($after: String) { personProfiler(first: 7, after: $after) {
        edges { cursor node { personlopenummer } } nodes { personlopenummer } pageInfo { endCursor hasNextPage } totalCount } }`,
        { after },
      );
      const c = body.data.personProfiler;
      expect(c.nodes).toEqual(c.edges.map((e: any) => e.node));
      expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)?.cursor ?? null);
      seen.push(...c.nodes.map((n: any) => n.personlopenummer));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(sim.data.persons.length);
    expect(new Set(seen).size).toBe(seen.length);
    const big = await post(sim, '{ personProfiler(first: 5000) { totalCount } }');
    expect(big.body.errors[0].message).toMatch(/first must be between 0 and 1000/);
  });

  it('refuses a request without or with wrong Basic credentials (401 with WWW-Authenticate)', async () => {
    const none = await post(sim, '{ terminer { totalCount } }', {}, { authorization: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await post(
      sim,
      '{ terminer { totalCount } }',
      {},
      { authorization: `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}` },
    );
    expect(wrong.status).toBe(401);
    expect(sim.stats.byField.get('terminer')).toBeUndefined();
    const noSlash = await post(sim, '{ terminer { totalCount } }', {}, { path: '/graphql' });
    expect(noSlash.status).toBe(200);
    const get = await fetch(`${sim.url}/graphql/`);
    expect(get.status).toBe(405);
  });

  it('counts requests per operation and root fields per name (aliases count twice); bad queries are 400', async () => {
    await post(
      sim,
      'query Two { a: emner(filter: {eierOrganisasjonskode: "185"}) { totalCount } b: emner(filter: {eierOrganisasjonskode: "185"}) { totalCount } terminer { totalCount } }',
    );
    await post(sim, '{ terminer { totalCount } }');
    expect(sim.stats.requests).toBe(2);
    expect(sim.stats.byOperation).toEqual(
      new Map([
        ['Two', 1],
        ['(anonymous)', 1],
      ]),
    );
    expect(sim.stats.byField).toEqual(
      new Map([
        ['emner', 2],
        ['terminer', 2],
      ]),
    );
    expect(sim.stats.log.map((r) => [r.operationName, r.fields, r.status])).toEqual([
      ['Two', ['emner', 'emner', 'terminer'], 200],
      [null, ['terminer'], 200],
    ]);
    const bad = await post(sim, '{ nope }');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/nope/);
    const other = await post(sim, '{ emner(filter: {eierOrganisasjonskode: "111"}) { totalCount } }');
    expect(other.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('injects failures by operation or field: HTTP status, GraphQL errors, reset; latency', async () => {
    sim.failNext(/emner/, 500);
    sim.failNext(/terminer/, 'graphql');
    const e500 = await post(sim, '{ emner(filter: {eierOrganisasjonskode: "185"}) { totalCount } }');
    expect(e500.status).toBe(500);
    const gqlErr = await post(sim, '{ terminer { totalCount } }');
    expect(gqlErr.status).toBe(200);
    expect(gqlErr.body).toMatchObject({ data: null, errors: [{ message: 'Internal server error' }] });
    expect((await post(sim, '{ terminer { totalCount } }')).status).toBe(200); // only once
    sim.failNext(/^Reset /, 'reset');
    await expect(post(sim, 'query Reset { terminer { totalCount } }')).rejects.toThrow();
    sim.setLatency(60);
    const t0 = performance.now();
    await post(sim, '{ terminer { totalCount } }');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    sim.setLatency(0);
  });
});

describe('FS sample data', () => {
  it('is deterministic for a day and dated relative to it', () => {
    expect(fsSampleData('2025-03-10')).toEqual(fsSampleData('2025-03-10'));
    expect(termOfDate('2025-03-10')).toEqual({ arstall: 2025, betegnelse: 'VÅR' });
    expect(termOfDate('2025-08-01')).toEqual({ arstall: 2025, betegnelse: 'HØST' });
    const spring = fsSampleData('2026-02-20');
    const ikt = spring.evuCourses.find((k) => k.kode === 'EVU-IKT')!;
    expect([ikt.startdato, ikt.sluttdato]).toEqual(['2026-03-02', '2026-05-01']);
    const ola = spring.semesterRegistrations.filter((s) => s.personlopenummer === FS_SAMPLE.rule1Student.personNumber);
    expect(ola.map((s) => `${s.termin.arstall} ${s.termin.betegnelse}`)).toEqual(['2025 HØST', '2026 VÅR']);
  });

  it('has the same humans as the Cerebrum sample: national id, FS person number and student number agree', () => {
    const cerebrum = sampleUniversity();
    const fs = fsSampleData(TODAY);
    expect(new Set(fs.persons.map((p) => p.fodselsnummer)).size).toBe(fs.persons.length);
    expect(FS_SAMPLE.inBoth.length).toBeGreaterThanOrEqual(10);
    for (const h of FS_SAMPLE.inBoth) {
      const c = cerebrum.persons.get(h.cerebrumId!)!;
      const ext = (type: string) => c.external_ids.find((x) => x.id_type === type)?.external_id;
      expect([h.name, ext('NO_BIRTHNO')]).toEqual([`${c.names.find((n) => n.variant === 'FULL')!.name}`, h.nationalId]);
      const p = fs.persons.find((x) => x.personlopenummer === h.personNumber)!;
      expect(p.fodselsnummer).toBe(h.nationalId);
      if (ext('NO_FSNO')) expect(ext('NO_FSNO')).toBe(h.personNumber);
      if (ext('NO_STUDNO') && h.studentNumber) expect(ext('NO_STUDNO')).toBe(h.studentNumber);
    }
    const kari = cerebrum.persons.get(FS_SAMPLE.cerebrumOnly)!;
    const kariNid = kari.external_ids.find((x) => x.id_type === 'NO_BIRTHNO')!.external_id;
    expect(fs.persons.some((p) => p.fodselsnummer === kariNid)).toBe(false);
    // Every FS stedkode is a Cerebrum stedkode.
    const cerebrumStedkoder = new Set([...cerebrum.ous.values()].map((o) => o.stedkode));
    for (const p of fs.programmes) expect(cerebrumStedkoder).toContain(p.stedkode);
    for (const t of fs.teaching) expect(cerebrumStedkoder).toContain(t.stedkode);
  });
});
