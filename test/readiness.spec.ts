/**
 * /readyz: one upstream probe per cache period whatever the request rate, and an answer that names each check
 * with a coded status but never a host, user, database name or a driver's own error text. Real drivers: pg
 * against the local PostgreSQL with a user and database that do not exist, the Redis start-up probe against a host
 * that does not resolve, and the Cerebrum simulator.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { assertRedisReachable } from '../jobs/framework/redis';
import { startStack } from './helpers/gateway';
import { first, last } from './helpers/defined';

describe('/readyz', () => {
  it('is cached: many concurrent and serial calls cost Cerebrum one probe', async () => {
    const s = await startStack({ env: { READINESS_CACHE_MS: '600000' } });
    try {
      s.sim.stats.reset();
      const answers = await Promise.all(Array.from({ length: 25 }, () => fetch(`${s.url}/readyz`)));
      for (let i = 0; i < 10; i++) answers.push(await fetch(`${s.url}/readyz`));
      expect(answers.map((r) => r.status)).toEqual(Array(35).fill(200));
      expect(await last(answers).json()).toEqual({
        status: 'ready',
        checks: [{ name: 'cerebrum', ok: true, status: 'OK' }],
      });
      expect(s.sim.stats.byPath.get('GET /v1/contexts/')).toBe(1);
      expect(s.sim.stats.total).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it('shares the probe in flight even without a cache (READINESS_CACHE_MS=0)', async () => {
    const s = await startStack({ env: { READINESS_CACHE_MS: '0' } });
    try {
      s.sim.stats.reset();
      // The simulator holds every answer until the test has sent all its calls.
      s.sim.failNext(/^GET \/v1\/contexts\/$/, 'hang', 1);
      const calls = Array.from({ length: 10 }, () => fetch(`${s.url}/readyz`));
      const answers = await Promise.all(calls);
      expect(answers.every((r) => r.status === 503)).toBe(true);
      const body = (await first(answers).json()) as any;
      expect(body.checks).toEqual([
        { name: 'cerebrum', ok: false, status: 'UPSTREAM_TIMEOUT', message: expect.stringContaining('CEREBRUM_URL') },
      ]);
      expect(s.sim.stats.log.length + s.sim.stats.inFlight).toBeLessThanOrEqual(1);
    } finally {
      await s.stop();
    }
  });

  it('names each failing check with a coded status, never a host, user, database name or driver error', async () => {
    const secretUser = 'idbro_readyz_secret_user';
    const secretDb = 'idbro_readyz_secret_db';
    const secretHost = 'redis-secret-host.invalid';
    const store = {
      name: 'store',
      setting: 'DATABASE_URL',
      async check() {
        const c = new Client({
          connectionString: `postgres://${secretUser}@127.0.0.1:5432/${secretDb}`,
          connectionTimeoutMillis: 2000,
        });
        try {
          await c.connect();
          await c.query('SELECT 1');
        } finally {
          await c.end().catch(() => undefined);
        }
      },
    };
    const redis = {
      name: 'redis',
      setting: 'REDIS_URL',
      check: () => assertRedisReachable(`redis://admin:hunter2@${secretHost}:6379`, { timeoutMs: 2000 }),
    };
    const s = await startStack({
      env: { CEREBRUM_URL: 'http://cerebrum-secret-host.invalid:8080', CEREBRUM_RETRIES: '0' },
      gateway: { readiness: [store, redis] },
    });
    try {
      const res = await fetch(`${s.url}/readyz`);
      const text = await res.text();
      expect(res.status).toBe(503);
      const body = JSON.parse(text);
      expect(body.status).toBe('not ready');
      expect(body.checks.map((c: any) => [c.name, c.ok])).toEqual([
        ['store', false],
        ['redis', false],
        ['cerebrum', false],
      ]);
      for (const c of body.checks) {
        expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_ERROR']).toContain(c.status);
        expect(Object.keys(c).sort()).toEqual(['message', 'name', 'ok', 'status']);
      }
      expect(body.checks[0].message).toMatch(/DATABASE_URL/);
      expect(body.checks[1].message).toMatch(/REDIS_URL/);
      expect(body.checks[2].message).toMatch(/CEREBRUM_URL/);
      for (const leak of [
        secretUser,
        secretDb,
        secretHost,
        'cerebrum-secret-host',
        '127.0.0.1',
        'hunter2',
        'does not exist',
        'ENOTFOUND',
        'getaddrinfo',
      ]) {
        expect(text).not.toContain(leak);
      }
      // The details are in the log, without the password.
      const log = s.logs.join('\n');
      expect(log).toMatch(/readiness check failed/);
      expect(log).toContain(secretUser);
      expect(log).not.toContain('hunter2');
    } finally {
      await s.stop();
    }
  });
});
