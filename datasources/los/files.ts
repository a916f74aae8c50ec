/**
 * Which files of the LOS FTP folder a run reads, and in which order (specs/aarhus-los.md, "File names and
 * selection" and "STAM files").
 */
import type { LosIssue } from './values';

/** The delta file kinds in the order a run processes them: Org, then Pers, then Leder; within each, nye/ret/luk. */
export const DELTA_KINDS = [
  'Org_inital', // sic: Aarhus spells it without the second "i"
  'Org_nye',
  'Org_ret',
  'Pers_nye',
  'Pers_ret',
  'Pers_luk',
  'Leder_nye',
  'Leder_ret',
  'Leder_luk',
] as const;
export type LosDeltaKind = (typeof DELTA_KINDS)[number];

/** What a STAM file becomes: classes in a facet, or IT systems. */
export interface StamFileSpec {
  name: string;
  /** The facet its rows become classes of; `null` for the IT system file. */
  facet: string | null;
  uuidColumn: string;
  /** The class title (= user_key), or the IT system's name. */
  textColumn: string;
  /** The IT system's user_key column (IT system file only). */
  userKeyColumn?: string;
  /** Columns the file has that we do not use (kept so the header maps them to one spelling). */
  unusedColumns: readonly string[];
}

/** The fixed STAM files, in the order a run reads them (the spec's table order). */
export const STAM_FILES: readonly StamFileSpec[] = [
  { name: 'STAM_UUID_Enhedstype.csv', facet: 'org_unit_type', uuidColumn: 'EnhedstypeUUID', textColumn: 'Enhedstype', unusedColumns: [] },
  { name: 'STAM_UUID_Engagementstype.csv', facet: 'engagement_type', uuidColumn: 'EngagementstypeUUID', textColumn: 'Engagementstype', unusedColumns: [] },
  { name: 'STAM_UUID_Stillingsbetegnelse.csv', facet: 'engagement_job_function', uuidColumn: 'StillingBetUUID', textColumn: 'Stillingsbetegnelse', unusedColumns: [] },
  { name: 'STAM_UUID_BVN_Stillingsbetegnelse.csv', facet: 'engagement_job_function_bvn', uuidColumn: 'BVNStillingBetUUID', textColumn: 'BVNStillingsbetegnelse', unusedColumns: [] },
  { name: 'STAM_UUID_Lederansvar.csv', facet: 'responsibility', uuidColumn: 'LederansvarUUID', textColumn: 'Lederansvar', unusedColumns: ['Loadtime'] },
  { name: 'STAM_UUID_Lederniveau.csv', facet: 'manager_level', uuidColumn: 'LederniveauUUID', textColumn: 'Lederniveau', unusedColumns: ['Loadtime'] },
  { name: 'STAM_UUID_Ledertype.csv', facet: 'manager_type', uuidColumn: 'LedertypeUUID', textColumn: 'Ledertype', unusedColumns: ['Loadtime'] },
  { name: 'STAM_UUID_Tilknytningsrolle.csv', facet: 'association_type', uuidColumn: 'TilknytningsrolleUUID', textColumn: 'Tilknytningsrolle', unusedColumns: ['Loadtime'] },
  { name: 'STAM_UUID_ITSystem.csv', facet: null, uuidColumn: 'ITSystemUUID', textColumn: 'Name', userKeyColumn: 'Userkey', unusedColumns: [] },
];

/** What a file name says. */
export type LosFileName =
  | { type: 'stam'; spec: StamFileSpec }
  /** `stamp` is `YYYYMMDDHHMMSS` (sortable); `effectiveDate` its date, `YYYY-MM-DD`. */
  | { type: 'delta'; kind: LosDeltaKind; stamp: string; effectiveDate: string }
  /** A known prefix without a valid `_YYYYMMDD_HHMMSS.csv` stamp. */
  | { type: 'bad-stamp'; kind: LosDeltaKind; reason: string }
  | { type: 'unknown' };

const STAMP_RE = /^_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})\.csv$/;

