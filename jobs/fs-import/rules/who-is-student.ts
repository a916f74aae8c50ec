/**
 * Seed 001, 2.0: who is a student (and so gets a student user).
 *
 *   1) "har opptak til et studieprogram og er semesterregistrert for inneværende semester (regformkode skal være
 *      enten 'DOKTORREG', 'MANUELL' eller 'STUDWEB', terminkode og arstall må også stemme) og meldt til eksamen
 *      i et emne som kan inngå det studieprogrammet personen har opptak til."
 *   2) "Eller har bekreftet og godkjent utdanningsplan … terminkode_bekreft og arstall_bekreft skal være for
 *      inneværende semester, dato_bekreftet < dato"
 *   "status_utdplan (J/N) … bestemmer hvilken av de ovennevnte krav en personen må oppfylle … default verdien
 *   er (foreløpig) 'N'."
 *   Special case: "studierett på emne og studierett på fag … blir 'ekte' bare dersom de er eksamensmeldt i det
 *   emnet de har fått studierett til."
 *   EVU: "Er meldt til et EVU-kurs … som har startdato om cirka to uker. Kurset skal være 'godkjent' for
 *   kontobygging ved at fs.etterutdanningskurs.status_nettbasert_und = 'J'"
 *
 * Interpretations:
 *  - The rule is chosen per programme: status_utdplan 'J' → rule 2 for that programme, else (N or missing) rule 1.
 *    A person is a student when any active programme meets its rule.
 *  - "Opptak" = a legal admission (1.0: an approved studierettstatus) valid on the day (gyldig fra ≤ day ≤ gyldig til).
 *  - The exam registration of rule 1 must be for the current term too (the seed only says the term for the
 *    semester registration; an exam registration of an old term says nothing about now).
 *  - A course-limited right (emne-/fagbegrenset) follows rule 1 with the course narrowed to the courses it is
 *    limited to, whatever status_utdplan says: the semester registration is still needed, and the exam
 *    registration must be in one of those courses. Not met = the right is not "ekte": it gives no affiliation.
 *  - EVU: "om cirka to uker" = the course starts at most `evu.daysBeforeStart` (14) days from the day; the
 *    person stays an EVU student until `evu.daysAfterEnd` (14) days after the course ends (2.5.2 rule 3
 *    deletes the user then), the same window as the 1.0 import.
 */
import type { FsImportConfig } from './config';
import type { EvuInput, FsPersonInput, ProgrammeVerdict, StudentRule, StudyRightInput, Term } from './model';
import { addDays, sameTerm, termLabel } from './terms';

/** [from, to] (null = open) overlaps the period. */
function overlaps(from: string | null, to: string | null, period: { from: string; to: string }): boolean {
  return (from === null || from <= period.to) && (to === null || to >= period.from);
}

export interface StudentVerdict {
  student: boolean;
  rule: StudentRule | null;
  programmes: ProgrammeVerdict[];
  /** The programmes the person is actively admitted to, without course-limited rights that are not "ekte". */
  activeProgrammes: StudyRightInput[];
  /** EVU courses that make the person an EVU student (approved for accounts, in the window). */
  evuCourses: EvuInput[];
  reasons: string[];
}

/** Highest level first, then by code: the order verdicts are reported in and the first met rule is named from. */
export function byLevelThenCode(a: StudyRightInput, b: StudyRightInput): number {
  return (
    (b.level ?? 0) - (a.level ?? 0) ||
    (a.programmeCode < b.programmeCode ? -1 : a.programmeCode > b.programmeCode ? 1 : 0)
  );
}

/**
 * 2.0 for `term`, judged on day `asOf` (today, for the current term). `period` is when the admission or the EVU
 * course must be valid: the day itself by default; for "the previous term" (2.5.2 rule 1) the whole term, so a
 * student who finished in June counts as active in the spring term.
 */
