/**
 * fsSampleData(today): the FS side of the sample university (institution 185), consistent with the Cerebrum
 * sample (cerebrum-sample.ts): the same humans have the same fødselsnummer in both, FS units use Cerebrum's
 * stedkoder (150000 HF, 151000 IFIKK, 152000 ILN, 160000 MN, 162000 IFI, 164000 IBV, 170000 JUS, 171000 IOR),
 * and a Cerebrum person's FS person number and student number are the ones Cerebrum already stores as its
 * external ids NO_FSNO (id·7 mod 10⁶) and NO_STUDNO (500000 + id mod 10⁵).
 *
 * Deterministic for a given `today`: everything the FS import rules compare with today (the current term, the
 * EVU course dates, plan confirmation dates) is placed relative to it, so the special cases of FS_SAMPLE
 * below hold whatever day the tests run. Terms: VÅR = January–July, HØST = August–December.
 */
import type {
  FsData,
  SimAddress,
  SimCourse,
  SimExamRegistration,
  SimFsPerson,
  SimInvoice,
  SimProgramme,
  SimStudyRight,
  SimTerm,
  SimTermInfo,
  SimText,
  SimUnit,
} from './fs-types';
import { fsPeople, type PersonSeed } from './fs-people';

export * from './fs-types';

const INSTITUTION = 185;

/** A sample human: FS person number, student number (students only), and the Cerebrum person when there is one. */
export interface SampleHuman {
  personNumber: string;
  studentNumber: string | null;
  cerebrumId: number | null;
  name: string;
  nationalId: string;
}

const human = (seed: PersonSeed): SampleHuman => ({
  personNumber: seed.plnr,
  studentNumber: seed.studno ?? null,
  cerebrumId: seed.cerebrumId ?? null,
  name: `${seed.first} ${seed.last}`,
  nationalId: seed.fnr,
});
const P = Object.fromEntries(fsPeople().map((s) => [s.key, human(s)])) as Record<
  ReturnType<typeof fsPeople>[number]['key'],
  SampleHuman
>;

/**
 * Special persons and programmes tests and the FS import rely on (seed 001 sections in brackets). "cur" is
 * the current term of `today`, "prev" the one before.
 */
