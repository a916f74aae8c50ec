/**
 * The idbro CLI as a subprocess (node + the swc register, as test/helpers/child-worker.ts; no build needed),
 * against a real gateway with real workers on the real Redis (test/helpers/sync-stack.ts): follow a dry-run LOS
 * import to its summary, a failing job's exit code, list/show/cancel, the errors for a bad IDBRO_URL or token,
 * and `config check` naming the bad variable without printing a password.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS } from './helpers/gateway';
import { REDIS_URL } from './helpers/jobs';
import { startSyncStack, type SyncStack } from './helpers/sync-stack';
import { startFsSimulator, type FsSimulator } from '../simulators/fs';
import { startUniLoginSimulator, type UniLoginSimulator } from '../simulators/unilogin';
import { capture, defined } from './helpers/defined';

const ROOT = join(__dirname, '..');
const FOLLOW_OUTPUT = process.env.CLI_FOLLOW_OUTPUT ?? join(tmpdir(), 'idbro-cli-follow.txt');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `idbro <args>` with only the given environment (plus PATH), stdout and stderr piped (not a TTY). */
function idbro(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', join(ROOT, 'test', 'helpers', 'swc-register.js'), join(ROOT, 'bin', 'idbro.ts'), ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

let s: SyncStack;
let env: Record<string, string>;
beforeAll(async () => {
  s = await startSyncStack('cli');
  env = { IDBRO_URL: s.stack.url, IDBRO_TOKEN: TOKENS.all };
});
afterAll(async () => s?.stop());

describe('idbro against a running gateway', () => {
  let losJobId: string;

  it('sync LOS_IMPORT --dry-run --follow: progress lines, a summary with the issues, exit code 0', async () => {
    const r = await idbro(['sync', 'LOS_IMPORT', '--dry-run', '--follow', '--interval', '100'], env);
    writeFileSync(
      FOLLOW_OUTPUT,
      `$ idbro sync LOS_IMPORT --dry-run --follow\n${r.stdout}${r.stderr}(exit code ${r.code})\n`,
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const m = /^Started LOS_IMPORT \(dry run\): (sync:[0-9a-f-]{36})$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    losJobId = defined(m?.[1], 'the started job id');
    // Not a TTY: one plain line per change, the last one at 100 %.
    const progress = r.stdout.split('\n').filter((l) => /^(QUEUED|RUNNING|SUCCEEDED|FAILED|CANCELLED)\s+\d+%/.test(l));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatch(/^QUEUED\s+0%/);
    expect(progress.at(-1)).toMatch(/^SUCCEEDED\s+100%/);
    expect(r.stdout).not.toContain('\r'); // no bar redraws in a log
    // The summary: state, message, counts, and the issues with file and line.
    expect(r.stdout).toContain(`LOS_IMPORT (dry run) ${losJobId}: SUCCEEDED`);
    expect(r.stdout).toMatch(/^ {2}Dry run: /m);
    expect(r.stdout).toMatch(/created \d+, updated \d+, unchanged \d+, terminated \d+, skipped \d+, failed [1-9]/);
    const issues = await s.sync.issues(losJobId.slice('sync:'.length));
    expect(r.stdout).toContain(`Issues: ${issues.length}`);
    const withLine = issues.find((i) => i.file && i.line != null)!;
    expect(r.stdout).toContain(`${withLine.file}:${withLine.line}`);
  }, 90_000);

  it('jobs and job show it; --json is machine-readable', async () => {
    const list = await idbro(['jobs', '--kind', 'los-import'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${losJobId}\\s+LOS_IMPORT \\(dry run\\)\\s+SUCCEEDED\\s+100%`, 'm'));
    const none = await idbro(['jobs', '--state', 'running'], env);
    expect(none.stdout).toBe('No sync jobs.\n');

    const show = await idbro(['job', losJobId, '--issues', '2'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`${losJobId}: SUCCEEDED`);
    expect(show.stdout).toMatch(/… and \d+ more: idbro job sync:/);
    const json = JSON.parse((await idbro(['job', losJobId, '--json'], env)).stdout);
    expect(json).toMatchObject({ id: losJobId, state: 'SUCCEEDED', dryRun: true, issues: expect.any(Array) });
  }, 60_000);

  it('a job that fails: --follow exits non-zero with the reason', async () => {
    const r = await idbro(['sync', 'cristin-export', '--follow', '--interval', '100'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/CRISTIN_EXPORT sync:\S+: FAILED/);
    expect(r.stdout).toContain('CRISTIN_INSTITUTION is not set');
  }, 60_000);

  it('cancel: a queued job ends CANCELLED', async () => {
    // No worker runs UNILOGIN_EXPORT in this stack: its job stays QUEUED.
    const started = await idbro(['sync', 'UNILOGIN_EXPORT', '--mode', 'incremental', '--dry-run'], env);
    expect(started.code).toBe(0);
    const id = capture(/: (sync:\S+)$/m, started.stdout);
    expect(await s.sync.get(id.slice(5))).toMatchObject({ state: 'QUEUED', params: { mode: 'INCREMENTAL' } });
    const r = await idbro(['cancel', id], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${id} UNILOGIN_EXPORT: CANCELLED`);
    expect((await s.sync.get(id.slice(5)))?.state).toBe('CANCELLED');
  }, 60_000);

  it('bad usage exits 2 with what to write instead', async () => {
    const noMode = await idbro(['sync', 'UNILOGIN_EXPORT'], env);
    expect(noMode.code).toBe(2);
    expect(noMode.stderr).toContain('UNILOGIN_EXPORT needs --mode FULL|INCREMENTAL|DELETE');
    const unknown = await idbro(['sync', 'NOPE'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'Unknown sync kind "NOPE" (known: LOS_IMPORT, FS_IMPORT, UNILOGIN_EXPORT, CRISTIN_EXPORT)',
    );
    const force = await idbro(['sync', 'LOS_IMPORT', '--force'], env);
    expect(force.code).toBe(2);
    expect(force.stderr).toContain('LOS_IMPORT takes no --force');
  }, 60_000);

  it('sync CRISTIN_EXPORT takes an optional --mode FULL|INCREMENTAL', async () => {
    const started = await idbro(['sync', 'CRISTIN_EXPORT', '--mode', 'incremental', '--dry-run'], env);
    expect(started.code).toBe(0);
    const id = capture(/: (sync:\S+)$/m, started.stdout);
    expect(await s.sync.get(id.slice(5))).toMatchObject({ params: { mode: 'INCREMENTAL' } });
    const bad = await idbro(['sync', 'CRISTIN_EXPORT', '--mode', 'delete'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CRISTIN_EXPORT takes --mode FULL|INCREMENTAL (got "delete")');
  }, 60_000);
});

describe('idbro: clear errors', () => {
  it('an unreachable IDBRO_URL says so and names IDBRO_URL', async () => {
    const port = await closedPort();
    const r = await idbro(['jobs'], { IDBRO_URL: `http://127.0.0.1:${port}`, IDBRO_TOKEN: TOKENS.all });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `idbro: Cannot reach idbro at http://127.0.0.1:${port}/graphql (ECONNREFUSED). Is it running? Set IDBRO_URL to its address (default http://127.0.0.1:4000).\n`,
    );
  });

  it('401 says to set IDBRO_TOKEN, and never prints the token', async () => {
    const none = await idbro(['jobs'], { IDBRO_URL: s.stack.url });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('needs a token (401): set IDBRO_TOKEN');
    const wrong = await idbro(['jobs'], { IDBRO_URL: s.stack.url, IDBRO_TOKEN: 'wrong-token-5f2c' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('did not accept IDBRO_TOKEN (401)');
    expect(wrong.stderr + wrong.stdout).not.toContain('wrong-token-5f2c');
  });

  it('a token without the scope is told which scope it lacks', async () => {
    const r = await idbro(['sync', 'LOS_IMPORT', '--dry-run'], { IDBRO_URL: s.stack.url, IDBRO_TOKEN: TOKENS.read });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^idbro: FORBIDDEN: .*sync.*IDBRO_TOKEN lacks the scope/);
  });
});

describe('idbro config check', () => {
  let dataDir: string;
  let fsSim: FsSimulator;
  let uniSim: UniLoginSimulator;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'idbro-cli-config-'));
    fsSim = await startFsSimulator();
    uniSim = await startUniLoginSimulator({ users: [{ user: 'idbro', password: 'Uni-Passw0rd' }] });
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await fsSim?.stop();
    await uniSim?.stop();
  });

  it('passes when the settings are valid and every configured source answers', async () => {
    const r = await idbro(['config', 'check'], {
      API_TOKENS: 'ops-token-1=read+sync',
      REDIS_URL,
      DATA_DIR: dataDir,
      CEREBRUM_URL: s.stack.sim.url,
      CEREBRUM_API_KEY: 'test-api-key',
      LOS_FTP_URL: s.bed.ftp.url,
      DAR_URL: s.bed.dar.url,
      FS_URL: fsSim.graphqlUrl,
      FS_USERNAME: fsSim.username!,
      FS_PASSWORD: fsSim.password,
      UNILOGIN_URL: uniSim.url,
      UNILOGIN_USER: 'idbro',
      UNILOGIN_PASSWORD: 'Uni-Passw0rd',
      UNILOGIN_INSTITUTION: 'ABC123',
      UNILOGIN_SOURCE: 'idbro',
      UNILOGIN_ROOT_OU: 'los:*',
    });
    const failures = r.stdout.split('\n').filter((l) => /^(FAIL|warn)/.test(l));
    expect({ code: r.code, stderr: r.stderr, failures }).toEqual({ code: 0, stderr: '', failures: [] });
    for (const what of ['API_TOKENS', 'Redis', 'Store', 'Cerebrum', 'FS', 'LOS FTP', 'DAR', 'UNI-Login']) {
      expect(r.stdout).toMatch(new RegExp(`^ok\\s+${what}\\s`, 'm'));
    }
    expect(r.stdout).toContain('Settings are valid and every configured source answers.');
    // Secrets: the API key, the token and the FTP password of the URL are never printed.
    for (const secret of [
      'test-api-key',
      'ops-token-1',
      new URL(s.bed.ftp.url).password,
      fsSim.password,
      'Uni-Passw0rd',
    ])
      expect(r.stdout).not.toContain(secret);
  }, 60_000);

  it('a bad setting is named with what to fix; a password in a URL is never printed', async () => {
    const port = await closedPort();
    const r = await idbro(['config', 'check', '--timeout', '3000'], {
      API_TOKENS: 'ops-token-1=read+root', // unknown scope
      REDIS_URL: 'http://:RedisPassw0rd@127.0.0.1:6379', // wrong scheme
      LOS_FTP_URL: `ftp://los:FtpPassw0rd-9@127.0.0.1:${port}/in`, // valid, but nothing listens there
      DAR_URL: 'http://127.0.0.1:9',
      DATABASE_URL: `postgres://postgres:PgPassw0rd-7@127.0.0.1:${port}/idbro`,
      DATA_DIR: dataDir,
      UNILOGIN_URL: `http://127.0.0.1:${port}/ws10`,
      UNILOGIN_PASSWORD: 'UniPassw0rd-3', // no user, institution, source, root
    });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/^FAIL\s+API_TOKENS\s+entry 1: unknown scope "root".*\(fix API_TOKENS\)$/m);
    expect(out).toMatch(/^FAIL\s+REDIS_URL\s+unsupported scheme "http:".*\(fix REDIS_URL\)$/m);
    expect(out).toMatch(/^FAIL\s+Store\s+.*DATABASE_URL/m);
    expect(out).toMatch(/^FAIL\s+LOS FTP\s+.*LOS_FTP_URL/m);
    expect(out).toMatch(
      /^FAIL\s+UNI-Login\s+the export refuses to run until UNILOGIN_USER, UNILOGIN_INSTITUTION, UNILOGIN_SOURCE, UNILOGIN_ROOT_OU are set$/m,
    );
    expect(out).toMatch(/^FAIL\s+UNI-Login\s+cannot reach UNI-Login at UNILOGIN_URL/m);
    expect(out).toMatch(/problem\(s\): fix the variables named above/);
    for (const secret of ['RedisPassw0rd', 'FtpPassw0rd-9', 'PgPassw0rd-7', 'ops-token-1', 'UniPassw0rd-3'])
      expect(out).not.toContain(secret);
  }, 60_000);
});
