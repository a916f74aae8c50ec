/**
 * The migration runner: applies store/migrations/*.sql in name order, each file in its own transaction, and
 * records it in `schema_migrations` (name, checksum, applied_at). Forward only: a file once applied is never
 * edited (its checksum is checked on every start) — a change is a new file with the next number.
 *
 * Rules for migration files: plain Postgres SQL both PostgreSQL and PGlite (Postgres 17) accept; several
 * statements per file are fine; no BEGIN/COMMIT of their own and nothing that cannot run inside a transaction
 * (CREATE INDEX CONCURRENTLY, VACUUM).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreError, type QueryResult } from './types';

export interface Migration {
  /** File name without `.sql`, e.g. `001_sync_jobs`; the order migrations run in. */
  name: string;
  sql: string;
  /** sha256 of the file with line endings normalised (a checkout with CRLF is the same migration). */
  checksum: string;
}

/** One connection inside a transaction, able to run a multi-statement script. */
export interface MigrationConnection {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
  exec(script: string): Promise<void>;
}

/** What an adapter provides to migrate: one connection (the Postgres adapter holds the advisory lock on it). */
export interface MigrationTarget {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
  transaction<T>(fn: (conn: MigrationConnection) => Promise<T>): Promise<T>;
}

/**
 * Where the .sql files are. tsc does not copy them into dist/, so from the sources (jest: store/migrate.ts) they
 * are beside this file, and from the build (dist/store/migrate.js) they are in the project's store/migrations,
 * found by walking up to the nearest package.json.
 */
export function findMigrationsDir(from: string = __dirname): string {
  const tried: string[] = [];
  const beside = path.join(from, 'migrations');
  tried.push(beside);
  if (hasSqlFiles(beside)) return beside;
  for (let dir = from; ;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const candidate = path.join(dir, 'store', 'migrations');
      if (candidate !== beside) {
        tried.push(candidate);
        if (hasSqlFiles(candidate)) return candidate;
      }
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new StoreError(
    'MIGRATIONS_NOT_FOUND',
    `Cannot find the store's SQL migrations (store/migrations/*.sql); looked in: ${tried.join(', ')}. ` +
      'The build does not copy .sql files: deploy the store/migrations folder together with dist/ and package.json.',
  );
}

function hasSqlFiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((f) => f.endsWith('.sql'));
  } catch {
    return false;
  }
}

/** Reads every *.sql in dir, sorted by name (hence the zero-padded number prefix). */
export function loadMigrations(dir: string): Migration[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));
  } catch (err) {
    throw new StoreError('MIGRATIONS_NOT_FOUND', `Cannot read the migrations folder ${dir}: ${(err as Error).message}`);
  }
  if (files.length === 0) throw new StoreError('MIGRATIONS_NOT_FOUND', `No *.sql migrations in ${dir}.`);
  return files
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8').replace(/\r\n/g, '\n');
      return { name: file.slice(0, -'.sql'.length), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the migrations not yet recorded; returns the names applied (in order). The caller guarantees no other
 * process migrates the same schema at the same time (advisory lock on Postgres; PGlite has one process).
 */
export async function applyMigrations(target: MigrationTarget, migrations: readonly Migration[]): Promise<string[]> {
  await target.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       name text PRIMARY KEY,
       checksum text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await target.query('SELECT name, checksum FROM schema_migrations');
  const recorded = new Map<string, string>(rows.map((r: { name: string; checksum: string }) => [r.name, r.checksum]));

  const applied: string[] = [];
  for (const m of migrations) {
    const checksum = recorded.get(m.name);
    if (checksum !== undefined) {
      if (checksum !== m.checksum) {
        throw new StoreError(
          'MIGRATION_CHANGED',
          `Migration ${m.name}.sql was changed after it was applied to this database. ` +
            'Restore the file as it was and put the change in a new migration with the next number.',
        );
      }
      continue;
    }
    try {
      await target.transaction(async (conn) => {
        await conn.exec(m.sql);
        await conn.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
      });
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(
        'MIGRATION_FAILED',
        `Migration ${m.name}.sql failed and was rolled back (the migrations before it stay applied): ${(err as Error).message}`,
        { cause: err },
      );
    }
    applied.push(m.name);
  }
  // Migrations recorded here but missing from the files belong to a newer version of the code (a rolling
  // deploy); they are left alone.
  return applied;
}
