/**
 * A process with the embedded store of CHILD_DATA_DIR open, driven over IPC by test/embedded-store.spec.ts (forked
 * with test/helpers/swc-register.js). It sends {type: 'ready', role, ownerPid, pid} once the store is open, then
 * answers each {id, cmd, ...} with {id, ok: true, value} or {id, ok: false, code, message}:
 *
 * - query {sql, params}: rows of one statement;
 * - role: {role, ownerPid} (owner: PGlite runs here; client: it uses process ownerPid's);
 * - burst {n}: n parameterized queries at once, each checking it got its own answer back; value = wrong answers;
 * - increments {n}: n transactions at once, each reading the counter and writing it back plus one;
 * - tx-throws {misuse}: a transaction whose callback throws its own error (misuse: after calling db.query inside it);
 * - finish-job {jobId}: the worker's part of a sync job the other process created (running, an issue, finished);
 * - hold-tx: opens a transaction, writes a row, answers {inTx: true} and waits for `continue`, then runs one more
 *   statement in that transaction and answers (second reply, same id);
 * - close: closes the store and exits.
 */
import { openStore, StoreError, type Db } from '../../store/db';
import { SyncJobsRepo } from '../../store/sync-jobs.repo';
import { SyncStateRepo } from '../../store/sync-state.repo';

type Request = { id: number; cmd: string; [k: string]: any };

async function main(): Promise<void> {
  const env = process.env;
  const db: Db & { role?: string; ownerPid?: number } = await openStore({
    dataDir: env.CHILD_DATA_DIR,
    idleInTransactionTimeoutMs: env.CHILD_IDLE_TX_MS ? Number(env.CHILD_IDLE_TX_MS) : undefined,
  });
  let resume: (() => void) | undefined;
  const reply = (id: number, value: unknown) => process.send?.({ id, ok: true, value });
  const fail = (id: number, err: unknown) =>
    process.send?.({
      id,
      ok: false,
      code: err instanceof StoreError ? err.code : (err as any)?.code,
      message: (err as Error).message,
    });

  const handlers: Record<string, (req: Request) => Promise<unknown>> = {
    query: async (req) => (await db.query(req.sql, req.params)).rows,
    role: () => Promise.resolve({ role: db.role, ownerPid: db.ownerPid }),
    burst: async (req) => {
      const answers = await Promise.all(
        Array.from({ length: req.n }, (_, i) =>
          db.query('SELECT $1::int AS i, $2::text AS who', [i, `pid ${process.pid}`]),
        ),
      );
      return answers.filter((r, i) => r.rows[0].i !== i || r.rows[0].who !== `pid ${process.pid}`).length;
    },
    increments: async (req) => {
      await Promise.all(
        Array.from({ length: req.n }, () =>
          db.transaction(async (tx) => {
            const { rows } = await tx.query(`SELECT n FROM shared_counter WHERE name = 'c'`);
            await tx.query(`UPDATE shared_counter SET n = $1 WHERE name = 'c'`, [rows[0].n + 1]);
          }),
        ),
      );
      return req.n;
    },
    'finish-job': async (req) => {
      const repo = new SyncJobsRepo(db);
      const seen = await repo.get(req.jobId);
      await repo.markRunning(req.jobId, 1);
      await repo.addIssues(req.jobId, [{ severity: 'WARNING', message: `seen by pid ${process.pid}` }]);
      const mark = await new SyncStateRepo(db).get('written-by-api');
      await repo.finish(
        req.jobId,
        'SUCCEEDED',
        { created: 1, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0, details: { mark } },
        'finished by the worker',
      );
      return { stateSeen: seen?.state };
    },
    'hold-tx': (req) =>
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO shared_counter (name, n) VALUES ('held', 1)`);
        await new Promise<void>((resolve) => {
          resume = resolve;
          reply(req.id, { inTx: true });
        });
        return (await tx.query('SELECT 1 AS one')).rows;
      }),
    'tx-throws': (req) =>
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO shared_counter (name, n) VALUES ('thrown', 1)`);
        if (req.misuse) await db.query('SELECT 1');
        throw Object.assign(new Error('the callback gave up'), { code: 'OWN_ERROR' });
      }),
    continue: () => {
      resume?.();
      return Promise.resolve(true);
    },
    close: async () => {
      await db.close();
      setImmediate(() => process.exit(0));
      return true;
    },
  };

  process.on('message', (req: Request) => {
    const handler = handlers[req.cmd];
    if (!handler) return fail(req.id, new Error(`unknown command ${req.cmd}`));
    handler(req).then(
      (value) => reply(req.id, value),
      (err) => fail(req.id, err),
    );
  });
  process.send?.({ type: 'ready', role: db.role, ownerPid: db.ownerPid, pid: process.pid });
}

main().catch((err) => {
  process.send?.({ type: 'error', message: (err as Error).message, code: err?.code });
  process.exit(1);
});
