/**
 * GraphQL subscriptions over a real WebSocket with graphql-ws's own client, against the real gateway: Cerebrum
 * changes published on the ChangeBus (as the AMQP consumer does) reach personChanged / organisationUnitChanged
 * with data read from the Cerebrum simulator after the event; syncJobUpdated follows a real BullMQ job run by a
 * worker on the real Redis. No sleeps: the tests wait for the server's count of open subscriptions, and hold the
 * test sync at gates until the subscriber has seen each step.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../core/config';
import { openStore, type Db } from '../store/db';
import type { SyncJobKind } from '../store/sync-jobs.repo';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import type { SyncProcessor } from '../jobs/framework/types';
import { ChangeBus, type CerebrumChange, type CerebrumResourceType } from '../datasources/cerebrum/events/change';
import { SAMPLE } from '../simulators/cerebrum';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { REDIS_URL, deferred, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';

const logger = testLogger();
const config = loadConfig({ REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' });
const ZERO = { created: 0, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 };

interface Closed {
  code: number;
  reason: string;
}

/** A subscription read one payload at a time; `closed` is how its socket closed (if it did). */
interface Sub {
  next(): Promise<FormattedExecutionResult<any, any>>;
  /** Reads payloads until one satisfies `test`; every payload read is kept in `seen`. */
  until(test: (data: any) => boolean, what: string): Promise<any>;
  seen: any[];
  stop(): Promise<void>;
}

function change(
  resourceType: CerebrumResourceType,
  ref: string,
  kind: CerebrumChange['kind'] = 'modify',
  attributes: string[] = [],
): CerebrumChange {
  return { jti: randomUUID(), kind, resourceType, ref, attributes, objects: [], issuedAt: new Date() };
}

function wsUrlOf(stack: Stack): string {
  return `${stack.url.replace(/^http/, 'ws')}/graphql`;
}

