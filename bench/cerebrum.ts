import 'reflect-metadata';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { generateCerebrumData } from '../simulators/data/cerebrum-sample';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { createGateway } from '../server/http';
import type { RequestStats } from '../resolvers/context';
import { printTable } from './table';
import { itemAt } from '../simulators/data/prng';
import { ask, type Msg } from './ipc';

/**
 * bench/cerebrum.ts — one GraphQL request for N persons, each with accounts (and each account's details),
 * affiliations and their OUs, against the Cerebrum simulator (own process, 5 ms latency per request).
 * Ours (DataLoader + look-ahead) beside a naive baseline (plain resolvers: no cache, no batching, no
 * look-ahead) in the same run. Minimum = distinct resources the answer needs.
 */
const SIZES = [10, 100, 500];
const LATENCY_MS = 5;
const CONCURRENCY = 16;
const DATA_PERSONS = 600;
const SEED = 1;
const REPEATS = 5;

/** Distinct Cerebrum resources the bench query needs for these persons: person, accounts (+details), affiliations, OUs. Also bench/federation.ts. */
export function minimum(ids: number[], today: string): number {
  const data = generateCerebrumData({ persons: DATA_PERSONS, seed: SEED });
  const paths = new Set<string>();
  for (const id of ids) {
    const p = data.persons.get(id)!;
    paths.add(`p${id}`).add(`pa${id}`).add(`pf${id}`);
    for (const n of p.account_names) paths.add(`a${n}`);
    for (const a of p.affiliations) {
      if ((a.deleted_date && a.deleted_date.slice(0, 10) <= today) || a.create_date.slice(0, 10) > today) continue;
      paths.add(`o${a.ou_id}`);
    }
  }
  return paths.size;
}

export async function benchCerebrum(): Promise<Record<string, string | number>[]> {
  const child = fork(join(__dirname, 'sim-process.js'), [String(DATA_PERSONS), String(LATENCY_MS)], {
    stdio: 'inherit',
  });
  const ready = await new Promise<Msg>((resolve) => child.once('message', resolve));
  const ids = [...generateCerebrumData({ persons: DATA_PERSONS, seed: SEED }).persons.keys()];
  const rows: Record<string, string | number>[] = [];
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
  try {
    for (const naive of [false, true]) {
      let last: RequestStats | undefined;
      const config = loadConfig({
        CEREBRUM_URL: String(ready.url),
        CEREBRUM_API_KEY: 'bench-key',
        CEREBRUM_CONCURRENCY: String(CONCURRENCY),
        API_TOKENS: 'bench=read',
        MAX_QUERY_COST: '1000000',
        MAX_ALIASES: '1000',
        MAX_TOKENS: '100000',
        LOG_LEVEL: 'silent',
      });
      const gw = createGateway({
        config,
        logger: createLogger('silent'),
        naiveLoaders: naive,
        onRequestStats: (s) => {
          last = s;
        },
      });
      const url = await gw.listen(0, '127.0.0.1');
      const run = async (n: number) => {
        const fields =
          'name accounts { name primaryEmail active createdAt } affiliations { status organisationUnit { name stedkode } }';
        const query = `{ ${ids
          .slice(0, n)
          .map((id, i) => `p${i}: person(id: "cerebrum:${id}") { ${fields} }`)
          .join(' ')} }`;
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
          body: JSON.stringify({ query }),
        });
        const body = (await res.json()) as { errors?: unknown[] };
        const cpu = process.cpuUsage(cpu0);
        const wall = performance.now() - t0;
        if (body.errors) throw new Error(`bench query failed: ${JSON.stringify(body.errors[0])}`);
        return { wall, userMs: cpu.user / 1000, sysMs: cpu.system / 1000 };
      };
      for (const n of SIZES) await run(n); // warm-up: JIT, socket pool
      for (const n of SIZES) {
        // Median of REPEATS runs (by wall time); the simulator's counters are from the last run.
        const runs = [];
        let sim: Msg = { op: '' };
        for (let i = 0; i < REPEATS; i++) {
          await ask(child, 'reset');
          runs.push(await run(n));
          sim = await ask(child, 'stats');
        }
        runs.sort((a, b) => a.wall - b.wall);
        const { wall, userMs, sysMs } = itemAt(runs, Math.floor(REPEATS / 2));
        const total = Number(sim.total);
        rows.push({
          resolvers: naive ? 'naive baseline' : 'idbro (DataLoader)',
          persons: n,
          'upstream requests': total,
          minimum: minimum(ids.slice(0, n), today),
          rounds: last?.rounds ?? 0,
          'peak in flight': `${String(sim.peakInFlight)} (max ${CONCURRENCY})`,
          'wall ms (median of 5)': wall.toFixed(0),
          'CPU ms/upstream req': ((userMs + sysMs) / total).toFixed(3),
          '(user + sys)': `${(userMs / total).toFixed(3)} + ${(sysMs / total).toFixed(3)}`,
        });
      }
      await gw.stop();
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ op: 'stop' });
    await exited;
  }
  printTable(
    `Cerebrum fan-out: one request for N persons with accounts (+details), affiliations and OUs; ${LATENCY_MS} ms upstream latency`,
    rows,
  );
  return rows;
}

if (require.main === module) {
  benchCerebrum().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
