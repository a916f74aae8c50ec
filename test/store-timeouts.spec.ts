/**
 * PostgreSQL that hangs: the statement and idle-in-transaction time-outs (DATABASE_STATEMENT_TIMEOUT_MS,
 * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS) on the real PostgreSQL, and their per-process defaults. (The embedded
 * store's idle-in-transaction limit is in test/embedded-store.spec.ts.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ConfigError, loadConfig, storeSettings } from '../core/config';
import { findMigrationsDir } from '../store/migrate';
import { openStore, StoreError, type Db } from '../store/db';
import { dropSchema, postgresTestUrl } from './helpers/stores';
import { waitFor } from './helpers/jobs';

async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e) => e,
  );
}

describe('store time-out settings', () => {
  it('default by process: 10 s for the API (serve), 60 s where jobs run (worker, demo); the setting wins', () => {
    expect(loadConfig({}, { mode: 'serve' }).databaseStatementTimeoutMs).toBe(10_000);
    expect(loadConfig({}, { mode: 'worker' }).databaseStatementTimeoutMs).toBe(60_000);
    expect(loadConfig({}, { mode: 'demo' }).databaseStatementTimeoutMs).toBe(60_000);
    for (const mode of ['serve', 'worker', 'demo'] as const) {
      expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '2500' }, { mode }).databaseStatementTimeoutMs).toBe(2500);
      expect(loadConfig({}, { mode }).databaseIdleInTransactionTimeoutMs).toBe(60_000);
    }
    const config = loadConfig(
      { DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5000' },
      { mode: 'serve' },
    );
    expect(storeSettings(config)).toEqual({
      databaseUrl: undefined,
      dataDir: './data',
      statementTimeoutMs: 0,
      idleInTransactionTimeoutMs: 5000,
    });
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '10s' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '-1' })).toThrow(
      /DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS/,
    );
  });
});

const pgUrl = postgresTestUrl();

(pgUrl ? describe : describe.skip)('on PostgreSQL', () => {
  const schemas: string[] = [];
  const open: Db[] = [];
  async function store(opts: {
    statementTimeoutMs?: number;
    idleInTransactionTimeoutMs?: number;
    migrationsDir?: string;
  }): Promise<Db> {
    const schema = `test_timeouts_${process.pid}_${randomBytes(3).toString('hex')}`;
    schemas.push(schema);
    const db = await openStore({ databaseUrl: pgUrl, schema, connectTimeoutMs: 3000, ...opts });
    open.push(db);
    return db;
  }
  afterAll(async () => {
    await Promise.all(open.map((db) => db.close()));
    for (const schema of schemas) await dropSchema(pgUrl!, schema);
  });

  it('a statement running longer than DATABASE_STATEMENT_TIMEOUT_MS fails with a StoreError naming it', async () => {
    const db = await store({ statementTimeoutMs: 200 });
    const err = await rejection(db.query('SELECT pg_sleep(5)'));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe('STATEMENT_TIMEOUT');
    expect(err.message).toMatch(
      /^PostgreSQL cancelled a statement that ran longer than DATABASE_STATEMENT_TIMEOUT_MS \(200 ms\)/,
    );
    expect(err.cause).toMatchObject({ code: '57014' });

    // Inside a transaction too: the transaction fails with it, nothing is saved, and the store goes on.
    await db.query('CREATE TABLE t (x int)');
    const inTx = await rejection(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        await tx.query('SELECT pg_sleep(5)');
      }),
    );
    expect(inTx).toMatchObject({ code: 'STATEMENT_TIMEOUT' });
    expect((await db.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 0 }]);
  });

  it('a transaction left idle longer than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS is ended by PostgreSQL and fails clearly', async () => {
    const db = await store({ idleInTransactionTimeoutMs: 300 });
    await db.query('CREATE TABLE t (x int)');
    const watcher = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
    await watcher.connect();
    try {
      const err = await rejection(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          const pid = (await tx.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
          // Idle inside the transaction until PostgreSQL has ended this session.
          await waitFor('PostgreSQL to end the idle transaction', async () => {
            const { rows } = await watcher.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [
              pid,
            ]);
            return rows[0].n === 0;
          });
          await tx.query('SELECT 1');
        }),
      );
      expect(err).toBeInstanceOf(StoreError);
      expect(err.code).toBe('IDLE_IN_TRANSACTION_TIMEOUT');
      expect(err.message).toMatch(
        /^PostgreSQL ended the connection: it stayed idle inside a transaction for longer than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS \(300 ms\), and the transaction was rolled back/,
      );
      expect((await db.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 0 }]);
    } finally {
      await watcher.end();
    }
  });

  it('migrations are not cut short by the statement time-out', async () => {
    const migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idbro-migrations-'));
    try {
      for (const f of fs.readdirSync(findMigrationsDir()))
        fs.copyFileSync(path.join(findMigrationsDir(), f), path.join(migrationsDir, f));
      fs.writeFileSync(
        path.join(migrationsDir, '999_slow.sql'),
        'SELECT pg_sleep(0.5);\nCREATE TABLE slow_done (x int);\n',
      );
      const db = await store({ statementTimeoutMs: 100, migrationsDir });
      expect(db.appliedMigrations).toContain('999_slow');
      // …while the statements after them are.
      expect((await rejection(db.query('SELECT pg_sleep(5)'))).code).toBe('STATEMENT_TIMEOUT');
    } finally {
      fs.rmSync(migrationsDir, { recursive: true, force: true });
    }
  });
});
