/**
 * The store's shared vocabulary: the query interfaces (Queryable, Tx, Db), its settings (StoreOptions), its one
 * error class (StoreError) and the value parsers both adapters install. The adapters (pg.ts, pglite.ts,
 * embedded*.ts), migrate.ts and the factory in db.ts all import this file and nothing imports them back, so the
 * store has no import cycle (db.ts loads the adapters lazily, and only db.ts does).
 */
import { InternalError } from '../core/errors';

/**
 * The row type of a query that names none. `any` on purpose, and only here: a caller that does not describe its
 * columns reads them by name as its SQL says (and gets no type help); a caller that can passes R.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one untyped-row default, see above
export type UntypedRow = any;

export interface QueryResult<R = UntypedRow> {
  rows: R[];
  /** Rows returned or affected (INSERT/UPDATE/DELETE); 0 for statements that touch no rows (DDL). */
  rowCount: number;
}

export interface Queryable {
  /** Runs ONE statement (`$1`.. parameters). Multi-statement scripts belong in migrations. */
  query<R = UntypedRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** The handle a transaction callback gets. Everything run through it is on the transaction's one connection. */
export interface Tx extends Queryable {
  /** A nested transaction: a SAVEPOINT, rolled back to (leaving the outer transaction usable) when fn throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Streams rows through a cursor inside this transaction; see Db.iterate. */
  iterate<R = UntypedRow>(sql: string, params?: unknown[], batchSize?: number): AsyncIterable<R[]>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Names of the migrations this open applied (empty when the schema was already current). */
  readonly appliedMigrations: readonly string[];
  /**
   * Runs fn in one transaction on a single connection: BEGIN, COMMIT when fn resolves, ROLLBACK when it throws.
   * A `db.transaction()` called inside fn (even through a repository holding `db`) becomes a SAVEPOINT of the
   * outer transaction rather than a second, independent one.
   *
   * Inside fn, use the `tx` argument. On Postgres a `db.query()` there runs on another pooled connection,
   * outside the transaction; on PGlite, which has a single connection, it would wait for the transaction
   * forever, so it throws a StoreError (code STORE_MISUSE) instead.
   *
   * If a statement fails and fn catches the error and returns normally, Postgres has already aborted the
   * transaction: COMMIT then rolls back, and transaction() throws (SQLSTATE 25P02) rather than pretend it saved.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Streams the rows of a SELECT in batches of `batchSize` (default 500) through a server-side cursor, so a
   * caller never holds a whole big table in memory. Postgres: a dedicated pooled connection in a read
   * transaction for the duration of the loop. PGlite: a WITH HOLD cursor (the result is materialised inside
   * the database, not in JS), so other queries can run between batches. Always finish the loop or `break`
   * out of it: leaving it suspended forever keeps the cursor (and on Postgres, a connection) open.
   */
  iterate<R = UntypedRow>(sql: string, params?: unknown[], batchSize?: number): AsyncIterable<R[]>;
  /** Closes the pool or the embedded database (waiting for work in flight). Calling it again is harmless. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL connection URL (the DATABASE_URL setting). Unset: embedded PGlite. */
  databaseUrl?: string;
  /** Folder for the embedded store; PGlite's files live in `${dataDir}/pglite`. Default `./data`. */
  dataDir?: string;
  /**
   * Postgres schema to work in, created if missing and set as the search_path of every connection (letters,
   * digits, underscore; lower case). Lets tests isolate themselves inside one database. Default: none, the
   * server's search_path (normally `public`).
   */
  schema?: string;
  /** PGlite held in memory instead of under dataDir (tests). Ignored when databaseUrl is set. Default false. */
  memory?: boolean;
  /** Where the *.sql migrations are. Default: found automatically (see findMigrationsDir in store/migrate.ts). */
  migrationsDir?: string;
  /** Postgres: give up connecting after this many milliseconds. Default 10000. */
  connectTimeoutMs?: number;
  /** Postgres: most connections in the pool. Default 10. */
  poolSize?: number;
  /** Receives warnings that have no caller to throw to (an idle pooled connection dropped by the server). */
  logger?: { warn(msg: string): void };
  /**
   * PostgreSQL: statements running longer are cancelled (statement_timeout) and fail with a StoreError
   * STATEMENT_TIMEOUT naming DATABASE_STATEMENT_TIMEOUT_MS. 0 or unset: no limit. Not applied by PGlite, which
   * runs a statement to its end inside the owning process (nothing can interrupt it).
   */
  statementTimeoutMs?: number;
  /**
   * A connection idle inside a transaction longer than this is ended and its transaction rolled back
   * (PostgreSQL: idle_in_transaction_session_timeout; the embedded store: the socket server does it for the
   * other processes' connections, since one of them holding the single session blocks every process). Fails
   * the transaction with a StoreError IDLE_IN_TRANSACTION_TIMEOUT. 0 or unset: no limit.
   */
  idleInTransactionTimeoutMs?: number;
}

export type StoreErrorCode =
  | 'BAD_SETTING' // DATABASE_URL, DATA_DIR or schema unusable as given
  | 'STORE_UNAVAILABLE' // cannot connect to PostgreSQL / cannot open the embedded files
  | 'STORE_LOCKED' // the embedded store is open in another process
  | 'STORE_CLOSED' // used after close()
  | 'STORE_MISUSE' // a call that would deadlock or run outside its transaction
  | 'STATEMENT_TIMEOUT' // PostgreSQL cancelled a statement after DATABASE_STATEMENT_TIMEOUT_MS
  | 'IDLE_IN_TRANSACTION_TIMEOUT' // a transaction left idle longer than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS was ended
  | 'MIGRATIONS_NOT_FOUND'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_CHANGED'; // an applied migration file was edited afterwards

/**
 * Every error the store itself raises. Messages name the setting to fix and never contain a password. `code` (also
 * its `reason`) is the store's own vocabulary, never an `extensions.code`: one that reaches a resolver is masked
 * as INTERNAL_SERVER_ERROR at the boundary.
 */
export class StoreError extends InternalError {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * Type parsers both adapters install, so the same SQL gives the same JS values on both (their defaults differ):
 * int8 stays a string (lossless beyond 2^53: cast counts with `::int`), `date` stays `YYYY-MM-DD` (a JS Date
 * would shift by the time zone). timestamptz → Date, json/jsonb → parsed, numeric → string on both already.
 */
export const TEXT_PARSERS: Readonly<Record<number, (value: string) => unknown>> = {
  20: (v) => v, // int8
  1082: (v) => v, // date
};

/** Validates the optional schema name (it ends up in SQL and in the connection's startup options). */
export function checkSchemaName(schema: string | undefined): string | undefined {
  if (schema === undefined) return undefined;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreError(
      'BAD_SETTING',
      `Store schema "${schema}" is not a plain lower-case identifier (letters, digits, underscore; at most 63 characters).`,
    );
  }
  return schema;
}
