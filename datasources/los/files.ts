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
  {
    name: 'STAM_UUID_Enhedstype.csv',
    facet: 'org_unit_type',
    uuidColumn: 'EnhedstypeUUID',
    textColumn: 'Enhedstype',
    unusedColumns: [],
  },
  {
    name: 'STAM_UUID_Engagementstype.csv',
    facet: 'engagement_type',
    uuidColumn: 'EngagementstypeUUID',
    textColumn: 'Engagementstype',
    unusedColumns: [],
  },
  {
    name: 'STAM_UUID_Stillingsbetegnelse.csv',
    facet: 'engagement_job_function',
    uuidColumn: 'StillingBetUUID',
    textColumn: 'Stillingsbetegnelse',
    unusedColumns: [],
  },
  {
    name: 'STAM_UUID_BVN_Stillingsbetegnelse.csv',
    facet: 'engagement_job_function_bvn',
    uuidColumn: 'BVNStillingBetUUID',
    textColumn: 'BVNStillingsbetegnelse',
    unusedColumns: [],
  },
  {
    name: 'STAM_UUID_Lederansvar.csv',
    facet: 'responsibility',
    uuidColumn: 'LederansvarUUID',
    textColumn: 'Lederansvar',
    unusedColumns: ['Loadtime'],
  },
  {
    name: 'STAM_UUID_Lederniveau.csv',
    facet: 'manager_level',
    uuidColumn: 'LederniveauUUID',
    textColumn: 'Lederniveau',
    unusedColumns: ['Loadtime'],
  },
  {
    name: 'STAM_UUID_Ledertype.csv',
    facet: 'manager_type',
    uuidColumn: 'LedertypeUUID',
    textColumn: 'Ledertype',
    unusedColumns: ['Loadtime'],
  },
  {
    name: 'STAM_UUID_Tilknytningsrolle.csv',
    facet: 'association_type',
    uuidColumn: 'TilknytningsrolleUUID',
    textColumn: 'Tilknytningsrolle',
    unusedColumns: ['Loadtime'],
  },
  {
    name: 'STAM_UUID_ITSystem.csv',
    facet: null,
    uuidColumn: 'ITSystemUUID',
    textColumn: 'Name',
    userKeyColumn: 'Userkey',
    unusedColumns: [],
  },
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
  const [y = NaN, mo = NaN, d = NaN, h = NaN, mi = NaN, s = NaN] = m.slice(1).map(Number);
  if (!validStamp(y, mo, d, h, mi, s)) {
    return {
      type: 'bad-stamp',
      kind,
      reason: `the stamp ${m[1]}${m[2]}${m[3]}_${m[4]}${m[5]}${m[6]} is not a valid date and time`,
    };
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

/** A file of the folder that a run met before (table los_files): applied, or refused with an issue. */
export interface RecordedLosFile {
  name: string;
  /** Bytes; null for a record written before sizes were kept (then name and time alone identify the file). */
  size: number | null;
  modifiedAt: Date;
  outcome: 'applied' | 'refused';
}

/** A file the run does not apply, and says so once (then it is recorded as refused and not reported again). */
export interface RefusedLosFile extends LosListingEntry {
  reason: string;
}

export interface LosFileSelection {
  /** Selected STAM files, in `STAM_FILES` order. */
  stam: SelectedStamFile[];
  /** Selected delta files in run order: Org_inital first, then by the stamp's date, within a day by kind (`DELTA_KINDS` order), stamp, name. */
  ordered: SelectedDeltaFile[];
  /** New files that are not applied: a bad stamp, or a delta file "in the past" (see selectFiles). */
  refused: RefusedLosFile[];
  /** Refused files (errors) and STAM files missing from the folder (warnings). */
  issues: LosIssue[];
}

const initial = (f: { kind: LosDeltaKind }) => (f.kind === 'Org_inital' ? 0 : 1);
const kindIndex = (k: LosDeltaKind) => DELTA_KINDS.indexOf(k);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type Placed = { name: string; kind: LosDeltaKind; stamp: string; effectiveDate: string };
/**
 * The spec's run order of delta files. Day by day: Org_inital (the historical load) first, then each delivery
 * day in the order of the date in its stamp, and within a day the spec's order (Org → Pers → Leder; nye, ret,
 * luk). A run catching up several days thus ends as the daily runs would have: kind-first order would apply
 * day 3's Pers_ret before day 2's Pers_luk and leave a re-opened engagement ended.
 */
const runOrder = (a: Placed, b: Placed) =>
  initial(a) - initial(b) ||
  compare(a.effectiveDate, b.effectiveDate) ||
  kindIndex(a.kind) - kindIndex(b.kind) ||
  compare(a.stamp, b.stamp) ||
  compare(a.name, b.name);

/** The same file as a record: name, modification time to the millisecond, and size (when both know it). */
function sameFile(entry: LosListingEntry, r: RecordedLosFile): boolean {
  return (
    r.name === entry.name &&
    r.modifiedAt.getTime() === entry.modifiedAt.getTime() &&
    (r.size === null || entry.size === undefined || r.size === entry.size)
  );
}

/**
 * Picks the files a run must process. The truth is the set of files already met (`recorded`: name, size and
 * server modification time), never a clock: every file of the folder not met before is considered, whatever its
 * modification time says (a server clock behind ours, `rsync -t` and `scp -p` keep old times). Unknown names are
 * ignored.
 *
 * - A STAM file not met before is applied (STAM files have no date: each is the whole current list).
 * - A delta file not met before is applied in the spec's run order — unless it is "in the past": it would come
 *   before a delta file already applied in that order (an earlier date in its stamp, or the same date and an
 *   earlier place in the day). Such a file is refused with an error: the delta rules replace an object's state
 *   from a date on, so applying an older file after a newer one would silently put the older state back over the
 *   newer changes (an old Org_inital would replace whole histories). Its changes must be delivered again in a
 *   new file. The README ("LOS import") has the reasoning.
 * - A name with a known prefix but a bad stamp is refused with an error (the old importer stopped the run).
 *
 * A refused file is recorded by the caller, so it is reported once, not on every run; the same name delivered
 * again with another size or time is a new file and is considered again.
 */
export function selectFiles(
  listing: readonly LosListingEntry[],
  recorded: readonly RecordedLosFile[] | null,
): LosFileSelection {
  const known = new Map<string, RecordedLosFile>();
  for (const r of recorded ?? []) known.set(r.name, r);
  // The last applied delta file in run order: nothing new may be applied before it.
  let latest: Placed | undefined;
  for (const r of recorded ?? []) {
    if (r.outcome !== 'applied') continue;
    const parsed = parseLosFileName(r.name);
    if (parsed.type !== 'delta') continue;
    const placed: Placed = {
      name: r.name,
      kind: parsed.kind,
      stamp: parsed.stamp,
      effectiveDate: parsed.effectiveDate,
    };
    if (!latest || runOrder(placed, latest) > 0) latest = placed;
  }
  const stam: SelectedStamFile[] = [];
  const ordered: SelectedDeltaFile[] = [];
  const refused: RefusedLosFile[] = [];
  const issues: LosIssue[] = [];
  const present = new Set<string>();

  for (const entry of listing) {
    const parsed = parseLosFileName(entry.name);
    if (parsed.type === 'unknown') continue;
    if (parsed.type === 'stam') present.add(entry.name);
    const seen = known.get(entry.name);
    if (seen && sameFile(entry, seen)) continue;
    const base: LosListingEntry = {
      name: entry.name,
      modifiedAt: entry.modifiedAt,
      ...(entry.size !== undefined ? { size: entry.size } : {}),
    };
    switch (parsed.type) {
      case 'stam':
        stam.push({ ...base, spec: parsed.spec });
        break;
      case 'delta': {
        const file: SelectedDeltaFile = {
          ...base,
          kind: parsed.kind,
          stamp: parsed.stamp,
          effectiveDate: parsed.effectiveDate,
        };
        if (latest && runOrder(file, latest) < 0) {
          const reason =
            `File not applied: it is dated ${file.effectiveDate} (stamp ${file.stamp}) and comes before ${latest.name}, ` +
            'which is already applied; applying it now would put its older state back over the later changes. ' +
            `Have its changes delivered again in a new file dated after ${latest.effectiveDate}.`;
          refused.push({ ...base, reason });
          issues.push({ severity: 'error', file: entry.name, message: reason });
        } else {
          ordered.push(file);
        }
        break;
      }
      case 'bad-stamp': {
        const reason = `File skipped: the name starts with "${parsed.kind}" but ${parsed.reason}`;
        refused.push({ ...base, reason });
        issues.push({ severity: 'error', file: entry.name, message: reason });
        break;
      }
    }
  }

  for (const spec of STAM_FILES) {
    if (!present.has(spec.name)) {
      issues.push({ severity: 'warning', file: spec.name, message: 'STAM file not found in the LOS folder; skipped' });
    }
  }

  const stamIndex = (f: SelectedStamFile) => STAM_FILES.indexOf(f.spec);
  stam.sort((a, b) => stamIndex(a) - stamIndex(b));
  ordered.sort(runOrder);
  return { stam, ordered, refused, issues };
}
