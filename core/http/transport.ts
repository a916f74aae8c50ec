/**
 * THE HTTP transport of every upstream client (Cerebrum REST, FS GraphQL, DAR's address wash): what they share
 * about talking to a service over HTTP, in one place, so each client only says what its protocol means.
 *
 * For every request it
 *  - holds at most `concurrency` attempts in flight (per transport, i.e. per client and process), handed out in
 *    turn between callers: one queue per caller (`owner`, by default its `stats` object: one GraphQL request,
 *    one job), so one big query cannot starve the rest (./semaphore.ts);
 *  - optionally starts at most `rate.perSecond` attempts in any second (./start-limiter.ts), for upstreams that
 *    publish a rate limit;
 *  - times each attempt out after `timeoutMs`, and stops at once when the caller's `signal` aborts (a request's
 *    time budget or a client that left: core/request-budget.ts; a cancelled job): queued attempts are never sent,
 *    the one in flight is cut, no retry follows;
 *  - retries network errors, time-outs and answers with status 429 or >= 500 (for which `read` throws
 *    HttpStatusError) with exponential backoff and ±50% jitter: `backoffMs`, 2×, 4×, … up to `retries` times,
 *    for the methods in `retryMethods` only; honours Retry-After when `retryAfter` is set (the pause then holds
 *    every start of the transport, since a 429 is about the client, not the request);
 *  - counts attempts, retries and in-flight peaks into the transport's totals and the caller's `stats`, and
 *    reports every attempt as a span and metrics by route TEMPLATE (../upstream-telemetry.ts).
 *
 * node:http with a keep-alive pool sized to the concurrency: far less CPU per request than fetch() (undici +
 * web streams + AbortSignal plumbing), which matters at thousands of requests per query.
 *
 * `send` rejects with what went wrong (AttemptTimeout, a network error, the HttpStatusError or other error
 * `read` threw, RetryAfterTooLong, or the signal's reason); `request` turns that into an UpstreamError
 * (./failures.ts). Depends on nothing outside core/.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { UpstreamError } from '../errors';
import { observeUpstream } from '../upstream-telemetry';
import { backoff } from './backoff';
import {
  AttemptTimeout,
  HttpStatusError,
  RetryAfterTooLong,
  parseRetryAfter,
  retryableStatus,
  upstreamErrorOf,
  type ShownRequest,
  type UpstreamNames,
} from './failures';
import { Semaphore } from './semaphore';
import { StartLimiter } from './start-limiter';

/** Accounting of attempts: the transport's totals (process-wide, for /readyz and benchmarks) and per caller. */
export class HttpStats {
  /** HTTP attempts sent, retries included. */
  requests = 0;
  /** Retries among `requests`. */
  retries = 0;
  inFlight = 0;
  peakInFlight = 0;
}

/**
 * How one upstream is talked to. The defaults are Cerebrum's; each client passes its own where it differs
 * (FS: concurrency 8, timeoutMs 15 000, backoffMs 200; DAR: concurrency 10, backoffMs 250, rate 30/s,
 * Retry-After, 1 MiB answers).
 */
export interface HttpTransportOptions extends UpstreamNames {
  /** The upstream's address (any URL on it): its protocol picks http or https. */
  url: string | URL;
  /** Most attempts in flight at once (and sockets in the keep-alive pool). Default 16. */
  concurrency?: number;
  /** Per-attempt time-out. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** First backoff delay; doubled per retry, with ±50% jitter. Default 100 ms. */
  backoffMs?: number;
  /**
   * Methods that may be retried. Default every method (all of FS's operations are queries, DAR only reads);
   * Cerebrum retries GET only: a PUT that timed out may have been applied.
   */
  retryMethods?: readonly string[];
  /**
   * Honour Retry-After on a retryable answer: wait that long instead of the backoff (pausing every start of this
   * transport), or end the request with RetryAfterTooLong when it asks for more than `maxMs`. Default unset:
   * Retry-After is ignored.
   */
  retryAfter?: { maxMs: number };
  /**
   * At most `perSecond` attempts started in any one-second window, widened by `slackMs` (default 50) so network
   * jitter cannot squeeze one more arrival into a second on the server's clock. Default unset: no rate limit.
   */
  rate?: { perSecond: number; slackMs?: number };
  /** Longest answer body read; a longer one fails the attempt as a network error. Default unlimited. */
  maxBodyBytes?: number;
  /** Headers of every request (accept, credentials). Never put into messages or logs. */
  headers?: Record<string, string>;
  /** The totals object to count into (a client's subclass of HttpStats). Default a new HttpStats. */
  stats?: HttpStats;
  /** The source's own wording for failures (`request` only): see upstreamErrorOf in ./failures.ts. */
  describe?: (e: unknown, req: ShownRequest) => UpstreamError | undefined;
}

