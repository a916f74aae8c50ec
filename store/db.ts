/**
 * The store: one SQL interface over PostgreSQL (`pg`, when DATABASE_URL is set) or embedded PGlite (a real
 * Postgres 17 compiled to WASM, under DATA_DIR otherwise). Callers write plain Postgres SQL with `$1` parameters
 * and get the same rows back from both; the adapters (store/pg.ts, store/pglite.ts) differ only in how they hold
 * connections. `openStore()` applies the SQL migrations in store/migrations before it returns.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { InternalError } from '../core/errors';

export interface QueryResult<R = any> {
  rows: R[];
  /** Rows returned or affected (INSERT/UPDATE/DELETE); 0 for statements that touch no rows (DDL). */
  rowCount: number;
}

export interface Queryable {
  /** Runs ONE statement (`$1`.. parameters). Multi-statement scripts belong in migrations. */
  query<R = any>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** The handle a transaction callback gets. Everything run through it is on the transaction's one connection. */
export interface Tx extends Queryable {
  /** A nested transaction: a SAVEPOINT, rolled back to (leaving the outer transaction usable) when fn throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Streams rows through a cursor inside this transaction; see Db.iterate. */
  iterate<R = any>(sql: string, params?: unknown[], batchSize?: number): AsyncIterable<R[]>;
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
  iterate<R = any>(sql: string, params?: unknown[], batchSize?: number): AsyncIterable<R[]>;
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

// ---------------------------------------------------------------------------------------------------------
// Transactions, shared by both adapters. An adapter supplies one connection inside BEGIN; TxScope gives the
// callback its `tx`, tracks SAVEPOINTs and publishes itself in async-local storage so that a db.transaction()
// called further down the same async call chain joins it instead of opening a second transaction.

/** One connection, as an adapter hands it to the shared transaction code. @internal */
export interface Connection {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
}

const currentScope = new AsyncLocalStorage<TxScope>();
let cursorSeq = 0;

/** The innermost transaction of `owner` that the current async call chain is running inside, if any. @internal */
export function activeTx(owner: object): TxScope | undefined {
  const scope = currentScope.getStore();
  return scope && scope.owner === owner && scope.active ? scope : undefined;
}

/** Runs fn with a TxScope over conn (already inside BEGIN); the adapter commits or rolls back. @internal */
export async function runInScope<T>(owner: object, conn: Connection, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const scope = new TxScope(owner, conn, 0);
  try {
    return await currentScope.run(scope, () => fn(scope));
  } finally {
    scope.end();
  }
}

/**
 * A unique cursor name (cursors are per connection, but PGlite's one connection is shared by all callers — of
 * every process, when the embedded store is served to others: hence the pid).
 */
export function nextCursorName(): string {
  return `idbro_cursor_${process.pid}_${++cursorSeq}`;
}

/** `SELECT ...;` → `SELECT ...`: DECLARE ... FOR <query> rejects a trailing semicolon. */
export function cursorQuery(sql: string): string {
  return sql.trim().replace(/;\s*$/, '');
}

export function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`iterate(): batchSize must be a positive integer, got ${batchSize}`);
  }
  return batchSize;
}

/** @internal */
export class TxScope implements Tx {
  private ended = false;
  private savepointSeq = 0;
  /** Sibling savepoints started concurrently (Promise.all) must not interleave on the one connection. */
  private savepointQueue: Promise<void> = Promise.resolve();

  constructor(
    readonly owner: object,
    private readonly conn: Connection,
    private readonly depth: number,
    private readonly parent?: TxScope,
  ) {}

  get active(): boolean {
    return !this.ended && (this.parent === undefined || this.parent.active);
  }

  end(): void {
    this.ended = true;
  }

  private assertActive(): void {
    if (!this.active) {
      // A tx kept past its callback would otherwise send SQL on a connection already back in the pool.
      throw new StoreError(
        'STORE_MISUSE',
        'This transaction has already finished: use the tx only inside the transaction() callback, and await every query before the callback returns.',
      );
    }
  }

  query<R = any>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    this.assertActive();
    return this.conn.query(sql, params) as Promise<QueryResult<R>>;
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.assertActive();
    const release = await this.takeTurn();
    const name = `idbro_sp_${this.depth}_${++this.savepointSeq}`;
    const child = new TxScope(this.owner, this.conn, this.depth + 1, this);
    try {
      await this.conn.query(`SAVEPOINT ${name}`);
      try {
        const result = await currentScope.run(child, () => fn(child));
        await this.conn.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        // Undo just this block; if even that fails the connection is gone and the outer transaction fails too.
        await this.conn.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        await this.conn.query(`RELEASE SAVEPOINT ${name}`).catch(() => undefined);
        throw err;
      }
    } finally {
      child.end();
      release();
    }
  }

  async *iterate<R = any>(sql: string, params: unknown[] = [], batchSize = 500): AsyncIterable<R[]> {
    checkBatchSize(batchSize);
    this.assertActive();
    const cursor = nextCursorName();
    await this.conn.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${cursorQuery(sql)}`, params);
    try {
      for (;;) {
        const { rows } = await this.query<R>(`FETCH FORWARD ${batchSize} FROM ${cursor}`);
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) return;
      }
    } finally {
      if (this.active) await this.conn.query(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  private async takeTurn(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const before = this.savepointQueue;
    this.savepointQueue = before.then(() => mine);
    await before;
    return release;
  }
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Opens the store the options describe and brings its schema up to date: every store/migrations/*.sql not yet
 * recorded in `schema_migrations` is applied in name order, each in its own transaction. On Postgres the
 * migration holds an advisory lock (per schema), so processes starting together migrate one after the other.
 *
 * The adapters are loaded lazily: a Postgres deployment never loads the PGlite WASM bundle.
 */
export async function openStore(opts: StoreOptions = {}): Promise<Db> {
  // Imported here, not at the top: migrate.ts and the adapters import this module (StoreError, TxScope), and a
  // lazy import keeps that from becoming a load-order cycle.
  const { findMigrationsDir, loadMigrations } = await import('./migrate.js');
  // Found and read before connecting: a build that lost its .sql files fails at once, naming where it looked.
  const migrations = loadMigrations(opts.migrationsDir ?? findMigrationsDir());
  const store = opts.databaseUrl
    ? await (await import('./pg.js')).openPostgres(opts.databaseUrl, opts)
    : opts.memory
      ? await (await import('./pglite.js')).openPglite(opts)
      : await (await import('./embedded.js')).openEmbedded(opts);
  try {
    await store.migrate(migrations);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

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
