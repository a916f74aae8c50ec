/**
 * Keyed ids (issue 9 item 2): LOS person and manager ids and FS `nid:` keys are HMAC-SHA-256 under the
 * deployment's key (ID_KEY, or the random key kept in the store); stores with ids of the former unkeyed
 * derivation are migrated once, in one transaction; UNI-Login keeps the LocalPersonIds it accepted.
 * On PGlite and PostgreSQL, through the real LOS import (FTP + DAR simulators), FS import, UNI-Login export (WS10
 * simulator over SOAP) and store.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { KeyedIds } from '../core/keyed-ids';
import { uuidV5 } from '../datasources/los/ids';
import { runFsImport } from '../jobs/fs-import/fs-import';
import { memoryFsImportSource } from '../jobs/fs-import/fs-import-source';
import { runLosImport } from '../jobs/los-import/los-import';
import { runUniLoginExport } from '../jobs/unilogin-export/unilogin-export';
import { loadConfig } from '../core/config';
import { startUniLoginSimulator, type UniLoginSimulator } from '../simulators/unilogin';
import { openStore, type Db, type StoreOptions } from '../store/db';
import { loadDeploymentIdentity } from '../store/deployment.repo';
import { prepareKeyedIds, rekeyStore } from '../store/keyed-ids.repo';
import { findMigrationsDir } from '../store/migrate';
import { TEST_CONFIG, fakeFsRun, person } from './helpers/fs-import';
import { fakeRun, startLosBed, type LosBed } from './helpers/los-delivery';
import { CLASSES, PERSONS, UNITS, insertLosFixtures } from './helpers/los-fixtures';
import { dropSchema, postgresTestUrl, storeBackends, type StoreBackend } from './helpers/stores';
import { INSTITUTION, PASSWORD, SOURCE, USER, exportRun, uniloginEnv } from './helpers/unilogin';

// The former derivation, kept only here, to build stores as the old code left them and to attack its ids.
const OLD_NS = { person: '4f6f0c1e-2b7d-4a53-9d2e-6c0a9b1f7e01', manager: '4f6f0c1e-2b7d-4a53-9d2e-6c0a9b1f7e02' };
const oldPerson = (cpr: string) => uuidV5(cpr, OLD_NS.person);
const oldManager = (org: string, cpr: string) => uuidV5(`${org.toLowerCase()}|${cpr}`, OLD_NS.manager);
const oldNidKey = (nid: string) => `nid:${createHash('sha256').update(nid).digest('hex').slice(0, 16)}`;

/** The attack of the issue: the birth date (first six digits) narrows a CPR to 10,000 candidates. */
function bruteForceOldDerivation(id: string, birth: string): string | undefined {
  for (let i = 0; i < 10_000; i++) {
    const candidate = `${birth}${String(i).padStart(4, '0')}`;
    if (oldPerson(candidate) === id) return candidate;
  }
  return undefined;
}

const KEY_1 = 'first deployment key: 32+ characters of secret';
const KEY_2 = 'second deployment key: also 32+ characters long';

/**
 * One deployment's store: its own Postgres schema, or its own PGlite — on disk when the test restarts it
 * (`persistent`), else in memory (an embedded store on disk is slow to open).
 */
interface Deployment {
  open(o?: Pick<StoreOptions, 'migrationsDir'>): Promise<Db>;
  cleanup(): Promise<void>;
}

