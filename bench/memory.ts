import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisConnection } from 'bullmq';
import { Client } from 'pg';
import { generateCerebrumData, sampleUniversity } from '../simulators/data/cerebrum-sample';
import type { Msg } from './ipc';
import { graphql, holdLoad, median, rssMB, sampleRss, startEntry, type Entry } from './rss';
import { printTable } from './table';

/**
 * bench/memory.ts — resident memory (RSS, as the operating system counts it) of the entry points, each started
 * as its own process the way an operator starts it: `npm run serve` on the embedded store (first start on an empty
 * DATA_DIR, then a restart on the same one), `npm run serve` on PostgreSQL (a throwaway database), and `npm start`
 * (the demo: every simulator, a worker and the embedded store in one process). Idle = after start-up (the demo's
 * first-start LOS import included) and a settle; under load = the peak while CONCURRENCY clients send person
 * reads (and a LOS read, which goes to the store) back to back, bounded by LOAD_REQUESTS and LOAD_MAX_MS, to the
 * Cerebrum simulator upstream (own process, 5 ms latency; the demo uses its own). Only loopback addresses.
 *
 * Redis: REDIS_URL's database 13 (BENCH_REDIS_URL), so nothing lands beside other tests' keys; the keys a run
 * creates are deleted afterwards.
 */
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const SETTLE_MS = 5_000;
const IDLE_SAMPLES = 5;
const CONCURRENCY = 16;
const LOAD_REQUESTS = 3_000;
const LOAD_MAX_MS = 60_000;
const PERSONS = 600;
const TOKEN = 'bench';

/** Targets of issue 14: MB of RSS. */
const TARGETS = { serveEmbedded: { idle: 250, load: 400 }, demo: { idle: 400 } };

interface Measured {
  idle: number;
  load: number;
  requests: number;
  errors: number;
  firstError?: string;
}

/** Person reads of three shapes (accounts; affiliations with their units; five at once) and a stored LOS read. */
function queriesFor(ids: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < 200; i++) {
    const id = (k: number) => `"cerebrum:${ids[(i * 7 + k) % ids.length]}"`;
    out.push(`{ person(id: ${id(0)}) { name accounts { name primaryEmail active } } }`);
    out.push(`{ person(id: ${id(1)}) { name affiliations { status organisationUnit { name stedkode } } } }`);
    out.push(`{ ${[0, 1, 2, 3, 4].map((k) => `p${k}: person(id: ${id(k + 2)}) { name birthDate }`).join(' ')} }`);
    out.push('{ organisationUnits(filter: { source: LOS, roots: true }, first: 10) { totalCount } }');
  }
  return out;
}

