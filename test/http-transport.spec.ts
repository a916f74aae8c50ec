/**
 * The one HTTP transport of the upstream clients (core/http/transport.ts), against a real HTTP server on
 * loopback: what it sends is counted by the server, never taken from the transport's own word.
 *  - retries with backoff on 503 and on a reset connection, then the answer;
 *  - a time-out is UPSTREAM_TIMEOUT (source, upstream {status, method, path}); a caller's budget running out
 *    names REQUEST_TIMEOUT_MS; a cancelled caller's queued requests are never sent;
 *  - the in-flight limit is never exceeded, and it is shared in turn between callers;
 *  - attempts and retries are counted into the totals and the caller's stats.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '../core/errors';
import { HttpStatusError } from '../core/http/failures';
import { HttpStats, HttpTransport, type HttpAnswer, type HttpTransportOptions } from '../core/http/transport';
import { RequestBudgetExceeded } from '../core/request-budget';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** A loopback server that counts what it receives: arrivals in order, and requests open at once. */
interface TestServer {
  url: string;
  arrivals: Array<{ url: string; at: number }>;
  open: Set<http.ServerResponse>;
  peakInFlight: number;
  handle: Handler;
  reset(): void;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const s: TestServer = {
    url: '',
    arrivals: [],
    open: new Set(),
    peakInFlight: 0,
    handle: (_req, res) => res.end('{}'),
    reset() {
      s.arrivals = [];
      s.open = new Set();
      s.peakInFlight = 0;
      s.handle = (_req, res) => res.end('{}');
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    s.arrivals.push({ url: req.url ?? '', at: performance.now() });
    // A set, not a counter: a request left open by an earlier test may close after reset().
    const open = s.open;
    open.add(res);
    s.peakInFlight = Math.max(s.peakInFlight, open.size);
    res.on('close', () => open.delete(res));
    void s.handle(req, res);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return s;
}

/** JSON for a 2xx; HttpStatusError (retried when 429 or >= 500) for anything else. */
const readJson = ({ status, text }: HttpAnswer): unknown => {
  if (status >= 300) throw new HttpStatusError(status, text);
  return text ? JSON.parse(text) : null;
};

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('core/http/transport.ts against a real HTTP server', () => {
  let server: TestServer;
  const open: HttpTransport[] = [];
  const transport = (o: Partial<HttpTransportOptions> = {}) => {
    const t = new HttpTransport({
      source: 'CEREBRUM',
      label: 'Cerebrum',
      urlSetting: 'CEREBRUM_URL',
      url: server.url,
      backoffMs: 20,
      ...o,
    });
    open.push(t);
    return t;
  };
  const get = (t: HttpTransport, path: string, call: Parameters<HttpTransport['request']>[2] = {}) =>
    t.request(
      { method: 'GET', url: `${server.url}${path}`, route: '/thing/{id}', what: `GET ${path}`, path },
      readJson,
      call,
    );

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => {
    for (const t of open.splice(0)) t.close();
    server.reset();
  });
  afterAll(() => server.close());

  it('retries a 503 and a reset connection with growing pauses, then answers; counts every attempt', async () => {
    let n = 0;
    server.handle = (req, res) => {
      n++;
      if (n === 1) return json(res, 503, { message: 'busy' });
      if (n === 2) return req.socket.destroy(); // connection reset, no answer at all
      json(res, 200, { ok: true, n });
    };
    const t = transport({ retries: 2, backoffMs: 40 });
    const stats = new HttpStats();
    const retries: Array<{ attempt: number; delayMs: number }> = [];
    const answer = await get(t, '/thing/1', {
      stats,
      onRetry: ({ attempt, delayMs }) => retries.push({ attempt, delayMs }),
    });
    expect(answer).toEqual({ ok: true, n: 3 });
    expect(server.arrivals).toHaveLength(3);
    // Exponential backoff with ±50% jitter: 40 ms × [0.5, 1.5), then 80 ms × [0.5, 1.5).
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(nth(retries, 0).delayMs).toBeGreaterThanOrEqual(20);
    expect(nth(retries, 0).delayMs).toBeLessThan(60);
    expect(nth(retries, 1).delayMs).toBeGreaterThanOrEqual(40);
    expect(nth(retries, 1).delayMs).toBeLessThan(120);
    const at = server.arrivals.map((x) => x.at);
    expect(nth(at, 1) - nth(at, 0)).toBeGreaterThanOrEqual(nth(retries, 0).delayMs - 2);
    expect(nth(at, 2) - nth(at, 1)).toBeGreaterThanOrEqual(nth(retries, 1).delayMs - 2);
    for (const s of [stats, t.stats]) expect(s).toMatchObject({ requests: 3, retries: 2, inFlight: 0 });
  });

  it('gives up after `retries`: UPSTREAM_UNAVAILABLE with the last status; a 4xx is not retried', async () => {
    server.handle = (_req, res) => json(res, 503, { message: 'busy' });
    const t = transport({ retries: 1, backoffMs: 5 });
    const e = (await get(t, '/thing/2').catch((x: unknown) => x)) as UpstreamError;
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.toGraphQLError().extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      source: 'CEREBRUM',
      upstream: { status: 503, method: 'GET', path: '/thing/2' },
    });
    expect(server.arrivals).toHaveLength(2);

    server.reset();
    server.handle = (_req, res) => json(res, 400, { message: 'no' });
    await expect(get(t, '/thing/3')).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', upstream: { status: 400 } });
    expect(server.arrivals).toHaveLength(1);
  });

