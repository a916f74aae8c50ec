/**
 * The PostgreSQL adapter (`pg` Pool), used when DATABASE_URL is set. Many processes (API, workers) may share one
 * database; migrations serialise on an advisory lock.
 */
import { createHash } from 'node:crypto';
import { DatabaseError, Pool, types as pgTypes, type CustomTypesConfig, type PoolClient } from 'pg';
import { activeTx, checkBatchSize, cursorQuery, nextCursorName, runInScope } from './tx';
import {
  checkSchemaName,
  StoreError,
  TEXT_PARSERS,
  type Db,
  type QueryResult,
  type StoreOptions,
  type Tx,
  type UntypedRow,
} from './types';
import { applyMigrations, type Migration, type MigrationConnection } from './migrate';

/** Where DATABASE_URL points, for messages: host, port, database and user — never the password. */
interface Target {
  where: string;
  user: string;
  database: string;
  host: string;
  /** The password as it may appear in foreign error text (raw and percent-decoded), to scrub it out. */
  secrets: string[];
}

function parseDatabaseUrl(databaseUrl: string): Target {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // URL's own message repeats the input, password included: say what is expected instead.
    throw new StoreError(
      'BAD_SETTING',
      'DATABASE_URL is not a valid URL. Expected postgres://user:password@host:5432/database (percent-encode special characters in the password).',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StoreError(
      'BAD_SETTING',
      `DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//. Expected postgres://user:password@host:5432/database.`,
    );
  }
  const secrets = [url.password, safeDecode(url.password), url.searchParams.get('password') ?? ''].filter(
    (s) => s.length > 0,
  );
  const host = decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost';
  const port = url.port || url.searchParams.get('port') || '5432';
  const database = safeDecode(url.pathname.replace(/^\//, '')) || url.searchParams.get('dbname') || '';
  const user = safeDecode(url.username) || url.searchParams.get('user') || process.env.PGUSER || '';
  return { where: `${host}:${port}${database ? `/${database}` : ''}`, user, database, host, secrets };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function redact(text: string, target: Target): string {
  let out = text;
  for (const secret of target.secrets) out = out.split(secret).join('***');
  return out;
}

const NO_EMBEDDED_HINT = 'or unset DATABASE_URL to use the embedded store under DATA_DIR';

/** Turns a failure to connect into a message that names DATABASE_URL and says what to change. */
function connectError(err: unknown, target: Target): StoreError {
  const e = err as { code?: string; message?: string };
  const reason = redact(String(e.code ?? e.message ?? err), target);
  const detail = redact(e.message ?? '', target);
  const at = `PostgreSQL at DATABASE_URL (${target.where})`;
  let message: string;
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      message = `Cannot reach ${at}: ${reason}. Start PostgreSQL (or correct the host and port in DATABASE_URL), ${NO_EMBEDDED_HINT}.`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `Cannot reach ${at}: ${reason} (the host name "${target.host}" does not resolve). Correct the host in DATABASE_URL, ${NO_EMBEDDED_HINT}.`;
      break;
    case '28P01': // invalid_password
    case '28000': // invalid_authorization_specification: unknown role, pg_hba.conf refusal
      message = `${at} refused the login of user "${target.user}": ${detail}. Check the user and password in DATABASE_URL.`;
      break;
    case '3D000': // invalid_catalog_name
      message = `${at}: database "${target.database}" does not exist. Create it (createdb ${target.database}) or correct the database name in DATABASE_URL.`;
      break;
    case '57P03': // cannot_connect_now (starting up, shutting down)
    case '53300': // too_many_connections
      message = `${at} is not accepting connections: ${detail}. Retry when it is up, or lower the number of processes sharing it.`;
      break;
    default:
      if (/timeout/i.test(detail)) {
        message = `Cannot reach ${at}: no answer within the connect timeout. Start PostgreSQL (or correct the host and port in DATABASE_URL), ${NO_EMBEDDED_HINT}.`;
      } else if (/SASL|password/i.test(detail)) {
        message = `${at} refused the login of user "${target.user}": ${detail}. Check the password in DATABASE_URL.`;
      } else {
        message = `Cannot connect to ${at}: ${detail || reason}. Check DATABASE_URL, ${NO_EMBEDDED_HINT}.`;
      }
  }
  // The cause carries the error code only: pg's own text may repeat parts of DATABASE_URL.
  return new StoreError('STORE_UNAVAILABLE', message, { cause: Object.assign(new Error(reason), { code: e.code }) });
}

/** A non-DatabaseError from a query means the connection itself failed: it must not go back to the pool. */
function brokenConnection(err: unknown): Error | undefined {
  return err instanceof DatabaseError ? undefined : (err as Error);
}

function toResult(r: { rows: UntypedRow[]; rowCount: number | null }): QueryResult {
  return { rows: r.rows, rowCount: r.rowCount ?? 0 };
}

/** int8 → string and date → 'YYYY-MM-DD' as on PGlite (see TEXT_PARSERS); date[] likewise. */
type Parser = (value: string) => unknown;
// pg-types returns its parsers as `any`: they take the text of a value.
const builtinParser = (oid: number, format?: 'text' | 'binary'): Parser => pgTypes.getTypeParser(oid, format) as Parser;
const types: CustomTypesConfig = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): Parser {
    if (format !== 'binary') {
      const parser = TEXT_PARSERS[oid];
      if (parser) return parser;
      if (oid === 1182) return builtinParser(1009, 'text'); // date[] parsed as text[]
    }
    return builtinParser(oid, format);
  },
};

