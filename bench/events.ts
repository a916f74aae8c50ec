import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import amqp from 'amqplib';
import { generateCerebrumData } from '../simulators/data/cerebrum-sample';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { createGateway, type Gateway } from '../server/http';
import { printTable } from './table';
import { itemAt } from '../simulators/data/prng';
import { ask, type Msg } from './ipc';
import { CONNECTIONS, PERSONS, gql } from './events-load';

/**
 * bench/events.ts — `npm run bench -- events` (issue 13): a mixed read load over 3,000 persons (70% one person,
 * 20% twenty persons, 10% one unit with its persons; 32 connections; loopback only) against the Cerebrum simulator in
 * its own process (5 ms latency per request), first with today's behaviour (no cross-request cache), then with change
 * events and the cache. Reported: upstream requests per GraphQL request beside the per-request minimum (distinct
 * resources each answer needs), throughput, RSS of this process (gateway + load generator); then staleness: the time
 * from the simulator publishing a change to the first query that shows it, while the mixed load keeps running.
 */
const LATENCY_MS = 5;
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

function ask2(child: ChildProcess, msg: Msg): Promise<Msg> {
  return new Promise((resolve) => {
    const on = (m: Msg) => {
      if (m.op === msg.op) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

/** A full collection before reading the heap (the flag is set at run time: `npm run bench` passes none). */
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const pct = (xs: number[], p: number) =>
  itemAt(
    [...xs].sort((a, b) => a - b),
    Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1),
  );

export async function benchEvents(): Promise<Record<string, string | number>[]> {
  const exchange = `idbro-bench.${randomUUID().slice(0, 8)}`;
  const probe = await amqp.connect(AMQP_URL).catch(() => null);
  if (!probe)
    throw new Error(`bench events needs RabbitMQ at ${AMQP_URL.replace(/\/\/[^@]*@/, '//')} (set CEREBRUM_EVENTS_URL)`);
  await probe.close();
  const child = fork(join(__dirname, 'sim-process.js'), [String(PERSONS), String(LATENCY_MS), AMQP_URL, exchange], {
    stdio: 'inherit',
  });
  const ready = await new Promise<Msg>((resolve) => child.once('message', resolve));
  const data = generateCerebrumData({ persons: PERSONS, seed: 1 });
  const loader = fork(join(__dirname, 'events-load.js'), [], { stdio: 'inherit' });
  await new Promise<Msg>((resolve) => loader.once('message', resolve));
  const rows: Record<string, string | number>[] = [];
  const staleness: Record<string, string | number>[] = [];
  const gateways: Gateway[] = [];
  try {
    for (const cached of [false, true]) {
      const config = loadConfig({
        CEREBRUM_URL: String(ready.url),
        CEREBRUM_API_KEY: 'bench-key',
        CEREBRUM_CONCURRENCY: String(CONCURRENCY),
        API_TOKENS: 'bench=read',
        MAX_QUERY_COST: '1000000',
        LOG_LEVEL: 'silent',
        ...(cached ? { CEREBRUM_EVENTS_URL: AMQP_URL, CEREBRUM_EVENTS_EXCHANGE: exchange } : {}),
      });
      const gw = createGateway({ config, logger: createLogger('silent') });
      gateways.push(gw);
      const url = await gw.listen(0, '127.0.0.1');
      const consumer = gw.cerebrumLive?.consumer;
      if (consumer && consumer.state !== 'connected') {
        await new Promise<void>((resolve) => {
          const off = consumer.onState((s) => {
            if (s === 'connected') {
              off();
              resolve();
            }
          });
        });
      }
      const runLoad = (seed: number, bound: { requests: number; maxS: number; connections?: number }) =>
        ask2(loader, { op: 'run', url, seed, ...bound }) as Promise<
          Msg & { requests: number; minimum: number; wallS: number }
        >;
      await runLoad(7, cached ? PHASES.warmupCache : PHASES.warmupNoCache);
      await ask(child, 'reset');
      const cpu0 = process.cpuUsage();
      const run = await runLoad(8, cached ? PHASES.cache : PHASES.noCache);
      const cpu = process.cpuUsage(cpu0);
      gc();
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
        'gateway RSS MB': (process.memoryUsage().rss / 2 ** 20).toFixed(0),
        'heap MB after GC': (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0),
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
          const off = bus.subscribe((c) => {
            if (c.ref === String(id)) busAt = performance.timeOrigin + performance.now();
          });
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
        // Idle; a moderate load (4 connections); the saturating load of the throughput run (32 connections).
        for (const connections of [0, 4, CONNECTIONS]) {
          const underLoad = connections > 0;
          const background = underLoad
            ? runLoad(9, { requests: Number.MAX_SAFE_INTEGER, maxS: 300, connections })
            : Promise.resolve();
          const got: { invalidated: number; seen: number }[] = [];
          try {
            for (let k = 0; k < SAMPLES; k++) got.push(await sample(k + connections * SAMPLES));
          } finally {
            if (underLoad) loader.send({ op: 'stop' });
            await background;
          }
          const inv = got.map((g) => g.invalidated);
          const seen = got.map((g) => g.seen);
          staleness.push({
            load: underLoad ? `mixed, ${connections} connections` : 'idle',
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
    loader.send({ op: 'exit' });
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ op: 'stop' });
    await exited;
    const conn = await amqp.connect(AMQP_URL);
    await (await conn.createChannel()).deleteExchange(exchange);
    await conn.close();
  }
  const base = rows.find((x) => String(x.run).startsWith('no cache'));
  for (const row of rows) {
    row['× no-cache (CPU-bound)'] = base
      ? (
          Number(row['req/s per 2 free cores (CPU-bound)']) / Number(base['req/s per 2 free cores (CPU-bound)'])
        ).toFixed(1)
      : '-';
  }
  printTable(
    `Cerebrum events + cache: mixed load over ${PERSONS} persons (70% one person, 20% twenty, 10% one unit), ${CONNECTIONS} connections, ${LATENCY_MS} ms upstream latency; load average ${itemAt(loadavg(), 0).toFixed(1)} on ${cpus().length} cores (gateway, simulator and load generator in separate processes)`,
    rows,
  );
  printTable('Staleness: simulator publishes a change → the next query shows it', staleness);
  return [...rows, ...staleness];
}

if (require.main === module) {
  benchEvents().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
