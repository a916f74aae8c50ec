/**
 * Where the FS import reads its persons from: implementations of `FsImportSource`
 * (jobs/fs-import/rules/model.ts), which yields the rules' input model.
 *
 *  - `memoryFsImportSource(persons)`: a fixed list (tests, benchmarks, what-if runs).
 *  - `fsBulkImportSource(fs)`: FS GraphQL through the FS data source (datasources/fs/source.ts), read in bulk:
 *    every study right, this and last term's semester and exam registrations, the courses, this term's teaching
 *    staff, the EVU courses and participants, this term's printer-fee invoices — each a paginated FS
 *    connection — then the students (semester address, profile) in batched calls, and the profiles of the
 *    others (admission offers) likewise. Roughly ⌈rows / 500⌉ FS calls per connection plus ⌈students / 200⌉.
 *  - `defaultFsImportSource(ctx)`: the FS one on FS_URL (PermanentSyncError when FS_URL is unset).
 *
 * Mapping choices (FS → rules input), documented in README "FS import":
 *  - Account: FS knows the Feide user (`feideBruker`, "olanor@uio.no"); its local part is taken as the Cerebrum
 *    account name, with studentAccount unknown (the job asks Cerebrum). A later run also reuses the account
 *    name stored with the last decision.
 *  - Admission offer (2.2) = a study right with status TILBUD.
 *  - "A course that can be part of the programme" = the course lists the programme, or the programme lists the
 *    course, or the exam registration was made under it.
 *  - EVU participations with status TRUKKET (withdrawn) are left out.
 *  - Levels: FS's studienivå codes are numbers in text ('280', '350', '900'); course levels likewise.
 */
import type { FsImportSource, FsPersonInput, FsRulesAddress, Term } from './rules/model';
import { previousTerm, termStart } from './rules/terms';
import { FsClient, FsSource } from '../../datasources/fs/source';
import type { FsEvuCourse } from '../../datasources/fs/types';
import { PermanentSyncError, type SyncRunContext } from '../framework/types';

/** Persons per yielded batch. */
const BATCH = 500;

export function memoryFsImportSource(persons: FsPersonInput[], batchSize = BATCH): FsImportSource {
  return {
    // An async iterable over batches already in memory (the interface is async for the FS one).
    persons: () => batchesOf(persons, batchSize),
    count: () => Promise.resolve(persons.length),
  };
}

// eslint-disable-next-line @typescript-eslint/require-await -- an async iterable of what is at hand
async function* batchesOf<T>(items: readonly T[], size: number): AsyncIterable<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

// ---- FS ------------------------------------------------------------------------------------------

/** The slice of datasources/fs/source.ts's FsSource this adapter uses (so tests can hand in their own). */
type FsSourceLike = FsSource;

const OFFER_STATUS = 'TILBUD';
const WITHDRAWN_EVU = 'TRUKKET';

const num = (s: string | null | undefined): number | null => (s != null && /^\d+$/.test(s) ? Number(s) : null);

function address(
  a: { lines: string[]; postalCode: string | null; city: string | null; country: string | null } | null | undefined,
): FsRulesAddress | null {
  return a ? { lines: [...a.lines], postalCode: a.postalCode, city: a.city, country: a.country } : null;
}

/** A person with no FS data yet: what the reads fill in, and what a vanished student is left with. */
export function emptyPerson(personNumber: string | null): FsPersonInput {
  return {
    personNumber,
    nationalId: null,
    firstName: null,
    lastName: null,
    gender: null,
    maalform: null,
    addresses: {},
    studyRights: [],
    admissionOffers: [],
    semesterRegistrations: [],
    courseRegistrations: [],
    educationPlans: [],
    evu: [],
    staffPostings: [],
    invoices: [],
    account: null,
  };
}

type Profile = Awaited<ReturnType<FsSourceLike['person']>>;

function applyProfile(p: FsPersonInput, profile: NonNullable<Profile>): void {
  p.nationalId = profile.nationalId;
  p.firstName = profile.firstName;
  p.lastName = profile.lastName;
  p.gender = profile.gender;
  p.maalform = profile.language;
  p.addresses.home = address(profile.homeAddress);
  if (profile.staff?.workAddress) p.addresses.work = address(profile.staff.workAddress);
  const user = profile.feideUser?.split('@')[0];
  if (user && !p.account) p.account = { name: user, studentAccount: null };
}

