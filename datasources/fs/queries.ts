/**
 * The FS GraphQL documents the gateway sends, the raw answer shapes, and their conversion to the plain
 * shapes of types.ts. Field names are FS's (specs/fs.md); the simulator (simulators/fs.ts) serves the same.
 * Every list-taking field is used with lists: that is what lets a DataLoader turn N loads into one call.
 */
import type {
  FsAddress,
  FsCourse,
  FsEducationPlan,
  FsEvuCourse,
  FsEvuParticipation,
  FsExamRegistration,
  FsInvoice,
  FsPersonProfile,
  FsProgramme,
  FsSemesterRegistration,
  FsStudent,
  FsStudyRight,
  FsTeachingAssignment,
  FsTerm,
  FsTermInfo,
  FsText,
  FsUnit,
} from './types';
import { isTermName } from './terms';
import type { RawConnection } from './client';

// ---- fragments -------------------------------------------------------------------------------------

const UNIT = 'institusjonsnr faknr instituttnr gruppenr navnAlleSprak { nb nn en }';
const ADDRESS = 'adresselinjer postnummer poststed landkode';
const TERM = 'arstall betegnelse';
const TEXT = 'nb nn en';

export const PROFILE_FIELDS = `
  id personlopenummer fodselsdato fodselsnummer kjonn navn { fornavn etternavn }
  privatEpost institusjonsEpost arbeidsEpost mobilTelefon feideBruker maalform
  postadresse { ${ADDRESS} }
  fagperson { erAktiv ansattVed { ${UNIT} } stillingstittelAlleSprak { ${TEXT} } arbeidsadresse { ${ADDRESS} } }`;

const PROGRAMME_FIELDS = `kode navnAlleSprak { ${TEXT} } studieniva { kode } organisasjonsenhet { ${UNIT} } statusUtdanningsplan emner { kode }`;

const STUDY_RIGHT_FIELDS = `
  id personProfil { personlopenummer } studentnummer
  studieprogram { ${PROGRAMME_FIELDS} }
  kull { termin { ${TERM} } }
  studierettstatus { kode } gyldigFra gyldigTil aktiv
  begrensetTilEmner { kode }
  utdanningsplan { startTermin { ${TERM} } bekreftelser { termin { ${TERM} } datoBekreftet } }`;

const PAGE = 'pageInfo { endCursor hasNextPage }';

// ---- documents -------------------------------------------------------------------------------------

