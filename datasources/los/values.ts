/**
 * The vocabulary of the LOS files: the issue shape every stage reports, CPR redaction, and one parser per
 * kind of value (UUID, date, boolean, CPR). Parsers never throw; they return the value or a reason, so a
 * bad value becomes a SyncIssue and never a crash (design/architecture.md, convention 5).
 */
import { maskNationalId, redactNationalIds } from '../../core/national-ids';

/**
 * A problem found while reading a LOS delivery. It becomes a SyncIssue of the import job.
 * `line` is the physical line in the file, the header being line 1 (specs/aarhus-los.md, "Rules we decided");
 * it is absent for issues about a whole file that has no line to point at (a bad file name, a missing STAM file).
 */
export interface LosIssue {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  /** The column at fault, by its canonical name (e.g. `Med-i-LinjeOrg`). */
  field?: string;
  message: string;
  /** The row as `column=value` pairs with every CPR number cut to its first 6 digits; never the full CPR. */
  record?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** A CPR number as it may be logged: the first 6 digits (the birth date) and `****` (core/national-ids.ts). */
export const redactCpr = (cpr: string): string => maskNationalId(cpr);

/**
 * Masks anything that looks like a national id (core/national-ids.ts) in free text. Used on every value we
 * echo back, not only the CPR column: a shifted row can put a CPR number in any column.
 */
export const redactCprsInText = (text: string): string => redactNationalIds(text);

/** Renders a raw record for an issue: `column=value; ...`, CPR numbers masked, long values cut. */
export function describeRecord(record: Record<string, string | undefined>): string {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => {
      const value = redactCprsInText(String(v));
      return `${k}=${value.length > 120 ? `${value.slice(0, 117)}...` : value}`;
    })
    .join('; ');
}

/** What to show of a bad value in a message: CPR numbers masked, quoted, cut to 60 characters. */
export function showValue(value: string): string {
  const v = redactCprsInText(value);
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A UUID in the 8-4-4-4-12 form, any case; returned in lower case so the same object compares equal. */
export function parseUuid(value: string): Parsed<string> {
  const v = value.trim();
  return UUID_RE.test(v) ? ok(v.toLowerCase()) : bad(`${showValue(v)} is not a UUID`);
}

function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (days[m - 1] ?? 0);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** `dd-mm-yyyy`, the Org files' usual form (e.g. `31-12-9999`). */
const DMY_RE = /^(\d{2})-(\d{2})-(\d{4})$/;
/**
 * `yyyy-mm-dd`, optionally with a time `hh:mm[:ss[.fff]]` after a space or `T`, optionally with a zone
 * (`Z`, `+01:00`). Covers the Org files' `yyyy-mm-dd hh:mm:ss.fff` and the person/STAM datetimes.
 */
const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The LOS system's time zone: a datetime with an explicit offset is read as a date on Danish wall clocks. */
const LOS_TZ = 'Europe/Copenhagen';
const dateInLosTz = new Intl.DateTimeFormat('en-CA', {
  timeZone: LOS_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Which date forms a file kind uses (specs/aarhus-los.md, "Common CSV rules"). */
export type DateStyle = 'org' | 'datetime';

/**
 * A date or datetime → `YYYY-MM-DD`. Org files (`style` 'org') also allow `dd-mm-yyyy`; person and STAM files
 * use `yyyy-mm-dd hh:mm[:ss[.fff]]` or ISO with `T`. A datetime without a zone is taken as written (LOS writes
 * Danish local time); one with `Z` or an offset is converted to the date in Europe/Copenhagen.
 */
export function parseLosDate(value: string, style: DateStyle): Parsed<string> {
  const v = value.trim();
  const dmy = style === 'org' ? DMY_RE.exec(v) : null;
  if (dmy) {
    const [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
    return isValidDate(y, m, d) ? ok(iso(y, m, d)) : bad(`${showValue(v)} is not a valid date`);
  }
  const ymd = YMD_RE.exec(v);
  if (!ymd) {
    const forms = style === 'org' ? 'dd-mm-yyyy or yyyy-mm-dd hh:mm:ss.fff' : 'yyyy-mm-dd hh:mm[:ss[.fff]] or ISO 8601';
    return bad(`${showValue(v)} is not a date (expected ${forms})`);
  }
  const [y, m, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  if (!isValidDate(y, m, d)) return bad(`${showValue(v)} is not a valid date`);
  if (ymd[4] !== undefined) {
    const [hh, mm, ss] = [Number(ymd[4]), Number(ymd[5]), Number(ymd[6] ?? 0)];
    if (hh > 23 || mm > 59 || ss > 59) return bad(`${showValue(v)} has an invalid time of day`);
  }
  if (ymd[8] !== undefined) {
    const instant = new Date(v.replace(' ', 'T').replace(',', '.'));
    if (Number.isNaN(instant.getTime())) return bad(`${showValue(v)} is not a valid datetime`);
    return ok(dateInLosTz.format(instant));
  }
  return ok(iso(y, m, d));
}

/** LOS writes an open end as `31-12-9999` / `9999-12-31`; we store it as null (design/architecture.md, "Time"). */
export const OPEN_END = '9999-12-31';

/** An end date: like `parseLosDate`, but `9999-12-31` (in any accepted form) becomes null, i.e. open-ended. */
export function parseLosEndDate(value: string, style: DateStyle): Parsed<string | null> {
  const parsed = parseLosDate(value, style);
  if (!parsed.ok) return parsed;
  return ok(parsed.value === OPEN_END ? null : parsed.value);
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'ja']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'nej']);

/** True/False/1/0/yes/no/Ja/Nej in any case (the `Med-i-LinjeOrg` column). */
export function parseLosBoolean(value: string): Parsed<boolean> {
  const v = value.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return ok(true);
  if (FALSE_WORDS.has(v)) return ok(false);
  return bad(`${showValue(value)} is not a boolean (expected True/False, 1/0, yes/no or Ja/Nej)`);
}

/** `PrimærAnsættelse`: exactly `Ja` or `Nej`; anything else is a bad row (specs/aarhus-los.md, "Person files"). */
export function parseJaNej(value: string): Parsed<boolean> {
  const v = value.trim();
  if (v === 'Ja') return ok(true);
  if (v === 'Nej') return ok(false);
  return bad(`${showValue(v)} is neither Ja nor Nej`);
}

/**
 * The century of a CPR number from its 7th digit and year (CPR-kontoret's table), so that 29 February can be
 * checked against the right year.
 */
function cprCentury(digit7: number, yy: number): number {
  if (digit7 <= 3) return 1900;
  if (digit7 === 4 || digit7 === 9) return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800;
}

/**
 * A CPR number: exactly 10 digits `ddmmyyxxxx` whose first six are a real date. No modulus-11 check: CPR
 * numbers issued since 2007 need not satisfy it. Messages show only the first 6 digits.
 */
export function parseCpr(value: string): Parsed<string> {
  const v = value.trim();
  if (!/^\d{10}$/.test(v)) {
    return bad(`CPR ${showValue(v)} is not 10 digits`);
  }
  const [d, m, yy, digit7] = [+v.slice(0, 2), +v.slice(2, 4), +v.slice(4, 6), Number(v[6])];
  if (!isValidDate(cprCentury(digit7, yy) + yy, m, d)) {
    return bad(`CPR ${redactCpr(v)} does not start with a valid date (ddmmyy)`);
  }
  return ok(v);
}

/** Adds `days` to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
