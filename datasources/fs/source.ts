/**
 * FsSource: the small interface the resolvers and the FS import use to read FS (architecture convention 2).
 * One instance per GraphQL request or per import run; it holds that caller's DataLoaders and stats.
 *
 *  - Single reads (`person`, `personByNationalId`, `student`, `studyRightsOf`, `unit`) go through DataLoaders:
 *    every load of a tick leaves as ONE FS operation with the list of keys.
 *  - Bulk reads (`studyRights`, `semesterRegistrations`, `examRegistrations`, `teachingStaff`, `evuCourses`,
 *    `evuParticipants`, `invoices`, `programmes`, `courses`) are async iterators over every page of an FS
 *    connection (`first`/`after`), read one page at a time, so an import holds one page in memory, not all.
 *  - Every failure is an UpstreamError with source 'FS' (client.ts).
 *
 * Terms: `termOf(today)` is the current term of seed 2.0 (VÅR = Jan–Jul, HØST = Aug–Dec; terms.ts).
 */
import { FsClient, FsRequestStats, type FsQueryOptions } from './client';
import { createFsLoaders, type FsLoaders } from './loaders';
import {
  Q,
  connectionAt,
  stedkodeParts,
  termInput,
  toCourse,
  toEvuCourse,
  toEvuParticipation,
  toExamRegistration,
  toInvoice,
  toProfile,
  toProgramme,
  toSemesterRegistration,
  toStudyRight,
  toTeachingAssignment,
  toTermInfo,
  type RawCourse,
  type RawProfile,
  type RawProgramme,
  type RawStudyRight,
} from './queries';
import {
  PRINTER_QUOTA_TYPES,
  type FsCourse,
  type FsEvuCourse,
  type FsEvuParticipation,
  type FsExamRegistration,
  type FsInvoice,
  type FsPage,
  type FsPersonProfile,
  type FsPersonSearch,
  type FsProgramme,
  type FsSemesterRegistration,
  type FsStudent,
  type FsStudyRight,
  type FsTeachingAssignment,
  type FsTerm,
  type FsTermInfo,
  type FsUnit,
} from './types';

export * from './terms';
export type * from './types';
export { PRINTER_QUOTA_TYPES, SEMESTER_REGISTRATION_FORMS } from './types';
export { FsClient, FsRequestStats } from './client';

/** UiO's institution number: FS's `eierOrganisasjonskode` when none is configured. */
export const DEFAULT_FS_INSTITUTION = '185';

export interface FsSourceOptions {
  /** FS `eierOrganisasjonskode` (institusjonsnr). Default '185'. */
  institution?: string;
  /** This caller's accounting (also counted in `client.stats`). */
  stats?: FsRequestStats;
  /** Aborts in-flight FS requests (an import's cancellation). */
  signal?: AbortSignal;
  /** Page size of the bulk readers. Default 500. */
  pageSize?: number;
  /** Most keys per batched FS call. Default 200. */
  maxBatch?: number;
}

