/**
 * One embedded store (DATA_DIR, no DATABASE_URL) shared by several processes on one machine: the first to open
 * it owns PGlite and serves it on a Unix socket, the others use it through `pg`; when the owner dies another
 * process takes over. Real processes: this jest worker and children (test/helpers/store-process.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openStore, StoreError, type Db } from '../store/db';
import type { EmbeddedStore } from '../store/embedded';
import { SyncJobsRepo } from '../store/sync-jobs.repo';
import { SyncStateRepo } from '../store/sync-state.repo';
import { deferred, waitFor } from './helpers/jobs';
import { nth } from './helpers/defined';

interface StoreProcess {
  pid: number;
  ready: { role: string; ownerPid: number; pid: number };
  call(cmd: string, args?: Record<string, unknown>): Promise<any>;
  /** For hold-tx: the first answer ({inTx}) and the second (the statement run after `continue`). */
  callTwice(cmd: string): { first: Promise<any>; second: Promise<any> };
  exited: Promise<void>;
  child: ChildProcess;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

async function startStoreProcess(dataDir: string, env: Record<string, string> = {}): Promise<StoreProcess> {
  const child = fork(path.join(__dirname, 'helpers', 'store-process.ts'), [], {
    execArgv: ['--require', path.join(__dirname, 'helpers', 'swc-register.js')],
    env: { ...process.env, CHILD_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<number, ((m: any) => void)[]>();
  let seq = 0;
  const ready = await new Promise<any>((resolve, reject) => {
    child.on('message', (m: any) => {
      if (m?.type === 'ready') resolve(m);
      else if (m?.type === 'error') reject(new Error(`store process failed: ${m.message}`));
      else if (typeof m?.id === 'number') waiting.get(m.id)?.shift()?.(m);
    });
    child.once('exit', (code) => reject(new Error(`store process exited (${code}) before it was ready: ${output}`)));
  });
  const answer = (m: any) => {
    if (m.ok) return m.value;
    throw Object.assign(new Error(m.message), { code: m.code });
  };
  const send = (cmd: string, args: Record<string, unknown>, replies: number) => {
    const id = ++seq;
    const promises = Array.from({ length: replies }, () => {
      const d = deferred<any>();
      waiting.set(id, [...(waiting.get(id) ?? []), d.resolve]);
      return d.promise.then(answer);
    });
    child.send({ id, cmd, ...args });
    return promises;
  };
  return {
    pid: child.pid!,
    ready,
    child,
    exited,
    call: (cmd, args = {}) => nth(send(cmd, args, 1), 0),
    callTwice: (cmd) => {
      const answers = send(cmd, {}, 2);
      return { first: nth(answers, 0), second: nth(answers, 1) };
    },
  };
}

function dataDirFor(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `idbro-${name}-`));
  dirs.push(dir);
  return dir;
}

function lockOf(dataDir: string): { pid: number; socket?: string } {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'pglite.lock'), 'utf8'));
}

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('one embedded store for the API and its workers', () => {
  it('an API-like process and a worker process on one DATA_DIR both read and write it, without interleaving', async () => {
    const dataDir = dataDirFor('shared');
    const api = (await openStore({ dataDir })) as EmbeddedStore;
    try {
      expect(api.role).toBe('owner');
      const worker = await startStoreProcess(dataDir);
      expect(worker.ready).toMatchObject({ role: 'client', ownerPid: process.pid });
      expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, socket: path.join(dataDir, '.s.PGSQL.5432') });

      // The API creates a job record and writes a mark; the worker sees both, runs and finishes the job.
      const jobs = new SyncJobsRepo(api);
      const id = randomUUID();
      await jobs.create({ id, kind: 'LOS_IMPORT', params: { from: 'api' } });
      await new SyncStateRepo(api).set('written-by-api', { at: 'x' });
      expect(await worker.call('finish-job', { jobId: id })).toEqual({ stateSeen: 'QUEUED' });
      expect(await jobs.get(id)).toMatchObject({
        state: 'SUCCEEDED',
        attempts: 1,
        message: 'finished by the worker',
        result: { created: 1, details: { mark: { at: 'x' } } },
      });
      expect((await jobs.issues(id)).map((i) => i.message)).toEqual([`seen by pid ${worker.pid}`]);

      // Both sides at once: parameterized queries (Parse/Bind/Execute/Sync from several connections and the
      // owner itself) each get their own answer, and read-modify-write transactions lose no update.
      await api.query(`CREATE TABLE shared_counter (name text PRIMARY KEY, n int NOT NULL)`);
      await api.query(`INSERT INTO shared_counter VALUES ('c', 0)`);
      const ownBurst = Promise.all(
        Array.from({ length: 200 }, (_, i) => api.query('SELECT $1::int AS i, $2::text AS who', [i, 'api'])),
      ).then((rs) => rs.filter((r, i) => r.rows[0].i !== i || r.rows[0].who !== 'api').length);
      const ownIncrements = Promise.all(
        Array.from({ length: 30 }, () =>
          api.transaction(async (tx) => {
            const { rows } = await tx.query(`SELECT n FROM shared_counter WHERE name = 'c'`);
            await tx.query(`UPDATE shared_counter SET n = $1 WHERE name = 'c'`, [rows[0].n + 1]);
          }),
        ),
      );
      const [workerWrong, ownWrong, workerIncrements] = await Promise.all([
        worker.call('burst', { n: 200 }),
        ownBurst,
        worker.call('increments', { n: 30 }),
        ownIncrements,
      ]);
      expect({ workerWrong, ownWrong, workerIncrements }).toEqual({
        workerWrong: 0,
        ownWrong: 0,
        workerIncrements: 30,
      });
      expect((await api.query(`SELECT n FROM shared_counter WHERE name = 'c'`)).rows).toEqual([{ n: 60 }]);
      expect(await worker.call('query', { sql: `SELECT n FROM shared_counter WHERE name = 'c'` })).toEqual([{ n: 60 }]);

      // The worker's transaction callbacks fail with their own errors, and db.query inside one is refused as on PGlite.
      await expect(worker.call('tx-throws')).rejects.toMatchObject({
        code: 'OWN_ERROR',
        message: 'the callback gave up',
      });
      await expect(worker.call('tx-throws', { misuse: true })).rejects.toMatchObject({ code: 'STORE_MISUSE' });
      expect(
        await worker.call('query', { sql: `SELECT count(*)::int AS n FROM shared_counter WHERE name = 'thrown'` }),
      ).toEqual([{ n: 0 }]);
      expect(await worker.call('role')).toEqual({ role: 'client', ownerPid: process.pid });

      // A cursor of the API, with the worker's writes between its batches (the session is free between them).
      const rows: number[] = [];
      for await (const batch of api.iterate<{ i: number }>('SELECT generate_series(1, 25) AS i', [], 10)) {
        rows.push(...batch.map((r) => r.i));
        await worker.call('query', { sql: `UPDATE shared_counter SET n = n + 1 WHERE name = 'c'` });
      }
      expect(rows).toHaveLength(25);
      expect((await api.query(`SELECT n FROM shared_counter WHERE name = 'c'`)).rows).toEqual([{ n: 63 }]);

      await worker.call('close');
      await worker.exited;
    } finally {
      await api.close();
    }
    expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, '.s.PGSQL.5432'))).toBe(false);
  }, 120_000);

  it('when the owner is killed, the other process takes the store over and a new process joins it', async () => {
    const dataDir = dataDirFor('takeover');
    const first = await startStoreProcess(dataDir);
    expect(first.ready.role).toBe('owner');
    const db = (await openStore({ dataDir })) as EmbeddedStore;
    try {
      expect({ role: db.role, ownerPid: db.ownerPid }).toEqual({ role: 'client', ownerPid: first.pid });
      await first.call('query', { sql: `CREATE TABLE kept (who text)` });
      await first.call('query', { sql: `INSERT INTO kept VALUES ('first owner')` });
      await db.query(`INSERT INTO kept VALUES ('client')`);

      first.child.kill('SIGKILL');
      await first.exited;
      // Left behind by the killed owner: its lock (naming a process that is gone) and its socket file.
      expect(lockOf(dataDir).pid).toBe(first.pid);
      expect(fs.existsSync(path.join(dataDir, '.s.PGSQL.5432'))).toBe(true);

      await waitFor('this process to take the store over', () => db.role === 'owner', { timeoutMs: 60_000 });
      expect(lockOf(dataDir)).toMatchObject({ pid: process.pid, socket: path.join(dataDir, '.s.PGSQL.5432') });
      expect((await db.query('SELECT who FROM kept ORDER BY who')).rows).toEqual([
        { who: 'client' },
        { who: 'first owner' },
      ]);

      const next = await startStoreProcess(dataDir);
      expect(next.ready).toMatchObject({ role: 'client', ownerPid: process.pid });
      await next.call('query', { sql: `INSERT INTO kept VALUES ('next')` });
      expect((await db.query('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 3 }]);
      await next.call('close');
      await next.exited;
    } finally {
      await db.close();
    }
  }, 120_000);

  it('a process opening the store of a killed owner takes it over (stale lock and socket)', async () => {
    const dataDir = dataDirFor('stale');
    const first = await startStoreProcess(dataDir);
    expect(first.ready.role).toBe('owner');
    await first.call('query', { sql: `CREATE TABLE kept (who text)` });
    await first.call('query', { sql: `INSERT INTO kept VALUES ('first owner')` });
    first.child.kill('SIGKILL');
    await first.exited;
    expect(lockOf(dataDir).pid).toBe(first.pid);

    const db = (await openStore({ dataDir })) as EmbeddedStore;
    try {
      expect(db.role).toBe('owner');
      expect(lockOf(dataDir).pid).toBe(process.pid);
      expect((await db.query('SELECT who FROM kept')).rows).toEqual([{ who: 'first owner' }]);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('a process idle inside a transaction is ended after DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS; the others go on', async () => {
    const dataDir = dataDirFor('idle');
    const warnings: string[] = [];
    const db: Db = await openStore({
      dataDir,
      idleInTransactionTimeoutMs: 300,
      logger: { warn: (m) => warnings.push(m) },
    });
    try {
      await db.query(`CREATE TABLE shared_counter (name text PRIMARY KEY, n int NOT NULL)`);
      const worker = await startStoreProcess(dataDir);
      const held = worker.callTwice('hold-tx');
      expect(await held.first).toEqual({ inTx: true });
      // The worker's open transaction holds the one session: this waits until the owner ends it.
      expect((await db.query(`SELECT count(*)::int AS n FROM shared_counter`)).rows).toEqual([{ n: 0 }]);
      expect(warnings.join('\n')).toMatch(
        /idle inside a transaction for more than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS \(300 ms\)/,
      );

      await worker.call('continue');
      const err = await held.second.then(
        () => undefined,
        (e) => e,
      );
      expect(err).toMatchObject({ code: 'IDLE_IN_TRANSACTION_TIMEOUT' });
      expect(err.message).toMatch(
        /^The embedded store ended the connection: it stayed idle inside a transaction for longer than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS \(300 ms\)/,
      );
      // The worker's store still works afterwards, on a new connection.
      expect(await worker.call('query', { sql: `SELECT count(*)::int AS n FROM shared_counter` })).toEqual([{ n: 0 }]);
      await worker.call('close');
      await worker.exited;
    } finally {
      await db.close();
    }
  }, 120_000);

  it('a process can connect while a transaction of another holds the store; its statements wait for the commit', async () => {
    const dataDir = dataDirFor('connect');
    const db = await openStore({ dataDir });
    const client = new Client({ host: dataDir, port: 5432, user: 'postgres', database: 'postgres', ssl: false });
    try {
      await db.query('CREATE TABLE t (x int)');
      const connected = deferred();
      let read: Promise<unknown> | undefined;
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        // Connecting does not need the session: this resolves while the transaction is still open.
        void client.connect().then(() => connected.resolve(), connected.reject);
        await connected.promise;
        read = client.query('SELECT count(*)::int AS n FROM t');
      });
      expect(((await read) as any).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end().catch(() => undefined);
      await db.close();
    }
  }, 120_000);

  it('refuses, naming DATABASE_URL, when the process holding the store does not share it', async () => {
    const dataDir = dataDirFor('unshared');
    // A live process that never serves the store (an older idbro: its lock has no `serves`).
    fs.writeFileSync(path.join(dataDir, 'pglite.lock'), JSON.stringify({ pid: process.ppid, hostname: os.hostname() }));
    const err = await openStore({ dataDir }).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe('STORE_LOCKED');
    expect(err.message).toContain(`in use by process ${process.ppid}, which does not share it`);
    expect(err.message).toContain('set DATABASE_URL');
  });
});
