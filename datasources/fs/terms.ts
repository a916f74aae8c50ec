import type { FsTerm, FsTermName } from './types';

/**
 * FS terms: VÅR (spring) and HØST (autumn). FS itself dates terms per institution (`terminer`); for "the
 * current term" of seed 2.0 we use the common split: VÅR = January–July, HØST = August–December, so the
 * summer still belongs to the spring term (semester registration for HØST opens in August).
 */
export function termOf(date: string): FsTerm {
  const m = /^(\d{4})-(\d{2})-\d{2}/.exec(date);
  if (!m) throw new TypeError(`termOf: expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return { year: Number(m[1]), name: Number(m[2]) <= 7 ? 'VÅR' : 'HØST' };
}

export function previousTerm(t: FsTerm): FsTerm {
  return t.name === 'HØST' ? { year: t.year, name: 'VÅR' } : { year: t.year - 1, name: 'HØST' };
}

export function nextTerm(t: FsTerm): FsTerm {
  return t.name === 'VÅR' ? { year: t.year, name: 'HØST' } : { year: t.year + 1, name: 'VÅR' };
}

/** "2025-HØST": sortable (VÅR < HØST within a year, as 'H' < 'V' would not be — hence the index). */
export function termKey(t: FsTerm): string {
  return `${t.year}-${t.name === 'VÅR' ? 1 : 2}`;
}

export function sameTerm(a: FsTerm | null | undefined, b: FsTerm | null | undefined): boolean {
  return !!a && !!b && a.year === b.year && a.name === b.name;
}

/** Negative when a is before b. */
export function compareTerms(a: FsTerm, b: FsTerm): number {
  return a.year - b.year || (a.name === b.name ? 0 : a.name === 'VÅR' ? -1 : 1);
}

/** First and last day of a term under the split above. */
export function termDates(t: FsTerm): { startDate: string; endDate: string } {
  return t.name === 'VÅR'
    ? { startDate: `${t.year}-01-01`, endDate: `${t.year}-07-31` }
    : { startDate: `${t.year}-08-01`, endDate: `${t.year}-12-31` };
}

export function isTermName(s: unknown): s is FsTermName {
  return s === 'VÅR' || s === 'HØST';
}

/** "HØST 2025" for messages. */
export function termLabel(t: FsTerm): string {
  return `${t.name} ${t.year}`;
}