/** Drains an async iterator into an array (for small reads and tests). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export class FsSource {
  readonly loaders: FsLoaders;
  readonly institution: string;
  readonly stats: FsRequestStats;
  private readonly q: FsQueryOptions & { pageSize: number };

  constructor(
    readonly client: FsClient,
    opts: FsSourceOptions = {},
  ) {
    this.institution = opts.institution ?? DEFAULT_FS_INSTITUTION;
    this.stats = opts.stats ?? new FsRequestStats();
    this.q = { stats: this.stats, signal: opts.signal, pageSize: opts.pageSize ?? 500 };
    this.loaders = createFsLoaders(client, {
      institution: this.institution,
      stats: this.stats,
      signal: opts.signal,
      maxBatch: opts.maxBatch,
    });
  }

  // ---- single reads (batched per tick) -----------------------------------------------------------

  /** A person by personlopenummer; null when FS has none. */
  async person(personNumber: string): Promise<FsPersonProfile | null> {
    if (!/^\d{1,12}$/.test(personNumber)) return null; // FS person numbers are integers
    return this.loaders.person.load(personNumber);
  }

  /** A person by fødselsnummer; null when FS has none. */
  async personByNationalId(nationalId: string): Promise<FsPersonProfile | null> {
    if (!/^\d{11}$/.test(nationalId)) return null; // FS keys persons by the 11-digit number only
    return this.loaders.personByNationalId.load(nationalId);
  }

  /** A student by studentnummer (with semester address and registrations); null when FS has none. */
  async student(studentNumber: string): Promise<FsStudent | null> {
    return this.loaders.student.load(studentNumber);
  }

  /** Many students in one FS call (`studenterGittStudentnumre`), in the order asked; null where unknown. */
  async students(studentNumbers: string[]): Promise<(FsStudent | null)[]> {
    const res = await this.loaders.student.loadMany(studentNumbers);
    return res.map((r) => {
      if (r instanceof Error) throw r;
      return r;
    });
  }

  /** Every study right of a person, active or not, in FS's order. */
  async studyRightsOf(personNumber: string): Promise<FsStudyRight[]> {
    if (!/^\d{1,12}$/.test(personNumber)) return [];
    return this.loaders.studyRights.load(personNumber);
  }

  /** An FS organisation unit by stedkode (FFIIGG); null when FS has none. */
  async unit(stedkode: string): Promise<FsUnit | null> {
    return this.loaders.unit.load(stedkode);
  }

  /**
   * One page of persons (`personProfiler`), by FS's order (personlopenummer). `after` is a cursor from an
   * earlier page; cursors are FS's own, passed through.
   */
  async searchPersons(search: FsPersonSearch, first: number, after?: string | null): Promise<FsPage<FsPersonProfile>> {
    const data = await this.client.query<{
      personProfiler: {
        edges: Array<{ cursor: string; node: RawProfile }>;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        totalCount?: number | null;
      };
    }>(
      Q.searchPersons.name,
      Q.searchPersons.doc,
      {
        eier: this.institution,
        navn: search.name ?? null,
        enhet: search.stedkode ? stedkodeParts(search.stedkode, Number(this.institution)) : null,
        first,
        after: after ?? null,
      },
      this.q,
    );
    const c = data.personProfiler;
    const items = c.edges.map((e) => toProfile(e.node));
    // Prime the person loader: a later person(id) for the same number costs nothing.
    for (const p of items) this.loaders.person.prime(p.personNumber, p);
    return {
      items,
      cursors: c.edges.map((e) => e.cursor),
      endCursor: c.pageInfo.endCursor,
      hasNextPage: c.pageInfo.hasNextPage,
      totalCount: c.totalCount ?? null,
    };
  }

  // ---- bulk reads (async iterators over every page) ---------------------------------------------

  /** The terms FS knows, oldest first. */
  async terms(): Promise<FsTermInfo[]> {
    return collect(this.pages(Q.terms, {}, 'terminer', toTermInfo));
  }

  programmes(): AsyncGenerator<FsProgramme> {
    return this.pages(Q.programmes, {}, 'studieprogrammer', (n: RawProgramme) => toProgramme(n));
  }

  courses(): AsyncGenerator<FsCourse> {
    return this.pages(Q.courses, {}, 'emner', (n: RawCourse) => toCourse(n));
  }

  /**
   * Study rights of the institution. `active: true` (default) = FS's `aktivStatus: AKTIV` (valid today and
   * not ended — whatever the studierettstatus: approving status codes is the caller's rule); false = all.
   */
  studyRights(o: { active?: boolean } = {}): AsyncGenerator<FsStudyRight> {
    const aktiv = o.active === false ? 'ALLE' : 'AKTIV';
    return this.pages(Q.studyRights, { aktiv }, 'programStudieretter', (n: RawStudyRight) => toStudyRight(n));
  }

  /** Semester registrations for a term (every regformkode; seed 2.0-1 counts DOKTORREG, MANUELL, STUDWEB). */
  semesterRegistrations(term: FsTerm): AsyncGenerator<FsSemesterRegistration> {
    return this.pages(
      Q.semesterRegistrations,
      { termin: termInput(term) },
      'semesterregistreringer',
      toSemesterRegistration,
    );
  }

  /** Exam registrations (vurderingsmeldinger) for a term. */
  examRegistrations(term: FsTerm): AsyncGenerator<FsExamRegistration> {
    return this.pages(Q.examRegistrations, { termin: termInput(term) }, 'vurderingsmeldinger', toExamRegistration);
  }

  /** Teaching-staff postings for a term (one per person, course and unit), with each person's profile. */
  teachingStaff(term: FsTerm): AsyncGenerator<FsTeachingAssignment> {
    return this.pages(Q.teachingStaff, { termin: termInput(term) }, 'undervisningsfagpersoner', toTeachingAssignment);
  }

  /** Every EVU course (all runs); the ±14-day window of seed 1.0 is the caller's rule. */
  evuCourses(): AsyncGenerator<FsEvuCourse> {
    return this.pages(Q.evuCourses, {}, 'evuKurs', toEvuCourse);
  }

  /** EVU participants, of one course run or (without `course`) of all. */
  evuParticipants(course?: { code: string; termCode: string }): AsyncGenerator<FsEvuParticipation> {
    const kurs = course ? { kode: course.code, tidskode: course.termCode } : null;
    return this.pages(Q.evuParticipants, { kurs }, 'evuKursdeltakelser', toEvuParticipation);
  }

  /**
   * Invoices of a term having at least one line of `types` (default the printer-quota types of seed 2.3),
   * whatever their status: "paid" (`paid && status === 'OPPGJORT'`) is the caller's rule.
   */
  invoices(term: FsTerm, types: readonly string[] = PRINTER_QUOTA_TYPES): AsyncGenerator<FsInvoice> {
    return this.pages(Q.invoices, { termin: termInput(term), typer: [...types] }, 'fakturaer', toInvoice);
  }

  private async *pages<R, T>(
    op: { name: string; doc: string },
    vars: Record<string, unknown>,
    field: string,
    map: (n: R) => T,
  ): AsyncGenerator<T> {
    const pick = connectionAt<R>(field);
    for await (const n of this.client.paginate<R>(op.name, op.doc, { eier: this.institution, ...vars }, pick, this.q))
      yield map(n);
  }
}
