/**
 * Seed 001, 2.1: order of precedence for the attributes a user can have only one of — the home area and the
 * primary e-mail address — "når studconfig.xml forteller at brukeren har multiple verdier for disse":
 *
 *   1) "Brukeren får de egenskapene som er definert for studieprogram med høyest studienivåkode."
 *   2) "Dersom det er flere programmer som har lik studienivåkode bør brukeren få hjemmeområde og primær e-post
 *      adresse definert for det studieprogrammet hvor emne med høyest nivå tas"
 *   3) "Dersom både studienivåkodene og emnenivåkodene er like flyttes brukeren til /uio/platon/div-{h|l}\d+.
 *      Primær e-postadresse settes som definert for det studieprogrammet studenten har hatt opptak til lengst
 *      (fs.studprogstud_planbekreft.terminkode_start) for de studieprogrammene som har en utdanningsplan
 *      tilknyttet."
 *   4) "Dersom studenten har opptak til et studieprogram med utdanningsplan og et uten så settes hjemmeområdet og
 *      primær e-post adresse som definert for studieprogrammet med utdplan."
 *   5) "Dersom ingen av studieprogrammene har en utdanningsplan tilknyttet så skal emne med høyeste nivå
 *      bestemme hvilke egenskaper brukeren skal få."
 *
 * How we read it (README "FS import" repeats this):
 *  - Precedence runs only among the candidates that give a value, and stops as soon as the remaining
 *    candidates agree on one value (then there is no "multiple values" left to choose between).
 *  - Rules 1 and 2 narrow the candidates in that order. Rule 2 compares, per programme, the highest level of
 *    the courses taken in it this term (exam or teaching registrations in courses that can be part of it).
 *  - Rules 3–5 all speak of the case where both levels tie; they split it by education plans:
 *      some tied programmes have a plan and some not → rule 4: only those with a plan stay (for both attributes);
 *      all remaining have plans → rule 3: home area = the shared area; e-mail = the plan held longest
 *        (earliest start term);
 *      none has a plan → rule 5: the courses decide: the programmes' course levels are compared from the highest
 *        down (rule 2 compared only the top one, so the first course level that differs decides). When even that
 *        ties, rule 3 applies: home area = the shared area.
 *  - Shared area: `sharedHomeArea.high` when the tied studienivåkode ≥ `highFromLevel` (AutoStud used its
 *    "high" disk for level ≥ 300), else `sharedHomeArea.low` ({h|l} in the seed).
 *  - When nothing in the seed separates the candidates (e-mail only: equal plan start terms, or no plans and
 *    identical courses), the first programme code in the alphabet wins, as AutoStud resolved same-level
 *    conflicts ("Use the first in the alphabet").
 */
import type { ChosenValue, PrecedenceRule, Term } from './model';
import { compareTerms } from './terms';

export interface PrecedenceCandidate {
  programmeCode: string;
  /** studienivåkode (missing = 0). */
  level: number;
  /** Levels of the courses taken in this programme this term, highest first ([] = none known). */
  courseLevels: number[];
  /** The programme's education plan, if the student has one: its start term (terminkode_start), if known. */
  plan: { startTerm: Term | null } | null;
  /** The value the programme's profile gives for the attribute. */
  value: string;
}

export interface SharedHomeArea {
  high: string;
  low: string;
  highFromLevel: number;
}

export interface PrecedenceResult extends ChosenValue {
  /** The steps taken, in words, for the decision's reasons. */
  steps: string[];
}

const distinct = (c: PrecedenceCandidate[]) => new Set(c.map((x) => x.value)).size;
const codes = (c: PrecedenceCandidate[]) => c.map((x) => x.programmeCode).join(', ');
const alphabetical = (c: PrecedenceCandidate[]) =>
  [...c].sort((a, b) => (a.programmeCode < b.programmeCode ? -1 : a.programmeCode > b.programmeCode ? 1 : 0));
const topCourse = (x: PrecedenceCandidate) => x.courseLevels[0] ?? -1;

