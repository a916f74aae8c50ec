/**
 * `idbro config check`: validates the settings in this environment the way the server does (core/config.ts
 * loadConfig) and then probes every configured source with a short time-out: Cerebrum, FS, LOS FTP (and DAR),
 * UNI-Login, Redis and the store. Each line says what is wrong and which variable to fix. Nothing printed ever
 * holds a secret: URLs are shown without user and password, and every line is scrubbed of every secret value
 * found in the environment (passwords, API keys, tokens, the password of any URL), whatever a library put in
 * its error text.
 */
import { access, constants, stat } from 'node:fs/promises';
import { ConfigError, loadConfig, type Config } from '../core/config';
import { displayUrl, EXIT } from './client';
import type { Out } from './jobs';

type Env = Record<string, string | undefined>;
type Status = 'ok' | 'FAIL' | 'warn' | 'off';
interface Line {
  status: Status;
  what: string;
  text: string;
}

/** Settings whose value is a secret as a whole. */
const SECRET_NAMES = /(PASSWORD|API_KEY|TOKEN|TOKENS|SECRET|ID_KEY|JWT_KEY)$/;

/** Every secret value in the environment: secret settings, API_TOKENS' tokens, and the password of any URL. */
export function secretsOf(env: Env): string[] {
  const out = new Set<string>();
  for (const [name, raw] of Object.entries(env)) {
    const value = raw?.trim();
    if (!value) continue;
    if (name === 'API_TOKENS') {
      for (const entry of value.split(';')) {
        const token = entry.split('=')[0]?.trim();
        if (token) out.add(token);
      }
      continue;
    }
    if (SECRET_NAMES.test(name)) out.add(value);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      try {
        const u = new URL(value);
        if (u.password) {
          out.add(u.password);
          try {
            out.add(decodeURIComponent(u.password));
          } catch {
            /* not percent-encoded */
          }
        }
      } catch {
        // Not parsable: hide whatever sits between "//user:" and "@".
        const password = /:\/\/[^:/@]*:([^@]+)@/.exec(value)?.[1];
        if (password !== undefined) out.add(password);
      }
    }
  }
  // Longest first, so a secret that contains another is removed whole.
  return [...out].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/**
 * loadConfig stops at the first bad setting; to report them all, the bad one is set aside (as if unset) and the
 * rest validated again, until the settings load.
 */
function validate(env: Env): { config?: Config; problems: ConfigError[] } {
  const problems: ConfigError[] = [];
  const rest: Env = { ...env };
  for (let i = 0; i < 50; i++) {
    try {
      return { config: loadConfig(rest, { mode: 'serve' }), problems };
    } catch (e) {
      if (!(e instanceof ConfigError) || !(e.variable in rest)) throw e;
      problems.push(e);
      delete rest[e.variable];
    }
  }
  return { problems };
}

