/**
 * The embedded adapter: PGlite (Postgres 17 in WASM) with its files in `${DATA_DIR}/pglite`, used when
 * DATABASE_URL is unset. PGlite is one process with one connection: queries run one at a time, a transaction
 * holds the whole database until it ends, and only one process may open a data directory (PGlite itself would
 * let a second process open it and corrupt it). That process serves the store to the others on the machine:
 * store/embedded.ts decides who owns it, store/embedded-server.ts serves it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { PGlite, Results } from '@electric-sql/pglite';
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
import { applyMigrations, type Migration } from './migrate';
import type { SessionGate } from './embedded-server';
import { compilePgliteWasm, initialiseInChild, isInitialised, startParams } from './pglite-memory';

/**
 * How PGlite is loaded. In a plain node process: require. Under jest, modules (node_modules too) run in a vm
 * context where a dynamic import throws unless node runs with --experimental-vm-modules, and PGlite's
 * Emscripten glue calls `import('node:module')` while starting (electric-sql/pglite#224); jest also hands out
 * its own `module` and `require`. There PGlite is loaded through Node's own loader instead, reached by a script
 * compiled in the main context with USE_MAIN_CONTEXT_DEFAULT_LOADER (node >= 20.12; it logs an experimental
 * warning, hence not used outside a sandbox).
 *
 * PGlite then lives in the outer realm: its `instanceof Date` does not recognise the test's Dates, and the
 * Dates and JSON it builds are not the test's. toParams and the parsers below (created in this module's realm)
 * take care of both; in a plain process they change nothing.
 */
type PgliteModule = typeof import('@electric-sql/pglite');
let pgliteModule: Promise<PgliteModule> | undefined;
function loadPglite(): Promise<PgliteModule> {
  pgliteModule ??= (async () => {
    const sandboxed = vm.runInThisContext('globalThis') !== globalThis;
    const mainContextLoader = (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol })
      .USE_MAIN_CONTEXT_DEFAULT_LOADER;
    // PGlite's CommonJS build, loaded as the rest of this CommonJS program is; a sandbox (below) goes through the
    // main context's loader instead.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    if (!sandboxed || !mainContextLoader) return require('@electric-sql/pglite') as PgliteModule;
    const nativeImport = new vm.Script('(specifier) => import(specifier)', {
      importModuleDynamically: mainContextLoader as unknown as vm.ScriptOptions['importModuleDynamically'],
    }).runInThisContext() as (specifier: string) => Promise<typeof import('node:module')>;
    const { createRequire } = await nativeImport('node:module');
    return createRequire(__filename)('@electric-sql/pglite') as PgliteModule;
  })();
  return pgliteModule;
}

const parseTimestamp = (v: string): Date | number =>
  v === 'infinity' ? Infinity : v === '-infinity' ? -Infinity : new Date(v);
const PARSERS: Record<number, (value: string) => unknown> = {
  ...TEXT_PARSERS,
  114: (v) => JSON.parse(v) as unknown, // json
  3802: (v) => JSON.parse(v) as unknown, // jsonb
  1114: parseTimestamp, // timestamp
  1184: parseTimestamp, // timestamptz
  17: (v) => Buffer.from(v.slice(2), 'hex'), // bytea, '\x…': a Buffer as from pg (PGlite's own gives a Uint8Array)
};

/** Dates and byte arrays in a form PGlite's serializers accept whatever realm they come from. */
function toParams(params: unknown[] | undefined): unknown[] | undefined {
  return params?.map((p) =>
    p !== null && typeof p === 'object'
      ? Object.prototype.toString.call(p) === '[object Date]'
        ? (p as Date).toISOString()
        : ArrayBuffer.isView(p)
          ? Buffer.from(p.buffer, p.byteOffset, p.byteLength)
          : p
      : p,
  );
}

function toResult<R>(r: Results<R>): QueryResult<R> {
  // PGlite reports affectedRows for writes and 0 for SELECT; pg's rowCount is the row count for both.
  return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
}

