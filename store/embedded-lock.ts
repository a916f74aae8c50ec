/**
 * Who owns the embedded store: `${DATA_DIR}/pglite.lock` holds {pid, hostname, since, serves, socket}. The owner
 * (the process that opened PGlite) writes it on open with `serves: true`, adds `socket` once it serves the store
 * to other processes (store/embedded-server.ts), and removes it on close. A lock whose process is gone (crash,
 * kill -9) is stale and the next process takes the store over.
 *
 * A file with O_EXCL is used rather than an OS lock (flock): Node has no flock, and the file also tells the
 * other processes where the owner serves the store.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreError } from './types';

export interface LockInfo {
  pid: number;
  hostname: string;
  since?: string;
  /** Set by owners that serve the store to other processes (absent: an older build, which never will). */
  serves?: boolean;
  /** The Unix socket the owner listens on, once it does. */
  socket?: string;
}

export type LockAttempt =
  | { owned: true; release: () => void; recordSocket: (socket: string | null) => void }
  | { owned: false; holder: LockInfo | undefined; lockFile: string };

const openInThisProcess = new Set<string>();

/** `${dataDir}/pglite.lock` for the PGlite folder `${dataDir}/pglite`. */
export function lockFileOf(pgliteDir: string): string {
  return `${pgliteDir}.lock`;
}

/**
 * Takes the lock if it is free or stale; otherwise says who holds it (undefined: being written right now).
 * Opening the same store twice in one process is refused (PGlite allows one handle, and a second handle would
 * only wait for the first one's transactions).
 */
export function tryLock(pgliteDir: string): LockAttempt {
  const lockFile = lockFileOf(pgliteDir);
  if (openInThisProcess.has(pgliteDir)) {
    throw new StoreError(
      'STORE_LOCKED',
      `The embedded store in DATA_DIR (${pgliteDir}) is already open in this process; close it before opening it again (PGlite allows one handle).`,
    );
  }
  for (let attempt = 0; ; attempt++) {
    const me: LockInfo = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString(), serves: true };
    try {
      fs.writeFileSync(lockFile, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 1) {
        throw new StoreError(
          'STORE_UNAVAILABLE',
          `Cannot lock the embedded store in DATA_DIR (${lockFile}): ${(err as Error).message}. Point DATA_DIR at a writable folder, or set DATABASE_URL to use PostgreSQL.`,
        );
      }
      const holder = readLock(lockFile);
      if (!holder && recentlyWritten(lockFile)) return { owned: false, holder: undefined, lockFile };
      if (holder && (holder.hostname !== os.hostname() || (holder.pid !== process.pid && processAlive(holder.pid)))) {
        return { owned: false, holder, lockFile };
      }
      // Stale: its process is gone (or was this very pid, before a restart). Take it over.
      removeStale(lockFile, holder);
    }
  }
  openInThisProcess.add(pgliteDir);
  let released = false;
  return {
    owned: true,
    recordSocket: (socket) => {
      const current = readLock(lockFile);
      if (current?.pid !== process.pid) return;
      // Written whole, then renamed: a reader never sees a half-written lock of a running owner.
      const tmp = `${lockFile}.${process.pid}.tmp`;
      // null: this owner could not listen, and says so (the others then fail at once instead of waiting).
      fs.writeFileSync(tmp, JSON.stringify(socket ? { ...current, socket } : { ...current, serves: false }));
      fs.renameSync(tmp, lockFile);
    },
    release: () => {
      if (released) return;
      released = true;
      openInThisProcess.delete(pgliteDir);
      if (readLock(lockFile)?.pid === process.pid) fs.rmSync(lockFile, { force: true });
    },
  };
}

/** Marks the store as open in this process while it is a client of another process's store. */
export function holdInProcess(pgliteDir: string): () => void {
  if (openInThisProcess.has(pgliteDir)) {
    throw new StoreError(
      'STORE_LOCKED',
      `The embedded store in DATA_DIR (${pgliteDir}) is already open in this process; close it before opening it again (PGlite allows one handle).`,
    );
  }
  openInThisProcess.add(pgliteDir);
  let released = false;
  return () => {
    if (!released) openInThisProcess.delete(pgliteDir);
    released = true;
  };
}

function removeStale(lockFile: string, holder: LockInfo | undefined): void {
  if (holder?.socket) fs.rmSync(holder.socket, { force: true });
  fs.rmSync(lockFile, { force: true });
}

export function readLock(lockFile: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Partial<LockInfo> | null;
    return typeof parsed?.pid === 'number' ? (parsed as LockInfo) : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale unless just written
  }
}

function recentlyWritten(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < 5_000;
  } catch {
    return false;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Where the owner listens. pg connects to `<directory>/.s.PGSQL.5432`, so the file has that name: in DATA_DIR
 * itself, or — when that path is too long for a Unix socket (about 107 bytes) — in a private folder under the
 * system's temp directory named after DATA_DIR.
 */
export function socketPaths(dataDir: string): string[] {
  const name = '.s.PGSQL.5432';
  const inDataDir = path.join(dataDir, name);
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  const inTmp = path.join(os.tmpdir(), `idbro-${hash}`, name);
  return Buffer.byteLength(inDataDir) <= 100 ? [inDataDir, inTmp] : [inTmp];
}
