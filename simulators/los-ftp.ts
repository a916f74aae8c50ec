/**
 * A stand-in for the Aarhus LOS FTP server: ftp-srv serving one folder on 127.0.0.1, with a user and password.
 *
 * ftp-srv 4 has no MLSD, but the LOS importer relies on MLSD `modify` facts (UTC) for file selection
 * (specs/aarhus-los.md). So this module adds MLSD and MLST to ftp-srv's command registry (RFC 3659: facts
 * `type`, `size`, `modify`), which also makes FEAT announce `MLST`. With `mlsd: false` the commands are
 * refused and not announced: a client sees what a server without MLSD gives, LIST plus MDTM.
 *
 * Passive data ports are chosen by the OS (pasv range 0–0), so parallel test files never collide.
 */
import { promises as fs } from 'node:fs';
import nodePath from 'node:path';
import type { AddressInfo } from 'node:net';
import { FtpSrv, type FtpConnection } from 'ftp-srv';

export interface LosFtpSimulatorOptions {
  /** Folder served as the FTP root. */
  root: string;
  /** TCP port of the control connection. Default 0: any free port (see `url`). */
  port?: number;
  /** Default 'los'. */
  user?: string;
  /** Default 'los-secret'. */
  password?: string;
  /** Serve MLSD/MLST. Default true; false refuses them (LIST + MDTM only). */
  mlsd?: boolean;
  /** Key and certificate (PEM) to offer explicit TLS (AUTH TLS); `url` then starts with `ftps://`. Default none. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface LosFtpSimulator {
  /** `ftp://los:los-secret@127.0.0.1:PORT/` (or `ftps://` with `tls`): what LOS_FTP_URL would be. */
  url: string;
  host: string;
  port: number;
  /** Closes client connections and the server; harmless to call twice. */
  stop(): Promise<void>;
}

export async function startLosFtpSimulator(options: LosFtpSimulatorOptions): Promise<LosFtpSimulator> {
  installMlsd();
  const user = options.user ?? 'los';
  const password = options.password ?? 'los-secret';
  const root = nodePath.resolve(options.root);
  await fs.access(root);

  // ftp-srv installs SIGINT/SIGTERM/SIGQUIT handlers that exit the process; we own our lifecycle, so drop them.
  const signals = ['SIGINT', 'SIGTERM', 'SIGQUIT'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${options.port ?? 0}`,
    pasv_url: '127.0.0.1',
    pasv_min: 0,
    pasv_max: 0,
    anonymous: false,
    greeting: 'Aarhus LOS (simulator)',
    tls: options.tls ? { key: options.tls.key, cert: options.tls.cert } : false,
    blacklist: options.mlsd === false ? ['MLSD', 'MLST'] : [],
    log: silentLogger,
  });
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.off(s, l);
  }

  // ftp-srv's disconnectClient arms a 1 s timer (never cleared) on every client disconnect, which keeps a
  // test process alive after stop(). Same behaviour without the timer.
  const internals = server as unknown as {
    connections: Record<string, { close(code: number): unknown }>;
    disconnectClient(id: string): Promise<unknown>;
  };
  internals.disconnectClient = (id: string) => {
    const connection = internals.connections[id];
    if (connection) {
      delete internals.connections[id];
      try {
        connection.close(0);
      } catch {
        // already gone
      }
    }
    return Promise.resolve('Disconnected');
  };

  server.on('login', ({ username, password: given }, resolve, reject) => {
    if (username === user && given === password) resolve({ root, cwd: '/' });
    else reject(new Error('Login incorrect'));
  });
  // A client that hangs up mid-transfer is normal in tests; keep it out of the server's error path.
  server.on('client-error', () => undefined);

  await server.listen();
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  const scheme = options.tls ? 'ftps' : 'ftp';
  const url = `${scheme}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    host: '127.0.0.1',
    port,
    stop() {
      stopping ??= Promise.resolve(server.close()).then(() => undefined);
      return stopping;
    },
  };
}

// ---- MLSD / MLST for ftp-srv ------------------------------------------------------------------------

interface FtpSrvCommand {
  directive: string;
  handler: (this: FtpConnectionInternals, args: { log: Logger; command: { arg: string | null } }) => unknown;
  syntax: string;
  description: string;
  flags?: { feat?: string; no_auth?: boolean };
}

