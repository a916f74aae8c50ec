/**
 * Seed 001, 2.5.1 and 2.5.2: blocking and deletion of student users.
 *
 *   2.5.1 "Studentbrukere til studenter som ikke oppfyller krav fra 2.0 per 1. oktober/1. mars sperres."
 *   2.5.2 1. "Studentbrukere til studenter som har vært inaktive forrige semester slettes 15. februar/15.
 *            september (en gang i semesteret)."
 *         2. "Etter 15. mars/15. oktober slettes alle brukere som har vært sperret i tre måneder."
 *         3. "EVU-studenter slettes ca. to uker etter at kurset er avsluttet."
 *
 * Interpretations:
 *  - A "student user" is an account with a STUDENT affiliation (AccountInput.studentAccount).
 *  - Blocking: from this term's blocking date on (1 March in VÅR, 1 October in HØST; the day itself included) a
 *    student user whose owner is not a student (2.0) is blocked (action BLOCK). Before that date nothing new is
 *    blocked, and a user blocked in an earlier term stays blocked (KEEP): only becoming a student again lifts
 *    the block (LIFT).
 *  - Deletion is a date, reported in the decision (Cerebrum REST cannot delete accounts): `due` once it is
 *    today or past. When several rules apply, the earliest date wins.
 *    1. Inactive last term = not a student (2.0) in the previous term, judged on the first day after it, and not
 *       a student now either. Date: 15 February (VÅR) / 15 September (HØST) of the current term, the day
 *       itself included. A user who became inactive this term is shown with next term's date (projected).
 *    2. "Etter 15. mars/15. oktober": the deletion days are 16 March and 16 October (strictly after the 15th).
 *       The user is deleted on the first such day on which it has been blocked for three calendar months
 *       (blocked since + 3 months ≤ that day): one deletion run per term, as for rule 1.
 *    3. EVU: `evu.daysAfterEnd` (14) days after the last approved course ends, for an EVU student who is not
 *       also a programme student. Rule 1 does not apply to a user with approved EVU courses (its term dates would
 *       fall before or long after the course): rule 3 gives its date (and rule 2, if it was blocked).
 */
import type { BlockAction, DeletionRule, Term } from './model';
import { addDays, addMonths, nextTerm, termOf } from './terms';

/** 2.5.1: 1 March (VÅR) / 1 October (HØST). */
export function blockingDate(term: Term): string {
  return term.name === 'VÅR' ? `${term.year}-03-01` : `${term.year}-10-01`;
}

/** 2.5.2 rule 1: 15 February (VÅR) / 15 September (HØST). */
export function inactiveDeletionDate(term: Term): string {
  return term.name === 'VÅR' ? `${term.year}-02-15` : `${term.year}-09-15`;
}

/** 2.5.2 rule 2: the first day "etter 15. mars / 15. oktober" = 16 March (VÅR) / 16 October (HØST). */
export function blockedDeletionDay(term: Term): string {
  return term.name === 'VÅR' ? `${term.year}-03-16` : `${term.year}-10-16`;
}

/** The first blocked-user deletion day on which a user blocked since `since` has been blocked three months. */
export function blockedDeletionDate(since: string): string {
  const threshold = addMonths(since, 3);
  let t = termOf(threshold);
  for (;;) {
    const day = blockedDeletionDay(t);
    if (day >= threshold) return day;
    t = nextTerm(t);
  }
}

export interface BlockInput {
  studentUser: boolean;
  student: boolean;
  today: string;
  term: Term;
  /** The blocking quarantine now: undefined = not known, null = none. */
  quarantine: { start: string } | null | undefined;
}

export interface BlockVerdict {
  action: BlockAction;
  /** Blocked since (the quarantine's start, or today when blocked now); null when not blocked. */
  since: string | null;
  reason: string;
}

export function decideBlock(b: BlockInput): BlockVerdict {
  if (!b.studentUser) return { action: 'NONE', since: null, reason: '2.5.1: no student user to block' };
  if (b.student) {
    if (b.quarantine === null) return { action: 'NONE', since: null, reason: '2.5.1: a student (2.0): not blocked' };
    return {
      action: 'LIFT',
      since: null,
      reason: b.quarantine
        ? `2.5.1: a student again (2.0): lift the block set ${b.quarantine.start}`
        : '2.5.1: a student (2.0): no block (lifted if there is one)',
    };
  }
  const date = blockingDate(b.term);
  if (b.today >= date) {
    return {
      action: 'BLOCK',
      since: b.quarantine?.start ?? b.today,
      reason: b.quarantine
        ? `2.5.1: not a student (2.0) per ${date}: blocked since ${b.quarantine.start}`
        : `2.5.1: not a student (2.0) per ${date}: blocked from ${b.today}`,
    };
  }
  return {
    action: 'KEEP',
    since: b.quarantine?.start ?? null,
    reason: b.quarantine
      ? `2.5.1: not a student (2.0); still blocked since ${b.quarantine.start} (only becoming a student lifts it)`
      : `2.5.1: not a student (2.0) yet, but blocking starts ${date}`,
  };
}

export interface DeletionInput {
  studentUser: boolean;
  /** A student now (2.0), by a programme rule (not EVU). */
  programmeStudent: boolean;
  /** A student now by any rule, EVU included. */
  student: boolean;
  /** A student in the previous term. */
  studentLastTerm: boolean;
  /** Blocked since (BlockVerdict.since), null when not blocked. */
  blockedSince: string | null;
  /** End dates of the approved EVU courses the person is or was registered to (null = unknown). */
  evuEnds: (string | null)[];
  evuDaysAfterEnd: number;
  today: string;
  term: Term;
}

export interface DeletionVerdict {
  date: string;
  rule: DeletionRule;
  due: boolean;
  reason: string;
}

export function decideDeletion(d: DeletionInput): DeletionVerdict | null {
  if (!d.studentUser || d.programmeStudent) return null;
  const found: { date: string; rule: DeletionRule; reason: string }[] = [];
  const ends = d.evuEnds.filter((e): e is string => e !== null).sort();
  // An EVU user (one with approved EVU courses) is deleted by rule 3, not by rule 1's term dates.
  if (!d.student && ends.length === 0) {
    if (!d.studentLastTerm) {
      const date = inactiveDeletionDate(d.term);
      found.push({
        date,
        rule: 'INACTIVE_LAST_TERM',
        reason: `2.5.2 rule 1: inactive last term and not a student now: deleted ${date}`,
      });
    } else {
      const date = inactiveDeletionDate(nextTerm(d.term));
      found.push({
        date,
        rule: 'INACTIVE_LAST_TERM',
        reason: `2.5.2 rule 1: inactive this term: deleted ${date} unless a student again by then`,
      });
    }
  }
  if (!d.student && d.blockedSince) {
    const date = blockedDeletionDate(d.blockedSince);
    found.push({
      date,
      rule: 'BLOCKED_THREE_MONTHS',
      reason: `2.5.2 rule 2: blocked since ${d.blockedSince}; three months by ${addMonths(d.blockedSince, 3)}: deleted ${date}`,
    });
  }
  const end = ends.at(-1);
  if (end !== undefined) {
    const date = addDays(end, d.evuDaysAfterEnd);
    found.push({ date, rule: 'EVU_COURSE_ENDED', reason: `2.5.2 rule 3: EVU course ends ${end}: deleted ${date}` });
  }
  found.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const first = found[0];
  if (!first) return null;
  return { ...first, due: d.today >= first.date };
}