describe('subscriptions over graphql-ws', () => {
  const prefix = uniquePrefix('subscriptions');
  const bus = new ChangeBus();
  const behaviour: Partial<Record<SyncJobKind, SyncProcessor>> = {};
  // The workers run LOS_IMPORT only: CRISTIN_EXPORT jobs stay QUEUED (to cancel one).
  const processors = new Map<SyncJobKind, SyncProcessor>([
    [
      'LOS_IMPORT',
      (ctx) => {
        const run = behaviour.LOS_IMPORT;
        if (!run) throw new Error('test: no behaviour set for LOS_IMPORT');
        return run(ctx);
      },
    ],
    ['CRISTIN_EXPORT', () => Promise.resolve({ result: { ...ZERO } })],
  ]);
  let store: Db;
  let sync: SyncService;
  let workers: SyncWorkers;
  let stack: Stack;
  const clients: Client[] = [];
  const closes = new Map<Client, Closed[]>();

  beforeAll(async () => {
    store = await openStore({ memory: true });
    sync = await createSyncService({ config, store, logger, processors, prefix, attempts: 1 });
    workers = await startWorkers({
      config,
      logger,
      store,
      processors,
      kinds: ['LOS_IMPORT'],
      prefix,
      progressIntervalMs: 20,
    });
    stack = await startStack({ gateway: { store, sync, changes: bus } });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => Promise.resolve(c.dispose()))); // dispose: void | Promise<void>
    // Every test leaves no subscription behind: the next one counts from zero.
    await waitFor('subscriptions to end', () => stack.gateway.activeSubscriptions() === 0);
  });

  afterAll(async () => {
    await stack?.stop();
    await workers?.close();
    await sync?.close();
    await deleteRedisKeys(prefix);
    await store?.close();
  });

  function client(token: string | null, on: Stack = stack): Client {
    const c = createClient({
      url: wsUrlOf(on),
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      on: { closed: (e) => closes.get(c)?.push({ code: (e as Closed).code, reason: String((e as Closed).reason) }) },
    });
    closes.set(c, []);
    clients.push(c);
    return c;
  }

  function subscribe(c: Client, query: string, variables?: Record<string, unknown>): Sub {
    const it = c.iterate({ query, variables });
    const seen: any[] = [];
    const next = async () => {
      const r = await it.next();
      if (r.done) throw new Error('the subscription ended');
      return r.value;
    };
    return {
      next,
      seen,
      async until(test, what) {
        for (;;) {
          const r = await next();
          if (r.errors) throw new Error(`${what}: errors ${JSON.stringify(r.errors)}`);
          const data = Object.values(r.data ?? {})[0];
          seen.push(data);
          if (test(data)) return data;
        }
      },
      async stop() {
        await it.return?.();
      },
    };
  }

  /** Resolves once the server has `n` subscriptions with their event stream set up (listening to the bus). */
  const subscribed = (n: number, on: Stack = stack) =>
    waitFor(`${n} open subscriptions`, () => on.gateway.activeSubscriptions() >= n);

  const rejection = async (c: Client) => {
    const err = await subscribe(c, '{ __typename }')
      .next()
      .then(
        () => undefined,
        (e: unknown) => e as Closed,
      );
    return err;
  };

  it('refuses a connection without a token or with an unknown one (4401), and one whose token lacks scope read (4403)', async () => {
    const none = await rejection(client(null));
    expect(none?.code).toBe(4401);
    expect(none?.reason).toMatch(/^Unauthorized/);
    const bad = await rejection(client('not-a-token'));
    expect(bad?.code).toBe(4401);
    expect(bad?.reason).not.toContain('not-a-token');
    const syncOnly = await rejection(client(TOKENS.sync));
    expect(syncOnly?.code).toBe(4403);
    expect(syncOnly?.reason).toContain('read');
  });

  it('personChanged: a payload per change of that person only, read from Cerebrum after each event; no national id without pii', async () => {
    const tor = stack.sim.data.persons.get(SAMPLE.torTest)!;
    const saved = structuredClone(tor);
    const rename = (name: string) => {
      for (const n of tor.names) if (n.variant === 'FULL') n.name = name;
    };
    try {
      const q = `subscription ($id: ID) { personChanged(id: $id) { id kind attributes changedAt person { id name nationalId } } }`;
      const read = subscribe(client(TOKENS.read), q, { id: `cerebrum:${SAMPLE.torTest}` });
      const pii = subscribe(client(TOKENS.pii), q, { id: `cerebrum:${SAMPLE.torTest}` });
      await subscribed(2);

      // Another person's change first: the filtered subscription must skip it.
      bus.publish(change('persons', String(SAMPLE.personWithTwoAccounts)));
      rename('Tor Første');
      bus.publish(change('persons', String(SAMPLE.torTest), 'modify', ['name']));
      const first = (await read.next()).data!.personChanged;
      expect(first).toMatchObject({
        id: `cerebrum:${SAMPLE.torTest}`,
        kind: 'MODIFY',
        attributes: ['name'],
        person: { id: `cerebrum:${SAMPLE.torTest}`, name: 'Tor Første', nationalId: null },
      });
      // The same payload with scope pii shows the national id: the read token's null is the scope filter.
      const firstPii = (await pii.next()).data!.personChanged;
      expect(firstPii.person.nationalId).toMatch(/^\d{11}$/);
      expect(JSON.stringify(first)).not.toContain(firstPii.person.nationalId);

      // A second change: read again (a fresh context per event), not the first event's cached answer.
      rename('Tor Andre');
      bus.publish(change('persons', String(SAMPLE.torTest)));
      expect((await read.next()).data!.personChanged.person.name).toBe('Tor Andre');

      // Deleted: the payload says so (kind DELETE) and the person is null.
      stack.sim.data.persons.delete(SAMPLE.torTest);
      bus.publish(change('persons', String(SAMPLE.torTest), 'delete'));
      expect((await read.next()).data!.personChanged).toMatchObject({
        id: `cerebrum:${SAMPLE.torTest}`,
        kind: 'DELETE',
        person: null,
      });
    } finally {
      stack.sim.data.persons.set(SAMPLE.torTest, saved);
    }
  });

  it('personChanged without id streams every person; a unit change is not a person change', async () => {
    const all = subscribe(client(TOKENS.read), 'subscription { personChanged { id person { name } } }');
    await subscribed(1);
    bus.publish(change('ous', String(SAMPLE.usitOuId)));
    bus.publish(change('persons', `https://cerebrum.example.com/v1/persons/${SAMPLE.personWithTwoAccounts}`));
    const got = (await all.next()).data!.personChanged;
    expect(got.id).toBe(`cerebrum:${SAMPLE.personWithTwoAccounts}`);
    expect(got.person.name).toBeTruthy();
  });

  it('organisationUnitChanged: a payload per change of that unit only, with the unit as Cerebrum has it now', async () => {
    const usit = stack.sim.data.ous.get(SAMPLE.usitOuId)!;
    const saved = structuredClone(usit);
    try {
      const sub = subscribe(
        client(TOKENS.read),
        `subscription ($id: ID) { organisationUnitChanged(id: $id) { id kind organisationUnit { id name stedkode } } }`,
        {
          id: `cerebrum:ou:${SAMPLE.usitOuId}`,
        },
      );
      await subscribed(1);
      bus.publish(change('ous', String(SAMPLE.humanitiesOuId)));
      bus.publish(change('persons', String(SAMPLE.usitOuId)));
      for (const n of usit.names) if (n.variant === 'OU name') n.name = 'Nytt navn for USIT';
      bus.publish(change('ous', String(SAMPLE.usitOuId), 'modify', ['name']));
      expect((await sub.next()).data!.organisationUnitChanged).toEqual({
        id: `cerebrum:ou:${SAMPLE.usitOuId}`,
        kind: 'MODIFY',
        organisationUnit: {
          id: `cerebrum:ou:${SAMPLE.usitOuId}`,
          name: 'Nytt navn for USIT',
          stedkode: SAMPLE.usitStedkode,
        },
      });
    } finally {
      stack.sim.data.ous.set(SAMPLE.usitOuId, saved);
    }
  });

  it('syncJobUpdated: a job run by a BullMQ worker, RUNNING with growing progress, then SUCCEEDED with its counts', async () => {
    const gates = [deferred(), deferred(), deferred(), deferred()] as const;
    behaviour.LOS_IMPORT = async (ctx) => {
      await gates[0].promise;
      ctx.progress(0.25, 'a quarter');
      await gates[1].promise;
      ctx.progress(0.5, 'half');
      await gates[2].promise;
      ctx.progress(0.75, 'three quarters');
      await gates[3].promise;
      return { result: { ...ZERO, created: 4, updated: 2 }, message: 'imported 2 files' };
    };
    const job = await sync.start('LOS_IMPORT');
    // A failing expectation must not leave the sync held (the workers could not close).
    const release = () => gates.forEach((g) => g.resolve());
    try {
      const sub = subscribe(
        client(TOKENS.read),
        `subscription ($id: ID) { syncJobUpdated(id: $id) { id kind state progress message result { created updated } } }`,
        {
          id: `sync:${job.id}`,
        },
      );
      // First the job as it is now, then RUNNING as soon as a worker has it (before any progress of the sync).
      const now = await sub.until(() => true, 'the current state');
      expect(now).toMatchObject({ id: `sync:${job.id}`, kind: 'LOS_IMPORT', progress: 0 });
      expect(['QUEUED', 'RUNNING']).toContain(now.state);
      if (now.state === 'QUEUED') await sub.until((j) => j.state === 'RUNNING', 'RUNNING');
      gates[0].resolve();
      await sub.until((j) => j.progress === 0.25, 'progress 0.25');
      gates[1].resolve();
      await sub.until((j) => j.progress === 0.5, 'progress 0.5');
      gates[2].resolve();
      await sub.until((j) => j.progress === 0.75 && j.message === 'three quarters', 'progress 0.75');
      gates[3].resolve();
      const done = await sub.until((j) => j.state === 'SUCCEEDED', 'SUCCEEDED');
      expect(done).toEqual({
        id: `sync:${job.id}`,
        kind: 'LOS_IMPORT',
        state: 'SUCCEEDED',
        progress: 1,
        message: 'imported 2 files',
        result: { created: 4, updated: 2 },
      });
      // What it saw only ever grew; each payload differs from the one before.
      const progress = sub.seen.map((j) => j.progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      for (let i = 1; i < sub.seen.length; i++) expect(sub.seen[i]).not.toEqual(sub.seen[i - 1]);
      // And it is what syncJob(id:) answers.
      const { body } = await stack.gql(
        `query ($id: ID!) { syncJob(id: $id) { id kind state progress message result { created updated } } }`,
        { id: `sync:${job.id}` },
      );
      expect(body.data.syncJob).toEqual(done);
    } finally {
      release();
    }
  });

  it('syncJobUpdated: a queued job cancelled ends CANCELLED for the subscriber', async () => {
    const job = await sync.start('CRISTIN_EXPORT'); // no worker here runs this kind: it stays QUEUED
    const sub = subscribe(client(TOKENS.read), `subscription ($id: ID) { syncJobUpdated(id: $id) { state message } }`, {
      id: job.id,
    });
    expect(await sub.until(() => true, 'the current state')).toEqual({ state: 'QUEUED', message: null });
    await sync.cancel(job.id);
    expect(await sub.until((j) => j.state !== 'QUEUED', 'the cancel')).toEqual({
      state: 'CANCELLED',
      message: 'Cancelled before it started.',
    });
  });

  it('syncJobUpdated for an unknown job is bad input', async () => {
    const r = await subscribe(
      client(TOKENS.read),
      `subscription { syncJobUpdated(id: "sync:${randomUUID()}") { id } }`,
    ).next();
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/no sync job/);
  });

  it('applies the query limits to subscription documents and serves only subscriptions over WebSocket', async () => {
    const limits = loadConfig({}, { mode: 'serve' });
    const c = client(TOKENS.read);
    const aliases = Array.from({ length: limits.maxAliases + 1 }, (_, i) => `a${i}: id`).join(' ');
    const tooManyAliases = await subscribe(c, `subscription { personChanged { ${aliases} } }`)
      .next()
      .catch((e) => e);
    expect(JSON.stringify(tooManyAliases)).toContain('MAX_ALIASES');
    let deep = 'name';
    for (let i = 0; i < limits.maxDepth; i++) deep = `sameAs { ${deep} }`;
    const tooDeep = await subscribe(c, `subscription { personChanged { person { ${deep} } } }`)
      .next()
      .catch((e) => e);
    expect(JSON.stringify(tooDeep)).toContain('MAX_QUERY_DEPTH');
    const aQuery = await subscribe(c, '{ __typename }')
      .next()
      .catch((e) => e);
    expect(JSON.stringify(aQuery)).toMatch(/Only subscriptions are served over WebSocket.*BAD_USER_INPUT/);
    // And a subscription sent over HTTP is bad input that says where to send it.
    const overHttp = await stack.gql('subscription { personChanged { id } }', {}, TOKENS.read);
    expect(overHttp.status).toBe(400);
    expect(overHttp.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(overHttp.body.errors[0].message).toMatch(/WebSocket \(graphql-ws/);
  });

  it('closes every socket when the server stops, and the stop completes', async () => {
    const other = await startStack({ gateway: { store, sync, changes: bus } });
    try {
      const c = client(TOKENS.read, other);
      const sub = subscribe(c, 'subscription { personChanged { id } }');
      await subscribed(1, other);
      const ended = sub.next().then(
        () => 'payload',
        () => 'closed',
      );
      await other.stop();
      expect(await ended).toBe('closed');
      expect(closes.get(c)).toEqual([{ code: 1001, reason: 'Going away' }]);
      expect(other.gateway.activeSubscriptions()).toBe(0);
    } finally {
      await other.stop();
    }
  });
});
