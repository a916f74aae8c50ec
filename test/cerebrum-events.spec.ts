/**
 * Issue 13 items 1, 2, 5: Cerebrum change events over the real RabbitMQ (127.0.0.1:5672) keep the cross-request cache
 * true. Each test has its own exchange; the gateway's queue is exclusive and auto-delete, the exchange is deleted.
 */
import { registry } from '../core/metrics';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CerebrumClient } from '../datasources/cerebrum/client';
import { CerebrumCache } from '../datasources/cerebrum/cache';
import { SignJWT } from 'jose';
import { scimPayload } from '../simulators/cerebrum-events';
import { startCerebrumSimulator } from '../simulators/cerebrum';
import { startStack, type Stack } from './helpers/gateway';
import { loadConfig } from '../core/config';
import {
  brokerCloses,
  changeSeen,
  deleteExchange,
  mutate,
  mutateAndApply,
  queueSeenFromOutside,
  scratchVhost,
  startEventStack,
  stateReached,
  uniqueExchange,
} from './helpers/events';
import { first } from './helpers/defined';

const TOR = 'cerebrum:85073';
const PERSON = `query P($id: ID!) { person(id: $id) { name accounts { name primaryEmail } affiliations { organisationUnit { id name } } } }`;

let stack: Stack | undefined;
let exchange = '';

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  if (exchange) await deleteExchange(exchange);
  exchange = '';
});

/** Queries twice; the second answer must come from the cache (no upstream request). */
async function cachedRead(s: Stack, id = TOR) {
  const first = await s.gql(PERSON, { id });
  expect(first.body.errors).toBeUndefined();
  const again = await s.gql(PERSON, { id });
  expect(s.lastStats()!.requests).toBe(0);
  expect(again.body).toEqual(first.body);
  return first.body.data.person;
}

async function read(s: Stack, id = TOR) {
  const r = await s.gql(PERSON, { id });
  expect(r.body.errors).toBeUndefined();
  return r.body.data.person;
}

/** Publishes a marker event and waits for it: everything published before it on the queue has been handled. */
async function drained(s: Stack): Promise<void> {
  const payload = scimPayload(s.sim.url, {
    resourceType: 'groups',
    ref: 'drain-marker',
    kind: 'modify',
    attributes: [],
  });
  const seen = changeSeen(s.gateway.cerebrumLive!.bus, payload.jti as string);
  await s.sim.events!.publishRaw(JSON.stringify(payload), 'no.uio.cerebrum.scim.groups.modify');
  await seen;
}

