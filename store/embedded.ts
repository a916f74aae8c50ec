/**
 * The embedded store on disk (DATA_DIR, no DATABASE_URL), shared by every process on the machine that opens it:
 * `npm run serve` and `npm run worker` side by side, or a demo and an extra worker.
 *
 * Whoever opens it first owns it: it takes `${DATA_DIR}/pglite.lock` (store/embedded-lock.ts), opens PGlite,
 * applies the migrations and then serves the store on a Unix socket (store/embedded-server.ts). A process that
 * finds the lock held by a live process on this machine connects to that socket with `pg` instead. When the
 * owner goes away (stopped, or killed: its lock is then stale), the first process to notice — a client whose
 * connections drop, or any process opening the store — takes the lock and becomes the owner; the others
 * reconnect to it. A call that was under way when the owner died fails (it may or may not have been applied);
 * one that had not reached the owner yet is retried on the new one.
 *
 * PGlite has ONE session for everybody: statements of different processes never run at the same time, and a
 * transaction holds the store for all of them until it ends (as inside one process). Session state is shared
 * too: nothing here relies on SET or on session advisory locks across processes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { activeTx } from './tx';
import { StoreError, type Db, type QueryResult, type StoreOptions, type Tx, type UntypedRow } from './types';
import { ownerGone, SocketClientStore } from './embedded-client';
import { EmbeddedServer, SessionGate } from './embedded-server';
import { holdInProcess, lockFileOf, socketPaths, tryLock, type LockAttempt, type LockInfo } from './embedded-lock';
import type { Migration } from './migrate';
import { PostgresStore } from './pg';
import { openPgliteFiles, type PgliteStore } from './pglite';

/** Default wait for another process that holds the lock to start serving (it may be creating the store). */
const DEFAULT_OWNER_WAIT_MS = 60_000;
/** How often the lock file is looked at while waiting: there is no cross-process "ready" signal to wait on. */
const POLL_MS = 100;
/** Default wait for idle in transaction on the shared store: see StoreOptions.idleInTransactionTimeoutMs. */
const DEFAULT_IDLE_IN_TRANSACTION_MS = 60_000;

export interface EmbeddedOptions extends StoreOptions {
  /** How long to wait for a lock holder to serve the store before giving up. Default 60000. */
  ownerWaitMs?: number;
}

interface Context {
  dataDir: string;
  pgliteDir: string;
  opts: EmbeddedOptions;
  onIdleError: (backend: Backend) => void;
}

/** The store as this process uses it right now: PGlite itself (owner) or another process's PGlite (client). */
interface Backend {
  readonly role: 'owner' | 'client';
  readonly ownerPid: number;
  readonly db: Db;
  inTransaction(): boolean;
  migrate(migrations: readonly Migration[]): Promise<readonly string[]>;
  /** Owner only: start serving the other processes. */
  serve?(): Promise<void>;
  close(): Promise<void>;
}

