/**
 * The FS simulator's data model: FS tables as the FS GraphQL API exposes them (specs/fs.md), flattened into
 * plain records keyed the way FS keys them (personlopenummer, studentnummer, programme and course codes,
 * stedkode). simulators/fs.ts serves these over GraphQL; the sample is in fs-sample.ts.
 */

export type SimTermName = 'VÅR' | 'HØST';
export interface SimTerm {
  arstall: number;
  betegnelse: SimTermName;
}
export interface SimText {
  nb: string | null;
  nn: string | null;
  en: string | null;
}
export interface SimAddress {
  adresselinjer: string[];
  postnummer: string | null;
  poststed: string | null;
  landkode: string;
}

/** An FS organisation unit, keyed by its six-digit stedkode (faknr, instituttnr, gruppenr). */
export interface SimUnit {
  stedkode: string;
  navn: SimText;
}

export interface SimFagperson {
  erAktiv: boolean;
  ansattVed: string | null;
  stillingstittel: SimText | null;
  arbeidsadresse: SimAddress | null;
}

export interface SimFsPerson {
  personlopenummer: string;
  fodselsnummer: string | null;
  fodselsdato: string | null;
  kjonn: 'M' | 'K' | null;
  fornavn: string;
  etternavn: string;
  privatEpost: string | null;
  institusjonsEpost: string | null;
  arbeidsEpost: string | null;
  mobilTelefon: string | null;
  feideBruker: string | null;
  maalform: string | null;
  /** Home address ("hjemstedsadresse"). */
  postadresse: SimAddress | null;
  fagperson: SimFagperson | null;
  /** Set for students. */
  studentnummer: string | null;
  semesteradresse: SimAddress | null;
}

export interface SimProgramme {
  kode: string;
  navn: SimText;
  /** '280' bachelor, '350' master, '900' PhD, '100' single courses. */
  studieniva: string;
  stedkode: string;
  /** status_utdplan = 'J'. */
  statusUtdanningsplan: boolean;
  /** Courses that can be part of the programme. */
  emner: string[];
}

export interface SimCourse {
  kode: string;
  versjonskode: string;
  navn: SimText;
  studieniva: string;
  stedkode: string;
}

export interface SimPlan {
  startTermin: SimTerm | null;
  bekreftelser: Array<{ termin: SimTerm; datoBekreftet: string }>;
}

export interface SimStudyRight {
  id: string;
  personlopenummer: string;
  studieprogramkode: string;
  kull: SimTerm | null;
  status: string;
  gyldigFra: string | null;
  gyldigTil: string | null;
  begrensetTilEmner: string[];
  utdanningsplan: SimPlan | null;
}

export interface SimSemesterRegistration {
  personlopenummer: string;
  termin: SimTerm;
  regformkode: string;
  registrertDato: string | null;
}

export interface SimExamRegistration {
  personlopenummer: string;
  emnekode: string;
  versjonskode: string;
  termin: SimTerm;
  studieprogramkode: string | null;
}

export interface SimTeaching {
  personlopenummer: string;
  termin: SimTerm;
  emnekode: string | null;
  stedkode: string;
  rolle: string;
}

export interface SimEvuCourse {
  kode: string;
  tidskode: string;
  navn: SimText;
  startdato: string;
  sluttdato: string;
  /** status_nettbasert_und = 'J'. */
  statusNettbasertUndervisning: boolean;
  stedkode: string;
}

export interface SimEvuParticipation {
  kurskode: string;
  tidskode: string;
  personlopenummer: string;
  deltakernummer: string;
  jobbadresse: SimAddress | null;
  hjemadresse: SimAddress | null;
  status: string;
}

export interface SimInvoice {
  fakturanummer: string;
  personlopenummer: string;
  termin: SimTerm;
  statusBetalt: boolean;
  fakturastatus: string;
  detaljer: Array<{ type: string; belop: number }>;
}

export interface SimTermInfo extends SimTerm {
  startdato: string;
  sluttdato: string;
}

export interface FsData {
  /** eierOrganisasjonskode / institusjonsnr, e.g. 185. */
  institusjonsnr: number;
  /** The "today" the sample was built for (YYYY-MM-DD); the simulator's `aktiv` flags use it. */
  today: string;
  terminer: SimTermInfo[];
  units: SimUnit[];
  persons: SimFsPerson[];
  programmes: SimProgramme[];
  courses: SimCourse[];
  studyRights: SimStudyRight[];
  semesterRegistrations: SimSemesterRegistration[];
  examRegistrations: SimExamRegistration[];
  teaching: SimTeaching[];
  evuCourses: SimEvuCourse[];
  evuParticipations: SimEvuParticipation[];
  invoices: SimInvoice[];
}
