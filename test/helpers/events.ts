import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import type { CerebrumChange, ChangeBus } from '../../datasources/cerebrum/events/change';
import type { CerebrumEventConsumer, ConsumerState } from '../../datasources/cerebrum/events/consumer';
import { startStack, type Stack } from './gateway';
import { first } from './defined';

export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** An exchange name of its own per test, so concurrent runs (and other suites) cannot see each other's events. */
export const uniqueExchange = (tag: string) => `idbro-test.${tag}.${randomUUID().slice(0, 8)}`;

/** A gateway with events and cache, and a simulator publishing to the same exchange; resolves once consuming. */
export async function startEventStack(o: {
  exchange: string;
  url?: string;
  env?: Record<string, string>;
  jwtSecret?: string;
  gatewayJwtKey?: string;
}): Promise<Stack> {
  const url = o.url ?? AMQP_URL;
  const stack = await startStack({
    sim: { events: { url, exchange: o.exchange, jwtSecret: o.jwtSecret } },
    env: {
      CEREBRUM_EVENTS_URL: url,
      CEREBRUM_EVENTS_EXCHANGE: o.exchange,
      ...(o.gatewayJwtKey ? { CEREBRUM_EVENTS_JWT_KEY: o.gatewayJwtKey } : {}),
      ...o.env,
    },
  });
  await stateReached(stack.gateway.cerebrumLive!.consumer!, 'connected');
  return stack;
}

export function stateReached(c: CerebrumEventConsumer, want: ConsumerState): Promise<void> {
  if (c.state === want) return Promise.resolve();
  return new Promise((resolve) => {
    const off = c.onState((s) => {
      if (s === want) {
        off();
        resolve();
      }
    });
  });
}

/** Resolves with the change once the bus delivered it (the cache, subscribed first, has applied it by then). */
export function changeSeen(bus: ChangeBus, jti: string): Promise<CerebrumChange> {
  return new Promise((resolve) => {
    const off = bus.subscribe((c) => {
      if (c.jti === jti) {
        off();
        resolve(c);
      }
    });
  });
}

/** POST /__mutate on the simulator; resolves the published payloads. */
export async function mutate(stack: Stack, m: Record<string, unknown>): Promise<Record<string, any>[]> {
  const res = await fetch(`${stack.sim.url}/__mutate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(m),
  });
  const body = (await res.json()) as { events: Record<string, any>[]; message?: string };
  if (res.status !== 200) throw new Error(`mutate: ${res.status} ${body.message}`);
  return body.events;
}

/** Mutates and waits until the gateway has applied the (single) event. */
export async function mutateAndApply(stack: Stack, m: Record<string, unknown>): Promise<Record<string, any>> {
  const bus = stack.gateway.cerebrumLive!.bus;
  const seen: Promise<unknown>[] = [];
  const jtis = new Set<string>();
  const off = bus.subscribe((c) => {
    jtis.add(c.jti);
  });
  const ev = first(await mutate(stack, m), 'the events /__mutate published');
  if (!jtis.has(ev.jti)) seen.push(changeSeen(bus, ev.jti));
  await Promise.all(seen);
  off();
  return ev;
}

/** Forces the broker to close one connection, named by its client-provided connection name. */
export async function brokerCloses(connectionName: string): Promise<void> {
  const { stdout } = await rabbitmqctl('list_connections', 'pid', 'client_properties');
  const line = stdout.split('\n').find((l) => l.includes(connectionName));
  if (!line) throw new Error(`no broker connection named ${connectionName}`);
  await rabbitmqctl('close_connection', first(line.split('\t')), 'idbro test: connection lost');
}

export async function deleteExchange(name: string): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.deleteExchange(name);
  await conn.close();
}

/**
 * A queue as another connection sees it: `exclusive` (it exists and belongs to another connection: 405
 * RESOURCE_LOCKED), `missing` (404) or `open`.
 */
export async function queueSeenFromOutside(name: string): Promise<'exclusive' | 'missing' | 'open'> {
  const conn = await amqp.connect(AMQP_URL);
  conn.on('error', () => undefined);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.checkQueue(name);
    return 'open';
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code === 405) return 'exclusive';
    if (code === 404) return 'missing';
    throw e;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

const rabbitmqctl = (...args: string[]) => promisify(execFile)('rabbitmqctl', ['-q', ...args]);

/**
 * A virtual host of its own on the local broker, for tests that change permissions (refusing reconnects) without
 * touching anyone else's connections. `refuse()`/`allow()` toggle guest's access; `remove()` deletes it all.
 */
export async function scratchVhost(): Promise<{
  url: string;
  refuse(): Promise<void>;
  allow(): Promise<void>;
  remove(): Promise<void>;
}> {
  const vhost = `idbro-test-${randomUUID().slice(0, 8)}`;
  await rabbitmqctl('add_vhost', vhost);
  const allow = async () => void (await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'));
  await allow();
  return {
    url: `${AMQP_URL}/${vhost}`,
    refuse: async () => void (await rabbitmqctl('clear_permissions', '-p', vhost, 'guest')),
    allow,
    remove: async () => void (await rabbitmqctl('delete_vhost', vhost)),
  };
}