/** The FS import source over an FsSource (one per run: it holds the run's loaders and stats). */
export function fsBulkImportSource(make: (signal: AbortSignal) => FsSourceLike): FsImportSource {
  let fs: FsSourceLike | undefined;
  return {
    async *persons({ term, signal }) {
      fs = make(signal);
      const prev = previousTerm(term);
      const since = termStart(prev);
      const people = new Map<string, FsPersonInput>();
      const person = (n: string) => people.get(n) ?? people.set(n, emptyPerson(n)).get(n)!;
      const studentNumbers = new Map<string, string>();
      const profiled = new Set<string>();

      // Courses first: their levels and programmes qualify the exam registrations.
      const courses = new Map<string, { level: number | null; programmes: Set<string> }>();
      for await (const c of fs.courses())
        courses.set(c.code, { level: num(c.level), programmes: new Set(c.programmeCodes) });

      for await (const r of fs.studyRights({ active: false })) {
        if (r.validTo !== null && r.validTo < since) continue; // ended before last term: irrelevant to every rule
        const p = person(r.personNumber);
        if (r.studentNumber) studentNumbers.set(r.personNumber, r.studentNumber);
        for (const code of r.programme.courseCodes) {
          const c = courses.get(code) ?? courses.set(code, { level: null, programmes: new Set() }).get(code)!;
          c.programmes.add(r.programme.code);
        }
        if (r.status === OFFER_STATUS) p.admissionOffers!.push({ programmeCode: r.programme.code, term: r.cohort });
        p.studyRights.push({
          programmeCode: r.programme.code,
          status: r.status,
          validFrom: r.validFrom,
          validTo: r.validTo,
          level: num(r.programme.level),
          stedkode: r.programme.unit?.stedkode ?? null,
          statusUtdplan: r.programme.requiresEducationPlan ? 'J' : 'N',
          limitedToCourses: [...r.limitedToCourses],
        });
        if (r.educationPlan) {
          p.educationPlans.push({
            programmeCode: r.programme.code,
            startTerm: r.educationPlan.startTerm,
            confirmations: r.educationPlan.confirmations.map((c) => ({ term: c.term, confirmedDate: c.confirmedDate })),
          });
        }
      }
      for (const t of [term, prev]) {
        for await (const s of fs.semesterRegistrations(t)) {
          const p = people.get(s.personNumber);
          if (p) p.semesterRegistrations.push({ term: s.term, regformCode: s.regformCode });
        }
        for await (const e of fs.examRegistrations(t)) {
          const p = people.get(e.personNumber);
          if (!p) continue;
          const c = courses.get(e.courseCode);
          const programmes = new Set(c?.programmes ?? []);
          if (e.programmeCode) programmes.add(e.programmeCode);
          p.courseRegistrations.push({
            courseCode: e.courseCode,
            kind: 'EXAM',
            term: e.term,
            level: c?.level ?? null,
            programmes: [...programmes],
          });
        }
      }
      for await (const t of fs.teachingStaff(term)) {
        const p = person(t.personNumber);
        p.staffPostings.push({ term: t.term, stedkode: t.unit.stedkode });
        if (!profiled.has(t.personNumber)) {
          applyProfile(p, t.profile);
          profiled.add(t.personNumber);
        }
      }
      const evuCourses = new Map<string, FsEvuCourse>();
      for await (const c of fs.evuCourses()) evuCourses.set(`${c.code}|${c.termCode}`, c);
      for await (const e of fs.evuParticipants()) {
        if (e.status === WITHDRAWN_EVU) continue;
        const c = evuCourses.get(`${e.courseCode}|${e.courseTermCode}`);
        if (!c) continue;
        const p = person(e.personNumber);
        p.evu.push({
          courseCode: c.code,
          startDate: c.startDate,
          endDate: c.endDate,
          approvedForAccounts: c.approvedForAccounts,
          stedkode: c.unit?.stedkode ?? null,
          jobAddress: address(e.jobAddress),
          homeAddress: address(e.homeAddress),
        });
        if (!profiled.has(e.personNumber)) {
          applyProfile(p, e.profile);
          profiled.add(e.personNumber);
        }
      }
      for await (const inv of fs.invoices(term)) {
        const p = people.get(inv.personNumber);
        if (p)
          p.invoices.push({
            term: inv.term,
            paid: inv.paid,
            status: inv.status,
            lineTypes: inv.lines.map((l) => l.type),
          });
      }

      // Students: profile and semester address in batched calls; then the profiles nobody gave yet.
      const numbers = [...studentNumbers.entries()];
      for (let i = 0; i < numbers.length; i += 1000) {
        const part = numbers.slice(i, i + 1000);
        const students = await fs.students(part.map(([, s]) => s));
        students.forEach((s, j) => {
          const asked = part[j]; // the answer is in the order asked
          if (!s || !asked) return;
          const p = person(asked[0]);
          if (!profiled.has(p.personNumber!)) {
            applyProfile(p, s.profile);
            profiled.add(p.personNumber!);
          }
          p.addresses.semester = address(s.semesterAddress);
        });
      }
      const rest = [...people.keys()].filter((n) => !profiled.has(n));
      for (let i = 0; i < rest.length; i += 1000) {
        const part = rest.slice(i, i + 1000);
        const profiles = await Promise.all(part.map((n) => fs!.person(n)));
        profiles.forEach((pr, j) => {
          const asked = part[j];
          if (pr && asked !== undefined) applyProfile(person(asked), pr);
        });
      }

      const all = [...people.values()];
      for (let i = 0; i < all.length; i += BATCH) yield all.slice(i, i + BATCH);
    },
    stats() {
      const out: Record<string, number> = { fsRequests: fs?.stats.requests ?? 0, fsRetries: fs?.stats.retries ?? 0 };
      for (const [op, n] of fs?.stats.byOperation ?? []) out[`fs:${op}`] = n;
      return out;
    },
  };
}

/** The FS import source of a run: FS GraphQL on FS_URL. */
export function defaultFsImportSource(ctx: SyncRunContext): FsImportSource {
  const fsConfig = ctx.config.fs;
  if (!fsConfig)
    throw new PermanentSyncError(
      'FS_URL is not set: configure the FS GraphQL endpoint (FS_URL, FS_USERNAME, FS_PASSWORD) to run the FS import.',
    );
  const client = new FsClient({
    url: fsConfig.url,
    username: fsConfig.username,
    password: fsConfig.password,
    logger: ctx.logger,
  });
  const source = fsBulkImportSource((signal) => new FsSource(client, { signal }));
  return {
    ...source,
    close: () => {
      client.close();
      return Promise.resolve();
    },
  };
}

export type { Term };