export interface HttpRequest {
  method: string;
  url: string | URL;
  /** The route template or operation name for spans and metrics: never an id or anything a caller typed. */
  route: string;
  body?: string;
  /** Added to the transport's headers. */
  headers?: Record<string, string>;
}

/** A request with what its failures may show (`request`). */
export type ShownHttpRequest = HttpRequest & ShownRequest;

export interface HttpCall {
  /** The caller's accounting; also its fair-share queue unless `owner` says otherwise. */
  stats?: HttpStats;
  /** The caller's queue for the in-flight limit. Default `stats`; callers with neither share one queue. */
  owner?: object;
  /** Aborts the request: not sent while queued, cut when in flight, no retry. */
  signal?: AbortSignal;
  /** Called for each attempt as it is sent (e.g. per-operation counts). */
  onAttempt?: () => void;
  /** Called before each retry's pause (e.g. a debug log line). */
  onRetry?: (retry: { attempt: number; delayMs: number; failure: unknown }) => void;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** What an attempt's failure means for the retry loop. */
interface Failed {
  error: unknown;
  retryable: boolean;
  /** The answer's Retry-After, for a retryable answer that carried one. */
  retryAfterMs?: number;
}

export class HttpTransport {
  /** Totals over every attempt of this transport. */
  readonly stats: HttpStats;
  private peakStartsPerSecond = 0;
  readonly timeoutMs: number;
  private readonly names: UpstreamNames;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly retryMethods?: readonly string[];
  private readonly retryAfter?: { maxMs: number };
  private readonly maxBodyBytes: number;
  private readonly headers: Record<string, string>;
  private readonly describe?: HttpTransportOptions['describe'];
  private readonly agent: http.Agent;
  private readonly http: typeof http | typeof https;
  private readonly slots: Semaphore;
  private readonly starts?: StartLimiter;

  constructor(o: HttpTransportOptions) {
    const concurrency = o.concurrency ?? 16;
    if (!(Number.isInteger(concurrency) && concurrency >= 1))
      throw new RangeError(`HttpTransport (${o.source}): concurrency must be an integer >= 1, got ${concurrency}`);
    if (o.rate && !(Number.isInteger(o.rate.perSecond) && o.rate.perSecond >= 1))
      throw new RangeError(
        `HttpTransport (${o.source}): rate.perSecond must be an integer >= 1, got ${o.rate.perSecond}`,
      );
    this.names = { source: o.source, label: o.label, urlSetting: o.urlSetting };
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.retries = o.retries ?? 2;
    this.backoffMs = o.backoffMs ?? 100;
    this.retryMethods = o.retryMethods;
    this.retryAfter = o.retryAfter;
    this.maxBodyBytes = o.maxBodyBytes ?? Infinity;
    this.headers = { ...o.headers };
    this.describe = o.describe;
    this.stats = o.stats ?? new HttpStats();
    const secure = (typeof o.url === 'string' ? o.url : o.url.href).toLowerCase().startsWith('https:');
    this.http = secure ? https : http;
    this.agent = new (secure ? https.Agent : http.Agent)({
      keepAlive: true,
      maxSockets: concurrency,
      scheduling: 'lifo',
    });
    this.slots = new Semaphore(concurrency);
    if (o.rate) this.starts = new StartLimiter(o.rate.perSecond, 1000 + (o.rate.slackMs ?? 50));
  }

  /** Most attempts started within any 1000 ms, by this process's clock (only counted under a `rate`). */
  get maxStartedInAnySecond(): number {
    return this.peakStartsPerSecond;
  }

  /** Closes pooled connections and drops the rate limiter's timer; requests under way fail. */
  close(): void {
    this.starts?.dispose();
    this.agent.destroy();
  }