export class PgliteStore implements Db {
  readonly kind = 'pglite' as const;
  appliedMigrations: readonly string[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    readonly pg: PGlite,
    private readonly unlock: () => void,
    /** Set when other processes share this PGlite through the socket server: every turn on the session takes it. */
    private readonly gate?: SessionGate,
  ) {}

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.gate ? this.gate.run(fn) : fn();
  }

  /** PGlite's one connection is busy with a transaction of this async call chain: waiting would be forever. */
  private assertUsable(method: string): void {
    if (this.closing) throw new StoreError('STORE_CLOSED', 'The store is closed.');
    if (activeTx(this)) {
      throw new StoreError(
        'STORE_MISUSE',
        `db.${method}() was called inside db.transaction() on the embedded store, which has a single connection ` +
          'and would wait for the transaction forever. Use the tx passed to the transaction callback.',
      );
    }
  }

  async query<R = UntypedRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    this.assertUsable('query');
    return toResult(await this.exclusive(() => this.pg.query<R>(sql, toParams(params))));
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const outer = activeTx(this);
    if (outer) return outer.transaction(fn);
    this.assertUsable('transaction');
    // PGlite's transaction() holds its mutex (other callers wait), issues BEGIN/COMMIT, rolls back on a throw,
    // and throws 25P02 when COMMIT finds the transaction aborted.
    return this.exclusive(() =>
      this.pg.transaction((ptx) =>
        runInScope(this, { query: async (s, p) => toResult(await ptx.query(s, toParams(p))) }, fn),
      ),
    );
  }

  async *iterate<R = UntypedRow>(sql: string, params: unknown[] = [], batchSize = 500): AsyncIterable<R[]> {
    checkBatchSize(batchSize);
    this.assertUsable('iterate');
    // WITH HOLD: the cursor outlives its (implicit) transaction, so the single connection is free for other
    // queries between batches; Postgres materialises the result inside the database (spilling to its files).
    const cursor = nextCursorName();
    await this.exclusive(() =>
      this.pg.query(`DECLARE ${cursor} NO SCROLL CURSOR WITH HOLD FOR ${cursorQuery(sql)}`, toParams(params)),
    );
    try {
      for (;;) {
        const { rows } = await this.exclusive(() => this.pg.query<R>(`FETCH FORWARD ${batchSize} FROM ${cursor}`));
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) break;
      }
    } finally {
      if (!this.pg.closed) await this.exclusive(() => this.pg.query(`CLOSE ${cursor}`)).catch(() => undefined);
    }
  }

  /** Applies pending migrations; called before the store is served to other processes, so no lock is needed. */
  async migrate(migrations: readonly Migration[]): Promise<void> {
    this.appliedMigrations = await applyMigrations(
      {
        query: async (s, p) => toResult(await this.pg.query(s, toParams(p))),
        transaction: (fn) =>
          this.pg.transaction((ptx) =>
            fn({
              query: async (s, p) => toResult(await ptx.query(s, toParams(p))),
              exec: async (script) => void (await ptx.exec(script)),
            }),
          ),
      },
      migrations,
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.pg.closed) await this.pg.close();
      } finally {
        this.unlock();
      }
    })();
    return this.closing;
  }
}

/** In-memory PGlite (StoreOptions.memory): one process, no files, no sharing. */
export async function openPglite(opts: StoreOptions): Promise<PgliteStore> {
  const schema = checkSchemaName(opts.schema);
  const { PGlite } = await loadPglite();
  const pg = await PGlite.create({ parsers: PARSERS, startParams: startParams(PGlite.defaultStartParams) });
  return withSchema(new PgliteStore(pg, () => undefined), schema);
}

/**
 * Opens PGlite on the files in `dir` for the process that holds the lock (store/embedded.ts); `unlock` runs on
 * close, after PGlite has closed.
 */
export async function openPgliteFiles(
  dir: string,
  unlock: () => void,
  gate: SessionGate,
  schema?: string,
): Promise<PgliteStore> {
  const { PGlite } = await loadPglite();
  let pg: PGlite;
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    // A new store is created out of process: PGlite's initdb keeps ~500 MB in the process that runs it.
    const pgliteModule = require.resolve('@electric-sql/pglite');
    if (!isInitialised(dir)) await initialiseInChild(dir, pgliteModule);
    pg = await PGlite.create(dir, {
      parsers: PARSERS,
      startParams: startParams(PGlite.defaultStartParams),
      // A WebAssembly.Module of the main context (pglite-memory.ts); this program's TS lib has no WebAssembly types.
      pgliteWasmModule: await compilePgliteWasm(pgliteModule),
    });
  } catch (err) {
    unlock();
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot open the embedded store in DATA_DIR (${dir}): ${(err as Error).message ?? err}. Check that DATA_DIR is writable and holds a store of this PGlite version, or set DATABASE_URL to use PostgreSQL.`,
      { cause: err },
    );
  }
  return withSchema(new PgliteStore(pg, unlock, gate), schema);
}

/** `schema` already checked with checkSchemaName. */
async function withSchema(store: PgliteStore, schema: string | undefined): Promise<PgliteStore> {
  if (schema) {
    try {
      // One connection: a session-level SET is the search_path of everything after it (on a shared store, of
      // every process's connections too).
      await store.pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}
