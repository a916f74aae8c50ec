/**
 * The Cerebrum change-event consumer of one API process (issue 13; ../shared/specs/cerebrum-events.md): binds its
 * own exclusive, auto-delete queue to the topic exchange, so every process sees every change, and publishes each
 * accepted message to a ChangeBus. What a process misses while it is away needs no queue: its cache is cleared on
 * reconnect (see cache.ts).
 *
 * Every delivered message is acknowledged exactly once, whatever it holds: a malformed, unverifiable or duplicate
 * message is counted, logged by reason (never its content: it may hold personal data) and dropped — a nack would
 * only bring it back, a redelivery storm. Messages with a future `nbf` are scheduled, not dropped.
 */
import { eventConsumerLag, eventsConsumed } from '../../../core/metrics';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Logger } from '../../../core/logger';
import type { ChangeBus, CerebrumChange } from './change';
import { parseMessage, verifierFor, type RefusalReason, type Verifier } from './parse';

export interface EventConsumerOptions {
  url: string;
  exchange: string;
  binding: string;
  jwtKey?: string;
  /** Where accepted changes go (the cache, subscriptions). Either this or `sink`. */
  bus?: ChangeBus;
  /**
   * A durable consumer's store (the worker's incremental Cristin export): each accepted change is awaited, and
   * the message acknowledged only after it resolves — a change is never acked before it is committed. When it
   * rejects (store down) the connection is dropped, the broker keeps the message and redelivers it after the
   * reconnect backoff. A future `nbf` is the sink's to honour (the message is not held in memory).
   */
  sink?: (change: CerebrumChange) => Promise<void>;
  /**
   * The queue. Default: an exclusive, auto-delete queue of this process (`idbro.cache.<host>.<pid>.<id>`). A named
   * durable, non-exclusive queue outlives the connection: changes that arrive while nobody consumes are kept.
   */
  queue?: { name: string; durable: boolean; exclusive: boolean };
  logger?: Logger;
  /** First reconnect delay; doubled per failed attempt up to maxBackoffMs, with ±50% jitter. Default 500 ms. */
  backoffMs?: number;
  /** Default 30 000 ms. */
  maxBackoffMs?: number;
  /** jti values remembered for de-duplication (oldest forgotten first). Default 100 000. */
  dedupSize?: number;
}

export type ConsumerState = 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface ConsumerCounters {
  received: number;
  applied: number;
  duplicates: number;
  scheduled: number;
  refused: number;
  refusedBy: Partial<Record<RefusalReason, number>>;
  reconnects: number;
}

