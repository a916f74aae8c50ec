/**
 * The UNI-Login drop guard (issue 10 item 3) and schedules that pick the export mode, against the WS10 simulator
 * over SOAP on loopback, the LOS fixture organisation in a real (in-memory) store, and BullMQ's job schedulers on
 * the real Redis.
 *
 * Under Aarhus Kommune, today: Anne Marie Hansen, Bo Jensen and Cecilie Østergaard; a first FULL makes UNI-Login
 * hold those three from us, so one of them gone is a third — above the default UNILOGIN_MAX_DROP_PERCENT (10).
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { PermanentSyncError } from '../jobs/framework/types';
import { runUniLoginExport } from '../jobs/unilogin-export/unilogin-export';
import { applySchedules, schedulerId } from '../jobs/framework/schedules';
import { deploymentPrefix, queueName, type SyncJobData } from '../jobs/framework/queues';
import { loadConfig } from '../core/config';
import { startUniLoginSimulator, type UniLoginSimulator } from '../simulators/unilogin';
import { UniLoginExportRepo } from '../store/unilogin.repo';
import type { Db } from '../store/db';
import { fakeRun, memoryStore } from './helpers/los-delivery';
import { ENGAGEMENTS, PERSONS, insertLosFixtures, personId } from './helpers/los-fixtures';
import { INSTITUTION, PASSWORD, SOURCE, USER, uniloginEnv } from './helpers/unilogin';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix } from './helpers/jobs';

describe('UNI-Login drop guard', () => {
  let sim: UniLoginSimulator;
  let store: Db;
  let env: Record<string, string>;

  beforeEach(async () => {
    sim = await startUniLoginSimulator({
      users: [{ user: USER, password: PASSWORD }],
      institutions: [INSTITUTION],
      sources: [SOURCE],
    });
    store = await memoryStore();
    await insertLosFixtures(store);
    env = uniloginEnv(sim);
  });
  afterEach(async () => {
    await sim?.stop();
    await store?.close();
  });

  const run = (params: Record<string, unknown>, o: { dryRun?: boolean; env?: Record<string, string> } = {}) => {
    const r = fakeRun(store, o.env ?? env, { kind: 'UNILOGIN_EXPORT', params, dryRun: o.dryRun });
    return { ...r, outcome: runUniLoginExport(r.ctx) };
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e) => e as Error,
    );
  const held = () =>
    sim
      .persons(INSTITUTION, SOURCE)
      .map((p) => p.familyName)
      .sort();

  it('a FULL that leaves out a person who fails the checks counts them as removed: refused with the numbers; force: true sends it', async () => {
    await run({ mode: 'FULL' }).outcome;
    expect(held()).toEqual(['Hansen', 'Jensen', 'Østergaard']);
    // One word: no first name, so the record fails the checks and the FULL document leaves Cecilie out.
    await store.query(`UPDATE los_persons SET name = 'Cecilie' WHERE uuid = $1`, [personId(PERSONS.cecilie)]);

    const refused = run({ mode: 'FULL' });
    const err = await failure(refused.outcome);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect(err!.message).toBe(
      'The FULL upload would remove 1 of the 3 persons UNI-Login accepted from us last time (33.3%, 1 of them left out of the document ' +
        'because their records fail the checks (see issues)), more than UNILOGIN_MAX_DROP_PERCENT=10%; nothing was sent. ' +
        'If they really are to go, run startUniLoginExport(mode: FULL, force: true), or raise UNILOGIN_MAX_DROP_PERCENT.',
    );
    expect(refused.issues).toEqual([
      expect.objectContaining({
        record: personId(PERSONS.cecilie),
        message: expect.stringMatching(/left out of the upload/),
      }),
    ]);
    expect(sim.calls.UploadXmlData).toBe(1);
    expect(held()).toEqual(['Hansen', 'Jensen', 'Østergaard']);
    expect((await new UniLoginExportRepo(store).snapshot(INSTITUTION, SOURCE, 'person')).size).toBe(3);

    // A dry run says so, and sends nothing either.
    const dry = await run({ mode: 'FULL' }, { dryRun: true }).outcome;
    expect(dry.message).toMatch(/A real run would be refused: The FULL upload would remove 1 of the 3 persons/);
    expect(dry.result.details).toMatchObject({
      wouldBeRefused: true,
      removal: { accepted: 3, removed: 1, leftOut: 1 },
      personsInSources: 2,
    });
    expect(sim.calls.UploadXmlData).toBe(1);

    const forced = await run({ mode: 'FULL', force: true }).outcome;
    expect(forced.result).toMatchObject({ failed: 1, details: { removal: { accepted: 3, removed: 1, leftOut: 1 } } });
    expect(sim.calls.UploadXmlData).toBe(2);
    expect(held()).toEqual(['Hansen', 'Jensen']);
  });

  it('a DELETE above the limit is refused; within UNILOGIN_MAX_DROP_PERCENT it goes', async () => {
    await run({ mode: 'FULL' }).outcome;
    await store.query(`UPDATE los_engagements SET valid_to = '2021-01-01' WHERE uuid = $1`, [
      ENGAGEMENTS.cecilieCulture,
    ]);
    const err = await failure(run({ mode: 'DELETE' }).outcome);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect(err!.message).toMatch(
      /^The DELETE upload would remove 1 of the 3 persons UNI-Login accepted from us last time \(33\.3%\), more than UNILOGIN_MAX_DROP_PERCENT=10%; nothing was sent\. .*startUniLoginExport\(mode: DELETE, force: true\)/,
    );
    expect(sim.calls.UploadDeleteXmlData ?? 0).toBe(0);

    const allowed = await run({ mode: 'DELETE' }, { env: { ...env, UNILOGIN_MAX_DROP_PERCENT: '34' } }).outcome;
    expect(allowed.result).toMatchObject({ terminated: 1 });
    expect(held()).toEqual(['Hansen', 'Jensen']);
  });

  it('a change within the limit is not stopped: 1 of 3 passes at UNILOGIN_MAX_DROP_PERCENT=34, not at 33', async () => {
    await run({ mode: 'FULL' }).outcome;
    await store.query(`UPDATE los_engagements SET valid_to = '2021-01-01' WHERE uuid = $1`, [
      ENGAGEMENTS.cecilieCulture,
    ]);
    await expect(run({ mode: 'FULL' }, { env: { ...env, UNILOGIN_MAX_DROP_PERCENT: '33' } }).outcome).rejects.toThrow(
      /would remove 1 of the 3/,
    );
    const ok = await run({ mode: 'FULL' }, { env: { ...env, UNILOGIN_MAX_DROP_PERCENT: '34' } }).outcome;
    expect(ok.result).toMatchObject({ terminated: 1, details: { removal: { accepted: 3, removed: 1, leftOut: 0 } } });
  });

  describe('schedules that pick the mode', () => {
    const prefix = uniquePrefix('unilogin-guard');
    const deploymentId = randomUUID();
    afterAll(async () => {
      await deleteRedisKeys(prefix);
    });

    it('a nightly INCREMENTAL and a weekly FULL are two schedulers; their jobs carry the mode and never force, so a scheduled FULL is refused by the guard', async () => {
      const config = loadConfig(
        { ...env, REDIS_URL, SYNC_SCHEDULES: 'UNILOGIN_EXPORT=0 3 * * 1-6:INCREMENTAL;UNILOGIN_EXPORT=0 3 * * 0:FULL' },
        { mode: 'worker' },
      );
      const logger = testLogger();
      const applied = await applySchedules({
        redisUrl: REDIS_URL,
        prefix,
        schedules: config.syncSchedules,
        tz: config.tz,
        available: new Set(['UNILOGIN_EXPORT']),
        logger,
        deploymentId,
      });
      expect(applied).toEqual(
        new Map([
          ['UNILOGIN_EXPORT:INCREMENTAL', '0 3 * * 1-6'],
          ['UNILOGIN_EXPORT:FULL', '0 3 * * 0'],
        ]),
      );
      const queue = new Queue<SyncJobData>(queueName('UNILOGIN_EXPORT'), {
        connection: { url: REDIS_URL },
        prefix: deploymentPrefix({ prefix, deploymentId }),
      });
      try {
        const schedulers = await queue.getJobSchedulers();
        expect(schedulers.map((s) => [s.key, s.pattern]).sort()).toEqual([
          [schedulerId('UNILOGIN_EXPORT', 'FULL'), '0 3 * * 0'],
          [schedulerId('UNILOGIN_EXPORT', 'INCREMENTAL'), '0 3 * * 1-6'],
        ]);
        const full = (await queue.getJobScheduler(schedulerId('UNILOGIN_EXPORT', 'FULL')))!.template!.data!;
        expect(full).toEqual({
          kind: 'UNILOGIN_EXPORT',
          dryRun: false,
          params: { mode: 'FULL' },
          scheduled: true,
          deploymentId,
        });
        expect(
          (await queue.getJobScheduler(schedulerId('UNILOGIN_EXPORT', 'INCREMENTAL')))!.template!.data!.params,
        ).toEqual({ mode: 'INCREMENTAL' });

        // The weekly FULL's job, run as the worker runs it, meets the guard like any other run.
        await run({ mode: 'FULL' }).outcome;
        await store.query(`UPDATE los_engagements SET valid_to = '2021-01-01' WHERE uuid = $1`, [
          ENGAGEMENTS.cecilieCulture,
        ]);
        await expect(run(full.params).outcome).rejects.toThrow(/would remove 1 of the 3 persons/);

        // Dropping the weekly FULL from SYNC_SCHEDULES removes its scheduler and keeps the other.
        const nightly = loadConfig(
          { REDIS_URL, SYNC_SCHEDULES: 'UNILOGIN_EXPORT=0 3 * * *:INCREMENTAL' },
          { mode: 'worker' },
        );
        await applySchedules({
          redisUrl: REDIS_URL,
          prefix,
          schedules: nightly.syncSchedules,
          tz: nightly.tz,
          available: new Set(['UNILOGIN_EXPORT']),
          logger,
          deploymentId,
        });
        expect((await queue.getJobSchedulers()).map((s) => [s.key, s.pattern])).toEqual([
          [schedulerId('UNILOGIN_EXPORT', 'INCREMENTAL'), '0 3 * * *'],
        ]);
      } finally {
        await queue.close();
      }
    });

    it('SYNC_SCHEDULES refuses one kind and mode twice, and a mode for a kind that has none', () => {
      expect(() => loadConfig({ SYNC_SCHEDULES: 'UNILOGIN_EXPORT=0 3 * * *;UNILOGIN_EXPORT=0 4 * * 0:FULL' })).toThrow(
        'SYNC_SCHEDULES: UNILOGIN_EXPORT (mode FULL) is scheduled twice ("0 3 * * *" and "0 4 * * 0"): one entry per kind and mode',
      );
      expect(() => loadConfig({ SYNC_SCHEDULES: 'LOS_IMPORT=0 2 * * *:FULL' })).toThrow(
        /SYNC_SCHEDULES: "LOS_IMPORT" takes no mode/,
      );
      expect(() => loadConfig({ SYNC_SCHEDULES: 'UNILOGIN_EXPORT=0 2 * * *:SOMETIMES' })).toThrow(
        /unknown mode "SOMETIMES" \(known: FULL, INCREMENTAL, DELETE\)/,
      );
      expect(() => loadConfig({ UNILOGIN_URL: 'http://127.0.0.1:1', UNILOGIN_MAX_DROP_PERCENT: '101' })).toThrow(
        /UNILOGIN_MAX_DROP_PERCENT: must be between 0 and 100/,
      );
    });
  });
});
