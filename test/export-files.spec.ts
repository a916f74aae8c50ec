/**
 * Export files hold national ids (issue 9, item 3): downloading one needs scopes sync AND pii (the listing needs
 * sync); files are 0600 in a 0700 folder, from creation on (also an older 0755/0644 layout is tightened); and
 * exports older than EXPORT_RETENTION_DAYS are removed by the next run, always keeping the last published one.
 * The Cristin export runs against the Cerebrum simulator over real HTTP; downloads go through the gateway.
 */
import http from 'node:http';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleUniversity, startCerebrumSimulator, type CerebrumSimulator } from '../simulators/cerebrum';
import { openStore, type Db } from '../store/db';
import { SyncStateRepo } from '../store/sync-state.repo';
import {
  CRISTIN_LAST_EXPORT_KEY,
  runCristinExport,
  type LastCristinExport,
} from '../jobs/cristin-export/cristin-export';
import { DocumentWriter } from '../datasources/unilogin/document';
import { privateTempDir } from '../core/private-files';
import { loadConfig } from '../core/config';
import { startStack, type Stack } from './helpers/gateway';
import { cristinRun } from './helpers/cristin';

const API_KEY = 'export-files-key';
const modeOf = async (path: string) => (await fs.stat(path)).mode & 0o777;

