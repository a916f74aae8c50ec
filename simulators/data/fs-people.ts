/**
 * The persons of the FS sample and what each one does in FS (study rights, registrations, teaching, EVU,
 * invoices), relative to the current term. See FS_SAMPLE in fs-sample.ts for why each one is there.
 */
import { asciiFold, makeFnr } from './cerebrum-types';
import type { FsData, SimAddress, SimFsPerson, SimPlan, SimTerm } from './fs-types';

export interface SampleCtx {
  today: string;
  cur: SimTerm;
  prev: SimTerm;
  next: SimTerm;
}

export interface PersonSeed {
  key: string;
  plnr: string;
  studno?: string;
  cerebrumId?: number;
  first: string;
  last: string;
  fnr: string;
  person(ctx: SampleCtx): SimFsPerson;
  activity?(ctx: SampleCtx, data: FsData): void;
}

const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const shift = (t: SimTerm, n: number): SimTerm => {
  const idx = t.arstall * 2 + (t.betegnelse === 'VÅR' ? 0 : 1) + n;
  return { arstall: Math.floor(idx / 2), betegnelse: idx % 2 === 0 ? 'VÅR' : 'HØST' };
};
const start = (t: SimTerm) => (t.betegnelse === 'VÅR' ? `${t.arstall}-01-01` : `${t.arstall}-08-01`);

export const addr = (
  lines: string[],
  postnummer: string | null,
  poststed: string | null,
  landkode = 'NO',
): SimAddress => ({ adresselinjer: lines, postnummer, poststed, landkode });

const OSLO = (street: string, postnr = '0371') => addr([street], postnr, 'OSLO');

// ---- activity helpers ------------------------------------------------------------------------------

function right(
  d: FsData,
  plnr: string,
  prog: string,
  kull: SimTerm,
  o: {
    status?: string;
    til?: string | null;
    fra?: string;
    limited?: string[];
    plan?: SimPlan | null;
  } = {},
): void {
  d.studyRights.push({
    id: '',
    personlopenummer: plnr,
    studieprogramkode: prog,
    kull,
    status: o.status ?? 'AKTIV',
    gyldigFra: o.fra ?? start(kull),
    gyldigTil: o.til ?? null,
    begrensetTilEmner: o.limited ?? [],
    utdanningsplan: o.plan ?? null,
  });
}
const semreg = (d: FsData, plnr: string, termin: SimTerm, regformkode = 'STUDWEB', date?: string) =>
  d.semesterRegistrations.push({
    personlopenummer: plnr,
    termin,
    regformkode,
    registrertDato: date ?? addDays(start(termin), 14),
  });
const exam = (d: FsData, plnr: string, emnekode: string, termin: SimTerm, prog: string | null) =>
  d.examRegistrations.push({ personlopenummer: plnr, emnekode, versjonskode: '1', termin, studieprogramkode: prog });
const teach = (
  d: FsData,
  plnr: string,
  termin: SimTerm,
  emnekode: string | null,
  stedkode: string,
  rolle = 'FORELESER',
) => d.teaching.push({ personlopenummer: plnr, termin, emnekode, stedkode, rolle });
let invoiceNo = 0;
const invoice = (
  d: FsData,
  plnr: string,
  termin: SimTerm,
  type: string,
  paid: boolean,
  status = paid ? 'OPPGJORT' : 'UTSTEDT',
  belop = 200,
) =>
  d.invoices.push({
    fakturanummer: String(4_100_000 + ++invoiceNo),
    personlopenummer: plnr,
    termin,
    statusBetalt: paid,
    fakturastatus: status,
    detaljer: [{ type, belop }],
  });
const evu = (
  d: FsData,
  plnr: string,
  kurskode: string,
  o: { job?: SimAddress | null; home?: SimAddress | null; status?: string } = {},
) =>
  d.evuParticipations.push({
    kurskode,
    tidskode: `${d.today.slice(0, 4)}-A`,
    personlopenummer: plnr,
    deltakernummer: `D${plnr}`,
    jobbadresse: o.job ?? null,
    hjemadresse: o.home ?? null,
    status: o.status ?? 'GODKJENT',
  });
/** A plan started `startAgo` terms ago and confirmed for the current term `daysBefore` days before today. */
const plan = (c: SampleCtx, startAgo: number, daysBefore = 20): SimPlan => ({
  startTermin: shift(c.cur, -startAgo),
  bekreftelser: [
    ...(startAgo > 0 ? [{ termin: c.prev, datoBekreftet: addDays(start(c.prev), 20) }] : []),
    { termin: c.cur, datoBekreftet: addDays(c.today, -daysBefore) },
  ],
});

