import { runLosImport, LOS_MARK_KEY } from '../jobs/los-import/los-import';
import { SEED_CLASS_UUIDS } from '../jobs/los-import/los-seed';
import { SyncStateRepo } from '../store/sync-state.repo';
import type { Db } from '../store/db';
import { KeyedIds } from '../core/keyed-ids';
import { loadDeploymentIdentity } from '../store/deployment.repo';
import { fakeRun, losSnapshot, memoryStore, startLosBed, type LosBed } from './helpers/los-delivery';
import { storeBackends } from './helpers/stores';
import { first, nth } from './helpers/defined';

const envFor = (bed: LosBed) => ({ LOS_FTP_URL: bed.ftp.url, DAR_URL: bed.dar.url });

async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await db.query(sql, params)).rows[0].n);
}

// The same tests on embedded PGlite and, when it answers (CI has it), on PostgreSQL.
describe.each(storeBackends())('LOS import on $name: a small municipality delivered day by day', (backend) => {
  let bed: LosBed;
  let db: Db;
  beforeAll(async () => {
    bed = await startLosBed({ days: 3, bom: true, crlf: true, failAddresses: 1 });
    db = await backend.open();
  });
  afterAll(async () => {
    await backend.cleanup();
    await bed.stop();
  });

  it('day 0: seed data, STAM classes, Org_inital (merge, gap, roots), Pers_nye and Leder_nye, through real FTP and DAR', async () => {
    await bed.deliver(0);
    const run = fakeRun(db, envFor(bed));
    const out = await runLosImport(run.ctx);
    const m = bed.manifest;
    expect(out.result.failed).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM los_organisation')).toBe(1);
    // Classes: every STAM class, published (and the seed's placeholders beside them: issue 10 item 5).
    for (const [facet, classes] of Object.entries(m.classes)) {
      expect(
        await count(
          db,
          'SELECT count(*) AS n FROM los_classes WHERE facet = $1 AND published AND NOT uuid = ANY($2::uuid[])',
          [facet, [...SEED_CLASS_UUIDS]],
        ),
      ).toBe(classes.length);
    }
    // Units: one history per unit, versions as the merge rule says (split rows merged, gap kept, renames).
    const day0Units = m.units.filter((u) => u.createdOnDay === 0);
    expect(await count(db, 'SELECT count(DISTINCT uuid) AS n FROM los_org_units')).toBe(day0Units.length);
    for (const u of day0Units) {
      const { rows } = await db.query(
        'SELECT valid_from::text AS f, valid_to::text AS t, name, parent_uuid::text AS p FROM los_org_units WHERE uuid = $1 ORDER BY valid_from',
        [u.uuid],
      );
      expect(rows.map((r) => ({ from: r.f, to: r.t, name: r.name }))).toEqual(u.versions);
      expect(rows[0].p).toBe(u.parentUuid); // roots (ParentUUID = OrgUUID) have no parent
    }
    expect(m.units.some((u) => u.history === 'split') && m.units.some((u) => u.history === 'gap')).toBe(true);
    // Engagements and persons.
    expect(await count(db, 'SELECT count(DISTINCT uuid) AS n FROM los_engagements')).toBe(m.engagements.length);
    expect(await count(db, 'SELECT count(*) AS n FROM los_persons')).toBe(m.persons.length);
    const e = first(m.engagements, 'the manifest engagements');
    const {
      rows: [eng],
    } = await db.query(
      'SELECT person_uuid::text AS p, org_uuid::text AS o, is_primary FROM los_engagements WHERE uuid = $1',
      [e.uuid],
    );
    const ids = new KeyedIds((await loadDeploymentIdentity(db)).idKey);
    expect(eng).toEqual({ p: ids.person(e.cpr), o: e.unitUuid, is_primary: e.primary });
    expect(await count(db, 'SELECT count(DISTINCT uuid) AS n FROM los_managers')).toBe(m.managers.length);
    // DAR: each distinct text asked once; the unknown one is reported and that unit has no postal address.
    expect([...bed.dar.stats.byText.values()].every((n) => n === 1)).toBe(true);
    const darIssue = run.issues.find((i) => i.field === 'PostAdresse');
    expect(darIssue).toMatchObject({
      severity: 'WARNING',
      file: expect.stringMatching(/^Org_/),
      line: expect.any(Number),
    });
    expect(darIssue!.message).toContain(bed.unknownAddresses[0]);
    expect(
      await count(db, `SELECT count(*) AS n FROM los_org_units WHERE addresses ? 'AddressMailUnit'`),
    ).toBeGreaterThan(0);
    expect(
      await count(db, `SELECT count(*) AS n FROM los_org_units WHERE addresses->'AddressMailUnit'->>'text' = $1`, [
        bed.unknownAddresses[0],
      ]),
    ).toBe(0);
    expect(run.progress.at(-1)).toBe(1);
    expect(await new SyncStateRepo(db).get(LOS_MARK_KEY)).toEqual(expect.any(String));
  });

  it('a second run with no new files changes nothing', async () => {
    const before = await losSnapshot(db);
    const run = fakeRun(db, envFor(bed));
    const out = await runLosImport(run.ctx);
    expect(out.message).toMatch(/No new LOS files/);
    expect(out.result).toMatchObject({ created: 0, updated: 0, terminated: 0 });
    expect(await losSnapshot(db)).toBe(before);
  });

  it('a dry run of the next day reports what would change and changes nothing', async () => {
    await bed.deliver(1);
    const before = await losSnapshot(db);
    const mark = await new SyncStateRepo(db).get(LOS_MARK_KEY);
    const run = fakeRun(db, envFor(bed), { dryRun: true });
    const out = await runLosImport(run.ctx);
    expect(out.result.created + out.result.updated + out.result.terminated).toBeGreaterThan(0);
    expect(out.message).toMatch(/^Dry run/);
    expect(await losSnapshot(db)).toBe(before);
    expect(await new SyncStateRepo(db).get(LOS_MARK_KEY)).toBe(mark);
  });

  it('a later delivery day is applied alone: its new units, changed and ended engagements, managers', async () => {
    const day = nth(bed.manifest.days, 1, 'the delivery days');
    const cached = await count(db, 'SELECT count(*) AS n FROM dar_cache');
    bed.dar.stats.reset();
    const run = fakeRun(db, envFor(bed));
    const out = await runLosImport(run.ctx);
    expect((out.result.details as any).files.map((f: any) => f.name).sort()).toEqual([...day.files].sort());
    for (const u of day.createdUnits)
      expect(await count(db, 'SELECT count(*) AS n FROM los_org_units WHERE uuid = $1', [u])).toBe(1);
    for (const id of day.endedEngagements) {
      const { rows } = await db.query('SELECT max(valid_to)::text AS t FROM los_engagements WHERE uuid = $1', [id]);
      expect(rows[0].t).toBe(day.date);
    }
    for (const u of day.renamedUnits) {
      const { rows } = await db.query(
        'SELECT name FROM los_org_units WHERE uuid = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)',
        [u, day.date],
      );
      expect(rows).toHaveLength(1);
    }
    for (const mg of day.endedManagers) {
      const { rows } = await db.query(
        'SELECT max(valid_to)::text AS t FROM los_managers m JOIN los_persons p ON p.uuid = m.person_uuid WHERE m.org_uuid = $1 AND p.cpr = $2',
        [mg.unitUuid, mg.cpr],
      );
      expect(rows[0].t).toBe(day.date);
    }
    expect(out.result.failed).toBe(0);
    // Addresses seen on day 0 come from the DAR cache in the store: only new texts are asked, once each.
    expect([...bed.dar.stats.byText.values()].every((n) => n === 1)).toBe(true);
    expect(cached).toBeGreaterThan(0);
    expect((out.result.details as any).dar.cacheHitsAcrossRuns).toBeGreaterThan(0);
  });

  it('no CPR number appears in full in any issue or log line', async () => {
    await bed.deliver(2);
    const run = fakeRun(db, envFor(bed));
    await runLosImport(run.ctx);
    const text = JSON.stringify(run.issues) + run.logs.join('');
    for (const cpr of bed.manifest.cprs) expect(text).not.toContain(cpr);
  });
});

