/**
 * The FS data the gateway and the FS import work with, as plain TypeScript shapes (already mapped from the FS
 * GraphQL answers by source.ts; the GraphQL field each one comes from is named in its comment). Field names
 * are English; codes (regformkode, studierettstatus, maalform, fakturastatus, …) keep FS's own values.
 *
 * Code against these and against `FsSource` (source.ts); the transport (client.ts) and the FS GraphQL field
 * names (queries.ts) may change without these changing.
 *
 * Dates are ISO `YYYY-MM-DD`; a null end date is open-ended.
 */

// The person profile and its parts live in schema/ (a Person carries its FS profile): re-exported from there.
import type { FsAddress, FsPersonProfile, FsStaffProfile, FsText, FsUnit } from '../../schema/fs-person-profile';
export type { FsAddress, FsPersonProfile, FsStaffProfile, FsText, FsUnit };

/** FS term name (`termin.betegnelse`): spring or autumn. */
export type FsTermName = 'VÅR' | 'HØST';

/** A term (`termin { arstall betegnelse }`). Compare with `termKey()` / `sameTerm()` from source.ts. */
export interface FsTerm {
  /** `arstall` */
  year: number;
  /** `betegnelse` */
  name: FsTermName;
}

/** A term with its dates (`terminer`). */
export interface FsTermInfo extends FsTerm {
  /** `startdato` (VÅR: 1 January, HØST: 1 August in the simulator) */
  startDate: string;
  /** `sluttdato` (VÅR: 31 July, HØST: 31 December in the simulator) */
  endDate: string;
}

/** A semester registration (`semesterregistreringer`), seed 2.0-1. */
export interface FsSemesterRegistration {
  personNumber: string;
  studentNumber: string;
  term: FsTerm;
  /** `regformkode`: 'STUDWEB', 'MANUELL', 'DOKTORREG' count for 2.0-1; the simulator also has others ('EKSTERN'). */
  regformCode: string;
  /** `registrertDato` */
  registeredDate: string | null;
}

/** `Student` (`studenterGittStudentnumre`). */
export interface FsStudent {
  /** `studentnummer` */
  studentNumber: string;
  personNumber: string;
  profile: FsPersonProfile;
  /** `semesteradresse` (seed 1.0: students get the semester address, else the home address). */
  semesterAddress: FsAddress | null;
  /** `semesterregistreringer`: every term the student registered for, oldest first. */
  semesterRegistrations: FsSemesterRegistration[];
}

/** `Studieprogram` (`studieprogrammer`, and inside a study right). */
export interface FsProgramme {
  /** `kode`, e.g. 'BA-INF' */
  code: string;
  /** `navnAlleSprak` */
  name: FsText;
  /** `studieniva { kode }`: '280' bachelor, '350' master, '900' PhD (> 350 = doctorate); '100' single courses. */
  level: string;
  /** `organisasjonsenhet`: the unit responsible (`*_studieansv`). */
  unit: FsUnit | null;
  /** `statusUtdanningsplan` (seed 2.0 `status_utdplan` = 'J'): its students must meet rule 2.0-2, else 2.0-1. */
  requiresEducationPlan: boolean;
  /** `emner { kode }`: the courses that can be part of the programme (seed 2.0-1). */
  courseCodes: string[];
}

/** A confirmation of an education plan (`utdanningsplan { bekreftelser { termin datoBekreftet } }`). */
export interface FsPlanConfirmation {
  /** `termin` (seed: terminkode_bekreft / arstall_bekreft) */
  term: FsTerm;
  /** `datoBekreftet` (seed: dato_bekreftet; 2.0-2 needs it before today) */
  confirmedDate: string;
}

/** `utdanningsplan` on a study right (seed: fs.studprogstud_planbekreft). */
export interface FsEducationPlan {
  /** `startTermin` (seed 2.1-3: terminkode_start; the plan held longest has the earliest). */
  startTerm: FsTerm | null;
  confirmations: FsPlanConfirmation[];
}

/** `ProgramStudierett` (`programStudieretter`). */
export interface FsStudyRight {
  /** `id`: FS's node id. */
  id: string;
  personNumber: string;
  /** `studentnummer` (null for an offer not yet accepted). */
  studentNumber: string | null;
  programme: FsProgramme;
  /** `kull { termin }`: the cohort's start term. */
  cohort: FsTerm | null;
  /** `studierettstatus { kode }`: 'AKTIV', 'PERMISJON', 'FULLFØRT', 'AVBRUTT', 'TILBUD', 'UTESTENGT', … */
  status: string | null;
  /** `gyldigFra` */
  validFrom: string | null;
  /** `gyldigTil` (null = open) */
  validTo: string | null;
  /** `aktiv`: FS's own "active" flag (valid today and not ended); what `aktivStatus: AKTIV` filters on. */
  active: boolean;
  /**
   * `begrensetTilEmner { kode }`: a study right limited to courses (seed: emnebegrenset_studierett /
   * fagbegrenset_studierett) counts only with an exam registration in one of them. [] = not limited.
   */
  limitedToCourses: string[];
  /** `utdanningsplan`, null when the student has none. */
  educationPlan: FsEducationPlan | null;
}