export class EmbeddedStore implements Db {
  readonly kind = 'pglite' as const;
  appliedMigrations: readonly string[] = [];
  private stale = false;
  private switching: Promise<Backend> | undefined;
  private migrations: readonly Migration[] | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private backend: Backend,
    private readonly ctx: Context,
  ) {}

  /** 'owner': PGlite runs in this process; 'client': this process uses the store of process `ownerPid`. */
  get role(): 'owner' | 'client' {
    return this.backend.role;
  }

  get ownerPid(): number {
    return this.backend.ownerPid;
  }

  /** Called by a backend whose connections to the owner failed: find the owner again (or become it). */
  lost(from: Backend): void {
    if (from !== this.backend || this.closing) return;
    this.stale = true;
    void this.current().catch((err: Error) =>
      this.ctx.opts.logger?.warn(`store: the embedded store is unreachable: ${err.message}`),
    );
  }

  private current(): Promise<Backend> {
    if (this.closing) return Promise.reject(new StoreError('STORE_CLOSED', 'The store is closed.'));
    if (this.switching) return this.switching;
    if (!this.stale) return Promise.resolve(this.backend);
    const old = this.backend;
    this.switching = (async () => {
      // Not awaited: a transaction of this process on the dead owner ends only at its next statement, and
      // nothing should wait for that. The old backend gives up its claim on DATA_DIR at once.
      void old.close().catch(() => undefined);
      const next = await attach(this.ctx);
      try {
        if (this.migrations) await next.migrate(this.migrations);
        await next.serve?.();
      } catch (err) {
        await next.close().catch(() => undefined);
        throw err;
      }
      this.backend = next;
      this.stale = false;
      this.ctx.opts.logger?.warn(
        next.role === 'owner'
          ? `store: the process that served the embedded store (pid ${old.ownerPid}) is gone; this process (pid ${process.pid}) owns it now and serves it to the others`
          : `store: the embedded store is now served by process ${next.ownerPid}; reconnected`,
      );
      return next;
    })().finally(() => (this.switching = undefined));
    return this.switching;
  }

  /**
   * Runs call on the current backend. A client whose owner went away marks itself stale; the call is run again
   * on the new owner only when it cannot have reached the old one (its connection was refused).
   */
  private async run<T>(call: (db: Db) => Promise<T>, retriable: () => boolean): Promise<T> {
    const backend = await this.current();
    try {
      return await call(backend.db);
    } catch (err) {
      // Started just before a switch to another owner: the old connections were closed before it got one.
      if (
        err instanceof StoreError &&
        err.code === 'STORE_CLOSED' &&
        backend !== this.backend &&
        !this.closing &&
        retriable()
      ) {
        return call((await this.current()).db);
      }
      if (backend.role !== 'client' || !ownerGone(err)) throw err;
      this.stale ||= backend === this.backend;
      if (!(err instanceof StoreError && err.code === 'STORE_UNAVAILABLE') || !retriable())
        throw interrupted(backend, err);
      return call((await this.current()).db);
    }
  }

  query<R = UntypedRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    return this.run(
      (db) => db.query<R>(sql, params),
      () => true,
    );
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    // Nested: a SAVEPOINT of the transaction this call chain is in, on the backend that runs it.
    if (this.backend.inTransaction()) return this.backend.db.transaction(fn);
    let entered = false;
    return this.run(
      (db) => db.transaction((tx) => ((entered = true), fn(tx))),
      () => !entered,
    );
  }

  async *iterate<R = UntypedRow>(sql: string, params?: unknown[], batchSize?: number): AsyncIterable<R[]> {
    const backend = await this.current();
    try {
      yield* backend.db.iterate<R>(sql, params, batchSize);
    } catch (err) {
      if (backend.role !== 'client' || !ownerGone(err)) throw err;
      this.stale ||= backend === this.backend;
      throw interrupted(backend, err);
    }
  }

  /** Applies the migrations (the owner first, before it serves anyone), then the owner starts serving. */
  async migrate(migrations: readonly Migration[]): Promise<void> {
    this.migrations = migrations;
    const backend = await this.current();
    this.appliedMigrations = await backend.migrate(migrations);
    await backend.serve?.();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.switching?.catch(() => undefined);
      await this.backend.close();
    })();
    return this.closing;
  }
}

function interrupted(backend: Backend, err: unknown): StoreError {
  return new StoreError(
    'STORE_UNAVAILABLE',
    `The process that served the embedded store (pid ${backend.ownerPid}) went away during this call (${(err as Error).message}); ` +
      'what the call wrote may or may not have been kept. The next call reaches the store again (this process takes it over if ' +
      'nobody else has).',
    { cause: err },
  );
}

