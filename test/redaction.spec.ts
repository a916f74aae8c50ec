/**
 * Redaction of text that comes from elsewhere: the stack of an unexpected resolver error in the request log,
 * a failing sync's error in the worker's log and in what BullMQ keeps in Redis, and Cerebrum's 401/403 bodies.
 * Log output is captured from the real loggers; upstreams are the Cerebrum simulator, a loopback HTTP server
 * answering like an API gateway in front of Cerebrum, and a real Redis.
 */
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { startStack } from './helpers/gateway';
import { sampleUniversity } from '../simulators/data/cerebrum-sample';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { openStore, type Db } from '../store/db';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import type { SyncJobKind } from '../store/sync-jobs.repo';
import type { SyncProcessor } from '../jobs/framework/types';
import { REDIS_URL, deleteRedisKeys, uniquePrefix, waitFor } from './helpers/jobs';

const CPR = '0101901234';
const FNR = '01019012345';

function capture(): { logs: string[]; sink: Writable } {
  const logs: string[] = [];
  return {
    logs,
    sink: new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  };
}

describe('redaction', () => {
  it("the request log keeps an unexpected error's stack, with national ids masked", async () => {
    // An account whose expiry date is a CPR number: the Date scalar refuses it with the value in its message.
    const data = sampleUniversity();
    data.accounts.get('torte')!.expire_date = CPR;
    const s = await startStack({ sim: { data } });
    try {
      const { body } = await s.gql('{ account(name: "torte") { name expireDate } }');
      expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body.errors[0].message).toMatch(/^Internal server error \(error id /);
      const line = s.logs.find((l) => l.includes(body.errors[0].extensions.errorId))!;
      expect(JSON.parse(line).err.stack).toMatch(/^TypeError: Date must be a calendar date[\s\S]*\n\s+at /);
      expect(line).toContain('010190****');
      expect(s.logs.join('\n')).not.toContain(CPR);
      expect(JSON.stringify(body)).not.toContain(CPR);
    } finally {
      await s.stop();
    }
  });

  it('a 401/403 body from in front of Cerebrum loses the API key and national ids it echoes', async () => {
    const apiKey = 'k3y-4-cerebrum-test-0042';
    const gatewayInFront = http.createServer((req, res) => {
      const body = JSON.stringify({ message: `API key ${apiKey} may not read ${req.url} (person ${FNR})` });
      res.writeHead(req.url?.includes('accounts') ? 401 : 403, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => gatewayInFront.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(gatewayInFront.address() as AddressInfo).port}`;
    const s = await startStack({ env: { CEREBRUM_URL: url, CEREBRUM_API_KEY: apiKey } });
    try {
      for (const q of [
        `{ personByNationalId(nationalId: "${FNR}") { name } }`,
        '{ account(name: "torte") { name } }',
      ]) {
        const { body } = await s.gql(q);
        expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', source: 'CEREBRUM' });
        expect(body.errors[0].message).toMatch(
          /refused the gateway's credentials \((401|403): API key \*\*\* may not read/,
        );
        expect(body.errors[0].message).toMatch(/CEREBRUM_API_KEY/);
        for (const text of [JSON.stringify(body), s.logs.join('\n')]) {
          expect(text).not.toContain(apiKey);
          expect(text).not.toContain(FNR);
        }
      }
    } finally {
      await s.stop();
      await new Promise((r) => gatewayInFront.close(r));
    }
  });

  describe('a failing sync', () => {
    const prefix = uniquePrefix('redaction');
    const { logs, sink } = capture();
    const logger = createLogger('debug', sink);
    const config = loadConfig({ REDIS_URL }, { mode: 'worker' });
    const fail: SyncProcessor = () =>
      Promise.reject(
        new Error(
          `LOS refused CPR ${CPR} at ftp://los:hunter2@ftp.example/out (password=hunter3, Authorization: Bearer tok-xyz-123)`,
        ),
      );
    const processors = new Map<SyncJobKind, SyncProcessor>([['LOS_IMPORT', fail]]);
    let store: Db;
    let sync: SyncService;
    let workers: SyncWorkers;
    beforeAll(async () => {
      store = await openStore({ memory: true });
      sync = await createSyncService({ config, store, logger, processors, prefix, attempts: 2, backoffMs: 10 });
      workers = await startWorkers({ config, logger, store, processors, prefix, progressIntervalMs: 20 });
    });
    afterAll(async () => {
      await workers?.close();
      await sync?.close();
      await deleteRedisKeys(prefix);
      await store?.close();
    });

    it('leaves no national id or secret in the worker log, the job record or what BullMQ keeps in Redis', async () => {
      const job = await sync.start('LOS_IMPORT');
      const done = await waitFor('the job to fail', async () => {
        const j = await sync.get(job.id);
        return j?.state === 'FAILED' ? j : undefined;
      });
      const queued = (await sync.queues.get('LOS_IMPORT')!.getJob(job.id))!;
      const kept = [logs.join('\n'), done.message ?? '', queued.failedReason, ...(queued.stacktrace ?? [])];
      expect(logs.join('\n')).toMatch(/sync job attempt failed: retrying/);
      expect(queued.stacktrace?.length).toBeGreaterThan(0);
      expect((queued.stacktrace ?? []).join('\n')).toMatch(/\n\s+at /); // still a stack, for whoever debugs it
      for (const text of kept) {
        for (const leak of [CPR, 'hunter2', 'hunter3', 'tok-xyz-123']) expect(text).not.toContain(leak);
      }
      expect(done.message).toContain('010190****');
    });
  });
});