function validStamp(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

/** Reads a file name of the LOS folder. Matching is case-sensitive, as the Aarhus names are fixed. */
export function parseLosFileName(name: string): LosFileName {
  const spec = STAM_FILES.find((s) => s.name === name);
  if (spec) return { type: 'stam', spec };
  // Longest prefix first is not needed: no known prefix is a prefix of another.
  const kind = DELTA_KINDS.find((k) => name.startsWith(k));
  if (!kind) return { type: 'unknown' };
  const m = STAMP_RE.exec(name.slice(kind.length));
  if (!m) return { type: 'bad-stamp', kind, reason: `does not end in _YYYYMMDD_HHMMSS.csv after "${kind}"` };
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (!validStamp(y, mo, d, h, mi, s)) {
    return { type: 'bad-stamp', kind, reason: `the stamp ${m[1]}${m[2]}${m[3]}_${m[4]}${m[5]}${m[6]} is not a valid date and time` };
  }
  return { type: 'delta', kind, stamp: m.slice(1).join(''), effectiveDate: `${m[1]}-${m[2]}-${m[3]}` };
}

/** One entry of the FTP listing. */
export interface LosListingEntry {
  name: string;
  /** Server modification time (MLSD `modify`, UTC). */
  modifiedAt: Date;
  size?: number;
}

export interface SelectedStamFile extends LosListingEntry {
  spec: StamFileSpec;
}

export interface SelectedDeltaFile extends LosListingEntry {
  kind: LosDeltaKind;
  /** `YYYYMMDDHHMMSS` from the name. */
  stamp: string;
  /** The date in the name's stamp, `YYYY-MM-DD`: the date `*_ret`, `*_luk` and `Leder_nye` rows take effect. */
  effectiveDate: string;
}

export interface LosFileSelection {
  /** Selected STAM files, in `STAM_FILES` order. */
  stam: SelectedStamFile[];
  /** Selected delta files in run order: Org_inital first, then by the stamp's date, within a day by kind (`DELTA_KINDS` order), stamp, name. */
  ordered: SelectedDeltaFile[];
  /** Bad stamps (errors) and STAM files missing from the folder (warnings). */
  issues: LosIssue[];
}

/**
 * Picks the files a run must process: those modified (server time, UTC) after the start of the last fully
 * successful import — STAM files too — or every file when there has been none (`null`). Unknown names are
 * ignored. A selected name with a known prefix but a bad stamp is reported and left out; the rest of the
 * run goes on (the old importer stopped). Only selected files are reported, so an old bad file does not
 * raise the same issue on every run.
 *
 * Comparing instants (two `Date`s) rather than local wall-clock times is what keeps DST changes from
 * skipping or repeating files (specs/aarhus-los.md, "Known problems").
 */
export function selectFiles(listing: readonly LosListingEntry[], lastImportStartedAt: Date | null): LosFileSelection {
  const since = lastImportStartedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const stam: SelectedStamFile[] = [];
  const ordered: SelectedDeltaFile[] = [];
  const issues: LosIssue[] = [];
  const present = new Set<string>();

  for (const entry of listing) {
    const parsed = parseLosFileName(entry.name);
    if (parsed.type === 'unknown') continue;
    if (parsed.type === 'stam') present.add(entry.name);
    if (!(entry.modifiedAt.getTime() > since)) continue;
    const base: LosListingEntry = { name: entry.name, modifiedAt: entry.modifiedAt, ...(entry.size !== undefined ? { size: entry.size } : {}) };
    switch (parsed.type) {
      case 'stam':
        stam.push({ ...base, spec: parsed.spec });
        break;
      case 'delta':
        ordered.push({ ...base, kind: parsed.kind, stamp: parsed.stamp, effectiveDate: parsed.effectiveDate });
        break;
      case 'bad-stamp':
        issues.push({ severity: 'error', file: entry.name, message: `File skipped: the name starts with "${parsed.kind}" but ${parsed.reason}` });
        break;
    }
  }

  for (const spec of STAM_FILES) {
    if (!present.has(spec.name)) {
      issues.push({ severity: 'warning', file: spec.name, message: 'STAM file not found in the LOS folder; skipped' });
    }
  }

  const stamIndex = (f: SelectedStamFile) => STAM_FILES.indexOf(f.spec);
  stam.sort((a, b) => stamIndex(a) - stamIndex(b));
  const kindIndex = (k: LosDeltaKind) => DELTA_KINDS.indexOf(k);
  // Day by day: Org_inital (the historical load) first, then each delivery day in the order of the date in its
  // stamp, and within a day the spec's order (Org → Pers → Leder; nye, ret, luk). A run catching up several
  // days thus ends as the daily runs would have: kind-first order would apply day 3's Pers_ret before day 2's
  // Pers_luk and leave a re-opened engagement ended.
  const initial = (f: SelectedDeltaFile) => (f.kind === 'Org_inital' ? 0 : 1);
  ordered.sort(
    (a, b) => initial(a) - initial(b) || compare(a.effectiveDate, b.effectiveDate) || kindIndex(a.kind) - kindIndex(b.kind)
      || compare(a.stamp, b.stamp) || compare(a.name, b.name),
  );
  return { stam, ordered, issues };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
