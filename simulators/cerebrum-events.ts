/**
 * What Cerebrum's event publisher does (../shared/specs/cerebrum-events.md), for the simulator: SCIM event messages
 * on a durable topic exchange, persistent, with publisher confirms, routing key
 * `no.uio.cerebrum.scim.<entity_type>.<event>`; the body JSON, or a compact JWS (HS256) when a secret is given.
 */
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { SignJWT } from 'jose';

export interface SimEventSpec {
  resourceType: 'persons' | 'accounts' | 'groups' | 'ous';
  ref: string;
  kind: 'create' | 'modify' | 'delete' | 'add' | 'remove' | 'activate' | 'deactivate' | 'password';
  attributes: string[];
  objects?: string[];
  /** Seconds since the epoch. */
  nbf?: number;
}

export const ROUTING_PREFIX = 'no.uio.cerebrum.scim';

/** The SCIM event payload for one change, as Cerebrum builds it. */
export function scimPayload(baseUrl: string, e: SimEventSpec, jti: string = randomUUID()): Record<string, unknown> {
  const uri = `urn:ietf:params:event:SCIM:${e.kind}`;
  const detail: Record<string, unknown> = {};
  if (e.attributes.length) detail.attributes = e.attributes;
  if (e.objects?.length) detail.object = e.objects;
  return {
    jti,
    eventUris: [uri],
    iat: Math.floor(Date.now() / 1000),
    ...(e.nbf !== undefined ? { nbf: e.nbf } : {}),
    iss: 'Cerebrum',
    aud: e.resourceType === 'persons' ? ['CIM_person', 'LDAP_person'] : ['AD_account'],
    sub: `${baseUrl}/v1/${e.resourceType}/${encodeURIComponent(e.ref)}`,
    resourceType: e.resourceType,
    ...(Object.keys(detail).length ? { [uri]: detail } : {}),
  };
}

export interface CerebrumEventPublisher {
  exchange: string;
  /** Publishes one message per change (confirmed by the broker); resolves the payloads sent. */
  publish(baseUrl: string, events: SimEventSpec[]): Promise<Record<string, unknown>[]>;
  /** Publishes a raw body (tests: malformed or hand-made messages). */
  publishRaw(body: string | Buffer, routingKey?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startCerebrumEventPublisher(o: {
  url: string;
  exchange: string;
  jwtSecret?: string;
}): Promise<CerebrumEventPublisher> {
  const conn: ChannelModel = await amqp.connect(o.url);
  conn.on('error', () => undefined); // a broker restart surfaces as a failed publish
  const ch: ConfirmChannel = await conn.createConfirmChannel();
  await ch.assertExchange(o.exchange, 'topic', { durable: true });
  const send = (key: string, body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      ch.publish(o.exchange, key, body, { persistent: true, contentType: 'application/json' }, (err) =>
        err ? reject(err instanceof Error ? err : new Error(`publishing ${key} failed: ${String(err)}`)) : resolve(),
      );
    });
  return {
    exchange: o.exchange,
    async publish(baseUrl, events) {
      const out: Record<string, unknown>[] = [];
      for (const e of events) {
        const payload = scimPayload(baseUrl, e);
        const body = o.jwtSecret
          ? await new SignJWT(payload)
              .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
              .sign(new TextEncoder().encode(o.jwtSecret))
          : JSON.stringify(payload);
        await send(`${ROUTING_PREFIX}.${e.resourceType}.${e.kind}`, Buffer.from(body));
        out.push(payload);
      }
      return out;
    },
    publishRaw: (body, key = `${ROUTING_PREFIX}.persons.modify`) =>
      send(key, Buffer.isBuffer(body) ? body : Buffer.from(body)),
    async close() {
      await conn.close().catch(() => undefined);
    },
  };
}
