import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generateCerebrumData, type CerebrumData } from '../simulators/data/cerebrum-sample';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { openStore } from '../store/db';
import type { SyncRunContext } from '../jobs/framework/types';
import { printTable } from './table';
import { itemAt } from '../simulators/data/prng';
import { ask, type Msg } from './ipc';

/**
 * bench/cristin-export.ts — the Cristin export (jobs/cristin-export/cristin-export.ts) over 10,000 generated persons, against
 * the Cerebrum simulator in its own process (bench/sim-process.ts) with 5 ms latency per request. The export
 * runs in a second child process (this file with argv 'worker'), so its peak RSS is its own (beside the RSS it
 * had before the export started: mostly the in-memory PGlite store the job records its last export in).
 * Reported: wall time and CPU, upstream requests beside the minimum (the distinct resources the walk needs,
 * computed from the data by `cristinWalkPaths`), peak RSS, and the file's size, at the default
 * CEREBRUM_CONCURRENCY and at a higher one. The last column is the floor no client can beat at that
 * concurrency (every request waits the simulator's latency); the simulator's own overhead comes on top.
 */
const PERSONS = 10_000;
const LATENCY_MS = 5;
const CONCURRENCIES = [16, 64];

/**
 * The requests the walk needs for `data`, as the simulator counts them ("GET /v1/..."), derived from the data
 * alone (jobs/cristin-export/walk.ts describes the walk). Tests assert the export makes exactly these, once each.
 */
export function cristinWalkPaths(data: CerebrumData, o: { rootOuId?: number } = {}): Set<string> {
  const paths = new Set<string>();
  const get = (p: string) => paths.add(`GET /v1${p}`);
  const isRole = (a: { affiliation: string }) => a.affiliation === 'ANSATT' || a.affiliation === 'TILKNYTTET';
  const ouStedkode = new Map<number, string | null>();
  const units = new Set<string>();
  const readOu = (id: number): string | null => {
    get(`/ous/${id}`);
    const sk = data.ous.get(id)?.stedkode ?? null;
    ouStedkode.set(id, sk);
    return sk;
  };
  const affiliationsRead = new Set<number>();
  const readAffiliations = (id: number) => {
    if (affiliationsRead.has(id)) return;
    affiliationsRead.add(id);
    get(`/persons/${id}/affiliations?include_deleted=true`);
  };

  get('/search/persons/affiliations?affiliation=ANSATT');
  get('/search/persons/affiliations?affiliation=TILKNYTTET');
  if (o.rootOuId !== undefined) {
    const sk = readOu(o.rootOuId);
    if (sk) units.add(sk);
  }
  for (const p of data.persons.values()) {
    if (!p.affiliations.some((a) => a.deleted_date === null && isRole(a))) continue; // not found by the search
    get(`/persons/${p.id}`);
    get(`/persons/${p.id}/external-ids`);
    const cached = (v: string) =>
      p.names.some((n) => n.source_system === 'Cached' && n.variant === v && n.name.trim() !== '');
    const fnr = p.external_ids.some((e) => e.id_type === 'NO_BIRTHNO');
    if (!fnr || !cached('FIRST') || !cached('LAST')) continue; // skipped
    readAffiliations(p.id);
    get(`/persons/${p.id}/contacts`);
    get(`/persons/${p.id}/accounts`);
    const primary = p.primary_account;
    if (primary && p.account_names.includes(primary) && data.accounts.has(primary))
      get(`/accounts/${encodeURIComponent(primary)}`);
    for (const a of p.affiliations) {
      if (!isRole(a)) continue;
      const sk = ouStedkode.has(a.ou_id) ? ouStedkode.get(a.ou_id)! : readOu(a.ou_id);
      if (sk) units.add(sk);
    }
  }
  // Ancestors by stedkode, level by level: one location search each; through one placed person's affiliations.
  const parentOf = (sk: string) =>
    sk.slice(4) !== '00' ? `${sk.slice(0, 4)}00` : sk.slice(2, 4) !== '00' ? `${sk.slice(0, 2)}0000` : '000000';
  const looked = new Set<string>();
  for (;;) {
    const wanted = new Set<string>();
    for (const sk of units) {
      const parent = parentOf(sk);
      if (parent !== sk && !units.has(parent) && !looked.has(parent)) wanted.add(parent);
    }
    if (wanted.size === 0) break;
    for (const sk of wanted) {
      looked.add(sk);
      get(`/search/persons/affiliations?location=${sk}`);
      const ou = [...data.ous.values()].find((x) => x.stedkode === sk);
      if (!ou) continue;
      const placed = [...data.persons.values()]
        .filter((p) => p.affiliations.some((a) => a.deleted_date === null && a.ou_id === ou.id))
        .map((p) => p.id);
      if (placed.length === 0) continue;
      const candidate = placed.find((id) => affiliationsRead.has(id)) ?? itemAt(placed, 0);
      readAffiliations(candidate);
      for (const a of data.persons.get(candidate)!.affiliations) {
        if (a.deleted_date !== null || ouStedkode.has(a.ou_id)) continue;
        if (readOu(a.ou_id) === sk) {
          units.add(sk);
          break;
        }
      }
    }
  }
  return paths;
}