export const Q = {
  personsByNumber: {
    name: 'FsPersonsByNumber',
    doc: `query FsPersonsByNumber($eier: String!, $numbers: [String!]!, $first: Int) {
      personProfiler(filter: { eierOrganisasjonskode: $eier, personlopenumre: $numbers }, first: $first) {
        nodes { ${PROFILE_FIELDS} } ${PAGE} } }`,
  },
  personsByNationalId: {
    name: 'FsPersonsByNationalId',
    doc: `query FsPersonsByNationalId($eier: String!, $ids: [String!]!, $first: Int) {
      personProfiler(filter: { eierOrganisasjonskode: $eier, fodselsnumre: $ids }, first: $first) {
        nodes { ${PROFILE_FIELDS} } ${PAGE} } }`,
  },
  searchPersons: {
    name: 'FsSearchPersons',
    doc: `query FsSearchPersons($eier: String!, $navn: String, $enhet: OrganisasjonsenhetInput, $first: Int, $after: String) {
      personProfiler(filter: { eierOrganisasjonskode: $eier, navn: $navn, organisasjonsenhet: $enhet }, first: $first, after: $after) {
        edges { cursor node { ${PROFILE_FIELDS} } } ${PAGE} totalCount } }`,
  },
  studentsByNumber: {
    name: 'FsStudentsByNumber',
    doc: `query FsStudentsByNumber($eier: String!, $numbers: [String!]!) {
      studenterGittStudentnumre(eierOrganisasjonskode: $eier, studentnumre: $numbers) {
        studentnummer personProfil { ${PROFILE_FIELDS} }
        semesteradresse { ${ADDRESS} }
        semesterregistreringer(first: 100) { edges { node { termin { ${TERM} } regformkode registrertDato } } ${PAGE} } } }`,
  },
  studyRightsOfPersons: {
    name: 'FsStudyRightsOfPersons',
    doc: `query FsStudyRightsOfPersons($eier: String!, $numbers: [String!]!, $first: Int, $after: String) {
      programStudieretter(filter: { eierOrganisasjonskode: $eier, aktivStatus: ALLE, personlopenumre: $numbers }, first: $first, after: $after) {
        nodes { ${STUDY_RIGHT_FIELDS} } ${PAGE} } }`,
  },
  studyRights: {
    name: 'FsStudyRights',
    doc: `query FsStudyRights($eier: String!, $aktiv: AktivStatus!, $first: Int, $after: String) {
      programStudieretter(filter: { eierOrganisasjonskode: $eier, aktivStatus: $aktiv }, first: $first, after: $after) {
        nodes { ${STUDY_RIGHT_FIELDS} } ${PAGE} } }`,
  },
  programmes: {
    name: 'FsProgrammes',
    doc: `query FsProgrammes($eier: String!, $first: Int, $after: String) {
      studieprogrammer(filter: { eierOrganisasjonskode: $eier }, first: $first, after: $after) {
        nodes { ${PROGRAMME_FIELDS} } ${PAGE} } }`,
  },
  courses: {
    name: 'FsCourses',
    doc: `query FsCourses($eier: String!, $first: Int, $after: String) {
      emner(filter: { eierOrganisasjonskode: $eier }, first: $first, after: $after) {
        nodes { kode versjonskode navnAlleSprak { ${TEXT} } studieniva { kode } organisasjonsenhet { ${UNIT} } studieprogrammer { kode } }
        ${PAGE} } }`,
  },
  terms: {
    name: 'FsTerms',
    doc: `query FsTerms($eier: String!, $first: Int, $after: String) {
      terminer(filter: { eierOrganisasjonskode: $eier }, first: $first, after: $after) {
        nodes { ${TERM} startdato sluttdato } ${PAGE} } }`,
  },
  semesterRegistrations: {
    name: 'FsSemesterRegistrations',
    doc: `query FsSemesterRegistrations($eier: String!, $termin: TerminInput!, $first: Int, $after: String) {
      semesterregistreringer(filter: { eierOrganisasjonskode: $eier, termin: $termin }, first: $first, after: $after) {
        nodes { studentnummer personProfil { personlopenummer } termin { ${TERM} } regformkode registrertDato } ${PAGE} } }`,
  },
  examRegistrations: {
    name: 'FsExamRegistrations',
    doc: `query FsExamRegistrations($eier: String!, $termin: TerminInput!, $first: Int, $after: String) {
      vurderingsmeldinger(filter: { eierOrganisasjonskode: $eier, termin: $termin }, first: $first, after: $after) {
        nodes { studentnummer personProfil { personlopenummer } emne { kode versjonskode } termin { ${TERM} } studieprogram { kode } }
        ${PAGE} } }`,
  },
  teachingStaff: {
    name: 'FsTeachingStaff',
    doc: `query FsTeachingStaff($eier: String!, $termin: TerminInput!, $first: Int, $after: String) {
      undervisningsfagpersoner(filter: { eierOrganisasjonskode: $eier, termin: $termin }, first: $first, after: $after) {
        nodes { personProfil { ${PROFILE_FIELDS} } termin { ${TERM} } emne { kode } organisasjonsenhet { ${UNIT} } rolle { kode } }
        ${PAGE} } }`,
  },
  evuCourses: {
    name: 'FsEvuCourses',
    doc: `query FsEvuCourses($eier: String!, $first: Int, $after: String) {
      evuKurs(filter: { eierOrganisasjonskode: $eier }, first: $first, after: $after) {
        nodes { kode tidskode navnAlleSprak { ${TEXT} } startdato sluttdato statusNettbasertUndervisning organisasjonsenhet { ${UNIT} } }
        ${PAGE} } }`,
  },
  evuParticipants: {
    name: 'FsEvuParticipants',
    doc: `query FsEvuParticipants($eier: String!, $kurs: EvuKursInput, $first: Int, $after: String) {
      evuKursdeltakelser(filter: { eierOrganisasjonskode: $eier, kurs: $kurs }, first: $first, after: $after) {
        nodes { kurs { kode tidskode } personProfil { ${PROFILE_FIELDS} } deltakernummer
          jobbadresse { ${ADDRESS} } hjemadresse { ${ADDRESS} } status { kode } }
        ${PAGE} } }`,
  },
  invoices: {
    name: 'FsInvoices',
    doc: `query FsInvoices($eier: String!, $termin: TerminInput!, $typer: [String!], $first: Int, $after: String) {
      fakturaer(filter: { eierOrganisasjonskode: $eier, termin: $termin, fakturadetaljtyper: $typer }, first: $first, after: $after) {
        nodes { fakturanummer personProfil { personlopenummer } termin { ${TERM} } statusBetalt fakturastatus { kode }
          fakturadetaljer { fakturadetaljtype { kode } belop } }
        ${PAGE} } }`,
  },
  unitsByStedkode: {
    name: 'FsUnitsByStedkode',
    doc: `query FsUnitsByStedkode($eier: String!, $stedkoder: [String!]!, $first: Int) {
      organisasjonsenheter(filter: { eierOrganisasjonskode: $eier, stedkoder: $stedkoder }, first: $first) {
        nodes { ${UNIT} } ${PAGE} } }`,
  },
} as const;

