import http from 'node:http';
import { DarClient, type DarResult } from '../datasources/dar/client';
import { DEFAULT_DAR_ADDRESSES, darIdFor, startDarSimulator, type DarSimulator } from '../simulators/dar';
import { nth } from './helpers/defined';

const A = 'Rådhuspladsen 2, 8000 Aarhus C';
const A_FLOOR = 'Søndergade 12, 2. th, 8000 Aarhus C';
const B = 'Raadhuspladsen 2, 8000 Aarhus C';
const C = 'Skolegade 999, 8000 Aarhus C';
const UNKNOWN = 'Ingenvej 1, 9999 Intetsted';

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('DAR address wash over HTTP', () => {
  let sim: DarSimulator;
  const clients: DarClient[] = [];
  const client = (o: Partial<ConstructorParameters<typeof DarClient>[0]> = {}) => {
    const c = new DarClient({ url: sim.url, backoffMs: 10, ...o });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    sim = await startDarSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.clearFailures();
    sim.stats.reset();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  it('the default book has about 30 addresses with A, B and C texts and stable ids', () => {
    const entries = Object.values(DEFAULT_DAR_ADDRESSES);
    expect(entries.length).toBeGreaterThanOrEqual(25);
    expect(new Set(entries.map((e) => e.kategori))).toEqual(new Set(['A', 'B', 'C']));
    expect(darIdFor(A)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(darIdFor(B)).toBe(darIdFor(A));
    expect(darIdFor(A_FLOOR)).not.toBe(darIdFor('Søndergade 12, 8000 Aarhus C'));
    expect(darIdFor(UNKNOWN)).toBeUndefined();
  });

  it('answers in DAWA datavask shape (struktur=mini)', async () => {
    const res = await fetch(`${sim.url}/datavask/adresser?betegnelse=${encodeURIComponent(A_FLOOR)}&struktur=mini`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.kategori).toBe('A');
    expect(body.resultater).toHaveLength(1);
    expect(body.resultater[0].adresse).toMatchObject({
      id: darIdFor(A_FLOOR),
      vejnavn: 'Søndergade',
      husnr: '12',
      etage: '2',
      dør: 'th',
      postnr: '8000',
      postnrnavn: 'Aarhus C',
      betegnelse: A_FLOOR,
      x: expect.any(Number),
      y: expect.any(Number),
    });
    expect(body.resultater[0].vaskeresultat).toMatchObject({ afstand: 0, ukendtetokens: [] });
    const unknown = await (
      await fetch(`${sim.url}/datavask/adresser?betegnelse=${encodeURIComponent(UNKNOWN)}&struktur=mini`)
    ).json();
    expect(unknown).toEqual({ kategori: 'C', resultater: [] });
  });

  it('kategori A and B give the DAR id; C and unknown texts are not ok', async () => {
    const c = client();
    await expect(c.wash(A)).resolves.toEqual({ ok: true, id: darIdFor(A), betegnelse: A, kategori: 'A' });
    await expect(c.wash('  rådhuspladsen   2 8000 AARHUS C ')).resolves.toMatchObject({
      ok: true,
      id: darIdFor(A),
      kategori: 'A',
    });
    await expect(c.wash(B)).resolves.toEqual({ ok: true, id: darIdFor(A), betegnelse: A, kategori: 'B' });
    await expect(c.wash(C)).resolves.toEqual({ ok: false, reason: 'kategori C: no safe match' });
    await expect(c.wash(UNKNOWN)).resolves.toEqual({ ok: false, reason: 'kategori C: no safe match' });
    await expect(c.wash('   ')).resolves.toMatchObject({ ok: false });
    expect(sim.stats.total).toBe(5);
  });

  it('asks each distinct text once, even with 20 concurrent calls for 5 texts', async () => {
    const texts = Object.keys(DEFAULT_DAR_ADDRESSES).slice(0, 5);
    const text = (i: number) => nth(texts, i % 5, 'the DAR sample texts');
    const c = client();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.wash(text(i))));
    results.forEach((r, i) => expect(r).toMatchObject({ ok: true, id: darIdFor(text(i)) }));
    await Promise.all(texts.map((t) => c.wash(t)));
    expect(sim.stats.total).toBe(5);
    for (const t of texts) expect(sim.stats.byText.get(t)).toBe(1);
    expect(c.stats).toMatchObject({ requests: 5, cacheHits: 20 });
  });

  it('starts at most ratePerSecond requests in any second', async () => {
    const c = client({ ratePerSecond: 30 });
    const texts = Array.from({ length: 45 }, (_, i) => `Testvej ${i + 1}, 8000 Aarhus C`);
    const t0 = performance.now();
    const results = await Promise.all(texts.map((t) => c.wash(t)));
    const elapsed = performance.now() - t0;
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(sim.stats.total).toBe(45);
    // The client's own count of starts is the property it controls. The simulator stamps a request when its
    // handler runs: on a loaded machine (one process, busy event loop) requests started ≥ 1 s apart can be handled
    // in the same second, so arrival counts only show that the starts were spread (45 at once without the limit).
    expect(sim.stats.maxPerSecond).toBeLessThan(45);
    expect(sim.stats.maxPerSecond).toBeGreaterThanOrEqual(15);
    expect(c.stats.maxStartedInAnySecond).toBeLessThanOrEqual(30);
    // The 31st start has to wait for the first to leave the window.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const slow = await startDarSimulator({ latencyMs: 40 });
    try {
      const c = client({ url: slow.url, concurrency: 3 });
      const results = await Promise.all(
        Object.keys(DEFAULT_DAR_ADDRESSES)
          .slice(0, 12)
          .map((t) => c.wash(t)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(12);
      expect(slow.stats.peakConcurrent).toBe(3);
      expect(c.stats.peakInFlight).toBe(3);
    } finally {
      await slow.stop();
    }
  });

  it('retries a 503 and a reset connection, then succeeds', async () => {
    const c = client();
    sim.failNext(503);
    await expect(c.wash(A)).resolves.toMatchObject({ ok: true, id: darIdFor(A) });
    sim.failNext('reset');
    await expect(c.wash(B)).resolves.toMatchObject({ ok: true, id: darIdFor(A) });
    expect(sim.stats.total).toBe(4);
    expect(c.stats).toMatchObject({ requests: 4, retries: 2 });
  });

  it('honours Retry-After on 429', async () => {
    const c = client();
    sim.failNext(429, 1, 1);
    const t0 = performance.now();
    await expect(c.wash(A)).resolves.toMatchObject({ ok: true });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(sim.stats.total).toBe(2);
  });

  it('a persistent 500 gives ok:false naming DAR_URL after the retries, and is asked again later', async () => {
    const c = client({ retries: 2 });
    sim.failNext(500, Infinity);
    const r = await Promise.all([c.wash(A), c.wash(A)]);
    expect(r[0]).toEqual(r[1]);
    const reason = (r[0] as Extract<DarResult, { ok: false }>).reason;
    expect(r[0].ok).toBe(false);
    expect(reason).toMatch(/^DAR unavailable: HTTP 500 from http:\/\/127\.0\.0\.1:\d+ \(DAR_URL\) after 3 attempts$/);
    expect(sim.stats.total).toBe(3);
    sim.stats.reset();
    await expect(c.wash(A)).resolves.toMatchObject({ ok: false });
    expect(sim.stats.total).toBe(3);
  });

  it('an unreachable DAR_URL gives ok:false quickly', async () => {
    const c = client({ url: `http://127.0.0.1:${await closedPort()}`, retries: 2, backoffMs: 10 });
    const t0 = performance.now();
    const r = await c.wash(A);
    expect(r).toEqual({
      ok: false,
      reason: expect.stringMatching(/^DAR unavailable: cannot reach .*\(DAR_URL\): ECONNREFUSED after 3 attempts$/),
    });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('an answer slower than timeoutMs gives ok:false', async () => {
    const slow = await startDarSimulator({ latencyMs: 2000 });
    try {
      const c = client({ url: slow.url, timeoutMs: 50, retries: 1 });
      await expect(c.wash(A)).resolves.toEqual({
        ok: false,
        reason: expect.stringMatching(/no answer within 50 ms .*DAR_URL.* after 2 attempts/),
      });
    } finally {
      await slow.stop();
    }
  });

  it('an aborted signal stops waiting; another caller of the same text still gets the answer', async () => {
    const slow = await startDarSimulator({ latencyMs: 300 });
    try {
      const c = client({ url: slow.url });
      const ac = new AbortController();
      const aborted = c.wash(A, ac.signal);
      const patient = c.wash(A);
      await slow.waitForRequests(1);
      ac.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      await expect(patient).resolves.toMatchObject({ ok: true, id: darIdFor(A) });
      expect(slow.stats.total).toBe(1);

      // The only caller aborts while its request is in flight: the request is dropped, the connection freed.
      const alone = new AbortController();
      const p = c.wash(B, alone.signal);
      await slow.waitForRequests(2);
      const t0 = performance.now();
      alone.abort(new Error('job cancelled'));
      await expect(p).rejects.toThrow('job cancelled');
      expect(performance.now() - t0).toBeLessThan(200);
      await expect(c.wash(B, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await slow.stop();
    }
  });

  it('an abort while waiting for the rate window stops waiting', async () => {
    const c = client({ ratePerSecond: 1 });
    await c.wash(A);
    const ac = new AbortController();
    const p = c.wash(B, ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(sim.stats.total).toBe(1);
  });
});
