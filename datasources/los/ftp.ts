/**
 * The LOS FTP folder over basic-ftp: list files with their server modification times, stream a file.
 *
 * - Modification times come from MLSD `modify` facts, which are UTC (RFC 3659). A server without MLSD gets a
 *   LIST (whose times have no zone and often no year) and then one MDTM per file, also UTC.
 * - One control connection; operations run one at a time (FTP cannot do otherwise). A download holds the
 *   connection until its stream has been read to the end, so read each stream before the next call.
 * - Errors name the setting (`LOS_FTP_URL`) and host:port, never the password; connecting is retried a few
 *   times with backoff, except when retrying cannot help (login refused, certificate rejected).
 */
import { PassThrough, type Readable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { Client, FTPError } from 'basic-ftp';
import { UpstreamError } from '../../core/errors';

export interface LosFtpClientOptions {
  /** Control-connection timeout, and how long a transfer may stall on the server, in ms. Default 30000. */
  timeoutMs?: number;
  /** Connection attempts before giving up, the first included. Default 3. */
  connectAttempts?: number;
  /** Wait before the second attempt, in ms; doubled for each further one. Default 1000. */
  retryDelayMs?: number;
  /** TLS options for `ftps://` (e.g. `ca` for a private CA). The certificate is verified unless told otherwise. */
  tls?: ConnectionOptions;
}

/** A file in the LOS folder. */
export interface LosFtpEntry {
  name: string;
  size: number;
  /** Server modification time (UTC instant). */
  modifiedAt: Date;
}

interface FtpTarget {
  secure: boolean;
  host: string;
  port: number;
  user: string;
  password: string;
  /** Folder to change to after login, relative to the login directory (RFC 1738); '' = stay. */
  folder: string;
  /** `ftp://host:port` — what messages may show. */
  display: string;
}

/** Reads `ftp://user:pw@host:port/folder` or `ftps://…` (explicit TLS). Messages never echo the URL. */
export function parseLosFtpUrl(url: string): FtpTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UpstreamError(
      'UPSTREAM_ERROR',
      'LOS',
      'LOS_FTP_URL is not a valid URL (expected ftp://user:password@host:port/folder)',
      {
        status: null,
        method: 'CONNECT',
        path: '',
      },
    );
  }
  if (u.protocol !== 'ftp:' && u.protocol !== 'ftps:') {
    throw new UpstreamError('UPSTREAM_ERROR', 'LOS', `LOS_FTP_URL must use ftp:// or ftps://, not ${u.protocol}//`, {
      status: null,
      method: 'CONNECT',
      path: '',
    });
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : 21;
  return {
    secure: u.protocol === 'ftps:',
    host,
    port,
    user: decodeURIComponent(u.username) || 'anonymous',
    password: decodeURIComponent(u.password),
    folder: decodeURIComponent(u.pathname).replace(/^\//, '').replace(/\/$/, ''),
    display: `${u.protocol}//${u.hostname}:${port}`,
  };
}

const RETRYABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);

export class LosFtpClient {
  private client: Client | undefined;
  private target: FtpTarget | undefined;
  /** The tail of the operation queue: FTP allows one command at a time per connection. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: LosFtpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.attempts = Math.max(1, options.connectAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  /** Connects and logs in (retrying transient failures), then changes to the URL's folder. */
  async connect(url: string): Promise<void> {
    this.target = parseLosFtpUrl(url);
    this.closed = false;
    await this.enqueue(() => this.open());
  }

  /** The files of the folder (directories and links left out), each with its modification time. */
  async list(): Promise<LosFtpEntry[]> {
    return this.enqueue(async () => {
      const client = await this.connected();
      try {
        const entries = (await client.list()).filter((e) => e.isFile);
        const result: LosFtpEntry[] = [];
        for (const e of entries) {
          // No MLSD: LIST times are local and coarse, so ask MDTM (UTC, to the second) per file.
          const modifiedAt = e.modifiedAt ?? (await client.lastMod(e.name));
          if (Number.isNaN(modifiedAt.getTime())) throw new Error(`no usable modification time for ${e.name}`);
          result.push({ name: e.name, size: e.size, modifiedAt });
        }
        return result;
      } catch (err) {
        throw this.failure(err, 'LIST', this.target?.folder ?? '');
      }
    });
  }