/** Course levels compared from the highest down; a programme with more courses wins a tie on the shorter list. */
function compareCourseLists(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** The first of candidates the rules never leave empty (each rule keeps at least one); an empty list is a bug. */
function firstOf(c: readonly PrecedenceCandidate[]): PrecedenceCandidate {
  const first = c[0];
  if (!first) throw new Error('FS precedence rules: no candidate left (a rule dropped them all)');
  return first;
}

function pick(c: PrecedenceCandidate[], rule: PrecedenceRule, steps: string[]): PrecedenceResult {
  const winner = firstOf(alphabetical(c));
  return { value: winner.value, programmeCode: winner.programmeCode, rule, steps };
}

/** Rules 1 and 2; returns a result when they settle it, else the tied candidates. */
function byLevels(cands: PrecedenceCandidate[], steps: string[]): PrecedenceResult | PrecedenceCandidate[] {
  if (distinct(cands) === 1) return pick(cands, 'SINGLE_VALUE', steps);
  const maxLevel = Math.max(...cands.map((x) => x.level));
  let c = cands.filter((x) => x.level === maxLevel);
  steps.push(`2.1 rule 1: highest studienivåkode ${maxLevel}: ${codes(c)}`);
  if (distinct(c) === 1) return pick(c, 'HIGHEST_PROGRAMME_LEVEL', steps);
  const maxCourse = Math.max(...c.map(topCourse));
  c = c.filter((x) => topCourse(x) === maxCourse);
  steps.push(`2.1 rule 2: highest course level ${maxCourse < 0 ? '(no courses)' : maxCourse}: ${codes(c)}`);
  if (distinct(c) === 1) return pick(c, 'HIGHEST_COURSE_LEVEL', steps);
  return c;
}

/** Rule 4: in a tie, programmes with an education plan beat those without. */
function plansFirst(c: PrecedenceCandidate[], steps: string[]): PrecedenceResult | PrecedenceCandidate[] {
  const withPlan = c.filter((x) => x.plan !== null);
  if (withPlan.length === 0 || withPlan.length === c.length) return c;
  steps.push(`2.1 rule 4: a programme with utdanningsplan beats one without: ${codes(withPlan)}`);
  if (distinct(withPlan) === 1) return pick(withPlan, 'PLAN_BEATS_NO_PLAN', steps);
  return withPlan;
}

/** Rule 5: no plans: the courses, from the highest down, decide. */
function coursesDecide(c: PrecedenceCandidate[], steps: string[]): PrecedenceResult | PrecedenceCandidate[] {
  const best = c.reduce((a, x) => (compareCourseLists(x.courseLevels, a.courseLevels) > 0 ? x : a), firstOf(c));
  const top = c.filter((x) => compareCourseLists(x.courseLevels, best.courseLevels) === 0);
  if (top.length < c.length) {
    steps.push(
      `2.1 rule 5: no utdanningsplan; the courses decide (levels ${best.courseLevels.join(', ') || 'none'}): ${codes(top)}`,
    );
    if (distinct(top) === 1) return pick(top, 'NO_PLANS_HIGHEST_COURSE', steps);
    return top;
  }
  steps.push('2.1 rule 5: no utdanningsplan, and the courses tie as well');
  return c;
}

/** The home area: rules 1, 2, 4, 5, then the shared area of rule 3. Null when no candidate gives one. */
export function chooseHomeArea(cands: PrecedenceCandidate[], shared: SharedHomeArea): PrecedenceResult | null {
  if (cands.length === 0) return null;
  const steps: string[] = [];
  let c = byLevels(cands, steps);
  if (!Array.isArray(c)) return c;
  c = plansFirst(c, steps);
  if (!Array.isArray(c)) return c;
  if (c.every((x) => x.plan === null)) {
    c = coursesDecide(c, steps);
    if (!Array.isArray(c)) return c;
  }
  const level = firstOf(c).level;
  const value = level >= shared.highFromLevel ? shared.high : shared.low;
  steps.push(`2.1 rule 3: studienivåkode and course levels tie (${codes(c)}): shared area ${value}`);
  return { value, programmeCode: null, rule: 'SHARED_AREA', steps };
}

/** The primary e-mail: rules 1, 2, 4, then 3 (plan held longest) or 5 (courses), then the alphabet. */
export function choosePrimaryEmail(cands: PrecedenceCandidate[]): PrecedenceResult | null {
  if (cands.length === 0) return null;
  const steps: string[] = [];
  let c = byLevels(cands, steps);
  if (!Array.isArray(c)) return c;
  c = plansFirst(c, steps);
  if (!Array.isArray(c)) return c;
  if (c.every((x) => x.plan !== null)) {
    // A plan without a known start term counts as the newest.
    const start = (x: PrecedenceCandidate) => x.plan?.startTerm ?? { year: 9999, name: 'HØST' as const };
    const earliest = c.reduce((a, x) => (compareTerms(start(x), start(a)) < 0 ? x : a), firstOf(c));
    const held = c.filter((x) => compareTerms(start(x), start(earliest)) === 0);
    steps.push(
      `2.1 rule 3: e-mail from the programme with utdanningsplan held longest (since ${start(earliest).name} ${start(earliest).year}): ${codes(held)}`,
    );
    if (distinct(held) === 1) return pick(held, 'PLAN_HELD_LONGEST', steps);
    c = held;
  } else {
    c = coursesDecide(c, steps);
    if (!Array.isArray(c)) return c;
  }
  steps.push(`nothing in 2.1 separates ${codes(c)}: the first programme code in the alphabet`);
  return pick(c, 'ALPHABETICAL', steps);
}
