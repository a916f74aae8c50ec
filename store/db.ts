/**
 * The store: one SQL interface over PostgreSQL (`pg`, when DATABASE_URL is set) or embedded PGlite (a real
 * Postgres 17 compiled to WASM, under DATA_DIR otherwise). Callers write plain Postgres SQL with `$1` parameters
 * and get the same rows back from both; the adapters (store/pg.ts, store/pglite.ts) differ only in how they hold
 * connections. `openStore()` applies the SQL migrations in store/migrations before it returns.
 */
import { findMigrationsDir, loadMigrations } from './migrate';
import type { Db, StoreOptions } from './types';

// The vocabulary lives in types.ts and tx.ts (the adapters import those, never this file); re-exported here so
// callers outside the store keep one entry point.
export * from './types';
export * from './tx';

/**
 * Opens the store the options describe and brings its schema up to date: every store/migrations/*.sql not yet
 * recorded in `schema_migrations` is applied in name order, each in its own transaction. On Postgres the
 * migration holds an advisory lock (per schema), so processes starting together migrate one after the other.
 *
 * The adapters are loaded lazily: a Postgres deployment never loads the PGlite WASM bundle. Lazily through
 * require(), not import(): under tsconfig's node16 module mode an import() stays a real ES-module import at run
 * time, which loads the adapter through Node's ES-module loader — and the embedded PGlite store loaded that way
 * ran the warm LOS import slower (npm run bench -- los-import, PGlite warm full: 7.9–8.6 s in 4 runs against
 * 6.7–7.8 s with require() or the old CommonJS build).
 */
export async function openStore(opts: StoreOptions = {}): Promise<Db> {
  // Found and read before connecting: a build that lost its .sql files fails at once, naming where it looked.
  const migrations = loadMigrations(opts.migrationsDir ?? findMigrationsDir());
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy CommonJS loads, see above */
  const store = opts.databaseUrl
    ? await (require('./pg') as typeof import('./pg.js')).openPostgres(opts.databaseUrl, opts)
    : opts.memory
      ? await (require('./pglite') as typeof import('./pglite.js')).openPglite(opts)
      : await (require('./embedded') as typeof import('./embedded.js')).openEmbedded(opts);
  /* eslint-enable @typescript-eslint/no-require-imports */
  try {
    await store.migrate(migrations);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