describe('Cerebrum change events keep the cache true', () => {
  test('a person event invalidates the person (a lost event would leave the cached name)', async () => {
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('person')) });
    expect((await cachedRead(stack)).name).toBe('Tor Test');
    // Without an event the cache keeps answering the old name: this is what the events are for.
    await mutate(stack, { op: 'person.name', person: 85073, last: 'Silent', publish: false });
    expect((await read(stack)).name).toBe('Tor Test');
    await mutateAndApply(stack, { op: 'person.name', person: 85073, last: 'Tester' });
    expect((await read(stack)).name).toBe('Tor Tester');
    expect(stack.lastStats()!.requests).toBeGreaterThan(0);
    expect((await cachedRead(stack)).name).toBe('Tor Tester');
  });

  test("an account event invalidates the owner's account list and the primary e-mail", async () => {
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('account')) });
    const before = await cachedRead(stack);
    expect(before.accounts.map((a: { name: string }) => a.name)).toEqual(['torte']);
    await mutateAndApply(stack, { op: 'account.email', account: 'torte', email: 'tor.new@example.org' });
    expect((await read(stack)).accounts).toEqual([{ name: 'torte', primaryEmail: 'tor.new@example.org' }]);
    // A new account: no cached answer names it, so its owner is learnt from nothing cached — every list goes.
    await cachedRead(stack);
    await mutateAndApply(stack, { op: 'account.create', account: 'tortest2', owner: 85073, email: 't2@example.org' });
    expect((await read(stack)).accounts.map((a: { name: string }) => a.name)).toEqual(['torte', 'tortest2']);
    // Deleting: the cached list names the account (the reverse index account → owner).
    await cachedRead(stack);
    await mutateAndApply(stack, { op: 'account.delete', account: 'torte' });
    expect((await read(stack)).accounts.map((a: { name: string }) => a.name)).toEqual(['tortest2']);
  });

  test("an OU event invalidates the persons' OU views", async () => {
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('ou')) });
    const before = await cachedRead(stack);
    const ou = before.affiliations[0].organisationUnit;
    const ouId = ou.id.split(':').pop();
    await mutateAndApply(stack, { op: 'ou.name', ou: Number(ouId), name: 'Renamed unit' });
    const after = await read(stack);
    expect(after.affiliations.find((a: any) => a.organisationUnit.id === ou.id).organisationUnit.name).toBe(
      'Renamed unit',
    );
    expect(after.name).toBe('Tor Test');
  });

  test('duplicates are applied once; reordered events across subjects all apply; a delete for an unknown subject is harmless', async () => {
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('dup')) });
    const consumer = stack.gateway.cerebrumLive!.consumer!;
    await cachedRead(stack);
    const ev = await mutateAndApply(stack, { op: 'person.name', person: 85073, last: 'One' });
    expect((await cachedRead(stack)).name).toBe('Tor One');
    // The same message again (at-least-once delivery): de-duplicated on jti, so it invalidates nothing.
    await mutate(stack, { op: 'person.name', person: 85073, last: 'Two', publish: false });
    await stack.sim.events!.publishRaw(JSON.stringify(ev));
    await drained(stack);
    expect(consumer.counters.duplicates).toBe(1);
    expect((await read(stack)).name).toBe('Tor One');

    // Two subjects, events published in the opposite order of the changes, plus a delete nobody cached.
    const other = 'cerebrum:101004';
    await cachedRead(stack, other);
    await mutate(stack, { op: 'person.name', person: 85073, last: 'Three', publish: false });
    await mutate(stack, { op: 'person.name', person: 101004, last: 'Later', publish: false });
    const late = scimPayload(stack.sim.url, {
      resourceType: 'persons',
      ref: '101004',
      kind: 'modify',
      attributes: ['name'],
    });
    const early = scimPayload(stack.sim.url, {
      resourceType: 'persons',
      ref: '85073',
      kind: 'modify',
      attributes: ['name'],
    });
    const ghost = scimPayload(stack.sim.url, {
      resourceType: 'persons',
      ref: '999999999',
      kind: 'delete',
      attributes: [],
    });
    for (const p of [late, ghost, early]) await stack.sim.events!.publishRaw(JSON.stringify(p));
    await drained(stack);
    expect((await read(stack)).name).toBe('Tor Three');
    expect((await read(stack, other)).name).toMatch(/ Later$/);
    expect(consumer.counters.refused).toBe(0);
  });

  test('the cache and the consumer count into the Prometheus registry (hits, misses, events by outcome, lag)', async () => {
    const value = async (name: string, labels: Record<string, string>) => {
      const m = (await registry.getSingleMetric(name)?.get())?.values ?? [];
      const hit = m.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
      return hit?.value ?? 0;
    };
    const before = {
      hits: await value('idbro_cache_hits_total', { source: 'CEREBRUM', cache: 'rest' }),
      misses: await value('idbro_cache_misses_total', { source: 'CEREBRUM', cache: 'rest' }),
      ok: await value('idbro_events_consumed_total', { source: 'CEREBRUM', outcome: 'ok' }),
      refused: await value('idbro_events_consumed_total', { source: 'CEREBRUM', outcome: 'refused' }),
    };
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('metrics')) });
    await cachedRead(stack);
    expect(await value('idbro_cache_misses_total', { source: 'CEREBRUM', cache: 'rest' })).toBeGreaterThan(
      before.misses,
    );
    expect(await value('idbro_cache_hits_total', { source: 'CEREBRUM', cache: 'rest' })).toBeGreaterThan(before.hits);
    await stack.sim.events!.publishRaw('not json');
    await mutateAndApply(stack, { op: 'person.name', person: 85073, last: 'Counted' });
    expect(await value('idbro_events_consumed_total', { source: 'CEREBRUM', outcome: 'ok' })).toBeGreaterThan(
      before.ok,
    );
    expect(await value('idbro_events_consumed_total', { source: 'CEREBRUM', outcome: 'refused' })).toBe(
      before.refused + 1,
    );
    const lag = await value('idbro_event_consumer_lag_seconds', { source: 'CEREBRUM' });
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(3600);
  });

  test('malformed messages are acknowledged, counted and logged without their content; the consumer goes on', async () => {
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('bad')) });
    const consumer = stack.gateway.cerebrumLive!.consumer!;
    await stack.sim.events!.publishRaw('not json 01017012345');
    await stack.sim.events!.publishRaw(JSON.stringify({ jti: 'x', fnr: '01017012345' }));
    await stack.sim.events!.publishRaw(
      JSON.stringify({
        ...scimPayload(stack.sim.url, { resourceType: 'persons', ref: '1', kind: 'modify', attributes: [] }),
        sub: 'https://x/01017012345',
      }),
    );
    await stack.sim.events!.publishRaw('eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln');
    await drained(stack);
    expect(consumer.counters.refused).toBe(4);
    expect(consumer.counters.refusedBy).toEqual({ 'not-json': 2, 'not-a-scim-event': 1, 'bad-subject': 1 });
    // Acked, not requeued: exactly the five messages sent were received (a redelivery would count again).
    expect(consumer.counters.received).toBe(5);
    expect(stack.logs.filter((l) => l.includes('message refused'))).toHaveLength(4);
    expect(stack.logs.join('')).not.toContain('01017012345');
    expect(consumer.state).toBe('connected');
  });

  test('with an HS256 key only verifying JWTs are accepted', async () => {
    const secret = 'a-shared-secret-of-at-least-32-bytes!';
    stack = await startEventStack({
      exchange: (exchange = uniqueExchange('hs')),
      jwtSecret: secret,
      gatewayJwtKey: secret,
    });
    const consumer = stack.gateway.cerebrumLive!.consumer!;
    await cachedRead(stack);
    // The simulator signs with the right secret: applied.
    await mutateAndApply(stack, { op: 'person.name', person: 85073, last: 'Signed' });
    expect((await cachedRead(stack)).name).toBe('Tor Signed');
    // Wrong secret, and a plain JSON body: both refused, nothing invalidated.
    await mutate(stack, { op: 'person.name', person: 85073, last: 'Forged', publish: false });
    const forged = scimPayload(stack.sim.url, {
      resourceType: 'persons',
      ref: '85073',
      kind: 'modify',
      attributes: ['name'],
    });
    await stack.sim.events!.publishRaw(
      await new SignJWT(forged)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('another-secret-another-secret-xx')),
    );
    await stack.sim.events!.publishRaw(JSON.stringify({ ...forged, jti: `${String(forged.jti)}-plain` }));
    const marker = scimPayload(stack.sim.url, { resourceType: 'groups', ref: 'm', kind: 'modify', attributes: [] });
    const seen = changeSeen(stack.gateway.cerebrumLive!.bus, marker.jti as string);
    await stack.sim.events!.publishRaw(
      await new SignJWT(marker).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret)),
    );
    await seen;
    expect(consumer.counters.refusedBy).toEqual({ unverified: 1, unsigned: 1 });
    expect((await read(stack)).name).toBe('Tor Signed');
  });

  test('without a key, a compact JWT body is read (not verified) like a JSON one', async () => {
    stack = await startEventStack({
      exchange: (exchange = uniqueExchange('jwt')),
      jwtSecret: 'signer-only-secret-signer-only-secret',
    });
    await cachedRead(stack);
    await mutateAndApply(stack, { op: 'person.name', person: 85073, last: 'Jwt' });
    expect((await read(stack)).name).toBe('Tor Jwt');
  });

  test('with a PEM public key, an RS256 JWT from the matching private key is accepted and another key is refused', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('pem')), gatewayJwtKey: pem });
    const consumer = stack.gateway.cerebrumLive!.consumer!;
    await cachedRead(stack);
    await mutate(stack, { op: 'person.name', person: 85073, last: 'Rsa', publish: false });
    const bad = scimPayload(stack.sim.url, {
      resourceType: 'persons',
      ref: '85073',
      kind: 'modify',
      attributes: ['name'],
    });
    await stack.sim.events!.publishRaw(
      await new SignJWT(bad).setProtectedHeader({ alg: 'RS256' }).sign(stranger.privateKey),
    );
    const good = scimPayload(stack.sim.url, {
      resourceType: 'persons',
      ref: '85073',
      kind: 'modify',
      attributes: ['name'],
    });
    const seen = changeSeen(stack.gateway.cerebrumLive!.bus, good.jti as string);
    await stack.sim.events!.publishRaw(
      await new SignJWT(good).setProtectedHeader({ alg: 'RS256' }).sign(pair.privateKey),
    );
    await seen;
    expect(consumer.counters.refusedBy).toEqual({ unverified: 1 });
    expect((await read(stack)).name).toBe('Tor Rsa');
  });

  test('an event with nbf in the future is scheduled, applied at nbf and not before', async () => {
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('nbf')) });
    const consumer = stack.gateway.cerebrumLive!.consumer!;
    await cachedRead(stack);
    const nbf = Math.floor(Date.now() / 1000) + 4;
    const ev = first(await mutate(stack, { op: 'person.name', person: 85073, last: 'Later', nbf }));
    const applied = changeSeen(stack.gateway.cerebrumLive!.bus, ev.jti);
    await drained(stack);
    expect(consumer.counters.scheduled).toBe(1);
    const change = await applied;
    expect(Date.now()).toBeGreaterThanOrEqual(nbf * 1000);
    expect(change.notBefore?.getTime()).toBe(nbf * 1000);
    expect((await read(stack)).name).toBe('Tor Later');
  });

  test('a lost connection bypasses the cache, reconnecting clears it, then it is live again; /readyz reports it', async () => {
    // A vhost of its own, so that the broker can refuse the consumer's reconnects for a while (and nobody else's).
    const vhost = await scratchVhost();
    try {
      // READINESS_CACHE_MS=0: /readyz probes on every call, so it shows the disconnect at once.
      stack = await startEventStack({
        exchange: (exchange = uniqueExchange('lost')),
        url: vhost.url,
        env: { READINESS_CACHE_MS: '0' },
      });
      const consumer = stack.gateway.cerebrumLive!.consumer!;
      const firstQueue = consumer.queue!;
      expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);
      await cachedRead(stack);
      await vhost.refuse();
      const down = stateReached(consumer, 'disconnected');
      await brokerCloses(consumer.connectionName);
      await down;
      const ready = await fetch(`${stack.url}/readyz`);
      expect(ready.status).toBe(503);
      const { checks } = (await ready.json()) as { checks: { name: string; ok: boolean; message?: string }[] };
      expect(checks.find((c) => c.name === 'cerebrum-events')).toMatchObject({
        ok: false,
        message: expect.stringContaining('CEREBRUM_EVENTS_URL'),
      });
      // While disconnected every read goes upstream, and a change whose event is lost shows at once.
      await mutate(stack, { op: 'person.name', person: 85073, last: 'Unannounced', publish: false });
      for (let i = 0; i < 2; i++) {
        expect((await read(stack)).name).toBe('Tor Unannounced');
        expect(stack.lastStats()!.requests).toBeGreaterThan(0);
      }
      await vhost.allow();
      await stateReached(consumer, 'connected');
      expect(consumer.queue).not.toBe(firstQueue);
      // Cleared on reconnect: the first read goes upstream; then the cache serves again, and events apply again.
      await read(stack);
      expect(stack.lastStats()!.requests).toBeGreaterThan(0);
      expect((await cachedRead(stack)).name).toBe('Tor Unannounced');
      expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);
      await mutateAndApply(stack, { op: 'person.name', person: 85073, last: 'Live' });
      expect((await read(stack)).name).toBe('Tor Live');
      await stack.stop();
      stack = undefined;
    } finally {
      exchange = '';
      await vhost.remove();
    }
  }, 120_000);

  test('each process binds its own exclusive queue, deleted when it stops', async () => {
    stack = await startEventStack({ exchange: (exchange = uniqueExchange('queue')) });
    const queue = stack.gateway.cerebrumLive!.consumer!.queue!;
    expect(queue).toMatch(/^idbro\.cache\./);
    expect(await queueSeenFromOutside(queue)).toBe('exclusive');
    await stack.stop();
    stack = undefined;
    expect(await queueSeenFromOutside(queue)).toBe('missing');
  });
});