// ---- raw shapes ------------------------------------------------------------------------------------

export interface RawText {
  nb?: string | null;
  nn?: string | null;
  en?: string | null;
}
export interface RawUnit {
  institusjonsnr: number;
  faknr: number;
  instituttnr: number;
  gruppenr: number;
  navnAlleSprak?: RawText | null;
}
export interface RawAddress {
  adresselinjer?: string[] | null;
  postnummer?: string | null;
  poststed?: string | null;
  landkode?: string | null;
}
export interface RawTerm {
  arstall: number;
  betegnelse: string;
}
export interface RawProfile {
  id: string;
  personlopenummer: string;
  fodselsdato?: string | null;
  fodselsnummer?: string | null;
  kjonn?: string | null;
  navn?: { fornavn?: string | null; etternavn?: string | null } | null;
  privatEpost?: string | null;
  institusjonsEpost?: string | null;
  arbeidsEpost?: string | null;
  mobilTelefon?: string | null;
  feideBruker?: string | null;
  maalform?: string | null;
  postadresse?: RawAddress | null;
  fagperson?: {
    erAktiv?: boolean | null;
    ansattVed?: RawUnit | null;
    stillingstittelAlleSprak?: RawText | null;
    arbeidsadresse?: RawAddress | null;
  } | null;
}
export interface RawProgramme {
  kode: string;
  navnAlleSprak?: RawText | null;
  studieniva?: { kode: string } | null;
  organisasjonsenhet?: RawUnit | null;
  statusUtdanningsplan?: boolean | null;
  emner?: Array<{ kode: string }> | null;
}
export interface RawStudyRight {
  id: string;
  personProfil: { personlopenummer: string };
  studentnummer?: string | null;
  studieprogram: RawProgramme;
  kull?: { termin?: RawTerm | null } | null;
  studierettstatus?: { kode: string } | null;
  gyldigFra?: string | null;
  gyldigTil?: string | null;
  aktiv?: boolean | null;
  begrensetTilEmner?: Array<{ kode: string }> | null;
  utdanningsplan?: {
    startTermin?: RawTerm | null;
    bekreftelser?: Array<{ termin: RawTerm; datoBekreftet: string }> | null;
  } | null;
}
export interface RawStudent {
  studentnummer: string;
  personProfil: RawProfile;
  semesteradresse?: RawAddress | null;
  semesterregistreringer?: {
    edges?: Array<{ node: { termin: RawTerm; regformkode: string; registrertDato?: string | null } }>;
  } | null;
}
export interface RawCourse {
  kode: string;
  versjonskode?: string | null;
  navnAlleSprak?: RawText | null;
  studieniva?: { kode: string } | null;
  organisasjonsenhet?: RawUnit | null;
  studieprogrammer?: Array<{ kode: string }> | null;
}

// ---- conversion ------------------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, '0');

export function toUnit(u: RawUnit | null | undefined): FsUnit | null {
  if (!u) return null;
  return {
    institution: u.institusjonsnr,
    faculty: u.faknr,
    institute: u.instituttnr,
    group: u.gruppenr,
    stedkode: `${pad2(u.faknr)}${pad2(u.instituttnr)}${pad2(u.gruppenr)}`,
    name: u.navnAlleSprak ? toText(u.navnAlleSprak) : null,
  };
}

/** '162000' → the stedkode parts FS filters take. */
export function stedkodeParts(stedkode: string, institution: number) {
  if (!/^\d{6}$/.test(stedkode))
    throw new TypeError(`stedkode must be six digits FFIIGG, got ${JSON.stringify(stedkode)}`);
  return {
    institusjonsnr: institution,
    faknr: Number(stedkode.slice(0, 2)),
    instituttnr: Number(stedkode.slice(2, 4)),
    gruppenr: Number(stedkode.slice(4, 6)),
  };
}

export function toText(t: RawText | null | undefined): FsText {
  return { nb: t?.nb ?? null, nn: t?.nn ?? null, en: t?.en ?? null };
}

