/**
 * Settings, read from the environment and validated once at start-up (design/runtime.md names them).
 * A present but malformed setting stops start-up with a message that names the variable; secrets are
 * never echoed back in those messages.
 */
import { createPublicKey } from 'node:crypto';
import {
  SettingError, parseEmployeeTypes, parseRootOus, type EmployeeTypeMapping, type UniLoginRoots,
} from '../datasources/unilogin/settings';

export type Scope = 'read' | 'pii' | 'sync';
export const SCOPES: readonly Scope[] = ['read', 'pii', 'sync'];

export interface Config {
  /** HTTP port. Default 4000. */
  port: number;
  /** BullMQ's Redis. Default redis://127.0.0.1:6379. */
  redisUrl: string;
  /** PostgreSQL connection string; unset = embedded PGlite under dataDir. */
  databaseUrl?: string;
  /** Embedded store and exported files. Default ./data. */
  dataDir: string;
  /** Bearer token → scopes. undefined = API_TOKENS unset (see `anonymousScopes`). */
  apiTokens?: Map<string, Set<Scope>>;
  /** Scopes of a caller without a token when API_TOKENS is unset: demo = read+sync, serve = none (401). */
  anonymousScopes: Set<Scope>;
  cerebrum?: { url: string; apiKey?: string; apiKeyHeader: string; concurrency: number; timeoutMs: number; retries: number };
  /** Most requests in flight to Cerebrum at once, per process. Default 16. */
  cerebrumConcurrency: number;
  /**
   * Cerebrum change events over AMQP (README "Cerebrum change events"); undefined = CEREBRUM_EVENTS_URL unset: no events.
   * exchange: CEREBRUM_EVENTS_EXCHANGE, default `cerebrum` (durable topic exchange, asserted). binding:
   * CEREBRUM_EVENTS_BINDING, default `#`. jwtKey: CEREBRUM_EVENTS_JWT_KEY, an HS256 secret or a PEM public key;
   * default unset (JSON and unverified JWT bodies accepted); when set only messages that verify are accepted.
   */
  cerebrumEvents?: { url: string; exchange: string; binding: string; jwtKey?: string };
  /**
   * The cross-request Cerebrum cache: seconds an answer may be reused (CEREBRUM_CACHE_TTL_S). Default 900 with
   * CEREBRUM_EVENTS_URL set; without events the cache is off (undefined) unless set. 0 = off.
   */
  cerebrumCacheTtlS?: number;
  /** Most answers the Cerebrum cache holds (least recently used go first), CEREBRUM_CACHE_MAX_ENTRIES. Default 50000. */
  cerebrumCacheMaxEntries: number;
  fs?: { url: string; username?: string; password?: string };
  /** FS_IMPORT_CONFIG: the FS import's rules configuration (JSON, see README "FS import"). Default config/fs-import.json. */
  fsImportConfig: string;
  losFtpUrl?: string;
  /** DAR address wash API. Default https://api.dataforsyningen.dk */
  darUrl: string;
  /** Days a DAR answer is reused by later LOS imports. Default 30; 0 = ask again every run. */
  darCacheDays: number;
  unilogin?: {
    url: string;
    user?: string;
    password?: string;
    institution?: string;
    source?: string;
    /** UNILOGIN_ROOT_OU: the LOS subtree(s) whose persons are exported; unset = the export refuses to run. */
    rootOus?: UniLoginRoots;
    /** UNILOGIN_EMPLOYEE_TYPES: job function → Employee.type (lærer/tap/pæd). Default: everyone `tap`. */
    employeeTypes: EmployeeTypeMapping;
    /** UNILOGIN_WSDL: path or URL of the WSDL the client reads. Default: the bundled datasources/unilogin/schema/ws10.wsdl. */
    wsdl?: string;
    /** UNILOGIN_TIMEOUT_MS: longest wait for one upload's answer. Default 600000 (a full upload is large). */
    timeoutMs: number;
  };
  /** CRISTIN_INSTITUTION: the Cristin institusjonsnr (digits, e.g. 185); unset = the Cristin export fails with a clear message. */
  cristinInstitution?: string;
  /** CRISTIN_ROOT_OU: Cerebrum OU entity id that names the institution in the Cristin export. Default unset (unit 000000's name, if any). */
  cristinRootOu?: string;
  /**
   * Most entity representations one query may ask for through `_entities` (Apollo Federation), from
   * MAX_ENTITY_REPRESENTATIONS. Default 1000. Each one also counts against MAX_QUERY_COST like an aliased `node`.
   */
  maxEntityRepresentations: number;
  /** `npm run start:supergraph`: port of the demo supergraph gateway, from SUPERGRAPH_PORT. Default 4001. */
  supergraphPort: number;
  /** Cron schedules per sync kind, from SYNC_SCHEDULES ("LOS_IMPORT=0 2 * * *;..."). */
  syncSchedules: Map<string, string>;
  /** Time zone for `at` defaults and schedules. Default Europe/Copenhagen. */
  tz: string;
  logLevel: string;
  /** Query limits: maximum depth (default 12) and estimated cost (default 20000); introspection is exempt. */
  maxDepth: number;
  maxCost: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, dflt: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = str(env, name);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new ConfigError(name, `expected a whole number, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** A setting that must be digits when present. */
function digits(env: Env, name: string, what: string): string | undefined {
  const v = str(env, name);
  if (v !== undefined && !/^\d{1,12}$/.test(v)) throw new ConfigError(name, `must be ${what}, got "${v}"`);
  return v;
}

/** Validates a URL without ever putting its password into the error message. */
function url(env: Env, name: string, protocols: string[]): string | undefined {
  const v = str(env, name);
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(name, `not a valid URL (expected ${protocols.join(' or ')}…)`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `unsupported scheme "${parsed.protocol}" (expected ${protocols.join(' or ')})`);
  }
  return v.replace(/\/+$/, '');
}

/** `token=scope+scope;token2=scope`. Tokens are never echoed in errors, only their position. */
export function parseApiTokens(raw: string): Map<string, Set<Scope>> {
  const tokens = new Map<string, Set<Scope>>();
  raw.split(';').map((s) => s.trim()).filter(Boolean).forEach((entry, i) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new ConfigError('API_TOKENS', `entry ${i + 1} is not "token=scope+scope"`);
    const token = entry.slice(0, eq).trim();
    const scopes = entry.slice(eq + 1).split('+').map((s) => s.trim()).filter(Boolean);
    if (scopes.length === 0) throw new ConfigError('API_TOKENS', `entry ${i + 1} names no scope`);
    for (const s of scopes) {
      if (!SCOPES.includes(s as Scope)) {
        throw new ConfigError('API_TOKENS', `entry ${i + 1}: unknown scope "${s}" (known: ${SCOPES.join(', ')})`);
      }
    }
    tokens.set(token, new Set(scopes as Scope[]));
  });
  return tokens;
}

/** CEREBRUM_EVENTS_JWT_KEY: a PEM key must parse as a public key; anything else is an HS256 secret. Never echoed. */
function jwtKey(env: Env): string | undefined {
  const raw = env.CEREBRUM_EVENTS_JWT_KEY;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.includes('-----BEGIN')) {
    try {
      createPublicKey(raw.trim());
    } catch {
      throw new ConfigError('CEREBRUM_EVENTS_JWT_KEY', 'looks like PEM but is not a readable public key (expected "-----BEGIN PUBLIC KEY-----" …)');
    }
    return raw.trim();
  }
  return raw;
}

export function parseSchedules(raw: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!raw) return out;
  const kinds = ['LOS_IMPORT', 'FS_IMPORT', 'UNILOGIN_EXPORT', 'CRISTIN_EXPORT'];
  for (const entry of raw.split(';').map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const kind = eq > 0 ? entry.slice(0, eq).trim() : '';
    const cron = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!kinds.includes(kind)) throw new ConfigError('SYNC_SCHEDULES', `unknown sync kind "${kind}" (known: ${kinds.join(', ')})`);
    if (cron.split(/\s+/).length < 5) throw new ConfigError('SYNC_SCHEDULES', `"${kind}" needs a cron expression of 5 or 6 fields`);
    out.set(kind, cron);
  }
  return out;
}

export interface LoadOptions {
  /** `demo` (npm start): anonymous callers get read+sync when API_TOKENS is unset. */
  mode: 'demo' | 'serve' | 'worker';
}

export function loadConfig(env: Env = process.env, opts: LoadOptions = { mode: 'serve' }): Config {
  const tz = str(env, 'TZ') ?? 'Europe/Copenhagen';
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError('TZ', `unknown time zone "${tz}"`);
  }
  const rawTokens = str(env, 'API_TOKENS');
  const cerebrumUrl = url(env, 'CEREBRUM_URL', ['http', 'https']);
  const concurrency = int(env, 'CEREBRUM_CONCURRENCY', 16, 1, 1024);
  const fsUrl = url(env, 'FS_URL', ['http', 'https']);
  const eventsUrl = url(env, 'CEREBRUM_EVENTS_URL', ['amqp', 'amqps']);
  const cacheTtl = str(env, 'CEREBRUM_CACHE_TTL_S') === undefined ? (eventsUrl ? 900 : 0) : int(env, 'CEREBRUM_CACHE_TTL_S', 0, 0, 86_400 * 7);
  const uniloginUrl = url(env, 'UNILOGIN_URL', ['http', 'https']);
  const level = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    throw new ConfigError('LOG_LEVEL', `unknown level "${level}"`);
  }
  const uniloginSetting = <T>(name: string, parse: (raw: string | undefined) => T): T => {
    try {
      return parse(str(env, name));
    } catch (e) {
      if (e instanceof SettingError) throw new ConfigError(name, e.message);
      throw e;
    }
  };
  const uniloginRoots = uniloginSetting('UNILOGIN_ROOT_OU', parseRootOus);
  const uniloginEmployeeTypes = uniloginSetting('UNILOGIN_EMPLOYEE_TYPES', parseEmployeeTypes);
  const uniloginInstitution = str(env, 'UNILOGIN_INSTITUTION');
  if (uniloginInstitution !== undefined && !/^[A-Za-z0-9]{6}$/.test(uniloginInstitution)) {
    throw new ConfigError('UNILOGIN_INSTITUTION', 'must be the 6-character institution number');
  }
  return {
    port: int(env, 'PORT', 4000, 0, 65535),
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']) ?? 'redis://127.0.0.1:6379',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres', 'postgresql']),
    dataDir: str(env, 'DATA_DIR') ?? './data',
    apiTokens: rawTokens === undefined ? undefined : parseApiTokens(rawTokens),
    anonymousScopes: new Set<Scope>(rawTokens === undefined && opts.mode === 'demo' ? ['read', 'sync'] : []),
    cerebrum: cerebrumUrl
      ? {
          url: cerebrumUrl,
          apiKey: str(env, 'CEREBRUM_API_KEY'),
          apiKeyHeader: str(env, 'CEREBRUM_API_KEY_HEADER') ?? 'X-API-Key',
          concurrency,
          timeoutMs: int(env, 'CEREBRUM_TIMEOUT_MS', 10_000),
          retries: int(env, 'CEREBRUM_RETRIES', 2, 0, 10),
        }
      : undefined,
    cerebrumConcurrency: concurrency,
    cerebrumEvents: eventsUrl
      ? {
          url: eventsUrl,
          exchange: str(env, 'CEREBRUM_EVENTS_EXCHANGE') ?? 'cerebrum',
          binding: str(env, 'CEREBRUM_EVENTS_BINDING') ?? '#',
          jwtKey: jwtKey(env),
        }
      : undefined,
    cerebrumCacheTtlS: cacheTtl > 0 ? cacheTtl : undefined,
    cerebrumCacheMaxEntries: int(env, 'CEREBRUM_CACHE_MAX_ENTRIES', 50_000, 1),
    fs: fsUrl ? { url: fsUrl, username: str(env, 'FS_USERNAME'), password: str(env, 'FS_PASSWORD') } : undefined,
    fsImportConfig: str(env, 'FS_IMPORT_CONFIG') ?? 'config/fs-import.json',
    losFtpUrl: url(env, 'LOS_FTP_URL', ['ftp', 'ftps']),
    darUrl: url(env, 'DAR_URL', ['http', 'https']) ?? 'https://api.dataforsyningen.dk',
    darCacheDays: int(env, 'DAR_CACHE_DAYS', 30, 0, 3650),
    unilogin: uniloginUrl
      ? {
          url: uniloginUrl,
          user: str(env, 'UNILOGIN_USER'),
          password: str(env, 'UNILOGIN_PASSWORD'),
          institution: uniloginInstitution,
          source: str(env, 'UNILOGIN_SOURCE'),
          rootOus: uniloginRoots,
          employeeTypes: uniloginEmployeeTypes,
          wsdl: str(env, 'UNILOGIN_WSDL'),
          timeoutMs: int(env, 'UNILOGIN_TIMEOUT_MS', 600_000, 1000),
        }
      : undefined,
    cristinInstitution: digits(env, 'CRISTIN_INSTITUTION', 'the Cristin institusjonsnr (digits, e.g. 185)'),
    cristinRootOu: digits(env, 'CRISTIN_ROOT_OU', 'a Cerebrum OU entity id (digits)'),
    maxEntityRepresentations: int(env, 'MAX_ENTITY_REPRESENTATIONS', 1000, 1),
    supergraphPort: int(env, 'SUPERGRAPH_PORT', 4001, 0, 65535),
    syncSchedules: parseSchedules(str(env, 'SYNC_SCHEDULES')),
    tz,
    logLevel: level,
    maxDepth: int(env, 'MAX_QUERY_DEPTH', 12, 2, 100),
    maxCost: int(env, 'MAX_QUERY_COST', 20_000, 10),
  };
}