export const FS_SAMPLE = {
  institution: String(INSTITUTION),
  /** [2.0-1] Ola Nordmann (cerebrum:101004): BA-INF, semester-registered (STUDWEB) cur, exam IN2010 cur. Paid PAPIRHEL cur; BOKMÅL. */
  rule1Student: P.ola,
  /** [2.0-2 only] Jørgen Vågå (cerebrum:101016): MA-BIO (status_utdplan J), plan confirmed for cur before today, no semester registration. Paid PAPIRPPU cur. */
  planOnlyStudent: P.jorgen,
  /**
   * [status_utdplan] Vegard Planløs (FS only): MA-BIO (J), semester-registered and exam-registered cur but no plan:
   * meets 2.0-1 only, so he is a student exactly when MA-BIO's status_utdplan is flipped to N (`statusUtdanningsplan`).
   */
  utdplanSwitchStudent: P.vegard,
  /** [2.0-2, dato_bekreftet < today] Mari Dagsdato (FS only): MA-INF plan for cur confirmed today → not yet. */
  planConfirmedTodayStudent: P.mari,
  /** [emnebegrenset] Sondre Emnesen (FS only): ENKEMNE-MN limited to IN2010, exam-registered in IN2010 cur → counts. */
  courseLimitedWithExam: P.sondre,
  /** [emnebegrenset] Ylva Utenmelding (FS only): ENKEMNE-MN limited to IN1000, semester-registered, no exam registration → does not count. */
  courseLimitedWithoutExam: P.ylva,
  /** [2.0-1 via DOKTORREG] Dagny Doktor (FS only): PHD-MN, DOKTORREG cur, exam MNSES9100 cur. */
  phdStudent: P.dagny,
  /** [2.1-1] Liv Bråten (cerebrum:101011): PHD-MN (900) and MA-INF (350) → PHD-MN. Also teaching staff cur (IN1000 at 162000). */
  highestLevelWins: P.liv,
  /** [2.1-2] Solveig Løvås (cerebrum:101007): BA-FIL and BA-NOR (both 280); exams FIL2000 (200) and NOR1101 (100) → BA-FIL. Paid PAPIRDEL; NYNORSK. */
  courseLevelTie: P.solveig,
  /** [2.1-3] Emil Lærum (cerebrum:101024): MA-LING and MA-NORD (350, both plans), exams at 400 in both; MA-LING's plan is older → its e-mail. ENGELSK; PAPIRHEL invoice not paid. */
  fullTie: P.emil,
  /** [2.1-4] Eirik Strøm (cerebrum:101012): MA-RETTS (350, no plan) and MA-INF (350, plan); exams at 400 in both → MA-INF. PAPIRPPU paid only prev. */
  planBeatsNoPlan: P.eirik,
  /** [inactive] Marit Kåsa (cerebrum:101009): BA-INF FULLFØRT, ended 2021-06-30 (not aktiv). */
  inactiveStudent: P.marit,
  /** [status] Stian Utestengt (FS only): BA-INF with status UTESTENGT (aktiv by dates; not an approved status). */
  excludedStatusStudent: P.stian,
  /** [2.2] Sunniva Tilbud (FS only): BA-FIL offer (status TILBUD) starting next term; no student number yet. */
  offerHolder: P.sunniva,
  /** [2.4 abroad] Siri Hølaas (cerebrum:101019): MA-RETTS PERMISJON; no semester address, home address in Sweden (SE). */
  addressAbroad: P.siri,
  /** [2.4 English] Lukas Schmidt (FS only): BA-INF, maalform UKJENT, home address in Germany, semester address in Oslo. */
  englishLetter: P.lukas,
  /** [1.0 staff] Åse Ødegård (cerebrum:101001): teaching FIL2000 cur at 151000; work address. */
  staffCurrentTerm: P.aase,
  /** [1.0 staff] Per Ås (cerebrum:101008): teaching IN2010 cur at 162000. */
  staffCurrentTerm2: P.per,
  /** [1.0 staff, all stedkoder] Magnus Ødegaard (cerebrum:101020): teaching cur at 171000 (JUS4111) and 170000 (JUS1111). */
  staffTwoUnits: P.magnus,
  /** [1.0 staff] Ragnhild Kjærnes (cerebrum:101017): teaching only prev (BIO4000) → not imported as staff. */
  staffPastTerm: P.ragnhild,
  /** [1.0 staff address] Halvor Timelærer (FS only): teaching NOR2100 cur at 152000; no work address → home address. */
  staffWithoutWorkAddress: P.halvor,
  /** [1.0 EVU, 2.0 EVU] Trond Etterutdanning (FS only): EVU-IKT starts in 10 days, approved (J); job address. */
  evuInside: P.trond,
  /** [1.0 EVU] Tor Test (cerebrum:85073): also on EVU-IKT (inside the window). */
  evuInsideCerebrum: P.tor,
  /** [1.0 EVU] Kjersti Videre (FS only): EVU-LED ended 30 days ago → outside ±14 days. */
  evuOutside: P.kjersti,
  /** [1.0 EVU] Knut Kursdeltaker (FS only): EVU-JUS ended 7 days ago (inside) but not approved for accounts (N); only a deltaker home address. */
  evuNotApproved: P.knut,
  /** Persons in both FS and Cerebrum (matched by fødselsnummer). */
  inBoth: [
    P.ola,
    P.solveig,
    P.marit,
    P.liv,
    P.eirik,
    P.jorgen,
    P.siri,
    P.emil,
    P.aase,
    P.per,
    P.ragnhild,
    P.magnus,
    P.tor,
  ],
  /** A Cerebrum sample person FS does not know: cerebrum:101003 Kari Nordmann. */
  cerebrumOnly: 101003,
  programmes: {
    bachelorInformatics: 'BA-INF',
    masterInformatics: 'MA-INF',
    phd: 'PHD-MN',
    singleCourses: 'ENKEMNE-MN',
    masterBiosciences: 'MA-BIO',
    bachelorPhilosophy: 'BA-FIL',
    bachelorNordic: 'BA-NOR',
    masterLinguistics: 'MA-LING',
    masterNordic: 'MA-NORD',
    masterLaw: 'MA-RETTS',
  },
  evuCourses: { inside: 'EVU-IKT', outside: 'EVU-LED', notApproved: 'EVU-JUS' },
  /** The 12 ordinary FS-only students ("filler"), personlopenummer 900101–900112. */
  ordinaryStudents: Array.from({ length: 12 }, (_, i) => String(900101 + i)),
} as const;

// ---- dates and terms -------------------------------------------------------------------------------

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function termOfDate(date: string): SimTerm {
  return { arstall: Number(date.slice(0, 4)), betegnelse: Number(date.slice(5, 7)) <= 7 ? 'VÅR' : 'HØST' };
}

/** `n` terms after `t` (negative: before). */
export function shiftTerm(t: SimTerm, n: number): SimTerm {
  const idx = t.arstall * 2 + (t.betegnelse === 'VÅR' ? 0 : 1) + n;
  return { arstall: Math.floor(idx / 2), betegnelse: idx % 2 === 0 ? 'VÅR' : 'HØST' };
}

