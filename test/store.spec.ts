/**
 * The store layer: the same tests against embedded PGlite and (when reachable) PostgreSQL, plus what only one
 * of them has: concurrent migration on Postgres, the on-disk PGlite under DATA_DIR, connection error messages.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore, StoreError, type Db } from '../store/db';
import { applyMigrations, findMigrationsDir, loadMigrations } from '../store/migrate';
import {
  ActiveSyncJobExistsError,
  InvalidCursorError,
  SyncJobsRepo,
  syncJobCursor,
  type NewSyncIssue,
  type SyncJobKind,
} from '../store/sync-jobs.repo';
import { SyncStateRepo } from '../store/sync-state.repo';
import { postgresTestUrl, storeBackends } from './helpers/stores';
import { nth } from './helpers/defined';

const MIGRATIONS = loadMigrations(findMigrationsDir()).map((m) => m.name);
const backends = storeBackends();

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `idbro-${prefix}-`));
}

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

describe.each(backends)('store on $name', (backend) => {
  let db: Db;

  beforeAll(async () => {
    db = await backend.open();
    await db.query('CREATE TABLE scratch (id int PRIMARY KEY, note text)');
  });
  afterAll(() => backend.cleanup());
  beforeEach(() => db.query('TRUNCATE scratch, sync_issues, sync_jobs, sync_state'));

  const notes = async (): Promise<string[]> =>
    (await db.query<{ note: string }>('SELECT note FROM scratch ORDER BY id')).rows.map((r) => r.note);

  describe('migrations', () => {
    it('applies every migration once and records it', async () => {
      expect(db.kind).toBe(backend.name);
      expect(db.appliedMigrations).toEqual(MIGRATIONS);
      const { rows } = await db.query('SELECT name, checksum, applied_at FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(MIGRATIONS);
      expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].applied_at).toBeInstanceOf(Date);
    });

    it('running them again applies nothing', async () => {
      const applied = await applyMigrations(
        {
          query: (sql, params) => db.query(sql, params),
          transaction: () => Promise.reject(new Error('nothing should be applied')),
        },
        loadMigrations(findMigrationsDir()),
      );
      expect(applied).toEqual([]);
    });

    // In-memory PGlite cannot be reopened; the on-disk PGlite test below covers a reopen there.
    if (backend.name === 'postgres')
      it('a reopen of the same schema applies nothing', async () => {
        const again = await backend.open();
        expect(again.appliedMigrations).toEqual([]);
        await again.close();
        await again.close(); // idempotent
      });
  });

  describe('transactions', () => {
    it('commits when the callback resolves', async () => {
      const result = await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO scratch VALUES (1, 'a'), (2, 'b')`);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await notes()).toEqual(['a', 'b']);
    });

    it('rolls back everything when the callback throws, and rethrows', async () => {
      const err = await rejection(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO scratch VALUES (1, 'a')`);
          throw new Error('boom');
        }),
      );
      expect(err.message).toBe('boom');
      expect(await notes()).toEqual([]);
    });

    it('a nested transaction is a savepoint: its failure undoes only its own work', async () => {
      const repoStyle = async (id: number, fail: boolean): Promise<void> =>
        // Called with the Db, as a repository holding `db` would: it joins the outer transaction.
        db.transaction(async (inner) => {
          await inner.query('INSERT INTO scratch VALUES ($1, $2)', [id, `n${id}`]);
          if (fail) throw new Error('inner failed');
        });
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO scratch VALUES (1, 'outer')`);
        await repoStyle(2, false);
        await expect(repoStyle(3, true)).rejects.toThrow('inner failed');
        await Promise.all([repoStyle(4, false), repoStyle(5, true).catch(() => undefined), repoStyle(6, false)]);
        await tx.transaction(async (t2) => t2.query(`INSERT INTO scratch VALUES (7, 'tx.transaction')`));
      });
      expect(await notes()).toEqual(['outer', 'n2', 'n4', 'n6', 'tx.transaction']);

      // ...and a throw in the outer callback still takes the released savepoints with it.
      await rejection(
        db.transaction(async (tx) => {
          await repoStyle(10, false);
          await tx.query(`INSERT INTO scratch VALUES (11, 'x')`);
          throw new Error('outer failed');
        }),
      );
      expect(await notes()).toEqual(['outer', 'n2', 'n4', 'n6', 'tx.transaction']);
    });

    it('refuses to commit a transaction whose statement failed even if the callback caught the error', async () => {
      const err = await rejection(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO scratch VALUES (1, 'a')`);
          await tx.query(`INSERT INTO scratch VALUES (1, 'duplicate')`).catch(() => undefined);
        }),
      );
      expect(err.code).toBe('25P02');
      expect(await notes()).toEqual([]);
    });

    it('a tx used after its callback returned is refused', async () => {
      let leaked: { query(sql: string): Promise<unknown> } | undefined;
      await db.transaction((tx) => {
        leaked = tx;
        return Promise.resolve();
      });
      const err = await rejection(Promise.resolve().then(() => leaked!.query('SELECT 1')));
      expect(err).toBeInstanceOf(StoreError);
      expect(err.code).toBe('STORE_MISUSE');
    });

    it('db.query inside a transaction: outside it on Postgres, refused on PGlite (it would wait forever)', async () => {
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO scratch VALUES (1, 'uncommitted')`);
        if (db.kind === 'postgres') {
          expect((await db.query('SELECT count(*)::int AS n FROM scratch')).rows[0].n).toBe(0);
        } else {
          const err = await rejection(db.query('SELECT 1'));
          expect(err.code).toBe('STORE_MISUSE');
          expect(err.message).toMatch(/Use the tx passed to the transaction callback/);
        }
      });
    });
  });

  describe('queries', () => {
    it('returns the same JS values from both backends', async () => {
      const { rows } = await db.query(
        `SELECT 9007199254740993::int8 AS big, 2::int AS small, 1.5::float8 AS dbl, 1.50::numeric AS num,
                '2024-02-29'::date AS day, '2024-02-29T12:00:00Z'::timestamptz AS ts,
                $1::text::jsonb AS doc, true AS flag, ARRAY['2024-01-01'::date] AS days,
                $2::bytea AS bin, $3::timestamptz AS at`,
        [JSON.stringify({ a: [1, 'x'] }), Buffer.from('hi'), new Date('2025-05-05T05:05:05.005Z')],
      );
      expect(Buffer.isBuffer(rows[0].bin)).toBe(true);
      expect(rows[0].at).toBeInstanceOf(Date);
      expect(rows[0]).toEqual({
        big: '9007199254740993',
        small: 2,
        dbl: 1.5,
        num: '1.50',
        day: '2024-02-29',
        ts: new Date('2024-02-29T12:00:00Z'),
        doc: { a: [1, 'x'] },
        flag: true,
        days: ['2024-01-01'],
        bin: Buffer.from('hi'),
        at: new Date('2025-05-05T05:05:05.005Z'),
      });
    });

    it('reports rowCount for selects, writes and DDL alike', async () => {
      expect((await db.query(`INSERT INTO scratch VALUES (1, 'a'), (2, 'b'), (3, 'c')`)).rowCount).toBe(3);
      expect((await db.query(`SELECT * FROM scratch`)).rowCount).toBe(3);
      expect((await db.query(`UPDATE scratch SET note = 'z' WHERE id > $1`, [1])).rowCount).toBe(2);
      expect((await db.query(`CREATE TEMP TABLE IF NOT EXISTS t_ddl (x int)`)).rowCount).toBe(0);
    });

    it('reports SQL errors with their SQLSTATE', async () => {
      const err = await rejection(db.query('SELECT * FROM no_such_table'));
      expect(err.code).toBe('42P01');
    });

    it('iterate streams a result in batches through a cursor', async () => {
      const sizes: number[] = [];
      const seen: number[] = [];
      for await (const batch of db.iterate<{ n: number }>(
        'SELECT n FROM generate_series(1, $1::int) AS n ORDER BY n;',
        [1234],
        500,
      )) {
        sizes.push(batch.length);
        for (const r of batch) seen.push(r.n);
        // Other work can go on between batches (on PGlite: the same single connection).
        await db.query('SELECT 1');
      }
      expect(sizes).toEqual([500, 500, 234]);
      expect(seen).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    });

    it('iterate can be left early, freeing its cursor and connection', async () => {
      for (let round = 0; round < 15; round++) {
        for await (const batch of db.iterate('SELECT n FROM generate_series(1, 100) AS n', [], 10)) {
          expect(batch).toHaveLength(10);
          break;
        }
      }
      // With 10 pooled connections, a leak would have exhausted the pool by now.
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const empty: unknown[] = [];
      for await (const batch of db.iterate('SELECT 1 WHERE false')) empty.push(batch);
      expect(empty).toEqual([]);
    });

    it('tx.iterate sees the transaction’s own writes', async () => {
      const got = await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO scratch SELECT g, 'n' || g FROM generate_series(1, 25) g`);
        const out: number[] = [];
        for await (const batch of tx.iterate<{ id: number }>('SELECT id FROM scratch ORDER BY id', [], 10))
          out.push(batch.length);
        return out;
      });
      expect(got).toEqual([10, 10, 5]);
    });
  });

  describe('sync jobs repository', () => {
    let jobs: SyncJobsRepo;
    beforeAll(() => {
      jobs = new SyncJobsRepo(db);
    });

    it('creates and reads a job with defaults', async () => {
      const id = randomUUID();
      const created = await jobs.create({ id, kind: 'LOS_IMPORT', params: { files: ['a.csv'] }, dryRun: true });
      expect(created).toMatchObject({
        id,
        kind: 'LOS_IMPORT',
        state: 'QUEUED',
        progress: 0,
        message: null,
        dryRun: true,
        params: { files: ['a.csv'] },
        attempts: 0,
        issueCount: 0,
        startedAt: null,
        finishedAt: null,
        result: null,
      });
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await jobs.get(id)).toEqual(created);
      expect(await jobs.get(randomUUID())).toBeNull();
    });

    it('goes through its lifecycle and refuses to leave a final state', async () => {
      const id = randomUUID();
      await jobs.create({ id, kind: 'FS_IMPORT' });
      const running = await jobs.markRunning(id, 1);
      expect(running).toMatchObject({ state: 'RUNNING', attempts: 1 });
      expect(running!.startedAt).toBeInstanceOf(Date);
      expect(await jobs.updateProgress(id, 0.4, 'reading')).toBe(true);
      expect(await jobs.updateProgress(id, 0.5)).toBe(true); // message kept
      expect(await jobs.get(id)).toMatchObject({ progress: 0.5, message: 'reading' });
      expect(await jobs.updateProgress(id, 7)).toBe(true); // clamped
      expect((await jobs.get(id))!.progress).toBe(1);

      const result = {
        created: 3,
        updated: 2,
        unchanged: 10,
        terminated: 1,
        skipped: 0,
        failed: 1,
        details: { file: 'x.csv' },
      };
      const done = await jobs.finish(id, 'SUCCEEDED', result, 'ok');
      expect(done).toMatchObject({ state: 'SUCCEEDED', progress: 1, result, message: 'ok' });
      expect(done!.finishedAt).toBeInstanceOf(Date);

      expect(await jobs.updateProgress(id, 0.1, 'late')).toBe(false);
      expect(await jobs.markRunning(id, 2)).toBeNull();
      expect(await jobs.finish(id, 'FAILED', null, 'again')).toBeNull();
      expect(await jobs.get(id)).toMatchObject({ state: 'SUCCEEDED', message: 'ok', attempts: 1 });
    });

    it('keeps at most one queued or running job per kind', async () => {
      const first = await jobs.create({ id: randomUUID(), kind: 'UNILOGIN_EXPORT' });
      const err = await rejection(jobs.create({ id: randomUUID(), kind: 'UNILOGIN_EXPORT' }));
      expect(err).toBeInstanceOf(ActiveSyncJobExistsError);
      expect((await jobs.findActive('UNILOGIN_EXPORT'))!.id).toBe(first.id);
      expect(await jobs.findActive('CRISTIN_EXPORT')).toBeNull();

      // Concurrent starts: exactly one is created, the rest get it back.
      const starts = await Promise.all(
        Array.from({ length: 6 }, () => jobs.createUnlessActive({ id: randomUUID(), kind: 'CRISTIN_EXPORT' })),
      );
      expect(starts.filter((s) => s.created)).toHaveLength(1);
      expect(new Set(starts.map((s) => s.job.id)).size).toBe(1);

      await jobs.markRunning(first.id, 1);
      await jobs.finish(first.id, 'CANCELLED', null, 'cancelled by test');
      expect(await jobs.findActive('UNILOGIN_EXPORT')).toBeNull();
      expect((await jobs.createUnlessActive({ id: randomUUID(), kind: 'UNILOGIN_EXPORT' })).created).toBe(true);
    });

    it('lists newest first with keyset pagination, totalCount and filters', async () => {
      const base = Date.parse('2025-01-01T00:00:00Z');
      const kinds: SyncJobKind[] = ['LOS_IMPORT', 'FS_IMPORT', 'UNILOGIN_EXPORT', 'CRISTIN_EXPORT'];
      const made: { id: string; at: number; kind: SyncJobKind }[] = [];
      for (let i = 0; i < 11; i++) {
        // Three pairs share a timestamp, so the id tie-break is exercised.
        const at = base + Math.floor(i / 2) * 60_000;
        const id = `job-${String(i).padStart(2, '0')}`;
        const kind = nth(kinds, i % 4);
        await jobs.create({ id, kind, createdAt: new Date(at) });
        await jobs.finish(id, i % 3 === 0 ? 'FAILED' : 'SUCCEEDED', null);
        made.push({ id, at, kind });
      }
      const expected = [...made].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((j) => j.id);

      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; ; page++) {
        const res: Awaited<ReturnType<SyncJobsRepo['list']>> = await jobs.list({ first: 4, after });
        expect(res.totalCount).toBe(11);
        seen.push(...res.rows.map((r) => r.id));
        if (!res.hasNextPage) break;
        after = res.endCursor;
        expect(page).toBeLessThan(5);
      }
      expect(seen).toEqual(expected);

      const failedLos = await jobs.list({ first: 10, kind: 'LOS_IMPORT', state: 'FAILED' });
      const want = made.filter((j, i) => j.kind === 'LOS_IMPORT' && i % 3 === 0).map((j) => j.id);
      expect(failedLos.rows.map((r) => r.id).sort()).toEqual(want.sort());
      expect(failedLos.totalCount).toBe(want.length);
      expect(failedLos.hasNextPage).toBe(false);

      const exports = await jobs.list({ first: 2, kind: ['UNILOGIN_EXPORT', 'CRISTIN_EXPORT'] });
      expect(exports.totalCount).toBe(made.filter((j) => j.kind.endsWith('_EXPORT')).length);
      expect(exports.rows).toHaveLength(2);
      expect(exports.hasNextPage).toBe(true);

      // The cursor of any row continues after that row.
      const fromFifth = await jobs.list({ first: 3, after: syncJobCursor({ id: nth(expected, 4) }) });
      expect(fromFifth.rows.map((r) => r.id)).toEqual(expected.slice(5, 8));

      expect((await jobs.list({ first: 0 })).rows).toEqual([]);
      await expect(jobs.list({ first: 3, after: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(jobs.list({ first: 3, after: syncJobCursor({ id: 'gone' }) })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    it('records issues in order, in batches, and clears them when an attempt restarts', async () => {
      const id = randomUUID();
      await jobs.create({ id, kind: 'LOS_IMPORT' });
      await jobs.markRunning(id, 1);
      const issue = (n: number): NewSyncIssue => ({
        severity: 'ERROR',
        message: `bad row ${n}`,
        file: 'persons.csv',
        line: n,
        field: 'cpr',
        record: `row;${n}`,
      });

      await jobs.addIssues(id, [issue(1), { severity: 'WARNING', message: 'no line' }]);
      await jobs.addIssues(id, []);
      // Concurrent writers and a batch larger than one INSERT: seq stays dense and unique.
      await Promise.all([
        jobs.addIssues(
          id,
          Array.from({ length: 1203 }, (_, i) => issue(100 + i)),
        ),
        jobs.addIssues(id, [issue(5000)]),
      ]);
      const all = await jobs.issues(id);
      expect(all.map((i) => i.seq)).toEqual(Array.from({ length: 1206 }, (_, i) => i + 1));
      expect(all[0]).toEqual({
        seq: 1,
        severity: 'ERROR',
        message: 'bad row 1',
        file: 'persons.csv',
        line: 1,
        field: 'cpr',
        record: 'row;1',
      });
      expect(all[1]).toEqual({
        seq: 2,
        severity: 'WARNING',
        message: 'no line',
        file: null,
        line: null,
        field: null,
        record: null,
      });
      const big = all.filter((i) => i.line !== null && i.line >= 100 && i.line < 5000).map((i) => i.line);
      expect(big).toEqual(Array.from({ length: 1203 }, (_, i) => 100 + i)); // a batch keeps its order
      expect((await jobs.get(id))!.issueCount).toBe(1206);
      expect((await jobs.issues(id, { afterSeq: 2, first: 3 })).map((i) => i.seq)).toEqual([3, 4, 5]);

      await expect(jobs.addIssues(randomUUID(), [issue(1)])).rejects.toThrow(/no sync job/);

      // A retried attempt starts from a clean slate.
      await jobs.markRunning(id, 2);
      expect(await jobs.issues(id)).toEqual([]);
      await jobs.addIssues(id, [issue(7)]);
      expect((await jobs.issues(id)).map((i) => [i.seq, i.line])).toEqual([[1, 7]]);

      await db.query('DELETE FROM sync_jobs WHERE id = $1', [id]);
      expect((await db.query('SELECT count(*)::int AS n FROM sync_issues WHERE job_id = $1', [id])).rows[0].n).toBe(0);
    });

    it('works inside a transaction through tx', async () => {
      const id = randomUUID();
      await rejection(
        db.transaction(async (tx) => {
          await new SyncJobsRepo(tx).create({ id, kind: 'FS_IMPORT' });
          expect(await new SyncJobsRepo(tx).get(id)).not.toBeNull();
          throw new Error('abort');
        }),
      );
      expect(await jobs.get(id)).toBeNull();
    });
  });

  describe('sync state repository', () => {
    let state: SyncStateRepo;
    beforeAll(() => {
      state = new SyncStateRepo(db);
    });

    it('stores JSON values under keys and upserts', async () => {
      expect(await state.get('missing')).toBeUndefined();
      const values: unknown[] = [
        '2025-03-01T02:00:00.000Z',
        { since: 5, files: ['a', 'b'] },
        [1, 2, 3],
        42,
        null,
        true,
      ];
      for (const [i, v] of values.entries()) {
        await state.set(`k${i}`, v);
        expect(await state.get(`k${i}`)).toEqual(v);
      }
      await state.set('k0', 'replaced');
      expect(await state.get<string>('k0')).toBe('replaced');
      expect((await state.entry('k0'))!.updatedAt).toBeInstanceOf(Date);
      await expect(state.set('bad', undefined)).rejects.toThrow(TypeError);
    });

    it('moves a mark with the transaction: a rollback leaves the old value', async () => {
      const key = 'los.lastSuccessfulImportStartedAt';
      await state.set(key, '2025-01-01T00:00:00.000Z');
      await rejection(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO scratch VALUES (1, 'imported row')`);
          await state.set(key, '2025-02-01T00:00:00.000Z', tx);
          expect(await state.get(key, tx)).toBe('2025-02-01T00:00:00.000Z');
          throw new Error('import failed at the end');
        }),
      );
      expect(await state.get(key)).toBe('2025-01-01T00:00:00.000Z');
      expect(await notes()).toEqual([]);

      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO scratch VALUES (1, 'imported row')`);
        await state.set(key, '2025-02-01T00:00:00.000Z', tx);
      });
      expect(await state.get(key)).toBe('2025-02-01T00:00:00.000Z');
    });
  });
});

const pgUrl = postgresTestUrl();

(pgUrl ? describe : describe.skip)('store on postgres only', () => {
  it('two processes opening one schema at once do not both migrate', async () => {
    const backend = storeBackends().find((b) => b.name === 'postgres')!;
    try {
      const [a, b, c] = await Promise.all([backend.open(), backend.open(), backend.open()]);
      const applied = [a, b, c].map((d) => d.appliedMigrations);
      expect(applied.filter((x) => x.length > 0)).toEqual([MIGRATIONS]);
      expect((await a.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await backend.cleanup();
    }
  });
});

describe('connection errors', () => {
  it('say which setting is wrong and how to fix it, without the password', async () => {
    const err = await rejection(
      openStore({ databaseUrl: 'postgres://u:secretpw@127.0.0.1:1/x', connectTimeoutMs: 2000 }),
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toBe(
      'Cannot reach PostgreSQL at DATABASE_URL (127.0.0.1:1/x): ECONNREFUSED. Start PostgreSQL (or correct the host and port in DATABASE_URL), or unset DATABASE_URL to use the embedded store under DATA_DIR.',
    );
    expect(String(err.stack)).not.toContain('secretpw');
  });

  it('never echo a malformed DATABASE_URL', async () => {
    for (const databaseUrl of ['postgres://u:secret pw@[oops/x', 'mysql://u:secretpw@host/x']) {
      const err = await rejection(openStore({ databaseUrl }));
      expect(err.code).toBe('BAD_SETTING');
      expect(err.message).toMatch(/^DATABASE_URL /);
      expect(err.message).not.toMatch(/secret/);
    }
  });

  (pgUrl ? it : it.skip)('name the user or database PostgreSQL refused', async () => {
    const u = new URL(pgUrl!);
    const noUser = new URL(u.href);
    noUser.username = 'no_such_role_x';
    noUser.password = 'secretpw';
    const e1 = await rejection(openStore({ databaseUrl: noUser.href }));
    expect(e1.message).toMatch(
      /refused the login of user "no_such_role_x".*Check the user and password in DATABASE_URL/,
    );
    expect(e1.message).not.toContain('secretpw');

    const noDb = new URL(u.href);
    noDb.pathname = '/no_such_db_x';
    noDb.password = 'secretpw';
    const e2 = await rejection(openStore({ databaseUrl: noDb.href }));
    expect(e2.message).toMatch(/database "no_such_db_x" does not exist\. Create it/);
    expect(e2.message).not.toContain('secretpw');
  });
});

describe('embedded store on disk (DATA_DIR)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir('data');
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps its data across close and reopen, and migrates only once', async () => {
    const first = await openStore({ dataDir });
    expect(first.kind).toBe('pglite');
    expect(first.appliedMigrations).toEqual(MIGRATIONS);
    await new SyncJobsRepo(first).create({ id: 'kept', kind: 'LOS_IMPORT', params: { n: 1 } });
    await new SyncStateRepo(first).set('mark', { at: 'x' });
    await first.close();
    await first.close(); // idempotent
    expect((await rejection(first.query('SELECT 1'))).code).toBe('STORE_CLOSED');
    expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

    const second = await openStore({ dataDir });
    try {
      expect(second.appliedMigrations).toEqual([]);
      expect(await new SyncJobsRepo(second).get('kept')).toMatchObject({ id: 'kept', params: { n: 1 } });
      expect(await new SyncStateRepo(second).get('mark')).toEqual({ at: 'x' });
    } finally {
      await second.close();
    }
  });

  it('can be opened by one holder at a time', async () => {
    const db = await openStore({ dataDir });
    try {
      const same = await rejection(openStore({ dataDir }));
      expect(same.code).toBe('STORE_LOCKED');
      expect(same.message).toMatch(/already open in this process/);
    } finally {
      await db.close();
    }
    const lockFile = path.join(dataDir, 'pglite.lock');
    expect(fs.existsSync(lockFile)).toBe(false); // released on close

    // Another live process holds it (the parent of this jest worker is alive).
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, hostname: os.hostname() }));
    const other = await rejection(openStore({ dataDir }));
    expect(other.code).toBe('STORE_LOCKED');
    expect(other.message).toContain(`in use by process ${process.ppid}`);
    expect(other.message).toContain('set DATABASE_URL');

    // A lock left by a process that is gone is taken over.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(lockFile, JSON.stringify({ pid: dead, hostname: os.hostname() }));
    const db2 = await openStore({ dataDir });
    await db2.close();
  });

  it('applies a new migration on the next start, refuses an edited one, and rolls back a failing one', async () => {
    const migrationsDir = tempDir('migrations');
    try {
      for (const f of fs.readdirSync(findMigrationsDir()))
        fs.copyFileSync(path.join(findMigrationsDir(), f), path.join(migrationsDir, f));
      await (await openStore({ dataDir, migrationsDir })).close();

      fs.writeFileSync(
        path.join(migrationsDir, '999_extra.sql'),
        'CREATE TABLE extra (x int);\nINSERT INTO extra VALUES (1);\n',
      );
      const db = await openStore({ dataDir, migrationsDir });
      expect(db.appliedMigrations).toEqual(['999_extra']);
      expect((await db.query('SELECT x FROM extra')).rows).toEqual([{ x: 1 }]);
      await db.close();

      fs.writeFileSync(
        path.join(migrationsDir, '9991_broken.sql'),
        'CREATE TABLE half (x int);\nSELECT nonsense FROM nowhere;\n',
      );
      const broken = await rejection(openStore({ dataDir, migrationsDir }));
      expect(broken.code).toBe('MIGRATION_FAILED');
      expect(broken.message).toMatch(/^Migration 9991_broken\.sql failed and was rolled back/);
      fs.rmSync(path.join(migrationsDir, '9991_broken.sql'));
      const check = await openStore({ dataDir, migrationsDir });
      expect((await check.query(`SELECT to_regclass('half') AS t`)).rows[0].t).toBeNull();
      await check.close();

      fs.appendFileSync(path.join(migrationsDir, '001_sync_jobs.sql'), '\n-- edited\n');
      const changed = await rejection(openStore({ dataDir, migrationsDir }));
      expect(changed.code).toBe('MIGRATION_CHANGED');
      expect(changed.message).toMatch(/^Migration 001_sync_jobs\.sql was changed after it was applied/);
    } finally {
      fs.rmSync(migrationsDir, { recursive: true, force: true });
    }
  });
});

describe('locating the migrations', () => {
  it('finds them beside the sources and, from a build in dist/, in the project root', () => {
    expect(findMigrationsDir()).toBe(path.resolve(__dirname, '../store/migrations'));

    const root = tempDir('project');
    try {
      fs.writeFileSync(path.join(root, 'package.json'), '{}');
      fs.mkdirSync(path.join(root, 'store', 'migrations'), { recursive: true });
      fs.writeFileSync(path.join(root, 'store', 'migrations', '001_a.sql'), 'SELECT 1;');
      fs.mkdirSync(path.join(root, 'dist', 'store'), { recursive: true });
      expect(findMigrationsDir(path.join(root, 'dist', 'store'))).toBe(path.join(root, 'store', 'migrations'));

      fs.rmSync(path.join(root, 'store'), { recursive: true });
      let err: any;
      try {
        findMigrationsDir(path.join(root, 'dist', 'store'));
      } catch (e) {
        err = e;
      }
      expect(err.code).toBe('MIGRATIONS_NOT_FOUND');
      expect(err.message).toContain(path.join(root, 'store', 'migrations'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
