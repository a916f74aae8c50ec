import http from 'node:http';
import https from 'node:https';
import { UpstreamError, badInput, redactPath } from '../../core/errors';
import { cancelledUpstreamError } from '../../core/request-budget';
import type { Logger } from '../../core/logger';
import { redactText } from '../../core/redact';
import { Semaphore } from '../../core/http/semaphore';
import { backoff } from '../../core/http/backoff';
import { pathChangedByNormalisation } from './path';
import { cerebrumRoute } from './route';
import { observeUpstream } from '../../core/upstream-telemetry';

/**
 * Transport to Cerebrum REST v1 (specs/cerebrum-rest.md): JSON over HTTP with a static API key header.
 * Cerebrum has no batch endpoints and no rate limiting of its own, and every request opens a database
 * connection server-side, so this client is the single place that bounds load on it:
 *  - at most `concurrency` requests in flight per process, taken in turn by the callers waiting (one queue per
 *    `stats` object, i.e. per GraphQL request or job: ../semaphore.ts), so one big query cannot starve the rest,
 *  - a caller's `signal` (its request's time budget or disconnect, a job's cancel) drops its queued requests
 *    before they are sent and cuts those in flight,
 *  - a timeout per attempt,
 *  - bounded retries with exponential backoff and jitter, for GETs only, on network errors, 5xx and 429
 *    (writes are not retried here: a PUT that timed out may have been applied).
 */
export interface CerebrumClientOptions {
  url: string;
  apiKey?: string;
  /** Header carrying the API key. Default X-API-Key (installations also use X-Auth-Key, X-Api-Subscription). */
  apiKeyHeader?: string;
  /** Most requests in flight at once. Default 16. */
  concurrency?: number;
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt, for GETs. Default 2. */
  retries?: number;
  /** First backoff delay; doubled per retry, with ±50% jitter. Default 100 ms. */
  backoffMs?: number;
  logger?: Logger;
}

/** Per-caller accounting, e.g. one GraphQL request or one sync job. */
export class RequestStats {
  requests = 0;
  retries = 0;
  /** Highest dependency round seen: 1 = needed nothing but the query's arguments. */
  rounds = 0;
  inFlight = 0;
  peakInFlight = 0;
}

export interface GetOptions {
  /** Dependency round of this request (see loaders.ts); recorded in the stats. */
  round?: number;
  /** The caller's accounting; also its fair-share queue for the in-flight limit (callers without one share a queue). */
  stats?: RequestStats;
  /** Aborts the request: not sent when still queued, cut when in flight. No retry follows. */
  signal?: AbortSignal;
}

export class CerebrumHttpStatus extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const RETRYABLE = (status: number) => status >= 500 || status === 429;

