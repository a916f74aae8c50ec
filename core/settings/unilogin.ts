/**
 * Parsing of the UNI-Login export's own settings (core/config.ts calls these and turns a thrown SettingError
 * into a ConfigError naming the variable). Pure functions, no I/O.
 */

/** Employee.type of the import document (seed 003, "Employee": one of lærer, tap, pæd). */
export type EmployeeType = 'lærer' | 'tap' | 'pæd';
export const EMPLOYEE_TYPES: readonly EmployeeType[] = ['lærer', 'tap', 'pæd'];

/** A malformed setting; the message says what is wrong without the variable name (config.ts adds it). */
export class SettingError extends Error {
  override readonly name = 'SettingError';
}

/**
 * Where the exported persons are taken from: LOS units (their whole subtree, as of the day of the export), or
 * the whole LOS organisation.
 */
export type UniLoginRoots = { kind: 'los-all' } | { kind: 'los'; uuids: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * UNILOGIN_ROOT_OU: `los:<uuid>[,los:<uuid>…]`, or `los:*` for every root unit of the LOS organisation.
 * Cerebrum units are refused: Cerebrum REST has no unit-tree endpoint (only stedkoder), so a subtree could only
 * be guessed from stedkode prefixes; the export supports LOS roots only.
 */
export function parseRootOus(raw: string | undefined): UniLoginRoots | undefined {
  if (raw === undefined) return undefined;
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  if (entries.includes('los:*')) {
    if (entries.length > 1)
      throw new SettingError('"los:*" (the whole LOS organisation) cannot be combined with other units');
    return { kind: 'los-all' };
  }
  const uuids: string[] = [];
  for (const e of entries) {
    const [, scheme = '', id = ''] = /^([a-z]+):(.*)$/i.exec(e) ?? [];
    const prefix = scheme.toLowerCase();
    if (prefix === 'cerebrum') {
      throw new SettingError(
        `"${e}": only LOS units are supported (Cerebrum has no unit tree to take a subtree from); use los:<uuid> or los:*`,
      );
    }
    if (prefix !== 'los' || !UUID.test(id)) {
      throw new SettingError(
        `"${e}" is not a LOS unit id (expected los:<uuid>, several separated by commas, or los:*)`,
      );
    }
    uuids.push(id.toLowerCase());
  }
  return { kind: 'los', uuids: [...new Set(uuids)] };
}

/** Job function (LOS class uuid, user key or title; lower-cased) → Employee.type, with the type of the rest. */
export interface EmployeeTypeMapping {
  byJobFunction: ReadonlyMap<string, EmployeeType>;
  /** For job functions the mapping does not name. Default `tap`. */
  fallback: EmployeeType;
}

export const DEFAULT_EMPLOYEE_TYPES: EmployeeTypeMapping = { byJobFunction: new Map(), fallback: 'tap' };

/** Accepts the ASCII spellings too, since environment files are not always UTF-8 safe. */
function employeeType(value: string): EmployeeType | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'lærer' || v === 'laerer') return 'lærer';
  if (v === 'pæd' || v === 'paed') return 'pæd';
  if (v === 'tap') return 'tap';
  return undefined;
}

/**
 * UNILOGIN_EMPLOYEE_TYPES: `<job function>=<type>;…` where the job function is a LOS Stillingsbetegnelse (its
 * title, user key or class uuid, matched without regard to case) and the type is lærer, pæd or tap (laerer and
 * paed also accepted); `*=<type>` sets the type of every other job function (default tap). Example:
 * `Lærer=lærer;Skoleleder=lærer;Pædagog=pæd;Pædagogmedhjælper=pæd`.
 */
export function parseEmployeeTypes(raw: string | undefined): EmployeeTypeMapping {
  if (raw === undefined || raw.trim() === '') return DEFAULT_EMPLOYEE_TYPES;
  const byJobFunction = new Map<string, EmployeeType>();
  let fallback: EmployeeType = 'tap';
  raw
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .forEach((entry, i) => {
      const eq = entry.lastIndexOf('=');
      const key = eq > 0 ? entry.slice(0, eq).trim() : '';
      const type = eq > 0 ? employeeType(entry.slice(eq + 1)) : undefined;
      if (!key || !type) {
        throw new SettingError(`entry ${i + 1} ("${entry}") is not "<job function>=<lærer|pæd|tap>"`);
      }
      if (key === '*') fallback = type;
      else byJobFunction.set(key.toLowerCase(), type);
    });
  return { byJobFunction, fallback };
}