describe('export files', () => {
  let sim: CerebrumSimulator;
  let store: Db;
  let dataDir: string;
  let env: Record<string, string>;
  const exportsDir = () => join(dataDir, 'exports');
  const list = async () => (await fs.readdir(exportsDir())).sort();

  beforeAll(async () => {
    sim = await startCerebrumSimulator({ apiKey: API_KEY });
    store = await openStore({ memory: true });
    dataDir = mkdtempSync(join(tmpdir(), 'idbro-export-files-'));
    env = {
      CEREBRUM_URL: sim.url,
      CEREBRUM_API_KEY: API_KEY,
      CRISTIN_INSTITUTION: '185',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    };
  });
  afterAll(async () => {
    await sim?.stop();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await store.query('DELETE FROM sync_state');
    await fs.rm(exportsDir(), { recursive: true, force: true });
  });

  const run = async (at: string, o: { dryRun?: boolean; env?: Record<string, string> } = {}) => {
    const r = cristinRun(store, { ...env, ...o.env }, { dryRun: o.dryRun });
    const outcome = await runCristinExport(r.ctx, { now: () => new Date(at) });
    return outcome.result.details as Record<string, any>;
  };

  describe('download over HTTP', () => {
    let stack: Stack;
    let file: string;
    const tokens = { sync: 'only-sync', pii: 'only-pii', readPii: 'read-pii', both: 'sync-pii', all: 'everything' };

    beforeAll(async () => {
      stack = await startStack({
        env: {
          DATA_DIR: dataDir,
          API_TOKENS: `${tokens.sync}=sync;${tokens.pii}=pii;${tokens.readPii}=read+pii;${tokens.both}=sync+pii;${tokens.all}=read+pii+sync`,
        },
      });
    });
    afterAll(async () => {
      await stack?.stop();
    });
    beforeEach(async () => {
      file = (await run('2025-01-06T03:00:00Z')).file;
    });

    const get = (path: string, token: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('latin1') }));
          })
          .on('error', reject);
      });

    it('a file needs scopes sync and pii: 403 for sync only and for pii only, 200 with both', async () => {
      for (const token of [tokens.sync, tokens.pii, tokens.readPii]) {
        const res = await get(`/exports/${file}`, token);
        expect([token, res.status]).toEqual([token, 403]);
        expect(JSON.parse(res.body).error).toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringMatching(/needs scope "sync" and "pii"/),
        });
        expect(res.body).not.toMatch(/\d{11}/);
      }
      for (const token of [tokens.both, tokens.all]) {
        const res = await get(`/exports/${file}`, token);
        expect([token, res.status]).toEqual([token, 200]);
        expect(res.body).toContain('<fridaImport');
      }
    });

    it('the listing (names, sizes, times: no personal data) needs sync only', async () => {
      const res = await get('/exports', tokens.sync);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).files.map((f: { name: string }) => f.name)).toEqual([file]);
      expect((await get('/exports', tokens.pii)).status).toBe(403);
    });
  });

  it('writes the export 0600 in a 0700 folder, and tightens a folder and files an older version left 0755/0644', async () => {
    await fs.mkdir(exportsDir(), { mode: 0o755 });
    await fs.chmod(exportsDir(), 0o755);
    const older = join(exportsDir(), 'cristin-185-20250101T030000Z.xml');
    await fs.writeFile(older, '<old/>', { mode: 0o644 });
    await fs.chmod(older, 0o644);

    const { file } = await run('2025-01-06T03:00:00Z');
    expect(await modeOf(exportsDir())).toBe(0o700);
    expect(await modeOf(join(exportsDir(), file))).toBe(0o600);
    expect(await modeOf(older)).toBe(0o600);

    // A held export is the temp file renamed: 0600 too.
    for (const id of [101001, 101002, 101003, 101006, 101010, 101011, 101013, 101017, 101020])
      sim.data.persons.delete(id);
    try {
      await expect(run('2025-01-08T03:00:00Z')).rejects.toThrow(/size guard/);
    } finally {
      sim.data = sampleUniversity();
    }
    const held = (await list()).find((n) => n.endsWith('.held.xml'))!;
    expect(held).toBeDefined();
    expect(await modeOf(join(exportsDir(), held))).toBe(0o600);
  });

  it('the UNI-Login document is written 0600 in a fresh 0700 temp folder', async () => {
    const dir = await privateTempDir('idbro-export-files-unilogin-');
    try {
      expect(await modeOf(dir)).toBe(0o700);
      const path = join(dir, 'uploadfull.xml');
      const w = await DocumentWriter.open(path, 'uploadfull', {
        exportDateTime: '2024-01-01T00:00:00',
        source: 's',
        institution: 'A10035',
      });
      w.endPersons();
      await w.close();
      expect(await modeOf(path)).toBe(0o600);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('removes exports older than EXPORT_RETENTION_DAYS on the next run, keeping the last published one however old', async () => {
    const a = (await run('2025-01-01T03:00:00Z')).file;
    const b = (await run('2025-01-20T03:00:00Z')).file;
    // A held export from long ago, and a file that is not an export: the held one goes, the other stays.
    const oldHeld = 'cristin-185-20241201T030000Z.held.xml';
    await fs.writeFile(join(exportsDir(), oldHeld), '<held/>');
    await fs.writeFile(join(exportsDir(), 'README.txt'), 'not an export');
    expect(await list()).toEqual([oldHeld, a, b, 'README.txt'].sort());

    // A dry run 10 weeks later says what it would remove and removes nothing.
    const dry = await run('2025-03-31T03:00:00Z', { dryRun: true });
    expect(dry.expired).toEqual({ retentionDays: 30, wouldRemove: [a, oldHeld].sort() });
    expect(await list()).toHaveLength(4);

    // The real run: a and the held one are past 30 days and go; b is past 30 days too but is the last published.
    const c = await run('2025-03-31T04:00:00Z');
    expect(c.expired).toEqual({ retentionDays: 30, removed: [a, oldHeld].sort() });
    expect(await list()).toEqual([b, c.file, 'README.txt'].sort());
    expect((await new SyncStateRepo(store).get<LastCristinExport>(CRISTIN_LAST_EXPORT_KEY))!.file).toBe(c.file);

    // EXPORT_RETENTION_DAYS=1: the next day b goes, c (the last published) stays.
    const d = await run('2025-04-02T04:00:00Z', { env: { EXPORT_RETENTION_DAYS: '1' } });
    expect(d.expired.removed).toEqual([b]);
    expect(await list()).toEqual([c.file, d.file, 'README.txt'].sort());

    // Without a record of the last export (a store started afresh), the newest published file counts as it.
    await store.query('DELETE FROM sync_state');
    const e = await run('2025-06-01T04:00:00Z', { dryRun: true });
    expect(e.expired.wouldRemove).toEqual([c.file]);
  });

  it('EXPORT_RETENTION_DAYS defaults to 30 and must be a whole number of days', () => {
    expect(loadConfig({}).exportRetentionDays).toBe(30);
    expect(loadConfig({ EXPORT_RETENTION_DAYS: '7' }).exportRetentionDays).toBe(7);
    expect(() => loadConfig({ EXPORT_RETENTION_DAYS: 'a month' })).toThrow(
      /^EXPORT_RETENTION_DAYS: expected a whole number/,
    );
  });
});
