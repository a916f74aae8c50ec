/**
 * Serves the embedded store (PGlite, one Postgres session) to the other processes on this machine over a Unix
 * socket, so `npm run serve` and `npm run worker` without DATABASE_URL share one store. The connections come from
 * `pg` (store/embedded.ts); each socket is parsed by pglite-socket's PGLiteSocketHandler.
 *
 * Why not pglite-socket's own PGLiteSocketServer: it queues single protocol messages from all connections and
 * keeps a connection's turn only while an explicit transaction is open, so the Parse/Bind/Execute/Sync of two
 * connections interleave on the one session and one binds the other's statement (electric-sql/pglite#1046,
 * #977, open for 0.2.18); one failed message also leaves its queue stuck. Here a connection takes the session
 * (SessionGate) at its first message and keeps it until PGlite answers ReadyForQuery with status Idle: a whole
 * extended-protocol batch, a whole transaction. The process that owns PGlite takes the same gate around its own
 * queries and transactions (store/pglite.ts), so nobody's statements ever run inside another's transaction.
 *
 * A connection that holds the session inside a transaction and sends nothing for `idleInTransactionTimeoutMs`
 * blocks every process: its session is ended as PostgreSQL's idle_in_transaction_session_timeout would
 * (FATAL 25P03, rolled back, connection closed). PGlite's own setting cannot be used: it hangs PGlite.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/** First come, first served ownership of the one PGlite session; the holder keeps it until it releases it. */
export class SessionGate {
  private holder: unknown = undefined;
  private waiting: { who: unknown; grant: () => void; refuse: (err: Error) => void }[] = [];

  get current(): unknown {
    return this.holder;
  }

  acquire(who: unknown): Promise<void> {
    if (this.holder === undefined) {
      this.holder = who;
      return Promise.resolve();
    }
    if (this.holder === who) return Promise.resolve();
    return new Promise((grant, refuse) => this.waiting.push({ who, grant, refuse }));
  }

  release(who: unknown): void {
    if (this.holder !== who) return;
    const next = this.waiting.shift();
    this.holder = next?.who;
    next?.grant();
  }

  /** A client that went away: its queued turns are refused instead of granted to nobody. */
  drop(who: unknown, err: Error): void {
    const mine = this.waiting.filter((w) => w.who === who);
    this.waiting = this.waiting.filter((w) => w.who !== who);
    for (const w of mine) w.refuse(err);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const me = Symbol('in-process');
    await this.acquire(me);
    try {
      return await fn();
    } finally {
      this.release(me);
    }
  }
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X'
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]); // 'S', length 4

/** A StartupMessage (no type byte; protocol 3.0 after the length). */
function isStartup(message: Uint8Array): boolean {
  return message.length >= 8 && Buffer.from(message.buffer, message.byteOffset, 8).readInt32BE(4) === 196608;
}

/** Follows the backend's messages as they stream out, to see whether the last one is ReadyForQuery and its status. */
class ReadyTracker {
  private header = Buffer.alloc(5);
  private headerLength = 0;
  private left = 0;
  private type = 0;
  private status = 0;
  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction; undefined: the answer did not end with ReadyForQuery. */
  readyStatus: string | undefined;

  push(data: Uint8Array): void {
    for (let i = 0; i < data.length;) {
      if (this.headerLength < 5) {
        this.header[this.headerLength++] = data[i++]!; // i < data.length (loop condition)
        if (this.headerLength === 5) {
          this.type = this.header[0]!; // a Buffer of 5 bytes
          this.left = this.header.readInt32BE(1) - 4;
          this.readyStatus = undefined;
          if (this.left <= 0) this.complete();
        }
        continue;
      }
      const take = Math.min(this.left, data.length - i);
      if (this.type === READY_FOR_QUERY) this.status = data[i]!; // i < data.length (loop condition)
      i += take;
      this.left -= take;
      if (this.left === 0) this.complete();
    }
  }

  private complete(): void {
    this.headerLength = 0;
    if (this.type === READY_FOR_QUERY) this.readyStatus = String.fromCharCode(this.status);
  }
}

/** The queue interface PGLiteSocketHandler calls (its own QueryQueueManager's three methods). */
class SessionQueue {
  private chains = new Map<number, Promise<unknown>>();
  private gone = new Set<number>();
  private idle: { handlerId: number; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly gate: SessionGate,
    private readonly idleInTransactionTimeoutMs: number,
    private readonly onIdleTimeout: (handlerId: number) => void,
  ) {}