function deployment(kind: StoreBackend['name'], persistent: boolean): Deployment {
  const handles: Db[] = [];
  const url = postgresTestUrl();
  const schema = `test_keyed_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const dir = kind === 'pglite' && persistent ? mkdtempSync(join(tmpdir(), 'idbro-keyed-')) : undefined;
  return {
    async open(o = {}) {
      const db =
        kind === 'pglite'
          ? await openStore(dir ? { dataDir: dir, ...o } : { memory: true, ...o })
          : await openStore({ databaseUrl: url!, schema, connectTimeoutMs: 3000, ...o });
      handles.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(handles.splice(0).map((db) => db.close()));
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres') await dropSchema(url!, schema);
    },
  };
}

/** A folder with the migrations the code before keyed ids had (001–006). */
function migrationsBeforeKeyedIds(): string {
  const from = findMigrationsDir();
  const dir = mkdtempSync(join(tmpdir(), 'idbro-mig006-'));
  for (const f of readdirSync(from).filter((n) => n.endsWith('.sql') && n < '007'))
    copyFileSync(join(from, f), join(dir, f));
  return dir;
}

const personIds = async (db: Db) =>
  new Map(
    (await db.query<{ cpr: string; uuid: string }>('SELECT cpr, uuid::text AS uuid FROM los_persons')).rows.map((r) => [
      r.cpr,
      r.uuid,
    ]),
  );

/** Every row of every table of the store as text: where an id could still hide. */
async function everyRow(db: Db): Promise<Map<string, string[]>> {
  const { rows: tables } = await db.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out = new Map<string, string[]>();
  for (const { t } of tables)
    out.set(
      t,
      (await db.query<{ r: string }>(`SELECT x::text AS r FROM ${t} x ORDER BY 1`)).rows.map((r) => r.r),
    );
  return out;
}

describe.each(storeBackends())('keyed ids on $name', (backend) => {
  const kind = backend.name;
  let bed: LosBed;
  const deployments: Deployment[] = [];
  const newDeployment = (o: { restarts?: boolean } = {}) => {
    const d = deployment(kind, o.restarts === true);
    deployments.push(d);
    return d;
  };
  const losEnv = (extra: Record<string, string> = {}) => ({ LOS_FTP_URL: bed.ftp.url, DAR_URL: bed.dar.url, ...extra });

  beforeAll(async () => {
    bed = await startLosBed({ days: 2 });
    await bed.deliver(0);
  });
  afterAll(async () => {
    await Promise.all(deployments.map((d) => d.cleanup()));
    await backend.cleanup();
    await bed?.stop();
  });

  it('two deployments importing the same LOS delivery give different person and manager ids; a restart keeps them', async () => {
    const a = newDeployment({ restarts: true });
    const b = newDeployment();
    let dbA = await a.open();
    const dbB = await b.open();
    expect((await runLosImport(fakeRun(dbA, losEnv()).ctx)).result.failed).toBe(0);
    expect((await runLosImport(fakeRun(dbB, losEnv()).ctx)).result.failed).toBe(0);
    const idsA = await personIds(dbA);
    const idsB = await personIds(dbB);
    expect(idsA.size).toBe(bed.manifest.persons.length);
    expect([...idsB.keys()].sort()).toEqual([...idsA.keys()].sort());
    for (const [cpr, id] of idsA) {
      expect(idsB.get(cpr)).not.toBe(id);
      expect(id).not.toBe(oldPerson(cpr));
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/); // RFC 9562 version 8
    }
    const managers = async (db: Db) =>
      (await db.query('SELECT DISTINCT uuid::text AS u FROM los_managers ORDER BY 1')).rows.map((r) => r.u);
    const managersA = await managers(dbA);
    expect(managersA.length).toBe(bed.manifest.managers.length);
    expect((await managers(dbB)).filter((m) => managersA.includes(m))).toEqual([]);

    // Restart: the same store, opened again, keeps the ids; the next day's files meet the same persons.
    await dbA.close();
    dbA = await a.open();
    const ids = await prepareKeyedIds(dbA);
    expect(await personIds(dbA)).toEqual(idsA);
    for (const [cpr, id] of idsA) expect(ids.person(cpr)).toBe(id);
    await bed.deliver(1);
    expect((await runLosImport(fakeRun(dbA, losEnv()).ctx)).result.failed).toBe(0);
    const after = await personIds(dbA);
    for (const [cpr, id] of idsA) expect(after.get(cpr)).toBe(id);
    const { rows: orphans } = await dbA.query(
      'SELECT count(*)::int AS n FROM los_engagements e WHERE NOT EXISTS (SELECT 1 FROM los_persons p WHERE p.uuid = e.person_uuid)',
    );
    expect(orphans[0].n).toBe(0);
  }, 90_000); // three store opens (one on disk) and three imports

  it('ID_KEY set: the ids are the HMAC under it, another ID_KEY gives other ids, and brute-forcing the former derivation finds no CPR', async () => {
    const d = newDeployment();
    const db = await d.open();
    const run = fakeRun(db, losEnv({ ID_KEY: KEY_1 }));
    const out = await runLosImport(run.ctx);
    expect(out.result.failed).toBe(0);
    // The key is in no log line, issue or result.
    expect(JSON.stringify([run.logs, run.issues, out])).not.toContain(KEY_1);
    const stored = await personIds(db);
    const k1 = new KeyedIds(Buffer.from(KEY_1, 'utf8'));
    const k2 = new KeyedIds(Buffer.from(KEY_2, 'utf8'));
    for (const [cpr, id] of stored) expect(id).toBe(k1.person(cpr));

    // The attack of the issue, on three persons: it finds the CPR behind an id of the former derivation (so
    // the test can tell), and nothing behind a keyed id.
    for (const [cpr, id] of [...stored].slice(0, 3)) {
      expect(bruteForceOldDerivation(oldPerson(cpr), cpr.slice(0, 6))).toBe(cpr);
      expect(bruteForceOldDerivation(id, cpr.slice(0, 6))).toBeUndefined();
    }

    // The same store started with another ID_KEY: every id is re-derived under it, once, and that is logged
    // (without either key).
    const logged: string[] = [];
    const logger = {
      info: (o: object, m: string) => logged.push(JSON.stringify(o) + m),
      warn: (o: object, m: string) => logged.push(JSON.stringify(o) + m),
    };
    await prepareKeyedIds(db, { idKey: KEY_2, logger });
    expect(logged).toEqual([
      expect.stringMatching(/"from":"other-key","persons":\d+.*derived with another key than ID_KEY/),
    ]);
    expect(logged.join('')).not.toMatch(/first deployment key|second deployment key/);
    for (const [cpr, id] of await personIds(db)) expect(id).toBe(k2.person(cpr));
    expect(await rekeyStore(db, k2)).toMatchObject({ rewritten: false });
  }, 60_000); // an import, then two re-derivations

  it('ID_KEY: too short is refused naming the setting, without echoing it; the key object never prints its key', () => {
    expect(() => loadConfig({ ID_KEY: 'short-secret-value' })).toThrow(/^ID_KEY: must be at least 32 characters/);
    try {
      loadConfig({ ID_KEY: 'short-secret-value' });
    } catch (e) {
      expect(String(e)).not.toContain('short-secret-value');
    }
    expect(loadConfig({ ID_KEY: KEY_1 }).idKey).toBe(KEY_1);
    const ids = new KeyedIds(Buffer.from(KEY_1));
    expect(`${JSON.stringify({ ids })} ${inspect(ids)}`).not.toMatch(/first deployment key|6669727374/);
  });

  it('FS decision keys of persons without personlopenummer are keyed: not the unsalted hash, different per deployment', async () => {
    const nid = '01019912345';
    const keys: string[] = [];
    for (const d of [newDeployment(), newDeployment()]) {
      const db = await d.open();
      const run = fakeFsRun(db);
      await runFsImport(run.ctx, {
        source: memoryFsImportSource([person({ personNumber: null, nationalId: nid })]),
        cerebrum: null,
        config: TEST_CONFIG,
        today: '2024-10-15',
      });
      const ids = new KeyedIds((await loadDeploymentIdentity(db)).idKey);
      const { rows } = await db.query("SELECT person_key, decision->>'key' AS k FROM fs_import_decisions");
      expect(rows).toEqual([{ person_key: ids.nationalIdKey(nid), k: ids.nationalIdKey(nid) }]);
      expect(rows[0].person_key).not.toBe(oldNidKey(nid));
      expect(rows[0].person_key).toMatch(/^nid:[0-9a-f]{32}$/);
      keys.push(rows[0].person_key);
    }
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('a store with ids of the former derivation is migrated in one transaction (a failure leaves it as it was), every reference, once', async () => {
    const d = newDeployment({ restarts: true });
    const migrations006 = migrationsBeforeKeyedIds();
    // The store as the code before keyed ids left it.
    let db = await d.open({ migrationsDir: migrations006 });
    const org = UNITS.schools;
    const cprs = { kept: '0101701234', leftOut: '1502054321', plain: '3112585678' };
    const nid = '01019912345';
    await db.transaction(async (tx) => {
      for (const cpr of Object.values(cprs))
        await tx.query('INSERT INTO los_persons (uuid, cpr, name) VALUES ($1, $2, $3)', [
          oldPerson(cpr),
          cpr,
          `Person ${cpr.slice(0, 4)}`,
        ]);
      const eng = `INSERT INTO los_engagements (uuid, valid_from, valid_to, person_uuid, user_key, org_uuid, engagement_type, job_function, is_primary)
                   VALUES ($1, $2, $3, $4, 'E', $5, $6, $7, true)`;
      await tx.query(eng, [
        '5b0e7f0a-0000-4000-8000-000000000001',
        '2020-01-01',
        '2020-12-31',
        oldPerson(cprs.kept),
        org,
        CLASSES.monthly.uuid,
        CLASSES.teacher.uuid,
      ]);
      await tx.query(eng, [
        '5b0e7f0a-0000-4000-8000-000000000001',
        '2021-01-01',
        null,
        oldPerson(cprs.kept),
        org,
        CLASSES.monthly.uuid,
        CLASSES.pedagogue.uuid,
      ]);
      await tx.query(eng, [
        '5b0e7f0a-0000-4000-8000-000000000002',
        '2020-01-01',
        null,
        oldPerson(cprs.leftOut),
        org,
        CLASSES.monthly.uuid,
        CLASSES.teacher.uuid,
      ]);
      for (const from of ['2020-01-01', '2022-01-01']) {
        await tx.query('INSERT INTO los_managers (uuid, valid_from, org_uuid, person_uuid) VALUES ($1, $2, $3, $4)', [
          oldManager(org, cprs.kept),
          from,
          org,
          oldPerson(cprs.kept),
        ]);
      }
      await tx.query(
        `INSERT INTO unilogin_exports (institution, source, last_sent_at, last_accepted_at, last_accepted_mode, last_full_at) VALUES ('A10035', 'idbro', '2024-01-01T00:00:00', '2024-01-01T00:00:00', 'FULL', '2024-01-01T00:00:00')`,
      );
      await tx.query(
        `INSERT INTO unilogin_snapshot (institution, source, kind, key, fingerprint) VALUES ('A10035', 'idbro', 'person', $1, 'f1'), ('A10035', 'idbro', 'group', 'BU-SK', 'f2')`,
        [oldPerson(cprs.kept)],
      );
      const decision = `INSERT INTO fs_import_decisions (dry_run, person_key, job_id, decided_on, personlopenummer, national_id, imported, student, block_action, decision)
                        VALUES ($1, $2, 'fs-job', '2024-10-15', $3, $4, true, true, 'NONE', $5::jsonb)`;
      for (const dry of [false, true])
        await tx.query(decision, [
          dry,
          oldNidKey(nid),
          null,
          nid,
          JSON.stringify({ key: oldNidKey(nid), name: 'Kari' }),
        ]);
      await tx.query(decision, [false, 'fs:100001', '100001', null, JSON.stringify({ key: 'fs:100001' })]);
      await tx.query(
        `INSERT INTO sync_jobs (id, kind, state, result, issue_count) VALUES ('fs-job', 'FS_IMPORT', 'SUCCEEDED', $1::jsonb, 1), ('ul-job', 'UNILOGIN_EXPORT', 'SUCCEEDED', '{}', 2)`,
        [JSON.stringify({ details: { cerebrumWrites: [`PUT /v1/accounts/kari/quarantines/q (${oldNidKey(nid)})`] } })],
      );
      await tx.query(
        `INSERT INTO sync_issues (job_id, seq, severity, message, record) VALUES
        ('fs-job', 1, 'WARNING', $1, $2), ('ul-job', 1, 'ERROR', $3, $4), ('ul-job', 2, 'WARNING', $5, $6)`,
        [
          `${oldNidKey(nid)}: came twice`,
          oldNidKey(nid),
          `${oldPerson(cprs.leftOut)}: left out of the upload`,
          oldPerson(cprs.leftOut),
          `${oldPerson(cprs.kept)}: UNI-Login warned`,
          oldPerson(cprs.kept),
        ],
      );
    });
    await db.close();
    rmSync(migrations006, { recursive: true, force: true });

    // The new code opens it (migration 007 applies); the re-derivation fails half-way (after the persons).
    db = await d.open();
    await loadDeploymentIdentity(db, { idKey: KEY_1 }); // the deployment row is written at first start, outside the re-derivation
    const before = await everyRow(db);
    await db.query(
      `CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`,
    );
    await db.query(
      'CREATE TRIGGER test_fail BEFORE UPDATE ON fs_import_decisions FOR EACH ROW EXECUTE FUNCTION test_fail()',
    );
    await expect(prepareKeyedIds(db, { idKey: KEY_1 })).rejects.toThrow(/disk full/);
    expect(await everyRow(db)).toEqual(before);
    await db.query('DROP TRIGGER test_fail ON fs_import_decisions');
    await db.query('DROP FUNCTION test_fail()');

    // A re-run completes it.
    const ids = await prepareKeyedIds(db, { idKey: KEY_1 });
    const persons = await personIds(db);
    for (const cpr of Object.values(cprs)) expect(persons.get(cpr)).toBe(ids.person(cpr));
    const { rows: engagements } = await db.query(
      'SELECT person_uuid::text AS p FROM los_engagements ORDER BY uuid, valid_from',
    );
    expect(engagements.map((r) => r.p)).toEqual([
      ids.person(cprs.kept),
      ids.person(cprs.kept),
      ids.person(cprs.leftOut),
    ]);
    const { rows: managers } = await db.query(
      'SELECT uuid::text AS u, person_uuid::text AS p FROM los_managers ORDER BY valid_from',
    );
    expect(managers).toEqual([0, 1].map(() => ({ u: ids.manager(org, cprs.kept), p: ids.person(cprs.kept) })));
    // UNI-Login accepted the first person under its old id: that stays the LocalPersonId sent.
    const { rows: kept } = await db.query(
      'SELECT person_uuid::text AS p, local_person_id AS l FROM unilogin_local_ids',
    );
    expect(kept).toEqual([{ p: ids.person(cprs.kept), l: oldPerson(cprs.kept) }]);
    const { rows: decisions } = await db.query(
      `SELECT dry_run, person_key, decision->>'key' AS k FROM fs_import_decisions ORDER BY dry_run, person_key`,
    );
    expect(decisions).toEqual([
      { dry_run: false, person_key: 'fs:100001', k: 'fs:100001' },
      { dry_run: false, person_key: ids.nationalIdKey(nid), k: ids.nationalIdKey(nid) },
      { dry_run: true, person_key: ids.nationalIdKey(nid), k: ids.nationalIdKey(nid) },
    ]);
    const { rows: issues } = await db.query('SELECT record, message FROM sync_issues ORDER BY job_id, seq');
    expect(issues).toEqual([
      { record: ids.nationalIdKey(nid), message: `${ids.nationalIdKey(nid)}: came twice` },
      { record: ids.person(cprs.leftOut), message: `${ids.person(cprs.leftOut)}: left out of the upload` },
      { record: oldPerson(cprs.kept), message: `${oldPerson(cprs.kept)}: UNI-Login warned` },
    ]);
    // Nowhere else does an old id remain: only as the LocalPersonId UNI-Login holds (snapshot, continuity, its issue).
    const rows = await everyRow(db);
    const olds = [...Object.values(cprs).map(oldPerson), oldManager(org, cprs.kept), oldNidKey(nid)];
    const holders = [...rows].flatMap(([t, rs]) =>
      rs.filter((r) => olds.some((o) => r.includes(o))).map((r) => `${t}: ${r}`),
    );
    expect(holders.map((h) => h.split(':')[0]).sort()).toEqual([
      'sync_issues',
      'unilogin_local_ids',
      'unilogin_snapshot',
    ]);
    expect(holders.every((h) => h.includes(oldPerson(cprs.kept)))).toBe(true);

    // Once: again, and after a restart, nothing changes.
    expect(await rekeyStore(db, ids)).toMatchObject({ rewritten: false });
    await db.close();
    db = await d.open();
    await prepareKeyedIds(db, { idKey: KEY_1 });
    expect(await everyRow(db)).toEqual(rows);
  }, 90_000); // three opens of a store on disk

  describe('UNI-Login continuity', () => {
    let sim: UniLoginSimulator;
    beforeAll(async () => {
      sim = await startUniLoginSimulator({
        users: [{ user: USER, password: PASSWORD }],
        institutions: [INSTITUTION],
        sources: [SOURCE],
      });
    });
    afterAll(() => sim?.stop());

    it('a person exported before the migration is the same person in UNI-Login after it: not deleted and re-created', async () => {
      const db = await backend.open();
      await insertLosFixtures(db);
      // Ids as the former derivation made them (engagements and managers follow by ON UPDATE CASCADE).
      for (const [cpr, uuid] of await personIds(db))
        await db.query('UPDATE los_persons SET uuid = $2 WHERE uuid = $1', [uuid, oldPerson(cpr)]);
      await db.query('DELETE FROM keyed_ids');
      const env = uniloginEnv(sim);
      const run = (mode: 'FULL' | 'INCREMENTAL' | 'DELETE') => runUniLoginExport(exportRun(db, env, mode).ctx);

      expect((await run('FULL')).result).toMatchObject({ created: 3, terminated: 0 });
      const held = () =>
        sim
          .persons(INSTITUTION, SOURCE)
          .map((p) => p.localPersonId)
          .sort();
      const exported = [PERSONS.anne, PERSONS.bo, PERSONS.cecilie].map((p) => oldPerson(p.cpr)).sort();
      expect(held()).toEqual(exported);

      // The migration, then a new hire.
      const ids = await prepareKeyedIds(db);
      expect((await personIds(db)).get(PERSONS.anne.cpr)).toBe(ids.person(PERSONS.anne.cpr));
      const dorte = { cpr: '0202901234', name: 'Dorte Lund' };
      await db.query('INSERT INTO los_persons (uuid, cpr, name) VALUES ($1, $2, $3)', [
        ids.person(dorte.cpr),
        dorte.cpr,
        dorte.name,
      ]);
      await db.query(
        `INSERT INTO los_engagements (uuid, valid_from, person_uuid, user_key, org_uuid, engagement_type, job_function, is_primary)
         VALUES ('5b0e7f0a-0000-4000-8000-0000000000d1', '2020-01-01', $1, 'E-2001', $2, $3, $4, true)`,
        [ids.person(dorte.cpr), UNITS.daycare, CLASSES.monthly.uuid, CLASSES.teacher.uuid],
      );

      // Nothing changed for the three: an INCREMENTAL sends only the new hire, under her keyed id.
      expect((await run('INCREMENTAL')).result).toMatchObject({ created: 1, updated: 0, unchanged: 3 });
      expect([...sim.lastUpload()!.document.matchAll(/<LocalPersonId>([^<]*)</g)].map((m) => m[1])).toEqual([
        ids.person(dorte.cpr),
      ]);
      // A FULL sends all four: the three under the ids UNI-Login knows (none deleted, none new), she under hers.
      expect((await run('FULL')).result).toMatchObject({ created: 0, terminated: 0 });
      expect(held()).toEqual([...exported, ids.person(dorte.cpr)].sort());
      // A rename is an update of the same UNI-Login person.
      await db.query(`UPDATE los_persons SET name = 'Anne Marie Hansen-Berg' WHERE cpr = $1`, [PERSONS.anne.cpr]);
      expect((await run('INCREMENTAL')).result).toMatchObject({ created: 0, updated: 1 });
      expect(
        sim.persons(INSTITUTION, SOURCE).find((p) => p.localPersonId === oldPerson(PERSONS.anne.cpr)),
      ).toMatchObject({ familyName: 'Hansen-Berg' });
      // DELETE: everyone is still there.
      expect((await run('DELETE')).result).toMatchObject({ terminated: 0 });
      expect(held()).toHaveLength(4);
    });
  });
});
