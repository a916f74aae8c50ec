/**
 * Settings, read from the environment and validated once at start-up (design/runtime.md names them).
 * A present but malformed setting stops start-up with a message that names the variable; secrets are
 * never echoed back in those messages.
 */
import { createPublicKey } from 'node:crypto';
// The list of sync kinds (SYNC_SCHEDULES names them): pure data, the one file of a layer above that core/ may
// read (eslint.config.mjs).
import { SYNC_KIND_NAMES, SYNC_KINDS, type SyncKindRow } from '../jobs/framework/kinds';
import {
  SettingError,
  parseEmployeeTypes,
  parseRootOus,
  type EmployeeTypeMapping,
  type UniLoginRoots,
} from './settings/unilogin';

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
  /** EXPORT_RETENTION_DAYS: export files older than this are removed by the next export run (the last published one is always kept). Default 30. */
  exportRetentionDays: number;
  /**
   * ID_KEY: the secret of the keyed ids (LOS person/manager ids, FS `nid:` keys: HMAC-SHA-256), at least 32
   * characters. Default unset: a random key generated on first start and kept in the store (table deployment).
   * Never logged nor echoed.
   */
  idKey?: string;
  /**
   * DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a statement running longer (0 = no limit). The default
   * depends on the process: 10000 for `npm run serve` (API reads; a hung read should fail, not hold a request
   * and a connection), 60000 for `npm run worker` and `npm start` (they run the sync jobs, whose big writes take
   * longer). Migrations are exempt. Not applied by the embedded store (PGlite cannot interrupt a statement).
   */
  databaseStatementTimeoutMs: number;
  /**
   * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: a connection idle inside a transaction longer than this is ended and
   * its transaction rolled back (0 = no limit). Default 60000 in every process. PostgreSQL enforces it; on the
   * embedded store, the owning process enforces its own value on the other processes' connections.
   */
  databaseIdleInTransactionTimeoutMs: number;
  /** Bearer token → scopes. undefined = API_TOKENS unset (see `anonymousScopes`). */
  apiTokens?: Map<string, Set<Scope>>;
  /** Scopes of a caller without a token when API_TOKENS is unset: demo = read+sync, serve = none (401). */
  anonymousScopes: Set<Scope>;
  cerebrum?: {
    url: string;
    apiKey?: string;
    apiKeyHeader: string;
    concurrency: number;
    timeoutMs: number;
    retries: number;
  };
  /** Most requests in flight to Cerebrum at once, per process. Default 16. */
  cerebrumConcurrency: number;
  /** REQUEST_TIMEOUT_MS: a GraphQL request's time budget; its upstream loads still queued or in flight then are cancelled (UPSTREAM_TIMEOUT). Default 30000. */
  requestTimeoutMs: number;
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
  /** LOS_FTP_URL: the LOS delivery folder, ftp:// or ftps:// (explicit TLS). Default unset (no LOS import). */
  losFtpUrl?: string;
  /** LOS_FTP_REQUIRE_TLS: refuse a plain ftp:// LOS_FTP_URL at start-up. Default false (plain FTP is allowed, with a warning). */
  losFtpRequireTls: boolean;
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
    /**
     * UNILOGIN_MAX_DROP_PERCENT: a FULL or DELETE upload that would remove more than this share of the persons
     * UNI-Login accepted last time fails unless started with force. Default 10; 100 switches the guard off.
     */
    maxDropPercent: number;
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
  /**
   * Cron schedules from SYNC_SCHEDULES ("LOS_IMPORT=0 2 * * *;..."), keyed by kind, or by `KIND:MODE` for a
   * schedule that names a mode (`UNILOGIN_EXPORT=0 3 * * 0:FULL`). Default: none (see jobs/framework/schedules.ts defaults).
   */
  syncSchedules: Map<string, string>;
  /** Time zone for `at` defaults and schedules. Default Europe/Copenhagen. */
  tz: string;
  logLevel: string;
  /** MAX_QUERY_DEPTH: most nested fields in an operation (fragments flattened; `__schema` has its own cap). Default 12. */
  maxDepth: number;
  /** MAX_QUERY_COST: most estimated upstream work per request (server/query-cost.ts). Default 20000. */
  maxCost: number;
  /** MAX_ALIASES: most aliases in one operation (`__typename` aliases are free). Default 100. */
  maxAliases: number;
  /** MAX_TOKENS: the parser gives up on a document with more tokens than this. Default 10000. */
  maxTokens: number;
  /** MAX_DIRECTIVES: most directives in one operation. Default 50. */
  maxDirectives: number;
  /** READINESS_CACHE_MS: how long a /readyz answer is reused (one upstream probe per period). Default 5000; 0 = none. */
  readinessCacheMs: number;
  /**
   * METRICS_PORT: port of the Prometheus listener (`GET /metrics`), separate from the API port; 0 = any free
   * port. Default unset: no metrics listener.
   */
  metricsPort?: number;
  /** MAX_INTROSPECTION_DEPTH: depth cap for operations that introspect (`__schema`); GraphiQL's needs 15. Default 20. */
  maxIntrospectionDepth: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
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