export const termStart = (t: SimTerm) => (t.betegnelse === 'VÅR' ? `${t.arstall}-01-01` : `${t.arstall}-08-01`);
export const termEnd = (t: SimTerm) => (t.betegnelse === 'VÅR' ? `${t.arstall}-07-31` : `${t.arstall}-12-31`);

// ---- units, programmes, courses --------------------------------------------------------------------

const text = (nb: string, en: string | null = null, nn: string | null = null): SimText => ({ nb, nn, en });

function units(): SimUnit[] {
  return [
    { stedkode: '900000', navn: text('Universitetet i Oslo', 'University of Oslo') },
    { stedkode: '150000', navn: text('Det humanistiske fakultet', 'The Faculty of Humanities') },
    {
      stedkode: '151000',
      navn: text(
        'Institutt for filosofi, ide- og kunsthistorie og klassiske språk',
        'Department of Philosophy, Classics, History of Art and Ideas',
      ),
    },
    {
      stedkode: '152000',
      navn: text(
        'Institutt for lingvistiske og nordiske studier',
        'Department of Linguistics and Scandinavian Studies',
      ),
    },
    {
      stedkode: '160000',
      navn: text('Det matematisk-naturvitenskapelige fakultet', 'The Faculty of Mathematics and Natural Sciences'),
    },
    { stedkode: '162000', navn: text('Institutt for informatikk', 'Department of Informatics') },
    { stedkode: '164000', navn: { nb: null, nn: 'Institutt for biovitskap', en: 'Department of Biosciences' } },
    { stedkode: '170000', navn: text('Det juridiske fakultet', 'Faculty of Law') },
    { stedkode: '171000', navn: text('Institutt for offentlig rett', 'Department of Public and International Law') },
    {
      stedkode: '330000',
      navn: text('Universitetets senter for informasjonsteknologi', 'Centre for Information Technology Services'),
    },
  ];
}

function programmes(): SimProgramme[] {
  const p = (
    kode: string,
    nb: string,
    en: string,
    studieniva: string,
    stedkode: string,
    plan: boolean,
    emner: string[],
  ): SimProgramme => ({ kode, navn: text(nb, en), studieniva, stedkode, statusUtdanningsplan: plan, emner });
  return [
    p(
      'BA-INF',
      'Informatikk: programmering og systemarkitektur (bachelor)',
      'Informatics: Programming and System Architecture (bachelor)',
      '280',
      '162000',
      false,
      ['IN1000', 'IN2010', 'IN3030'],
    ),
    p(
      'MA-INF',
      'Informatikk: programmering og systemarkitektur (master)',
      'Informatics: Programming and System Architecture (master)',
      '350',
      '162000',
      true,
      ['IN3030', 'IN4020', 'IN5000'],
    ),
    p(
      'PHD-MN',
      'Ph.d.-programmet ved Det matematisk-naturvitenskapelige fakultet',
      'PhD programme in Mathematics and Natural Sciences',
      '900',
      '160000',
      false,
      ['MNSES9100', 'IN5000'],
    ),
    p('ENKEMNE-MN', 'Enkeltemner ved MN', 'Single courses, Mathematics and Natural Sciences', '100', '160000', false, [
      'IN1000',
      'IN2010',
    ]),
    p('MA-BIO', 'Biovitskap (master)', 'Biosciences (master)', '350', '164000', true, ['BIO4000']),
    p('BA-FIL', 'Filosofi (bachelor)', 'Philosophy (bachelor)', '280', '151000', false, ['FIL1000', 'FIL2000']),
    p(
      'BA-NOR',
      'Nordisk språk og litteratur (bachelor)',
      'Scandinavian Language and Literature (bachelor)',
      '280',
      '152000',
      false,
      ['NOR1101', 'NOR2100'],
    ),
    p('MA-LING', 'Lingvistikk (master)', 'Linguistics (master)', '350', '152000', true, ['LING4100', 'NOR2100']),
    p(
      'MA-NORD',
      'Nordisk språk og litteratur (master)',
      'Scandinavian Language and Literature (master)',
      '350',
      '152000',
      true,
      ['NORD4100'],
    ),
    p('MA-RETTS', 'Master i rettsvitenskap', 'Master of Laws', '350', '170000', false, ['JUS1111', 'JUS4111']),
  ];
}

