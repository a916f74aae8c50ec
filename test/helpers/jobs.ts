/**
 * Helpers for tests of the sync-job framework on a real Redis: a unique BullMQ prefix per test file (and a way
 * to delete its keys), bounded polling instead of sleeps, deferreds to hold a test processor at a known point,
 * and a silent logger.
 */
import { randomBytes } from 'node:crypto';
import { RedisConnection } from 'bullmq';
import { createLogger, type Logger } from '../../core/logger';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ prefix no other test file (or run) uses. */
export function uniquePrefix(name: string): string {
  return `idbro-test-${name}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Deletes every key under `<prefix>:` (SCAN, not KEYS: never blocks the server). Returns how many. */
export async function deleteRedisKeys(prefix: string, redisUrl = REDIS_URL): Promise<number> {
  const conn = new RedisConnection({ url: redisUrl });
  try {
    const client = await conn.client;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await client.scan(cursor, { MATCH: `${prefix}:*`, COUNT: 1000 });
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    await conn.close();
  }
}

/** Keys under `<prefix>:`, for assertions. */
export async function countRedisKeys(prefix: string, redisUrl = REDIS_URL): Promise<number> {
  const conn = new RedisConnection({ url: redisUrl });
  try {
    const client = await conn.client;
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = await client.scan(cursor, { MATCH: `${prefix}:*`, COUNT: 1000 });
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
    return n;
  } finally {
    await conn.close();
  }
}

/**
 * Polls `probe` until it returns something other than undefined/false, at most `timeoutMs`; then fails with
 * `what` and the last value seen. Polling with a bound, not a sleep: the test goes on as soon as it holds.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { timeoutMs?: number; intervalMs?: number; last?: () => unknown } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${opts.last ? `; last seen: ${JSON.stringify(opts.last())}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
}

/** resolve and reject are function properties (bound, unlike methods): tests pass them around as callbacks. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when the signal is aborted (at once if it already is), with its reason. */
export function aborted(signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}

/** A logger that writes nothing (set LOG_LEVEL to see the framework's logs while debugging a test). */
export function testLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
}
