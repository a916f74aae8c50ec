import { runUniLoginExport } from '../jobs/unilogin-export/unilogin-export';
import { startUniLoginSimulator, type UniLoginSimulator } from '../simulators/unilogin';
import { startFsSimulator, type FsSimulator } from '../simulators/fs';
import { FS_SAMPLE } from './helpers/fs-sample';
import type { Db } from '../store/db';
import { memoryStore } from './helpers/los-delivery';
import { insertLosFixtures } from './helpers/los-fixtures';
import { INSTITUTION, PASSWORD, SOURCE, USER, exportRun, uniloginEnv } from './helpers/unilogin';

/** With FS enabled, FS students with an active study right are exported as Students next to the LOS employees. */
describe('UNI-Login export with FS students', () => {
  let sim: UniLoginSimulator;
  let fs: FsSimulator;
  let store: Db;
  beforeAll(async () => {
    sim = await startUniLoginSimulator({
      users: [{ user: USER, password: PASSWORD }],
      institutions: [INSTITUTION],
      sources: [SOURCE],
    });
    fs = await startFsSimulator();
    store = await memoryStore();
    await insertLosFixtures(store);
  });
  afterAll(async () => {
    await sim.stop();
    await fs.stop();
    await store.close();
  });

  it('each person with an active FS study right becomes a Student (type stud, MainGroupId = programme code), never with the fødselsnummer as id', async () => {
    const env = uniloginEnv(sim, { FS_URL: fs.graphqlUrl, FS_USERNAME: fs.username!, FS_PASSWORD: 'fs-sim-password' });
    const out = await runUniLoginExport(exportRun(store, env, 'FULL').ctx);
    const held = sim.persons(INSTITUTION, SOURCE);
    const students = held.filter((p) => p.studentType === 'stud');
    expect(students.length).toBeGreaterThan(0);
    const rightsOf = (n: string) => fs.data.studyRights.filter((r) => r.personlopenummer === n);
    for (const p of students) {
      expect(p.localPersonId).toMatch(/^fs:\d+$/); // never the fødselsnummer
      const rights = rightsOf(p.localPersonId.slice(3));
      expect(rights.map((r) => r.studieprogramkode)).toContain(p.mainGroupId);
      expect(rights.some((r) => r.gyldigTil === null || r.gyldigTil >= fs.data.today)).toBe(true);
    }
    const ids = new Set(students.map((p) => p.localPersonId));
    expect(ids.has(`fs:${FS_SAMPLE.rule1Student.personNumber}`)).toBe(true);
    expect(ids.has(`fs:${FS_SAMPLE.inactiveStudent.personNumber}`)).toBe(false); // FULLFØRT, ended
    expect(held.filter((p) => p.employeeType).length).toBe(3); // the LOS employees are still there
    expect(out.result.failed).toBe(0);
  });
});