/** The demo's first start queues a LOS import: idle means after it. */
async function waitForJobs(url: string, token?: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await graphql(url, '{ syncJobs(first: 50) { edges { node { state } } } }', token);
    const states: string[] = body.data?.syncJobs.edges.map((e: { node: { state: string } }) => e.node.state) ?? [];
    if (body.data && !states.some((s) => s === 'QUEUED' || s === 'RUNNING')) return;
    if (Date.now() > deadline)
      throw new Error(`sync jobs still running after ${timeoutMs / 1000} s: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function measure(entry: Entry, queries: string[], token: string | undefined): Promise<Measured> {
  const pid = entry.child.pid!;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const idleSamples: number[] = [];
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    idleSamples.push(rssMB(pid));
    await new Promise((r) => setTimeout(r, 400));
  }
  const sampler = sampleRss(pid);
  const load = await holdLoad(entry.url, queries, {
    concurrency: CONCURRENCY,
    requests: LOAD_REQUESTS,
    maxMs: LOAD_MAX_MS,
    token,
  });
  const samples = sampler.stop();
  return {
    idle: median(idleSamples),
    load: Math.max(...samples),
    requests: load.requests,
    errors: load.errors,
    firstError: load.firstError,
  };
}

function row(
  process: string,
  store: string,
  m: Measured | string,
  target?: { idle?: number; load?: number },
): Record<string, string | number> {
  if (typeof m === 'string')
    return {
      process,
      store,
      'RSS idle MB': '—',
      'RSS under load MB (peak)': '—',
      requests: '—',
      target: m,
      'met?': '—',
    };
  const goals = [
    target?.idle !== undefined && `idle ≤ ${target.idle}`,
    target?.load !== undefined && `load ≤ ${target.load}`,
  ].filter(Boolean);
  const met =
    (target?.idle === undefined || m.idle <= target.idle) && (target?.load === undefined || m.load <= target.load);
  return {
    process,
    store,
    'RSS idle MB': m.idle.toFixed(0),
    'RSS under load MB (peak)': m.load.toFixed(0),
    requests: m.errors ? `${m.requests} (${m.errors} errors: ${m.firstError?.slice(0, 60)})` : m.requests,
    target: goals.length ? goals.join(', ') : '— (reference)',
    'met?': goals.length ? (met ? 'yes' : 'NO') : '—',
  };
}

/** Every key of database 13 now, so the run deletes only the ones it created. */
async function redisKeys(): Promise<Set<string>> {
  const conn = new RedisConnection({ url: REDIS_URL });
  try {
    const client = await conn.client;
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, { MATCH: 'idbro:*', COUNT: 1000 });
      cursor = next;
      for (const k of batch) keys.add(k);
    } while (cursor !== '0');
    return keys;
  } finally {
    await conn.close();
  }
}

async function deleteKeys(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const conn = new RedisConnection({ url: REDIS_URL });
  try {
    const client = await conn.client;
    for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
  } finally {
    await conn.close();
  }
}

/** A throwaway PostgreSQL database for `serve` on PostgreSQL, or undefined when none answers. */
async function createDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `idbro_bench_memory_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function benchMemory(): Promise<Record<string, string | number>[]> {
  const sim = fork(join(__dirname, 'sim-process.js'), [String(PERSONS), '5'], { stdio: 'inherit' });
  const ready = await new Promise<Msg>((resolve) => sim.once('message', resolve));
  const keysBefore = await redisKeys();
  const dirs: string[] = [];
  const tempDir = async () => {
    const d = await mkdtemp(join(tmpdir(), 'idbro-bench-memory-'));
    dirs.push(d);
    return d;
  };
  const serveQueries = queriesFor([...generateCerebrumData({ persons: PERSONS, seed: 1 }).persons.keys()]);
  const serveEnv = (extra: Record<string, string>): Record<string, string> => ({
    PORT: '0',
    LOG_LEVEL: 'warn',
    REDIS_URL,
    API_TOKENS: `${TOKEN}=read`,
    CEREBRUM_URL: String(ready.url),
    CEREBRUM_API_KEY: 'bench-key',
    ...extra,
  });
  const serveScript = join(__dirname, '../server/entry/serve.js');
  const rows: Record<string, string | number>[] = [];
  const run = async (
    script: string,
    env: Record<string, string>,
    opts: { queries: string[]; token?: string; jobs?: boolean },
  ): Promise<Measured> => {
    // LOG_LEVEL=warn hides the "listening" line: info for the start, the request logs go to a pipe that is drained.
    const entry = await startEntry(script, { ...env, LOG_LEVEL: 'info' });
    try {
      if (opts.jobs) await waitForJobs(entry.url, opts.token);
      return await measure(entry, opts.queries, opts.token);
    } finally {
      await entry.stop();
    }
  };
  try {
    const dataDir = await tempDir();
    rows.push(
      row(
        'npm run serve (first start)',
        'embedded',
        await run(serveScript, serveEnv({ DATA_DIR: dataDir }), { queries: serveQueries, token: TOKEN }),
        TARGETS.serveEmbedded,
      ),
    );
    rows.push(
      row(
        'npm run serve (restart)',
        'embedded',
        await run(serveScript, serveEnv({ DATA_DIR: dataDir }), { queries: serveQueries, token: TOKEN }),
        TARGETS.serveEmbedded,
      ),
    );
    const db = await createDatabase();
    if (db) {
      try {
        rows.push(
          row(
            'npm run serve',
            'PostgreSQL',
            await run(serveScript, serveEnv({ DATA_DIR: await tempDir(), DATABASE_URL: db.url }), {
              queries: serveQueries,
              token: TOKEN,
            }),
          ),
        );
      } finally {
        await db.drop();
      }
    } else {
      rows.push(
        row('npm run serve', 'PostgreSQL', `not reachable at ${new URL(PG_ADMIN_URL).host} (BENCH_DATABASE_URL)`),
      );
    }
    // The sample has a person whose affiliation names a unit Cerebrum lacks (an error on purpose): not in the load.
    const sample = sampleUniversity();
    const demoQueries = queriesFor(
      [...sample.persons.values()].filter((p) => p.affiliations.every((a) => sample.ous.has(a.ou_id))).map((p) => p.id),
    );
    rows.push(
      row(
        'npm start (demo, first start)',
        'embedded',
        await run(
          join(__dirname, '../server/entry/demo.js'),
          { PORT: '0', REDIS_URL, DATA_DIR: await tempDir() },
          { queries: demoQueries, jobs: true },
        ),
        TARGETS.demo,
      ),
    );
  } finally {
    const exited = new Promise((r) => sim.once('exit', r));
    sim.send({ op: 'stop' });
    await exited;
    const created = [...(await redisKeys())].filter((k) => !keysBefore.has(k));
    await deleteKeys(created);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
  printTable(
    `Memory: RSS of each entry point idle (median of ${IDLE_SAMPLES} samples after ${SETTLE_MS / 1000} s) and its peak under ${CONCURRENCY} concurrent ` +
      `GraphQL clients (≤ ${LOAD_REQUESTS} requests, ≤ ${LOAD_MAX_MS / 1000} s; Cerebrum simulator upstream, 5 ms latency)`,
    rows,
  );
  return rows;
}

if (require.main === module) {
  benchMemory().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
