/**
 * Plain ftp:// LOS deliveries carry CPR numbers and the FTP password in clear text: the worker warns at start-up
 * (without the password), and LOS_FTP_REQUIRE_TLS=true refuses such a URL at start-up, naming the setting.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConfigError, configWarnings, loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { openStore, type Db } from '../store/db';
import { startWorkers } from '../jobs/framework/worker';
import type { SyncJobKind } from '../store/sync-jobs.repo';
import type { SyncProcessor } from '../jobs/framework/types';
import { REDIS_URL, deleteRedisKeys, uniquePrefix } from './helpers/jobs';

const PASSWORD = 'Los-Pw-s3cret!';
const PLAIN = `ftp://los:${encodeURIComponent(PASSWORD)}@127.0.0.1:2121/out`;
const TLS = `ftps://los:${encodeURIComponent(PASSWORD)}@127.0.0.1:2121/out`;

describe('LOS over plain FTP', () => {
  it('LOS_FTP_REQUIRE_TLS=true refuses an ftp:// LOS_FTP_URL, naming the setting and not the password', () => {
    let err: unknown;
    try {
      loadConfig({ LOS_FTP_URL: PLAIN, LOS_FTP_REQUIRE_TLS: 'true' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('LOS_FTP_REQUIRE_TLS');
    expect((err as Error).message).toMatch(/^LOS_FTP_REQUIRE_TLS: .*ftps:\/\//);
    expect((err as Error).message).not.toContain(PASSWORD);
    expect(loadConfig({ LOS_FTP_URL: TLS, LOS_FTP_REQUIRE_TLS: 'true' }).losFtpRequireTls).toBe(true);
    expect(loadConfig({ LOS_FTP_URL: PLAIN }).losFtpRequireTls).toBe(false);
    expect(() => loadConfig({ LOS_FTP_REQUIRE_TLS: 'perhaps' })).toThrow(/LOS_FTP_REQUIRE_TLS: expected true or false/);
  });

  it('the worker process (server/entry/worker.ts) stops at start-up with exit code 2 and a message naming LOS_FTP_REQUIRE_TLS', async () => {
    const root = join(__dirname, '..');
    const child = spawn(
      process.execPath,
      ['-r', join(root, 'test/helpers/swc-register.js'), join(root, 'server/entry/worker.ts')],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          LOS_FTP_URL: PLAIN,
          LOS_FTP_REQUIRE_TLS: 'true',
          REDIS_URL,
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += String(c);
    });
    child.stderr.on('data', (c) => {
      out += String(c);
    });
    // Bounded: a worker that accepted the setting would run until killed.
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      new Promise<number | null>((resolve) => child.on('exit', resolve)),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still running after 20 s'), 20_000);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill();
    });
    expect(code).toBe(2);
    expect(out).toMatch(/invalid setting LOS_FTP_REQUIRE_TLS: /);
    expect(out).not.toContain(PASSWORD);
  }, 30_000);

  describe('the worker', () => {
    const prefix = uniquePrefix('los-ftp-tls');
    let store: Db;
    beforeAll(async () => {
      store = await openStore({ memory: true });
    });
    afterAll(async () => {
      await deleteRedisKeys(prefix);
      await store.close();
    });

    async function startUpLog(losFtpUrl: string): Promise<string> {
      const logs: string[] = [];
      const logger = createLogger(
        'info',
        new Writable({
          write(c, _e, cb) {
            logs.push(String(c));
            cb();
          },
        }),
      );
      const idle: SyncProcessor = () =>
        Promise.resolve({ result: { created: 0, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 } });
      const workers = await startWorkers({
        config: loadConfig({ REDIS_URL, LOS_FTP_URL: losFtpUrl }, { mode: 'worker' }),
        logger,
        store,
        prefix,
        processors: new Map<SyncJobKind, SyncProcessor>([['LOS_IMPORT', idle]]),
      });
      await workers.close();
      return logs.join('\n');
    }

    it('warns at start-up that a plain ftp:// URL sends CPR files and the password in clear text, without the password', async () => {
      const plain = await startUpLog(PLAIN);
      const warning = plain.split('\n').find((l) => l.includes('clear text'));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning!)).toMatchObject({
        level: 40,
        msg: expect.stringMatching(/LOS_FTP_URL is plain ftp:\/\/.*CPR.*password.*LOS_FTP_REQUIRE_TLS/),
      });
      expect(plain).not.toContain(PASSWORD);
      expect(plain).not.toContain(encodeURIComponent(PASSWORD));
      expect(await startUpLog(TLS)).not.toContain('clear text');
      expect(configWarnings(loadConfig({ LOS_FTP_URL: TLS }))).toEqual([]);
    });
  });
});