  it('does not retry methods outside retryMethods (a PUT may have been applied)', async () => {
    server.handle = (_req, res) => json(res, 503, {});
    const t = transport({ retries: 2, retryMethods: ['GET'] });
    const put = t.request(
      {
        method: 'PUT',
        url: `${server.url}/thing/4`,
        route: '/thing/{id}',
        body: '{}',
        what: 'PUT /thing/4',
        path: '/x',
      },
      readJson,
    );
    await expect(put).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(server.arrivals).toHaveLength(1);
  });

  it('times an attempt out: UPSTREAM_TIMEOUT with source and upstream, after its retries', async () => {
    server.handle = () => {}; // never answers
    const t = transport({ timeoutMs: 100, retries: 1, backoffMs: 5 });
    const started = performance.now();
    const e = (await get(t, '/thing/5').catch((x: unknown) => x)) as UpstreamError;
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.message).toBe('Cerebrum did not answer GET /thing/5 within 100 ms');
    expect(e.toGraphQLError().extensions).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      source: 'CEREBRUM',
      upstream: { status: null, method: 'GET', path: '/thing/5' },
    });
    expect(server.arrivals).toHaveLength(2);
  });

  it("stops when the caller's budget runs out: UPSTREAM_TIMEOUT naming REQUEST_TIMEOUT_MS, queued requests never sent", async () => {
    server.handle = () => {};
    const t = transport({ concurrency: 1, timeoutMs: 10_000 });
    const budget = new AbortController();
    const stats = new HttpStats();
    const calls = [1, 2, 3].map((i) =>
      get(t, `/thing/${i}`, { stats, signal: budget.signal }).catch((x: unknown) => x),
    );
    await waitUntil(() => server.arrivals.length === 1);
    budget.abort(new RequestBudgetExceeded(50));
    const errors = (await Promise.all(calls)) as UpstreamError[];
    for (const e of errors) {
      expect(e).toBeInstanceOf(UpstreamError);
      expect(e.code).toBe('UPSTREAM_TIMEOUT');
      expect(e.message).toContain('REQUEST_TIMEOUT_MS');
    }
    expect(server.arrivals).toHaveLength(1);
    expect(stats).toMatchObject({ requests: 1, retries: 0, inFlight: 0 });
    await expect(get(t, '/thing/9', { signal: budget.signal })).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(server.arrivals).toHaveLength(1);
  });

  it('answers a refused connection with UPSTREAM_UNAVAILABLE naming the URL setting, not the URL', async () => {
    const gone = await startServer();
    const url = gone.url;
    await gone.close();
    const t = new HttpTransport({ source: 'FS', label: 'FS', urlSetting: 'FS_URL', url, retries: 0 });
    open.push(t);
    const e = (await t
      .request({ method: 'POST', url, route: 'Op', body: '{}', what: 'Op', path: '/graphql' }, readJson)
      .catch((x: unknown) => x)) as UpstreamError;
    expect(e.message).toBe('Cannot reach FS at FS_URL (ECONNREFUSED) for Op');
    expect(e.toGraphQLError().extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      source: 'FS',
      upstream: { status: null, method: 'POST', path: '/graphql' },
    });
  });

  it('never has more than `concurrency` requests in flight', async () => {
    // The server answers once 3 are open at once (or after 200 ms, should fewer ever be open): a transport that
    // sends more than 3 shows a higher peak, one that sends fewer a lower one.
    const held: http.ServerResponse[] = [];
    const flush = () => {
      for (const res of held.splice(0)) json(res, 200, {});
    };
    server.handle = (_req, res) => {
      held.push(res);
      if (held.length >= 3) flush();
      else setTimeout(flush, 200);
    };
    const t = transport({ concurrency: 3 });
    const a = new HttpStats();
    const b = new HttpStats();
    await Promise.all(Array.from({ length: 30 }, (_, i) => get(t, `/thing/${i}`, { stats: i % 2 ? a : b })));
    expect(server.arrivals).toHaveLength(30);
    expect(server.peakInFlight).toBe(3);
    expect(t.stats).toMatchObject({ requests: 30, retries: 0, inFlight: 0, peakInFlight: 3 });
    expect(a.requests + b.requests).toBe(30);
  });

  it("shares the limit in turn: a caller arriving behind another's long queue is served every other slot", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.handle = async (req, res) => {
      if (req.url === '/big/0') await gate; // hold the one slot until every request is queued
      json(res, 200, {});
    };
    const t = transport({ concurrency: 1 });
    const big = new HttpStats();
    const small = new HttpStats();
    const calls = Array.from({ length: 10 }, (_, i) => get(t, `/big/${i}`, { stats: big }));
    await waitUntil(() => server.arrivals.length === 1);
    calls.push(get(t, '/small/0', { stats: small }), get(t, '/small/1', { stats: small }));
    release();
    await Promise.all(calls);
    const order = server.arrivals.map((x) => x.url.split('/')[1]);
    expect(order).toEqual(['big', 'big', 'small', 'big', 'small', 'big', 'big', 'big', 'big', 'big', 'big', 'big']);
    expect(small.requests).toBe(2);
    expect(big.requests).toBe(10);
  });

  it('starts at most rate.perSecond requests in any second and honours Retry-After', async () => {
    const t = transport({ rate: { perSecond: 4, slackMs: 0 }, retryAfter: { maxMs: 1000 } });
    await Promise.all(Array.from({ length: 6 }, (_, i) => get(t, `/thing/${i}`)));
    // Measured on the server: a first request's connection set-up may delay its arrival by a few ms.
    const at = server.arrivals.map((x) => x.at);
    expect(nth(at, 4) - nth(at, 0)).toBeGreaterThanOrEqual(900);
    expect(nth(at, 5) - nth(at, 1)).toBeGreaterThanOrEqual(900);
    expect(t.maxStartedInAnySecond).toBe(4);

    server.reset();
    let n = 0;
    server.handle = (_req, res) => {
      if (n++ === 0) {
        res.writeHead(429, { 'retry-after': '1' });
        return res.end();
      }
      json(res, 200, { ok: true });
    };
    await expect(get(t, '/thing/r')).resolves.toEqual({ ok: true });
    expect(nth(server.arrivals, 1).at - nth(server.arrivals, 0).at).toBeGreaterThanOrEqual(950);
  });
});

/** Polls a condition the server's counters will meet (no fixed sleeps). */
async function waitUntil(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The i-th element of one of the test's arrays, or a failure saying it is missing. */
function nth<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`expected an element at index ${i}, the array has ${xs.length}`);
  return x;
}