async function withTimeout<T>(what: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      what,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const why = (e: unknown) => {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  return err.message || err.cause?.code || err.code || String(e);
};

/** Each probe resolves with a line; a probe never throws. */
async function probe(
  what: string,
  setting: string,
  run: () => Promise<string | void>,
  timeoutMs: number,
): Promise<Line> {
  try {
    const note = await withTimeout(run(), timeoutMs);
    return { status: 'ok', what, text: note || 'answers' };
  } catch (e) {
    const msg = why(e);
    return { status: 'FAIL', what, text: msg.includes(setting) ? msg : `${msg} (check ${setting})` };
  }
}

export async function configCheck(out: Out, env: Env = process.env, timeoutMs = 5000): Promise<number> {
  const secrets = secretsOf(env);
  const lines: Line[] = [];
  const { config, problems } = validate(env);
  for (const p of problems)
    lines.push({
      status: 'FAIL',
      what: p.variable,
      text: `${p.message.slice(p.variable.length + 2)} (fix ${p.variable})`,
    });
  if (config) {
    lines.push(...(await probes(config, env, timeoutMs, new Set(problems.map((p) => p.variable)))));
  }
  const width = Math.max(...lines.map((l) => l.what.length), 8);
  for (const l of lines) out.write(scrub(`${l.status.padEnd(4)}  ${l.what.padEnd(width)}  ${l.text}\n`, secrets));
  const failed = lines.filter((l) => l.status === 'FAIL').length;
  out.write(
    failed === 0
      ? 'Settings are valid and every configured source answers.\n'
      : `${failed} problem(s): fix the variables named above.\n`,
  );
  return failed === 0 ? EXIT.OK : EXIT.FAILED;
}

/** `bad`: settings that failed validation; the sources they configure are not probed (already reported). */
async function probes(config: Config, env: Env, timeoutMs: number, bad: ReadonlySet<string>): Promise<Line[]> {
  const { createLogger } = await import('../core/logger.js');
  const logger = createLogger('silent');
  const checks: Promise<Line>[] = [];
  const off = (what: string, text: string): Promise<Line> => Promise.resolve({ status: 'off', what, text });

  if (config.apiTokens === undefined)
    checks.push(
      Promise.resolve({
        status: 'warn',
        what: 'API_TOKENS',
        text: 'unset: npm run serve refuses every request (401); set API_TOKENS="token=read+sync"',
      }),
    );
  else checks.push(Promise.resolve({ status: 'ok', what: 'API_TOKENS', text: `${config.apiTokens.size} token(s)` }));

  if (!bad.has('REDIS_URL'))
    checks.push(
      probe(
        'Redis',
        'REDIS_URL',
        async () => {
          const { assertRedisReachable, describeRedisUrl } = await import('../jobs/framework/redis.js');
          await assertRedisReachable(config.redisUrl, { timeoutMs: Math.min(timeoutMs, 3000) });
          return `${describeRedisUrl(config.redisUrl)} answers`;
        },
        timeoutMs,
      ),
    );

  if (bad.has('DATABASE_URL') || bad.has('DATA_DIR')) {
    // reported above
  } else if (config.databaseUrl) {
    const url = config.databaseUrl;
    checks.push(
      probe(
        'Store',
        'DATABASE_URL',
        async () => {
          const { Client } = await import('pg');
          const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
          client.on('error', () => undefined);
          try {
            await client.connect();
            const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
            return `PostgreSQL ${rows[0]?.v ?? ''} at ${displayUrl(url)} answers`;
          } catch (e) {
            throw new Error(`cannot connect to PostgreSQL at DATABASE_URL (${displayUrl(url)}): ${why(e)}`);
          } finally {
            await client.end().catch(() => undefined);
          }
        },
        timeoutMs,
      ),
    );
  } else {
    checks.push(
      probe(
        'Store',
        'DATA_DIR',
        async () => {
          // Not opened: a running idbro owns the embedded store, and PGlite allows one owner.
          const dir = config.dataDir;
          const s = await stat(dir).catch(() => undefined);
          if (!s) return `embedded PGlite; DATA_DIR ${dir} does not exist yet (created on first start)`;
          if (!s.isDirectory()) throw new Error(`DATA_DIR ${dir} is not a directory`);
          await access(dir, constants.W_OK).catch(() => {
            throw new Error(`DATA_DIR ${dir} is not writable by this user`);
          });
          return `embedded PGlite under DATA_DIR ${dir} (writable)`;
        },
        timeoutMs,
      ),
    );
  }

  if (config.cerebrum) {
    const c = config.cerebrum;
    checks.push(
      probe(
        'Cerebrum',
        'CEREBRUM_URL',
        async () => {
          const { CerebrumClient } = await import('../datasources/cerebrum/client.js');
          const client = new CerebrumClient({ ...c, retries: 0, timeoutMs, logger });
          try {
            await client.get('/contexts/', { round: 1 });
            return `${displayUrl(c.url)} answers${c.apiKey ? '' : ' (CEREBRUM_API_KEY is unset)'}`;
          } finally {
            client.close();
          }
        },
        timeoutMs + 1000,
      ),
    );
  } else if (!bad.has('CEREBRUM_URL')) checks.push(off('Cerebrum', 'CEREBRUM_URL is unset: Cerebrum is disabled'));

  if (config.fs) {
    const f = config.fs;
    checks.push(
      probe(
        'FS',
        'FS_URL',
        async () => {
          const { FsClient } = await import('../datasources/fs/client.js');
          const client = new FsClient({
            url: f.url,
            username: f.username,
            password: f.password,
            retries: 0,
            timeoutMs,
            logger,
          });
          try {
            await client.query('FsPing', 'query FsPing { __typename }');
            return `${displayUrl(f.url)} answers`;
          } finally {
            client.close();
          }
        },
        timeoutMs + 1000,
      ),
    );
  } else if (!bad.has('FS_URL')) checks.push(off('FS', 'FS_URL is unset: FS is disabled'));

  if (config.losFtpUrl) {
    const url = config.losFtpUrl;
    checks.push(
      probe(
        'LOS FTP',
        'LOS_FTP_URL',
        async () => {
          const { LosFtpClient } = await import('../datasources/los/ftp.js');
          const client = new LosFtpClient({ timeoutMs, connectAttempts: 1 });
          try {
            await client.connect(url);
            const files = await client.list();
            return `${displayUrl(url)} answers; ${files.length} file(s) in the folder`;
          } finally {
            client.close();
          }
        },
        timeoutMs + 1000,
      ),
    );
    if (!bad.has('DAR_URL'))
      checks.push(
        probe(
          'DAR',
          'DAR_URL',
          async () => {
            const res = await fetch(
              `${config.darUrl}/datavask/adresser?betegnelse=${encodeURIComponent('Rådhuspladsen 2, 8000 Aarhus C')}&struktur=mini`,
              { signal: AbortSignal.timeout(timeoutMs) },
            ).catch((e) => {
              throw new Error(
                `cannot reach DAR at DAR_URL (${displayUrl(config.darUrl)}): ${why((e as { cause?: unknown }).cause ?? e)}`,
              );
            });
            if (!res.ok) throw new Error(`DAR at DAR_URL (${displayUrl(config.darUrl)}) answered HTTP ${res.status}`);
            return `${displayUrl(config.darUrl)} answers`;
          },
          timeoutMs,
        ),
      );
  } else if (!bad.has('LOS_FTP_URL')) checks.push(off('LOS FTP', 'LOS_FTP_URL is unset: the LOS import is disabled'));

  if (config.unilogin) {
    const u = config.unilogin;
    const missing = (
      [
        ['UNILOGIN_USER', u.user],
        ['UNILOGIN_PASSWORD', u.password],
        ['UNILOGIN_INSTITUTION', u.institution],
        ['UNILOGIN_SOURCE', u.source],
        ['UNILOGIN_ROOT_OU', u.rootOus],
      ] as const
    )
      .filter(([, v]) => !v)
      .map(([n]) => n);
    if (missing.length > 0)
      checks.push(
        Promise.resolve({
          status: 'FAIL',
          what: 'UNI-Login',
          text: `the export refuses to run until ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} set`,
        }),
      );
    checks.push(
      probe(
        'UNI-Login',
        'UNILOGIN_URL',
        async () => {
          // Any HTTP answer proves the endpoint is there; the credentials are only checked by an upload.
          const res = await fetch(u.url, { signal: AbortSignal.timeout(timeoutMs) }).catch((e) => {
            throw new Error(
              `cannot reach UNI-Login at UNILOGIN_URL (${displayUrl(u.url)}): ${why((e as { cause?: unknown }).cause ?? e)}`,
            );
          });
          return `${displayUrl(u.url)} answers (HTTP ${res.status})`;
        },
        timeoutMs,
      ),
    );
  } else if (!bad.has('UNILOGIN_URL'))
    checks.push(off('UNI-Login', 'UNILOGIN_URL is unset: the UNI-Login export is disabled'));

  if (env.SYNC_SCHEDULES)
    checks.push(
      Promise.resolve({
        status: 'ok',
        what: 'SYNC_SCHEDULES',
        text: [...config.syncSchedules].map(([k, v]) => `${k}=${v}`).join('; '),
      }),
    );
  return Promise.all(checks);
}