export function toAddress(a: RawAddress | null | undefined): FsAddress | null {
  if (!a) return null;
  const lines = (a.adresselinjer ?? []).filter((l) => l && l.trim());
  if (lines.length === 0 && !a.postnummer && !a.poststed) return null;
  return {
    lines,
    postalCode: a.postnummer ?? null,
    city: a.poststed ?? null,
    country: (a.landkode ?? 'NO').toUpperCase(),
  };
}

export function toTerm(t: RawTerm | null | undefined): FsTerm | null {
  if (!t || !isTermName(t.betegnelse)) return null;
  return { year: t.arstall, name: t.betegnelse };
}

/** A term the caller trusts to be present (FS's schema says non-null); a bad one is FS's bug, not ours. */
function term(t: RawTerm): FsTerm {
  const v = toTerm(t);
  if (!v) throw new TypeError(`FS returned an unknown term ${JSON.stringify(t)}`);
  return v;
}

export const termInput = (t: FsTerm): RawTerm => ({ arstall: t.year, betegnelse: t.name });

export function toProfile(p: RawProfile): FsPersonProfile {
  const f = p.fagperson;
  return {
    id: p.id,
    personNumber: String(p.personlopenummer),
    birthDate: p.fodselsdato ?? null,
    nationalId: p.fodselsnummer ?? null,
    gender: p.kjonn ?? null,
    firstName: p.navn?.fornavn ?? null,
    lastName: p.navn?.etternavn ?? null,
    privateEmail: p.privatEpost ?? null,
    institutionEmail: p.institusjonsEpost ?? null,
    workEmail: p.arbeidsEpost ?? null,
    mobilePhone: p.mobilTelefon ?? null,
    feideUser: p.feideBruker ?? null,
    language: p.maalform ?? null,
    homeAddress: toAddress(p.postadresse),
    staff: f
      ? {
          active: f.erAktiv ?? false,
          employedAt: toUnit(f.ansattVed),
          title: f.stillingstittelAlleSprak ? toText(f.stillingstittelAlleSprak) : null,
          workAddress: toAddress(f.arbeidsadresse),
        }
      : null,
  };
}

export function toProgramme(p: RawProgramme): FsProgramme {
  return {
    code: p.kode,
    name: toText(p.navnAlleSprak),
    level: p.studieniva?.kode ?? '',
    unit: toUnit(p.organisasjonsenhet),
    requiresEducationPlan: p.statusUtdanningsplan ?? false, // seed 2.0: status_utdplan defaults to N
    courseCodes: (p.emner ?? []).map((e) => e.kode),
  };
}

export function toStudyRight(r: RawStudyRight): FsStudyRight {
  const plan: FsEducationPlan | null = r.utdanningsplan
    ? {
        startTerm: toTerm(r.utdanningsplan.startTermin),
        confirmations: (r.utdanningsplan.bekreftelser ?? []).map((b) => ({
          term: term(b.termin),
          confirmedDate: b.datoBekreftet,
        })),
      }
    : null;
  return {
    id: r.id,
    personNumber: String(r.personProfil.personlopenummer),
    studentNumber: r.studentnummer ?? null,
    programme: toProgramme(r.studieprogram),
    cohort: toTerm(r.kull?.termin),
    status: r.studierettstatus?.kode ?? null,
    validFrom: r.gyldigFra ?? null,
    validTo: r.gyldigTil ?? null,
    active: r.aktiv ?? false,
    limitedToCourses: (r.begrensetTilEmner ?? []).map((e) => e.kode),
    educationPlan: plan,
  };
}

export function toStudent(s: RawStudent): FsStudent {
  const profile = toProfile(s.personProfil);
  return {
    studentNumber: s.studentnummer,
    personNumber: profile.personNumber,
    profile,
    semesterAddress: toAddress(s.semesteradresse),
    semesterRegistrations: (s.semesterregistreringer?.edges ?? []).map(({ node }) => ({
      personNumber: profile.personNumber,
      studentNumber: s.studentnummer,
      term: term(node.termin),
      regformCode: node.regformkode,
      registeredDate: node.registrertDato ?? null,
    })),
  };
}

export function toCourse(c: RawCourse): FsCourse {
  return {
    code: c.kode,
    version: c.versjonskode ?? '1',
    name: toText(c.navnAlleSprak),
    level: c.studieniva?.kode ?? null,
    unit: toUnit(c.organisasjonsenhet),
    programmeCodes: (c.studieprogrammer ?? []).map((p) => p.kode),
  };
}

export function toTermInfo(t: RawTerm & { startdato: string; sluttdato: string }): FsTermInfo {
  return { ...term(t), startDate: t.startdato, endDate: t.sluttdato };
}

