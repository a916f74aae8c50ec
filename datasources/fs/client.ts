import http from 'node:http';
import https from 'node:https';
import { UpstreamError, redactNationalIds } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { Semaphore } from '../../core/http/semaphore';
import { backoff } from '../../core/http/backoff';
import { cancelledUpstreamError } from '../../core/request-budget';
import { observeUpstream } from '../../core/upstream-telemetry';

/**
 * Transport to FS GraphQL (specs/fs.md): `POST <FS_URL>` with a JSON body `{query, variables, operationName}`,
 * HTTP Basic auth (one API user per institution). Every operation the gateway sends is a query, so every
 * attempt may be retried safely. The client
 *  - holds at most `concurrency` operations in flight per process, taken in turn by the callers waiting (one
 *    queue per `stats` object, i.e. per GraphQL request or import run: ../semaphore.ts),
 *  - drops a caller's queued operations when its `signal` aborts (request budget, disconnect, cancel),
 *  - times each attempt out,
 *  - retries network errors, 5xx and 429 with exponential backoff and jitter (bounded),
 *  - maps every failure to an UpstreamError with source 'FS' — including an HTTP 200 whose body carries
 *    GraphQL `errors` (FS reports a bad filter or an internal failure that way).
 * The password is used to build the Authorization header and nowhere else: no message, log line or
 * UpstreamError carries it (nor the user name, nor a user:password part of FS_URL).
 */
export interface FsClientOptions {
  /** The endpoint, e.g. https://api.fellesstudentsystem.no/graphql/ (FS_URL). Posted to as is. */
  url: string;
  username?: string;
  password?: string;
  /** Sent as header `Feature-Flags` when set (FS: 'beta' enables beta fields). Default unset. */
  featureFlags?: string;
  /** Most operations in flight at once. Default 8 (FS is one shared service; our batches are big). */
  concurrency?: number;
  /** Per-attempt timeout. Default 15 000 ms (a page of 500 study rights can take a while). */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** First backoff delay; doubled per retry, ±50% jitter. Default 200 ms. */
  backoffMs?: number;
  logger?: Logger;
}

/** Per-caller accounting (one GraphQL request, one import run) and process-wide totals. */
export class FsRequestStats {
  /** HTTP attempts sent. */
  requests = 0;
  retries = 0;
  /** Attempts per operation name, e.g. 'FsPersonsByNumber'. */
  readonly byOperation = new Map<string, number>();
}

export interface FsQueryOptions {
  stats?: FsRequestStats;
  signal?: AbortSignal;
}

/** A GraphQL answer with `errors` (HTTP 200): not retried, FS gave a definite answer. */
class FsGraphQLErrors extends Error {
  constructor(readonly errors: Array<{ message?: string; extensions?: { code?: string } }>) {
    super('GraphQL errors');
  }
}
class FsHttpStatus extends Error {
  constructor(
    readonly status: number,
    readonly bodyText: string,
  ) {
    super(`HTTP ${status}`);
  }
}
class TimeoutSignal extends Error {}

const RETRYABLE = (status: number) => status >= 500 || status === 429;

export class FsClient {
  private readonly target: URL;
  private readonly headers: Record<string, string>;
  /** The endpoint's path, the only part of FS_URL that goes into messages (never user:password@host). */
  readonly path: string;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly slots: Semaphore;
  readonly stats = new FsRequestStats();

