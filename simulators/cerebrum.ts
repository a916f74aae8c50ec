/**
 * Cerebrum REST simulator: a real HTTP server (node:http on loopback) speaking Cerebrum REST v1 as
 * /work/shared/specs/cerebrum-rest.md describes it, over live, mutable data (./data/cerebrum-sample.ts).
 * Used by tests, benchmarks and the `npm start` demo.
 *
 * Per request, in this order:
 *   1. counted (stats.total, stats.byPath, inFlight/peakInFlight) — every request, whatever follows;
 *   2. an injected failure (failNext) is picked by "METHOD path" at arrival, so the order in which
 *      requests arrive, not the order in which they finish, decides which ones fail;
 *   3. the body is read and the configured latency waited (setTimeout; also before injected answers);
 *   4. the injected failure, else the API-key check, else the route answers.
 * Injected failures come before the API-key check on purpose: they stand for the infrastructure in
 * front of Cerebrum (gateway, proxy, network), which fails whether or not the key is right.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sampleUniversity, type CerebrumData } from './data/cerebrum-sample';
import { handleApi, NOT_FOUND_URL, validationError, type ApiReply } from './cerebrum-api';
import { serverCloser } from './http-close';
import { applyMutation, MutationError } from './cerebrum-mutate';
import { scimPayload, startCerebrumEventPublisher, type CerebrumEventPublisher } from './cerebrum-events';

export * from './data/cerebrum-sample';

export interface CerebrumSimulatorOptions {
  /** Port to listen on. Default 0 = a random free port (read it from `url`). */
  port?: number;
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Expected API key. Default 'sim-api-key'; null = no authentication at all. */
  apiKey?: string | null;
  /** Header carrying the key (installations differ: X-API-Key, X-Auth-Key, X-Api-Subscription). Default 'X-API-Key'. */
  apiKeyHeader?: string;
  /** Delay before each response, in ms. Default 0. Change later with setLatency(). */
  latencyMs?: number;
  /** Data to serve (live: mutations show in later responses). Default sampleUniversity(). */
  data?: CerebrumData;
  /**
   * Publish Cerebrum's change events for every `POST /__mutate` (cerebrum-mutate.ts) to this RabbitMQ topic exchange
   * (default `cerebrum`); jwtSecret: sign the bodies as HS256 compact JWTs. Default none: mutations publish nothing.
   */
  events?: { url: string; exchange?: string; jwtSecret?: string };
}

/**
 * One finished request, logged when its answer is written. `status` is 0 when none was sent (injected
 * reset, a hang the client aborted, stop()).
 */
export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  startedAt: number;
  endedAt: number;
  /** The W3C `traceparent` header the request carried, if any (tracing tests). */
  traceparent?: string;
}

export interface CerebrumSimulator {
  /** Base URL without trailing slash, e.g. 'http://127.0.0.1:43123'; clients append '/v1/...'. */
  url: string;
  /** The served data; live and mutable, and may be replaced as a whole. */
  data: CerebrumData;
  stats: {
    /** Requests received: all methods, including failed and injected ones. */
    total: number;
    /** Count per "METHOD path", path including the query string, e.g. 'GET /v1/persons/5'. */
    byPath: Map<string, number>;
    inFlight: number;
    peakInFlight: number;
    /** Finished requests in the order they finished; times from performance.now(). */
    log: RequestRecord[];
    /** Zero the counters and the log; requests still in flight stay counted in inFlight. */
    reset(): void;
  };
  /**
   * Injected failures: the next `times` requests whose "METHOD path" matches `match` answer `status`
   * with the spec's error body for that status (500 {"message":"Internal Server Error"}, 503, 429,
   * 404, 403...). `status: 'reset'` destroys the socket (network error); `status: 'hang'` never
   * answers (for client timeout tests). times default 1; Infinity allowed.
   */
  failNext(match: RegExp, status: number | 'reset' | 'hang', times?: number): void;
  clearFailures(): void;
  setLatency(ms: number): void;
  /** Applies one mutation (cerebrum-mutate.ts) and publishes its events when `events` is set; resolves the payloads. */
  mutate(m: unknown): Promise<{ events: Record<string, unknown>[]; published: boolean }>;
  /** The event publisher when `events` is set. */
  events?: CerebrumEventPublisher;
  /** Closes the server and every open or hanging socket; idempotent (every call gets the same promise). */
  stop(): Promise<void>;
}