describe('Cerebrum cache and events settings', () => {
  const base = { CEREBRUM_URL: 'http://127.0.0.1:1' };

  test('the cache is on by default with events (900 s), off without them unless CEREBRUM_CACHE_TTL_S is set', () => {
    expect(loadConfig(base).cerebrumCacheTtlS).toBeUndefined();
    const withEvents = loadConfig({ ...base, CEREBRUM_EVENTS_URL: 'amqp://u:p@127.0.0.1:5672' });
    expect(withEvents.cerebrumCacheTtlS).toBe(900);
    expect(withEvents.cerebrumEvents).toEqual({
      url: 'amqp://u:p@127.0.0.1:5672',
      exchange: 'cerebrum',
      binding: '#',
      jwtKey: undefined,
    });
    expect(loadConfig({ ...base, CEREBRUM_CACHE_TTL_S: '30' }).cerebrumCacheTtlS).toBe(30);
    expect(
      loadConfig({ ...base, CEREBRUM_EVENTS_URL: 'amqp://127.0.0.1', CEREBRUM_CACHE_TTL_S: '0' }).cerebrumCacheTtlS,
    ).toBeUndefined();
    expect(loadConfig(base).cerebrumCacheMaxEntries).toBe(50_000);
  });

  test('malformed settings name the variable and never echo a secret', () => {
    expect(() => loadConfig({ ...base, CEREBRUM_EVENTS_URL: 'http://x' })).toThrow(/CEREBRUM_EVENTS_URL/);
    const badPem = '-----BEGIN PUBLIC KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PUBLIC KEY-----';
    let message = '';
    try {
      loadConfig({ ...base, CEREBRUM_EVENTS_URL: 'amqp://127.0.0.1', CEREBRUM_EVENTS_JWT_KEY: badPem });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^CEREBRUM_EVENTS_JWT_KEY/);
    expect(message).not.toContain('c2VjcmV0');
    expect(() => loadConfig({ ...base, CEREBRUM_CACHE_MAX_ENTRIES: '0' })).toThrow(/CEREBRUM_CACHE_MAX_ENTRIES/);
  });

  test('without events a TTL-only cache serves repeated reads, bounded by CEREBRUM_CACHE_MAX_ENTRIES', async () => {
    stack = await startStack({ env: { CEREBRUM_CACHE_TTL_S: '60', CEREBRUM_CACHE_MAX_ENTRIES: '100' } });
    await cachedRead(stack);
    expect(stack.gateway.cerebrumLive!.cache!.size).toBeLessThanOrEqual(100);
    await stack.stop();
    stack = await startStack({ env: { CEREBRUM_CACHE_TTL_S: '60', CEREBRUM_CACHE_MAX_ENTRIES: '2' } });
    await read(stack);
    expect(stack.gateway.cerebrumLive!.cache!.size).toBe(2);
    await read(stack);
    expect(stack.lastStats()!.requests).toBeGreaterThan(0); // most of it was evicted
  });
});

