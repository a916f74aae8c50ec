import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import amqp from 'amqplib';
import { generateCerebrumData } from '../simulators/data/cerebrum-sample';
import type { CerebrumData } from '../simulators/data/cerebrum-types';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { createGateway, type Gateway } from '../server/http';
import { printTable } from './table';
import { ask, type Msg } from './ipc';

/**
 * bench/events.ts — `npm run bench -- events` (issue 13): a mixed read load over 3,000 persons (70% one person,
 * 20% twenty persons, 10% one unit with its persons; 32 connections; loopback only) against the Cerebrum simulator in
 * its own process (5 ms latency per request), first with today's behaviour (no cross-request cache), then with change
 * events and the cache. Reported: upstream requests per GraphQL request beside the per-request minimum (distinct
 * resources each answer needs), throughput, RSS of this process (gateway + load generator); then staleness: the time
 * from the simulator publishing a change to the first query that shows it, while the mixed load keeps running.
 */
const PERSONS = 3000;
const LATENCY_MS = 5;
const CONNECTIONS = 32;
const CONCURRENCY = 16;
const SAMPLES = 50;
const AMQP_URL = process.env.CEREBRUM_EVENTS_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Bounded by count and by time, whichever comes first. */
const PHASES = {
  warmupNoCache: { requests: 100, maxS: 30 },
  noCache: { requests: 800, maxS: 60 },
  warmupCache: { requests: 3000, maxS: 120 },
  cache: { requests: 4000, maxS: 60 },
};

const FIELDS = 'name accounts { name primaryEmail } affiliations { status organisationUnit { name stedkode } }';

interface Req { query: string; minimum: number }

/** Deterministic PRNG (mulberry32): both runs see the same request mix. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the request mix and each request's minimum: the distinct Cerebrum resources its answer needs. */
function workload(data: CerebrumData, today: string) {
  const ids = [...data.persons.keys()];
  const live = (a: { deleted_date: string | null; create_date: string }) =>
    !((a.deleted_date && a.deleted_date.slice(0, 10) <= today) || a.create_date.slice(0, 10) > today);
  const personPaths = (id: number, into: Set<string>) => {
    const p = data.persons.get(id)!;
    into.add(`p${id}`).add(`pa${id}`).add(`pf${id}`);
    for (const n of p.account_names) into.add(`a${n}`);
    for (const a of p.affiliations) if (live(a)) into.add(`o${a.ou_id}`);
  };
  const byOu = new Map<number, Set<number>>();
  for (const p of data.persons.values()) {
    for (const a of p.affiliations) if (a.deleted_date === null) (byOu.get(a.ou_id) ?? byOu.set(a.ou_id, new Set()).get(a.ou_id)!).add(p.id);
  }
  const units = [...byOu.keys()];
  return (r: () => number): Req => {
    const x = r();
    if (x < 0.7) {
      const id = ids[Math.floor(r() * ids.length)];
      const need = new Set<string>();
      personPaths(id, need);
      return { query: `{ person(id: "cerebrum:${id}") { ${FIELDS} } }`, minimum: need.size };
    }
    if (x < 0.9) {
      const need = new Set<string>();
      const pick = Array.from({ length: 20 }, () => ids[Math.floor(r() * ids.length)]);
      pick.forEach((id) => personPaths(id, need));
      return { query: `{ ${pick.map((id, i) => `p${i}: person(id: "cerebrum:${id}") { ${FIELDS} }`).join(' ')} }`, minimum: need.size };
    }
    const ou = units[Math.floor(r() * units.length)];
    // The unit, the affiliation search, and per person found: its record and its affiliations.
    return {
      query: `{ organisationUnit(id: "cerebrum:ou:${ou}") { name stedkode affiliations { status person { name } } } }`,
      minimum: 2 + 2 * byOu.get(ou)!.size,
    };
  };
}

async function gql(url: string, query: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(`bench query failed: ${JSON.stringify(body.errors[0])}`);
  return body.data;
}