  constructor(private readonly opts: FsClientOptions) {
    this.target = new URL(opts.url);
    // Credentials in the URL itself are moved into the header, never sent or shown as part of the URL.
    const user = opts.username ?? decodeURIComponent(this.target.username);
    const password = opts.password ?? decodeURIComponent(this.target.password);
    this.target.username = '';
    this.target.password = '';
    this.path = this.target.pathname;
    this.headers = { accept: 'application/json', 'content-type': 'application/json' };
    if (user || password) this.headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    if (opts.featureFlags) this.headers['Feature-Flags'] = opts.featureFlags;
    this.concurrency = opts.concurrency ?? 8;
    this.slots = new Semaphore(this.concurrency);
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.retries = opts.retries ?? 2;
    this.backoffMs = opts.backoffMs ?? 200;
    const secure = this.target.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: this.concurrency });
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Runs one GraphQL operation; resolves its `data`. `operationName` must be the name of the operation in
   * `document` (it is what the stats and FS's own logs show).
   */
  async query<T>(
    operationName: string,
    document: string,
    variables: Record<string, unknown> = {},
    o: FsQueryOptions = {},
  ): Promise<T> {
    const body = JSON.stringify({ query: document, variables, operationName });
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt<T>(operationName, body, o);
      } catch (e) {
        const retryable =
          attempt <= this.retries &&
          !o.signal?.aborted &&
          !(e instanceof FsGraphQLErrors) &&
          (!(e instanceof FsHttpStatus) || RETRYABLE(e.status));
        if (!retryable) throw this.toUpstreamError(e, operationName, o.signal);
        for (const s of this.statsOf(o)) s.retries++;
        const delay = this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
        this.opts.logger?.debug({ operation: operationName, attempt, delay: Math.round(delay) }, 'retrying FS request');
        if (!(await backoff(delay, o.signal))) throw this.toUpstreamError(o.signal!.reason, operationName, o.signal);
      }
    }
  }

  /**
   * Every node of a Relay connection, page after page (`first`/`after`, `pageInfo { endCursor hasNextPage }`).
   * `pick` finds the connection in an answer; the document must take `$first: Int` and `$after: String`.
   * Pages are read one after another (a cursor is only known once the previous page has answered).
   */
  async *paginate<N>(
    operationName: string,
    document: string,
    variables: Record<string, unknown>,
    pick: (data: any) => RawConnection<N>,
    o: FsQueryOptions & { pageSize?: number } = {},
  ): AsyncGenerator<N> {
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const data: unknown = await this.query(
        operationName,
        document,
        { ...variables, first: o.pageSize ?? 500, after },
        o,
      );
      const conn = pick(data);
      for (const node of nodesOf(conn)) yield node;
      if (!conn.pageInfo.hasNextPage) return;
      if (!conn.pageInfo.endCursor || conn.pageInfo.endCursor === after) {
        // A server that says "more" without a new cursor would loop forever.
        throw new UpstreamError(
          'UPSTREAM_ERROR',
          'FS',
          `FS said ${operationName} has more pages but gave no new cursor (page ${page + 1})`,
          {
            status: 200,
            method: 'POST',
            path: this.path,
          },
        );
      }
      after = conn.pageInfo.endCursor;
    }
  }

  private statsOf(o: FsQueryOptions): FsRequestStats[] {
    return o.stats ? [this.stats, o.stats] : [this.stats];
  }

  private async attempt<T>(operationName: string, body: string, o: FsQueryOptions): Promise<T> {
    await this.slots.acquire(o.stats, o.signal);
    for (const s of this.statsOf(o)) {
      s.requests++;
      s.byOperation.set(operationName, (s.byOperation.get(operationName) ?? 0) + 1);
    }
    try {
      // Span, traceparent and metrics per attempt, by operation name (a constant of ours): core/upstream-telemetry.ts.
      const { status, text } = await observeUpstream({ source: 'FS', method: 'POST', route: operationName }, (trace) =>
        this.send1(body, o.signal, trace),
      );
      if (status >= 300) throw new FsHttpStatus(status, text.slice(0, 300));
      let parsed: { data?: T; errors?: FsGraphQLErrors['errors'] };
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new FsHttpStatus(502, 'FS answered with a body that is not JSON');
      }
      if (parsed.errors?.length) throw new FsGraphQLErrors(parsed.errors);
      if (parsed.data == null) throw new FsHttpStatus(502, 'FS answered without data');
      return parsed.data;
    } finally {
      this.slots.release();
    }
  }

  private send1(
    body: string,
    signal?: AbortSignal,
    trace: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, ...trace, 'content-length': Buffer.byteLength(body) },
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
      const timer = setTimeout(() => req.destroy(new TimeoutSignal()), this.timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });
  }

  private toUpstreamError(e: unknown, op: string, signal?: AbortSignal): UpstreamError {
    if (e instanceof UpstreamError) return e;
    const upstream = (status: number | null) => ({ status, method: 'POST', path: this.path });
    if (signal?.aborted) return cancelledUpstreamError('FS', 'FS', op, signal.reason, upstream(null));
    if (e instanceof TimeoutSignal) {
      return new UpstreamError(
        'UPSTREAM_TIMEOUT',
        'FS',
        `FS did not answer ${op} within ${this.timeoutMs} ms`,
        upstream(null),
      );
    }
    if (e instanceof FsGraphQLErrors) {
      const first = e.errors[0]?.message ?? 'unknown error';
      const more = e.errors.length > 1 ? ` (and ${e.errors.length - 1} more)` : '';
      return new UpstreamError(
        'UPSTREAM_ERROR',
        'FS',
        `FS answered ${op} with errors: ${this.scrub(first)}${more}`,
        upstream(200),
      );
    }
    if (e instanceof FsHttpStatus) {
      if (e.status === 401 || e.status === 403) {
        return new UpstreamError(
          'UPSTREAM_ERROR',
          'FS',
          `FS refused the gateway's credentials (${e.status}) for ${op}; check FS_USERNAME and FS_PASSWORD`,
          upstream(e.status),
        );
      }
      if (e.status === 429 || e.status === 503) {
        return new UpstreamError(
          'UPSTREAM_UNAVAILABLE',
          'FS',
          `FS is unavailable (${e.status}) for ${op}`,
          upstream(e.status),
        );
      }
      const detail = messageOf(e.bodyText);
      return new UpstreamError(
        'UPSTREAM_ERROR',
        'FS',
        `FS answered ${e.status} for ${op}${detail ? `: ${this.scrub(detail)}` : ''}`,
        upstream(e.status),
      );
    }
    const cause = (e as { code?: string })?.code ?? (e as Error)?.name ?? 'network error';
    return new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      'FS',
      `Cannot reach FS at FS_URL (${cause}) for ${op}`,
      upstream(null),
    );
  }

  /** FS's own messages may echo a filter value (a fødselsnummer) or, in theory, a credential: mask both. */
  private scrub(text: string): string {
    let out = redactNationalIds(text);
    for (const secret of [this.opts.password, this.opts.username]) {
      if (secret) out = out.split(secret).join('***');
    }
    return out.slice(0, 300);
  }
}

/** A Relay connection as FS answers it: `edges { cursor node }` and/or `nodes`. */
export interface RawConnection<N> {
  edges?: Array<{ cursor?: string | null; node: N } | null> | null;
  nodes?: Array<N | null> | null;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount?: number | null;
}

export function nodesOf<N>(conn: RawConnection<N>): N[] {
  if (conn.edges) return conn.edges.flatMap((e) => (e?.node ? [e.node] : []));
  return (conn.nodes ?? []).filter((n): n is N => n != null);
}

function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: Array<{ message?: unknown }> };
    if (typeof body.message === 'string') return body.message;
    if (typeof body.errors?.[0]?.message === 'string') return body.errors[0].message as string;
  } catch {
    /* not JSON */
  }
  return text.trim() ? text.trim().slice(0, 120) : undefined;
}
