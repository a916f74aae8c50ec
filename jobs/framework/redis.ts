/**
 * BullMQ's Redis: connection options for each role, and the start-up probe that turns "Redis is not there" into
 * one clear message within seconds (runtime.md: serve, worker and demo fail fast) instead of BullMQ's default
 * of reconnecting forever. Nothing here ever prints the password of REDIS_URL.
 */
import { RedisConnection, type ConnectionOptions } from 'bullmq';
import { InternalError } from '../../core/errors';

/**
 * Raised when Redis does not answer at start-up. The message names REDIS_URL and says how to start a Redis. A
 * start-up failure, never a GraphQL answer: serve and worker print it and exit (server/entry/*.ts).
 */
export class RedisUnavailableError extends InternalError {
  override readonly name = 'RedisUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('REDIS_UNAVAILABLE', message, options);
  }
}

/** `redis://host:port/db` of a URL without user or password, for messages and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || 6379}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'REDIS_URL (not a valid URL)';
  }
}

/** Removes the URL's password from text that came from the Redis client, should it ever echo it. */
export function scrubRedisSecret(text: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // An unparsable URL has no password we could find either.
  }
  return password ? text.split(password).join('***') : text;
}

/**
 * Connection options for one BullMQ class.
 * - `worker`: BullMQ requires `maxRetriesPerRequest: null` on connections that block (workers, QueueEvents).
 * - `producer`: the API's queues refuse commands at once while Redis is away (`enableOfflineQueue: false`), so a
 *   mutation answers with an error instead of hanging until Redis is back (BullMQ's advice for producers).
 */
export function redisConnection(url: string, role: 'producer' | 'worker'): ConnectionOptions {
  return role === 'worker' ? { url, maxRetriesPerRequest: null } : { url, enableOfflineQueue: false };
}

export interface RedisProbeOptions {
  /** Give up after this many milliseconds. Default 3000. */
  timeoutMs?: number;
}

/**
 * Connects once, without retrying, and disconnects: resolves when Redis answers, throws RedisUnavailableError
 * (naming REDIS_URL without its password, the cause, and how to start one) when it does not.
 */
export async function assertRedisReachable(url: string, opts: RedisProbeOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const where = describeRedisUrl(url);
  let conn: RedisConnection | undefined;
  let lastError: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    conn = new RedisConnection({
      url,
      connectTimeout: timeoutMs,
      // One try: the probe must answer quickly; the real connections made afterwards do reconnect.
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    conn.on('error', (e: Error) => {
      lastError = e;
    });
    const ready = conn.client;
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${Math.round(timeoutMs / 100) / 10} s`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (e) {
    const err = (lastError ?? e) as Error & { code?: string };
    const text = String(err?.message ?? err);
    if (/ioredis/.test(text)) {
      throw new RedisUnavailableError(
        "Cannot connect to Redis: the Redis client library BullMQ needs ('ioredis') is not installed. Run `npm ci` (or `npm install ioredis`).",
        { cause: e },
      );
    }
    const reason = scrubRedisSecret(err?.code && !/^ERR/.test(err.code) ? err.code : text, url);
    throw new RedisUnavailableError(
      `Cannot reach Redis at REDIS_URL (${where}): ${reason}. Start Redis (e.g. \`redis-server\`, or \`docker run -p 6379:6379 redis\`) or set REDIS_URL.`,
    );
  } finally {
    if (timer) clearTimeout(timer);
    await conn?.close(true).catch(() => undefined);
  }
}
