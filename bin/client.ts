/**
 * The idbro CLI's GraphQL client: POSTs to `${IDBRO_URL}/graphql` with `Authorization: Bearer ${IDBRO_TOKEN}`
 * and turns every way that can go wrong into a CliError whose message says what to fix (which variable), never
 * echoing the token or a password in the URL.
 */

/** A failure the CLI reports as one line on stderr and an exit code (no stack trace). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Exit codes (README "CLI"). */
export const EXIT = {
  /** The command did what it was asked; for `sync --follow`, the job SUCCEEDED. */
  OK: 0,
  /** The job ended FAILED or CANCELLED, the request was refused, or `config check` found a problem. */
  FAILED: 1,
  /** Bad usage: an unknown kind, a missing or wrong option. */
  USAGE: 2,
  /** idbro could not be reached, or refused the token (401). */
  UNREACHABLE: 3,
} as const;

export const DEFAULT_IDBRO_URL = 'http://127.0.0.1:4000';

/** A URL as messages may show it: no user, no password, no query. */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(not a valid URL)';
  }
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

export class IdbroClient {
  readonly endpoint: string;

  /**
   * @param baseUrl IDBRO_URL: the server's base URL or its /graphql endpoint. Default http://127.0.0.1:4000.
   * @param token IDBRO_TOKEN: one of the server's API_TOKENS. Default unset (no Authorization header).
   * @param timeoutMs Longest wait for one answer. Default 30000.
   */
  constructor(
    baseUrl: string = process.env.IDBRO_URL?.trim() || DEFAULT_IDBRO_URL,
    private readonly token: string | undefined = process.env.IDBRO_TOKEN?.trim() || undefined,
    private readonly timeoutMs = 30_000,
  ) {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      throw new CliError(`IDBRO_URL is not a valid URL (expected e.g. ${DEFAULT_IDBRO_URL}).`, EXIT.USAGE);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new CliError(`IDBRO_URL must be an http:// or https:// URL, not ${u.protocol}//.`, EXIT.USAGE);
    }
    // Both the server's base URL and its /graphql endpoint are accepted.
    const path = u.pathname.replace(/\/+$/, '');
    u.pathname = path.endsWith('/graphql') ? path : `${path}/graphql`;
    this.endpoint = u.toString();
  }

  /** Runs one operation and returns its data; any GraphQL error becomes a CliError. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const where = displayUrl(this.endpoint);
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why =
        (e as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000} s`
          : (cause?.code ?? cause?.message ?? (e as Error).message);
      throw new CliError(
        `Cannot reach idbro at ${where} (${why}). Is it running? Set IDBRO_URL to its address (default ${DEFAULT_IDBRO_URL}).`,
        EXIT.UNREACHABLE,
      );
    }
    const text = await res.text();
    let body: { data?: T | null; errors?: GraphQLErrorShape[] } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    const errors = body?.errors ?? [];
    if (res.status === 401 || errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
      throw new CliError(
        this.token
          ? `idbro at ${where} did not accept IDBRO_TOKEN (401): set IDBRO_TOKEN to one of the server's API_TOKENS.`
          : `idbro at ${where} needs a token (401): set IDBRO_TOKEN to an API token (one of the server's API_TOKENS).`,
        EXIT.UNREACHABLE,
      );
    }
    if (!body)
      throw new CliError(
        `idbro at ${where} answered HTTP ${res.status} without a GraphQL response: is IDBRO_URL the idbro server?`,
        EXIT.UNREACHABLE,
      );
    const e = errors[0];
    if (e) {
      const code = e.extensions?.code;
      const hint = code === 'FORBIDDEN' ? ' (IDBRO_TOKEN lacks the scope: see API_TOKENS on the server)' : '';
      throw new CliError(
        `${code ? `${code}: ` : ''}${e.message}${hint}`,
        code === 'BAD_USER_INPUT' ? EXIT.USAGE : EXIT.FAILED,
      );
    }
    if (body.data == null) throw new CliError(`idbro at ${where} answered HTTP ${res.status} with no data.`);
    return body.data;
  }
}