/** Time-out settings as the messages name them. */
interface Limits {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /** Who ends an idle transaction: PostgreSQL, or the embedded store's socket server. */
  server: string;
}

/**
 * PostgreSQL's own time-outs, turned into StoreErrors that name the setting: a statement cancelled by
 * statement_timeout (57014), a session ended by idle_in_transaction_session_timeout (25P03).
 */
function timeoutError(err: unknown, limits: Limits): StoreError | undefined {
  const e = err as { code?: string; message?: string };
  if (e?.code === '57014' && /statement timeout/i.test(e.message ?? '')) {
    return new StoreError(
      'STATEMENT_TIMEOUT',
      `PostgreSQL cancelled a statement that ran longer than DATABASE_STATEMENT_TIMEOUT_MS (${limits.statementTimeoutMs} ms); ` +
        'its transaction was rolled back. If the statement is expected to take that long, raise DATABASE_STATEMENT_TIMEOUT_MS ' +
        '(0 = no limit); otherwise find what holds it up (locks, load: pg_stat_activity).',
      { cause: err },
    );
  }
  if (e?.code === '25P03') {
    // The embedded store's owner enforces its own setting and says which in its message.
    const ms = /= (\d+)/.exec(e.message ?? '')?.[1] ?? String(limits.idleInTransactionTimeoutMs);
    return new StoreError(
      'IDLE_IN_TRANSACTION_TIMEOUT',
      `${limits.server} ended the connection: it stayed idle inside a transaction for longer than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ` +
        `(${ms} ms), and the transaction was rolled back. Nothing of it was saved. ` +
        'Raise DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS (0 = no limit) if work between statements is expected to take that long.',
      { cause: err },
    );
  }
  return undefined;
}

/** A pooled connection lent to one call. @internal */
interface Checkout {
  client: PoolClient;
  /** Runs a statement, turning the time-outs into StoreErrors. */
  run(sql: string, params?: unknown[]): Promise<{ rows: UntypedRow[]; rowCount: number | null; command: string }>;
  /** Gives the connection back (destroyed when it failed, or when the server ended it). */
  release(broken?: Error): void;
}

