/**
 * The input and the output of the FS import rules (seed 001: 1.0 and 2.0–2.5), as plain data.
 *
 * The rules (the other files of this folder) are pure functions of an `FsPersonInput`, the configuration
 * (config.ts) and a date ("today", always a parameter: nothing here reads the clock). They do not know where
 * the input came from: `jobs/fs-import/fs-import-source.ts` maps FS data into this shape, and tests build it directly.
 *
 * Dates are `YYYY-MM-DD` strings (compared as strings: that orders them correctly). Codes keep FS's values
 * (studierettstatus, regformkode, maalform, fakturastatus, …).
 */

/** FS term name: spring or autumn (terms.ts says which days belong to which). */
export type TermName = 'VÅR' | 'HØST';

export interface Term {
  year: number;
  name: TermName;
}

/** An address as FS holds it. `country`: ISO 3166-1 alpha-2; null or 'NO' = Norway (seed 2.4: no letters abroad). */
export interface FsRulesAddress {
  lines: string[];
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

/** A study right (studierett) to a programme; seed 1.0 ("lovlig opptak") and 2.0. */
export interface StudyRightInput {
  programmeCode: string;
  /** studierettstatuskode; a "legal" admission has one of the approved codes (configuration). */
  status: string | null;
  /** Validity, inclusive; null = open. */
  validFrom: string | null;
  validTo: string | null;
  /** fs.studieprogram.studienivakode as a number: 280 bachelor, 350 master, > 350 doctorate (seed 2.1). */
  level: number | null;
  /** The programme's responsible unit (`*_studieansv`), six digits FFIIGG: where the STUDENT affiliation goes. */
  stedkode: string | null;
  /** fs.studieprogram.status_utdplan: 'J' = the programme's students must meet 2.0 rule 2; 'N' (the default) rule 1. */
  statusUtdplan?: 'J' | 'N' | null;
  /**
   * Emne-/fagbegrenset studierett (seed 2.0, special cases): the course codes the right is limited to. Such a
   * right is "ekte" only with an exam registration in one of these courses. Empty or missing = not limited.
   */
  limitedToCourses?: string[];
}

/** A semester registration (fs.registerkort) for a term. */
export interface SemesterRegistrationInput {
  term: Term;
  /** regformkode: DOKTORREG, MANUELL and STUDWEB count (seed 2.0 rule 1). */
  regformCode: string | null;
}

/** A course registration of the person: an exam registration (eksamensmelding) or a teaching one. */
export interface CourseRegistrationInput {
  courseCode: string;
  kind: 'EXAM' | 'TEACHING';
  term: Term;
  /** The course's level (emne nivåkode) as a number; higher = more advanced (seed 2.1 rules 2 and 5). */
  level: number | null;
  /** The programmes this course can be part of ("et emne som kan inngå det studieprogrammet", 2.0 rule 1). */
  programmes: string[];
}

/** An education plan (utdanningsplan) of a programme and its confirmations (fs.studprogstud_planbekreft). */
export interface EducationPlanInput {
  programmeCode: string;
  /** terminkode_start / arstall_start: the plan held longest has the earliest (seed 2.1 rule 3). */
  startTerm: Term | null;
  /** terminkode_bekreft / arstall_bekreft and dato_bekreftet. */
  confirmations: { term: Term; confirmedDate: string }[];
}

/** A registration to an EVU (continuing education) course (fs.deltaker + fs.etterutdanningskurs). */
export interface EvuInput {
  courseCode: string;
  startDate: string | null;
  endDate: string | null;
  /** fs.etterutdanningskurs.status_nettbasert_und = 'J': the course is approved for accounts (seed 2.0). */
  approvedForAccounts: boolean;
  stedkode: string | null;
  /** fs.deltaker job address and home address (seed 1.0: job, else deltaker home, else person home). */
  jobAddress?: FsRulesAddress | null;
  homeAddress?: FsRulesAddress | null;
}

/** A teaching-staff posting for a term (fs.fagpersonundsemester). */
export interface StaffPostingInput {
  term: Term;
  stedkode: string;
}

/** An invoice (fakturareskontro) with its line types (fakturareskontrodetalj.fakturadetaljtypekode). */
export interface InvoiceInput {
  term: Term;
  /** status_betalt = 'J' */
  paid: boolean;
  /** fakturastatuskode, e.g. 'OPPGJORT' */
  status: string | null;
  lineTypes: string[];
}

/** The person's Cerebrum account, when they already have one. */
export interface AccountInput {
  name: string;
  /** Cerebrum entity id, when known (saves a look-up before a group membership PUT). */
  id?: number | null;
  /**
   * True when it is a student user (an account with a STUDENT affiliation): 2.5 blocks and deletes only these.
   * null = not known (FS knows the username, not the account's affiliations): the import asks Cerebrum
   * (GET /v1/accounts/{name}/affiliations) before deciding; the rules treat null as "not a student user".
   */
  studentAccount: boolean | null;
  /**
   * The blocking quarantine of the configured type as Cerebrum has it now: undefined = not known (no Cerebrum
   * connection), null = none. The import fills it from GET /v1/accounts/{name}/quarantines before deciding.
   */
  quarantine?: { start: string } | null;
}

/** Everything the rules need to know about one person. */
export interface FsPersonInput {
  /** FS personlopenummer; the decision's key is `fs:<personlopenummer>` when it is known. */
  personNumber: string | null;
  /** Fødselsnummer (11 digits). Personal data: never logged or reported unmasked. */
  nationalId: string | null;
  firstName: string | null;
  lastName: string | null;
  gender: string | null;
  /** fs.person.sprakkode_malform: 'BOKMÅL', 'NYNORSK', 'UKJENT', … (seed 2.4). */
  maalform: string | null;
  addresses: {
    /** fs.person hjemstedsadresse */
    home?: FsRulesAddress | null;
    /** fs.student semesteradresse */
    semester?: FsRulesAddress | null;
    /** fs.fagperson arbeidsadresse */
    work?: FsRulesAddress | null;
  };
  studyRights: StudyRightInput[];
  /** Admission offers (tilbud om opptak) for programmes: seed 2.2 reserves usernames for these. */
  admissionOffers?: { programmeCode: string; term: Term | null }[];
  semesterRegistrations: SemesterRegistrationInput[];
  courseRegistrations: CourseRegistrationInput[];
  educationPlans: EducationPlanInput[];
  evu: EvuInput[];
  staffPostings: StaffPostingInput[];
  invoices: InvoiceInput[];
  account: AccountInput | null;
}

// ---- the decision ---------------------------------------------------------------------------------

export type ImportRole = 'FAGPERSON' | 'STUDENT' | 'EVU';

/** Which rule of seed 2.0 made the person a student. */
export type StudentRule =
  /** 2.0 (1): admission + semester registration this term + exam registration in a course of the programme. */
  | 'REGISTERED_WITH_EXAM'
  /** 2.0 (2): a confirmed (hence approved) education plan for this term. */
  | 'CONFIRMED_PLAN'
  /** 2.0 special case: a course-limited study right with an exam registration in that course. */
  | 'LIMITED_RIGHT_WITH_EXAM'
  /** 2.0 EVU student: an approved EVU course starting in about two weeks (or running). */
  | 'EVU';

/** How a single-valued attribute (home area, primary e-mail) was chosen (seed 2.1). */
export type PrecedenceRule =
  /** Every candidate programme gives the same value: nothing to choose. */
  | 'SINGLE_VALUE'
  /** 2.1 rule 1: the programme with the highest studienivåkode. */
  | 'HIGHEST_PROGRAMME_LEVEL'
  /** 2.1 rule 2: same level; the programme where the highest-level course is taken. */
  | 'HIGHEST_COURSE_LEVEL'
  /** 2.1 rule 4: a programme with an education plan beats one without. */
  | 'PLAN_BEATS_NO_PLAN'
  /** 2.1 rule 3: both levels tie: the shared area /uio/platon/div-{h|l}N (home area only). */
  | 'SHARED_AREA'
  /** 2.1 rule 3: both levels tie: e-mail from the programme whose education plan is held longest. */
  | 'PLAN_HELD_LONGEST'
  /** 2.1 rule 5: no plans: the highest-level course decides. */
  | 'NO_PLANS_HIGHEST_COURSE'
  /** Nothing in the seed separates the candidates: the first programme code in the alphabet (as AutoStud did). */
  | 'ALPHABETICAL'
  /** Only an EVU profile gives the value (the person has no programme with one). */
  | 'EVU_PROFILE';

export interface ChosenValue {
  value: string;
  /** The programme the value comes from; null for the shared area or an EVU profile. */
  programmeCode: string | null;
  rule: PrecedenceRule;
}

/** 2.5.1: what to do about the blocking quarantine. */
export type BlockAction =
  /** Not a student (2.0) on or after the blocking date of the term (1 March / 1 October): block. */
  | 'BLOCK'
  /** A student again: lift the blocking quarantine if there is one. */
  | 'LIFT'
  /** Not a student, but before this term's blocking date: leave the account as it is. */
  | 'KEEP'
  /** No student user: nothing to block. */
  | 'NONE';

/** 2.5.2: why the user is to be deleted. */
export type DeletionRule =
  /** 2.5.2 (1): inactive last term; deleted 15 February / 15 September. */
  | 'INACTIVE_LAST_TERM'
  /** 2.5.2 (2): blocked for three months; deleted after 15 March / 15 October. */
  | 'BLOCKED_THREE_MONTHS'
  /** 2.5.2 (3): EVU student; deleted about two weeks after the course ended. */
  | 'EVU_COURSE_ENDED';

export interface StudentAffiliation {
  affiliation: 'STUDENT';
  /** 'aktiv' (programme), 'drgrad' (doctorate: level > 350), 'evu' (EVU course). */
  status: 'aktiv' | 'drgrad' | 'evu';
  stedkode: string;
  /** The programme or EVU course code that gives it. */
  via: string;
}

/** One programme's verdict under 2.0, for the "why" of a decision. */
export interface ProgrammeVerdict {
  programmeCode: string;
  /** The rule that applies to this programme (by status_utdplan, or the limited-right special case). */
  rule: Exclude<StudentRule, 'EVU'>;
  met: boolean;
  why: string;
}

/** The complete decision for one person: what the rules say, and why. */
export interface FsPersonDecision {
  /** `fs:<personlopenummer>`, else `nid:<hash of the national id>` (never the national id itself). */
  key: string;
  personNumber: string | null;
  /** Kept for matching Person.fsImportDecision by national id; never returned without scope pii. */
  nationalId: string | null;
  name: string | null;
  decidedOn: string;
  term: Term;