export function whoIsStudent(
  p: FsPersonInput,
  cfg: FsImportConfig,
  term: Term,
  asOf: string,
  period: { from: string; to: string } = { from: asOf, to: asOf },
): StudentVerdict {
  const registration = p.semesterRegistrations.find(
    (r) => sameTerm(r.term, term) && r.regformCode !== null && cfg.semesterRegistrationForms.includes(r.regformCode),
  );
  const exams = p.courseRegistrations.filter((c) => c.kind === 'EXAM' && sameTerm(c.term, term));
  const label = termLabel(term);
  const regText = registration
    ? `semesterregistrert ${label} (${registration.regformCode})`
    : `not semesterregistrert ${label} with ${cfg.semesterRegistrationForms.join('/')}`;

  const admitted = p.studyRights
    .filter(
      (r) =>
        r.status !== null &&
        cfg.approvedStudyRightStatuses.includes(r.status) &&
        overlaps(r.validFrom, r.validTo, period),
    )
    .sort(byLevelThenCode);
  const programmes: ProgrammeVerdict[] = [];
  const activeProgrammes: StudyRightInput[] = [];
  for (const r of admitted) {
    const limited = r.limitedToCourses ?? [];
    let verdict: ProgrammeVerdict;
    if (limited.length > 0) {
      const exam = exams.find((c) => limited.includes(c.courseCode));
      const met = !!registration && !!exam;
      verdict = {
        programmeCode: r.programmeCode,
        rule: 'LIMITED_RIGHT_WITH_EXAM',
        met,
        why: `2.0 special case: studierett limited to ${limited.join(', ')}; ${regText}; ${exam ? `eksamensmeldt i ${exam.courseCode}` : `not eksamensmeldt in ${limited.join('/')} ${label}`}`,
      };
      if (met) activeProgrammes.push(r);
    } else if ((r.statusUtdplan ?? 'N') === 'J') {
      const plan = p.educationPlans.find((x) => x.programmeCode === r.programmeCode);
      const confirmation = plan?.confirmations.find((c) => sameTerm(c.term, term) && c.confirmedDate < asOf);
      verdict = {
        programmeCode: r.programmeCode,
        rule: 'CONFIRMED_PLAN',
        met: !!confirmation,
        why: confirmation
          ? `2.0 rule 2 (status_utdplan J): utdanningsplan bekreftet for ${label} on ${confirmation.confirmedDate}`
          : `2.0 rule 2 (status_utdplan J): no utdanningsplan bekreftet for ${label} before ${asOf}`,
      };
      activeProgrammes.push(r);
    } else {
      const exam = exams.find((c) => c.programmes.includes(r.programmeCode));
      const met = !!registration && !!exam;
      verdict = {
        programmeCode: r.programmeCode,
        rule: 'REGISTERED_WITH_EXAM',
        met,
        why: `2.0 rule 1 (status_utdplan ${r.statusUtdplan ?? 'N (default)'}): ${regText}; ${exam ? `eksamensmeldt i ${exam.courseCode}, which can be part of ${r.programmeCode}` : `no exam registration ${label} in a course of ${r.programmeCode}`}`,
      };
      activeProgrammes.push(r);
    }
    programmes.push(verdict);
  }

  const evuWindow = (e: EvuInput) =>
    overlaps(
      e.startDate === null ? null : addDays(e.startDate, -cfg.evu.daysBeforeStart),
      e.endDate === null ? null : addDays(e.endDate, cfg.evu.daysAfterEnd),
      period,
    );
  const evuCourses = p.evu.filter((e) => e.approvedForAccounts && evuWindow(e));
  const reasons = programmes.map((v) => `${v.programmeCode}: ${v.met ? 'met' : 'not met'} — ${v.why}`);
  const unapproved = p.evu.filter((e) => !e.approvedForAccounts && evuWindow(e));
  if (evuCourses.length > 0)
    reasons.push(
      `2.0 EVU student: ${evuCourses.map((e) => e.courseCode).join(', ')} (status_nettbasert_und J, starts ${evuCourses.map((e) => e.startDate ?? '?').join(', ')})`,
    );
  if (unapproved.length > 0)
    reasons.push(
      `2.0 EVU: ${unapproved.map((e) => e.courseCode).join(', ')} not approved for accounts (status_nettbasert_und ≠ J)`,
    );

  const firstMet = programmes.find((v) => v.met);
  const rule: StudentRule | null = firstMet ? firstMet.rule : evuCourses.length > 0 ? 'EVU' : null;
  if (admitted.length === 0 && evuCourses.length === 0)
    reasons.push(`2.0: no active admission on ${asOf} and no approved EVU course`);
  return { student: rule !== null, rule, programmes, activeProgrammes, evuCourses, reasons };
}