  /** Messages of one connection run in arrival order (the handler may deliver two socket reads at once). */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const run = (this.chains.get(handlerId) ?? Promise.resolve()).then(() => this.exec(handlerId, message, onData));
    this.chains.set(
      handlerId,
      run.catch(() => undefined),
    );
    return run;
  }

  private async exec(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    // Terminate is the client's goodbye: its socket closes next and clearTransactionIfNeeded ends the session.
    if (this.gone.has(handlerId) || message[0] === TERMINATE) return 0;
    if (isStartup(message)) return this.startup(message, onData);
    await this.gate.acquire(handlerId);
    this.stopIdleTimer(handlerId);
    if (this.gone.has(handlerId)) {
      await this.endSession(handlerId);
      return 0;
    }
    const tracker = new ReadyTracker();
    let bytes = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            tracker.push(data);
            onData(data);
          },
        }),
      );
    } catch (err) {
      await this.endSession(handlerId);
      throw err;
    }
    if (tracker.readyStatus === 'I') this.gate.release(handlerId);
    else this.startIdleTimer(handlerId);
    return bytes;
  }

  /**
   * The start-up handshake does not wait for the session: a process must be able to connect while another one's
   * long transaction holds the store (its statements then wait, as they would inside one process). PGlite
   * answers a StartupMessage with its parameters and leaves the session as it is (tried on 0.5.15, also inside
   * an open transaction); its ReadyForQuery carries the session's status, which is not the new connection's:
   * that is always idle.
   */
  private async startup(message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const chunks: Buffer[] = [];
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(message, { onRawData: (d) => void chunks.push(Buffer.from(d)) }),
    );
    const answer = Buffer.concat(chunks);
    const tracker = new ReadyTracker();
    tracker.push(answer);
    if (tracker.readyStatus !== undefined) answer[answer.length - 1] = 0x49; // 'I'
    onData(answer);
    return answer.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.gone.add(handlerId);
    this.gate.drop(handlerId, new Error('Handler disconnected'));
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.gone.add(handlerId);
    await this.endSession(handlerId);
    this.chains.delete(handlerId);
  }

  /** Leaves the session clean for the next holder (no half batch, no open transaction) and hands it on. */
  async endSession(handlerId: number): Promise<void> {
    this.stopIdleTimer(handlerId);
    if (this.gate.current !== handlerId) return;
    try {
      if (!this.db.closed) {
        // A batch cut off before its Sync (or failed, skipping to Sync) would swallow the next client's messages.
        await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC, { onRawData: () => undefined }));
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      }
    } finally {
      this.gate.release(handlerId);
    }
  }

  private startIdleTimer(handlerId: number): void {
    if (this.idleInTransactionTimeoutMs <= 0) return;
    const timer = setTimeout(() => this.onIdleTimeout(handlerId), this.idleInTransactionTimeoutMs);
    timer.unref();
    this.idle = { handlerId, timer };
  }

  private stopIdleTimer(handlerId: number): void {
    if (this.idle?.handlerId !== handlerId) return;
    clearTimeout(this.idle.timer);
    this.idle = undefined;
  }
}

export interface EmbeddedServerOptions {
  db: PGlite;
  gate: SessionGate;
  /** The socket file; pg connects to `<dir>/.s.PGSQL.5432`, so it must be named so. */
  socketPath: string;
  /** See the module comment; 0 = never end an idle transaction. */
  idleInTransactionTimeoutMs: number;
  logger?: { warn(msg: string): void };
}

/** PostgreSQL's FATAL ErrorResponse, so the client's pg reports what happened (SQLSTATE 25P03). */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

export class EmbeddedServer {
  private readonly sockets = new Map<number, net.Socket>();
  private readonly handlers = new Set<PGLiteSocketHandler>();
  private readonly queue: SessionQueue;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly opts: EmbeddedServerOptions,
    private readonly server: net.Server,
  ) {
    this.queue = new SessionQueue(opts.db, opts.gate, opts.idleInTransactionTimeoutMs, (id) => void this.endIdle(id));
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', (err) => opts.logger?.warn(`embedded store: socket server error: ${err.message}`));
  }

  /** Listens on opts.socketPath (a stale socket file left by a killed owner is removed first). */
  static async start(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
    fs.rmSync(opts.socketPath, { force: true });
    const server = net.createServer();
    const embedded = new EmbeddedServer(opts, server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // No password on this socket: only this user may connect.
    fs.chmodSync(opts.socketPath, 0o600);
    // Serving the others does not keep a process alive that would otherwise end (as in-process PGlite does not).
    server.unref();
    return embedded;
  }

  get socketPath(): string {
    return this.opts.socketPath;
  }

  get connections(): number {
    return this.handlers.size;
  }

  private accept(socket: net.Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.unref();
    // The handler only calls enqueue / clearQueueForHandler / clearTransactionIfNeeded on its queue.
    const queryQueue = this.queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'];
    const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
    this.handlers.add(handler);
    this.sockets.set(handler.handlerId, socket);
    const forget = () => {
      this.handlers.delete(handler);
      this.sockets.delete(handler.handlerId);
    };
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    void handler.attach(socket).catch(() => socket.destroy());
  }

  private async endIdle(handlerId: number): Promise<void> {
    const socket = this.sockets.get(handlerId);
    this.opts.logger?.warn(
      `embedded store: ended a connection that stayed idle inside a transaction for more than ` +
        `DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS (${this.opts.idleInTransactionTimeoutMs} ms); its transaction was rolled back`,
    );
    this.queue.clearQueueForHandler(handlerId);
    await this.queue.endSession(handlerId).catch(() => undefined);
    if (socket && socket.writable) {
      socket.end(
        fatal(
          '25P03',
          `terminating connection due to idle-in-transaction timeout (DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = ${this.opts.idleInTransactionTimeoutMs})`,
        ),
      );
    } else {
      socket?.destroy();
    }
  }

  /** Stops accepting, ends every connection (rolling back a transaction in progress) and removes the socket. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      await Promise.all([...this.handlers].map((h) => h.detach(true).catch(() => undefined)));
      for (const socket of this.sockets.values()) socket.destroy();
      await closed;
      fs.rmSync(this.opts.socketPath, { force: true });
    })();
    return this.stopping;
  }
}
