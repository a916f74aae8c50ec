/**
 * The stores a test can run against: always embedded PGlite (in memory), plus PostgreSQL when one answers at
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), each backend object in a fresh random
 * schema that cleanup() drops. Use with describe.each so the same tests cover both:
 *
 *   const backends = storeBackends();
 *   describe.each(backends)('on $name', (backend) => {
 *     let db: Db;
 *     beforeAll(async () => (db = await backend.open()));
 *     afterAll(() => backend.cleanup());
 *     ...
 *   });
 *
 * Settings: TEST_DATABASE_URL=off skips Postgres; TEST_REQUIRE_POSTGRES=1 makes an unreachable Postgres an
 * error instead of a note (for CI machines that are meant to have one).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStore, type Db, type StoreOptions } from '../../store/db';

export interface StoreBackend {
  name: 'pglite' | 'postgres';
  /**
   * Opens a handle on this backend's store. Postgres: every open() is a new handle on the same schema (a
   * reopen sees the data). PGlite: every open() is a new, empty in-memory database.
   */
  open(extra?: Pick<StoreOptions, 'migrationsDir' | 'logger'>): Promise<Db>;
  /** Closes every handle open() returned and, on Postgres, drops the schema. */
  cleanup(): Promise<void>;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

let probed: { url: string | undefined } | undefined;

/** The Postgres URL to test against, or undefined when there is none (checked once per test file). */
export function postgresTestUrl(): string | undefined {
  if (probed) return probed.url;
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_URL;
  if (url === '' || url === 'off') {
    process.stderr.write('store tests: TEST_DATABASE_URL=off, running on PGlite only.\n');
    probed = { url: undefined };
    return undefined;
  }
  const failure = probe(url);
  if (failure !== undefined) {
    const message = `store tests: PostgreSQL not reachable at ${describeUrl(url)} (${failure}); running on PGlite only. Set TEST_DATABASE_URL to a reachable database to test both.`;
    if (process.env.TEST_REQUIRE_POSTGRES === '1') throw new Error(message);
    process.stderr.write(`${message}\n`);
    probed = { url: undefined };
    return undefined;
  }
  probed = { url };
  return url;
}

/**
 * describe.each needs its table when the file is collected, before any async code can run, so the probe is a
 * short child process: connect with a 1.5 s timeout, exit 0 or print the error code.
 */
function probe(url: string): string | undefined {
  const script = `
    const { Client } = require(process.env.PROBE_PG);
    const c = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 1500 });
    c.connect().then(() => c.end()).then(() => process.exit(0),
      (e) => { process.stdout.write(String(e.code || e.message)); process.exit(1); });`;
  try {
    execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, PROBE_PG: require.resolve('pg'), PROBE_URL: url },
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return undefined;
  } catch (err) {
    const out = (err as { stdout?: string }).stdout;
    return out ? out.slice(0, 200) : 'no answer';
  }
}

/** host:port/database of a URL, without user or password, for messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'TEST_DATABASE_URL (not a valid URL)';
  }
}

/** A fresh backend list: new schema names, no handles yet. Call once per describe.each. */
export function storeBackends(): StoreBackend[] {
  const backends: StoreBackend[] = [tracked('pglite', () => openStore({ memory: true }))];
  const url = postgresTestUrl();
  if (url) {
    const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
    backends.push(
      tracked(
        'postgres',
        (extra) => openStore({ databaseUrl: url, schema, connectTimeoutMs: 3000, ...extra }),
        () => dropSchema(url, schema),
      ),
    );
  }
  return backends;
}

function tracked(
  name: StoreBackend['name'],
  open: (extra?: Pick<StoreOptions, 'migrationsDir' | 'logger'>) => Promise<Db>,
  drop?: () => Promise<void>,
): StoreBackend {
  const handles: Db[] = [];
  return {
    name,
    async open(extra) {
      const db = await open(extra);
      handles.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(handles.splice(0).map((db) => db.close()));
      await drop?.();
    },
  };
}

/** Drops a test's PostgreSQL schema (and everything in it). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
