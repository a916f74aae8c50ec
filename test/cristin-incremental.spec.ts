/**
 * The incremental Cristin export (issue 13 item 3) over the real protocols: the Cerebrum simulator publishes its
 * change events to the real RabbitMQ (`POST /__mutate`), the worker's durable queue (jobs/cristin-export/cristin-events.ts)
 * records them as pending rows in the store (PGlite, and PostgreSQL when one answers), and runCristinExport(mode INCREMENTAL) re-reads only what
 * they name. Every incremental file is compared byte for byte (apart from `<dato>`) with a FULL run right after.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import { startCerebrumSimulator, sampleUniversity, SAMPLE, type CerebrumSimulator } from '../simulators/cerebrum';
import type { Db } from '../store/db';
import { SyncStateRepo } from '../store/sync-state.repo';
import { CristinSnapshotRepo } from '../jobs/cristin-export/snapshot';
import {
  CRISTIN_LAST_EXPORT_KEY,
  runCristinExport,
  type LastCristinExport,
} from '../jobs/cristin-export/cristin-export';
import { cristinQueueName, startCristinEventQueue } from '../jobs/cristin-export/cristin-events';
import { PermanentSyncError } from '../jobs/framework/types';
import { CerebrumEventConsumer } from '../datasources/cerebrum/events/consumer';
import { cristinRun } from './helpers/cristin';
import { AMQP_URL, stateReached, uniqueExchange } from './helpers/events';
import { testLogger, waitFor } from './helpers/jobs';
import { storeBackends } from './helpers/stores';
import { first } from './helpers/defined';

const API_KEY = 'cristin-incremental-key';

describe.each(storeBackends())('incremental Cristin export on $name', (backend) => {
  let sim: CerebrumSimulator;
  let store: Db;
  let dataDir: string;
  let env: Record<string, string>;
  let deploymentId: string;
  let consumer: CerebrumEventConsumer | undefined;
  const exchange = uniqueExchange('cristin');

  beforeAll(async () => {
    sim = await startCerebrumSimulator({ apiKey: API_KEY, events: { url: AMQP_URL, exchange } });
    store = await backend.open();
    dataDir = mkdtempSync(join(tmpdir(), 'idbro-cristin-inc-'));
    env = {
      CEREBRUM_URL: sim.url,
      CEREBRUM_API_KEY: API_KEY,
      CRISTIN_INSTITUTION: '185',
      DATA_DIR: dataDir,
      TZ: 'Europe/Oslo',
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    await consumer?.stop();
    await sim?.stop();
    await backend.cleanup();
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.deleteExchange(exchange);
    await conn.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    sim.data = sampleUniversity();
    for (const t of ['sync_state', 'cristin_pending', 'cristin_snapshot_persons', 'cristin_snapshot_units'])
      await store.query(`DELETE FROM ${t}`);
    await fs.rm(join(dataDir, 'exports'), { recursive: true, force: true });
    deploymentId = `test-${randomUUID()}`;
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.deleteQueue(cristinQueueName(deploymentId));
    await conn.close();
  });

  /** The worker side: the durable queue's consumer; resolves once it consumes. */
  async function startWorkerQueue(): Promise<CerebrumEventConsumer> {
    consumer = startCristinEventQueue({
      events: { url: AMQP_URL, exchange, binding: '#' },
      store,
      deploymentId,
      logger: testLogger(),
      backoffMs: 50,
    });
    await stateReached(consumer, 'connected');
    return consumer;
  }

  async function mutate(m: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${sim.url}/__mutate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(m),
    });
    if (res.status !== 200) throw new Error(`mutate ${res.status}`);
  }

  const pendingRows = async () =>
    Number(first((await store.query<{ n: string }>('SELECT count(*) AS n FROM cristin_pending')).rows).n);

  async function run(mode: 'FULL' | 'INCREMENTAL', o: { force?: boolean } = {}) {
    sim.stats.reset();
    const r = cristinRun(store, env, { force: o.force });
    r.ctx.params = { ...r.ctx.params, ...(mode === 'INCREMENTAL' ? { mode } : {}) };
    const outcome = await runCristinExport(r.ctx);
    const details = outcome.result.details as Record<string, any>;
    const bytes = details.file ? await fs.readFile(join(dataDir, 'exports', details.file)) : null;
    return { outcome, details, bytes, issues: r.issues, requests: sim.stats.total };
  }

  /** The document without its `<dato>` line (the only part two runs at different moments may differ in). */
  const undated = (b: Buffer | null) => b!.toString('latin1').replace(/<dato>[^<]*<\/dato>/, '<dato/>');

  it('changes queued while no worker ran are exported when one starts', async () => {
    await startWorkerQueue(); // a worker ran once: the durable queue exists
    await consumer!.stop();
    consumer = undefined;
    await run('FULL');

    await mutate({ op: 'person.name', person: SAMPLE.torTest, first: 'Torstein', last: 'Testesen' });
    expect(await pendingRows()).toBe(0); // nobody consumes: the broker keeps it

    await startWorkerQueue();
    await waitFor('the queued change recorded as pending', async () => (await pendingRows()) === 1);
    const inc = await run('INCREMENTAL');
    expect(inc.outcome.message).toMatch(/re-read/);
    const text = inc.bytes!.toString('latin1');
    expect(text).toContain('<fornavn>Torstein</fornavn>');
    expect(text).toContain('<etternavn>Testesen</etternavn>');
    expect(await pendingRows()).toBe(0);

    // Nothing pending now: the (scheduled) run ends at once, without reading Cerebrum.
    const idle = await run('INCREMENTAL');
    expect(idle.outcome.message).toMatch(/^No pending changes/);
    expect(idle.requests).toBe(0);
  });

  it('writes the file a FULL writes, re-reading only the changed persons (name, OU rename, account e-mail, national id)', async () => {
    await startWorkerQueue();
    const full0 = await run('FULL');
    const oldFnr = /<person fnr="(\d+)"[^>]*>\s*<etternavn>Test<\/etternavn>/.exec(
      full0.bytes!.toString('latin1'),
    )?.[1];
    expect(oldFnr).toBeDefined();

    await mutate({ op: 'person.name', person: 101020, first: 'Magnus', last: 'Nyström' });
    await mutate({ op: 'ou.name', ou: SAMPLE.usitOuId, name: 'Universitetets senter for IT (nytt navn)' });
    await mutate({ op: 'account.email', account: SAMPLE.torTestAccount, email: 'tor.ny@example.org' });
    await mutate({ op: 'person.nationalId', person: SAMPLE.torTest, value: '01017012345' });
    await waitFor('four pending rows', async () => (await pendingRows()) === 4);

    const inc = await run('INCREMENTAL');
    expect(inc.details.mode).toBe('INCREMENTAL');
    expect(inc.details.reread).toBe(2); // 101020, and Tor Test (the account's owner and the national id)
    const full = await run('FULL');
    expect(undated(inc.bytes)).toBe(undated(full.bytes));
    expect(inc.requests).toBeLessThan(full.requests / 4);
    expect(full.details.drift).toEqual({ persons: 0, units: 0, personIds: [], stedkoder: [] });

    const text = inc.bytes!.toString('latin1');
    expect(text).toContain('Universitetets senter for IT (nytt navn)');
    expect(text).toContain('<epost>tor.ny@example.org</epost>');
    // The file is keyed by fødselsnummer: the new one replaces the old, the person is there once.
    expect(text).toContain('<person fnr="01017012345"');
    expect(text).not.toContain(`fnr="${oldFnr}"`);
    expect(text.match(/<etternavn>Test<\/etternavn>/g)).toHaveLength(1);
  });

  it('a FULL reports the changes no event announced', async () => {
    await startWorkerQueue();
    await run('FULL');
    await mutate({ op: 'person.title', person: SAMPLE.torTest, title: 'Sjefingeniør', publish: false });
    const inc = await run('INCREMENTAL');
    expect(inc.outcome.message).toMatch(/^No pending changes/);

    const full = await run('FULL');
    expect(full.details.drift).toMatchObject({ persons: 1, units: 0, personIds: [String(SAMPLE.torTest)] });
    expect(full.outcome.message).toMatch(/1 person\(s\) and 0 unit\(s\) with changes no event announced/);
    expect(full.issues).toContainEqual(
      expect.objectContaining({ record: String(SAMPLE.torTest), message: expect.stringMatching(/no change event/) }),
    );
    // The FULL refreshed the snapshot: the next FULL finds no drift.
    expect((await run('FULL')).details.drift).toMatchObject({ persons: 0, units: 0 });
  });

  it('acknowledges a change only once it is recorded: a failed write is redelivered, not lost', async () => {
    const seen: string[] = [];
    let failures = 1;
    const repo = new CristinSnapshotRepo(store);
    consumer = new CerebrumEventConsumer({
      url: AMQP_URL,
      exchange,
      binding: '#',
      logger: testLogger(),
      backoffMs: 20,
      queue: { name: cristinQueueName(deploymentId), durable: true, exclusive: false },
      sink: async (c) => {
        seen.push(c.ref);
        if (failures-- > 0) throw Object.assign(new Error('store unavailable'), { code: 'ECONNREFUSED' });
        await repo.addPending('persons', c.ref);
      },
    });
    consumer.start();
    await stateReached(consumer, 'connected');
    await mutate({ op: 'person.name', person: SAMPLE.torTest, last: 'Igjen' });
    await waitFor('the change recorded after its redelivery', async () => (await pendingRows()) === 1);
    expect(seen).toEqual([String(SAMPLE.torTest), String(SAMPLE.torTest)]);
    expect(consumer.counters.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('the size guard holds an incremental file back, and the pending changes stay', async () => {
    await startWorkerQueue();
    await run('FULL');
    const state = new SyncStateRepo(store);
    const last = (await state.get<LastCristinExport>(CRISTIN_LAST_EXPORT_KEY))!;
    // As if the last published file had been half the size: the next one is 100% larger.
    await state.set(CRISTIN_LAST_EXPORT_KEY, { ...last, bytes: Math.round(last.bytes / 2) });
    await mutate({ op: 'person.name', person: 101020, first: 'Magnus', last: 'Vekst' });
    await waitFor('the change pending', async () => (await pendingRows()) === 1);

    await expect(run('INCREMENTAL')).rejects.toThrow(PermanentSyncError);
    expect(await pendingRows()).toBe(1);
    expect((await new CristinSnapshotRepo(store).load())!.persons.get('101020')!.record!.etternavn).not.toBe('Vekst');

    const forced = await run('INCREMENTAL', { force: true });
    expect(forced.bytes!.toString('latin1')).toContain('<etternavn>Vekst</etternavn>');
    expect(await pendingRows()).toBe(0);
  });
});
