/**
 * The LOS FTP path over real FTP on loopback: the simulator (ftp-srv + MLSD) serves a generated delivery,
 * LosFtpClient lists it with modification times, and downloads stream through readCsv.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { Client } from 'basic-ftp';
import { readCsv } from '../datasources/los/csv';
import { selectFiles } from '../datasources/los/files';
import { LosFtpClient } from '../datasources/los/ftp';
import { validatePersRow } from '../datasources/los/records';
import { type LosDeliveryManifest, writeLosDelivery } from '../simulators/data/los-sample';
import { type LosFtpSimulator, startLosFtpSimulator } from '../simulators/los-ftp';
import { defined, nth } from './helpers/defined';

let dir: string;
let manifest: LosDeliveryManifest;
let sim: LosFtpSimulator;
const clients: LosFtpClient[] = [];
const client = (options?: ConstructorParameters<typeof LosFtpClient>[0]) => {
  const c = new LosFtpClient({ retryDelayMs: 20, ...options });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  dir = mkdtempSync(nodePath.join(tmpdir(), 'los-ftp-'));
  manifest = await writeLosDelivery(nodePath.join(dir, 'delivery'), { days: 3, badRows: true });
  sim = await startLosFtpSimulator({ root: manifest.dir });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function drainRows(stream: NodeJS.ReadableStream & import('node:stream').Readable, name: string) {
  const reader = readCsv(stream, name);
  const rows = [];
  for await (const row of reader) rows.push(row);
  return { rows, reader };
}

describe('LOS FTP simulator and client', () => {
  it('lists every file with its modification time from MLSD (UTC, to the millisecond)', async () => {
    expect(sim.url).toMatch(/^ftp:\/\/los:los-secret@127\.0\.0\.1:\d+\/$/);
    const c = client();
    await c.connect(sim.url);
    const listing = await c.list();
    expect(listing.map((f) => f.name).sort()).toEqual(manifest.files.map((f) => f.name).sort());
    for (const f of manifest.files) {
      const entry = listing.find((l) => l.name === f.name);
      expect(entry?.modifiedAt.toISOString()).toBe(f.modifiedAt.toISOString());
      expect(entry?.size).toBeGreaterThan(0);
    }

    // Selection by the files met (name, size, time from the listing): after days 0 and 1, days 2 and 3 only.
    const met = new Set([...nth(manifest.days, 0).files, ...nth(manifest.days, 1).files]);
    const recorded = listing
      .filter((f) => met.has(f.name))
      .map((f) => ({ name: f.name, size: f.size, modifiedAt: f.modifiedAt, outcome: 'applied' as const }));
    const selection = selectFiles(listing, recorded);
    expect(selection.ordered.map((f) => f.name).sort()).toEqual(
      [...nth(manifest.days, 2).files, ...nth(manifest.days, 3).files].sort(),
    );
    expect(selection.stam).toEqual([]);

    // The times came from MLSD facts (basic-ftp only sets modifiedAt from MLSD), not from MDTM.
    const raw = new Client();
    try {
      await raw.access({ host: '127.0.0.1', port: sim.port, user: 'los', password: 'los-secret' });
      expect((await raw.features()).get('MLST')).toContain('modify');
      const entries = await raw.list();
      expect(entries.length).toBe(manifest.files.length);
      expect(entries.every((e) => e.modifiedAt instanceof Date)).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('falls back to LIST + MDTM when the server has no MLSD', async () => {
    const plain = await startLosFtpSimulator({ root: manifest.dir, mlsd: false });
    try {
      const c = client();
      await c.connect(plain.url);
      const listing = await c.list();
      expect(listing).toHaveLength(manifest.files.length);
      for (const f of manifest.files) {
        expect(listing.find((l) => l.name === f.name)?.modifiedAt.toISOString()).toBe(f.modifiedAt.toISOString());
      }
    } finally {
      await plain.stop();
    }
  });

  it('streams downloads through readCsv, one after another on one connection', async () => {
    const c = client();
    await c.connect(sim.url);
    const pers = nth(manifest.days, 0).files.find((f) => f.startsWith('Pers_nye'));
    if (!pers) throw new Error('no Pers_nye on day 0');
    const { rows, reader } = await drainRows(await c.download(pers), pers);
    expect(reader.rejected).toBe(false);
    const valid = rows.map((r) => validatePersRow(r, pers)).filter((r) => r.ok);
    expect(valid).toHaveLength(manifest.engagements.length);
    const names = new Set(manifest.persons.map((p) => p.name));
    for (const r of valid) if (r.ok) expect(names.has(r.row.name)).toBe(true);

    // The rest of day 0, on the same connection.
    for (const name of nth(manifest.days, 0).files) {
      const { rows: all, reader: r } = await drainRows(await c.download(name), name);
      expect(r.rejected).toBe(false);
      expect(all.length).toBe(manifest.files.find((f) => f.name === name)?.rows);
    }
  });

  it('rejects a missing file at download() and keeps working; an abandoned stream does not break the client', async () => {
    const c = client();
    await c.connect(sim.url);
    await expect(c.download('Org_nye_19990101_000000.csv')).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: expect.stringContaining('LOS_FTP_URL ftp://127.0.0.1:'),
    });
    const first = nth(manifest.days, 0).files.find((f) => f.startsWith('Org_inital')) as string;
    const stream = await c.download(first);
    // Read one row and stop, as a for-await loop's `break` does.
    const rows = readCsv(stream, first)[Symbol.asyncIterator]();
    await rows.next();
    await rows.return(undefined);
    const listing = await c.list();
    expect(listing.length).toBe(manifest.files.length);
  });

  it('drains a file rejected for its header, so the next download on the connection works', async () => {
    writeFileSync(
      nodePath.join(manifest.dir, 'Leder_ret_20990101_000000.csv'),
      'OrgUUID;Noget\n' + 'x;y\n'.repeat(20000),
    );
    try {
      const c = client();
      await c.connect(sim.url);
      const bad = await drainRows(await c.download('Leder_ret_20990101_000000.csv'), 'Leder_ret_20990101_000000.csv');
      expect(bad.reader.rejected).toBe(true);
      expect(bad.rows).toEqual([]);
      const stam = await drainRows(await c.download('STAM_UUID_Ledertype.csv'), 'STAM_UUID_Ledertype.csv');
      expect(stam.rows).toHaveLength(defined(manifest.classes.manager_type, 'the manager types').length);
    } finally {
      rmSync(nodePath.join(manifest.dir, 'Leder_ret_20990101_000000.csv'));
    }
  });

  it('names LOS_FTP_URL and host:port on a wrong password, without the password, and does not retry it', async () => {
    const url = sim.url.replace('los-secret', 'Hemmelig%2Fkode42');
    const c = client({ connectAttempts: 5, retryDelayMs: 2000 });
    const started = Date.now();
    const err = await c.connect(url).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toContain('LOS_FTP_URL');
    expect(err?.message).toContain(`127.0.0.1:${sim.port}`);
    expect(err?.message).not.toMatch(/Hemmelig|kode42/);
    expect(JSON.stringify(err)).not.toMatch(/Hemmelig|kode42/);
    expect(Date.now() - started).toBeLessThan(1500); // no 2 s backoff: a refused login is not retried
  });

  it('retries a refused connection a bounded number of times, then names host:port', async () => {
    const closed = await startLosFtpSimulator({ root: manifest.dir });
    const port = closed.port;
    await closed.stop();
    const c = client({ connectAttempts: 3, retryDelayMs: 10 });
    await expect(c.connect(`ftp://los:topsecret@127.0.0.1:${port}/`)).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringMatching(
        new RegExp(`LOS_FTP_URL ftp://127\\.0\\.0\\.1:${port}: cannot connect after 3 attempt`),
      ),
    });
    await expect(c.connect('not a url with pw=topsecret')).rejects.toThrow(/^LOS_FTP_URL is not a valid URL/);
  });

  it('works over explicit TLS (ftps://) with the server certificate as CA', async () => {
    let key: string;
    let cert: string;
    try {
      const tlsDir = mkdtempSync(nodePath.join(tmpdir(), 'los-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          nodePath.join(tlsDir, 'key.pem'),
          '-out',
          nodePath.join(tlsDir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      key = readFileSync(nodePath.join(tlsDir, 'key.pem'), 'utf8');
      cert = readFileSync(nodePath.join(tlsDir, 'cert.pem'), 'utf8');
      rmSync(tlsDir, { recursive: true, force: true });
    } catch {
      console.warn('openssl not available: ftps test skipped');
      return;
    }
    const secure = await startLosFtpSimulator({ root: manifest.dir, tls: { key, cert } });
    try {
      expect(secure.url).toMatch(/^ftps:\/\//);
      // Without our CA the certificate is refused (and not retried).
      await expect(client({ connectAttempts: 2 }).connect(secure.url)).rejects.toThrow(
        /LOS_FTP_URL ftps:\/\/127\.0\.0\.1/,
      );
      const c = client({ tls: { ca: cert } });
      await c.connect(secure.url);
      const listing = await c.list();
      expect(listing).toHaveLength(manifest.files.length);
      const name = nth(manifest.days, 1).files.find((f) => f.startsWith('Pers_ret')) as string;
      const { rows } = await drainRows(await c.download(name), name);
      expect(rows.length).toBe(manifest.files.find((f) => f.name === name)?.rows);
    } finally {
      await secure.stop();
    }
  });
});

describe('an Aarhus-size delivery over FTP', () => {
  it('streams 30,000 engagements from the FTP server through readCsv and the validator', async () => {
    const bigDir = nodePath.join(dir, 'aarhus');
    let t = Date.now();
    const big = await writeLosDelivery(bigDir, { units: 2000, engagements: 30000, managers: 500, days: 1, seed: 3 });
    const generateMs = Date.now() - t;
    const server = await startLosFtpSimulator({ root: bigDir });
    try {
      const c = client();
      await c.connect(server.url);
      const name = nth(big.days, 0).files.find((f) => f.startsWith('Pers_nye')) as string;
      t = Date.now();
      const heapBefore = process.memoryUsage().heapUsed;
      let valid = 0;
      let maxHeap = heapBefore;
      const reader = readCsv(await c.download(name), name);
      for await (const raw of reader) {
        if (validatePersRow(raw, name).ok) valid++;
        if (valid % 5000 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
      }
      const streamMs = Date.now() - t;
      expect(valid).toBe(30000);
      console.log(
        `Aarhus-size: generate ${generateMs} ms; download+parse+validate 30,000 rows ${streamMs} ms; heap growth ~${Math.round((maxHeap - heapBefore) / 1e6)} MB`,
      );
    } finally {
      await server.stop();
    }
  });
});
