import { addDays } from '../../datasources/los/values';

/**
 * Version histories of LOS objects (units, engagements, managers) as pure functions. A history is a list of
 * versions sorted by `from`, never overlapping; dates are inclusive YYYY-MM-DD and `to: null` is open-ended.
 * Each delta rule of specs/aarhus-los.md ("Rules we decided") is one function here, and each returns a new
 * normalised history, so the writer can compare old and new to count unchanged / updated objects and write
 * only what changed.
 */
export interface Version<S> {
  from: string;
  to: string | null;
  state: S;
}

/** Lexicographic compare works for YYYY-MM-DD; null (open end) is later than any date. */
const endsBefore = (to: string | null, date: string) => to !== null && to < date;

/** Merges neighbours with the same state where one starts the day after the other ends. */
export function normalise<S>(history: readonly Version<S>[], same: (a: S, b: S) => boolean): Version<S>[] {
  const sorted = [...history].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: Version<S>[] = [];
  for (const v of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.to !== null && addDays(prev.to, 1) === v.from && same(prev.state, v.state)) {
      out[out.length - 1] = { from: prev.from, to: v.to, state: prev.state };
    } else {
      out.push({ ...v });
    }
  }
  return out;
}

/**
 * The object's whole state from `from` on (`*_ret` rows, `*_nye` rows for an object we already have):
 * versions before `from` stay, the one running over `from` ends the day before, later ones are replaced.
 */
export function setFrom<S>(
  history: readonly Version<S>[],
  from: string,
  to: string | null,
  state: S,
  same: (a: S, b: S) => boolean,
): Version<S>[] {
  const kept: Version<S>[] = [];
  for (const v of history) {
    if (v.from >= from) continue;
    kept.push(endsBefore(v.to, from) ? v : { ...v, to: addDays(from, -1) });
  }
  kept.push({ from, to, state });
  return normalise(kept, same);
}

/**
 * Ends the object on `date` itself (`*_luk` rows). A version starting after `date` is dropped; an object that
 * already ended on or before `date` is left as it is: `luk` never lengthens.
 */
export function endOn<S>(history: readonly Version<S>[], date: string): Version<S>[] {
  const out: Version<S>[] = [];
  for (const v of history) {
    if (v.from > date) continue;
    out.push(endsBefore(v.to, date) || v.to === date ? v : { ...v, to: date });
  }
  return out;
}

/** Whether two histories are the same (after normalising both). */
export function sameHistory<S>(
  a: readonly Version<S>[],
  b: readonly Version<S>[],
  same: (x: S, y: S) => boolean,
): boolean {
  return (
    a.length === b.length &&
    a.every((v, i) => {
      const w = b[i];
      return w !== undefined && v.from === w.from && v.to === w.to && same(v.state, w.state);
    })
  );
}

/** The version valid on `date`, if any. */
export function versionAt<S>(history: readonly Version<S>[], date: string): Version<S> | undefined {
  return history.find((v) => v.from <= date && (v.to === null || v.to >= date));
}
