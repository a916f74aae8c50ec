import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import amqp from 'amqplib';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { openStore, type Db } from '../store/db';
import { CristinSnapshotRepo } from '../jobs/cristin-export/snapshot';
import { runCristinExport } from '../jobs/cristin-export/cristin-export';
import { cristinQueueName, startCristinEventQueue } from '../jobs/cristin-export/cristin-events';
import type { SyncRunContext } from '../jobs/framework/types';
import { printTable } from './table';
import { ask, type Msg } from './ipc';

/**
 * bench/cristin-incremental.ts (`npm run bench -- cristin-incremental`; issue 13 "Measured") — the incremental
 * Cristin export after 100 changed persons out of 10,000, beside the FULL: a FULL (which stores the snapshot),
 * 100 `person.name` changes published by the simulator (own process, 5 ms latency, real RabbitMQ) and recorded
 * by the worker's durable queue, then INCREMENTAL, then a FULL again to check that both wrote the same file.
 * Reported per run: upstream requests, persons re-read, wall time.
 */
const PERSONS = 10_000;
const CHANGED = 100;
const LATENCY_MS = 5;
const AMQP_URL = process.env.CEREBRUM_EVENTS_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export async function benchCristinIncremental(): Promise<Record<string, string | number>[]> {
  const exchange = `idbro-bench.${randomUUID().slice(0, 8)}`;
  const probe = await amqp.connect(AMQP_URL).catch(() => null);
  if (!probe)
    throw new Error(
      `bench cristin-incremental needs RabbitMQ at ${AMQP_URL.replace(/\/\/[^@]*@/, '//')} (set CEREBRUM_EVENTS_URL)`,
    );
  await probe.close();
  const sim = fork(join(__dirname, 'sim-process.js'), [String(PERSONS), String(LATENCY_MS), AMQP_URL, exchange], {
    stdio: 'inherit',
  });
  const ready = await new Promise<Msg>((resolve) => sim.once('message', resolve));
  const dataDir = await mkdtemp(join(tmpdir(), 'idbro-bench-cristin-inc-'));
  const store = await openStore({ memory: true });
  const deploymentId = `bench-${randomUUID()}`;
  const logger = createLogger(
    'silent',
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );
  const config = loadConfig({
    CEREBRUM_URL: String(ready.url),
    CEREBRUM_API_KEY: 'bench-key',
    CRISTIN_INSTITUTION: '185',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const consumer = startCristinEventQueue({
    events: { url: AMQP_URL, exchange, binding: '#' },
    store,
    deploymentId,
    logger,
  });
  const rows: Record<string, string | number>[] = [];
  const files: string[] = [];
  try {
    const run = async (mode: 'FULL' | 'INCREMENTAL') => {
      await ask(sim, 'reset');
      const ctx: SyncRunContext = {
        jobId: `bench-${mode}`,
        kind: 'CRISTIN_EXPORT',
        dryRun: false,
        params: mode === 'INCREMENTAL' ? { mode } : {},
        attempt: 1,
        signal: new AbortController().signal,
        store,
        config,
        logger,
        progress: () => undefined,
        issue: () => undefined,
      };
      const t0 = performance.now();
      const outcome = await runCristinExport(ctx);
      const ms = performance.now() - t0;
      const s = await ask(sim, 'stats');
      const d = outcome.result.details as { reread: number; persons: number; file: string };
      files.push((await readFile(join(dataDir, 'exports', d.file), 'latin1')).replace(/<dato>[^<]*<\/dato>/, ''));
      rows.push({
        run: mode,
        persons: d.persons,
        'persons re-read': d.reread,
        'upstream requests': Number(s.total),
        'wall s': (ms / 1000).toFixed(2),
      });
    };
    await run('FULL');
    const snapshot = (await new CristinSnapshotRepo(store).load())!;
    const exported = [...snapshot.persons].filter(([, p]) => p.record).map(([id]) => id);
    const step = Math.floor(exported.length / CHANGED);
    for (let i = 0; i < CHANGED; i++)
      await mutate(sim, { op: 'person.name', person: Number(exported[i * step]), last: `Endret${i}` });
    await waitForPending(store, CHANGED);
    await run('INCREMENTAL');
    await run('FULL');
    rows.forEach((r, i) => {
      r['same file as the next FULL'] = i === 1 ? (files[1] === files[2] ? 'yes' : 'NO') : '—';
    });
  } finally {
    await consumer.stop();
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.deleteQueue(cristinQueueName(deploymentId));
    await ch.deleteExchange(exchange);
    await conn.close();
    const exited = new Promise((r) => sim.once('exit', r));
    sim.send({ op: 'stop' });
    await exited;
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  printTable(
    `Incremental Cristin export: ${CHANGED} changed persons of ${PERSONS.toLocaleString('en')} (simulator in its own process, ${LATENCY_MS} ms latency; CEREBRUM_CONCURRENCY 16)`,
    rows,
  );
  return rows;
}

function mutate(sim: ReturnType<typeof fork>, m: unknown): Promise<void> {
  return new Promise((resolve) => {
    const on = (msg: Msg) => {
      if (msg.op === 'mutate') {
        sim.off('message', on);
        resolve();
      }
    };
    sim.on('message', on);
    sim.send({ op: 'mutate', m });
  });
}

/** Polls the pending set until the consumer has recorded `n` rows (a benchmark, not a test: polling is fine). */
async function waitForPending(store: Db, n: number): Promise<void> {
  const repo = new CristinSnapshotRepo(store);
  const deadline = Date.now() + 60_000;
  while ((await repo.pendingCount()) < n) {
    if (Date.now() > deadline) throw new Error(`only ${await repo.pendingCount()} of ${n} changes recorded after 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

if (require.main === module) {
  benchCristinIncremental().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
