/**
 * DAR address wash simulator: a real HTTP server (node:http on loopback) answering DAWA's
 * `GET /datavask/adresser?betegnelse=<text>&struktur=mini` in DAWA's shape:
 *   { kategori: 'A'|'B'|'C', resultater: [{ adresse: {id, vejnavn, husnr, etage, dør, postnr, postnrnavn,
 *     betegnelse, x, y, ...}, aktueladresse, vaskeresultat: { variant, afstand, forskelle, parsetadresse,
 *     ukendtetokens, anvendtstormodtagerpostnummer } }] }
 * from an address book keyed by the text as written. Texts match ignoring case, whitespace and the
 * punctuation `.` `,` (what DAWA's kategori A ignores); a text not in the book gets kategori C and no results.
 * Used by tests, the LOS sample data and the `npm start` demo.
 *
 * Per request: counted (total, byText, concurrency, arrivals per sliding second) on arrival, whatever follows;
 * an injected failure (failNext) is taken on arrival; then the latency is waited; then the answer.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { serverCloser } from './http-close';

export type DarKategori = 'A' | 'B' | 'C';

/** What the wash answers for one text: the address found (for C: the poor best guess) and how sure. */
export interface DarBookEntry {
  id: string;
  betegnelse: string;
  kategori: DarKategori;
}

export interface DarSimulatorOptions {
  /** Default 0 = any free port (read `url`). */
  port?: number;
  /** Text as written → answer. Default DEFAULT_DAR_ADDRESSES. */
  addresses?: Record<string, DarBookEntry>;
  /** Delay before each answer, in ms. Default 0. */
  latencyMs?: number;
}

export interface DarSimulator {
  /** e.g. 'http://127.0.0.1:43123': what DAR_URL would be. */
  url: string;
  stats: {
    /** Requests received, any path, injected failures included. */
    total: number;
    /** Requests per `betegnelse` as received (decoded). */
    byText: Map<string, number>;
    inFlight: number;
    peakConcurrent: number;
    /** Most requests that arrived within any 1000 ms. */
    maxPerSecond: number;
    /** Zero the counters; requests in flight stay counted in inFlight. */
    reset(): void;
  };
  /**
   * The next `times` requests (Infinity allowed) answer `status` with a DAWA-style problem body, or with
   * `'reset'` have their socket destroyed. `retryAfterSeconds` adds a Retry-After header. Default times 1.
   */
  failNext(status: number | 'reset', times?: number, retryAfterSeconds?: number): void;
  /** Drops injected failures not yet used up. */
  clearFailures(): void;
  /** Resolves once `n` requests in total have arrived (for tests that act while a request is in flight). */
  waitForRequests(n: number): Promise<void>;
  /** Closes the server and every open socket; harmless to call twice. */
  stop(): Promise<void>;
}

