/**
 * The FS import's configuration (config/fs-import.json, or the file FS_IMPORT_CONFIG names): the parts of the
 * seed 001 rules that are an institution's choice, and the studconfig.xml-like profiles that map programmes
 * and EVU courses to groups, spreads, a home area and an e-mail domain.
 *
 * `parseFsImportConfig` validates a parsed JSON value and names the exact place of every problem
 * (`profiles[2].select.levelMin: expected a whole number`); `loadFsImportConfig` reads the file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unsafeSegmentReason } from '../../../datasources/cerebrum/path';
import { InternalError } from '../../../core/errors';

/** Selects programmes (or EVU courses) for a profile. Every given selector must match; none given = all programmes. */
export interface ProfileSelector {
  /** Programme codes (studieprogramkode), exact. */
  programmes?: string[];
  /** Stedkode prefixes of the programme's responsible unit ('15' = the whole faculty 15, '150500' = one unit). */
  stedkodes?: string[];
  /** Inclusive studienivåkode range (280 bachelor, 350 master, > 350 doctorate). */
  levelMin?: number;
  levelMax?: number;
  /** true: the profile is for EVU courses instead of programmes (optionally only `evuCourses`). */
  evu?: boolean;
  /** EVU course codes, exact (implies evu). */
  evuCourses?: string[];
}

export interface Profile {
  name: string;
  select: ProfileSelector;
  /** Groups the user is made a member of (2.0: "alle grupper angitt i studconfig.xml"). */
  groups: string[];
  /** Spreads (Cerebrum contexts) the user gets. Reported in the plan: Cerebrum REST cannot set them. */
  spreads: string[];
  /** Home area (disk path prefix), single-valued: seed 2.1 chooses when profiles disagree. */
  homeArea: string | null;
  /** E-mail domain of the primary address, single-valued: seed 2.1 chooses when profiles disagree. */
  emailDomain: string | null;
}

export interface FsImportConfig {
  /** studierettstatus codes that make an admission "lovlig" (seed 1.0). No default: the institution decides. */
  approvedStudyRightStatuses: string[];
  /** regformkoder that count as semester registration (seed 2.0 rule 1). Default DOKTORREG, MANUELL, STUDWEB. */
  semesterRegistrationForms: string[];
  /** Invoice line types that pay the printer fee (seed 2.3). Default PAPIRHEL, PAPIRDEL, PAPIRPPU. */
  printerFeeTypes: string[];
  /** The quarantine that blocks a student user (2.5.1): its Cerebrum type and the comment written with it. */
  quarantine: { type: string; comment: string };
  /**
   * Groups whose name starts with this are "auto-grupper" (2.0): their account members are exactly the users
   * the rules put there; other account members are removed. Groups in profiles without it are only added to.
   */
  autoGroupPrefix: string;
  /**
   * Seed 2.1 rule 3: when programme and course levels both tie, the home area is the shared /uio/platon/div-{h|l}N:
   * `high` when the tied studienivåkode is at least `highFromLevel` (default 300: master and doctorate, as
   * AutoStud's DEFAULT_HIGH_DISK), else `low`.
   */
  sharedHomeArea: { high: string; low: string; highFromLevel: number };
  /** EVU windows in days (seed 1.0 "14 dager", 2.0 "om cirka to uker", 2.5.2 "ca. to uker"). Default 14 and 14. */
  evu: { daysBeforeStart: number; daysAfterEnd: number };
  /**
   * A run is refused (PermanentSyncError) when it would see this many percent fewer students than the last run
   * (an FS outage answering with nothing would otherwise block everyone on 1 October). Default 20; 100 = off.
   */
  maxStudentDropPercent: number;
  profiles: Profile[];
}

export class FsImportConfigError extends InternalError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      'FS_IMPORT_CONFIG_INVALID',
      `${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`,
    );
    this.name = 'FsImportConfigError';
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A validating reader that collects every problem with its path instead of stopping at the first. */
class Reader {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  known(o: Obj, path: string, keys: string[]): void {
    for (const k of Object.keys(o)) {
      if (k.startsWith('$') || k.startsWith('_')) continue; // $comment, _doc: documentation
      if (!keys.includes(k)) this.problem(path ? `${path}.${k}` : k, `unknown setting (known: ${keys.join(', ')})`);
    }
  }

