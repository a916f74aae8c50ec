import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../core/logger';
import { observeUpstream } from '../../core/upstream-telemetry';

/**
 * Transport to DAR's address wash, DAWA `datavask` (specs/aarhus-los.md, "DAR address lookup"):
 * `GET ${DAR_URL}/datavask/adresser?betegnelse=<text>&struktur=mini`. Kategori A (exact up to case and
 * punctuation) and B (safe match despite small misspellings) give the address; C (unsafe guess) does not.
 *
 * DAWA allows 30 requests/s and 10 connections per client and answers 429 beyond that, so this client
 * keeps under both by itself rather than leaning on DAWA's refusals:
 *  - at most `concurrency` requests in flight (a FIFO semaphore, and an http.Agent with that many sockets),
 *  - at most `ratePerSecond` requests started in any one-second window (a sliding log of start times),
 *  - bounded retries with backoff on network errors, timeouts, 5xx and 429 (Retry-After honoured, and it
 *    pauses every request of this client, since a 429 is about the client, not the address),
 *  - a cache per instance: each distinct text is asked once, concurrent callers share the request.
 * One address's failure is data, not an exception: it resolves `ok: false` with a reason the import reports
 * as an issue. Only the caller's own AbortSignal makes `wash` reject.
 */
export interface DarClientOptions {
  /** DAR_URL, e.g. https://api.dataforsyningen.dk (a path prefix and query parameters are kept). */
  url: string;
  /** Most requests in flight (= connections). Default 10, DAWA's limit. */
  concurrency?: number;
  /** Most requests started in any one-second window. Default 30, DAWA's limit. */
  ratePerSecond?: number;
  /**
   * Added to the one-second window when spacing starts, so that network jitter between our start and the
   * server's arrival cannot squeeze `ratePerSecond + 1` arrivals into one second on the server's clock.
   * Default 50 ms.
   */
  rateSlackMs?: number;
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** First backoff delay, doubled per retry, with ±50% jitter. Default 250 ms. */
  backoffMs?: number;
  /** Longest Retry-After to honour; a longer one ends the lookup as unavailable. Default 30 000 ms. */
  maxRetryAfterMs?: number;
  logger?: Logger;
}

export type DarKategori = 'A' | 'B' | 'C';

export type DarResult =
  { ok: true; id: string; betegnelse: string; kategori: 'A' | 'B' } | { ok: false; reason: string };

/** The contract the LOS import uses; DarClient is the HTTP adapter behind it. */
export interface DarLookup {
  wash(text: string, signal?: AbortSignal): Promise<DarResult>;
}

export interface DarClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Retries among `requests`. */
  retries: number;
  /** wash() calls answered from the cache or by joining a lookup already under way. */
  cacheHits: number;
  peakInFlight: number;
  /** Most requests started within any 1000 ms, by this client's clock. */
  maxStartedInAnySecond: number;
}

const DEFAULTS = {
  concurrency: 10,
  ratePerSecond: 30,
  rateSlackMs: 50,
  timeoutMs: 10_000,
  retries: 2,
  backoffMs: 250,
  maxRetryAfterMs: 30_000,
};
const MAX_BODY_BYTES = 1 << 20;

interface Lookup {
  promise: Promise<DarResult>;
  controller: AbortController;
  /** Callers waiting; when every one of them has aborted, the lookup is abandoned. */
  waiters: number;
  settled: boolean;
}

export class DarClient implements DarLookup {
  readonly stats: DarClientStats = { requests: 0, retries: 0, cacheHits: 0, peakInFlight: 0, maxStartedInAnySecond: 0 };
  private readonly endpoint: URL;
  /** The endpoint as shown in reasons and logs: no credentials, no query (it may carry a token). */
  private readonly shownUrl: string;
  private readonly o: Required<Omit<DarClientOptions, 'logger' | 'url'>>;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly slots: Semaphore;
  private readonly starts: StartLimiter;
  private readonly cache = new Map<string, Lookup>();
  private inFlight = 0;
  private closed = false;