interface Failure {
  match: RegExp;
  status: number | 'reset' | 'hang';
  remaining: number;
}

const GENERIC_NOT_FOUND: [RegExp, string, string][] = [
  [/^\/v1\/persons\/(\d+)/, 'person', 'entity_id'],
  [/^\/v1\/ous\/(\d+)/, 'ou', 'entity_id'],
  [/^\/v1\/accounts\/(\d+)(?:\/|$)/, 'account', 'entity_id'],
  [/^\/v1\/accounts\/([^/]+)/, 'account', 'name'],
  [/^\/v1\/groups\/([^/]+)/, 'group', 'name'],
];

/** The body Cerebrum (or flask in front of it) gives for `status`, for injected failures. */
function injectedReply(status: number, path: string): ApiReply {
  const bare = path.split('?', 1)[0] ?? path; // split() gives at least one part
  switch (status) {
    case 400:
      return validationError({});
    case 401:
      return {
        status,
        body: { message: 'Missing credentials', 'basic-realm': 'Cerebrum REST simulator' },
        headers: { 'WWW-Authenticate': 'Basic realm="Cerebrum REST simulator"' },
      };
    case 403:
      return { status, body: { message: 'Invalid API key in header' } };
    case 404: {
      for (const [re, kind, key] of GENERIC_NOT_FOUND) {
        const id = re.exec(bare)?.[1]; // each pattern has one capture, set whenever it matches
        if (id !== undefined)
          return { status, body: { message: `No such ${kind} with ${key}=${decodeURIComponentSafe(id)}` } };
      }
      return { status, body: { message: NOT_FOUND_URL } };
    }
    default:
      return { status, body: { message: http.STATUS_CODES[status] ?? 'Error' } };
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function send(res: http.ServerResponse, reply: ApiReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = `${JSON.stringify(reply.body)}\n`;
  headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers).end(text);
}

/** JSON (or form, as flask-restx also accepts) → object; undefined for an empty body; a 400 reply when unparseable. */
function parseBody(raw: string, contentType: string | undefined): { body: unknown } | { error: ApiReply } {
  if (raw.trim() === '') return { body: undefined };
  if (contentType?.includes('application/x-www-form-urlencoded'))
    return { body: Object.fromEntries(new URLSearchParams(raw)) };
  try {
    return { body: JSON.parse(raw) };
  } catch (e) {
    return { error: validationError({ payload: `Failed to decode JSON object: ${(e as Error).message}` }) };
  }
}

/** Start a simulator; resolves once it listens. */
export async function startCerebrumSimulator(opts: CerebrumSimulatorOptions = {}): Promise<CerebrumSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const apiKey = opts.apiKey === undefined ? 'sim-api-key' : opts.apiKey;
  const apiKeyHeader = opts.apiKeyHeader ?? 'X-API-Key';
  let latencyMs = Math.max(0, opts.latencyMs ?? 0);
  let failures: Failure[] = [];
  let stopped = false;
  let stopping: Promise<void> | null = null;
  /** Pending latency waits: stop() ends them so no handler outlives the server. */
  const waits = new Map<NodeJS.Timeout, () => void>();

  const stats: CerebrumSimulator['stats'] = {
    total: 0,
    byPath: new Map(),
    inFlight: 0,
    peakInFlight: 0,
    log: [],
    reset() {
      stats.total = 0;
      stats.byPath = new Map();
      stats.peakInFlight = stats.inFlight;
      stats.log = [];
    },
  };

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        waits.delete(t);
        resolve();
      }, ms);
      waits.set(t, resolve);
    });

  const takeFailure = (key: string): Failure['status'] | null => {
    for (const f of failures) {
      f.match.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
      if (f.remaining > 0 && f.match.test(key)) {
        f.remaining -= 1;
        failures = failures.filter((x) => x.remaining > 0);
        return f.status;
      }
    }
    return null;
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const key = `${method} ${path}`;
    stats.total += 1;
    stats.byPath.set(key, (stats.byPath.get(key) ?? 0) + 1);
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    // Recorded when the answer is written (so a client holding a response always finds its record),
    // or when the socket closes unanswered (reset, aborted hang, stop()): whichever comes first.
    let recorded = false;
    const record = (status: number): void => {
      if (recorded) return;
      recorded = true;
      stats.inFlight -= 1;
      stats.log.push({
        method,
        path,
        status,
        startedAt,
        endedAt: performance.now(),
        traceparent: req.headers.traceparent as string | undefined,
      });
    };
    res.once('close', () => record(0));
    const answer = (reply: ApiReply): void => {
      if (res.destroyed || res.headersSent) return;
      record(reply.status);
      send(res, reply);
    };

    const failure = takeFailure(key);
    let raw = '';
    try {
      req.setEncoding('utf8');
      for await (const chunk of req) raw += chunk as string;
    } catch {
      return; // client went away mid-body
    }
    if (path === '/__mutate' && method === 'POST') {
      // The test and demo hook: no latency, no injected failures, no API key (it is not Cerebrum REST).
      const parsedBody = parseBody(raw, 'application/json');
      if ('error' in parsedBody) return answer(parsedBody.error);
      try {
        return answer({ status: 200, body: (await sim.mutate(parsedBody.body)) as unknown as ApiReply['body'] });
      } catch (e) {
        return answer({
          status: e instanceof MutationError ? 400 : 502,
          body: { message: e instanceof MutationError ? e.message : 'publishing the change events failed' },
        });
      }
    }
    if (latencyMs > 0) await wait(latencyMs);
    if (stopped || res.destroyed) return;

    if (failure === 'hang') return; // never answered; the socket closes on client abort or stop()
    if (failure === 'reset') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (failure !== null) return answer(injectedReply(failure, path));

    if (apiKey !== null) {
      const given = req.headers[apiKeyHeader.toLowerCase()];
      if (given === undefined) {
        return answer({
          status: 403,
          body: { message: 'Missing API subscription identifier header', 'api-id-header': apiKeyHeader },
        });
      }
      if ((Array.isArray(given) ? given[0] : given) !== apiKey) {
        return answer({ status: 403, body: { message: 'Invalid API key in header' } });
      }
    }

    const parsed = parseBody(raw, req.headers['content-type']);
    if ('error' in parsed) return answer(parsed.error);
    const url = new URL(path, 'http://simulator');
    let reply: ApiReply;
    try {
      reply = handleApi({ method, path: url.pathname, query: url.searchParams, body: parsed.body, data: sim.data });
    } catch {
      reply = { status: 500, body: { message: 'Internal Server Error' } };
    }
    answer(reply);
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  const closeServer = serverCloser(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  const events = opts.events
    ? await startCerebrumEventPublisher({
        url: opts.events.url,
        exchange: opts.events.exchange ?? 'cerebrum',
        jwtSecret: opts.events.jwtSecret,
      }).catch(async (e) => {
        await closeServer();
        throw e;
      })
    : undefined;

  const sim: CerebrumSimulator = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    data: opts.data ?? sampleUniversity(),
    stats,
    failNext(match, status, times = 1) {
      if (typeof status === 'number' && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
        throw new RangeError(`failNext: status must be an HTTP status (100-599), 'reset' or 'hang', got ${status}`);
      }
      if (!(times > 0)) throw new RangeError(`failNext: times must be > 0 (Infinity allowed), got ${times}`);
      failures.push({ match, status, remaining: times });
    },
    clearFailures() {
      failures = [];
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    events,
    async mutate(m) {
      const specs = applyMutation(sim.data, m);
      const publish = (m as { publish?: unknown }).publish !== false;
      if (events && publish) return { events: await events.publish(sim.url, specs), published: true };
      return { events: specs.map((e) => scimPayload(sim.url, e)), published: false };
    },
    stop() {
      // One promise for every caller: the first call closes, later calls wait for the same close.
      stopping ??= (async () => {
        stopped = true;
        for (const [t, resolveWait] of waits) {
          clearTimeout(t);
          resolveWait();
        }
        waits.clear();
        await closeServer();
        await events?.close();
      })();
      return stopping;
    },
  };
  return sim;
}
