/**
 * THE place that decides what counts as a national id (issue 9, item 1). Everything else — the GraphQL
 * resolvers, the error and log redaction, the LOS and FS code — asks here instead of keeping its own list or
 * regular expression, so one change here changes every door at once.
 *
 * A national id is personal data: a Norwegian fødselsnummer (or D-/H-number), a Danish CPR number, a passport
 * number or a social security number. A caller sees one only with scope `pii`; without it, an entry that is one
 * is left out, and free text has each one cut to its first six digits (the birth date: at most that may be
 * shown or logged, specs/aarhus-los.md).
 *
 * Depends on nothing of ours (core/ sits below every other folder).
 */

/**
 * Type names that mark a value as a national id, in every spelling a source uses:
 *  - Cerebrum REST (specs/cerebrum-rest.md; Cerebrum's ExternalIdType map): norwegianNationalId (NO_BIRTHNO),
 *    passportNumber (PASSNR), socialSecurityNumber (SSN); older servers send the Cerebrum codes themselves;
 *  - FS GraphQL (specs/fs.md): fodselsnummer;
 *  - LOS (specs/aarhus-los.md): the CPR column;
 *  - UNI-Login WS10 (specs/unilogin-ws10.md): CivilRegistrationNumber;
 *  - our own model: nationalId.
 * Compared without case and without separators (`NO_BIRTHNO` = `nobirthno`).
 */
export const NATIONAL_ID_TYPE_NAMES = [
  'norwegianNationalId',
  'NO_BIRTHNO',
  'passportNumber',
  'PASSNR',
  'socialSecurityNumber',
  'SSN',
  'fodselsnummer',
  'fnr',
  'CPR',
  'cpr',
  'cprNumber',
  'CivilRegistrationNumber',
  'nationalId',
] as const;

const normaliseType = (type: string) => type.toLowerCase().replace(/[^a-z0-9]/g, '');
const NATIONAL_ID_TYPES: ReadonlySet<string> = new Set(NATIONAL_ID_TYPE_NAMES.map(normaliseType));

/** The Cerebrum REST type of the Norwegian fødselsnummer: the one id the sources are matched by. */
export const NORWEGIAN_NATIONAL_ID_TYPE = 'norwegianNationalId';

/** True when values of this type (external id type, column, JSON key) are national ids. */
export function isNationalIdType(type: string | null | undefined): boolean {
  return type != null && NATIONAL_ID_TYPES.has(normaliseType(type));
}

/**
 * A run of 10 or 11 digits, the first six optionally followed by a dash or a space (`ddmmyy-xxxx`), not part
 * of a longer run of digits. The date check below decides whether such a run is a national id.
 */
const CANDIDATE = /(?<!\d)(\d{6})[- ]?(\d{4,5})(?!\d)/g;

/**
 * Whether `ddmmyy` can begin a national id of `length` digits. A fødselsnummer (11): day 01–31, or +40 (a
 * D-number); month 01–12, or +40 (an H-number), or +80 (synthetic test numbers, Skatteetaten's Tenor). A CPR
 * number (10): day 01–31, or +60 (a replacement number); month 01–12. Deliberately loose (no month lengths, no
 * control digits: numbers issued from 2032 change them): a false alarm costs six hidden digits, a miss leaks
 * a person.
 */
function plausibleDate(ddmmyy: string, length: number): boolean {
  const day = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const inRange = (n: number, from: number, to: number) => n >= from && n <= to;
  if (length === 11) {
    return (
      (inRange(day, 1, 31) || inRange(day, 41, 71)) &&
      (inRange(month, 1, 12) || inRange(month, 41, 52) || inRange(month, 81, 92))
    );
  }
  return length === 10 && (inRange(day, 1, 31) || inRange(day, 61, 91)) && inRange(month, 1, 12);
}

/** True when the whole value (spaces around it aside) is shaped like a fødselsnummer or a CPR number. */
export function isNationalIdValue(value: string | null | undefined): boolean {
  if (value == null) return false;
  const m = /^(\d{6})[- ]?(\d{4,5})$/.exec(value.trim());
  if (m === null) return false;
  const [, date = '', serial = ''] = m; // both groups are required: set on every match
  return plausibleDate(date, 6 + serial.length);
}

/** True when the text holds anything shaped like a fødselsnummer or a CPR number. */
export function containsNationalId(text: string): boolean {
  for (const [, date = '', serial = ''] of text.matchAll(CANDIDATE))
    if (plausibleDate(date, 6 + serial.length)) return true;
  return false;
}

/**
 * A national id as it may be shown or logged: its first six digits (the birth date), then one `*` per hidden
 * digit (a CPR `010190****`, a fødselsnummer `010170*****`), so the kind of number stays recognisable.
 */
export function maskNationalId(nationalId: string): string {
  const digits = nationalId.replace(/\D/g, '');
  return `${digits.slice(0, 6)}${'*'.repeat(Math.max(4, digits.length - 6))}`;
}

/** Free text with every fødselsnummer or CPR number in it cut to its first six digits (see maskNationalId). */
export function redactNationalIds(text: string): string {
  return text.replace(CANDIDATE, (whole, head: string, tail: string) =>
    plausibleDate(head, 6 + tail.length) ? maskNationalId(head + tail) : whole,
  );
}

/** True for an entry (external id, address, column) that is a national id: by its type, or by its value. */
export function isNationalIdEntry(entry: { type?: string | null; value?: string | null }): boolean {
  return isNationalIdType(entry.type) || isNationalIdValue(entry.value);
}

/** The entries that are no national id (see isNationalIdEntry): what a caller without scope pii may see. */
export function withoutNationalIds<T extends { type?: string | null; value?: string | null }>(
  entries: readonly T[],
): T[] {
  return entries.filter((e) => !isNationalIdEntry(e));
}

/**
 * A JSON value (a job's result details, a stored record) as a caller without scope pii may see it: object keys
 * that name a national id type or are one are left out with their values, strings that are a national id are left out
 * (from arrays and objects; null where a value must stay), and free text has each one masked.
 */
export function scrubNationalIds(value: unknown): unknown {
  if (typeof value === 'string') return isNationalIdValue(value) ? null : redactNationalIds(value);
  if (Array.isArray(value)) {
    return value.filter((v) => !(typeof v === 'string' && isNationalIdValue(v))).map(scrubNationalIds);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isNationalIdType(k) || isNationalIdValue(k) || (typeof v === 'string' && isNationalIdValue(v))) continue;
      out[redactNationalIds(k)] = scrubNationalIds(v);
    }
    return out;
  }
  return value;
}