  /**
   * Starts downloading `name` and resolves with its bytes as a stream once the server has begun sending (a
   * missing file rejects here). A failure later in the transfer makes the stream emit an error. Read the
   * stream to its end (or destroy it) before the next call; the connection is busy until then.
   */
  download(name: string): Promise<Readable> {
    return new Promise<Readable>((resolve, reject) => {
      this.enqueue(async () => {
        let begun = false;
        try {
          const client = await this.connected();
          const out = new PassThrough();
          // basic-ftp pipes the data connection into `out` on "150 opening data connection".
          out.once('pipe', () => {
            begun = true;
            resolve(out);
          });
          try {
            await client.downloadTo(out, name);
            if (!begun) resolve(out);
          } catch (err) {
            const failure = this.failure(err, 'RETR', name);
            // After a transfer broke off mid-way the control connection may still expect replies: start over.
            if (begun || ftpStatus(err) === null) this.drop();
            if (begun) out.destroy(failure);
            else reject(failure);
          }
        } catch (err) {
          reject(err instanceof UpstreamError ? err : this.failure(err, 'RETR', name));
        }
      }).catch(() => undefined); // settled through resolve/reject above
    });
  }

  /** Closes the connection; harmless to call twice. Calls after it fail until `connect` is called again. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private drop(): void {
    this.client?.close();
    this.client = undefined;
  }

  private async connected(): Promise<Client> {
    if (this.closed || !this.target) {
      throw new UpstreamError(
        'UPSTREAM_ERROR',
        'LOS',
        'LosFtpClient is not connected: call connect(LOS_FTP_URL) first',
        {
          status: null,
          method: 'CONNECT',
          path: '',
        },
      );
    }
    if (!this.client || this.client.closed) await this.open();
    return this.client as Client;
  }

  private async open(): Promise<void> {
    const target = this.target as FtpTarget;
    this.drop();
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const client = new Client(this.timeoutMs);
      try {
        await client.access({
          host: target.host,
          port: target.port,
          user: target.user,
          password: target.password,
          secure: target.secure,
          secureOptions: target.secure ? { ...this.options.tls } : undefined,
        });
        if (target.folder) await client.cd(target.folder);
        this.client = client;
        return;
      } catch (err) {
        client.close();
        lastError = err;
        if (!isRetryable(err) || attempt === this.attempts) break;
        await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
    throw this.failure(lastError, 'CONNECT', target.folder);
  }

  /** An UpstreamError naming LOS_FTP_URL and host:port, with the password scrubbed from whatever the cause said. */
  private failure(err: unknown, method: string, path: string): UpstreamError {
    const target = this.target;
    const where = target ? `LOS_FTP_URL ${target.display}` : 'LOS_FTP_URL';
    const status = ftpStatus(err);
    const cause = this.scrub(describe(err));
    let message: string;
    let code: UpstreamError['code'] = 'UPSTREAM_ERROR';
    if (method === 'CONNECT') {
      if (status === 530) message = `${where}: login as "${target?.user}" refused (${cause})`;
      else if (status === null && isRetryable(err)) {
        code = /timeout/i.test(cause) ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
        message = `${where}: cannot connect after ${this.attempts} attempt(s) (${cause})`;
      } else if (status !== null && target?.folder)
        message = `${where}: cannot open folder "${target.folder}" or log in (${cause})`;
      else message = `${where}: cannot connect (${cause})`;
    } else {
      message = `${where}: ${method} ${path} failed (${cause})`;
      if (status === null) code = /timeout/i.test(cause) ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
    }
    return new UpstreamError(code, 'LOS', message, { status, method, path });
  }

  private scrub(text: string): string {
    const pw = this.target?.password;
    if (!pw) return text;
    return [pw, encodeURIComponent(pw)].reduce((t, secret) => t.split(secret).join('***'), text);
  }
}

/**
 * The FTP reply code of a failure, or null for a network/TLS failure. Checks the code's type, not only the
 * class: basic-ftp wraps a socket error from another realm (e.g. under jest) in an FTPError with a string code.
 */
function ftpStatus(err: unknown): number | null {
  return err instanceof FTPError && typeof err.code === 'number' ? err.code : null;
}

function errorParts(err: unknown): { message: string; code?: string } {
  if (err && typeof err === 'object' && 'message' in err) {
    const code = (err as { code?: unknown }).code;
    return { message: String(err.message), ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(err) };
}

function describe(err: unknown): string {
  const { message, code } = errorParts(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Network trouble and FTP 4xx ("try again later") are worth another attempt; 5xx and TLS failures are not. */
function isRetryable(err: unknown): boolean {
  const status = ftpStatus(err);
  if (status !== null) return status >= 400 && status < 500;
  const { message, code } = errorParts(err);
  if (code && RETRYABLE_NETWORK.has(code)) return true;
  return /timeout|socket hang up|FIN packet|closed/i.test(message);
}
