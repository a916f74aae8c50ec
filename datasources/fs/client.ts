import { UpstreamError, redactNationalIds } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { HttpStatusError, type ShownRequest } from '../../core/http/failures';
import { HttpStats, HttpTransport, type HttpAnswer } from '../../core/http/transport';

/**
 * Transport to FS GraphQL (specs/fs.md): `POST <FS_URL>` with a JSON body `{query, variables, operationName}`,
 * HTTP Basic auth (one API user per institution). Every operation the gateway sends is a query, so every
 * attempt may be retried safely. The client, through the shared HTTP transport (core/http/transport.ts),
 *  - holds at most `concurrency` operations in flight per process, taken in turn by the callers waiting (one
 *    queue per `stats` object, i.e. per GraphQL request or import run),
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
export class FsRequestStats extends HttpStats {
  /** Attempts per operation name, e.g. 'FsPersonsByNumber'. */
  readonly byOperation = new Map<string, number>();
}

export interface FsQueryOptions {
  stats?: FsRequestStats;
  signal?: AbortSignal;
}

type FsGraphQLError = { message?: string; extensions?: { code?: string } };

/** A GraphQL answer with `errors` (HTTP 200): not retried, FS gave a definite answer. */
class FsGraphQLErrors extends Error {
  constructor(readonly errors: FsGraphQLError[]) {
    super('GraphQL errors');
  }
}

export class FsClient {
  private readonly target: URL;
  /** The endpoint's path, the only part of FS_URL that goes into messages (never user:password@host). */
  readonly path: string;
  private readonly http: HttpTransport;
  readonly stats = new FsRequestStats();

  constructor(private readonly opts: FsClientOptions) {
    this.target = new URL(opts.url);
    // Credentials in the URL itself are moved into the header, never sent or shown as part of the URL.
    const user = opts.username ?? decodeURIComponent(this.target.username);
    const password = opts.password ?? decodeURIComponent(this.target.password);
    this.target.username = '';
    this.target.password = '';
    this.path = this.target.pathname;
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
    if (user || password) headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    if (opts.featureFlags) headers['Feature-Flags'] = opts.featureFlags;
    this.http = new HttpTransport({
      source: 'FS',
      label: 'FS',
      urlSetting: 'FS_URL',
      url: this.target,
      headers,
      concurrency: opts.concurrency ?? 8,
      timeoutMs: opts.timeoutMs ?? 15_000,
      retries: opts.retries ?? 2,
      backoffMs: opts.backoffMs ?? 200,
      stats: this.stats,
      describe: (e, req) => this.describe(e, req),
    });
  }

  close(): void {
    this.http.close();
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
    const counted = o.stats ? [this.stats, o.stats] : [this.stats];
    return this.http.request(
      {
        method: 'POST',
        url: this.target,
        // Spans and metrics by operation name, a constant of ours.
        route: operationName,
        body: JSON.stringify({ query: document, variables, operationName }),
        what: operationName,
        path: this.path,
      },
      readData<T>,
      {
        stats: o.stats,
        signal: o.signal,
        onAttempt: () => {
          for (const s of counted) s.byOperation.set(operationName, (s.byOperation.get(operationName) ?? 0) + 1);
        },
        onRetry: ({ attempt, delayMs }) =>
          this.opts.logger?.debug(
            { operation: operationName, attempt, delay: Math.round(delayMs) },
            'retrying FS request',
          ),
      },
    );
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
    pick: (data: unknown) => RawConnection<N>,
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

  /** FS's wording for an answer that failed (the transport words time-outs, cancels, network errors). */
  private describe(e: unknown, { what: op, method, path }: ShownRequest): UpstreamError | undefined {
    const upstream = (status: number) => ({ status, method, path });
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
    if (!(e instanceof HttpStatusError)) return undefined;
    if (e.status === 401 || e.status === 403) {
      return new UpstreamError(
        'UPSTREAM_ERROR',
        'FS',
        `FS refused the gateway's credentials (${e.status}) for ${op}; check FS_USERNAME and FS_PASSWORD`,
        upstream(e.status),
      );
    }
    if (e.status === 429 || e.status === 503) return undefined; // the transport's "unavailable"
    const detail = typeof e.body === 'string' ? messageOf(e.body) : undefined;
    return new UpstreamError(
      'UPSTREAM_ERROR',
      'FS',
      `FS answered ${e.status} for ${op}${detail ? `: ${this.scrub(detail)}` : ''}`,
      upstream(e.status),
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

/** An FS answer: `data` of a 200 without `errors`; anything else fails (a status >= 300 with what FS said). */
function readData<T>({ status, text }: HttpAnswer): T {
  if (status >= 300) throw new HttpStatusError(status, text.slice(0, 300));
  let parsed: { data?: T; errors?: FsGraphQLError[] } | null;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new HttpStatusError(502, 'FS answered with a body that is not JSON');
  }
  if (parsed?.errors?.length) throw new FsGraphQLErrors(parsed.errors);
  if (parsed?.data == null) throw new HttpStatusError(502, 'FS answered without data');
  return parsed.data;
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
    const first = body.errors?.[0]?.message;
    if (typeof first === 'string') return first;
  } catch {
    /* not JSON */
  }
  return text.trim() ? text.trim().slice(0, 120) : undefined;
}