/** `Emne` (`emner`). */
export interface FsCourse {
  /** `kode`, e.g. 'IN2010' */
  code: string;
  /** `versjonskode` */
  version: string;
  name: FsText;
  /** `studieniva { kode }`: '100' … '500', '900' (seed 2.1-2/5: the higher, the more advanced). */
  level: string | null;
  /** `organisasjonsenhet`: the unit in charge (`*_kontroll`). */
  unit: FsUnit | null;
  /** `studieprogrammer { kode }`: programmes the course can be part of. */
  programmeCodes: string[];
}

/** An exam registration (`vurderingsmeldinger`), seed 2.0-1. */
export interface FsExamRegistration {
  personNumber: string;
  studentNumber: string;
  /** `emne { kode versjonskode }` */
  courseCode: string;
  courseVersion: string;
  term: FsTerm;
  /** `studieprogram { kode }`: the programme the registration was made under, when FS knows it. */
  programmeCode: string | null;
}

/** A teaching-staff posting for a term (`undervisningsfagpersoner`; seed: fs.fagpersonundsemester). */
export interface FsTeachingAssignment {
  personNumber: string;
  profile: FsPersonProfile;
  term: FsTerm;
  /** `emne { kode }`, when the posting is for a course. */
  courseCode: string | null;
  /** `organisasjonsenhet`: the unit of the posting (seed 1.0: "alle stedkoder"). */
  unit: FsUnit;
  /** `rolle { kode }`, e.g. 'FORELESER', 'EMNEANSVARLIG', 'VEILEDER'. */
  role: string | null;
}

/** An EVU (continuing education) course (`evuKurs`; seed: fs.etterutdanningskurs). */
export interface FsEvuCourse {
  /** `kode` */
  code: string;
  /** `tidskode`: which run of the course, e.g. '2025-HØST'. */
  termCode: string;
  name: FsText;
  /** `startdato` */
  startDate: string | null;
  /** `sluttdato` */
  endDate: string | null;
  /** `statusNettbasertUndervisning` (seed 2.0: status_nettbasert_und = 'J' = approved for accounts). */
  approvedForAccounts: boolean;
  /** `organisasjonsenhet` */
  unit: FsUnit | null;
}

/** A participant of an EVU course (`evuKursdeltakelser`; seed: fs.deltaker). */
export interface FsEvuParticipation {
  courseCode: string;
  courseTermCode: string;
  personNumber: string;
  profile: FsPersonProfile;
  /** `deltakernummer` */
  participantNumber: string | null;
  /** `jobbadresse` (seed 1.0: EVU students get the job address, else deltaker home, else person home). */
  jobAddress: FsAddress | null;
  /** `hjemadresse` (the participant's home address, which may differ from the person's). */
  homeAddress: FsAddress | null;
  /** `status { kode }`: 'GODKJENT', 'TRUKKET', … */
  status: string | null;
}

/** One line of an invoice (`fakturadetaljer`). */
export interface FsInvoiceLine {
  /** `fakturadetaljtype { kode }`: 'PAPIRHEL', 'PAPIRDEL', 'PAPIRPPU' (seed 2.3), 'SEMAVG', … */
  type: string;
  /** `belop`, NOK */
  amount: number;
}

/** An invoice (`fakturaer`; seed: fakturareskontro + fakturareskontrodetalj). */
export interface FsInvoice {
  /** `fakturanummer` */
  invoiceNumber: string;
  personNumber: string;
  term: FsTerm;
  /** `statusBetalt` (seed: status_betalt = 'J') */
  paid: boolean;
  /** `fakturastatus { kode }`: 'OPPGJORT' when settled (seed 2.3), 'UTSTEDT', 'KREDITERT', … */
  status: string;
  lines: FsInvoiceLine[];
}

/** The printer-quota invoice line types of seed 2.3. */
export const PRINTER_QUOTA_TYPES = ['PAPIRHEL', 'PAPIRDEL', 'PAPIRPPU'] as const;
/** The regformkoder that count as a semester registration in seed 2.0-1. */
export const SEMESTER_REGISTRATION_FORMS = ['DOKTORREG', 'MANUELL', 'STUDWEB'] as const;

/** One page of a paginated read (Relay: the cursor of the last item, and whether more follow). */
export interface FsPage<T> {
  items: T[];
  /** Cursor of each item, in order (pass one as `after` to read on from it). */
  cursors: string[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number | null;
}

/** A person search (`personProfiler(filter: { navn, organisasjonsenhet })`). */
export interface FsPersonSearch {
  /** Case-insensitive substring of "fornavn etternavn". */
  name?: string;
  /** Persons with a study right in a programme of, a teaching posting (any term) at, or employment (fagperson ansattVed) at exactly this stedkode. */
  stedkode?: string;
}