  constructor(private readonly opts: DarClientOptions) {
    let base: URL;
    try {
      base = new URL(opts.url);
    } catch {
      throw new TypeError(`DarClient: url (DAR_URL) must be an absolute http(s) URL, got ${JSON.stringify(opts.url)}`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`DarClient: url (DAR_URL) must use http or https, got ${base.protocol}`);
    }
    this.o = {
      concurrency: opts.concurrency ?? DEFAULTS.concurrency,
      ratePerSecond: opts.ratePerSecond ?? DEFAULTS.ratePerSecond,
      rateSlackMs: opts.rateSlackMs ?? DEFAULTS.rateSlackMs,
      timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: opts.retries ?? DEFAULTS.retries,
      backoffMs: opts.backoffMs ?? DEFAULTS.backoffMs,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
    };
    for (const k of ['concurrency', 'ratePerSecond'] as const) {
      if (!(Number.isInteger(this.o[k]) && this.o[k] >= 1))
        throw new RangeError(`DarClient: ${k} must be an integer >= 1, got ${this.o[k]}`);
    }
    this.endpoint = new URL(base);
    this.endpoint.pathname = `${base.pathname.replace(/\/+$/, '')}/datavask/adresser`;
    this.endpoint.hash = '';
    this.shownUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    const secure = base.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: this.o.concurrency });
    this.slots = new Semaphore(this.o.concurrency);
    this.starts = new StartLimiter(this.o.ratePerSecond, 1000 + this.o.rateSlackMs);
  }

  /**
   * Washes one address text. Resolves ok with the DAR address id for kategori A or B, else ok: false with a
   * reason. Rejects only when `signal` aborts (with the signal's reason).
   */
  async wash(text: string, signal?: AbortSignal): Promise<DarResult> {
    if (signal?.aborted) throw abortReason(signal);
    // DAWA ignores whitespace differences, so texts that differ only there share one lookup.
    const key = text.trim().replace(/\s+/g, ' ');
    if (key === '') return { ok: false, reason: 'no address text' };
    if (this.closed) return { ok: false, reason: 'DAR client closed' };
    let lookup = this.cache.get(key);
    if (lookup) this.stats.cacheHits++;
    else {
      lookup = this.startLookup(key);
      this.cache.set(key, lookup);
    }
    return this.await(key, lookup, signal);
  }

  /** Abandons lookups under way (their callers get ok: false) and closes pooled connections; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.cache.values()) if (!l.settled) l.controller.abort();
    this.starts.dispose();
    this.agent.destroy();
  }

  private await(key: string, lookup: Lookup, signal?: AbortSignal): Promise<DarResult> {
    lookup.waiters++;
    if (!signal) return lookup.promise;
    return new Promise<DarResult>((resolve, reject) => {
      const onAbort = () => {
        reject(abortReason(signal));
        // The last interested caller gone: stop the request and forget it, so a later call asks afresh.
        if (--lookup.waiters === 0 && !lookup.settled) {
          lookup.controller.abort();
          if (this.cache.get(key) === lookup) this.cache.delete(key);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      lookup.promise.then((r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      });
    });
  }

  private startLookup(key: string): Lookup {
    const controller = new AbortController();
    const lookup: Lookup = {
      controller,
      waiters: 0,
      settled: false,
      promise: undefined as unknown as Promise<DarResult>,
    };
    lookup.promise = this.lookup(key, controller.signal).then((result) => {
      lookup.settled = true;
      // Only answers are cached; a lookup that found DAR unavailable may be asked again by a later call.
      if (!result.ok && result.reason.startsWith('DAR unavailable') && this.cache.get(key) === lookup)
        this.cache.delete(key);
      return result;
    });
    return lookup;
  }

  /** Attempts with retries; never rejects. */
  private async lookup(text: string, signal: AbortSignal): Promise<DarResult> {
    const url = new URL(this.endpoint);
    url.searchParams.set('betegnelse', text);
    url.searchParams.set('struktur', 'mini');
    const attempts = this.o.retries + 1;
    let failure = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let outcome: Outcome;
      try {
        outcome = await this.attempt(url, signal);
      } catch (e) {
        if (signal.aborted) return { ok: false, reason: this.closed ? 'DAR client closed' : 'lookup abandoned' };
        outcome = { retry: true, failure: this.describeNetworkError(e) };
      }
      if ('result' in outcome) return outcome.result;
      failure = outcome.failure;
      if (!outcome.retry) return { ok: false, reason: failure };
      if (attempt === attempts) break;
      let delay = this.o.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > this.o.maxRetryAfterMs) {
          return {
            ok: false,
            reason: `${failure}; asked to retry after ${Math.round(outcome.retryAfterMs / 1000)} s, more than the ${this.o.maxRetryAfterMs} ms this client waits`,
          };
        }
        delay = outcome.retryAfterMs;
        this.starts.pauseUntil(performance.now() + delay);
      }
      this.stats.retries++;
      this.opts.logger?.debug(
        { source: 'DAR', attempt, delay: Math.round(delay), failure },
        'retrying DAR address wash',
      );
      try {
        await sleep(delay, signal);
      } catch {
        return { ok: false, reason: this.closed ? 'DAR client closed' : 'lookup abandoned' };
      }
    }
    const reason = `${failure} after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    this.opts.logger?.warn({ source: 'DAR', reason }, 'DAR address wash failed');
    return { ok: false, reason };
  }

  /** One request: waits for a connection slot, then for a start in the rate window, then sends. */
  private async attempt(url: URL, signal: AbortSignal): Promise<Outcome> {
    await this.slots.acquire(signal);
    try {
      await this.starts.take(signal);
      this.stats.maxStartedInAnySecond = Math.max(this.stats.maxStartedInAnySecond, this.starts.startedWithin(1000));
      this.stats.requests++;
      this.inFlight++;
      this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.inFlight);
      try {
        // Span, traceparent and metrics by route (never the address text in the query): core/upstream-telemetry.ts.
        const res = await observeUpstream({ source: 'DAR', method: 'GET', route: '/datavask/adresser' }, (trace) =>
          this.send(url, signal, trace),
        );
        return this.interpret(res);
      } finally {
        this.inFlight--;
      }
    } finally {
      this.slots.release();
    }
  }

  private interpret({ status, headers, text }: HttpAnswer): Outcome {
    const where = `${this.shownUrl} (DAR_URL)`;
    if (status === 429 || status >= 500) {
      return {
        retry: true,
        failure: `DAR unavailable: HTTP ${status} from ${where}`,
        retryAfterMs: parseRetryAfter(headers['retry-after']),
      };
    }
    if (status !== 200) {
      return { retry: false, failure: `DAR refused the lookup: HTTP ${status} from ${where}${problemTitle(text)}` };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { retry: false, failure: `DAR answered with a body that is not JSON, from ${where}` };
    }
    const { kategori, resultater } = (body ?? {}) as { kategori?: unknown; resultater?: unknown };
    if (kategori !== 'A' && kategori !== 'B' && kategori !== 'C') {
      return { retry: false, failure: `DAR answered without a kategori A, B or C, from ${where}` };
    }
    if (kategori === 'C') return { result: { ok: false, reason: 'kategori C: no safe match' } };
    const adresse = Array.isArray(resultater)
      ? (resultater[0] as { adresse?: { id?: unknown; betegnelse?: unknown } })?.adresse
      : undefined;
    if (!adresse || typeof adresse.id !== 'string' || adresse.id === '')
      return { result: { ok: false, reason: 'no result' } };
    return {
      result: {
        ok: true,
        id: adresse.id,
        betegnelse: typeof adresse.betegnelse === 'string' ? adresse.betegnelse : '',
        kategori,
      },
    };
  }

  private describeNetworkError(e: unknown): string {
    if (e instanceof AttemptTimeout)
      return `DAR unavailable: no answer within ${this.o.timeoutMs} ms from ${this.shownUrl} (DAR_URL)`;
    const code = (e as { code?: string })?.code ?? (e as Error)?.name ?? 'network error';
    return `DAR unavailable: cannot reach ${this.shownUrl} (DAR_URL): ${code}`;
  }

  /** One HTTP exchange; rejects on network errors, AttemptTimeout after timeoutMs, or abort. */
  private send(url: URL, signal: AbortSignal, trace: Record<string, string> = {}): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        url,
        { method: 'GET', agent: this.agent, headers: { accept: 'application/json', ...trace }, signal },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) req.destroy(new Error('DAR answer larger than 1 MiB'));
            else chunks.push(c);
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new AttemptTimeout()), this.o.timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end();
    });
  }
}

type Outcome = { result: DarResult } | { retry: boolean; failure: string; retryAfterMs?: number };
interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

class AttemptTimeout extends Error {}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** DAWA errors are JSON problem documents ({ type, title, details }); show the title when there is one. */
function problemTitle(text: string): string {
  try {
    const title = (JSON.parse(text) as { title?: unknown })?.title;
    return typeof title === 'string' ? `: ${title.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(t);
      reject(abortReason(signal));
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface Waiter {
  grant(): void;
  signal: AbortSignal;
  onAbort(): void;
}

/** Abortable waiting list: a waiter that aborts leaves the queue and rejects with the abort reason. */
function enqueue(queue: Waiter[], signal: AbortSignal, onQueued: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const w: Waiter = {
      signal,
      grant: () => {
        signal.removeEventListener('abort', w.onAbort);
        resolve();
      },
      onAbort: () => {
        const i = queue.indexOf(w);
        if (i >= 0) queue.splice(i, 1);
        reject(abortReason(signal));
      },
    };
    signal.addEventListener('abort', w.onAbort, { once: true });
    queue.push(w);
    onQueued();
  });
}