describe('Cerebrum simulator mutations', () => {
  test('POST /__mutate changes the data and answers the events (400 for an unknown op; nothing published without events)', async () => {
    const sim = await startCerebrumSimulator({ apiKey: 'k' });
    try {
      const post = (body: unknown) =>
        fetch(`${sim.url}/__mutate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const bad = await post({ op: 'person.fly' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/unknown "op"/);
      const ok = await post({ op: 'account.email', account: 'torte', email: 'x@example.org' });
      const body = (await ok.json()) as { published: boolean; events: Record<string, unknown>[] };
      expect(body.published).toBe(false);
      expect(body.events).toEqual([
        expect.objectContaining({
          eventUris: ['urn:ietf:params:event:SCIM:modify'],
          sub: `${sim.url}/v1/accounts/torte`,
          resourceType: 'accounts',
          'urn:ietf:params:event:SCIM:modify': { attributes: ['email'] },
        }),
      ]);
      const account = await fetch(`${sim.url}/v1/accounts/torte`, { headers: { 'X-API-Key': 'k' } });
      expect(((await account.json()) as { primary_email: string }).primary_email).toBe('x@example.org');
    } finally {
      await sim.stop();
    }
  });
});

describe('Cerebrum cache and answers in flight', () => {
  test('an answer fetched across an invalidation of its resource is returned but not cached', async () => {
    // A one-route Cerebrum that answers only when told to: the answer is read before the change, delivered after.
    let served = 0;
    let release: (() => void) | undefined;
    const arrived: Array<() => void> = [];
    const server = http.createServer((req, res) => {
      served++;
      const body = JSON.stringify({
        href: '',
        id: 1,
        birth_date: null,
        names: [{ variant: 'FIRST', name: `v${served}` }],
      });
      const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      if (served === 1) {
        release = send;
        arrived.splice(0).forEach((f) => f());
      } else send();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new CerebrumClient({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      retries: 0,
    });
    const cache = new CerebrumCache({ ttlMs: 60_000, maxEntries: 100, live: true });
    const reader = cache.wrap(client);
    try {
      const inFlight = reader.getOrNull<{ names: { name: string }[] }>('/persons/1');
      if (!release) await new Promise<void>((r) => arrived.push(r));
      cache.apply({
        jti: 'j1',
        kind: 'modify',
        resourceType: 'persons',
        ref: '1',
        attributes: ['name'],
        objects: [],
        issuedAt: new Date(),
      });
      release!();
      expect(first((await inFlight)!.names).name).toBe('v1');
      expect(cache.size).toBe(0);
      expect(first((await reader.getOrNull<{ names: { name: string }[] }>('/persons/1'))!.names).name).toBe('v2');
      expect(first((await reader.getOrNull<{ names: { name: string }[] }>('/persons/1'))!.names).name).toBe('v2');
      expect(served).toBe(2);
    } finally {
      client.close();
      await new Promise((r) => server.close(r));
    }
  });
});