interface WorkerResult {
  ms: number;
  cpuS: number;
  maxRssMB: number;
  baseRssMB: number;
  persons: number;
  units: number;
  bytes: number;
  skipped: number;
  requests: number;
  issues: number;
}

/** Child process: one export with a fresh in-memory store, reporting time and its own peak RSS. */
async function worker(url: string, concurrency: number): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'idbro-bench-cristin-'));
  const store = await openStore({ memory: true });
  // Loaded after the store so that the baseline RSS includes everything but the export's own work.
  const { runCristinExport } = await import('../jobs/cristin-export/cristin-export.js');
  const baseRssMB = process.memoryUsage().rss / 2 ** 20;
  let issues = 0;
  const ctx: SyncRunContext = {
    jobId: 'bench',
    kind: 'CRISTIN_EXPORT',
    dryRun: false,
    params: {},
    attempt: 1,
    signal: new AbortController().signal,
    store,
    config: loadConfig({
      CEREBRUM_URL: url,
      CEREBRUM_API_KEY: 'bench-key',
      CEREBRUM_CONCURRENCY: String(concurrency),
      CRISTIN_INSTITUTION: '185',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    }),
    logger: createLogger(
      'silent',
      new Writable({
        write(_c, _e, cb) {
          cb();
        },
      }),
    ),
    progress: () => undefined,
    issue: () => {
      issues++;
    },
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const outcome = await runCristinExport(ctx);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const d = outcome.result.details as {
    bytes: number;
    persons: number;
    units: number;
    skipped: number;
    upstream: { requests: number };
  };
  const result: WorkerResult = {
    ms,
    cpuS: (cpu.user + cpu.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    baseRssMB,
    persons: d.persons,
    units: d.units,
    bytes: d.bytes,
    skipped: d.skipped,
    requests: d.upstream.requests,
    issues,
  };
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
  process.send!(result);
}

function runWorker(url: string, concurrency: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['worker', url, String(concurrency)], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as WorkerResult));
    child.once('exit', (code) => {
      if (code) reject(new Error(`cristin bench worker exited with ${code}`));
    });
  });
}

export async function benchCristinExport(): Promise<Record<string, string | number>[]> {
  const sim = fork(join(__dirname, 'sim-process.js'), [String(PERSONS), String(LATENCY_MS)], { stdio: 'inherit' });
  const ready = await new Promise<Msg>((resolve) => sim.once('message', resolve));
  const minimum = cristinWalkPaths(generateCerebrumData({ persons: PERSONS, seed: 1 })).size;
  const rows: Record<string, string | number>[] = [];
  try {
    for (const concurrency of CONCURRENCIES) {
      await ask(sim, 'reset');
      const r = await runWorker(String(ready.url), concurrency);
      const s = await ask(sim, 'stats');
      rows.push({
        persons: PERSONS,
        CEREBRUM_CONCURRENCY: concurrency,
        'wall s': (r.ms / 1000).toFixed(1),
        'export CPU s': r.cpuS.toFixed(1),
        'upstream requests': Number(s.total),
        minimum,
        'distinct paths': Number(s.distinct),
        'peak in flight': Number(s.peakInFlight),
        'exported persons / units': `${r.persons} / ${r.units}`,
        skipped: r.skipped,
        'file MB': (r.bytes / 2 ** 20).toFixed(2),
        'peak RSS MB': r.maxRssMB.toFixed(0),
        // Most of it is the embedded PGlite store (in memory) the job keeps its last-export record in.
        'of which before the export': r.baseRssMB.toFixed(0),
        'bound: requests × latency / concurrency': `${((minimum * LATENCY_MS) / concurrency / 1000).toFixed(1)} s`,
      });
    }
  } finally {
    const exited = new Promise((r) => sim.once('exit', r));
    sim.send({ op: 'stop' });
    await exited;
  }
  printTable(
    `Cristin export: ${PERSONS.toLocaleString('en')} persons from the Cerebrum simulator (own process, ${LATENCY_MS} ms latency per request)`,
    rows,
  );
  return rows;
}

if (require.main === module) {
  if (process.argv[2] === 'worker') {
    const [url, concurrency] = process.argv.slice(3);
    if (url === undefined) throw new Error('usage: cristin-export.js worker <url> <concurrency>');
    worker(url, Number(concurrency)).catch((e) => {
      console.error(e);
      process.exit(1);
    });
  } else {
    benchCristinExport().catch((e) => {
      console.error(e);
      process.exit(1);
    });
  }
}
