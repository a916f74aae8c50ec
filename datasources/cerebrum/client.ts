import { UpstreamError, badInput, redactPath } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { redactText } from '../../core/redact';
import { HttpStatusError, type ShownRequest } from '../../core/http/failures';
import { HttpStats, HttpTransport, type HttpAnswer } from '../../core/http/transport';
import { pathChangedByNormalisation } from './path';
import { cerebrumRoute } from './route';

/**
 * Transport to Cerebrum REST v1 (specs/cerebrum-rest.md): JSON over HTTP with a static API key header.
 * Cerebrum has no batch endpoints and no rate limiting of its own, and every request opens a database
 * connection server-side, so this client is the single place that bounds load on it, through the shared HTTP
 * transport (core/http/transport.ts):
 *  - at most `concurrency` requests in flight per process, taken in turn by the callers waiting (one queue per
 *    `stats` object, i.e. per GraphQL request or job), so one big query cannot starve the rest,
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

/** Per-caller accounting, e.g. one GraphQL request or one sync job (attempts, retries, in-flight peak). */
export class RequestStats extends HttpStats {
  /** Highest dependency round seen: 1 = needed nothing but the query's arguments. */
  rounds = 0;
}

export interface GetOptions {
  /** Dependency round of this request (see loaders.ts); recorded in the stats. */
  round?: number;
  /** The caller's accounting; also its fair-share queue for the in-flight limit (callers without one share a queue). */
  stats?: RequestStats;
  /** Aborts the request: not sent when still queued, cut when in flight. No retry follows. */
  signal?: AbortSignal;
}

export class CerebrumClient {
  private readonly base: string;
  private readonly http: HttpTransport;
  /** Process-wide counters, for /readyz and benchmarks. */
  readonly stats = new RequestStats();

  constructor(private readonly opts: CerebrumClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.apiKey) headers[opts.apiKeyHeader ?? 'X-API-Key'] = opts.apiKey;
    this.http = new HttpTransport({
      source: 'CEREBRUM',
      label: 'Cerebrum',
      urlSetting: 'CEREBRUM_URL',
      url: this.base,
      headers,
      concurrency: opts.concurrency ?? 16,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retries: opts.retries ?? 2,
      backoffMs: opts.backoffMs ?? 100,
      // Writes are not retried: a PUT that timed out may have been applied.
      retryMethods: ['GET'],
      stats: this.stats,
      describe: (e, req) => this.describe(e, req),
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.http.close();
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
        `Refused to send ${method} /v1${redactPath(path.split('?')[0] ?? '')}: URL normalisation would change that path (a "." or ".." segment or an encoded dot); nothing was asked of Cerebrum.`,
      );
    }
    const round = o.round ?? 1;
    this.stats.rounds = Math.max(this.stats.rounds, round);
    if (o.stats) o.stats.rounds = Math.max(o.stats.rounds, round);
    const safePath = `/v1${redactPath(path)}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return this.http.request(
      {
        method,
        url: `${this.base}/v1${path}`,
        // Spans and metrics name the route template, never the id: route.ts.
        route: cerebrumRoute(path),
        body: payload,
        headers: payload === undefined ? undefined : { 'content-type': 'application/json' },
        what: `${method} ${safePath}`,
        path: safePath,
      },
      readJson<T>,
      {
        stats: o.stats,
        signal: o.signal,
        onRetry: ({ attempt, delayMs }) =>
          this.opts.logger?.debug(
            { method, path: redactPath(path), attempt, delay: Math.round(delayMs) },
            'retrying Cerebrum request',
          ),
      },
    );
  }

  /** Cerebrum's wording for an answer that failed (the transport words time-outs, cancels, network errors). */
  private describe(e: unknown, { what, method, path }: ShownRequest): UpstreamError | undefined {
    if (!(e instanceof HttpStatusError)) return undefined;
    const upstream = { status: e.status, method, path };
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
      return new UpstreamError('UPSTREAM_ERROR', 'CEREBRUM', `Cerebrum has no ${path} (404)`, upstream);
    }
    if (e.status === 429 || e.status === 503) return undefined; // the transport's "unavailable"
    return new UpstreamError(
      'UPSTREAM_ERROR',
      'CEREBRUM',
      `Cerebrum answered ${e.status} for ${what}${msg ? `: ${redactPath(msg)}` : ''}`,
      upstream,
    );
  }
}

/** A Cerebrum answer: JSON (or empty); a status >= 300 fails with what Cerebrum said. */
function readJson<T>({ status, text }: HttpAnswer): T {
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      if (status < 300) throw new HttpStatusError(502, { message: 'Cerebrum answered with a body that is not JSON' });
      parsed = { message: text.slice(0, 200) };
    }
  }
  if (status >= 300) throw new HttpStatusError(status, parsed);
  return parsed as T;
}

function messageOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return undefined;
}