/** The connection an answer holds under `field` (the query names it), for FsClient.paginate. */
export function connectionAt<N>(field: string): (data: unknown) => RawConnection<N> {
  return (data) => {
    const c = (data as Record<string, RawConnection<N> | undefined> | null)?.[field];
    if (!c) throw new Error(`FS answered without "${field}"`);
    return c;
  };
}

/** Raw nodes of the bulk connections (the fields the queries above select). */
interface RawKode {
  kode: string;
}
export interface RawSemesterRegistration {
  personProfil: { personlopenummer: number | string };
  studentnummer: string;
  termin: RawTerm;
  regformkode: string;
  registrertDato?: string | null;
}
export interface RawExamRegistration {
  personProfil: { personlopenummer: number | string };
  studentnummer: string;
  emne: { kode: string; versjonskode?: string | null };
  termin: RawTerm;
  studieprogram?: RawKode | null;
}
export interface RawTeachingAssignment {
  personProfil: RawProfile;
  termin: RawTerm;
  emne?: RawKode | null;
  organisasjonsenhet: RawUnit;
  rolle?: RawKode | null;
}
export interface RawEvuCourse {
  kode: string;
  tidskode: string;
  navnAlleSprak?: RawText | null;
  startdato?: string | null;
  sluttdato?: string | null;
  statusNettbasertUndervisning?: boolean | null;
  organisasjonsenhet?: RawUnit | null;
}
export interface RawEvuParticipation {
  personProfil: RawProfile;
  kurs: { kode: string; tidskode: string };
  deltakernummer?: string | null;
  jobbadresse?: RawAddress | null;
  hjemadresse?: RawAddress | null;
  status?: RawKode | null;
}
export interface RawInvoice {
  fakturanummer: number | string;
  personProfil: { personlopenummer: number | string };
  termin: RawTerm;
  statusBetalt?: boolean | null;
  fakturastatus?: RawKode | null;
  fakturadetaljer?: { fakturadetaljtype: RawKode; belop: number | string }[] | null;
}

export function toSemesterRegistration(n: RawSemesterRegistration): FsSemesterRegistration {
  return {
    personNumber: String(n.personProfil.personlopenummer),
    studentNumber: n.studentnummer,
    term: term(n.termin),
    regformCode: n.regformkode,
    registeredDate: n.registrertDato ?? null,
  };
}

export function toExamRegistration(n: RawExamRegistration): FsExamRegistration {
  return {
    personNumber: String(n.personProfil.personlopenummer),
    studentNumber: n.studentnummer,
    courseCode: n.emne.kode,
    courseVersion: n.emne.versjonskode ?? '1',
    term: term(n.termin),
    programmeCode: n.studieprogram?.kode ?? null,
  };
}

export function toTeachingAssignment(n: RawTeachingAssignment): FsTeachingAssignment {
  const profile = toProfile(n.personProfil);
  return {
    personNumber: profile.personNumber,
    profile,
    term: term(n.termin),
    courseCode: n.emne?.kode ?? null,
    unit: toUnit(n.organisasjonsenhet)!,
    role: n.rolle?.kode ?? null,
  };
}

export function toEvuCourse(n: RawEvuCourse): FsEvuCourse {
  return {
    code: n.kode,
    termCode: n.tidskode,
    name: toText(n.navnAlleSprak),
    startDate: n.startdato ?? null,
    endDate: n.sluttdato ?? null,
    approvedForAccounts: n.statusNettbasertUndervisning === true,
    unit: toUnit(n.organisasjonsenhet),
  };
}

export function toEvuParticipation(n: RawEvuParticipation): FsEvuParticipation {
  const profile = toProfile(n.personProfil);
  return {
    courseCode: n.kurs.kode,
    courseTermCode: n.kurs.tidskode,
    personNumber: profile.personNumber,
    profile,
    participantNumber: n.deltakernummer ?? null,
    jobAddress: toAddress(n.jobbadresse),
    homeAddress: toAddress(n.hjemadresse),
    status: n.status?.kode ?? null,
  };
}

export function toInvoice(n: RawInvoice): FsInvoice {
  return {
    invoiceNumber: String(n.fakturanummer),
    personNumber: String(n.personProfil.personlopenummer),
    term: term(n.termin),
    paid: n.statusBetalt === true,
    status: n.fakturastatus?.kode ?? '',
    lines: (n.fakturadetaljer ?? []).map((d) => ({ type: d.fakturadetaljtype.kode, amount: Number(d.belop) })),
  };
}
