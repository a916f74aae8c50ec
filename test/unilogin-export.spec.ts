/**
 * The UNI-Login export job (jobs/unilogin-export/unilogin-export.ts) run directly with a fake context, against the WS10 simulator
 * over SOAP on loopback, with the LOS fixture organisation in a real (in-memory) store.
 *
 * Under Aarhus Kommune, today: Anne Marie Hansen (Skoler, Pædagog), Bo Jensen (Skoler, Lærer), Cecilie Østergaard
 * (Kultur). Ulrik's engagement has ended; Borgmesterens Afdeling is another root.
 */
import { SyncCancelledError, PermanentSyncError } from '../jobs/framework/types';
import { runUniLoginExport } from '../jobs/unilogin-export/unilogin-export';
import { startUniLoginSimulator, type UniLoginSimulator } from '../simulators/unilogin';
import { UniLoginExportRepo } from '../store/unilogin.repo';
import type { Db } from '../store/db';
import { schemaText } from '../datasources/unilogin/schema-files';
import { memoryStore } from './helpers/los-delivery';
import { CLASSES, ENGAGEMENTS, PERSONS, UNITS, insertLosFixtures, personId } from './helpers/los-fixtures';
import { defined } from './helpers/defined';

const personUuid = (cpr: string) => personId({ cpr });
import { INSTITUTION, PASSWORD, SOURCE, USER, exportRun, uniloginEnv } from './helpers/unilogin';

const inDoc = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