describe('LOS import: bad input is reported with file and line, and the rest goes in', () => {
  let bed: LosBed;
  let db: Db;
  beforeAll(async () => {
    bed = await startLosBed({ days: 1, badRows: true });
    db = await memoryStore();
  });
  afterAll(async () => {
    await db.close();
    await bed.stop();
  });

  it('reports every injected bad row, the bad stamp and the unknown manager CPR; imports everything else', async () => {
    await bed.deliver('all');
    const run = fakeRun(db, envFor(bed));
    const out = await runLosImport(run.ctx);
    for (const bad of bed.manifest.badRows) {
      const found = run.issues.find((i) => i.file === bad.file && (bad.line === undefined || i.line === bad.line));
      expect({ bad, found: !!found }).toEqual({ bad, found: true });
    }
    expect(run.issues.some((i) => /CPR \d{6}\*{4}/.test(i.message))).toBe(true);
    expect(out.result.failed).toBeGreaterThanOrEqual(bed.manifest.badRows.filter((b) => b.what !== 'bad-stamp').length);
    expect(await count(db, 'SELECT count(DISTINCT uuid) AS n FROM los_engagements')).toBeGreaterThanOrEqual(
      bed.manifest.engagements.length,
    );
    const text = JSON.stringify(run.issues) + run.logs.join('');
    for (const cpr of bed.manifest.cprs) expect(text).not.toContain(cpr);
  });
});