/** @internal Used by store/embedded.ts, which reaches the embedded store's socket through this adapter. */
export interface PostgresInternals {
  /** Called when an idle pooled connection fails (the server went away). */
  onIdleError?: (err: Error) => void;
  /**
   * The server is the embedded store's socket server (PGlite): no time-outs in the start-up packet (PGlite
   * cannot cancel a statement, and hangs with idle_in_transaction_session_timeout set; the socket server ends
   * idle transactions itself).
   */
  embedded?: boolean;
}

export class PostgresStore implements Db {
  readonly kind = 'postgres' as const;
  appliedMigrations: readonly string[] = [];
  private readonly pool: Pool;
  private readonly target: Target;
  private readonly schema: string | undefined;
  private readonly limits: Limits;
  private closing: Promise<void> | undefined;

  constructor(databaseUrl: string, opts: StoreOptions, internals: PostgresInternals = {}) {
    this.target = parseDatabaseUrl(databaseUrl);
    this.schema = checkSchemaName(opts.schema);
    this.limits = {
      statementTimeoutMs: opts.statementTimeoutMs ?? 0,
      idleInTransactionTimeoutMs: opts.idleInTransactionTimeoutMs ?? 0,
      server: internals.embedded ? 'The embedded store' : 'PostgreSQL',
    };
    const serverTimeouts = !internals.embedded;
    this.pool = new Pool({
      connectionString: databaseUrl,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      // Embedded: idle connections are kept, so the end of the owner process is noticed at once (their 'error').
      idleTimeoutMillis: internals.embedded ? 0 : undefined,
      allowExitOnIdle: internals.embedded,
      application_name: 'idbro',
      // Set at connection start-up, so every pooled connection is in the schema before its first query.
      options: this.schema ? `-c search_path=${this.schema}` : undefined,
      // Sent in the start-up packet too (0 = off, the server's own setting then applies).
      statement_timeout: (serverTimeouts && this.limits.statementTimeoutMs) || undefined,
      idle_in_transaction_session_timeout: (serverTimeouts && this.limits.idleInTransactionTimeoutMs) || undefined,
      types,
    });
    // An idle connection the server drops (restart, idle timeout) emits 'error' on the pool; unhandled, that
    // would crash the process. The pool discards it and the next query opens a fresh one.
    this.pool.on('error', (err) => {
      opts.logger?.warn(`store: idle PostgreSQL connection lost: ${redact(err.message, this.target)}`);
      internals.onIdleError?.(err);
    });
  }

  private async connect(): Promise<PoolClient> {
    if (this.closing) throw new StoreError('STORE_CLOSED', 'The store is closed.');
    try {
      return await this.pool.connect();
    } catch (err) {
      throw connectError(err, this.target);
    }
  }

  /**
   * A connection with an 'error' listener for as long as it is lent out: the server ending it between two
   * statements (idle_in_transaction_session_timeout, a restart) emits 'error' on the client, which pg-pool
   * leaves unhandled while the client is checked out — the process would crash. The error is kept and given
   * to the caller at its next statement instead.
   */
  private async checkout(): Promise<Checkout> {
    const client = await this.connect();
    let lost: Error | undefined;
    const onError = (err: Error) => void (lost ??= err);
    client.on('error', onError);
    return {
      client,
      run: async (sql, params) => {
        try {
          return await client.query(sql, params);
        } catch (err) {
          throw timeoutError(lost ?? err, this.limits) ?? timeoutError(err, this.limits) ?? err;
        }
      },
      release: (broken) => {
        client.off('error', onError);
        client.release(broken ?? lost);
      },
    };
  }