describe('UNI-Login export job', () => {
  let sim: UniLoginSimulator;
  let store: Db;
  let env: Record<string, string>;
  const uploads = () => sim.uploads.length;

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

  const run = (
    mode: 'FULL' | 'INCREMENTAL' | 'DELETE' | undefined,
    o: { dryRun?: boolean; env?: Record<string, string>; now?: Date } = {},
  ) => {
    const r = exportRun(store, o.env ?? env, mode, o);
    const outcome = runUniLoginExport(r.ctx, o.now ? { now: () => o.now! } : {});
    return { ...r, outcome };
  };

  it('FULL, then INCREMENTAL after one changed, one new and one removed person (exactly two sent), then DELETE (exactly one)', async () => {
    const full = run('FULL');
    const first = await full.outcome;
    expect(first.result).toMatchObject({ created: 3, updated: 0, terminated: 0, failed: 0 });
    expect(first.message).toMatch(/accepted the FULL upload of 3 person\(s\) and 2 group\(s\): 3 new/);
    expect(full.progress[full.progress.length - 1]).toBe(1);
    const held = sim.persons(INSTITUTION, SOURCE);
    expect(held.map((p) => `${p.firstName} ${p.familyName}`).sort()).toEqual([
      'Anne Marie Hansen',
      'Bo Jensen',
      'Cecilie Østergaard',
    ]);
    const anne = held.find((p) => p.familyName === 'Hansen')!;
    expect(anne).toMatchObject({
      localPersonId: personId(PERSONS.anne),
      cpr: PERSONS.anne.cpr,
      employeeType: 'pæd',
      groupIds: ['BU-SK'],
    });
    expect(held.find((p) => p.familyName === 'Jensen')).toMatchObject({ employeeType: 'lærer' });
    expect(held.find((p) => p.familyName === 'Østergaard')).toMatchObject({ employeeType: 'pæd', groupIds: ['KB'] });
    expect([...sim.state.get(`${INSTITUTION}|${SOURCE}`)!.groups]).toEqual([
      ['BU-SK', 'Skoler'],
      ['KB', 'Kultur'],
    ]);

    // One changed (renamed), one new (an engagement at Dagtilbud), one removed (Cecilie's engagement ends).
    await store.query(`UPDATE los_persons SET name = 'Anne Marie Hansen-Berg' WHERE uuid = $1`, [
      personId(PERSONS.anne),
    ]);
    const dorte = { cpr: '0202901234', name: 'Dorte Lund' };
    await store.query('INSERT INTO los_persons (uuid, cpr, name) VALUES ($1, $2, $3)', [
      personUuid(dorte.cpr),
      dorte.cpr,
      dorte.name,
    ]);
    await store.query(
      `INSERT INTO los_engagements (uuid, valid_from, person_uuid, user_key, org_uuid, engagement_type, job_function, is_primary)
       VALUES ('5b0e7f0a-0000-4000-8000-000000000001', '2020-01-01', $1, 'E-2001', $2, $3, $4, true)`,
      [personUuid(dorte.cpr), UNITS.daycare, CLASSES.monthly.uuid, CLASSES.teacher.uuid],
    );
    await store.query(`UPDATE los_engagements SET valid_to = '2021-01-01' WHERE uuid = $1`, [
      ENGAGEMENTS.cecilieCulture,
    ]);

    const inc = await run('INCREMENTAL').outcome;
    const incDoc = sim.lastUpload()!;
    expect(incDoc.method).toBe('UploadIncrementalXmlData');
    expect(inDoc(incDoc.document, 'LocalPersonId').sort()).toEqual(
      [personId(PERSONS.anne), personUuid(dorte.cpr)].sort(),
    );
    // Only the new group is declared again (Skoler is unchanged); the persons name theirs.
    expect([...incDoc.document.matchAll(/<Group>\s*<GroupId>([^<]*)</g)].map((m) => m[1])).toEqual(['BU-DT']);
    expect(inDoc(incDoc.document, 'GroupId').sort()).toEqual(['BU-DT', 'BU-DT', 'BU-SK']);
    expect(inc.result).toMatchObject({ created: 1, updated: 1, unchanged: 1, terminated: 0 });

    // One of three is a third: above the drop guard's default 10%, so this test allows it.
    const del = await run('DELETE', { env: { ...env, UNILOGIN_MAX_DROP_PERCENT: '50' } }).outcome;
    const delDoc = sim.lastUpload()!;
    expect(delDoc.method).toBe('UploadDeleteXmlData');
    expect(inDoc(delDoc.document, 'LocalPersonId')).toEqual([personId(PERSONS.cecilie)]);
    expect(del.result).toMatchObject({ terminated: 1, skipped: 0 });
    expect(
      sim
        .persons(INSTITUTION, SOURCE)
        .map((p) => p.familyName)
        .sort(),
    ).toEqual(['Hansen-Berg', 'Jensen', 'Lund']);

    // Nothing changed since: neither an increment nor a delete calls the service.
    const before = uploads();
    const again = await run('INCREMENTAL').outcome;
    const againDel = await run('DELETE').outcome;
    expect(uploads()).toBe(before);
    expect(sim.calls.UploadIncrementalXmlData).toBe(1);
    expect(sim.calls.UploadDeleteXmlData).toBe(1);
    expect(again.message).toMatch(
      /nothing changed since the last accepted upload; nothing sent \(3 person\(s\) unchanged\)/,
    );
    expect(againDel.result).toMatchObject({ terminated: 0, created: 0 });
  });

  it('exportdatetime increases strictly, even for two uploads within the same second', async () => {
    const now = new Date('2030-06-01T10:00:00Z');
    await run('FULL', { now }).outcome;
    await run('FULL', { now }).outcome;
    const [a, b] = sim.uploads.map((u) => /exportdatetime="([^"]+)"/.exec(u.document)![1]);
    expect([a, b]).toEqual(['2030-06-01T12:00:00', '2030-06-01T12:00:01']); // Copenhagen summer time
    expect(sim.uploads.map((u) => u.statuskode)).toEqual([0, 0]);
    const state = await new UniLoginExportRepo(store).state(INSTITUTION, SOURCE);
    expect(state).toMatchObject({
      lastSentAt: '2030-06-01T12:00:01',
      lastAcceptedAt: '2030-06-01T12:00:01',
      lastFullAt: '2030-06-01T12:00:01',
    });
  });

  it('dry run: builds and validates, sends nothing, advances nothing, and says what it would send', async () => {
    const r = run('FULL', { dryRun: true });
    const out = await r.outcome;
    expect(sim.requests).toHaveLength(0);
    expect(out.message).toMatch(
      /^Dry run \(FULL\): would send 3 person\(s\) and 2 group\(s\), \d+ bytes; nothing sent/,
    );
    expect(out.result.details).toMatchObject({ dryRun: true, sent: false, document: { persons: 3, groups: 2 } });
    expect(await new UniLoginExportRepo(store).state(INSTITUTION, SOURCE)).toBeUndefined();
    expect((await new UniLoginExportRepo(store).snapshot(INSTITUTION, SOURCE, 'person')).size).toBe(0);
  });

  it('a person the service would reject is left out and reported; the rest goes', async () => {
    await store.query(`UPDATE los_engagements SET valid_to = NULL WHERE uuid = $1`, [ENGAGEMENTS.ulrikEnded]);
    await store.query(`UPDATE los_org_units SET valid_to = NULL WHERE uuid = $1`, [UNITS.ended]);
    await store.query(`UPDATE los_persons SET email = 'not an address' WHERE uuid = $1`, [personId(PERSONS.bo)]);
    // The whole organisation, and no job-function mapping: everyone is `tap`.
    const r = run('FULL', { env: { ...env, UNILOGIN_ROOT_OU: 'los:*', UNILOGIN_EMPLOYEE_TYPES: '' } });
    const out = await r.outcome;
    expect(out.result).toMatchObject({ created: 3, failed: 1 });
    expect(out.message).toMatch(/1 person\(s\) left out \(see issues\)/);
    expect(r.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'ERROR',
          field: 'FirstName',
          record: personId(PERSONS.ulrik),
          message: expect.stringMatching(/left out of the upload: FirstName is empty/),
        }),
        expect.objectContaining({ severity: 'WARNING', field: 'EmailAddress', record: personId(PERSONS.bo) }),
      ]),
    );
    expect(
      sim
        .persons(INSTITUTION, SOURCE)
        .map((p) => p.familyName)
        .sort(),
    ).toEqual(['Hansen', 'Jensen', 'Østergaard']);
    expect(sim.persons(INSTITUTION, SOURCE).find((p) => p.familyName === 'Jensen')).toMatchObject({
      email: null,
      employeeType: 'tap',
    });
  });

  it('a record that passes the checks but fails the XSD (a fault in the export) is traced by its line, left out, and the rest sent', async () => {
    const person = (id: string, type: string) => ({
      person: {
        localPersonId: id,
        firstName: 'Test',
        familyName: id,
        employee: { type: type as 'tap', groupIds: ['G1'] },
      },
      groups: [{ id: 'G1', name: 'Gruppe 1' }],
    });
    let reads = 0;
    const employees = {
      prepare: () => Promise.resolve({ missingRoots: [] }),
      count: () => Promise.resolve(3),
      // eslint-disable-next-line @typescript-eslint/require-await -- stands in for an AsyncIterable source: nothing to wait for
      async *persons() {
        reads++;
        yield person('e1', 'tap');
        yield person('e2', 'rektor'); // not an Employee type of the schema
        yield person('e3', 'lærer');
      },
    };
    const r = exportRun(store, env, 'FULL');
    const out = await runUniLoginExport(r.ctx, { employees });
    expect(reads).toBe(2); // built, validated, rebuilt without e2
    expect(out.result).toMatchObject({ created: 2, failed: 1 });
    expect(r.issues).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        record: 'e2',
        file: 'uploadfull.xsd',
        message: expect.stringMatching(
          /^e2: left out of the upload: the record fails uploadfull.xsd: .*'type'.*rektor/,
        ),
      }),
    ]);
    expect(sim.persons(INSTITUTION, SOURCE).map((p) => p.localPersonId)).toEqual(['e1', 'e3']);
  });

  it('students from the student hook become Students (stud, MainGroupId = programme), merged with an employee of the same id', async () => {
    const students = {
      name: 'test',
      // eslint-disable-next-line @typescript-eslint/require-await -- stands in for an AsyncIterable source: nothing to wait for
      async *students() {
        yield {
          localPersonId: 'fs:1001',
          firstName: 'Siri',
          familyName: 'Berg',
          nationalId: '12345678901',
          programme: { code: 'BIOL-BA', name: 'Biologi, bachelor' },
        };
        yield {
          localPersonId: personId(PERSONS.bo),
          firstName: 'x',
          familyName: 'y',
          programme: { code: 'MAT-KA', name: 'Matematik, kandidat' },
        };
      },
    };
    const r = exportRun(store, env, 'FULL');
    const out = await runUniLoginExport(r.ctx, { students });
    expect(out.result).toMatchObject({ created: 4 });
    const held = sim.persons(INSTITUTION, SOURCE);
    expect(held.find((p) => p.localPersonId === 'fs:1001')).toMatchObject({
      studentType: 'stud',
      mainGroupId: 'BIOL-BA',
      employeeType: null,
      cpr: null,
    });
    expect(held.find((p) => p.localPersonId === personId(PERSONS.bo))).toMatchObject({
      firstName: 'Bo',
      studentType: 'stud',
      mainGroupId: 'MAT-KA',
      employeeType: 'lærer',
    });
    expect(sim.state.get(`${INSTITUTION}|${SOURCE}`)!.groups.get('BIOL-BA')).toBe('Biologi, bachelor');
    expect(r.issues).toEqual([
      expect.objectContaining({ severity: 'WARNING', field: 'CivilRegistrationNumber', record: 'fs:1001' }),
    ]);
  });

  it('statuskode 1, 2, 3 and 4 fail the job permanently, saying what to do; the snapshot does not move', async () => {
    const expectRefused = async (p: Promise<unknown>, code: number, hint: RegExp) => {
      const e = await p.then(
        () => undefined,
        (x) => x,
      );
      expect(e).toBeInstanceOf(PermanentSyncError);
      expect((e as Error).message).toMatch(new RegExp(`statuskode ${code}:`));
      expect((e as Error).message).toMatch(hint);
    };
    await expectRefused(run('FULL', { env: { ...env, UNILOGIN_SOURCE: 'EASYX' } }).outcome, 1, /check UNILOGIN_SOURCE/);
    await expectRefused(
      run('FULL', { env: { ...env, UNILOGIN_INSTITUTION: 'Z99999' } }).outcome,
      2,
      /check UNILOGIN_INSTITUTION/,
    );
    // Another system loaded a later import with our source.
    sim.state.set(`${INSTITUTION}|${SOURCE}`, {
      lastExportDateTime: '2999-01-01T00:00:00',
      persons: new Map(),
      groups: new Map(),
    });
    await expectRefused(run('FULL').outcome, 3, /same UNILOGIN_SOURCE, or this server's clock is behind/);
    expect((await new UniLoginExportRepo(store).snapshot(INSTITUTION, SOURCE, 'person')).size).toBe(0);
    // UNI-Login lost our import (a fresh service) while the store remembers an accepted FULL.
    sim.state.clear();
    await run('FULL').outcome;
    await sim.stop();
    sim = await startUniLoginSimulator({
      users: [{ user: USER, password: PASSWORD }],
      institutions: [INSTITUTION],
      sources: [SOURCE],
      port: Number(new URL(defined(env.UNILOGIN_URL, 'UNILOGIN_URL')).port),
    });
    await store.query(`UPDATE los_persons SET name = 'Bo Jensen-Lund' WHERE uuid = $1`, [personId(PERSONS.bo)]);
    await expectRefused(run('INCREMENTAL').outcome, 4, /run startUniLoginExport\(mode: FULL\)/);
    const snapshot = await new UniLoginExportRepo(store).snapshot(INSTITUTION, SOURCE, 'person');
    expect(snapshot.size).toBe(3);
  });

  it("statuskode 8 (the service's schema has changed): permanent failure, its messages as issues naming the person of the line", async () => {
    await sim.stop();
    const stricter = schemaText('uploadfull').replace(
      '<xs:element name="Occupation" type="xs:string" minOccurs="0"/>',
      '<xs:element name="Occupation" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="4"/></xs:restriction></xs:simpleType></xs:element>',
    );
    sim = await startUniLoginSimulator({
      users: [{ user: USER, password: PASSWORD }],
      institutions: [INSTITUTION],
      sources: [SOURCE],
      schemas: { uploadfull: stricter },
    });
    const r = run('FULL', { env: uniloginEnv(sim) });
    const err = await r.outcome.then(
      () => undefined,
      (e) => e as Error,
    );
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect(err!.message).toMatch(
      /statuskode 8: XML error .*3 message\(s\), recorded as issues, although the document passed uploadfull.xsd here: the service's schema may have changed/,
    );
    expect(r.issues).toHaveLength(3); // Pædagog, Lærer, Pædagog: longer than 4
    expect(r.issues[0]).toMatchObject({
      severity: 'ERROR',
      file: 'UNI-Login answer',
      message: expect.stringMatching(/^UNI-Login: Linje: \d+ udløser fejlen: \[Element 'Occupation'/),
    });
    expect(r.issues.map((i) => i.record).sort()).toEqual(
      [personId(PERSONS.anne), personId(PERSONS.bo), personId(PERSONS.cecilie)].sort(),
    );
    expect((await new UniLoginExportRepo(store).snapshot(INSTITUTION, SOURCE, 'person')).size).toBe(0);
  });

  it('wrong password: a permanent failure naming the settings; the password appears in no log, issue, result or error', async () => {
    const wrong = 'Forkert-Kode-4242?';
    const bad = run('FULL', { env: { ...env, UNILOGIN_PASSWORD: wrong } });
    const err = await bad.outcome.then(
      () => undefined,
      (e) => e as Error,
    );
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect(err!.message).toMatch(
      /refused the credentials \("Kombinationen af brugernavn og adgangskode er forkert\."\): check UNILOGIN_USER and UNILOGIN_PASSWORD/,
    );
    const good = run('FULL');
    const ok = await good.outcome;
    for (const text of [
      err!.message,
      err!.stack ?? '',
      JSON.stringify(bad.issues),
      bad.logs.join(''),
      JSON.stringify(ok),
      JSON.stringify(good.issues),
      good.logs.join(''),
    ]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(PASSWORD);
    }
    expect(good.logs.join('')).toMatch(/UNI-Login answered/);
  });

  it('an unreachable service: a retryable error naming UNILOGIN_URL; the exportdatetime is still never reused', async () => {
    const url = sim.url;
    await sim.stop();
    const r = run('FULL');
    const err = await r.outcome.then(
      () => undefined,
      (e) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentSyncError);
    expect(err!.message).toMatch(
      new RegExp(`Cannot reach UNI-Login at UNILOGIN_URL=${url.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`),
    );
    const state = await new UniLoginExportRepo(store).state(INSTITUTION, SOURCE);
    expect(state).toMatchObject({ lastAcceptedAt: null });
    expect(state!.lastSentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it('refuses what would go wrong before sending: no FULL yet, an unknown root, a FULL that would remove everyone', async () => {
    await expect(run('INCREMENTAL').outcome).rejects.toThrow(
      /No FULL upload to UNI-Login has been accepted yet.*run startUniLoginExport\(mode: FULL\) first/,
    );
    await expect(
      run('FULL', { env: { ...env, UNILOGIN_ROOT_OU: 'los:00000000-0000-4000-8000-000000000000' } }).outcome,
    ).rejects.toThrow(
      /UNILOGIN_ROOT_OU names los:00000000-0000-4000-8000-000000000000, which is no LOS unit valid today/,
    );
    await run('FULL').outcome;
    await store.query('UPDATE los_engagements SET valid_to = $1', ['2021-01-01']);
    await expect(run('FULL').outcome).rejects.toThrow(/a FULL upload would remove them all/);
    await expect(run('DELETE').outcome).rejects.toThrow(/a DELETE upload would remove all 3 persons/);
    expect(sim.calls.UploadXmlData).toBe(1);
    await expect(run('FULL', { env: { ...env, UNILOGIN_ROOT_OU: '' } }).outcome).rejects.toThrow(
      /needs UNILOGIN_ROOT_OU/,
    );
  });

  it('a cancelled run sends nothing', async () => {
    const r = exportRun(store, env, 'FULL');
    r.abort();
    await expect(runUniLoginExport(r.ctx)).rejects.toBeInstanceOf(SyncCancelledError);
    expect(sim.requests).toHaveLength(0);
  });
});
