/**
 * The PostgreSQL adapter (`pg` Pool), used when DATABASE_URL is set. Many processes (API, workers) may share one
 * database; migrations serialise on an advisory lock.
 */
import { createHash } from 'node:crypto';
import { DatabaseError, Pool, types as pgTypes, type PoolClient } from 'pg';
import {
  activeTx,
  checkBatchSize,
  checkSchemaName,
  cursorQuery,
  nextCursorName,
  runInScope,
  StoreError,
  TEXT_PARSERS,
  type Db,
  type QueryResult,
  type StoreOptions,
  type Tx,
} from './db';
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
  return new StoreError('STORE_UNAVAILABLE', message);
}

/** A non-DatabaseError from a query means the connection itself failed: it must not go back to the pool. */
function brokenConnection(err: unknown): Error | undefined {
  return err instanceof DatabaseError ? undefined : (err as Error);
}

function toResult(r: { rows: any[]; rowCount: number | null }): QueryResult {
  return { rows: r.rows, rowCount: r.rowCount ?? 0 };
}

/** int8 → string and date → 'YYYY-MM-DD' as on PGlite (see TEXT_PARSERS); date[] likewise. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): any {
    if (format !== 'binary') {
      const parser = TEXT_PARSERS[oid];
      if (parser) return parser;
      if (oid === 1182) return pgTypes.getTypeParser(1009 as any, 'text'); // date[] parsed as text[]
    }
    return pgTypes.getTypeParser(oid as any, format as any);
  },
};

export class PostgresStore implements Db {
  readonly kind = 'postgres' as const;
  appliedMigrations: readonly string[] = [];
  private readonly pool: Pool;
  private readonly target: Target;
  private readonly schema: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(databaseUrl: string, opts: StoreOptions) {
    this.target = parseDatabaseUrl(databaseUrl);
    this.schema = checkSchemaName(opts.schema);
    this.pool = new Pool({
      connectionString: databaseUrl,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      application_name: 'idbro',
      // Set at connection start-up, so every pooled connection is in the schema before its first query.
      options: this.schema ? `-c search_path=${this.schema}` : undefined,
      types,
    });
    // An idle connection the server drops (restart, idle timeout) emits 'error' on the pool; unhandled, that
    // would crash the process. The pool discards it and the next query opens a fresh one.
    this.pool.on('error', (err) => opts.logger?.warn(`store: idle PostgreSQL connection lost: ${redact(err.message, this.target)}`));
  }

  private async connect(): Promise<PoolClient> {
    if (this.closing) throw new StoreError('STORE_CLOSED', 'The store is closed.');
    try {
      return await this.pool.connect();
    } catch (err) {
      throw connectError(err, this.target);
    }
  }

  async query<R = any>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      return toResult(await client.query(sql, params as any[]));
    } catch (err) {
      broken = brokenConnection(err);
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const outer = activeTx(this);
    if (outer) return outer.transaction(fn);
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN').catch((err) => {
        broken = brokenConnection(err);
        throw err;
      });
      let result: T;
      try {
        result = await runInScope(this, { query: async (s, p) => toResult(await client.query(s, p as any[])) }, fn);
      } catch (err) {
        // fn's own error is what the caller needs; a failing ROLLBACK only tells us the connection is gone.
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      }
      const commit = await client.query('COMMIT').catch((err) => {
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
      client.release(broken);
    }
  }

  async *iterate<R = any>(sql: string, params: unknown[] = [], batchSize = 500): AsyncIterable<R[]> {
    checkBatchSize(batchSize);
    const client = await this.connect();
    const cursor = nextCursorName();
    let broken: Error | undefined;
    let began = false;
    try {
      await client.query('BEGIN READ ONLY');
      began = true;
      await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${cursorQuery(sql)}`, params as any[]);
      for (;;) {
        const { rows } = await client.query(`FETCH FORWARD ${batchSize} FROM ${cursor}`);
        if (rows.length > 0) yield rows as R[];
        if (rows.length < batchSize) break;
      }
    } catch (err) {
      broken = brokenConnection(err);
      throw err;
    } finally {
      // Also reached when the consumer breaks out of its for-await loop: end the read transaction either way.
      if (began && !broken) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      client.release(broken);
    }
  }

  /** Applies pending migrations holding a session advisory lock, so concurrent starts migrate one at a time. */
  async migrate(migrations: readonly Migration[]): Promise<void> {
    const client = await this.connect();
    let broken: Error | undefined;
    // One lock per schema: tests migrating their own schemas in parallel do not wait for each other.
    const key = advisoryKey(`idbro.migrate:${this.schema ?? ''}`);
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      try {
        // Under the lock: two concurrent CREATE SCHEMA IF NOT EXISTS can still collide on the catalog.
        if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
        this.appliedMigrations = await applyMigrations(
          {
            query: async (s, p) => toResult(await client.query(s, p as any[])),
            transaction: async (fn) => {
              await client.query('BEGIN');
              try {
                const conn: MigrationConnection = {
                  query: async (s, p) => toResult(await client.query(s, p as any[])),
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

export async function openPostgres(databaseUrl: string, opts: StoreOptions): Promise<PostgresStore> {
  return new PostgresStore(databaseUrl, opts);
}