/** The parts of ftp-srv's connection the handlers use (see ftp-srv/src/commands/registration/list.js). */
interface FtpConnectionInternals extends FtpConnection {
  fs: { get(path: string): Promise<FileStat>; list(path: string): Promise<FileStat[]> } | null;
  connector: { waitForConnection(): PromiseLike<unknown>; socket: unknown; end(): void };
  commandSocket: { pause(): void; resume(): void };
  /** ftp-srv types its answer Promise<any>; it resolves once the reply is written. */
  reply(options: number | object, ...letters: unknown[]): Promise<unknown>;
}

interface FileStat {
  name: string;
  size: number;
  mtime: Date;
  isDirectory(): boolean;
}

/** RFC 3659 time-val: YYYYMMDDHHMMSS.sss, UTC. */
function timeVal(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace('Z', '');
}

function facts(stat: FileStat): string {
  const type = stat.isDirectory() ? 'dir' : 'file';
  return `type=${type};size=${stat.size};modify=${timeVal(new Date(stat.mtime))}; ${stat.name}`;
}

const MLSD: FtpSrvCommand = {
  directive: 'MLSD',
  handler: async function ({ log, command }) {
    if (!this.fs) return this.reply(550, 'File system not instantiated');
    const path = command.arg || '.';
    try {
      const dir = await this.fs.get(path);
      if (!dir.isDirectory()) return this.reply(501, 'Not a directory');
      await this.connector.waitForConnection();
      this.commandSocket.pause();
      const files = await this.fs.list(path);
      const socket = this.connector.socket;
      await this.reply(150);
      if (files.length) await this.reply({}, ...files.map((f) => ({ raw: true, message: facts(f), socket })));
      else await this.reply({ socket, useEmptyMessage: true });
      await this.reply(226);
    } catch (err) {
      log.error(err);
      await this.reply(451, (err as Error).message || 'No directory');
    } finally {
      this.connector.end();
      this.commandSocket.resume();
    }
  },
  syntax: '{{cmd}} [<path>]',
  description: 'Machine-readable directory listing (RFC 3659)',
  flags: { feat: 'MLST type*;size*;modify*;' },
};

const MLST: FtpSrvCommand = {
  directive: 'MLST',
  handler: async function ({ log, command }) {
    if (!this.fs) return this.reply(550, 'File system not instantiated');
    try {
      const stat = await this.fs.get(command.arg || '.');
      return this.reply(
        250,
        { message: `Listing ${command.arg || '.'}` },
        { raw: true, message: ` ${facts(stat)}` },
        'End',
      );
    } catch (err) {
      log.error(err);
      return this.reply(550, (err as Error).message);
    }
  },
  syntax: '{{cmd}} [<path>]',
  description: 'Machine-readable facts about one file (RFC 3659)',
};

/**
 * FEAT as ftp-srv builds it, minus the features of blacklisted commands: with `mlsd: false` the server must
 * not announce MLST, or a client tries MLSD first (and ftp-srv leaks the passive port it opened for it).
 */
const FEAT: FtpSrvCommand = {
  directive: 'FEAT',
  handler: function () {
    const blacklist = (this as unknown as { commands: { blacklist: string[] } }).commands.blacklist;
    const features = Object.entries(registry())
      .filter(([directive]) => !blacklist.includes(directive))
      .flatMap(([, command]) => (command.flags?.feat ? [command.flags.feat] : []));
    const lines = ['UTF8', ...features].sort().map((feat) => ({ message: ` ${feat}`, raw: true }));
    return this.reply(211, 'Extensions supported', ...lines, 'End');
  },
  syntax: '{{cmd}}',
  description: 'Get the feature list implemented by the server',
  flags: { no_auth: true },
};

function registry(): Record<string, FtpSrvCommand> {
  // ftp-srv has no API for adding commands; its registry module is the one place the server looks them up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ftp-srv/src/commands/registry') as Record<string, FtpSrvCommand>;
}

/** Adds MLSD and MLST (and an honest FEAT) to ftp-srv's module-wide command registry, once. */
function installMlsd(): void {
  const commands = registry();
  commands.MLSD ??= MLSD;
  commands.MLST ??= MLST;
  if (commands.FEAT !== FEAT) commands.FEAT = FEAT;
}

// ---- logging ----------------------------------------------------------------------------------------

interface Logger {
  child(): Logger;
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  fatal(...args: unknown[]): void;
}

/** ftp-srv logs with bunyan to stdout by default; a simulator should be quiet. */
const silentLogger: Logger = {
  child: () => silentLogger,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
};
