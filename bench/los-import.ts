import { fork } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeLosDelivery } from '../simulators/data/los-sample';
import { startLosFtpSimulator } from '../simulators/los-ftp';
import { startDarSimulator, type DarBookEntry } from '../simulators/dar';
import { readCsv } from '../datasources/los/csv';
import { createReadStream } from 'node:fs';
import { uuidV5 } from '../datasources/los/ids';
import { printTable } from './table';
import { itemAt } from '../simulators/data/prng';

/**
 * bench/los-import.ts — an Aarhus-scale LOS delivery (2,000 units, 30,000 engagements, 500 managers) through
 * the real FTP simulator into PostgreSQL and into embedded PGlite, then a one-day delta. The import runs in a
 * child process (bench/los-worker.ts) whose peak RSS is reported. DAR runs with DAWA's real limits
 * (30 requests/s, 10 connections): a cold DAR cache makes the first import wait for the look-ups, so the
 * table shows a cold run (what a first install pays) and a warm one (the store already knows the addresses).
 */
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface WorkerResult {
  ms: number;
  rows: number;
  files: number;
  maxRssMB: number;
  issues: number;
  darRequests: number;
}

function runWorker(env: Record<string, string>): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'los-worker.js'), [], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: 'inherit',
    });
    child.once('message', (m) => resolve(m as WorkerResult));
    child.once('exit', (code) => {
      if (code) reject(new Error(`los worker exited with ${code}`));
    });
  });
}

async function pgAvailable(): Promise<boolean> {
  const c = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function benchLosImport(): Promise<Record<string, string | number>[]> {
  const staging = await mkdtemp(join(tmpdir(), 'idbro-bench-los-'));
  const root = await mkdtemp(join(tmpdir(), 'idbro-bench-ftp-'));
  const t0 = performance.now();
  const manifest = await writeLosDelivery(staging, { units: 2000, engagements: 30000, managers: 500, days: 1 });
  console.log(`generated the Aarhus-scale delivery in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const texts = new Set<string>();
  for (const f of manifest.files.filter((x) => x.name.startsWith('Org_'))) {
    for await (const row of readCsv(createReadStream(join(staging, f.name)), f.name, { columns: null }))
      if (row.record.PostAdresse) texts.add(row.record.PostAdresse);
  }
  const book: Record<string, DarBookEntry> = {};
  for (const t of texts)
    book[t] = { id: uuidV5(t, '11111111-2222-3333-4444-555555555555'), betegnelse: t, kategori: 'A' };
  const ftp = await startLosFtpSimulator({ root });
  const dar = await startDarSimulator({ addresses: book, latencyMs: 5 });
  const rows: Record<string, string | number>[] = [];
  const deliver = async (names: string[]) => {
    const when = new Date(Date.now() + 2000);
    for (const n of names) {
      await fs.copyFile(join(staging, n), join(root, n));
      await fs.utimes(join(root, n), when, when);
    }
  };
  const day0 = [
    ...itemAt(manifest.days, 0).files,
    ...manifest.files.filter((f) => f.name.startsWith('STAM_')).map((f) => f.name),
  ];
  const day1 = itemAt(manifest.days, 1).files;
  const row = (store: string, run: string, r: WorkerResult, target: string) => ({
    store,
    run,
    files: r.files,
    rows: r.rows,
    'time s': (r.ms / 1000).toFixed(2),
    'rows/s': Math.round(r.rows / (r.ms / 1000)),
    'peak RSS MB': r.maxRssMB.toFixed(0),
    'DAR requests': r.darRequests,
    issues: r.issues,
    target,
  });
  try {
    const targets: { name: string; env: () => Promise<Record<string, string>>; cleanup: () => Promise<void> }[] = [];
    if (await pgAvailable()) {
      const schema = `bench_los_${process.pid}`;
      targets.push({
        name: 'PostgreSQL',
        env: () => Promise.resolve({ DATABASE_URL: PG_URL, BENCH_SCHEMA: schema }),
        cleanup: async () => {
          const c = new Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await c.end();
        },
      });
    } else {
      console.log(`PostgreSQL not reachable at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}: PGlite only`);
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'idbro-bench-pglite-'));
    targets.push({
      name: 'PGlite',
      env: () => Promise.resolve({ DATA_DIR: dataDir }),
      cleanup: async () => fs.rm(dataDir, { recursive: true, force: true }),
    });

    for (const t of targets) {
      await fs.rm(root, { recursive: true, force: true });
      await fs.mkdir(root);
      const env = { ...(await t.env()), LOS_FTP_URL: ftp.url, DAR_URL: dar.url };
      await deliver(day0);
      rows.push(
        row(t.name, 'full, cold DAR cache', await runWorker(env), `DAR floor ${(texts.size / 30).toFixed(0)} s`),
      );
      await deliver(day1);
      rows.push(row(t.name, 'one-day delta', await runWorker(env), '< 2 s'));
      // The same full delivery again into emptied LOS tables, the DAR answers kept in the store: the
      // import's own speed, as every run after the first install sees it.
      rows.push(
        row(t.name, 'full, warm DAR cache', await runWorker({ ...env, BENCH_RESET_LOS: '1' }), '< 30 s, RSS < 300 MB'),
      );
      await t.cleanup();
    }
  } finally {
    await ftp.stop();
    await dar.stop();
    await fs.rm(staging, { recursive: true, force: true });
    await fs.rm(root, { recursive: true, force: true });
  }
  printTable(`LOS import: Aarhus-scale delivery (${texts.size} distinct addresses) via FTP, DAR at 30 req/s`, rows);
  return rows;
}

if (require.main === module) {
  benchLosImport().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
