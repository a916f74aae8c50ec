/**
 * The lease side of one attempt (store/sync-leases.repo.ts): take the kind's lease before the run, keep it while
 * the run goes on, fence every write of the run with it, and give it back at the end. This is the guard that
 * holds when BullMQ's lock does not: a worker that lost its Redis lock (Redis unreachable, event loop blocked)
 * keeps its lease only as long as it renews it in the store, and once another run has taken the lease, every
 * write of the old run is refused inside its own transaction.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db, Queryable, Tx } from '../../store/db';
import type { SyncJobKind } from '../../store/sync-jobs.repo';
import { SyncLeasesRepo } from '../../store/sync-leases.repo';
import type { Logger } from '../../core/logger';

export class RunLease {
  readonly token = randomUUID();
  private readonly leases: SyncLeasesRepo;
  private heartbeat?: NodeJS.Timeout;
  private renewing = false;

  constructor(
    private readonly store: Db,
    readonly kind: SyncJobKind,
    private readonly jobId: string,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    this.leases = new SyncLeasesRepo(store);
  }

  /**
   * Takes the lease, waiting while another run holds it (that run is alive and renewing, or will expire).
   * Returns false, without the lease, when `stop` aborts first (shutdown, or this worker lost the job's lock).
   * Waiting here rather than re-queueing keeps the job's attempt count honest and the job on this worker.
   */
  async acquire(stop: AbortSignal): Promise<boolean> {
    let logged = false;
    for (;;) {
      const got = await this.leases.acquire(
        this.kind,
        this.token,
        this.jobId,
        `${hostname()}:${process.pid}`,
        this.ttlMs,
      );
      if (got.acquired) return true;
      if (!logged) {
        this.log.warn(
          { holder: got.current.holder, holderJobId: got.current.jobId },
          'another run of this kind still holds its lease: waiting for it to end or expire',
        );
        logged = true;
      }
      const wait = Math.min(Math.max(got.current.remainingMs + 20, 50), Math.max(this.ttlMs / 3, 50));
      if (!(await pause(wait, stop))) return false;
    }
  }

  /** Renews the lease every third of its time; `onLost` when another run has taken it. */
  keepAlive(onLost: () => void): void {
    this.heartbeat = setInterval(
      () => {
        if (this.renewing) return; // the last renewal is still waiting (PGlite busy with the sync's transaction)
        this.renewing = true;
        this.leases
          .renew(this.kind, this.token, this.ttlMs)
          .then(
            (held) => {
              if (!held) onLost();
            },
            // A failed renewal proves nothing: the lease is lost only when another run has taken it.
            (e: Error) => this.log.warn({ err: e.message }, 'could not renew the run lease'),
          )
          .finally(() => (this.renewing = false));
      },
      Math.max(this.ttlMs / 3, 20),
    );
  }

  /** Throws LeaseLostError unless this run still holds the lease; locks it until `tx` ends. */
  check(tx: Queryable): Promise<void> {
    return new SyncLeasesRepo(tx).check(this.kind, this.token);
  }

  /** A transaction whose writes commit only while this run holds the lease. */
  fenced<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.transaction(async (tx) => {
      await this.check(tx);
      return fn(tx);
    });
  }

  /**
   * The store as the sync sees it: every transaction checks the lease just before it commits (the row lock is
   * then held only for the commit), and a statement outside a transaction that is not a SELECT runs in a fenced
   * transaction of its own. Reads go through unchanged.
   */
  fencedStore(): Db {
    const store = this.store;
    const transaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
      store.transaction(async (tx) => {
        const result = await fn(tx);
        await this.check(tx);
        return result;
      });
    const query = (sql: string, params?: unknown[]) =>
      /^\s*select\b/i.test(sql) ? store.query(sql, params) : this.fenced((tx) => tx.query(sql, params));
    return new Proxy(store, {
      get(target, prop) {
        if (prop === 'transaction') return transaction;
        if (prop === 'query') return query;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Stops renewing and gives the lease back (if still held). */
  async release(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.leases
      .release(this.kind, this.token)
      .catch((e: Error) =>
        this.log.warn({ err: e.message }, 'could not release the run lease (it expires on its own)'),
      );
  }
}

/** Waits `ms`, or less if `signal` aborts; true when the full time passed. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (full: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(full);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
