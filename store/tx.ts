/**
 * Transactions, shared by both adapters. An adapter supplies one connection inside BEGIN; TxScope gives the
 * callback its `tx`, tracks SAVEPOINTs and publishes itself in async-local storage so that a db.transaction()
 * called further down the same async call chain joins it instead of opening a second transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreError, type QueryResult, type Tx, type UntypedRow } from './types';

/** One connection, as an adapter hands it to the shared transaction code. @internal */
export interface Connection {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
}

const currentScope = new AsyncLocalStorage<TxScope>();
let cursorSeq = 0;

/** The innermost transaction of `owner` that the current async call chain is running inside, if any. @internal */
export function activeTx(owner: object): TxScope | undefined {
  const scope = currentScope.getStore();
  return scope && scope.owner === owner && scope.active ? scope : undefined;
}

/** Runs fn with a TxScope over conn (already inside BEGIN); the adapter commits or rolls back. @internal */
export async function runInScope<T>(owner: object, conn: Connection, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const scope = new TxScope(owner, conn, 0);
  try {
    return await currentScope.run(scope, () => fn(scope));
  } finally {
    scope.end();
  }
}

/**
 * A unique cursor name (cursors are per connection, but PGlite's one connection is shared by all callers — of
 * every process, when the embedded store is served to others: hence the pid).
 */
export function nextCursorName(): string {
  return `idbro_cursor_${process.pid}_${++cursorSeq}`;
}

/** `SELECT ...;` → `SELECT ...`: DECLARE ... FOR <query> rejects a trailing semicolon. */
export function cursorQuery(sql: string): string {
  return sql.trim().replace(/;\s*$/, '');
}

export function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`iterate(): batchSize must be a positive integer, got ${batchSize}`);
  }
  return batchSize;
}

/** @internal */
export class TxScope implements Tx {
  private ended = false;
  private savepointSeq = 0;
  /** Sibling savepoints started concurrently (Promise.all) must not interleave on the one connection. */
  private savepointQueue: Promise<void> = Promise.resolve();

  constructor(
    readonly owner: object,
    private readonly conn: Connection,
    private readonly depth: number,
    private readonly parent?: TxScope,
  ) {}

  get active(): boolean {
    return !this.ended && (this.parent === undefined || this.parent.active);
  }

  end(): void {
    this.ended = true;
  }

  private assertActive(): void {
    if (!this.active) {
      // A tx kept past its callback would otherwise send SQL on a connection already back in the pool.
      throw new StoreError(
        'STORE_MISUSE',
        'This transaction has already finished: use the tx only inside the transaction() callback, and await every query before the callback returns.',
      );
    }
  }

  query<R = UntypedRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    this.assertActive();
    return this.conn.query(sql, params) as Promise<QueryResult<R>>;
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.assertActive();
    const release = await this.takeTurn();
    const name = `idbro_sp_${this.depth}_${++this.savepointSeq}`;
    const child = new TxScope(this.owner, this.conn, this.depth + 1, this);
    try {
      await this.conn.query(`SAVEPOINT ${name}`);
      try {
        const result = await currentScope.run(child, () => fn(child));
        await this.conn.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        // Undo just this block; if even that fails the connection is gone and the outer transaction fails too.
        await this.conn.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        await this.conn.query(`RELEASE SAVEPOINT ${name}`).catch(() => undefined);
        throw err;
      }
    } finally {
      child.end();
      release();
    }
  }

  async *iterate<R = UntypedRow>(sql: string, params: unknown[] = [], batchSize = 500): AsyncIterable<R[]> {
    checkBatchSize(batchSize);
    this.assertActive();
    const cursor = nextCursorName();
    await this.conn.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${cursorQuery(sql)}`, params);
    try {
      for (;;) {
        const { rows } = await this.query<R>(`FETCH FORWARD ${batchSize} FROM ${cursor}`);
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) return;
      }
    } finally {
      if (this.active) await this.conn.query(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  private async takeTurn(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const before = this.savepointQueue;
    this.savepointQueue = before.then(() => mine);
    await before;
    return release;
  }
}