export class CerebrumClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly slots: Semaphore;
  /** Process-wide counters, for /readyz and benchmarks. */
  readonly stats = new RequestStats();

  constructor(private readonly opts: CerebrumClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.headers = { accept: 'application/json' };
    if (opts.apiKey) this.headers[opts.apiKeyHeader ?? 'X-API-Key'] = opts.apiKey;
    this.concurrency = opts.concurrency ?? 16;
    this.slots = new Semaphore(this.concurrency);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.retries = opts.retries ?? 2;
    this.backoffMs = opts.backoffMs ?? 100;
    // node:http with a keep-alive pool sized to the concurrency limit: far less CPU per request than
    // fetch() (undici + web streams + AbortSignal plumbing), which matters at thousands of requests a query.
    const secure = this.base.startsWith('https:');
    this.transport = secure ? https : http;
    this.agent = new (secure ? https.Agent : http.Agent)({
      keepAlive: true,
      maxSockets: this.concurrency,
      scheduling: 'lifo',
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.agent.destroy();
  }

  /** GET `/v1${path}`; resolves the parsed JSON, or null for 404; throws UpstreamError otherwise. */
  async getOrNull<T>(path: string, o: GetOptions = {}): Promise<T | null> {
    try {
      return await this.request<T>('GET', path, undefined, o);
    } catch (e) {
      if (e instanceof UpstreamError && e.upstream.status === 404) return null;
      throw e;
    }
  }

  async get<T>(path: string, o: GetOptions = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, o);
  }

  async send<T>(method: 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown, o: GetOptions = {}): Promise<T> {
    return this.request<T>(method, path, body, o);
  }

  async request<T>(method: string, path: string, body: unknown, o: GetOptions): Promise<T> {
    // The builders encode segments (path.ts); this catches a path built without them before it is sent.
    if (pathChangedByNormalisation(this.base, path)) {
      throw badInput(
        `Refused to send ${method} /v1${redactPath(path.split('?')[0])}: URL normalisation would change that path (a "." or ".." segment or an encoded dot); nothing was asked of Cerebrum.`,
      );
    }
    const round = o.round ?? 1;
    for (const s of this.statsOf(o)) s.rounds = Math.max(s.rounds, round);
    const maxAttempts = method === 'GET' ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt<T>(method, path, body, o);
      } catch (e) {
        const retryable =
          attempt < maxAttempts && !o.signal?.aborted && (!(e instanceof CerebrumHttpStatus) || RETRYABLE(e.status));
        if (!retryable) throw this.toUpstreamError(e, method, path, o.signal);
        for (const s of this.statsOf(o)) s.retries++;
        const delay = this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
        this.opts.logger?.debug(
          { method, path: redactPath(path), attempt, delay: Math.round(delay) },
          'retrying Cerebrum request',
        );
        if (!(await backoff(delay, o.signal))) throw this.toUpstreamError(o.signal!.reason, method, path, o.signal);
      }
    }
  }

  private statsOf(o: GetOptions): RequestStats[] {
    return o.stats ? [this.stats, o.stats] : [this.stats];
  }

  private async attempt<T>(method: string, path: string, body: unknown, o: GetOptions): Promise<T> {
    await this.slots.acquire(o.stats, o.signal);
    const stats = this.statsOf(o);
    for (const s of stats) {
      s.requests++;
      s.inFlight++;
      s.peakInFlight = Math.max(s.peakInFlight, s.inFlight);
    }
    try {
      // Span, traceparent and metrics per attempt, by route template (never the id): core/upstream-telemetry.ts.
      const { status, text } = await observeUpstream(
        { source: 'CEREBRUM', method, route: cerebrumRoute(path) },
        (trace) => this.send1(method, path, body, o.signal, trace),
      );
      let parsed: unknown = undefined;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          if (status < 300)
            throw new CerebrumHttpStatus(502, { message: 'Cerebrum answered with a body that is not JSON' });
          parsed = { message: text.slice(0, 200) };
        }
      }
      if (status >= 300) throw new CerebrumHttpStatus(status, parsed);
      return parsed as T;
    } finally {
      for (const s of stats) s.inFlight--;
      this.slots.release();
    }
  }

  /** One HTTP exchange; rejects with TimeoutSignal after timeoutMs, or with the socket error. */
  private send1(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    trace: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = this.transport.request(
        `${this.base}/v1${path}`,
        {
          method,
          agent: this.agent,
          headers:
            payload === undefined
              ? { ...this.headers, ...trace }
              : {
                  ...this.headers,
                  ...trace,
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                },
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new TimeoutSignal());
      }, this.timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(payload);
    });
  }

  private toUpstreamError(e: unknown, method: string, path: string, signal?: AbortSignal): UpstreamError {
    const safePath = `/v1${redactPath(path)}`;
    if (e instanceof UpstreamError) return e;
    if (signal?.aborted) {
      return cancelledUpstreamError('CEREBRUM', 'Cerebrum', `${method} ${safePath}`, signal.reason, {
        status: null,
        method,
        path: safePath,
      });
    }
    if (e instanceof TimeoutSignal) {
      return new UpstreamError(
        'UPSTREAM_TIMEOUT',
        'CEREBRUM',
        `Cerebrum did not answer ${method} ${safePath} within ${this.timeoutMs} ms`,
        {
          status: null,
          method,
          path: safePath,
        },
      );
    }
    if (e instanceof CerebrumHttpStatus) {
      const upstream = { status: e.status, method, path: safePath };
      const msg = messageOf(e.body);
      if (e.status === 401 || e.status === 403) {
        // Gateways in front of Cerebrum may echo the key they refused, or the path with a national id in it.
        const said = msg ? redactText(msg, [this.opts.apiKey]) : undefined;
        return new UpstreamError(
          'UPSTREAM_ERROR',
          'CEREBRUM',
          `Cerebrum refused the gateway's credentials (${e.status}${said ? `: ${said}` : ''}); check CEREBRUM_API_KEY and CEREBRUM_API_KEY_HEADER`,
          upstream,
        );
      }
      if (e.status === 404) {
        return new UpstreamError('UPSTREAM_ERROR', 'CEREBRUM', `Cerebrum has no ${safePath} (404)`, upstream);
      }
      if (e.status === 429 || e.status === 503) {
        return new UpstreamError(
          'UPSTREAM_UNAVAILABLE',
          'CEREBRUM',
          `Cerebrum is unavailable (${e.status}) for ${method} ${safePath}`,
          upstream,
        );
      }
      return new UpstreamError(
        'UPSTREAM_ERROR',
        'CEREBRUM',
        `Cerebrum answered ${e.status} for ${method} ${safePath}${msg ? `: ${redactPath(msg)}` : ''}`,
        upstream,
      );
    }
    const cause =
      (e as { code?: string })?.code ??
      (e as { cause?: { code?: string } })?.cause?.code ??
      (e as Error)?.name ??
      'network error';
    return new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      'CEREBRUM',
      `Cannot reach Cerebrum at CEREBRUM_URL (${cause}) for ${method} ${safePath}`,
      {
        status: null,
        method,
        path: safePath,
      },
    );
  }
}

class TimeoutSignal extends Error {}

function messageOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return undefined;
}