describe('LOS import: DAR unavailable', () => {
  it('reports each unit whose address could not be looked up and imports it without the address', async () => {
    const bed = await startLosBed({ days: 0, units: 12, engagements: 10, managers: 2 });
    const db = await memoryStore();
    try {
      await bed.deliver(0);
      bed.dar.failNext(500, Infinity);
      const run = fakeRun(db, { ...envFor(bed) });
      const out = await runLosImport(run.ctx);
      expect(await count(db, 'SELECT count(DISTINCT uuid) AS n FROM los_org_units')).toBe(bed.manifest.units.length);
      expect(await count(db, `SELECT count(*) AS n FROM los_org_units WHERE addresses ? 'AddressMailUnit'`)).toBe(0);
      const darIssues = run.issues.filter((i) => i.field === 'PostAdresse');
      expect(darIssues.length).toBeGreaterThan(0);
      expect(first(darIssues).message).toMatch(/DAR unavailable.*DAR_URL/);
      expect(out.result.failed).toBe(0);
      // Failures are not cached: the next run asks DAR again.
      expect(await count(db, 'SELECT count(*) AS n FROM dar_cache')).toBe(0);
    } finally {
      await db.close();
      await bed.stop();
    }
  });
});

describe('LOS import: interrupted and re-run ends in the same state as a clean run', () => {
  let bed: LosBed;
  beforeAll(async () => {
    bed = await startLosBed({ days: 2, units: 60, engagements: 400, managers: 20 });
    await bed.deliver('all');
  });
  afterAll(async () => bed.stop());

  it('a run cancelled half-way keeps nothing; the re-run equals a clean run', async () => {
    // Two stores give the same person ids only under the same ID_KEY (else each keeps its own random key).
    const env = { ...envFor(bed), ID_KEY: 'the same key for both stores, 32+ characters' };
    const clean = await memoryStore();
    await runLosImport(fakeRun(clean, env).ctx);
    const expected = await losSnapshot(clean);
    await clean.close();

    const db = await memoryStore();
    const run = fakeRun(db, env);
    const realProgress = run.ctx.progress.bind(run.ctx);
    run.ctx.progress = (f, msg) => {
      realProgress(f, msg);
      if (f > 0.5) run.abort(); // cancel mid-import
    };
    await expect(runLosImport(run.ctx)).rejects.toThrow(/cancelled/);
    expect(await count(db, 'SELECT count(*) AS n FROM los_org_units')).toBe(0);
    expect(await new SyncStateRepo(db).get(LOS_MARK_KEY)).toBeUndefined();
    await runLosImport(fakeRun(db, env).ctx);
    expect(await losSnapshot(db)).toBe(expected);
    await db.close();
  });
});