  async query<R = UntypedRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    const conn = await this.checkout();
    let broken: Error | undefined;
    try {
      return toResult(await conn.run(sql, params));
    } catch (err) {
      broken = brokenConnection(err);
      throw err;
    } finally {
      conn.release(broken);
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const outer = activeTx(this);
    if (outer) return outer.transaction(fn);
    const conn = await this.checkout();
    let broken: Error | undefined;
    try {
      await conn.run('BEGIN').catch((err) => {
        broken = brokenConnection(err);
        throw err;
      });
      let result: T;
      try {
        result = await runInScope(this, { query: async (s, p) => toResult(await conn.run(s, p)) }, fn);
      } catch (err) {
        // fn's own error is what the caller needs; a failing ROLLBACK only tells us the connection is gone.
        await conn.run('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      }
      const commit = await conn.run('COMMIT').catch((err) => {
        broken = brokenConnection(err);
        throw err;
      });
      if (commit.command === 'ROLLBACK') {
        // Postgres answers COMMIT of an aborted transaction with ROLLBACK and no error; PGlite throws here, and
        // so do we, with the same SQLSTATE.
        throw Object.assign(
          new Error(
            'Transaction was rolled back instead of committed: a statement inside it failed and its error was caught inside transaction(). Nothing was saved.',
          ),
          { code: '25P02' },
        );
      }
      return result;
    } finally {
      conn.release(broken);
    }
  }

  async *iterate<R = UntypedRow>(sql: string, params: unknown[] = [], batchSize = 500): AsyncIterable<R[]> {
    checkBatchSize(batchSize);
    const conn = await this.checkout();
    const cursor = nextCursorName();
    let broken: Error | undefined;
    let began = false;
    try {
      await conn.run('BEGIN READ ONLY');
      began = true;
      await conn.run(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${cursorQuery(sql)}`, params);
      for (;;) {
        const { rows } = await conn.run(`FETCH FORWARD ${batchSize} FROM ${cursor}`);
        if (rows.length > 0) yield rows as R[];
        if (rows.length < batchSize) break;
      }
    } catch (err) {
      broken = brokenConnection(err);
      throw err;
    } finally {
      // Also reached when the consumer breaks out of its for-await loop: end the read transaction either way.
      if (began && !broken) await conn.run('ROLLBACK').catch((e: Error) => (broken = e));
      conn.release(broken);
    }
  }

  /**
   * Applies pending migrations holding a session advisory lock, so concurrent starts migrate one at a time.
   * Without the statement time-out: waiting for another process's migration, or a migration rewriting a big
   * table, may rightly take longer than an API read may.
   */
  async migrate(migrations: readonly Migration[]): Promise<void> {
    const client = await this.connect();
    let broken: Error | undefined;
    // One lock per schema: tests migrating their own schemas in parallel do not wait for each other.
    const key = advisoryKey(`idbro.migrate:${this.schema ?? ''}`);
    try {
      await client.query('SET statement_timeout = 0');
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      try {
        // Under the lock: two concurrent CREATE SCHEMA IF NOT EXISTS can still collide on the catalog.
        if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
        this.appliedMigrations = await applyMigrations(
          {
            query: async (s, p) => toResult(await client.query(s, p)),
            transaction: async (fn) => {
              await client.query('BEGIN');
              try {
                const conn: MigrationConnection = {
                  query: async (s, p) => toResult(await client.query(s, p)),
                  exec: async (script) => void (await client.query(script)), // simple protocol: many statements
                };
                const result = await fn(conn);
                await client.query('COMMIT');
                return result;
              } catch (err) {
                await client.query('ROLLBACK').catch(() => undefined);
                throw err;
              }
            },
          },
          migrations,
        );
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch((e: Error) => (broken = e));
        // Back to the value of the start-up packet (DATABASE_STATEMENT_TIMEOUT_MS) before the pool lends it out.
        await client.query('RESET statement_timeout').catch((e: Error) => (broken = e));
      }
    } catch (err) {
      broken ??= brokenConnection(err);
      throw err;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}

/** A stable signed 64-bit advisory lock key from a name (as a string: pg sends it as text for ::bigint). */
function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

export function openPostgres(
  databaseUrl: string,
  opts: StoreOptions,
  internals?: PostgresInternals,
): Promise<PostgresStore> {
  return Promise.resolve(new PostgresStore(databaseUrl, opts, internals));
}