  /** 1.0: is the person imported, and as what. */
  imported: boolean;
  importedAs: ImportRole[];
  /** 1.0: the address imported as co.address_post (by the first role in importedAs). */
  importAddress: FsRulesAddress | null;

  /** 2.0 */
  student: boolean;
  studentRule: StudentRule | null;
  programmes: ProgrammeVerdict[];
  /** Everything the rules noticed, in order: the "why" of the decision. */
  reasons: string[];

  /** What a student user gets (2.0): empty or null when not a student. */
  affiliations: StudentAffiliation[];
  /** Profiles of the configuration that matched. */
  profiles: string[];
  groups: string[];
  spreads: string[];
  /** The personal file group (always the primary group, 2.0); named like the account. */
  primaryGroup: string | null;
  homeArea: ChosenValue | null;
  /** `value` is the address (`<account>@<domain>`), or `@<domain>` while the account does not exist. */
  primaryEmail: ChosenValue | null;

  /** 2.2 */
  reserveUsername: boolean;
  /** 2.3 */
  printerQuota: { quota: boolean; paidType: string | null };
  /** 2.4 */
  letter: {
    send: boolean;
    language: 'nb' | 'nn' | 'en';
    addressKind: 'SEMESTER' | 'HOME' | null;
    address: FsRulesAddress | null;
    reason: string;
  };