export async function openEmbedded(opts: EmbeddedOptions): Promise<EmbeddedStore> {
  const dataDir = path.resolve(opts.dataDir ?? './data');
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot create DATA_DIR (${dataDir}) for the embedded store: ${(err as Error).message}. Point DATA_DIR at a writable folder, or set DATABASE_URL to use PostgreSQL.`,
    );
  }
  // The idle-error callback needs the store it is built into: it looks it up when called, after construction.
  const built: { store?: EmbeddedStore } = {};
  const ctx: Context = {
    dataDir,
    pgliteDir: path.join(dataDir, 'pglite'),
    opts,
    onIdleError: (b) => built.store?.lost(b),
  };
  built.store = new EmbeddedStore(await attach(ctx), ctx);
  return built.store;
}

/** Becomes the owner, or a client of the live owner; waits while the owner is starting. */
async function attach(ctx: Context): Promise<Backend> {
  const waitMs = ctx.opts.ownerWaitMs ?? DEFAULT_OWNER_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let holder: LockInfo | undefined;
  for (;;) {
    const lock = tryLock(ctx.pgliteDir);
    if (lock.owned) return ownerBackend(ctx, lock);
    holder = lock.holder;
    if (holder) {
      refuseUnshared(ctx, holder, lock.lockFile);
      if (holder.socket) {
        try {
          return await clientBackend(ctx, holder);
        } catch (err) {
          // The owner is stopping or died since it wrote the lock: look at the lock again.
          if (!ownerGone(err)) throw err;
        }
      }
    }
    if (Date.now() >= deadline) {
      throw new StoreError(
        'STORE_LOCKED',
        `The embedded store in DATA_DIR (${ctx.pgliteDir}) is in use by process ${holder?.pid ?? '(unknown)'}, which did not serve it ` +
          `to other processes within ${Math.round(waitMs / 1000)} s. If that process is not idbro, stop it or delete ${lockFileOf(ctx.pgliteDir)}; ` +
          'or set DATABASE_URL so the processes share PostgreSQL.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function refuseUnshared(ctx: Context, holder: LockInfo, lockFile: string): void {
  if (holder.hostname !== os.hostname()) {
    throw new StoreError(
      'STORE_LOCKED',
      `The embedded store in DATA_DIR (${ctx.pgliteDir}) is locked by process ${holder.pid} on host ${holder.hostname}. ` +
        `If that process is gone, delete ${lockFile}; to share a store between machines set DATABASE_URL.`,
    );
  }
  if (!holder.serves) {
    throw new StoreError(
      'STORE_LOCKED',
      `The embedded store in DATA_DIR (${ctx.pgliteDir}) is in use by process ${holder.pid}, which does not share it with other ` +
        'processes (an older idbro, or one that could not open its socket). Stop that process, run the API and the worker in one ' +
        'process (npm start), or set DATABASE_URL so they share PostgreSQL.',
    );
  }
}

async function ownerBackend(ctx: Context, lock: Extract<LockAttempt, { owned: true }>): Promise<Backend> {
  const gate = new SessionGate();
  const store: PgliteStore = await openPgliteFiles(ctx.pgliteDir, lock.release, gate, ctx.opts.schema);
  let server: EmbeddedServer | undefined;
  return {
    role: 'owner',
    ownerPid: process.pid,
    db: store,
    inTransaction: () => activeTx(store) !== undefined,
    migrate: async (migrations) => {
      await store.migrate(migrations);
      return store.appliedMigrations;
    },
    serve: async () => {
      if (server) return;
      server = await listen(ctx, store, gate);
      lock.recordSocket(server ? server.socketPath : null);
    },
    close: async () => {
      await server?.stop();
      await store.close(); // releases the lock once PGlite is closed
    },
  };
}

/** Listens in DATA_DIR, else in the temp folder; a store nobody else can reach still serves this process. */
async function listen(ctx: Context, store: PgliteStore, gate: SessionGate): Promise<EmbeddedServer | undefined> {
  const errors: string[] = [];
  for (const socketPath of socketPaths(ctx.dataDir)) {
    try {
      fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
      return await EmbeddedServer.start({
        db: store.pg,
        gate,
        socketPath,
        idleInTransactionTimeoutMs: ctx.opts.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_MS,
        logger: ctx.opts.logger,
      });
    } catch (err) {
      errors.push(`${socketPath}: ${(err as Error).message}`);
    }
  }
  ctx.opts.logger?.warn(
    `store: cannot serve the embedded store to other processes (${errors.join('; ')}); only this process can use it. ` +
      'Set DATABASE_URL to share a store.',
  );
  return undefined;
}

async function clientBackend(ctx: Context, holder: LockInfo): Promise<Backend> {
  const socketDir = path.dirname(holder.socket!);
  // Explicit port (the socket file's name) and no TLS: PGPORT / PGSSLMODE of the environment do not apply here.
  const url = `postgres://postgres@localhost:5432/postgres?host=${encodeURIComponent(socketDir)}&sslmode=disable`;
  // Is the owner there? Connecting is answered without waiting for the store (a long transaction may hold it).
  const probe = new Client({ connectionString: url, connectionTimeoutMillis: ctx.opts.connectTimeoutMs ?? 10_000 });
  try {
    await probe.connect();
  } finally {
    await probe.end().catch(() => undefined);
  }
  const release = holdInProcess(ctx.pgliteDir);
  // The idle-error callback hands on the backend it is part of: it looks it up when called.
  const built: { backend?: Backend } = {};
  const inner = new PostgresStore(
    url,
    {
      poolSize: ctx.opts.poolSize ?? 10,
      // No limit on the wait for a connection: a call waits for the store as it would inside one process (a
      // dead owner refuses at once; a hung one is found by the next process that opens the store).
      connectTimeoutMs: 0,
      idleInTransactionTimeoutMs: ctx.opts.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_MS,
    },
    { onIdleError: () => built.backend && ctx.onIdleError(built.backend), embedded: true },
  );
  const db = new SocketClientStore(inner);
  let closed: Promise<void> | undefined;
  const backend: Backend = {
    role: 'client',
    ownerPid: holder.pid,
    db,
    inTransaction: () => activeTx(inner) !== undefined,
    migrate: async (migrations) => {
      await db.migrate(migrations);
      return db.appliedMigrations;
    },
    close: () => {
      release();
      return (closed ??= inner.close());
    },
  };
  built.backend = backend;
  return backend;
}
