/**
 * What PGlite costs in memory, and the three things that keep it small (bench/memory.ts measures them; README,
 * "Store", gives the figures).
 *
 * 1. Its PostgreSQL settings. PGlite starts with PostgreSQL's server defaults, sized for a database server with the
 *    machine to itself: 128 MB of shared_buffers, which PGlite allocates inside its WebAssembly memory and touches at
 *    start (~150 MB of RSS before the first query). A WebAssembly memory never shrinks, so whatever PostgreSQL once
 *    allocates there (shared buffers, sort and hash memory, index builds, temporary-table buffers) stays resident
 *    for the life of the process: each of those is capped here. The embedded store's data is small (the LOS
 *    tables of a municipality are tens of MB) and its files sit in the operating system's page cache anyway, so a
 *    small buffer pool costs little time.
 * 2. Where a new store is created. PGlite creates a data directory by running initdb in a second WebAssembly
 *    instance inside the same process; that instance and the copy of the new directory it hands over are never
 *    released (~500 MB that a restarted process does not have). A new DATA_DIR is therefore created by a short-lived
 *    child process, and this process opens the finished directory.
 * 3. Its machine code. V8 compiles PGlite's 9 MB WebAssembly module with its baseline compiler (Liftoff) and then,
 *    by default, optimises it with TurboFan in the background: ~55 MB more RSS at open, before any query. The
 *    module is compiled here with Liftoff only; once it is compiled the flag is set back, so the functions that
 *    turn out to be hot are still optimised later, one by one, as V8 sees them run.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * PostgreSQL settings of the embedded store, passed as `-c` start parameters (they apply to every start, whatever
 * the data directory's postgresql.conf says). PostgreSQL's defaults in brackets.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  /** [128MB] The buffer pool: 16 MB holds the hot pages of the embedded store's tables and indexes. */
  shared_buffers: '16MB',
  /** [-1 = shared_buffers/32, here 512kB] WAL written before a flush; the embedded store's transactions are small. */
  wal_buffers: '512kB',
  /** [64MB] CREATE INDEX in migrations, VACUUM: a larger build spills to temporary files instead. */
  maintenance_work_mem: '16MB',
  /** [4MB] Per sort or hash: more spills to temporary files (the LOS import's large statements do). */
  work_mem: '4MB',
  /** [8MB] Temporary tables (the keyed-id re-derivation): more spills to files. */
  temp_buffers: '2MB',
};

/** PGlite's own start parameters followed by PGLITE_SETTINGS. */
export function startParams(defaults: readonly string[]): string[] {
  return [...defaults, ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/** A data directory PostgreSQL has been initialised in (initdb writes PG_VERSION). */
export function isInitialised(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'PG_VERSION'));
}

/**
 * Runs PGlite's initdb for `dir` in a child process (see the header): `node -e` with PGlite resolved from here,
 * so it works from the build, from ts-node and under jest alike.
 */
export function initialiseInChild(dir: string, pgliteModule: string): Promise<void> {
  const script = `
    const { PGlite } = require(process.env.IDBRO_PGLITE_MODULE);
    PGlite.create(process.env.IDBRO_PGLITE_DIR)
      .then((pg) => pg.close())
      .then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      { env: { ...process.env, IDBRO_PGLITE_MODULE: pgliteModule, IDBRO_PGLITE_DIR: dir }, maxBuffer: 1 << 20 },
      (err, _stdout, stderr) => (err ? reject(new Error(`initdb failed: ${stderr.trim() || err.message}`)) : resolve()),
    );
  });
}

/** A WebAssembly.Module (the project's TypeScript settings carry no DOM or WebAssembly types). */
export type WasmModule = object;
/**
 * The WebAssembly of Node's main context, where PGlite runs (under jest PGlite is loaded outside the test's vm
 * context, store/pglite.ts, and takes only a Module of its own realm); in a plain process, the global one.
 */
const wasm = () =>
  (vm.runInThisContext('globalThis') as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } })
    .WebAssembly;

let compiled: Promise<WasmModule> | undefined;

/**
 * PGlite's WebAssembly module (dist/pglite.wasm beside `pgliteModule`), compiled once per process with Liftoff
 * only (see the header). V8 reads the flag when it compiles; `--no-liftoff-only` is its default.
 */
export function compilePgliteWasm(pgliteModule: string): Promise<WasmModule> {
  compiled ??= (async () => {
    const bytes = await fs.promises.readFile(path.join(path.dirname(pgliteModule), 'pglite.wasm'));
    v8.setFlagsFromString('--liftoff-only');
    try {
      return await wasm().compile(bytes);
    } finally {
      v8.setFlagsFromString('--no-liftoff-only');
    }
  })();
  // A failure (an unreadable file) is not kept: the next open tries again.
  compiled.catch(() => (compiled = undefined));
  return compiled;
}