/** CONNECTIONS workers issuing requests back to back until `requests` were sent or `maxS` passed. */
async function load(url: string, next: () => Req, bound: { requests: number; maxS: number }, stop?: () => boolean) {
  let sent = 0;
  let minimum = 0;
  const deadline = performance.now() + bound.maxS * 1000;
  const t0 = performance.now();
  const worker = async () => {
    while (sent < bound.requests && performance.now() < deadline && !stop?.()) {
      sent++;
      const req = next();
      minimum += req.minimum;
      await gql(url, req.query);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { requests: sent, minimum, wallS: (performance.now() - t0) / 1000 };
}

function ask2(child: ChildProcess, msg: Msg): Promise<Msg> {
  return new Promise((resolve) => {
    const on = (m: Msg) => { if (m.op === msg.op) { child.off('message', on); resolve(m); } };
    child.on('message', on);
    child.send(msg);
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

export async function benchEvents(): Promise<Record<string, string | number>[]> {
  const exchange = `idbro-bench.${randomUUID().slice(0, 8)}`;
  const probe = await amqp.connect(AMQP_URL).catch(() => null);
  if (!probe) throw new Error(`bench events needs RabbitMQ at ${AMQP_URL.replace(/\/\/[^@]*@/, '//')} (set CEREBRUM_EVENTS_URL)`);
  await probe.close();
  const child = fork(join(__dirname, 'sim-process.js'), [String(PERSONS), String(LATENCY_MS), AMQP_URL, exchange], { stdio: 'inherit' });
  const ready = await new Promise<Msg>((resolve) => child.once('message', resolve));
  const data = generateCerebrumData({ persons: PERSONS, seed: 1 });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
  const rows: Record<string, string | number>[] = [];
  const staleness: Record<string, string | number>[] = [];
  const gateways: Gateway[] = [];
  try {
    for (const cached of [false, true]) {
      const config = loadConfig({
        CEREBRUM_URL: String(ready.url), CEREBRUM_API_KEY: 'bench-key', CEREBRUM_CONCURRENCY: String(CONCURRENCY),
        API_TOKENS: 'bench=read', MAX_QUERY_COST: '1000000', LOG_LEVEL: 'silent',
        ...(cached ? { CEREBRUM_EVENTS_URL: AMQP_URL, CEREBRUM_EVENTS_EXCHANGE: exchange } : {}),
      });
      const gw = createGateway({ config, logger: createLogger('silent') });
      gateways.push(gw);
      const url = await gw.listen(0, '127.0.0.1');
      const consumer = gw.cerebrumLive?.consumer;
      if (consumer && consumer.state !== 'connected') {
        await new Promise<void>((resolve) => { const off = consumer.onState((s) => { if (s === 'connected') { off(); resolve(); } }); });
      }
      const next = workload(data, today);
      const r = rng(7);
      await load(url, () => next(r), cached ? PHASES.warmupCache : PHASES.warmupNoCache);
      await ask(child, 'reset');
      const cpu0 = process.cpuUsage();
      const run = await load(url, () => next(r), cached ? PHASES.cache : PHASES.noCache);
      const cpu = process.cpuUsage(cpu0);
      const sim = await ask(child, 'stats');
      const upstream = Number(sim.total);
      const gwCpu = (cpu.user + cpu.system) / 1000 / run.requests;
      const simCpu = Number(sim.cpuMs) / run.requests;
      rows.push({
        run: cached ? 'events + cache (after warm-up)' : 'no cache (today)',
        'GraphQL requests': run.requests,
        'upstream/request': (upstream / run.requests).toFixed(2),
        'minimum/request': (run.minimum / run.requests).toFixed(2),
        'upstream ÷ minimum': (upstream / run.minimum).toFixed(3),
        'req/s (loaded machine)': (run.requests / run.wallS).toFixed(1),
        'CPU ms/request gateway+sim': `${gwCpu.toFixed(1)} + ${simCpu.toFixed(1)}`,
        'req/s per 2 free cores (CPU-bound)': (2000 / (gwCpu + simCpu)).toFixed(0),
        'RSS MB': (process.memoryUsage().rss / 2 ** 20).toFixed(0),
        'heap MB': (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0),
        'cache entries': gw.cerebrumLive?.cache?.size ?? '-',
      });
      if (cached) {
        // Staleness: publish (simulator) → invalidated in the gateway (the bus), and → the first answer showing it;
        // idle, then under the same mixed load.
        const ids = [...data.persons.keys()];
        const bus = gw.cerebrumLive!.bus;
        const sample = async (k: number) => {
          const id = ids[(k * 131) % ids.length];
          await gql(url, `{ person(id: "cerebrum:${id}") { name } }`);
          const last = `Stale${k}`;
          let busAt = 0;
          const off = bus.subscribe((c) => { if (c.ref === String(id)) busAt = performance.timeOrigin + performance.now(); });
          const published = ask2(child, { op: 'mutate', m: { op: 'person.name', person: id, last } });
          let seenAt = 0;
          while (!seenAt) {
            const d = await gql(url, `{ person(id: "cerebrum:${id}") { name } }`);
            if (String(d.person.name).endsWith(` ${last}`)) seenAt = performance.timeOrigin + performance.now();
          }
          const at = Number((await published).at);
          off();
          return { invalidated: Math.max(0, busAt - at), seen: Math.max(0, seenAt - at) };
        };
        for (const underLoad of [false, true]) {
          let done = false;
          const background = underLoad ? load(url, () => next(r), { requests: Number.MAX_SAFE_INTEGER, maxS: 300 }, () => done) : Promise.resolve();
          const got: { invalidated: number; seen: number }[] = [];
          try {
            for (let k = 0; k < SAMPLES; k++) got.push(await sample(k + (underLoad ? SAMPLES : 0)));
          } finally {
            done = true;
            await background;
          }
          const inv = got.map((g) => g.invalidated);
          const seen = got.map((g) => g.seen);
          staleness.push({
            load: underLoad ? `mixed, ${CONNECTIONS} connections` : 'idle',
            samples: got.length,
            'publish → invalidated p50/p99 ms': `${pct(inv, 50).toFixed(1)} / ${pct(inv, 99).toFixed(1)}`,
            'publish → next query shows it p50/p99 ms': `${pct(seen, 50).toFixed(1)} / ${pct(seen, 99).toFixed(1)}`,
            'max ms': Math.max(...seen).toFixed(1),
          });
        }
      }
      await gw.stop();
    }
  } finally {
    for (const gw of gateways) await gw.stop();
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ op: 'stop' });
    await exited;
    const conn = await amqp.connect(AMQP_URL);
    await (await conn.createChannel()).deleteExchange(exchange);
    await conn.close();
  }
  const base = rows.find((x) => x.run.toString().startsWith('no cache'));
  for (const row of rows) {
    row['× no-cache (CPU-bound)'] = base ? (Number(row['req/s per 2 free cores (CPU-bound)']) / Number(base['req/s per 2 free cores (CPU-bound)'])).toFixed(1) : '-';
  }
  printTable(`Cerebrum events + cache: mixed load over ${PERSONS} persons (70% one person, 20% twenty, 10% one unit), ${CONNECTIONS} connections, ${LATENCY_MS} ms upstream latency; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (RSS: gateway + load generator)`, rows);
  printTable('Staleness: simulator publishes a change → the next query shows it', staleness);
  return [...rows, ...staleness];
}

if (require.main === module) {
  benchEvents().catch((e) => { console.error(e); process.exit(1); });
}
