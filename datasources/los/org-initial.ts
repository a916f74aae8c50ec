/**
 * The `Org_inital` merge rule (specs/aarhus-los.md, "Org files" and "Rules we decided"), as a pure function.
 *
 * The historical load has one row per unit and period. Per unit, rows are sorted by `StartDato`:
 * - a row identical to the previous version apart from validity, starting the day after it ends, extends it
 *   (earliest from, latest to) — LOS splits one unchanged period into several rows;
 * - a row that differs starts a new version of the unit;
 * - a gap between rows stays a gap: the unit does not exist inside it.
 * Rows that overlap are not in the source rules. An identical overlapping row (a repeated row) is folded into
 * the version; a differing one wins from its start, the earlier version is cut to end the day before, and a
 * warning names both lines.
 */
import type { OrgRow, OrgUnitState } from './records';
import { type LosIssue, addDays } from './values';

/** One version of a unit: its state over an inclusive interval. */
export interface OrgUnitVersion {
  from: string;
  /** Inclusive; null = open. */
  to: string | null;
  state: OrgUnitState;
  /** The file lines this version was built from (for issues found later, e.g. a failed DAR lookup). */
  lines: number[];
}

export interface OrgUnitHistory {
  uuid: string;
  /** Sorted by `from`, not overlapping; a gap between two versions is a period without the unit. */
  versions: OrgUnitVersion[];
}

export interface OrgInitialResult {
  /** One entry per unit, in the order units first appear in the file. */
  units: OrgUnitHistory[];
  issues: LosIssue[];
}

/** Whether two states are the same apart from validity (the merge condition). */
export function sameOrgState(a: OrgUnitState, b: OrgUnitState): boolean {
  return (
    a.uuid === b.uuid &&
    a.userKey === b.userKey &&
    a.name === b.name &&
    a.unitTypeUuid === b.unitTypeUuid &&
    a.parentUuid === b.parentUuid &&
    a.lineOrganisation === b.lineOrganisation &&
    a.addresses.losId === b.addresses.losId &&
    a.addresses.cvr === b.addresses.cvr &&
    a.addresses.ean === b.addresses.ean &&
    a.addresses.pNumber === b.addresses.pNumber &&
    a.addresses.seNumber === b.addresses.seNumber &&
    a.addresses.intDebitorNumber === b.addresses.intDebitorNumber &&
    a.addresses.magId === b.addresses.magId &&
    a.addresses.postAddress === b.addresses.postAddress
  );
}

/** The state part of a row (everything but `line`, `from`, `to`). */
export function orgStateOf(row: OrgRow): OrgUnitState {
  return {
    uuid: row.uuid,
    userKey: row.userKey,
    name: row.name,
    unitTypeUuid: row.unitTypeUuid,
    parentUuid: row.parentUuid,
    lineOrganisation: row.lineOrganisation,
    addresses: { ...row.addresses },
  };
}

/** `a` ≤ `b` with null = +∞ (an open end). */
const endsNoLaterThan = (a: string | null, b: string | null) => b === null || (a !== null && a <= b);
const laterEnd = (a: string | null, b: string | null) => (endsNoLaterThan(a, b) ? b : a);

/**
 * Extends the last version with `next` when their states are the same and `next` starts no later than the
 * day after the last one ends (adjacent, or an overlapping repeat). Returns whether it did.
 */
function append(versions: OrgUnitVersion[], next: OrgUnitVersion): boolean {
  const last = versions[versions.length - 1];
  if (!last || !sameOrgState(last.state, next.state)) return false;
  if (last.to !== null && next.from > addDays(last.to, 1)) return false;
  last.to = laterEnd(last.to, next.to);
  last.lines.push(...next.lines);
  return true;
}

/**
 * Builds the versions of every unit from the (valid) rows of an `Org_inital` file. `file` names the file in
 * the warnings about overlapping rows. The result does not depend on the order of the rows.
 */
export function mergeOrgInitial(rows: readonly OrgRow[], file: string): OrgInitialResult {
  const byUnit = new Map<string, OrgRow[]>();
  for (const row of rows) {
    const list = byUnit.get(row.uuid);
    if (list) list.push(row);
    else byUnit.set(row.uuid, [row]);
  }

  const issues: LosIssue[] = [];
  const units: OrgUnitHistory[] = [];
  for (const [uuid, unitRows] of byUnit) {
    // Line as tie-breaker keeps the result independent of input order.
    const sorted = [...unitRows].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.line - b.line));
    const versions: OrgUnitVersion[] = [];
    for (const row of sorted) {
      const version: OrgUnitVersion = { from: row.from, to: row.to, state: orgStateOf(row), lines: [row.line] };
      const prev = versions[versions.length - 1];
      if (!prev) {
        versions.push(version);
        continue;
      }
      if (append(versions, version)) continue;
      if (prev.to !== null && row.from > prev.to) {
        versions.push(version); // a change, or a gap that stays a gap
        continue;
      }
      // A differing row that overlaps the previous version: it wins over its own interval; the previous
      // version keeps what lies before it and resumes after it (if it lasted longer).
      issues.push({
        severity: 'warning',
        file,
        line: row.line,
        message: `Org_inital rows for unit ${uuid} overlap (lines ${prev.lines.join(', ')} and ${row.line}); line ${row.line} applies from ${row.from}${row.to ? ` to ${row.to}` : ''}`,
      });
      const tail: OrgUnitVersion | null =
        row.to !== null && !endsNoLaterThan(prev.to, row.to)
          ? { from: addDays(row.to, 1), to: prev.to, state: prev.state, lines: [...prev.lines] }
          : null;
      if (row.from <= prev.from) versions.pop();
      else prev.to = addDays(row.from, -1);
      if (!versions.length || !append(versions, version)) versions.push(version);
      if (tail) versions.push(tail);
    }
    units.push({ uuid, versions });
  }
  return { units, issues };
}
