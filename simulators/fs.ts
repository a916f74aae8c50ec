/**
 * FS GraphQL simulator: a real GraphQL server (graphql-js over node:http on loopback) speaking the FS API as
 * specs/fs.md describes it — `POST /graphql/` with HTTP Basic auth, Relay pagination, FS field names — over
 * live, mutable data (./data/fs-sample.ts). Used by tests and the `npm start` demo.
 *
 * Per request, in this order:
 *   1. counted (stats.requests); the operation is parsed and counted per operation name and, as each root
 *      field resolves, per root field (stats.byField) — the batching tests assert on these;
 *   2. an injected failure (failNext) is picked by matching "<operationName> <root fields…>" at arrival;
 *   3. the configured latency is waited;
 *   4. the injected failure, else the Basic-auth check (401), else the operation executes.
 * Injected failures come before the auth check: they stand for the infrastructure in front of FS.
 */
import http from 'node:http';
import { Kind, execute, parse, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { fsSampleData, type FsData } from './data/fs-sample';
import { buildFsSchema, fsRootValue } from './fs-api';
import { serverCloser } from './http-close';

export * from './data/fs-sample';

export interface FsSimulatorOptions {
  /** Port to listen on. Default 0 = a random free port. */
  port?: number;
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** HTTP Basic credentials expected. Default 'fs-sim' / 'fs-sim-password'; `username: null` = no auth. */
  username?: string | null;
  password?: string;
  /** Delay before each response, ms. Default 0. */
  latencyMs?: number;
  /** The "today" the default sample is built for (YYYY-MM-DD). Default: today in Europe/Oslo. */
  today?: string;
  /** Data to serve (live). Default fsSampleData(today). */
  data?: FsData;
}

export interface FsRequestRecord {
  operationName: string | null;
  fields: string[];
  status: number;
}

export interface FsSimulator {
  /** Base URL, e.g. 'http://127.0.0.1:43123'. */
  url: string;
  /** The GraphQL endpoint: `${url}/graphql/` (what FS_URL points at). */
  graphqlUrl: string;
  username: string | null;
  password: string;
  data: FsData;
  stats: {
    /** HTTP requests received (any path, any outcome). */
    requests: number;
    /** Requests per operation name ('(anonymous)' for none). */
    byOperation: Map<string, number>;
    /** Root fields resolved, per field name (an aliased field twice in one operation counts twice). */
    byField: Map<string, number>;
    log: FsRequestRecord[];
    reset(): void;
  };
  /**
   * The next `times` requests whose "<operationName> <root field names>" matches `match` fail with: an HTTP
   * status (500, 503, 429, …), 'graphql' (HTTP 200 with `errors` and `data: null`), 'reset' (socket destroyed)
   * or 'hang' (no answer). times default 1; Infinity allowed.
   */
  failNext(match: RegExp, status: number | 'graphql' | 'reset' | 'hang', times?: number): void;
  clearFailures(): void;
  setLatency(ms: number): void;
  /** Closes the server and every open socket; idempotent. */
  stop(): Promise<void>;
}

interface Failure {
  match: RegExp;
  status: number | 'graphql' | 'reset' | 'hang';
  remaining: number;
}

function osloToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Oslo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
    })
    .end(text);
}

export async function startFsSimulator(opts: FsSimulatorOptions = {}): Promise<FsSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const username = opts.username === undefined ? 'fs-sim' : opts.username;
  const password = opts.password ?? 'fs-sim-password';
  const expectedAuth = username === null ? null : `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let latencyMs = Math.max(0, opts.latencyMs ?? 0);
  let failures: Failure[] = [];
  const schema = buildFsSchema();
  let stopping: Promise<void> | null = null;

  const sim: FsSimulator = {
    url: '',
    graphqlUrl: '',
    username,
    password,
    data: opts.data ?? fsSampleData(opts.today ?? osloToday()),
    stats: {
      requests: 0,
      byOperation: new Map(),
      byField: new Map(),
      log: [],
      reset() {
        this.requests = 0;
        this.byOperation.clear();
        this.byField.clear();
        this.log = [];
      },
    },
    failNext(match, status, times = 1) {
      failures.push({ match, status, remaining: times });
    },
    clearFailures() {
      failures = [];
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    stop() {
      stopping ??= closeServer();
      return stopping;
    },
  };
  const rootValue = fsRootValue(
    () => sim.data,
    (field) => sim.stats.byField.set(field, (sim.stats.byField.get(field) ?? 0) + 1),
  );

  const takeFailure = (key: string): Failure['status'] | null => {
    const f = failures.find((x) => x.remaining > 0 && x.match.test(key));
    if (!f) return null;
    f.remaining--;
    failures = failures.filter((x) => x.remaining > 0);
    return f.status;
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    sim.stats.requests++;
    const path = (req.url ?? '/').split('?')[0];
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const record: FsRequestRecord = { operationName: null, fields: [], status: 0 };
    const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
      record.status = status;
      sim.stats.log.push(record);
      sendJson(res, status, body, headers);
    };

    if (path !== '/graphql' && path !== '/graphql/') return finish(404, { message: 'Not found' });
    if (req.method !== 'POST')
      return finish(405, { message: 'Use POST with a JSON body {query, variables, operationName}' }, { Allow: 'POST' });

    // Parse first, so the operation is counted and failures can be matched by it.
    let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    let document: DocumentNode | undefined;
    let operation: OperationDefinitionNode | undefined;
    let parseError: string | undefined;
    try {
      body = JSON.parse(raw) as typeof body;
      document = parse(body.query ?? '');
      const ops = document.definitions.filter(
        (x): x is OperationDefinitionNode => x.kind === Kind.OPERATION_DEFINITION,
      );
      operation = body.operationName ? ops.find((o) => o.name?.value === body.operationName) : ops[0];
      if (!operation) parseError = `Unknown operation named "${body.operationName}".`;
    } catch (e) {
      body = {};
      parseError = (e as Error).message;
    }
    const opName = operation?.name?.value ?? null;
    record.operationName = opName;
    record.fields = operation
      ? operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
      : [];
    const opKey = opName ?? '(anonymous)';
    sim.stats.byOperation.set(opKey, (sim.stats.byOperation.get(opKey) ?? 0) + 1);

    const failure = takeFailure(`${opKey} ${record.fields.join(' ')}`);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (failure === 'hang') return; // the socket stays open until the client gives up or stop()
    if (failure === 'reset') {
      record.status = 0;
      sim.stats.log.push(record);
      req.socket.destroy();
      return;
    }
    if (failure === 'graphql')
      return finish(200, {
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        data: null,
      });
    if (typeof failure === 'number') return finish(failure, { message: http.STATUS_CODES[failure] ?? 'Error' });

    if (expectedAuth !== null && req.headers.authorization !== expectedAuth) {
      return finish(401, { message: 'Unauthorized' }, { 'WWW-Authenticate': 'Basic realm="FS GraphQL API"' });
    }
    if (parseError || !document) return finish(400, { errors: [{ message: parseError ?? 'No query' }] });
    const invalid = validate(schema, document);
    if (invalid.length)
      return finish(400, { errors: invalid.map((e) => ({ message: e.message, locations: e.locations })) });
    const result = await execute({
      schema,
      document,
      rootValue,
      variableValues: body.variables ?? {},
      operationName: body.operationName,
    });
    finish(200, result);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendJson(res, 500, { message: `Internal error: ${(e as Error).message}` });
    });
  });
  const closeServer = serverCloser(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as { port: number };
  sim.url = `http://${host}:${addr.port}`;
  sim.graphqlUrl = `${sim.url}/graphql/`;
  return sim;
}
