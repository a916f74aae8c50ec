import type { Logger } from '../../core/logger';
import { AttemptTimeout, HttpStatusError, RetryAfterTooLong, networkCause } from '../../core/http/failures';
import { HttpTransport, type HttpAnswer } from '../../core/http/transport';

/**
 * Transport to DAR's address wash, DAWA `datavask` (specs/aarhus-los.md, "DAR address lookup"):
 * `GET ${DAR_URL}/datavask/adresser?betegnelse=<text>&struktur=mini`. Kategori A (exact up to case and
 * punctuation) and B (safe match despite small misspellings) give the address; C (unsafe guess) does not.
 *
 * DAWA allows 30 requests/s and 10 connections per client and answers 429 beyond that, so this client
 * keeps under both by itself rather than leaning on DAWA's refusals, through the shared HTTP transport
 * (core/http/transport.ts):
 *  - at most `concurrency` requests in flight (first come, first served, and that many pooled sockets),
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
const ROUTE = '/datavask/adresser';

interface Lookup {
  promise: Promise<DarResult>;
  controller: AbortController;
  /** Callers waiting; when every one of them has aborted, the lookup is abandoned. */
  waiters: number;
  settled: boolean;
}

export class DarClient implements DarLookup {
  private readonly endpoint: URL;
  /** The endpoint as shown in reasons and logs: no credentials, no query (it may carry a token). */
  private readonly shownUrl: string;
  private readonly o: Required<Omit<DarClientOptions, 'logger' | 'url'>>;
  private readonly http: HttpTransport;
  private readonly cache = new Map<string, Lookup>();
  private cacheHits = 0;
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
    this.endpoint.pathname = `${base.pathname.replace(/\/+$/, '')}${ROUTE}`;
    this.endpoint.hash = '';
    this.shownUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.http = new HttpTransport({
      source: 'DAR',
      label: 'DAR',
      urlSetting: 'DAR_URL',
      url: base,
      headers: { accept: 'application/json' },
      concurrency: this.o.concurrency,
      rate: { perSecond: this.o.ratePerSecond, slackMs: this.o.rateSlackMs },
      timeoutMs: this.o.timeoutMs,
      retries: this.o.retries,
      backoffMs: this.o.backoffMs,
      retryAfter: { maxMs: this.o.maxRetryAfterMs },
      maxBodyBytes: MAX_BODY_BYTES,
    });
  }

  /** This client's counts (a snapshot): requests sent (retries included), retries, cache hits, peaks. */
  get stats(): DarClientStats {
    const t = this.http.stats;
    return {
      requests: t.requests,
      retries: t.retries,
      cacheHits: this.cacheHits,
      peakInFlight: t.peakInFlight,
      maxStartedInAnySecond: this.http.maxStartedInAnySecond,
    };
  }

  /**
   * Washes one address text. Resolves ok with the DAR address id for kategori A or B, else ok: false with a
   * reason. Rejects only when `signal` aborts (with the signal's reason).
   */
  async wash(text: string, signal?: AbortSignal): Promise<DarResult> {
    if (signal?.aborted) throw signal.reason;
    // DAWA ignores whitespace differences, so texts that differ only there share one lookup.
    const key = text.trim().replace(/\s+/g, ' ');
    if (key === '') return { ok: false, reason: 'no address text' };
    if (this.closed) return { ok: false, reason: 'DAR client closed' };
    let lookup = this.cache.get(key);
    if (lookup) this.cacheHits++;
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
    this.http.close();
  }

  private await(key: string, lookup: Lookup, signal?: AbortSignal): Promise<DarResult> {
    lookup.waiters++;
    if (!signal) return lookup.promise;
    return new Promise<DarResult>((resolve, reject) => {
      const onAbort = () => {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason, unwrapped: jobs abort with strings ('cancel') their runner compares
        reject(signal.reason);
        // The last interested caller gone: stop the request and forget it, so a later call asks afresh.
        if (--lookup.waiters === 0 && !lookup.settled) {
          lookup.controller.abort();
          if (this.cache.get(key) === lookup) this.cache.delete(key);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // lookup.promise never rejects (lookup() turns every failure into a result).
      void lookup.promise.then((r) => {
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

  /** Attempts with retries (the transport's); never rejects. */
  private async lookup(text: string, signal: AbortSignal): Promise<DarResult> {
    const url = new URL(this.endpoint);
    url.searchParams.set('betegnelse', text);
    url.searchParams.set('struktur', 'mini');
    try {
      // Spans and metrics by route, never the address text in the query.
      return await this.http.send({ method: 'GET', url, route: ROUTE }, (answer) => this.interpret(answer), {
        signal,
        onRetry: ({ attempt, delayMs, failure }) =>
          this.opts.logger?.debug(
            { source: 'DAR', attempt, delay: Math.round(delayMs), failure: this.describe(failure) },
            'retrying DAR address wash',
          ),
      });
    } catch (e) {
      if (signal.aborted) return { ok: false, reason: this.closed ? 'DAR client closed' : 'lookup abandoned' };
      if (e instanceof RetryAfterTooLong) return { ok: false, reason: `${this.describe(e.answer)}; ${e.message}` };
      const attempts = this.o.retries + 1;
      const reason = `${this.describe(e)} after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
      this.opts.logger?.warn({ source: 'DAR', reason }, 'DAR address wash failed');
      return { ok: false, reason };
    }
  }

  /**
   * What an answer means: a result (kategori A/B, C, or a definite refusal: data for the import's issues), or
   * HttpStatusError for 429 and 5xx, which the transport retries.
   */
  private interpret({ status, text }: HttpAnswer): DarResult {
    const where = `${this.shownUrl} (DAR_URL)`;
    if (status === 429 || status >= 500) throw new HttpStatusError(status, text);
    if (status !== 200) {
      return { ok: false, reason: `DAR refused the lookup: HTTP ${status} from ${where}${problemTitle(text)}` };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, reason: `DAR answered with a body that is not JSON, from ${where}` };
    }
    const { kategori, resultater } = (body ?? {}) as { kategori?: unknown; resultater?: unknown };
    if (kategori !== 'A' && kategori !== 'B' && kategori !== 'C') {
      return { ok: false, reason: `DAR answered without a kategori A, B or C, from ${where}` };
    }
    if (kategori === 'C') return { ok: false, reason: 'kategori C: no safe match' };
    const first: unknown = Array.isArray(resultater) ? resultater[0] : undefined;
    const adresse = (first as { adresse?: { id?: unknown; betegnelse?: unknown } } | undefined)?.adresse;
    if (!adresse || typeof adresse.id !== 'string' || adresse.id === '') return { ok: false, reason: 'no result' };
    return {
      ok: true,
      id: adresse.id,
      betegnelse: typeof adresse.betegnelse === 'string' ? adresse.betegnelse : '',
      kategori,
    };
  }

  /** A failed attempt as a reason: "DAR unavailable: …", naming DAR_URL's origin and path, never its query. */
  private describe(e: unknown): string {
    if (e instanceof HttpStatusError) return `DAR unavailable: HTTP ${e.status} from ${this.shownUrl} (DAR_URL)`;
    if (e instanceof AttemptTimeout)
      return `DAR unavailable: no answer within ${this.o.timeoutMs} ms from ${this.shownUrl} (DAR_URL)`;
    return `DAR unavailable: cannot reach ${this.shownUrl} (DAR_URL): ${networkCause(e)}`;
  }
}

/** DAWA errors are JSON problem documents ({ type, title, details }); show the title when there is one. */
function problemTitle(text: string): string {
  try {
    const title = (JSON.parse(text) as { title?: unknown } | null)?.title;
    return typeof title === 'string' ? `: ${title.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