export class CerebrumEventConsumer {
  state: ConsumerState = 'connecting';
  /** The queue of the current connection, for logs and tests. */
  queue?: string;
  /** Shown by the broker (rabbitmqctl list_connections client_properties): host, pid and an instance id. */
  readonly connectionName = `idbro ${hostname()} pid ${process.pid} ${randomUUID().slice(0, 8)}`;
  readonly counters: ConsumerCounters = {
    received: 0,
    applied: 0,
    duplicates: 0,
    scheduled: 0,
    refused: 0,
    refusedBy: {},
    reconnects: 0,
  };
  private conn?: ChannelModel;
  private channel?: Channel;
  private readonly verifier?: Verifier;
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private lastError?: string;
  private readonly stateListeners = new Set<(s: ConsumerState) => void>();
  /** Messages are handled one after another, in queue order (verifying a JWT is asynchronous). */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: EventConsumerOptions) {
    this.verifier = verifierFor(o.jwtKey);
  }

  /** Starts connecting; never throws (a failed connection is retried with backoff). */
  start(): void {
    void this.connect();
  }

  /** Calls listener on every state change; returns the unsubscribe function. */
  onState(listener: (s: ConsumerState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** For /readyz: throws while the consumer has no live connection. */
  check(): Promise<void> {
    if (this.state !== 'connected') {
      return Promise.reject(
        new Error(
          `Cerebrum events: ${this.state}${this.lastError ? ` (${this.lastError})` : ''}; check CEREBRUM_EVENTS_URL — the Cerebrum cache is bypassed meanwhile`,
        ),
      );
    }
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    clearTimeout(this.retryTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const conn = this.conn;
    this.conn = undefined;
    this.channel = undefined;
    // Closing the connection deletes the exclusive, auto-delete queue with it.
    await conn?.close().catch(() => undefined);
  }

  private setState(s: ConsumerState): void {
    if (this.state === s || (this.state === 'stopped' && s !== 'stopped')) return;
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private async connect(): Promise<void> {
    if (this.state === 'stopped') return;
    let conn: ChannelModel | undefined;
    try {
      conn = await amqp.connect(this.o.url, { clientProperties: { connection_name: this.connectionName } });
      conn.on('error', (e: Error) => {
        this.lastError = errorWord(e);
      });
      conn.on('close', () => this.lost(conn!));
      const ch = await conn.createChannel();
      ch.on('error', (e: Error) => {
        this.lastError = errorWord(e);
      });
      // A channel the broker closed (e.g. a queue deleted under us) ends the connection, so that we reconnect.
      ch.on('close', () => {
        if (this.channel === ch && this.state !== 'stopped') void conn!.close().catch(() => undefined);
      });
      await ch.assertExchange(this.o.exchange, 'topic', { durable: true });
      // Named for whoever reads the broker's queue list; exclusive + auto-delete: it lives as long as this connection.
      const q = this.o.queue
        ? await ch.assertQueue(this.o.queue.name, {
            exclusive: this.o.queue.exclusive,
            durable: this.o.queue.durable,
            autoDelete: !this.o.queue.durable,
          })
        : await ch.assertQueue(`idbro.cache.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`, {
            exclusive: true,
            autoDelete: true,
            durable: false,
          });
      await ch.bindQueue(q.queue, this.o.exchange, this.o.binding);
      await ch.prefetch(200);
      await ch.consume(
        q.queue,
        (msg) => {
          if (msg) this.chain = this.chain.then(() => this.handle(ch, msg)).catch(() => undefined);
        },
        { noAck: false },
      );
      if ((this.state as ConsumerState) === 'stopped') {
        await conn.close().catch(() => undefined);
        return;
      }
      this.conn = conn;
      this.channel = ch;
      this.queue = q.queue;
      this.attempt = 0;
      this.lastError = undefined;
      this.o.logger?.info(
        { exchange: this.o.exchange, binding: this.o.binding, queue: q.queue },
        'Cerebrum events: consuming',
      );
      this.setState('connected');
    } catch (e) {
      this.lastError = errorWord(e);
      await conn?.close().catch(() => undefined);
      this.retry();
    }
  }

  private lost(conn: ChannelModel): void {
    if (this.conn !== conn) return; // a half-open attempt, already handled by connect()
    this.conn = undefined;
    this.channel = undefined;
    if (this.state === 'stopped') return;
    this.o.logger?.warn(
      { reason: this.lastError ?? 'connection closed' },
      'Cerebrum events: connection lost; the cache is bypassed until it is back',
    );
    this.retry();
  }

  private retry(): void {
    if (this.state === 'stopped') return;
    this.setState('disconnected');
    const base = this.o.backoffMs ?? 500;
    const delay = Math.min(this.o.maxBackoffMs ?? 30_000, base * 2 ** this.attempt) * (0.5 + Math.random());
    this.attempt = Math.min(this.attempt + 1, 20);
    this.counters.reconnects++;
    if (this.attempt === 1 || this.attempt % 10 === 0) {
      this.o.logger?.warn(
        { reason: this.lastError, retryInMs: Math.round(delay) },
        'Cerebrum events: cannot connect to CEREBRUM_EVENTS_URL; retrying',
      );
    }
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private async handle(ch: Channel, msg: ConsumeMessage): Promise<void> {
    this.counters.received++;
    let parsed;
    try {
      parsed = await parseMessage(msg.content, this.verifier);
    } catch {
      parsed = { ok: false as const, reason: 'not-a-scim-event' as const };
    }
    if (parsed.ok && this.o.sink) {
      try {
        await this.o.sink(parsed.change);
      } catch (e) {
        // Not acked: dropping the connection hands the message (and those after it) back to the broker.
        this.lastError = `sink: ${errorWord(e)}`;
        this.o.logger?.warn(
          { reason: this.lastError },
          'Cerebrum events: could not record a change; reconnecting so that the broker redelivers it',
        );
        await this.conn?.close().catch(() => undefined);
        return;
      }
      this.counters.applied++;
    }
    try {
      ch.ack(msg);
    } catch {
      // The channel closed under us: the broker redelivers to nobody (the queue goes with the connection).
    }
    if (parsed.ok && this.o.sink) return;
    if (!parsed.ok) {
      this.counters.refused++;
      eventsConsumed.inc({ source: 'CEREBRUM', outcome: 'refused' });
      this.counters.refusedBy[parsed.reason] = (this.counters.refusedBy[parsed.reason] ?? 0) + 1;
      this.o.logger?.warn(
        { reason: parsed.reason, routingKey: safeKey(msg.fields.routingKey), bytes: msg.content.length },
        'Cerebrum events: message refused and dropped',
      );
      return;
    }
    const c = parsed.change;
    if (!this.remember(c.jti)) {
      this.counters.duplicates++;
      eventsConsumed.inc({ source: 'CEREBRUM', outcome: 'duplicate' });
      return;
    }
    const wait = c.notBefore ? c.notBefore.getTime() - Date.now() : 0;
    if (wait > 0) {
      // A scheduled change: Cerebrum's data changes at nbf, so acting earlier would cache the old answer again.
      this.counters.scheduled++;
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          this.apply(c);
        },
        Math.min(wait, 2 ** 31 - 1),
      );
      t.unref();
      this.timers.add(t);
      return;
    }
    this.apply(c);
  }

  private apply(c: CerebrumChange): void {
    this.counters.applied++;
    eventsConsumed.inc({ source: 'CEREBRUM', outcome: 'ok' });
    eventConsumerLag.set({ source: 'CEREBRUM' }, Math.max(0, (Date.now() - c.issuedAt.getTime()) / 1000));
    this.o.logger?.debug({ kind: c.kind, resourceType: c.resourceType, jti: c.jti }, 'Cerebrum events: change');
    this.o.bus?.publish(c);
  }

  /**
   * De-duplication on jti with bounded memory: a Set keeps insertion order, so the oldest id goes first. A duplicate
   * arrives close to its original (a redelivery), so a window of the last N ids is what matters.
   */
  private remember(jti: string): boolean {
    if (this.seen.has(jti)) return false;
    this.seen.add(jti);
    if (this.seen.size > (this.o.dedupSize ?? 100_000)) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

/** A routing key names the entity type and event, e.g. no.uio.cerebrum.scim.persons.modify: no personal data. */
function safeKey(key: string): string {
  return key.length <= 120 ? key.replace(/[^\w.*#-]/g, '?') : `${key.slice(0, 120)}…`;
}

/** An error's code or class, never its message (amqplib puts the URL, with its password, in some of them). */
function errorWord(e: unknown): string {
  const code = (e as { code?: string | number })?.code;
  if (code !== undefined) return String(code);
  const msg = String((e as Error)?.message ?? '');
  const closed = /CONNECTION_FORCED|closed via management plugin|Connection closed: (\d+)/.exec(msg);
  return closed ? closed[0] : ((e as Error)?.name ?? 'error');
}
