/**
 * The client side of the shared embedded store (store/embedded.ts): another process's PGlite reached through `pg`
 * over its Unix socket.
 */
import { DatabaseError } from 'pg';
import { activeTx, checkBatchSize, cursorQuery, nextCursorName } from './tx';
import { StoreError, type Db, type QueryResult, type Tx, type UntypedRow } from './types';
import type { Migration } from './migrate';
import type { PostgresStore } from './pg';

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE']);

/**
 * A failure of the connection to the owner — refused, reset, ended — as pg reports it; not an SQL error, and not
 * whatever a transaction callback throws of its own.
 */
export function ownerGone(err: unknown): boolean {
  if (err instanceof DatabaseError) return false;
  if (err instanceof StoreError) return err.code === 'STORE_UNAVAILABLE';
  const e = err as { code?: string; message?: string };
  return CONNECTION_FAILURES.has(e?.code ?? '') || /^Connection terminated|not queryable/.test(e?.message ?? '');
}

/**
 * The client side: another process's PGlite through `pg`, behaving as the in-process PgliteStore does (one
 * session: a db.query() inside db.transaction() would wait for the transaction forever, so it is refused; a
 * cursor is WITH HOLD so the session is free between batches).
 */
export class SocketClientStore implements Db {
  readonly kind = 'pglite' as const;

  constructor(readonly inner: PostgresStore) {}

  get appliedMigrations(): readonly string[] {
    return this.inner.appliedMigrations;
  }

  private assertUsable(method: string): void {
    if (activeTx(this.inner)) {
      throw new StoreError(
        'STORE_MISUSE',
        `db.${method}() was called inside db.transaction() on the embedded store, which has a single connection ` +
          'and would wait for the transaction forever. Use the tx passed to the transaction callback.',
      );
    }
  }

  query<R = UntypedRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    this.assertUsable('query');
    return this.inner.query<R>(sql, params);
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.inner.transaction(fn);
  }

  async *iterate<R = UntypedRow>(sql: string, params: unknown[] = [], batchSize = 500): AsyncIterable<R[]> {
    checkBatchSize(batchSize);
    this.assertUsable('iterate');
    const cursor = nextCursorName();
    await this.inner.query(`DECLARE ${cursor} NO SCROLL CURSOR WITH HOLD FOR ${cursorQuery(sql)}`, params);
    try {
      for (;;) {
        const { rows } = await this.inner.query<R>(`FETCH FORWARD ${batchSize} FROM ${cursor}`);
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) break;
      }
    } finally {
      await this.inner.query(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    await this.inner.migrate(migrations);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