  /** `send`, with every failure turned into the UpstreamError a field answers with (./failures.ts). */
  async request<T>(req: ShownHttpRequest, read: (answer: HttpAnswer) => T, call: HttpCall = {}): Promise<T> {
    try {
      return await this.send(req, read, call);
    } catch (e) {
      throw upstreamErrorOf(e, this.names, req, call.signal, this.describe);
    }
  }

  /**
   * Sends `req` (retrying as the options say) and resolves what `read` makes of the answer. `read` throws
   * HttpStatusError for an answer that failed (retried when its status is 429 or >= 500); any other error it
   * throws is final. Rejects with the last failure, or with the signal's reason once `call.signal` aborted.
   */
  async send<T>(req: HttpRequest, read: (answer: HttpAnswer) => T, call: HttpCall = {}): Promise<T> {
    const retries = this.retryMethods && !this.retryMethods.includes(req.method) ? 0 : this.retries;
    const { signal } = call;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(req, read, call);
      if (!isFailed(outcome)) return outcome.value;
      const { error } = outcome;
      if (attempt > retries || signal?.aborted || !outcome.retryable) throw error;
      let delayMs = this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      const after = outcome.retryAfterMs;
      if (this.retryAfter && after !== undefined && error instanceof HttpStatusError) {
        if (after > this.retryAfter.maxMs) throw new RetryAfterTooLong(error, after, this.retryAfter.maxMs);
        delayMs = after;
        this.starts?.pauseUntil(performance.now() + delayMs);
      }
      for (const s of this.statsOf(call)) s.retries++;
      call.onRetry?.({ attempt, delayMs, failure: error });
      if (!(await backoff(delayMs, signal))) throw signal?.reason;
    }
  }

  private statsOf(call: HttpCall): HttpStats[] {
    return call.stats ? [this.stats, call.stats] : [this.stats];
  }

  /** One attempt: a slot, a start (under a rate), the exchange, `read`. Resolves its value or its failure. */
  private async attempt<T>(
    req: HttpRequest,
    read: (answer: HttpAnswer) => T,
    call: HttpCall,
  ): Promise<{ value: T } | Failed> {
    const { signal } = call;
    try {
      await this.slots.acquire(call.owner ?? call.stats, signal);
    } catch (error) {
      return { error, retryable: false };
    }
    try {
      if (this.starts) {
        await this.starts.take(signal);
        this.peakStartsPerSecond = Math.max(this.peakStartsPerSecond, this.starts.startedWithin(1000));
      }
      const stats = this.statsOf(call);
      for (const s of stats) {
        s.requests++;
        s.inFlight++;
        s.peakInFlight = Math.max(s.peakInFlight, s.inFlight);
      }
      call.onAttempt?.();
      let answer: HttpAnswer;
      try {
        // Span, traceparent and metrics per attempt, by route template (never an id): ../upstream-telemetry.ts.
        answer = await observeUpstream({ source: this.names.source, method: req.method, route: req.route }, (trace) =>
          this.exchange(req, signal, trace),
        );
      } catch (error) {
        // No answer: a network error or a time-out, worth another try (unless the caller stopped it).
        return { error, retryable: true };
      } finally {
        for (const s of stats) s.inFlight--;
      }
      try {
        return { value: read(answer) };
      } catch (error) {
        const retryable = error instanceof HttpStatusError && retryableStatus(error.status);
        return {
          error,
          retryable,
          retryAfterMs: retryable ? parseRetryAfter(answer.headers['retry-after']) : undefined,
        };
      }
    } catch (error) {
      // The start limiter's wait was aborted.
      return { error, retryable: false };
    } finally {
      this.slots.release();
    }
  }

  /** One HTTP exchange; rejects with AttemptTimeout after timeoutMs, with the socket error, or on abort. */
  private exchange(
    req: HttpRequest,
    signal: AbortSignal | undefined,
    trace: Record<string, string>,
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { ...this.headers, ...req.headers, ...trace };
      if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
      const r = this.http.request(req.url, { method: req.method, agent: this.agent, headers, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxBodyBytes) r.destroy(new Error(`answer larger than ${this.maxBodyBytes} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
      const timer = setTimeout(() => r.destroy(new AttemptTimeout(this.timeoutMs)), this.timeoutMs);
      r.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      r.end(req.body);
    });
  }
}

function isFailed<T>(o: { value: T } | Failed): o is Failed {
  return 'error' in o;
}