/** A stable UUID (v5 layout over SHA-1) for an address betegnelse, so ids survive restarts and reruns. */
function stableUuid(name: string): string {
  const h = createHash('sha1').update(`dar-simulator:${name}`).digest();
  h[6] = (h.readUInt8(6) & 0x0f) | 0x50;
  h[8] = (h.readUInt8(8) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Real addresses (DAR's spelling) the default book knows; a few with floor and door. */
const CORRECT = [
  'Rådhuspladsen 2, 8000 Aarhus C',
  'Søndergade 12, 8000 Aarhus C',
  'Søndergade 12, 2. th, 8000 Aarhus C',
  'Vestergade 45, 8000 Aarhus C',
  'Frederiks Allé 78, 8000 Aarhus C',
  'Åboulevarden 20, 1. tv, 8000 Aarhus C',
  'Jægergårdsgade 94, 8000 Aarhus C',
  'Værkmestergade 15, 8000 Aarhus C',
  'Hack Kampmanns Plads 2, 8000 Aarhus C',
  'Nordre Ringgade 1, 8000 Aarhus C',
  'Silkeborgvej 260, 8230 Åbyhøj',
  'Randersvej 139, 8200 Aarhus N',
  'Hasle Ringvej 122, 8200 Aarhus N',
  'Grenåvej 155, 8240 Risskov',
  'Ørneredevej 6, 8270 Højbjerg',
  'Skæring Hedevej 43, 8250 Egå',
  'Bøgeskov Høvej 9, 8260 Viby J',
  'Skanderborgvej 277, st., 8260 Viby J',
  'Gudrunsvej 7, 8220 Brabrand',
  'Tilst Skolevej 20, 8381 Tilst',
  'Lystrup Centervej 4, 8520 Lystrup',
  'Tranbjerg Hovedgade 40, 8310 Tranbjerg J',
];

/** Texts as clerks write them, with small misspellings DAWA still washes safely (kategori B). */
const MISSPELT: Record<string, string> = {
  'Raadhuspladsen 2, 8000 Aarhus C': 'Rådhuspladsen 2, 8000 Aarhus C',
  'Sondergade 12, 8000 Aarhus C': 'Søndergade 12, 8000 Aarhus C',
  'Frederiks Alle 78, 8000 Aarhus C': 'Frederiks Allé 78, 8000 Aarhus C',
  'Jægergaardsgade 94, 8000 Aarhus C': 'Jægergårdsgade 94, 8000 Aarhus C',
  'Silkeborgvej 260, 8230 Aabyhøj': 'Silkeborgvej 260, 8230 Åbyhøj',
  'Randersvej 139, 8200 Århus N': 'Randersvej 139, 8200 Aarhus N',
  'Grenaavej 155, 8240 Risskov': 'Grenåvej 155, 8240 Risskov',
};

/** An address that does not exist: DAWA's nearest guess is unsafe (kategori C). */
const UNSAFE: Record<string, string> = {
  'Skolegade 999, 8000 Aarhus C': 'Skolegade 9, 8000 Aarhus C',
};

/** The default address book: 22 kategori A texts, 7 kategori B variants, 1 kategori C. */
export const DEFAULT_DAR_ADDRESSES: Readonly<Record<string, DarBookEntry>> = Object.freeze({
  ...Object.fromEntries(CORRECT.map((b) => [b, { id: stableUuid(b), betegnelse: b, kategori: 'A' as const }])),
  ...Object.fromEntries(
    Object.entries(MISSPELT).map(([t, b]) => [t, { id: stableUuid(b), betegnelse: b, kategori: 'B' as const }]),
  ),
  ...Object.fromEntries(
    Object.entries(UNSAFE).map(([t, b]) => [t, { id: stableUuid(b), betegnelse: b, kategori: 'C' as const }]),
  ),
});

/** How the simulator compares texts: case, whitespace and `.`/`,` do not matter. */
export function normaliseDarText(text: string): string {
  return text.toLowerCase().replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The DAR address id the simulator answers for `text` (B variants give their corrected address's id; the
 * C text gives its poor guess's id, which a client must not use), or undefined for a text not in the book.
 */
export function darIdFor(
  text: string,
  addresses: Record<string, DarBookEntry> = DEFAULT_DAR_ADDRESSES,
): string | undefined {
  const want = normaliseDarText(text);
  for (const [t, e] of Object.entries(addresses)) if (normaliseDarText(t) === want) return e.id;
  return undefined;
}

interface Parsed {
  vejnavn: string | null;
  husnr: string | null;
  etage: string | null;
  dør: string | null;
  postnr: string | null;
  postnrnavn: string | null;
}

/** "Vej 12A, 2. th, 8000 By" → parts; loose on purpose (for the variant/forskelle fields only). */
function parseBetegnelse(text: string): Parsed {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  // Every group but the door's is set whenever its pattern matches.
  const [, streetName, houseNo] = /^(.*?)\s+(\d+[A-Za-z]?)$/.exec(parts[0] ?? '') ?? [];
  const [, postCode, postName] = /^(\d{4})\s+(.+)$/.exec(parts[parts.length - 1] ?? '') ?? [];
  const [, floor, door] = (parts.length > 2 ? /^(st|kl|\d+)\.?\s*(\S+)?$/i.exec(parts[1] ?? '') : null) ?? [];
  return {
    vejnavn: streetName ?? parts[0] ?? null,
    husnr: houseNo ?? null,
    etage: floor?.toLowerCase() ?? null,
    dør: door ?? null,
    postnr: postCode ?? null,
    postnrnavn: postName ?? null,
  };
}

/** Edit distance over UTF-16 code units, one row at a time: `diag`, `up` and `left` are the row's three neighbours. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let left = b.length; // the last cell of the row
  for (let i = 1; i <= a.length; i++) {
    let diag = i - 1;
    left = i;
    const cur = [left];
    for (const [k, up] of prev.slice(1).entries()) {
      left = Math.min(up + 1, left + 1, diag + (a[i - 1] === b[k] ? 0 : 1));
      cur.push(left);
      diag = up;
    }
    prev = cur;
  }
  return left;
}

/** DAWA's `struktur=mini` address; ids, codes and coordinates derived from the betegnelse so they are stable. */
function miniAddress(entry: DarBookEntry, base: string): Record<string, unknown> {
  const p = parseBetegnelse(entry.betegnelse);
  const h = createHash('sha1').update(entry.betegnelse).digest();
  const access = `${p.vejnavn} ${p.husnr}, ${p.postnr} ${p.postnrnavn}`;
  return {
    id: entry.id,
    status: 1,
    darstatus: 3,
    vejkode: String((h.readUInt16BE(0) % 9000) + 1000),
    vejnavn: p.vejnavn,
    adresseringsvejnavn: p.vejnavn,
    husnr: p.husnr,
    etage: p.etage,
    dør: p.dør,
    supplerendebynavn: null,
    postnr: p.postnr,
    postnrnavn: p.postnrnavn,
    stormodtagerpostnr: null,
    stormodtagerpostnrnavn: null,
    kommunekode: '0751',
    adgangsadresseid: stableUuid(access),
    x: Number((10.2 + (h.readUInt8(2) - 128) / 2000).toFixed(8)),
    y: Number((56.15 + (h.readUInt8(3) - 128) / 4000).toFixed(8)),
    href: `${base}/adresser/${entry.id}`,
    betegnelse: entry.betegnelse,
  };
}

function washResult(text: string, entry: DarBookEntry, base: string): Record<string, unknown> {
  const given = parseBetegnelse(text);
  const found = parseBetegnelse(entry.betegnelse);
  const forskelle: Record<string, number> = {};
  for (const k of Object.keys(found) as (keyof Parsed)[])
    forskelle[k] = levenshtein((given[k] ?? '').toLowerCase(), (found[k] ?? '').toLowerCase());
  forskelle.supplerendebynavn = 0;
  const adresse = miniAddress(entry, base);
  return {
    adresse,
    aktueladresse: adresse,
    vaskeresultat: {
      variant: { ...found, supplerendebynavn: null },
      afstand: levenshtein(normaliseDarText(text), normaliseDarText(entry.betegnelse)),
      forskelle,
      parsetadresse: { ...given, supplerendebynavn: null },
      ukendtetokens: [],
      anvendtstormodtagerpostnummer: null,
    },
  };
}

function problem(status: number): Record<string, unknown> {
  if (status === 404) return { type: 'ResourceNotFoundError', title: 'The resource was not found', details: {} };
  if (status === 400)
    return {
      type: 'QueryParameterFormatError',
      title: 'One or more query parameters was ill-formed.',
      details: [['betegnelse', 'Missing required parameter']],
    };
  if (status === 429) return { type: 'TooManyRequestsError', title: 'Too many requests', details: {} };
  return { type: 'InternalServerError', title: http.STATUS_CODES[status] ?? 'Error', details: {} };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'Content-Type': 'application/json; charset=UTF-8',
      'Content-Length': String(Buffer.byteLength(text)),
      ...extra,
    })
    .end(text);
}

interface Failure {
  status: number | 'reset';
  remaining: number;
  retryAfterSeconds?: number;
}

export async function startDarSimulator(opts: DarSimulatorOptions = {}): Promise<DarSimulator> {
  const book = new Map<string, DarBookEntry>();
  for (const [text, entry] of Object.entries(opts.addresses ?? DEFAULT_DAR_ADDRESSES))
    book.set(normaliseDarText(text), entry);
  const latencyMs = Math.max(0, opts.latencyMs ?? 0);
  const failures: Failure[] = [];
  const waits = new Map<NodeJS.Timeout, () => void>();
  const watchers: { n: number; resolve: () => void }[] = [];
  let arrivals: number[] = [];
  let stopping: Promise<void> | null = null;

  const stats: DarSimulator['stats'] = {
    total: 0,
    byText: new Map(),
    inFlight: 0,
    peakConcurrent: 0,
    maxPerSecond: 0,
    reset() {
      stats.total = 0;
      stats.byText = new Map();
      stats.peakConcurrent = stats.inFlight;
      stats.maxPerSecond = 0;
      arrivals = [];
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

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const now = performance.now();
    stats.total += 1;
    arrivals = arrivals.filter((t) => t > now - 1000);
    arrivals.push(now);
    stats.maxPerSecond = Math.max(stats.maxPerSecond, arrivals.length);
    stats.inFlight += 1;
    stats.peakConcurrent = Math.max(stats.peakConcurrent, stats.inFlight);
    let done = false;
    res.once('close', () => {
      if (!done) {
        done = true;
        stats.inFlight -= 1;
      }
    });
    const url = new URL(req.url ?? '/', sim.url);
    const text = url.searchParams.get('betegnelse');
    if (text !== null) stats.byText.set(text, (stats.byText.get(text) ?? 0) + 1);
    for (const w of watchers.filter((x) => stats.total >= x.n)) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }

    const failure = failures[0];
    if (failure && --failure.remaining <= 0) failures.shift();
    req.resume();
    if (latencyMs > 0) await wait(latencyMs);
    if (stopping || res.destroyed) return;

    if (failure?.status === 'reset') {
      req.socket.destroy();
      return;
    }
    if (failure) {
      const extra: Record<string, string> =
        failure.retryAfterSeconds !== undefined ? { 'Retry-After': String(failure.retryAfterSeconds) } : {};
      return sendJson(res, failure.status, problem(failure.status), extra);
    }
    if (req.method !== 'GET' || url.pathname !== '/datavask/adresser') return sendJson(res, 404, problem(404));
    if (text === null || text.trim() === '') return sendJson(res, 400, problem(400));

    const entry = book.get(normaliseDarText(text));
    if (!entry) return sendJson(res, 200, { kategori: 'C', resultater: [] });
    sendJson(res, 200, { kategori: entry.kategori, resultater: [washResult(text, entry, sim.url)] });
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  const closeServer = serverCloser(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };

  const sim: DarSimulator = {
    url: `http://127.0.0.1:${port}`,
    stats,
    failNext(status, times = 1, retryAfterSeconds) {
      if (status !== 'reset' && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
        throw new RangeError(`failNext: status must be an HTTP status (100-599) or 'reset', got ${status}`);
      }
      if (!(times > 0)) throw new RangeError(`failNext: times must be > 0 (Infinity allowed), got ${times}`);
      failures.push({ status, remaining: times, retryAfterSeconds });
    },
    clearFailures() {
      failures.length = 0;
    },
    waitForRequests(n) {
      if (stats.total >= n) return Promise.resolve();
      return new Promise((resolve) => watchers.push({ n, resolve }));
    },
    stop() {
      stopping ??= (async () => {
        for (const [t, resolveWait] of waits) {
          clearTimeout(t);
          resolveWait();
        }
        waits.clear();
        await closeServer();
      })();
      return stopping;
    },
  };
  return sim;
}
