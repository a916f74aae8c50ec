/**
 * Seed 001's rules, one test per rule, named with the seed's own words. Pure functions: every test gives the
 * day explicitly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsImportConfigError, loadFsImportConfig, parseFsImportConfig } from '../jobs/fs-import/rules/config';
import { decidePerson } from '../jobs/fs-import/rules/decide';
import { blockedDeletionDate, decideDeletion } from '../jobs/fs-import/rules/lifecycle';
import { chooseHomeArea, choosePrimaryEmail, type PrecedenceCandidate } from '../jobs/fs-import/rules/precedence';
import { planFor } from '../jobs/fs-import/rules/plan';
import { addMonths, previousTerm, termOf } from '../jobs/fs-import/rules/terms';
import {
  BERGEN,
  HOST,
  OSLO,
  STOCKHOLM,
  TEST_CONFIG,
  VAAR,
  evu,
  exam,
  person,
  plan,
  right,
  rule1Student,
} from './helpers/fs-import';

const cfg = TEST_CONFIG;
const AUTUMN = '2024-10-15'; // HØST 2024, after the blocking date
const H24 = HOST(2024);
const V24 = VAAR(2024);
const decide = (p: Parameters<typeof decidePerson>[0], today = AUTUMN) =>
  decidePerson(p, cfg, today, `fs:${p.personNumber}`);
const studentUser = (name = 'stud1', quarantine: { start: string } | null = null) => ({
  name,
  studentAccount: true,
  quarantine,
});

describe('terms (the current term of a day: VÅR = 1 January – 31 July, HØST = 1 August – 31 December)', () => {
  it.each([
    ['2024-01-01', 'VÅR 2024'],
    ['2024-07-31', 'VÅR 2024'],
    ['2024-08-01', 'HØST 2024'],
    ['2024-12-31', 'HØST 2024'],
    ['2025-01-01', 'VÅR 2025'],
  ])('%s is in %s', (day, label) => {
    const t = termOf(day);
    expect(`${t.name} ${t.year}`).toBe(label);
  });
  it("the term before VÅR is last year's HØST; calendar months clamp at the month end", () => {
    expect(previousTerm(VAAR(2025))).toEqual(HOST(2024));
    expect(previousTerm(HOST(2025))).toEqual(VAAR(2025));
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2024-10-01', 3)).toBe('2025-01-01');
  });
});

describe('1.0 Import av personinformasjon fra FS', () => {
  it('fagpersoner: «Hvis de har en postering for inneværende semester i fs.fagpersonundsemester»', () => {
    const now = decide(
      person({
        staffPostings: [
          { term: H24, stedkode: '162000' },
          { term: H24, stedkode: '151000' },
        ],
      }),
    );
    expect(now).toMatchObject({ imported: true, importedAs: ['FAGPERSON'], student: false });
    expect(now.reasons.join('\n')).toContain('162000, 151000');
    const before = decide(person({ staffPostings: [{ term: V24, stedkode: '162000' }] }));
    expect(before).toMatchObject({ imported: false, importedAs: [] });
  });

  it('fagpersoner: «arbeidsadresse fra fs.fagperson … Hvis denne ikke finnes, brukes hjemstedsadresse fra FS.person»', () => {
    const posting = [{ term: H24, stedkode: '162000' }];
    expect(decide(person({ staffPostings: posting, addresses: { home: BERGEN, work: OSLO } })).importAddress).toEqual(
      OSLO,
    );
    expect(decide(person({ staffPostings: posting, addresses: { home: BERGEN } })).importAddress).toEqual(BERGEN);
  });

  it('student: «Hvis de har en "lovlig" opptak til et studieprogram … studirettstatkode er en av de godkjente»', () => {
    expect(decide(person({ studyRights: [right('BA-INF', { status: 'AKTIV' })] }))).toMatchObject({
      imported: true,
      importedAs: ['STUDENT'],
    });
    expect(decide(person({ studyRights: [right('BA-INF', { status: 'PERMISJON' })] })).imported).toBe(true);
    const excluded = decide(person({ studyRights: [right('BA-INF', { status: 'UTESTENGT' })] }));
    expect(excluded.imported).toBe(false);
    expect(excluded.reasons.join('\n')).toContain('UTESTENGT');
    // Ended yesterday: no longer a legal admission. Starting next term: already legal (admitted).
    expect(decide(person({ studyRights: [right('BA-INF', { validTo: '2024-10-14' })] })).imported).toBe(false);
    expect(decide(person({ studyRights: [right('BA-INF', { validFrom: '2025-01-01' })] })).imported).toBe(true);
  });

  it('studenter: «semesteradresse, fra FS.student … Hvis denne ikke finnes, brukes hjemstedsadresse fra FS.person»', () => {
    expect(
      decide(person({ studyRights: [right('BA-INF')], addresses: { home: BERGEN, semester: OSLO } })).importAddress,
    ).toEqual(OSLO);
    expect(decide(person({ studyRights: [right('BA-INF')], addresses: { home: BERGEN } })).importAddress).toEqual(
      BERGEN,
    );
  });

  it.each([
    ['starts in 14 days', '2024-10-29', '2024-12-01', true],
    ['starts in 15 days', '2024-10-30', '2024-12-01', false],
    ['ended 14 days ago', '2024-08-01', '2024-10-01', true],
    ['ended 15 days ago', '2024-08-01', '2024-09-30', false],
    ['is running', '2024-09-01', '2024-12-01', true],
  ])(
    'EVU: «Meldt til et kurs som har startdato senest om 14 dager, eller som avsluttes tidligst for 14 dager siden» — a course that %s',
    (_w, start, end, imported) => {
      expect(decide(person({ evu: [evu('EVU-IKT', start, end)] })).imported).toBe(imported);
    },
  );

  it('EVU: «Job-adresse, fra FS.deltaker … hjemstedsadresse fra FS.deltaker … hjemstedsadresse fra FS.person»', () => {
    const course = (o: object) =>
      person({ evu: [evu('EVU-IKT', '2024-10-20', '2024-12-01', o)], addresses: { home: BERGEN } });
    expect(decide(course({ jobAddress: OSLO, homeAddress: STOCKHOLM })).importAddress).toEqual(OSLO);
    expect(decide(course({ homeAddress: STOCKHOLM })).importAddress).toEqual(STOCKHOLM);
    expect(decide(course({})).importAddress).toEqual(BERGEN);
  });
});

describe('2.0 Regler for automatisk bygging av kontoer', () => {
  it('rule 1: «har opptak til et studieprogram og er semesterregistrert for inneværende semester … og meldt til eksamen i et emne som kan inngå det studieprogrammet»', () => {
    const d = decide(rule1Student(H24));
    expect(d).toMatchObject({ student: true, studentRule: 'REGISTERED_WITH_EXAM' });
    expect(d.programmes[0]).toMatchObject({ programmeCode: 'BA-INF', met: true });
    // Exam in a course that cannot be part of BA-INF: not a student.
    expect(decide(rule1Student(H24, { courseRegistrations: [exam('FIL2000', H24, ['BA-FIL'])] })).student).toBe(false);
    // No exam registration at all, or only last term's.
    expect(decide(rule1Student(H24, { courseRegistrations: [] })).student).toBe(false);
    expect(decide(rule1Student(H24, { courseRegistrations: [exam('IN2010', V24, ['BA-INF'])] })).student).toBe(false);
  });

  it.each([
    ['DOKTORREG', true],
    ['MANUELL', true],
    ['STUDWEB', true],
    ['EKSTERN', false],
    [null, false],
  ])("rule 1: «regformkode skal være enten 'DOKTORREG', 'MANUELL' eller 'STUDWEB'» — %s", (regform, student) => {
    expect(decide(rule1Student(H24, { semesterRegistrations: [{ term: H24, regformCode: regform }] })).student).toBe(
      student,
    );
  });

  it('rule 1: «terminkode og arstall må også stemme»', () => {
    expect(decide(rule1Student(H24, { semesterRegistrations: [{ term: V24, regformCode: 'STUDWEB' }] })).student).toBe(
      false,
    );
    expect(
      decide(rule1Student(H24, { semesterRegistrations: [{ term: HOST(2023), regformCode: 'STUDWEB' }] })).student,
    ).toBe(false);
  });

  it('rule 2: «har bekreftet og godkjent utdanningsplan … terminkode_bekreft og arstall_bekreft skal være for inneværende semester, dato_bekreftet < dato»', () => {
    const withPlan = (confirmations: { term: typeof H24; confirmedDate: string }[]) =>
      decide(person({ studyRights: [right('MA-INF')], educationPlans: [plan('MA-INF', HOST(2023), confirmations)] }));
    expect(withPlan([{ term: H24, confirmedDate: '2024-10-14' }])).toMatchObject({
      student: true,
      studentRule: 'CONFIRMED_PLAN',
    });
    expect(withPlan([{ term: H24, confirmedDate: AUTUMN }]).student).toBe(false); // confirmed today: not < today
    expect(withPlan([{ term: V24, confirmedDate: '2024-02-01' }]).student).toBe(false); // last term's confirmation
  });

  it("«status_utdplan (J/N) … bestemmer hvilken av de ovennevnte krav en peronen må oppfylle … default verdien er (foreløpig) 'N'»", () => {
    const facts = {
      semesterRegistrations: [{ term: H24, regformCode: 'STUDWEB' }],
      courseRegistrations: [exam('BIO4000', H24, ['MA-BIO'], 400)],
    };
    // J: rule 1's facts do not count, only the plan.
    expect(decide(person({ studyRights: [right('MA-BIO', { statusUtdplan: 'J' })], ...facts })).student).toBe(false);
    // N, and missing (the default N): rule 1 applies.
    expect(decide(person({ studyRights: [right('MA-BIO', { statusUtdplan: 'N' })], ...facts })).studentRule).toBe(
      'REGISTERED_WITH_EXAM',
    );
    expect(decide(person({ studyRights: [right('MA-BIO', { statusUtdplan: undefined })], ...facts })).studentRule).toBe(
      'REGISTERED_WITH_EXAM',
    );
    // Missing (N): a confirmed plan alone does not make a student.
    const planOnly = { educationPlans: [plan('MA-BIO', V24, [{ term: H24, confirmedDate: '2024-09-01' }])] };
    expect(decide(person({ studyRights: [right('MA-BIO')], ...planOnly })).student).toBe(false);
    expect(decide(person({ studyRights: [right('MA-BIO', { statusUtdplan: 'J' })], ...planOnly })).studentRule).toBe(
      'CONFIRMED_PLAN',
    );
  });

  it("special case: studierett på emne/fag «vil bli 'ekte' bare dersom de er eksamensmeldt i det emnet de har fått studierett til»", () => {
    const limited = (courses: ReturnType<typeof exam>[]) =>
      decide(
        person({
          studyRights: [right('ENKEMNE-MN', { limitedToCourses: ['IN2010'] })],
          semesterRegistrations: [{ term: H24, regformCode: 'STUDWEB' }],
          courseRegistrations: courses,
        }),
      );
    const real = limited([exam('IN2010', H24, ['ENKEMNE-MN', 'BA-INF'])]);
    expect(real).toMatchObject({ student: true, studentRule: 'LIMITED_RIGHT_WITH_EXAM' });
    expect(real.affiliations).toEqual([
      { affiliation: 'STUDENT', status: 'aktiv', stedkode: '160000', via: 'ENKEMNE-MN' },
    ]);
    // An exam in another course of the same programme does not make the limited right real.
    const notReal = limited([exam('IN1000', H24, ['ENKEMNE-MN', 'BA-INF'], 100)]);
    expect(notReal).toMatchObject({ student: false, affiliations: [] });
    expect(notReal.programmes[0]).toMatchObject({ rule: 'LIMITED_RIGHT_WITH_EXAM', met: false });
  });

  it("EVU: «meldt til et EVU-kurs … som har startdato om cirka to uker … status_nettbasert_und = 'J'»", () => {
    const approved = decide(person({ evu: [evu('EVU-IKT', '2024-10-25', '2024-12-20', { stedkode: '162000' })] }));
    expect(approved).toMatchObject({ student: true, studentRule: 'EVU' });
    expect(approved.affiliations).toEqual([
      { affiliation: 'STUDENT', status: 'evu', stedkode: '162000', via: 'EVU-IKT' },
    ]);
    expect(approved.groups).toEqual(['stud-evu']); // the EVU profile only: programme profiles do not match EVU courses
    const notApproved = decide(
      person({ evu: [evu('EVU-JUS', '2024-10-25', '2024-12-20', { approvedForAccounts: false })] }),
    );
    expect(notApproved).toMatchObject({ imported: true, student: false, affiliations: [] });
    expect(decide(person({ evu: [evu('EVU-IKT', '2024-11-15', '2024-12-20')] })).student).toBe(false); // a month ahead
  });

  it("«Personen får affiliation('STUDENT') mot stedkodene til alle dens aktive studieprogrammer»", () => {
    const d = decide(
      person({
        studyRights: [right('BA-INF'), right('PHD-MN'), right('BA-FIL', { validTo: '2024-06-30' })],
        semesterRegistrations: [{ term: H24, regformCode: 'DOKTORREG' }],
        courseRegistrations: [exam('MNSES9100', H24, ['PHD-MN'], 900)],
      }),
    );
    expect(d.student).toBe(true);
    expect(d.affiliations).toEqual([
      { affiliation: 'STUDENT', status: 'drgrad', stedkode: '160000', via: 'PHD-MN' },
      { affiliation: 'STUDENT', status: 'aktiv', stedkode: '162000', via: 'BA-INF' },
    ]);
  });

  it('«Brukeren meldes inn i alle grupper angitt i studconfig.xml … gis alle spread som matcher … primærgruppen vil alltid være den personlige filgruppen»', () => {
    const d = decide(rule1Student(H24, { account: studentUser('olanor') }));
    expect(d.profiles).toEqual(['alle', 'ifi']);
    expect(d.groups).toEqual(['ifi-lister', 'stud-alle', 'stud-ifi']);
    expect(d.spreads).toEqual(['AD_account', 'NIS_user@ifi']);
    expect(d.primaryGroup).toBe('olanor');
    expect(d.primaryEmail).toEqual({ value: 'olanor@ifi.uio.no', programmeCode: 'BA-INF', rule: 'SINGLE_VALUE' });
  });

  it("«Kontoer bygges til alle studenter med mindre personen allerede har en konto med _PersonAffiliationCode('STUDENT')»", () => {
    expect(decide(rule1Student(H24)).account).toEqual({ name: null, create: true, studentAccount: false });
    expect(decide(rule1Student(H24, { account: studentUser('olanor') })).account).toEqual({
      name: 'olanor',
      create: false,
      studentAccount: true,
    });
    // Only a staff account: a student user is built beside it, and the staff account is not managed.
    const staff = decide(rule1Student(H24, { account: { name: 'olaadm', studentAccount: false } }));
    expect(staff.account).toEqual({ name: 'olaadm', create: true, studentAccount: false });
    expect(staff.primaryEmail?.value).toBe('@ifi.uio.no');
    expect(decide(person({ studyRights: [right('BA-INF')] })).account.create).toBe(false); // not a student
  });
});

describe('2.1 Order-of-precedence for attributter man bare kan ha ett av', () => {
  const cand = (programmeCode: string, value: string, o: Partial<PrecedenceCandidate> = {}): PrecedenceCandidate => ({
    programmeCode,
    value,
    level: 350,
    courseLevels: [400],
    plan: null,
    ...o,
  });
  const shared = cfg.sharedHomeArea;

  it('1) «Brukeren får de egenskapene som er definert for studieprogram med høyest studienivåkode»', () => {
    const d = decide(
      person({
        studyRights: [right('MA-INF'), right('PHD-MN')],
        semesterRegistrations: [{ term: H24, regformCode: 'DOKTORREG' }],
        courseRegistrations: [exam('MNSES9100', H24, ['PHD-MN'], 900)],
        educationPlans: [plan('MA-INF', HOST(2022), [{ term: H24, confirmedDate: '2024-09-01' }])],
        account: studentUser('livb'),
      }),
    );
    expect(d.homeArea).toEqual({
      value: '/uio/platon/mn-h1',
      programmeCode: 'PHD-MN',
      rule: 'HIGHEST_PROGRAMME_LEVEL',
    });
    expect(d.primaryEmail).toEqual({
      value: 'livb@mn.uio.no',
      programmeCode: 'PHD-MN',
      rule: 'HIGHEST_PROGRAMME_LEVEL',
    });
  });

  it('2) «flere programmer som har lik studienivåkode … det studieprogrammet hvor emne med høyest nivå tas»', () => {
    const d = decide(
      person({
        studyRights: [right('BA-FIL'), right('BA-NOR')],
        semesterRegistrations: [{ term: H24, regformCode: 'STUDWEB' }],
        courseRegistrations: [exam('FIL2000', H24, ['BA-FIL'], 200), exam('NOR1101', H24, ['BA-NOR'], 100)],
        account: studentUser('solvl'),
      }),
    );
    expect(d.homeArea).toEqual({ value: '/uio/platon/hf-l1', programmeCode: 'BA-FIL', rule: 'HIGHEST_COURSE_LEVEL' });
    expect(d.primaryEmail).toEqual({
      value: 'solvl@ifikk.uio.no',
      programmeCode: 'BA-FIL',
      rule: 'HIGHEST_COURSE_LEVEL',
    });
  });

  it('3) «Dersom både studienivåkodene og emnenivåkodene er like flyttes brukeren til /uio/platon/div-{h|l}\\d+. Primær e-postadresse … opptak til lengst»', () => {
    const d = decide(
      person({
        studyRights: [right('MA-LING'), right('MA-NORD')],
        semesterRegistrations: [{ term: H24, regformCode: 'STUDWEB' }],
        courseRegistrations: [exam('LING4100', H24, ['MA-LING'], 400), exam('NORD4100', H24, ['MA-NORD'], 400)],
        educationPlans: [plan('MA-NORD', VAAR(2024)), plan('MA-LING', HOST(2023))],
        account: studentUser('emill'),
      }),
    );
    expect(d.homeArea).toEqual({ value: '/uio/platon/div-h1', programmeCode: null, rule: 'SHARED_AREA' });
    expect(d.primaryEmail).toEqual({ value: 'emill@ling.uio.no', programmeCode: 'MA-LING', rule: 'PLAN_HELD_LONGEST' });
    // A bachelor tie goes to the low shared area ({h|l}).
    const low = chooseHomeArea(
      [
        cand('BA-FIL', 'a', { level: 280, plan: { startTerm: V24 } }),
        cand('BA-NOR', 'b', { level: 280, plan: { startTerm: V24 } }),
      ],
      shared,
    );
    expect(low).toMatchObject({ value: '/uio/platon/div-l1', rule: 'SHARED_AREA' });
  });

  it('4) «opptak til et studieprogram med utdanningsplan og et uten så settes hjemmeområdet og primær e-post adresse som definert for studieprogrammet med utdplan»', () => {
    const d = decide(
      person({
        studyRights: [right('MA-RETTS'), right('MA-INF')],
        semesterRegistrations: [{ term: H24, regformCode: 'STUDWEB' }],
        courseRegistrations: [exam('JUS4111', H24, ['MA-RETTS'], 400), exam('IN4020', H24, ['MA-INF'], 400)],
        educationPlans: [plan('MA-INF', HOST(2023), [{ term: H24, confirmedDate: '2024-09-01' }])],
        account: studentUser('eirs'),
      }),
    );
    expect(d.homeArea).toEqual({ value: '/uio/platon/ifi-l1', programmeCode: 'MA-INF', rule: 'PLAN_BEATS_NO_PLAN' });
    expect(d.primaryEmail).toEqual({ value: 'eirs@ifi.uio.no', programmeCode: 'MA-INF', rule: 'PLAN_BEATS_NO_PLAN' });
  });

  it('5) «Dersom ingen av studieprogrammene har en utdanningsplan tilknyttet så skal emne med høyeste nivå bestemme»', () => {
    // Top courses tie at 400; the next course decides.
    const c = [
      cand('MA-A', 'a.uio.no', { courseLevels: [400, 100] }),
      cand('MA-B', 'b.uio.no', { courseLevels: [400, 300] }),
    ];
    expect(choosePrimaryEmail(c)).toMatchObject({
      value: 'b.uio.no',
      programmeCode: 'MA-B',
      rule: 'NO_PLANS_HIGHEST_COURSE',
    });
    expect(chooseHomeArea(c, shared)).toMatchObject({ value: 'b.uio.no', rule: 'NO_PLANS_HIGHEST_COURSE' });
  });

  it('ties the seed leaves open: home area to the shared area, e-mail to the first programme code in the alphabet', () => {
    const c = [cand('MA-B', 'b.uio.no'), cand('MA-A', 'a.uio.no')];
    expect(chooseHomeArea(c, shared)).toMatchObject({ value: '/uio/platon/div-h1', rule: 'SHARED_AREA' });
    expect(choosePrimaryEmail(c)).toMatchObject({ value: 'a.uio.no', programmeCode: 'MA-A', rule: 'ALPHABETICAL' });
    // Plans started the same term: rule 3 cannot separate them either.
    const held = [cand('MA-B', 'b', { plan: { startTerm: V24 } }), cand('MA-A', 'a', { plan: { startTerm: V24 } })];
    expect(choosePrimaryEmail(held)).toMatchObject({ value: 'a', rule: 'ALPHABETICAL' });
  });

  it('«Når studconfig.xml forteller at brukeren har multiple verdier»: one value among several programmes needs no precedence', () => {
    expect(chooseHomeArea([cand('BA-INF', '/x', { level: 280 }), cand('MA-INF', '/x')], shared)).toMatchObject({
      value: '/x',
      rule: 'SINGLE_VALUE',
    });
    expect(chooseHomeArea([], shared)).toBeNull();
  });
});

describe('2.2–2.4', () => {
  it('2.2: «Alle personer som får tilbud om opptak til et studieprogram får reservert brukernavn»', () => {
    const offer = { admissionOffers: [{ programmeCode: 'BA-FIL', term: VAAR(2025) }] };
    const d = decide(person(offer), '2025-01-10');
    expect(d.reserveUsername).toBe(true);
    expect(planFor(d)).toContainEqual({ action: 'RESERVE_USERNAME', detail: 'tilbud om opptak (2.2)', dueToday: true }); // January
    expect(planFor(decide(person(offer), '2024-10-15')).find((a) => a.action === 'RESERVE_USERNAME')?.dueToday).toBe(
      false,
    ); // October
    expect(decide(person({ ...offer, account: studentUser() })).reserveUsername).toBe(false);
  });

  it("2.3: «fakturadetaljtypekode = PAPIRHEL/PAPIRDEL/PAPIRPPU, status_betalt = 'J', terminkode og arstall = nåværende semester, fakturastatuskode = 'OPPGJORT'»", () => {
    const inv = (o: object) =>
      decide(
        rule1Student(H24, {
          invoices: [{ term: H24, paid: true, status: 'OPPGJORT', lineTypes: ['SEMAVG', 'PAPIRDEL'], ...o }],
        }),
      ).printerQuota;
    expect(inv({})).toEqual({ quota: true, paidType: 'PAPIRDEL' });
    expect(inv({ paid: false })).toEqual({ quota: false, paidType: null });
    expect(inv({ status: 'UTSTEDT' })).toEqual({ quota: false, paidType: null });
    expect(inv({ term: V24 })).toEqual({ quota: false, paidType: null });
    expect(inv({ lineTypes: ['SEMAVG'] })).toEqual({ quota: false, paidType: null });
    // «bare de studentene som har betalt … alle andre får nullkvote»: paid but not a student.
    const notStudent = decide(
      person({ invoices: [{ term: H24, paid: true, status: 'OPPGJORT', lineTypes: ['PAPIRHEL'] }] }),
    );
    expect(notStudent.printerQuota).toEqual({ quota: false, paidType: 'PAPIRHEL' });
  });

  it('2.4: «Brevet sendes til semesteradressen hvis denne finnes. Hvis ikke, sendes det til hjemstedsadressen. Brev sendes ikke ut av landet.»', () => {
    expect(decide(rule1Student(H24, { addresses: { semester: OSLO, home: BERGEN } })).letter).toMatchObject({
      send: true,
      addressKind: 'SEMESTER',
      address: OSLO,
    });
    expect(decide(rule1Student(H24, { addresses: { home: BERGEN } })).letter).toMatchObject({
      send: true,
      addressKind: 'HOME',
      address: BERGEN,
    });
    expect(decide(rule1Student(H24, { addresses: { home: STOCKHOLM } })).letter).toMatchObject({
      send: false,
      addressKind: 'HOME',
    });
    // «Det sendes brev til alle automatisk byggede brukere»: an existing user gets none.
    expect(decide(rule1Student(H24, { account: studentUser() })).letter.send).toBe(false);
  });

  it.each([
    ['BOKMÅL', 'nb'],
    ['NYNORSK', 'nn'],
    ['UKJENT', 'en'],
    ['ENGELSK', 'en'],
    [null, 'en'],
  ])(
    '2.4: «de personene hvis sprakkode_malform <> (BOKMÅL || NYNORSK) får brev på engelsk» — %s',
    (maalform, language) => {
      expect(decide(rule1Student(H24, { maalform })).letter.language).toBe(language);
    },
  );
});

describe('2.5.1 Sperring av studentbrukere: «ikke oppfyller krav fra 2.0 per 1. oktober/1. mars sperres»', () => {
  const lapsed = (quarantine: { start: string } | null = null) =>
    person({ studyRights: [right('BA-INF')], account: studentUser('lapsed', quarantine) });
  it.each([
    ['2024-09-30', 'KEEP'],
    ['2024-10-01', 'BLOCK'],
    ['2024-10-02', 'BLOCK'],
    ['2025-02-28', 'KEEP'],
    ['2025-03-01', 'BLOCK'],
    ['2025-03-02', 'BLOCK'],
  ])('on %s: %s', (day, action) => {
    const d = decide(lapsed(), day);
    expect(d.block.action).toBe(action);
    expect(d.block.since).toBe(action === 'BLOCK' ? day : null);
  });

  it('a student again: the block is lifted; a block from an earlier term stays until then', () => {
    expect(decide(rule1Student(H24, { account: studentUser('back', { start: '2024-03-01' }) })).block).toMatchObject({
      action: 'LIFT',
      since: null,
    });
    expect(decide(rule1Student(H24, { account: studentUser('fine', null) })).block.action).toBe('NONE');
    // 1 August: new term, before 1 October; blocked in March, still not a student: stays blocked.
    expect(decide(lapsed({ start: '2024-03-01' }), '2024-08-01').block).toMatchObject({
      action: 'KEEP',
      since: '2024-03-01',
    });
    // Not a student user (no account, or a staff account): nothing to block.
    expect(decide(person({ studyRights: [right('BA-INF')] })).block.action).toBe('NONE');
  });

  it('a blocked user is in no auto group; before the blocking date it keeps its groups', () => {
    expect(decide(lapsed(), '2024-10-01').groups).toEqual([]);
    expect(decide(lapsed(), '2024-09-30').groups).toEqual(['ifi-lister', 'stud-alle', 'stud-ifi']);
  });
});

describe('2.5.2 Sletting', () => {
  // Not a student now nor last term: rule 1 applies on this term's date.
  const inactive = (day: string) =>
    decide(person({ studyRights: [right('BA-INF')], account: studentUser('gone', null) }), day);
  it.each([
    ['2025-02-14', false],
    ['2025-02-15', true],
    ['2025-02-16', true],
    ['2024-09-14', false],
    ['2024-09-15', true],
    ['2024-09-16', true],
  ])('1. «har vært inaktive forrige semester slettes 15. februar/15. september» — on %s due: %s', (day, due) => {
    const d = inactive(day);
    expect(d.deletion).toMatchObject({
      rule: 'INACTIVE_LAST_TERM',
      date: day.slice(0, 5) + (day.slice(5, 7) === '02' ? '02-15' : '09-15'),
      due,
    });
  });

  it("1. a student last term is not deleted this term; the date shown is next term's", () => {
    const lastTermStudent = person({
      studyRights: [right('BA-INF')],
      account: studentUser('paused', null),
      semesterRegistrations: [{ term: V24, regformCode: 'STUDWEB' }],
      courseRegistrations: [exam('IN2010', V24, ['BA-INF'])],
    });
    expect(decide(lastTermStudent, '2024-09-16').deletion).toMatchObject({
      rule: 'INACTIVE_LAST_TERM',
      date: '2025-02-15',
      due: false,
    });
    // Graduated in June (the admission ended in the previous term): was active last term all the same.
    const graduated = { ...lastTermStudent, studyRights: [right('BA-INF', { validTo: '2024-06-30' })] };
    expect(decide(graduated, '2024-09-16').deletion).toMatchObject({ date: '2025-02-15', due: false });
  });

  it.each([
    ['2024-10-01', '2025-03-14', false],
    ['2024-10-01', '2025-03-15', false],
    ['2024-10-01', '2025-03-16', true],
    ['2025-03-01', '2025-10-14', false],
    ['2025-03-01', '2025-10-15', false],
    ['2025-03-01', '2025-10-16', true],
  ])(
    '2. «Etter 15. mars/15. oktober slettes alle brukere som har vært sperret i tre måneder» — blocked %s, on %s due: %s',
    (since, day, due) => {
      const v = decideDeletion({
        studentUser: true,
        programmeStudent: false,
        student: false,
        studentLastTerm: true,
        blockedSince: since,
        evuEnds: [],
        evuDaysAfterEnd: 14,
        today: day,
        term: termOf(day),
      });
      // studentLastTerm keeps rule 1 to next term, so rule 2 is the earliest here.
      expect(v).toMatchObject({ rule: 'BLOCKED_THREE_MONTHS', due });
    },
  );

  it('2. three months are counted to the deletion day: blocked 1 January is not deleted 16 March but 16 October', () => {
    expect(blockedDeletionDate('2024-10-01')).toBe('2025-03-16');
    expect(blockedDeletionDate('2024-12-16')).toBe('2025-03-16');
    expect(blockedDeletionDate('2024-12-17')).toBe('2025-10-16');
    expect(blockedDeletionDate('2025-03-01')).toBe('2025-10-16');
  });

  it.each([
    ['2024-12-14', false],
    ['2024-12-15', true],
    ['2024-12-16', true],
  ])(
    '3. «EVU-studenter slettes ca. to uker etter at kurset er avsluttet» — course ended 1 December, on %s due: %s',
    (day, due) => {
      const d = decide(
        person({ evu: [evu('EVU-IKT', '2024-10-01', '2024-12-01')], account: studentUser('evu1', null) }),
        day,
      );
      expect(d.deletion).toEqual({ date: '2024-12-15', rule: 'EVU_COURSE_ENDED', due });
    },
  );

  it('a programme student is never deleted; with no student user there is nothing to delete', () => {
    expect(decide(rule1Student(H24, { account: studentUser() })).deletion).toBeNull();
    expect(decide(person({ studyRights: [right('BA-INF')] }), '2025-02-16').deletion).toBeNull();
  });
});

describe('the plan of what Cerebrum REST cannot do', () => {
  it('lists account creation, affiliations, home area, e-mail (Wednesdays), spreads, quota (Fridays), letter', () => {
    const d = decide(rule1Student(H24, { addresses: { home: BERGEN } }), '2024-10-16'); // a Wednesday
    const actions = planFor(d);
    expect(actions.map((a) => a.action)).toEqual([
      'CREATE_ACCOUNT',
      'JOIN_GROUPS',
      'SET_AFFILIATION',
      'SET_HOME_AREA',
      'SET_PRIMARY_EMAIL',
      'ADD_SPREAD',
      'ADD_SPREAD',
      'SET_PRINTER_QUOTA',
      'SEND_LETTER',
    ]);
    expect(actions.find((a) => a.action === 'SET_PRIMARY_EMAIL')?.dueToday).toBe(true);
    expect(actions.find((a) => a.action === 'SET_PRINTER_QUOTA')?.dueToday).toBe(false);
    expect(
      planFor(decide(rule1Student(H24), '2024-10-18')).find((a) => a.action === 'SET_PRINTER_QUOTA')?.dueToday,
    ).toBe(true); // Friday
  });
});

describe('configuration', () => {
  it('config/fs-import.json is valid', () => {
    const c = loadFsImportConfig(join(__dirname, '..', 'config', 'fs-import.json'));
    expect(c.quarantine.type).toBe('auto_inaktiv');
    expect(c.semesterRegistrationForms).toEqual(['DOKTORREG', 'MANUELL', 'STUDWEB']);
    expect(c.profiles.length).toBeGreaterThan(3);
  });

  it('names every problem by its place', () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', 'config', 'fs-import.json'), 'utf8'));
    raw.quarantine = {};
    raw.profiles[1].select.levelMin = 'high';
    raw.profiles[2].name = raw.profiles[1].name;
    raw.colour = 'blue';
    let err: unknown;
    try {
      parseFsImportConfig(raw, 'fs-import.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FsImportConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('quarantine.type: missing');
    expect(msg).toContain('profiles[1].select.levelMin: expected a whole number');
    expect(msg).toContain('profiles[2].name');
    expect(msg).toContain('colour: unknown setting');
  });

  it('a missing file names FS_IMPORT_CONFIG', () => {
    expect(() => loadFsImportConfig('/nonexistent/fs-import.json')).toThrow(/FS_IMPORT_CONFIG/);
  });
});
