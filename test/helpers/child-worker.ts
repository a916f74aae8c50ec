/**
 * A sync worker in its own process, for test/jobs.spec.ts, forked with test/helpers/swc-register.js. It works on
 * LOS_IMPORT under CHILD_PREFIX with a short lock, against the store named by CHILD_DATABASE_URL (+ CHILD_SCHEMA)
 * or the embedded one in CHILD_DATA_DIR. It tells the parent over IPC what its sync is doing:
 *
 * - CHILD_MODE=hang: reports progress, sends {type: 'running'}, then hangs until the parent SIGKILLs it;
 * - CHILD_MODE=cancel: sends {type: 'running'}, waits for its AbortSignal, sends {type: 'aborted', reason} and
 *   throws SyncCancelledError.
 * - CHILD_MODE=los-crash: runs the real LOS import (LOS_FTP_URL, DAR_URL from CHILD_LOS_FTP_URL, CHILD_DAR_URL),
 *   and after CHILD_CRASH_AFTER statements inside its transaction sends {type: 'running'} and stops there, its
 *   transaction open and half-written, until the parent SIGKILLs it.
 * - CHILD_MODE=fence: writes three rows to test_writes through the sync's store, sends {type: 'running'}, then
 *   blocks its event loop (no timers, no lock or lease renewal) until the file CHILD_FLAG_FILE exists; then,
 *   like a sync that does not look at its signal, tries one more write and sends {type: 'after-block', written,
 *   error}, and finally {type: 'aborted', reason} once its AbortSignal fires.
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import { openStore } from '../../store/db';
import { startWorkers } from '../../jobs/framework/worker';
import { SyncCancelledError, type SyncProcessor } from '../../jobs/framework/types';
import { runLosImport } from '../../jobs/los-import/los-import';
import type { Db, Tx } from '../../store/db';

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig(
    {
      REDIS_URL: env.CHILD_REDIS_URL,
      LOG_LEVEL: 'silent',
      LOS_FTP_URL: env.CHILD_LOS_FTP_URL,
      DAR_URL: env.CHILD_DAR_URL,
    },
    { mode: 'worker' },
  );
  const store = env.CHILD_DATABASE_URL
    ? await openStore({ databaseUrl: env.CHILD_DATABASE_URL, schema: env.CHILD_SCHEMA, connectTimeoutMs: 3000 })
    : await openStore({ dataDir: env.CHILD_DATA_DIR });
  const hang: SyncProcessor = async (ctx) => {
    ctx.progress(0.5, 'half way, then killed');
    ctx.issue({ severity: 'WARNING', message: 'from the attempt that is killed' });
    process.send?.({ type: 'running', jobId: ctx.jobId, attempt: ctx.attempt });
    return new Promise(() => undefined);
  };
  const waitForCancel: SyncProcessor = async (ctx) => {
    process.send?.({ type: 'running', jobId: ctx.jobId, attempt: ctx.attempt });
    const reason = await new Promise((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason), { once: true }),
    );
    process.send?.({ type: 'aborted', reason });
    throw new SyncCancelledError();
  };
  const crashAfter = Number(env.CHILD_CRASH_AFTER ?? 50);
  /** The store as the import sees it: statement number `crashAfter` inside the transaction never returns. */
  const crashing = (db: Db): Db => {
    let statements = 0;
    const wrapTx = (tx: Tx): Tx => ({
      ...tx,
      query: async (sql: string, params?: unknown[]) => {
        if (++statements === crashAfter) {
          process.send?.({ type: 'running', statements });
          return new Promise(() => undefined);
        }
        return tx.query(sql, params);
      },
      transaction: (fn) => tx.transaction((inner) => fn(wrapTx(inner))),
      iterate: (sql, params, size) => tx.iterate(sql, params, size),
    });
    return {
      kind: db.kind,
      appliedMigrations: db.appliedMigrations,
      query: (sql, params) => db.query(sql, params),
      iterate: (sql, params, size) => db.iterate(sql, params, size),
      transaction: (fn) => db.transaction((tx) => fn(wrapTx(tx))),
      close: () => db.close(),
    };
  };
  const fence: SyncProcessor = async (ctx) => {
    const write = (step: number) =>
      ctx.store.query('INSERT INTO test_writes (worker, attempt, step) VALUES ($1, $2, $3)', [
        'child',
        ctx.attempt,
        step,
      ]);
    for (let step = 1; step <= 3; step++) await write(step);
    process.send?.({ type: 'running', jobId: ctx.jobId, attempt: ctx.attempt });
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (!existsSync(env.CHILD_FLAG_FILE!)) Atomics.wait(sleeper, 0, 0, 25); // the event loop is blocked here
    let after: { written: boolean; error?: string };
    try {
      await write(4);
      after = { written: true };
    } catch (e) {
      after = { written: false, error: (e as Error).name };
    }
    process.send?.({ type: 'after-block', ...after });
    const reason = await new Promise((resolve) => {
      if (ctx.signal.aborted) resolve(ctx.signal.reason);
      ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason), { once: true });
    });
    process.send?.({ type: 'aborted', reason });
    throw new SyncCancelledError(`stopped: ${String(reason)}`);
  };
  const losCrash: SyncProcessor = (ctx) => runLosImport({ ...ctx, store: crashing(ctx.store) });
  const processor =
    env.CHILD_MODE === 'cancel'
      ? waitForCancel
      : env.CHILD_MODE === 'los-crash'
        ? losCrash
        : env.CHILD_MODE === 'fence'
          ? fence
          : hang;
  const workers = await startWorkers({
    config,
    logger: createLogger('silent'),
    store,
    processors: new Map([['LOS_IMPORT', processor]]),
    prefix: env.CHILD_PREFIX,
    lockDurationMs: 1000,
    stalledIntervalMs: 500,
    // Long: in the cancel test the request must arrive as an event, not through the marker poll.
    cancelPollMs: 60_000,
  });
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'stop') return;
    void workers
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
  process.send?.({ type: 'ready' });
}

main().catch((e) => {
  process.send?.({ type: 'error', message: String((e as Error).stack ?? e) });
  process.exit(1);
});