// ---- persons ---------------------------------------------------------------------------------------

interface Spec {
  key: string;
  first: string;
  last: string;
  birth: string;
  kjonn: 'M' | 'K';
  /** Cerebrum sample id: the FS numbers and the fødselsnummer follow from it. */
  cerebrumId?: number;
  fnrSeq?: number;
  /** The user name (Feide name and institution e-mail); for a Cerebrum person its Cerebrum account. */
  user?: string;
  /** FS-only: person number; student number when a student. */
  plnr?: string;
  studno?: string | null;
  student?: boolean;
  maalform?: string;
  home?: SimAddress | null;
  semester?: SimAddress | null;
  staff?: { ansattVed: string; title: string; titleEn: string; work?: SimAddress | null };
  activity?(c: SampleCtx, d: FsData, plnr: string): void;
}

function seed(s: Spec): PersonSeed {
  const plnr = s.plnr ?? String((s.cerebrumId! * 7) % 1_000_000);
  const studno = s.student
    ? (s.studno ?? (s.cerebrumId ? String(500000 + (s.cerebrumId % 100000)) : undefined))
    : undefined;
  const fnr = makeFnr(s.birth, s.fnrSeq ?? (s.cerebrumId !== undefined ? s.cerebrumId % 400 : Number(plnr) % 400));
  const user = s.user ?? asciiFold(s.first).slice(0, 5) + asciiFold(s.last).slice(0, 2);
  return {
    key: s.key,
    plnr,
    studno,
    cerebrumId: s.cerebrumId,
    first: s.first,
    last: s.last,
    fnr,
    person: () => ({
      personlopenummer: plnr,
      fodselsnummer: fnr,
      fodselsdato: s.birth,
      kjonn: s.kjonn,
      fornavn: s.first,
      etternavn: s.last,
      privatEpost: `${asciiFold(s.first)}.${asciiFold(s.last)}@example.com`,
      institusjonsEpost: studno || s.staff ? `${user}@uio.no` : null,
      arbeidsEpost: s.staff ? `${asciiFold(s.first)}.${asciiFold(s.last)}@uio.no` : null,
      mobilTelefon: `+479${plnr.padStart(7, '0').slice(-7)}`,
      feideBruker: studno || s.staff ? `${user}@uio.no` : null,
      maalform: s.maalform ?? 'BOKMÅL',
      postadresse:
        s.home === undefined ? addr([`${s.last}veien ${(Number(plnr) % 90) + 1}`], '5003', 'BERGEN') : s.home,
      fagperson: s.staff
        ? {
            erAktiv: true,
            ansattVed: s.staff.ansattVed,
            stillingstittel: { nb: s.staff.title, nn: null, en: s.staff.titleEn },
            arbeidsadresse: s.staff.work ?? null,
          }
        : null,
      studentnummer: studno ?? null,
      semesteradresse:
        s.semester === undefined
          ? studno
            ? OSLO(`Kringsjåveien ${(Number(plnr) % 150) + 1}`, '0864')
            : null
          : s.semester,
    }),
    activity: s.activity ? (c, d) => s.activity!(c, d, plnr) : undefined,
  };
}

const BLINDERN = (house: string) => addr([house, 'Postboks 1020 Blindern'], '0315', 'OSLO');

const FILLER: Array<[string, string, string, 'M' | 'K', string, string]> = [
  ['Sigrid', 'Haugen', '2002-03-14', 'K', 'BA-INF', 'IN1000'],
  ['Henrik', 'Berg', '2001-07-22', 'M', 'BA-INF', 'IN2010'],
  ['Ingeborg', 'Dahl', '2003-01-09', 'K', 'BA-FIL', 'FIL1000'],
  ['Mathias', 'Lie', '2000-11-30', 'M', 'BA-NOR', 'NOR1101'],
  ['Nora', 'Moen', '1999-05-05', 'K', 'MA-RETTS', 'JUS1111'],
  ['Jonas', 'Solberg', '2002-08-18', 'M', 'BA-INF', 'IN3030'],
  ['Emma', 'Bakke', '2003-04-27', 'K', 'BA-NOR', 'NOR2100'],
  ['Filip', 'Rønning', '2001-12-03', 'M', 'BA-FIL', 'FIL2000'],
  ['Ida', 'Aasen', '1998-02-16', 'K', 'MA-INF', 'IN4020'],
  ['Aksel', 'Grønli', '2002-06-06', 'M', 'BA-INF', 'IN1000'],
  ['Thea', 'Myhre', '2000-09-12', 'K', 'MA-RETTS', 'JUS4111'],
  ['Kasper', 'Lunde', '2001-10-25', 'M', 'BA-NOR', 'NOR1101'],
];

