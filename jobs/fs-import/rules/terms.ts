/**
 * Terms and date arithmetic for the rules. "The current term" (inneværende semester, seed 2.0) is derived from
 * "today" by a fixed split:
 *
 *   VÅR  = 1 January – 31 July
 *   HØST = 1 August  – 31 December
 *
 * The seed does not define the boundary. We use the same split as the FS data source (datasources/fs/terms.ts)
 * so that "this term's registrations" means the same on both sides; the summer belongs to the spring term
 * because semester registration for HØST opens in August. (Cerebrum's old access_FS.py split after June; every
 * date the seed names — 15 Feb, 1 Mar, 15 Mar, 15 Sep, 1 Oct, 15 Oct — falls in the same term under both.)
 *
 * Dates are `YYYY-MM-DD`; arithmetic is done in UTC on the calendar date, so no time zone can shift a day.
 */
import type { Term, TermName } from './model';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const m = DATE_RE.exec(date);
  if (!m) throw new TypeError(`expected a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function fmt(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** True for a real calendar date YYYY-MM-DD. */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_RE.test(value)) return false;
  const [y, m, d] = parts(value);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** The term a date belongs to (split above). */
export function termOf(date: string): Term {
  const [y, m] = parts(date);
  return { year: y, name: m <= 7 ? 'VÅR' : 'HØST' };
}

export function previousTerm(t: Term): Term {
  return t.name === 'HØST' ? { year: t.year, name: 'VÅR' } : { year: t.year - 1, name: 'HØST' };
}

export function nextTerm(t: Term): Term {
  return t.name === 'VÅR' ? { year: t.year, name: 'HØST' } : { year: t.year + 1, name: 'VÅR' };
}

export function sameTerm(a: Term | null | undefined, b: Term | null | undefined): boolean {
  return !!a && !!b && a.year === b.year && a.name === b.name;
}

/** Negative when a is before b. */
export function compareTerms(a: Term, b: Term): number {
  return a.year - b.year || (a.name === b.name ? 0 : a.name === 'VÅR' ? -1 : 1);
}

export function termStart(t: Term): string {
  return t.name === 'VÅR' ? `${t.year}-01-01` : `${t.year}-08-01`;
}

export function termEnd(t: Term): string {
  return t.name === 'VÅR' ? `${t.year}-07-31` : `${t.year}-12-31`;
}

/** "HØST 2024" */
export function termLabel(t: Term): string {
  return `${t.name} ${t.year}`;
}

/** FS spells the names 'VÅR'/'HØST'; older exports and ASCII-only systems 'VAR'/'HOST' or 'V'/'H'. */
export function parseTermName(raw: string): TermName | null {
  const s = raw.trim().toUpperCase();
  if (s === 'VÅR' || s === 'VAR' || s === 'V') return 'VÅR';
  if (s === 'HØST' || s === 'HOST' || s === 'H') return 'HØST';
  return null;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return fmt(new Date(Date.UTC(y, m - 1, d + days)));
}

/** Calendar months later; a day past the end of the target month is clamped (31 Nov → 30 Nov). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return fmt(new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function monthOf(date: string): number {
  return parts(date)[1];
}

/** True when date lies in [from, to]; a null end is open. */
export function within(date: string, from: string | null | undefined, to: string | null | undefined): boolean {
  return (from == null || from <= date) && (to == null || date <= to);
}
