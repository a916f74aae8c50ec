/**
 * Issue 9, item 4: a mutation's answer follows the scope rules of the queries. A token with only `sync` gets the
 * handle of the job it started or cancelled (id, kind, state, progress, …) and nothing that `syncJob` needs
 * `read` for (issues, result, message) — refused before the mutation runs, however the selection is written
 * (fields, named and inline fragments, fragments on Mutation). With `read` the answer is the query's answer,
 * national ids masked without `pii`. Real Redis (BullMQ), real store, the gateway over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../core/config';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { SyncJobsRepo } from '../store/sync-jobs.repo';
import type { Db } from '../store/db';
import type { SyncProcessor } from '../jobs/framework/types';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { memoryStore } from './helpers/los-delivery';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix } from './helpers/jobs';
import { first } from './helpers/defined';

const READ_SYNC = 'tok-read-sync';
const FNR = '01017012345';
const API_TOKENS = `${TOKENS.read}=read;${TOKENS.pii}=read+pii;${TOKENS.sync}=sync;${TOKENS.all}=read+pii+sync;${READ_SYNC}=read+sync`;

describe('mutation answers and scopes (issue 9, item 4)', () => {
  const prefix = uniquePrefix('mutscope');
  let store: Db;
  let sync: SyncService;
  let s: Stack;
  let finishedId: string;

  beforeAll(async () => {
    store = await memoryStore();
    // No worker runs these kinds: a started job stays QUEUED, which is all these tests need.
    const never: SyncProcessor = () => {
      throw new Error('not run in this test');
    };
    const processors = new Map([
      ['LOS_IMPORT' as const, never],
      ['CRISTIN_EXPORT' as const, never],
    ]);
    sync = await createSyncService({
      config: loadConfig({ REDIS_URL, LOG_LEVEL: 'silent' }, { mode: 'worker' }),
      store,
      logger: testLogger(),
      processors,
      prefix,
    });
    s = await startStack({ gateway: { store, sync }, env: { API_TOKENS } });
    const repo = new SyncJobsRepo(store);
    finishedId = randomUUID();
    await repo.create({ id: finishedId, kind: 'FS_IMPORT' });
    await repo.addIssues(finishedId, [{ severity: 'ERROR', message: `person ${FNR} refused`, record: `fnr=${FNR}` }]);
    await repo.finish(
      finishedId,
      'SUCCEEDED',
      {
        created: 0,
        updated: 0,
        unchanged: 0,
        terminated: 0,
        skipped: 0,
        failed: 1,
        details: { nationalId: FNR, note: 'kept' },
      },
      'done',
    );
  });

  afterAll(async () => {
    await s?.stop();
    await sync?.close();
    await deleteRedisKeys(prefix);
    await store?.close();
  });

  const jobCount = async () => first((await store.query<{ n: string }>('SELECT count(*) AS n FROM sync_jobs')).rows).n;

  it('cancelSyncJob with only sync: the job handle, yes; its issues, result or message, no', async () => {
    const handle = await s.gql(
      `mutation { cancelSyncJob(id: "${finishedId}") { id kind state progress dryRun attempts createdAt startedAt finishedAt __typename } }`,
      undefined,
      TOKENS.sync,
    );
    expect(handle.body.errors).toBeUndefined();
    expect(handle.body.data.cancelSyncJob).toMatchObject({
      id: `sync:${finishedId}`,
      kind: 'FS_IMPORT',
      state: 'SUCCEEDED',
    });

    const refused = [
      `mutation { cancelSyncJob(id: "${finishedId}") { id issues { message record } } }`,
      `mutation { cancelSyncJob(id: "${finishedId}") { id result { details failed } } }`,
      `mutation { cancelSyncJob(id: "${finishedId}") { message } }`,
      `mutation { cancelSyncJob(id: "${finishedId}") { ...J } } fragment J on SyncJob { id issues { message } }`,
      `mutation { cancelSyncJob(id: "${finishedId}") { ... on SyncJob { issues { message } } } }`,
      `mutation { ...M } fragment M on Mutation { cancelSyncJob(id: "${finishedId}") { issues { message } } }`,
      `mutation { ... on Mutation { x: cancelSyncJob(id: "${finishedId}") { id } y: cancelSyncJob(id: "${finishedId}") { result { created } } } }`,
    ];
    for (const q of refused) {
      const { status, body } = await s.gql(q, undefined, TOKENS.sync);
      expect({ q, status, code: body.errors?.[0]?.extensions?.code, data: body.data ?? null }).toEqual({
        q,
        status: 403,
        code: 'FORBIDDEN',
        data: null,
      });
      expect(JSON.stringify(body)).not.toContain(FNR);
      expect(body.errors[0].message).toMatch(/needs scope "read"/);
    }
  });

  it('every start mutation asking for more than the handle without read is refused before any job is queued', async () => {
    const before = await jobCount();
    for (const m of [
      'startLosImport',
      'startFsImport',
      'startUniLoginExport(mode: FULL)',
      'startCristinExport',
      'startCristinExport(dryRun: true)',
    ]) {
      for (const sel of ['{ id issues { message } }', '{ id result { details } }', '{ id message }']) {
        const { status, body } = await s.gql(`mutation { ${m} ${sel} }`, undefined, TOKENS.sync);
        expect({ m, sel, status, code: body.errors?.[0]?.extensions?.code }).toEqual({
          m,
          sel,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    }
    expect(await jobCount()).toBe(before);
    const ok = await s.gql('mutation { startLosImport { id kind state } }', undefined, TOKENS.sync);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.startLosImport).toMatchObject({ kind: 'LOS_IMPORT', state: 'QUEUED' });
    expect(Number(await jobCount())).toBe(Number(before) + 1);
  });

  it("with read + sync the answer is the query's: issues and details with national ids masked (left out), full with pii", async () => {
    const q = `mutation { cancelSyncJob(id: "${finishedId}") { issues { message record } result { details } } }`;
    const masked = await s.gql(q, undefined, READ_SYNC);
    expect(masked.body.errors).toBeUndefined();
    expect(masked.body.data.cancelSyncJob).toEqual({
      issues: [{ message: 'person 010170***** refused', record: 'fnr=010170*****' }],
      result: { details: { note: 'kept' } },
    });
    const full = await s.gql(q, undefined, TOKENS.all);
    expect(full.body.data.cancelSyncJob.issues[0].message).toBe(`person ${FNR} refused`);
    expect(full.body.data.cancelSyncJob.result.details).toEqual({ nationalId: FNR, note: 'kept' });
  });
});
