/**
 * The embedded store's memory (issue 14, item 5): PGlite started with PostgreSQL's server defaults (128 MB of
 * shared buffers inside its WebAssembly memory), and created a new DATA_DIR with an in-process initdb that is
 * never released: ~850 MB of RSS for a process that only opened a new store. A child process opens a new
 * DATA_DIR with the production code path and reports its RSS and the settings in effect.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PGLITE_SETTINGS } from '../store/pglite-memory';

/** PostgreSQL's memory units as bytes (what current_setting() prints: 16MB, 512kB, 1GB). */
function bytes(setting: string | undefined): number {
  const m = /^(\d+)(kB|MB|GB)$/.exec(setting ?? '');
  if (!m) throw new Error(`not a memory setting: ${setting}`);
  return Number(m[1]) * { kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[m[2] as 'kB' | 'MB' | 'GB'];
}

function openInChild(dataDir: string): Promise<{ rssMB: number; settings: Record<string, string> }> {
  const child = fork(path.join(__dirname, 'helpers', 'memory-process.ts'), [], {
    execArgv: ['--require', path.join(__dirname, 'helpers', 'swc-register.js')],
    env: { ...process.env, CHILD_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: any) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    child.once('exit', (code) => code && reject(new Error(`memory process exited with ${code}`)));
  });
}

describe('embedded store memory', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idbro-pglite-memory-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('opens a new DATA_DIR with small PostgreSQL buffers and without initdb left in the process', async () => {
    const first = await openInChild(dataDir);
    expect(first.settings).toEqual(PGLITE_SETTINGS);
    expect(bytes(first.settings.shared_buffers)).toBeLessThanOrEqual(16 * 1024 ** 2); // default 128MB
    expect(bytes(first.settings.maintenance_work_mem)).toBeLessThanOrEqual(16 * 1024 ** 2); // default 64MB
    // Before: ~840 MB (initdb's instance kept, 128 MB of buffers, TurboFan code); after: ~175 MB with swc loaded.
    expect(first.rssMB).toBeLessThan(300);
    // Reopened: the settings are start parameters, not something initdb wrote once.
    const again = await openInChild(dataDir);
    expect(again.settings).toEqual(PGLITE_SETTINGS);
    expect(again.rssMB).toBeLessThan(300);
  }, 120_000);
});