function isPlainFtp(u: string | undefined): boolean {
  return u !== undefined && new URL(u).protocol === 'ftp:';
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const v = str(env, name)?.toLowerCase();
  if (v === undefined) return dflt;
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(name, `expected true or false, got "${v}"`);
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
/** ID_KEY, checked for length only: its value never appears in a message. */
function idKey(env: Env): string | undefined {
  const v = env.ID_KEY;
  if (v === undefined || v === '') return undefined;
  if (v.length < 32) {
    throw new ConfigError(
      'ID_KEY',
      `must be at least 32 characters (a random secret, e.g. from \`openssl rand -base64 32\`); the value given has ${v.length}`,
    );
  }
  return v;
}

export function parseApiTokens(raw: string): Map<string, Set<Scope>> {
  const tokens = new Map<string, Set<Scope>>();
  raw
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .forEach((entry, i) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) throw new ConfigError('API_TOKENS', `entry ${i + 1} is not "token=scope+scope"`);
      const token = entry.slice(0, eq).trim();
      const scopes = entry
        .slice(eq + 1)
        .split('+')
        .map((s) => s.trim())
        .filter(Boolean);
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

/**
 * Modes a schedule may name, per kind (the mutation's `mode` argument; jobs/framework/kinds.ts, rows whose mode
 * is `inSchedules`); the first is what a run without one does.
 */
export const SCHEDULE_MODES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (SYNC_KINDS as readonly SyncKindRow[]).flatMap((k) => (k.mode?.inSchedules ? [[k.name, k.mode.values]] : [])),
);

/**
 * `KIND=cron[:MODE];…`. A kind may appear more than once when each entry runs a different mode (a nightly
 * INCREMENTAL and a weekly FULL); the key of an entry with a mode is `KIND:MODE`. A cron expression never holds
 * a colon, so the last one separates the mode.
 */
/** CEREBRUM_EVENTS_JWT_KEY: a PEM key must parse as a public key; anything else is an HS256 secret. Never echoed. */
function jwtKey(env: Env): string | undefined {
  const raw = env.CEREBRUM_EVENTS_JWT_KEY;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.includes('-----BEGIN')) {
    try {
      createPublicKey(raw.trim());
    } catch {
      throw new ConfigError(
        'CEREBRUM_EVENTS_JWT_KEY',
        'looks like PEM but is not a readable public key (expected "-----BEGIN PUBLIC KEY-----" …)',
      );
    }
    return raw.trim();
  }
  return raw;
}