export function fsPeople() {
  const specs: Spec[] = [
    // ---- in Cerebrum too ----
    {
      key: 'ola',
      cerebrumId: 101004,
      user: 'olanor',
      first: 'Ola',
      last: 'Nordmann',
      birth: '1990-02-14',
      kjonn: 'M',
      student: true,
      activity(c, d, p) {
        right(d, p, 'BA-INF', shift(c.cur, -3));
        semreg(d, p, c.prev);
        semreg(d, p, c.cur);
        exam(d, p, 'IN1000', c.prev, 'BA-INF');
        exam(d, p, 'IN2010', c.cur, 'BA-INF');
        invoice(d, p, c.cur, 'PAPIRHEL', true);
        invoice(d, p, c.cur, 'SEMAVG', true, 'OPPGJORT', 800);
      },
    },
    {
      key: 'solveig',
      cerebrumId: 101007,
      user: 'solvelo',
      first: 'Solveig',
      last: 'Løvås',
      birth: '1995-12-01',
      kjonn: 'K',
      student: true,
      maalform: 'NYNORSK',
      activity(c, d, p) {
        right(d, p, 'BA-FIL', shift(c.cur, -2));
        right(d, p, 'BA-NOR', shift(c.cur, -1));
        semreg(d, p, c.cur, 'MANUELL');
        exam(d, p, 'FIL2000', c.cur, 'BA-FIL');
        exam(d, p, 'NOR1101', c.cur, 'BA-NOR');
        invoice(d, p, c.cur, 'PAPIRDEL', true);
      },
    },
    {
      key: 'marit',
      cerebrumId: 101009,
      user: 'maritka',
      first: 'Marit',
      last: 'Kåsa',
      birth: '2001-04-17',
      kjonn: 'K',
      student: true,
      activity(_c, d, p) {
        right(d, p, 'BA-INF', { arstall: 2020, betegnelse: 'HØST' }, { status: 'FULLFØRT', til: '2021-06-30' });
        semreg(d, p, { arstall: 2021, betegnelse: 'VÅR' });
      },
    },
    {
      key: 'liv',
      cerebrumId: 101011,
      user: 'livbr',
      first: 'Liv',
      last: 'Bråten',
      birth: '1988-06-23',
      kjonn: 'K',
      student: true,
      staff: {
        ansattVed: '162000',
        title: 'Stipendiat',
        titleEn: 'Doctoral Research Fellow',
        work: BLINDERN('Ole-Johan Dahls hus'),
      },
      activity(c, d, p) {
        right(d, p, 'PHD-MN', shift(c.cur, -4));
        right(d, p, 'MA-INF', shift(c.cur, -8), { plan: plan(c, 8) });
        semreg(d, p, c.cur, 'DOKTORREG');
        exam(d, p, 'MNSES9100', c.cur, 'PHD-MN');
        teach(d, p, c.cur, 'IN1000', '162000', 'GRUPPELÆRER');
      },
    },
    {
      key: 'eirik',
      cerebrumId: 101012,
      user: 'eirikst',
      first: 'Eirik',
      last: 'Strøm',
      birth: '1993-01-31',
      kjonn: 'M',
      student: true,
      activity(c, d, p) {
        right(d, p, 'MA-RETTS', shift(c.cur, -3));
        right(d, p, 'MA-INF', shift(c.cur, -2), { plan: plan(c, 2) });
        semreg(d, p, c.cur);
        exam(d, p, 'JUS4111', c.cur, 'MA-RETTS');
        exam(d, p, 'IN4020', c.cur, 'MA-INF');
        invoice(d, p, c.prev, 'PAPIRPPU', true);
      },
    },
    {
      key: 'jorgen',
      cerebrumId: 101016,
      user: 'jorgva',
      first: 'Jørgen',
      last: 'Vågå',
      birth: '1999-03-03',
      kjonn: 'M',
      student: true,
      activity(c, d, p) {
        right(d, p, 'MA-BIO', shift(c.cur, -1), { plan: plan(c, 1) });
        invoice(d, p, c.cur, 'PAPIRPPU', true);
      },
    },
    {
      key: 'siri',
      cerebrumId: 101019,
      user: 'sirih',
      first: 'Siri',
      last: 'Hølaas',
      birth: '2000-05-05',
      kjonn: 'K',
      student: true,
      home: addr(['Drottninggatan 12'], '111 51', 'STOCKHOLM', 'SE'),
      semester: null,
      activity(c, d, p) {
        right(d, p, 'MA-RETTS', shift(c.cur, -2), { status: 'PERMISJON' });
      },
    },
    {
      key: 'emil',
      cerebrumId: 101024,
      user: 'emillae',
      first: 'Emil',
      last: 'Lærum',
      birth: '2003-10-02',
      kjonn: 'M',
      student: true,
      maalform: 'ENGELSK',
      activity(c, d, p) {
        right(d, p, 'MA-LING', shift(c.cur, -4), { plan: plan(c, 4) });
        right(d, p, 'MA-NORD', shift(c.cur, -2), { plan: plan(c, 2) });
        semreg(d, p, c.cur);
        exam(d, p, 'LING4100', c.cur, 'MA-LING');
        exam(d, p, 'NORD4100', c.cur, 'MA-NORD');
        invoice(d, p, c.cur, 'PAPIRHEL', false);
      },
    },
    {
      key: 'aase',
      cerebrumId: 101001,
      user: 'aseod',
      first: 'Åse',
      last: 'Ødegård',
      birth: '1975-03-12',
      kjonn: 'K',
      staff: {
        ansattVed: '151000',
        title: 'Professor',
        titleEn: 'Professor',
        work: BLINDERN('Georg Morgenstiernes hus'),
      },
      activity(c, d, p) {
        teach(d, p, c.cur, 'FIL2000', '151000', 'EMNEANSVARLIG');
        teach(d, p, c.prev, 'FIL1000', '151000');
      },
    },
    {
      key: 'per',
      cerebrumId: 101008,
      user: 'peras',
      first: 'Per',
      last: 'Ås',
      birth: '1978-08-08',
      kjonn: 'M',
      staff: {
        ansattVed: '162000',
        title: 'Førsteamanuensis',
        titleEn: 'Associate Professor',
        work: BLINDERN('Ole-Johan Dahls hus'),
      },
      activity(c, d, p) {
        teach(d, p, c.cur, 'IN2010', '162000', 'EMNEANSVARLIG');
      },
    },
    {
      key: 'ragnhild',
      cerebrumId: 101017,
      user: 'ragnhk',
      first: 'Ragnhild',
      last: 'Kjærnes',
      birth: '1965-04-01',
      kjonn: 'K',
      staff: {
        ansattVed: '164000',
        title: 'Professor',
        titleEn: 'Professor',
        work: BLINDERN('Kristine Bonnevies hus'),
      },
      activity(c, d, p) {
        teach(d, p, c.prev, 'BIO4000', '164000');
      },
    },
    {
      key: 'magnus',
      cerebrumId: 101020,
      user: 'magnuod',
      first: 'Magnus',
      last: 'Ødegaard',
      birth: '1983-07-19',
      kjonn: 'M',
      staff: {
        ansattVed: '171000',
        title: 'Universitetslektor',
        titleEn: 'Senior Lecturer',
        work: addr(['Domus Nova', 'Postboks 6706 St. Olavs plass'], '0130', 'OSLO'),
      },
      activity(c, d, p) {
        teach(d, p, c.cur, 'JUS4111', '171000');
        teach(d, p, c.cur, 'JUS1111', '170000', 'SENSOR');
      },
    },
    {
      key: 'tor',
      cerebrumId: 85073,
      user: 'torte',
      fnrSeq: 999,
      first: 'Tor',
      last: 'Test',
      birth: '1970-01-01',
      kjonn: 'M',
      activity(_c, d, p) {
        evu(d, p, 'EVU-IKT', { job: addr(['USIT', 'Postboks 1059 Blindern'], '0316', 'OSLO') });
      },
    },

    // ---- FS only ----
    {
      key: 'lukas',
      plnr: '900001',
      studno: '700001',
      first: 'Lukas',
      last: 'Schmidt',
      birth: '2001-02-03',
      kjonn: 'M',
      student: true,
      maalform: 'UKJENT',
      home: addr(['Lindenstraße 5'], '10969', 'BERLIN', 'DE'),
      activity(c, d, p) {
        right(d, p, 'BA-INF', shift(c.cur, -1));
        semreg(d, p, c.cur);
        exam(d, p, 'IN1000', c.cur, 'BA-INF');
      },
    },
    {
      key: 'sondre',
      plnr: '900002',
      studno: '700002',
      first: 'Sondre',
      last: 'Emnesen',
      birth: '1998-06-10',
      kjonn: 'M',
      student: true,
      activity(c, d, p) {
        right(d, p, 'ENKEMNE-MN', c.cur, { limited: ['IN2010'] });
        semreg(d, p, c.cur);
        exam(d, p, 'IN2010', c.cur, 'ENKEMNE-MN');
      },
    },
    {
      key: 'ylva',
      plnr: '900003',
      studno: '700003',
      first: 'Ylva',
      last: 'Utenmelding',
      birth: '1997-09-22',
      kjonn: 'K',
      student: true,
      activity(c, d, p) {
        right(d, p, 'ENKEMNE-MN', c.cur, { limited: ['IN1000'] });
        semreg(d, p, c.cur);
      },
    },
    {
      key: 'vegard',
      plnr: '900004',
      studno: '700004',
      first: 'Vegard',
      last: 'Planløs',
      birth: '1996-11-05',
      kjonn: 'M',
      student: true,
      activity(c, d, p) {
        right(d, p, 'MA-BIO', shift(c.cur, -1));
        semreg(d, p, c.cur);
        exam(d, p, 'BIO4000', c.cur, 'MA-BIO');
      },
    },
    {
      key: 'mari',
      plnr: '900005',
      studno: '700005',
      first: 'Mari',
      last: 'Dagsdato',
      birth: '2002-01-15',
      kjonn: 'K',
      student: true,
      activity(c, d, p) {
        right(d, p, 'MA-INF', c.cur, { plan: plan(c, 0, 0) });
      },
    },
    {
      key: 'stian',
      plnr: '900006',
      studno: '700006',
      first: 'Stian',
      last: 'Utestengt',
      birth: '1999-08-08',
      kjonn: 'M',
      student: true,
      activity(c, d, p) {
        right(d, p, 'BA-INF', shift(c.cur, -2), { status: 'UTESTENGT' });
        semreg(d, p, c.cur);
        exam(d, p, 'IN2010', c.cur, 'BA-INF');
      },
    },
    {
      key: 'sunniva',
      plnr: '900007',
      first: 'Sunniva',
      last: 'Tilbud',
      birth: '2006-04-20',
      kjonn: 'K',
      activity(c, d, p) {
        right(d, p, 'BA-FIL', c.next, { status: 'TILBUD' });
      },
    },
    {
      key: 'dagny',
      plnr: '900008',
      studno: '700008',
      first: 'Dagny',
      last: 'Doktor',
      birth: '1990-09-09',
      kjonn: 'K',
      student: true,
      activity(c, d, p) {
        right(d, p, 'PHD-MN', shift(c.cur, -3));
        semreg(d, p, c.cur, 'DOKTORREG');
        exam(d, p, 'MNSES9100', c.cur, 'PHD-MN');
      },
    },
    {
      key: 'halvor',
      plnr: '900009',
      first: 'Halvor',
      last: 'Timelærer',
      birth: '1979-12-12',
      kjonn: 'M',
      staff: { ansattVed: '152000', title: 'Timelærer', titleEn: 'Hourly Teacher', work: null },
      activity(c, d, p) {
        teach(d, p, c.cur, 'NOR2100', '152000');
      },
    },
    {
      key: 'trond',
      plnr: '900010',
      first: 'Trond',
      last: 'Etterutdanning',
      birth: '1975-05-05',
      kjonn: 'M',
      activity(_c, d, p) {
        evu(d, p, 'EVU-IKT', { job: addr(['Statens vegvesen', 'Postboks 1010 Nordre Ål'], '2605', 'LILLEHAMMER') });
      },
    },
    {
      key: 'kjersti',
      plnr: '900011',
      first: 'Kjersti',
      last: 'Videre',
      birth: '1980-10-10',
      kjonn: 'K',
      activity(_c, d, p) {
        evu(d, p, 'EVU-LED', { job: addr(['Oslo kommune', 'Rådhuset'], '0037', 'OSLO') });
      },
    },
    {
      key: 'knut',
      plnr: '900012',
      first: 'Knut',
      last: 'Kursdeltaker',
      birth: '1968-03-01',
      kjonn: 'M',
      home: null,
      activity(_c, d, p) {
        evu(d, p, 'EVU-JUS', { home: addr(['Storgata 3'], '3510', 'HØNEFOSS') });
      },
    },
    ...FILLER.map(([first, last, birth, kjonn, prog, course], i): Spec => ({
      key: `filler${i + 1}`,
      plnr: String(900101 + i),
      studno: String(700101 + i),
      first,
      last,
      birth,
      kjonn,
      student: true,
      activity(c, d, p) {
        right(d, p, prog, shift(c.cur, -(i % 4)));
        semreg(d, p, c.cur);
        exam(d, p, course, c.cur, prog);
      },
    })),
  ];
  invoiceNo = 0;
  return specs.map(seed);
}