  /** The account: its name when it exists; create = a student without one gets one built (2.0). */
  account: { name: string | null; create: boolean; studentAccount: boolean };
  /** 2.5.1 */
  block: { action: BlockAction; since: string | null; reason: string };
  /** 2.5.2; null when no deletion rule applies. `due` = the date is today or past. */
  deletion: { date: string; rule: DeletionRule; due: boolean } | null;
}

/** An action the rules decided that Cerebrum REST cannot carry out: reported for whoever executes it. */
export interface PlannedAction {
  /** CREATE_ACCOUNT, SET_AFFILIATION, SET_HOME_AREA, SET_PRIMARY_EMAIL, ADD_SPREAD, SET_PRINTER_QUOTA, SEND_LETTER, RESERVE_USERNAME, DELETE_ACCOUNT */
  action: string;
  detail: string;
  /** Due on the run's day by the 2.5 schedule (e-mail on Wednesdays, quotas on Fridays, …). */
  dueToday: boolean;
}

/** Where the import reads its persons from (jobs/fs-import/fs-import-source.ts has the FS one and an in-memory one). */
export interface FsImportSource {
  /**
   * Every person the import should decide about, in batches: teaching staff, students, EVU students — and
   * anyone else FS has data for (admission offers): persons the rules do not import get a decision too.
   * `today` and `term` say which term's registrations matter; the source includes the previous term's
   * registrations and plans as well (2.5.2 rule 1 looks at them).
   */
  persons(o: { today: string; term: Term; signal: AbortSignal }): AsyncIterable<FsPersonInput[]>;
  /** How many persons `persons()` will yield, when the source knows it in advance (for progress). */
  count?(): Promise<number | null>;
  /** What the source spent (FS calls …), reported in the job result. */
  stats?(): Record<string, number>;
  close?(): Promise<void>;
}