  string(o: Obj, key: string, path: string, dflt?: string): string {
    const v = o[key];
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'string' || v.trim() === '') {
      this.problem(
        `${path}${key}`,
        v === undefined
          ? 'missing: a non-empty string is required'
          : `expected a non-empty string, got ${JSON.stringify(v)}`,
      );
      return dflt ?? '';
    }
    return v.trim();
  }

  optString(o: Obj, key: string, path: string): string | null {
    if (o[key] === undefined || o[key] === null) return null;
    return this.string(o, key, path);
  }

  strings(o: Obj, key: string, path: string, dflt?: string[]): string[] {
    const v = o[key];
    if (v === undefined && dflt !== undefined) return dflt;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.trim() !== '')) {
      this.problem(
        `${path}${key}`,
        v === undefined ? 'missing: a list of strings is required' : 'expected a list of non-empty strings',
      );
      return dflt ?? [];
    }
    return v.map((s: string) => s.trim());
  }

  int(o: Obj, key: string, path: string, dflt: number | undefined, min: number, max: number): number {
    const v = o[key];
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.problem(`${path}${key}`, `expected a whole number between ${min} and ${max}, got ${JSON.stringify(v)}`);
      return dflt ?? min;
    }
    return v;
  }

  object(o: Obj, key: string, path: string, required: boolean): Obj {
    const v = o[key];
    if (v === undefined && !required) return {};
    if (!isObj(v)) {
      this.problem(`${path}${key}`, v === undefined ? 'missing: an object is required' : 'expected an object');
      return {};
    }
    return v;
  }
}

const STEDKODE_PREFIX = /^\d{1,6}$/;

function parseProfile(r: Reader, raw: unknown, i: number, seen: Set<string>): Profile | null {
  const path = `profiles[${i}]`;
  if (!isObj(raw)) {
    r.problem(path, 'expected an object');
    return null;
  }
  r.known(raw, path, ['name', 'select', 'groups', 'spreads', 'homeArea', 'emailDomain']);
  const name = r.string(raw, 'name', `${path}.`);
  if (seen.has(name)) r.problem(`${path}.name`, `"${name}" is used by an earlier profile: names must be unique`);
  seen.add(name);
  const s = r.object(raw, 'select', `${path}.`, true);
  r.known(s, `${path}.select`, ['programmes', 'stedkodes', 'levelMin', 'levelMax', 'evu', 'evuCourses']);
  const sp = `${path}.select.`;
  const select: ProfileSelector = {};
  if (s.programmes !== undefined) select.programmes = r.strings(s, 'programmes', sp);
  if (s.stedkodes !== undefined) {
    select.stedkodes = r.strings(s, 'stedkodes', sp);
    select.stedkodes.forEach((k, j) => {
      if (!STEDKODE_PREFIX.test(k)) r.problem(`${sp}stedkodes[${j}]`, `"${k}" is not a stedkode prefix (1–6 digits)`);
    });
  }
  if (s.levelMin !== undefined) select.levelMin = r.int(s, 'levelMin', sp, undefined, 0, 999);
  if (s.levelMax !== undefined) select.levelMax = r.int(s, 'levelMax', sp, undefined, 0, 999);
  if (select.levelMin !== undefined && select.levelMax !== undefined && select.levelMin > select.levelMax) {
    r.problem(`${sp}levelMin`, `is greater than levelMax (${select.levelMin} > ${select.levelMax})`);
  }
  if (s.evu !== undefined) {
    if (typeof s.evu !== 'boolean') r.problem(`${sp}evu`, 'expected true or false');
    else select.evu = s.evu;
  }
  if (s.evuCourses !== undefined) {
    select.evuCourses = r.strings(s, 'evuCourses', sp);
    select.evu = true;
  }
  if (select.evu && (select.programmes || select.levelMin !== undefined || select.levelMax !== undefined)) {
    r.problem(`${path}.select`, 'an EVU profile (evu/evuCourses) cannot also select programmes or levels');
  }
  const profile: Profile = {
    name,
    select,
    groups: r.strings(raw, 'groups', `${path}.`, []),
    spreads: r.strings(raw, 'spreads', `${path}.`, []),
    homeArea: r.optString(raw, 'homeArea', `${path}.`),
    emailDomain: r.optString(raw, 'emailDomain', `${path}.`),
  };
  profile.groups.forEach((g, j) => {
    const reason = unsafeSegmentReason(g);
    if (reason) r.problem(`${path}.groups[${j}]`, `${JSON.stringify(g)} ${reason}: not a Cerebrum group name`);
  });
  if (profile.emailDomain && !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(profile.emailDomain)) {
    r.problem(`${path}.emailDomain`, `"${profile.emailDomain}" is not a domain name (e.g. "student.uio.no")`);
  }
  return profile;
}