export function parseSchedules(raw: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!raw) return out;
  const kinds: readonly string[] = SYNC_KIND_NAMES;
  const runs = new Map<string, string>();
  for (const entry of raw
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const kind = eq > 0 ? entry.slice(0, eq).trim() : '';
    let cron = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!kinds.includes(kind))
      throw new ConfigError('SYNC_SCHEDULES', `unknown sync kind "${kind}" (known: ${kinds.join(', ')})`);
    let mode: string | undefined;
    const colon = cron.lastIndexOf(':');
    if (colon >= 0) {
      mode = cron
        .slice(colon + 1)
        .trim()
        .toUpperCase();
      cron = cron.slice(0, colon).trim();
      const modes = SCHEDULE_MODES[kind];
      if (!modes)
        throw new ConfigError(
          'SYNC_SCHEDULES',
          `"${kind}" takes no mode (only ${Object.keys(SCHEDULE_MODES).join(', ')} do)`,
        );
      if (!modes.includes(mode))
        throw new ConfigError('SYNC_SCHEDULES', `"${kind}": unknown mode "${mode}" (known: ${modes.join(', ')})`);
    }
    if (cron.split(/\s+/).length < 5)
      throw new ConfigError('SYNC_SCHEDULES', `"${kind}" needs a cron expression of 5 or 6 fields`);
    // No mode = the kind's default mode, so `UNILOGIN_EXPORT=…` and `UNILOGIN_EXPORT=…:FULL` are the same run.
    const effectiveMode = mode ?? SCHEDULE_MODES[kind]?.[0];
    const run = effectiveMode ? `${kind}:${effectiveMode}` : kind;
    const before = runs.get(run);
    if (before !== undefined) {
      const what = effectiveMode ? `${kind} (mode ${effectiveMode})` : kind;
      throw new ConfigError(
        'SYNC_SCHEDULES',
        `${what} is scheduled twice ("${before}" and "${cron}"): one entry per kind and mode`,
      );
    }
    runs.set(run, cron);
    out.set(mode ? `${kind}:${mode}` : kind, cron);
  }
  return out;
}

const DAY_MS = 86_400_000;

/** The store settings of a process, as openStore (store/db.ts) takes them. */
export function storeSettings(config: Config): {
  databaseUrl?: string;
  dataDir: string;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
} {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    idleInTransactionTimeoutMs: config.databaseIdleInTransactionTimeoutMs,
  };
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
  const cacheTtl =
    str(env, 'CEREBRUM_CACHE_TTL_S') === undefined
      ? eventsUrl
        ? 900
        : 0
      : int(env, 'CEREBRUM_CACHE_TTL_S', 0, 0, 86_400 * 7);
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
  const losFtpUrl = url(env, 'LOS_FTP_URL', ['ftp', 'ftps']);
  const losFtpRequireTls = bool(env, 'LOS_FTP_REQUIRE_TLS', false);
  if (losFtpRequireTls && isPlainFtp(losFtpUrl)) {
    throw new ConfigError(
      'LOS_FTP_REQUIRE_TLS',
      'is true but LOS_FTP_URL is plain ftp://, which sends the CPR files and the password in clear text: use ftps:// (explicit TLS) or set LOS_FTP_REQUIRE_TLS=false',
    );
  }
  return {
    port: int(env, 'PORT', 4000, 0, 65535),
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']) ?? 'redis://127.0.0.1:6379',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres', 'postgresql']),
    dataDir: str(env, 'DATA_DIR') ?? './data',
    exportRetentionDays: int(env, 'EXPORT_RETENTION_DAYS', 30, 1, 36_500),
    idKey: idKey(env),
    databaseStatementTimeoutMs: int(
      env,
      'DATABASE_STATEMENT_TIMEOUT_MS',
      opts.mode === 'serve' ? 10_000 : 60_000,
      0,
      DAY_MS,
    ),
    databaseIdleInTransactionTimeoutMs: int(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000, 0, DAY_MS),
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
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 30_000, 1, 3_600_000),
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
    losFtpUrl,
    losFtpRequireTls,
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
          maxDropPercent: int(env, 'UNILOGIN_MAX_DROP_PERCENT', 10, 0, 100),
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
    maxAliases: int(env, 'MAX_ALIASES', 100, 0),
    maxTokens: int(env, 'MAX_TOKENS', 10_000, 200),
    maxDirectives: int(env, 'MAX_DIRECTIVES', 50, 0),
    maxIntrospectionDepth: int(env, 'MAX_INTROSPECTION_DEPTH', 20, 15, 100),
    readinessCacheMs: int(env, 'READINESS_CACHE_MS', 5000, 0, 600_000),
    metricsPort: str(env, 'METRICS_PORT') === undefined ? undefined : int(env, 'METRICS_PORT', 0, 0, 65535),
  };
}

/**
 * Settings that are allowed but unsafe, one sentence each, for the processes to log at start-up. Never echoes
 * a secret (a URL is named by its setting, not shown).
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (isPlainFtp(config.losFtpUrl)) {
    warnings.push(
      'LOS_FTP_URL is plain ftp://: the LOS files (with CPR numbers) and the FTP password travel in clear text. ' +
        'Use ftps:// if the server offers TLS, and set LOS_FTP_REQUIRE_TLS=true to refuse plain FTP.',
    );
  }
  return warnings;
}