/** FIFO counting semaphore; a released slot passes straight to the next waiter, so the count never overshoots. */
class Semaphore {
  private active = 0;
  private readonly queue: Waiter[] = [];
  constructor(private readonly size: number) {}

  acquire(signal: AbortSignal): Promise<void> {
    if (this.active < this.size && this.queue.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return enqueue(this.queue, signal, () => {});
  }

  release(): void {
    const next = this.queue.shift();
    if (next) next.grant();
    else this.active--;
  }
}

/**
 * At most `limit` starts in any `windowMs`: a log of the last `limit` start times; the next start waits until
 * the oldest of them leaves the window. One timer for the head of a FIFO queue, so no busy waiting.
 */
class StartLimiter {
  private readonly log: number[] = [];
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(signal: AbortSignal): Promise<void> {
    return enqueue(this.queue, signal, () => this.pump());
  }

  /** No start before `t` (performance.now() time), e.g. after a 429 with Retry-After. */
  pauseUntil(t: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, t);
  }

  /** Drops the pending timer (its waiters were abandoned by their lookups). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts within the last `ms`, this one included. */
  startedWithin(ms: number): number {
    const since = performance.now() - ms;
    let n = 0;
    for (let i = this.log.length - 1; i >= 0 && this.log[i] > since; i--) n++;
    return n;
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const now = performance.now();
      let wait = this.pausedUntil - now;
      if (this.log.length >= this.limit)
        wait = Math.max(wait, this.log[this.log.length - this.limit] + this.windowMs - now);
      if (wait > 0) {
        // Timers may fire a fraction of a millisecond early by performance.now(); pump() re-checks.
        this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(wait)));
        return;
      }
      this.log.push(now);
      if (this.log.length > this.limit) this.log.shift();
      this.queue.shift()!.grant();
    }
  }
}