/** Validates a parsed configuration; throws FsImportConfigError listing every problem. */
export function parseFsImportConfig(raw: unknown, source = 'FS import configuration'): FsImportConfig {
  const r = new Reader();
  if (!isObj(raw)) throw new FsImportConfigError(source, ['the file must hold a JSON object']);
  r.known(raw, '', [
    'approvedStudyRightStatuses',
    'semesterRegistrationForms',
    'printerFeeTypes',
    'quarantine',
    'autoGroupPrefix',
    'sharedHomeArea',
    'evu',
    'maxStudentDropPercent',
    'profiles',
  ]);
  const q = r.object(raw, 'quarantine', '', true);
  r.known(q, 'quarantine', ['type', 'comment']);
  const shared = r.object(raw, 'sharedHomeArea', '', true);
  r.known(shared, 'sharedHomeArea', ['high', 'low', 'highFromLevel']);
  const evu = r.object(raw, 'evu', '', false);
  r.known(evu, 'evu', ['daysBeforeStart', 'daysAfterEnd']);
  const cfg: FsImportConfig = {
    approvedStudyRightStatuses: r.strings(raw, 'approvedStudyRightStatuses', ''),
    semesterRegistrationForms: r.strings(raw, 'semesterRegistrationForms', '', ['DOKTORREG', 'MANUELL', 'STUDWEB']),
    printerFeeTypes: r.strings(raw, 'printerFeeTypes', '', ['PAPIRHEL', 'PAPIRDEL', 'PAPIRPPU']),
    quarantine: {
      type: r.string(q, 'type', 'quarantine.'),
      comment: r.string(q, 'comment', 'quarantine.', 'Ikke student (FS-import, 2.5.1)'),
    },
    autoGroupPrefix: r.string(raw, 'autoGroupPrefix', ''),
    sharedHomeArea: {
      high: r.string(shared, 'high', 'sharedHomeArea.'),
      low: r.string(shared, 'low', 'sharedHomeArea.'),
      highFromLevel: r.int(shared, 'highFromLevel', 'sharedHomeArea.', 300, 0, 999),
    },
    evu: {
      daysBeforeStart: r.int(evu, 'daysBeforeStart', 'evu.', 14, 0, 365),
      daysAfterEnd: r.int(evu, 'daysAfterEnd', 'evu.', 14, 0, 365),
    },
    maxStudentDropPercent: r.int(raw, 'maxStudentDropPercent', '', 20, 0, 100),
    profiles: [],
  };
  const badType = unsafeSegmentReason(cfg.quarantine.type);
  if (cfg.quarantine.type && badType)
    r.problem('quarantine.type', `${JSON.stringify(cfg.quarantine.type)} ${badType}: not a Cerebrum quarantine type`);
  if (cfg.approvedStudyRightStatuses.length === 0 && raw.approvedStudyRightStatuses !== undefined) {
    r.problem(
      'approvedStudyRightStatuses',
      'is empty: no admission would be "lovlig" and nobody would be imported as a student',
    );
  }
  if (!Array.isArray(raw.profiles)) {
    r.problem('profiles', raw.profiles === undefined ? 'missing: a list of profiles is required' : 'expected a list');
  } else {
    const seen = new Set<string>();
    raw.profiles.forEach((p, i) => {
      const profile = parseProfile(r, p, i, seen);
      if (profile) cfg.profiles.push(profile);
    });
  }
  if (r.problems.length > 0) throw new FsImportConfigError(source, r.problems);
  return cfg;
}

/** Reads and validates the configuration file (relative paths from the working directory). */
export function loadFsImportConfig(path: string): FsImportConfig {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FsImportConfigError(full, [
      code === 'ENOENT'
        ? 'file not found: set FS_IMPORT_CONFIG to the FS import configuration (default config/fs-import.json)'
        : `cannot read: ${(e as Error).message}`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FsImportConfigError(full, [`not valid JSON: ${(e as Error).message}`]);
  }
  return parseFsImportConfig(json, full);
}
