import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { itemAt } from '../simulators/data/prng';

/**
 * Helpers of bench/memory.ts: an entry point (`npm run serve`, `npm start`) as a child process, its resident
 * memory read from the outside (what the operating system charges the process, not what V8 reports), and a
 * bounded GraphQL load against it on loopback.
 */

/** Resident set size of a process in MB: /proc on Linux, `ps` elsewhere. */
export function rssMB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (kb) return Number(kb[1]) / 1024;
  } catch {
    // No /proc (macOS): ask ps.
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

export interface Entry {
  child: ChildProcess;
  /** http://127.0.0.1:<port>, from the line the process prints once it listens. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `node script` with exactly `env` (plus PATH/HOME, so nothing of the caller's environment changes the
 * figures) and waits for the GraphQL URL it prints: the JSON log line of `npm run serve`, the banner of `npm start`.
 */
export function startEntry(script: string, env: Record<string, string>, timeoutMs = 180_000): Promise<Entry> {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not print its URL within ${timeoutMs / 1000} s: ${tail}`));
    }, timeoutMs);
    let seen = '';
    let found = false;
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (found) return;
      seen += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(seen)?.[1];
      if (url !== undefined) {
        found = true;
        clearTimeout(timer);
        resolve({ child, url, stop });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before it listened: ${tail}`));
    });
  });
}

/** POSTs one GraphQL operation; resolves with the parsed body. */
export async function graphql(
  url: string,
  query: string,
  token?: string,
): Promise<{ data?: any; errors?: { message: string }[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string }[] };
}

/** Samples the RSS of `pid` every `everyMs` until stop() is called; stop() resolves with every sample. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number[] } {
  const samples = [rssMB(pid)];
  const timer = setInterval(() => {
    try {
      samples.push(rssMB(pid));
    } catch {
      // The process is gone; the caller finds out from its request errors.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  ms: number;
}

/**
 * `concurrency` clients, each sending the next query as soon as its last one is answered, until `requests`
 * have been sent or `maxMs` has passed: a bounded, held load on loopback.
 */
export async function holdLoad(
  url: string,
  queries: readonly string[],
  opts: { concurrency: number; requests: number; maxMs: number; token?: string },
): Promise<LoadResult> {
  const t0 = performance.now();
  let sent = 0;
  let errors = 0;
  let firstError: string | undefined;
  const client = async () => {
    while (sent < opts.requests && performance.now() - t0 < opts.maxMs) {
      const query = itemAt(queries, sent++ % queries.length);
      try {
        const body = await graphql(url, query, opts.token);
        if (body.errors?.length) {
          errors++;
          firstError ??= itemAt(body.errors, 0).message;
        }
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, client));
  return { requests: sent, errors, firstError, ms: performance.now() - t0 };
}

export const median = (xs: number[]): number =>
  itemAt(
    [...xs].sort((a, b) => a - b),
    Math.floor(xs.length / 2),
  );