function courses(): SimCourse[] {
  const c = (kode: string, nb: string, en: string, studieniva: string, stedkode: string): SimCourse => ({
    kode,
    versjonskode: '1',
    navn: text(nb, en),
    studieniva,
    stedkode,
  });
  return [
    c(
      'IN1000',
      'Introduksjon til objektorientert programmering',
      'Introduction to Object-oriented Programming',
      '100',
      '162000',
    ),
    c('IN2010', 'Algoritmer og datastrukturer', 'Algorithms and Data Structures', '200', '162000'),
    c('IN3030', 'Effektiv parallellprogrammering', 'Efficient Parallel Programming', '300', '162000'),
    c('IN4020', 'Databasesystemer', 'Database Systems', '400', '162000'),
    c(
      'IN5000',
      'Kvalitative forskningsmetoder i informatikk',
      'Qualitative Research Methods in Informatics',
      '500',
      '162000',
    ),
    c('MNSES9100', 'Vitenskapsteori og etikk', 'Science Theory and Research Ethics', '900', '160000'),
    c('BIO4000', 'Biovitskapleg forskingsmetode', 'Research Methods in Biosciences', '400', '164000'),
    c('FIL1000', 'Innføring i filosofi', 'Introduction to Philosophy', '100', '151000'),
    c('FIL2000', 'Filosofiens historie', 'History of Philosophy', '200', '151000'),
    c('NOR1101', 'Norsk grammatikk', 'Norwegian Grammar', '100', '152000'),
    c('NOR2100', 'Norsk språkhistorie', 'History of the Norwegian Language', '200', '152000'),
    c('LING4100', 'Syntaks', 'Syntax', '400', '152000'),
    c('NORD4100', 'Nordisk litteratur etter 1900', 'Scandinavian Literature after 1900', '400', '152000'),
    c('JUS1111', 'Juridisk metode', 'Legal Method', '100', '170000'),
    c('JUS4111', 'Formuerett', 'Property Law', '400', '171000'),
  ];
}

function terms(cur: SimTerm): SimTermInfo[] {
  const out: SimTermInfo[] = [];
  for (let n = -10; n <= 2; n++) {
    const t = shiftTerm(cur, n);
    out.push({ ...t, startdato: termStart(t), sluttdato: termEnd(t) });
  }
  return out;
}

// ---- the sample ------------------------------------------------------------------------------------

/** The FS sample as of `today` (YYYY-MM-DD). Every call returns fresh objects: tests may mutate them. */
export function fsSampleData(today: string): FsData {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today))
    throw new TypeError(`fsSampleData: today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const cur = termOfDate(today);
  const ctx = { today, cur, prev: shiftTerm(cur, -1), next: shiftTerm(cur, 1) };
  const seeds = fsPeople();
  const persons: SimFsPerson[] = seeds.map((s) => s.person(ctx));
  const studyRights: SimStudyRight[] = [];
  const semesterRegistrations: FsData['semesterRegistrations'] = [];
  const examRegistrations: SimExamRegistration[] = [];
  const invoices: SimInvoice[] = [];
  const data: FsData = {
    institusjonsnr: INSTITUTION,
    today,
    terminer: terms(cur),
    units: units(),
    persons,
    programmes: programmes(),
    courses: courses(),
    studyRights,
    semesterRegistrations,
    examRegistrations,
    teaching: [],
    evuCourses: [],
    evuParticipations: [],
    invoices,
  };
  for (const s of seeds) s.activity?.(ctx, data);
  // FS ids are opaque; make them stable per row.
  studyRights.forEach((r, i) => {
    r.id = `U3R1ZGllcmV0dDo${String(i + 1).padStart(4, '0')}`;
  });
  evu(ctx, data);
  return data;
}

function evu(ctx: { today: string }, data: FsData): void {
  const { today } = ctx;
  data.evuCourses.push(
    {
      kode: 'EVU-IKT',
      tidskode: `${today.slice(0, 4)}-A`,
      navn: text('Digital sikkerhet for ledere', 'Digital Security for Managers'),
      startdato: addDays(today, 10),
      sluttdato: addDays(today, 70),
      statusNettbasertUndervisning: true,
      stedkode: '162000',
    },
    {
      kode: 'EVU-LED',
      tidskode: `${today.slice(0, 4)}-A`,
      navn: text('Ledelse i offentlig sektor', 'Public Sector Leadership'),
      startdato: addDays(today, -150),
      sluttdato: addDays(today, -30),
      statusNettbasertUndervisning: true,
      stedkode: '170000',
    },
    {
      kode: 'EVU-JUS',
      tidskode: `${today.slice(0, 4)}-A`,
      navn: text('Forvaltningsrett for saksbehandlere', 'Administrative Law for Case Officers'),
      startdato: addDays(today, -60),
      sluttdato: addDays(today, -7),
      statusNettbasertUndervisning: false,
      stedkode: '171000',
    },
  );
}

export { INSTITUTION as FS_SAMPLE_INSTITUTION };
export type { SimAddress };
