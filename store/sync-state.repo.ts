/**
 * Small durable key/value marks of the syncs (table sync_state), e.g. when the last successful LOS import
 * started, so the next run asks only for what changed since. Values are JSON: a Date is stored as its ISO
 * string and read back as a string.
 *
 * Pass the sync's transaction as `q` to advance a mark atomically with the data it describes (architecture,
 * idempotent syncs: advance the mark only at the end, in the same transaction as the last write).
 */
import type { Queryable } from './db';

export class SyncStateRepo {
  /** db: the Db used when a call gets no transaction of its own. */
  constructor(private readonly db: Queryable) {}

  /** The value stored under key, or undefined if none. */
  async get<T = unknown>(key: string, q: Queryable = this.db): Promise<T | undefined> {
    return (await this.entry<T>(key, q))?.value;
  }

  /** The value with the time it was last set, or undefined if none. */
  async entry<T = unknown>(key: string, q: Queryable = this.db): Promise<{ value: T; updatedAt: Date } | undefined> {
    const { rows } = await q.query<{ value: T; updated_at: Date }>(
      'SELECT value, updated_at FROM sync_state WHERE key = $1',
      [key],
    );
    return rows[0] ? { value: rows[0].value, updatedAt: rows[0].updated_at } : undefined;
  }

  /** Inserts or replaces the value under key. */
  async set(key: string, value: unknown, q: Queryable = this.db): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined)
      throw new TypeError(`SyncStateRepo.set(${key}): the value must be JSON (got ${typeof value})`);
    // Text cast to jsonb: `pg` would send a JS array as a Postgres array literal.
    await q.query(
      `INSERT INTO sync_state (key, value, updated_at) VALUES ($1, $2::text::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [key, text],
    );
  }
}
