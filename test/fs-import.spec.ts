/**
 * The FS import job end to end: decisions applied to the Cerebrum simulator over real HTTP (idempotently),
 * dry runs, decisions stored in the store and read through GraphQL, and the FS source over the FS simulator.
 */
import { CerebrumClient } from '../datasources/cerebrum/client';
import { loadFsImportConfig } from '../jobs/fs-import/rules/config';
import type { FsPersonInput } from '../jobs/fs-import/rules/model';
import { runFsImport } from '../jobs/fs-import/fs-import';
import { defaultFsImportSource, memoryFsImportSource } from '../jobs/fs-import/fs-import-source';
import { PermanentSyncError } from '../jobs/framework/types';
import { startCerebrumSimulator, sampleUniversity, type CerebrumSimulator } from '../simulators/cerebrum';
import { startFsSimulator, type FsSimulator } from '../simulators/fs';
import { FS_SAMPLE } from './helpers/fs-sample';
import { defined, first } from './helpers/defined';
import { openStore, type Db } from '../store/db';
import { FsDecisionsRepo } from '../jobs/fs-import/decisions';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import {
  HOST,
  TEST_CONFIG,
  cerebrumData,
  fakeFsRun,
  groupMembers,
  person,
  right,
  rule1Student,
  writesIn,
} from './helpers/fs-import';

const TODAY = '2024-10-15'; // HØST 2024, after the blocking date (1 October)
const H24 = HOST(2024);
const API_KEY = 'test-api-key';

/** The persons of the apply tests and the Cerebrum they meet. */
function scenario() {
  const ola = rule1Student(H24, {
    personNumber: '100001',
    firstName: 'Ola',
    lastName: 'Nordmann',
    account: { name: 'olanor', studentAccount: true },
  });
  const lapsed = person({
    personNumber: '100002',
    firstName: 'Lars',
    lastName: 'Lapset',
    studyRights: [right('BA-INF')],
    account: { name: 'lapsed', studentAccount: true },
  });
  const back = rule1Student(H24, { personNumber: '100003', account: { name: 'back', studentAccount: true } });
  const fromFeide = rule1Student(H24, { personNumber: '100004', account: { name: 'feideacc', studentAccount: null } });
  const staffOnly = rule1Student(H24, { personNumber: '100005', account: { name: 'staffacc', studentAccount: null } });
  const ghost = rule1Student(H24, { personNumber: '100006', account: { name: 'ghost', studentAccount: true } });
  const fresh = rule1Student(H24, {
    personNumber: '100007',
    firstName: 'Ny',
    lastName: 'Student',
    addresses: { home: { lines: ['Storgata 1'], postalCode: '0155', city: 'Oslo', country: 'NO' } },
  });
  const persons: FsPersonInput[] = [ola, lapsed, back, fromFeide, staffOnly, ghost, fresh];
  const data = cerebrumData(
    [
      { name: 'olanor', personNumber: '100001' },
      { name: 'lapsed', nationalId: lapsed.nationalId },
      { name: 'back', quarantinedSince: '2024-03-01', personNumber: '100003' },
      { name: 'feideacc' },
      { name: 'staffacc', student: false },
      { name: 'fremmed' },
    ],
    {
      'stud-alle': ['olanor', 'lapsed'],
      'stud-ifi': ['fremmed'],
      'ifi-lister': ['fremmed'],
      'stud-mn-phd': [],
      'stud-hf': [],
      'stud-jus': [],
      // 'stud-evu' (profile evu) is missing in Cerebrum on purpose.
    },
  );
  return { persons, data, ola, lapsed, fresh };
}

const clientFor = (sim: { url: string }) => new CerebrumClient({ url: sim.url, apiKey: API_KEY, retries: 0 });

describe('FS import applied to Cerebrum', () => {
  let store: Db;
  let sim: CerebrumSimulator;
  let client: CerebrumClient;
  const s = scenario();

  beforeAll(async () => {
    store = await openStore({ memory: true });
    sim = await startCerebrumSimulator({ apiKey: API_KEY, data: s.data });
    client = clientFor(sim);
  });
  afterAll(async () => {
    client?.close();
    await sim?.stop();
    await store?.close();
  });

  it('writes the differences: blocks, lifts, memberships added, strangers removed from auto groups', async () => {
    const run = fakeFsRun(store);
    const out = await runFsImport(run.ctx, {
      source: memoryFsImportSource(s.persons),
      cerebrum: client,
      config: TEST_CONFIG,
      today: TODAY,
    });
    expect(writesIn(sim.stats.byPath)).toEqual({
      'PUT /v1/accounts/lapsed/quarantines/auto_inaktiv': 1,
      'DELETE /v1/accounts/back/quarantines/auto_inaktiv': 1,
      // olanor: already in stud-alle; back and feideacc: all three groups.
      [`PUT /v1/groups/stud-ifi/members/${s.data.accounts.get('olanor')!.id}`]: 1,
      [`PUT /v1/groups/ifi-lister/members/${s.data.accounts.get('olanor')!.id}`]: 1,
      ...Object.fromEntries(
        ['back', 'feideacc'].flatMap((a) =>
          ['stud-alle', 'stud-ifi', 'ifi-lister'].map((g) => [
            `PUT /v1/groups/${g}/members/${s.data.accounts.get(a)!.id}`,
            1,
          ]),
        ),
      ),
      [`DELETE /v1/groups/stud-alle/members/${s.data.accounts.get('lapsed')!.id}`]: 1,
      [`DELETE /v1/groups/stud-ifi/members/${s.data.accounts.get('fremmed')!.id}`]: 1,
    });
    expect(s.data.accounts.get('lapsed')!.quarantines).toEqual([
      expect.objectContaining({ type: 'auto_inaktiv', start: expect.stringMatching(/^2024-10-15/) }),
    ]);
    expect(s.data.accounts.get('back')!.quarantines).toEqual([]);
    expect(groupMembers(s.data, 'stud-alle')).toEqual(['back', 'feideacc', 'olanor']);
    expect(groupMembers(s.data, 'stud-ifi')).toEqual(['back', 'feideacc', 'olanor']);
    // ifi-lister is not an auto group: the stranger stays.
    expect(groupMembers(s.data, 'ifi-lister')).toEqual(['back', 'feideacc', 'fremmed', 'olanor']);
    // The staff account is never touched; the student gets a student user planned.
    expect(
      Object.keys(writesIn(sim.stats.byPath)).some((k) => k.includes(String(s.data.accounts.get('staffacc')!.id))),
    ).toBe(false);

    expect(out.result).toMatchObject({ created: 3, updated: 12, failed: 0, terminated: 1 });
    expect(out.message).toMatch(/^Wrote 12 change\(s\) to Cerebrum for 7 person\(s\)/);
    const details = out.result.details as any;
    expect(details.counts).toMatchObject({ persons: 7, students: 6, accountsToCreate: 3, blocked: 1 });
    expect(details.cerebrum).toMatchObject({
      writes: { QUARANTINE_SET: 1, QUARANTINE_LIFT: 1, MEMBER_ADD: 8, MEMBER_REMOVE: 2 },
      missingAccounts: 1,
      missingGroups: ['stud-evu'],
    });
    expect(details.plan.actions).toMatchObject({ CREATE_ACCOUNT: 3, SEND_LETTER: 3 });

    // Issues: the account Cerebrum does not have, the missing group; no full national id anywhere.
    expect(run.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('fs:100006: account "ghost" does not exist in Cerebrum'),
        expect.stringContaining('group "stud-evu" of the FS import configuration does not exist in Cerebrum'),
      ]),
    );
    for (const i of run.issues) expect(`${i.message} ${i.record ?? ''}`).not.toMatch(/\d{11}/);
    expect(run.progress[run.progress.length - 1]).toBe(1);

    const repo = new FsDecisionsRepo(store);
    const page = await repo.list({}, 50);
    expect(page.totalCount).toBe(7);
    const lapsed = page.rows.find((d) => d.key === 'fs:100002')!;
    expect(lapsed).toMatchObject({
      block: { action: 'BLOCK', since: TODAY },
      cerebrumWrites: expect.arrayContaining(['PUT /v1/accounts/lapsed/quarantines/auto_inaktiv']),
    });
    expect(lapsed.deletion).toMatchObject({ rule: 'INACTIVE_LAST_TERM', date: '2024-09-15', due: true });
    expect(page.rows.find((d) => d.key === 'fs:100005')!.account).toEqual({
      name: 'staffacc',
      create: true,
      studentAccount: false,
    });
  });

  it('a second run makes no Cerebrum writes', async () => {
    sim.stats.reset();
    const run = fakeFsRun(store);
    const out = await runFsImport(run.ctx, {
      source: memoryFsImportSource(s.persons),
      cerebrum: client,
      config: TEST_CONFIG,
      today: TODAY,
    });
    expect(writesIn(sim.stats.byPath)).toEqual({});
    expect(out.result).toMatchObject({ updated: 0, failed: 0 });
    expect(out.message).toMatch(/^Wrote 0 change\(s\)/);
    // It read the state: quarantines of the student users, the groups.
    expect(sim.stats.byPath.get('GET /v1/accounts/lapsed/quarantines')).toBe(1);
    expect(sim.stats.byPath.get('GET /v1/groups/stud-alle/members/')).toBe(1);
    // The block's date stays the day it was set.
    expect(first((await new FsDecisionsRepo(store).list({ personNumber: '100002' }, 1)).rows).block.since).toBe(TODAY);
  });

  it('a student user FS no longer lists is carried over and blocked', async () => {
    sim.stats.reset();
    const run = fakeFsRun(store);
    const without = s.persons.filter((p) => p.personNumber !== '100001'); // Ola's study rights are gone from FS
    await runFsImport(run.ctx, {
      source: memoryFsImportSource(without),
      cerebrum: client,
      config: TEST_CONFIG,
      today: '2024-10-16',
    });
    expect(writesIn(sim.stats.byPath)).toEqual({
      'PUT /v1/accounts/olanor/quarantines/auto_inaktiv': 1,
      ...Object.fromEntries(
        ['stud-alle', 'stud-ifi'].map((g) => [
          `DELETE /v1/groups/${g}/members/${s.data.accounts.get('olanor')!.id}`,
          1,
        ]),
      ),
    });
    const ola = first((await new FsDecisionsRepo(store).list({ personNumber: '100001' }, 1)).rows);
    expect(ola).toMatchObject({
      imported: false,
      student: false,
      block: { action: 'BLOCK', since: '2024-10-16' },
      account: { name: 'olanor' },
    });
    expect(ola.reasons[0]).toMatch(/carried over/);
  });
});

describe('FS import dry run', () => {
  it('makes no Cerebrum writes, returns the writes it would make and stores its decisions apart', async () => {
    const s = scenario();
    const store = await openStore({ memory: true });
    const sim = await startCerebrumSimulator({ apiKey: API_KEY, data: s.data });
    const client = clientFor(sim);
    try {
      const run = fakeFsRun(store, {}, { dryRun: true });
      const out = await runFsImport(run.ctx, {
        source: memoryFsImportSource(s.persons),
        cerebrum: client,
        config: TEST_CONFIG,
        today: TODAY,
      });
      expect(writesIn(sim.stats.byPath)).toEqual({});
      expect(s.data.accounts.get('lapsed')!.quarantines).toEqual([]);
      expect(out.message).toMatch(/^Dry run: would write 12 change\(s\)/);
      const details = out.result.details as any;
      expect(details.dryRun).toBe(true);
      expect(details.cerebrumWrites).toContain('PUT /v1/accounts/lapsed/quarantines/auto_inaktiv (fs:100002)');
      expect(details.cerebrumWrites).toHaveLength(12);
      expect(out.result.updated).toBe(0);

      const repo = new FsDecisionsRepo(store);
      expect((await repo.list({ dryRun: false }, 10)).totalCount).toBe(0);
      const dry = await repo.list({ dryRun: true, blockAction: 'BLOCK' }, 10);
      expect(dry.rows.map((d) => [d.key, d.dryRun, d.cerebrumWrites])).toEqual([
        [
          'fs:100002',
          true,
          [
            'PUT /v1/accounts/lapsed/quarantines/auto_inaktiv',
            `DELETE /v1/groups/stud-alle/members/${s.data.accounts.get('lapsed')!.id}`,
          ],
        ],
      ]);

      // The real run afterwards writes exactly what the dry run listed.
      sim.stats.reset();
      const real = await runFsImport(fakeFsRun(store).ctx, {
        source: memoryFsImportSource(s.persons),
        cerebrum: client,
        config: TEST_CONFIG,
        today: TODAY,
      });
      expect(Object.keys(writesIn(sim.stats.byPath)).sort()).toEqual(
        details.cerebrumWrites.map((w: string) => w.replace(/ \(.*\)$/, '')).sort(),
      );
      expect(real.result.updated).toBe(12);
    } finally {
      client.close();
      await sim.stop();
      await store.close();
    }
  });
});

describe('FS import guards and settings', () => {
  let store: Db;
  beforeAll(async () => {
    store = await openStore({ memory: true });
  });
  beforeEach(async () => {
    await store.query('DELETE FROM fs_import_decisions');
    await store.query('DELETE FROM fs_import_runs');
  });
  afterAll(async () => {
    await store?.close();
  });

  const students = (n: number) =>
    Array.from({ length: n }, (_, i) => rule1Student(H24, { personNumber: String(200000 + i) }));

  it('refuses a run that lost most students (maxStudentDropPercent) unless forced', async () => {
    await runFsImport(fakeFsRun(store).ctx, {
      source: memoryFsImportSource(students(10)),
      cerebrum: null,
      config: TEST_CONFIG,
      today: TODAY,
    });
    await expect(
      runFsImport(fakeFsRun(store).ctx, {
        source: memoryFsImportSource(students(2)),
        cerebrum: null,
        config: TEST_CONFIG,
        today: TODAY,
      }),
    ).rejects.toThrow(PermanentSyncError);
    await expect(
      runFsImport(fakeFsRun(store).ctx, {
        source: memoryFsImportSource(students(2)),
        cerebrum: null,
        config: TEST_CONFIG,
        today: TODAY,
      }),
    ).rejects.toThrow(/2 student\(s\) now against 10 .*force/);
    const forced = await runFsImport(fakeFsRun(store, {}, { params: { force: true } }).ctx, {
      source: memoryFsImportSource(students(2)),
      cerebrum: null,
      config: TEST_CONFIG,
      today: TODAY,
    });
    expect((forced.result.details as any).counts.students).toBe(2);
  });

  it('a bad configuration file fails the job at once, naming the setting', async () => {
    const run = fakeFsRun(store, { FS_IMPORT_CONFIG: '/nonexistent/fs-import.json' });
    await expect(
      runFsImport(run.ctx, { source: memoryFsImportSource([]), cerebrum: null, today: TODAY }),
    ).rejects.toThrow(PermanentSyncError);
    await expect(
      runFsImport(run.ctx, { source: memoryFsImportSource([]), cerebrum: null, today: TODAY }),
    ).rejects.toThrow(/FS_IMPORT_CONFIG/);
  });

  it('without Cerebrum it decides and stores, applies nothing and says so', async () => {
    const run = fakeFsRun(store);
    const out = await runFsImport(run.ctx, {
      source: memoryFsImportSource(students(3)),
      cerebrum: null,
      config: TEST_CONFIG,
      today: TODAY,
    });
    expect(out.result).toMatchObject({ created: 3, updated: 0 });
    expect(run.issues).toEqual([
      expect.objectContaining({ severity: 'WARNING', message: expect.stringContaining('CEREBRUM_URL is not set') }),
    ]);
    expect((await new FsDecisionsRepo(store).list({}, 10)).totalCount).toBe(3);
  });

  it('defaultFsImportSource without FS_URL is a permanent error', () => {
    expect(() => defaultFsImportSource(fakeFsRun(store).ctx)).toThrow(/FS_URL is not set/);
  });
});

describe('FS import decisions through GraphQL', () => {
  let stack: Stack;
  let store: Db;
  const s = scenario();

  beforeAll(async () => {
    store = await openStore({ memory: true });
    stack = await startStack({ sim: { apiKey: API_KEY, data: s.data }, gateway: { store } });
    const client = clientFor(stack.sim);
    try {
      await runFsImport(fakeFsRun(store).ctx, {
        source: memoryFsImportSource(s.persons),
        cerebrum: client,
        config: TEST_CONFIG,
        today: TODAY,
      });
    } finally {
      client.close();
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await store?.close();
  });

  async function ok(query: string, token: string = TOKENS.all): Promise<any> {
    const { body } = await stack.gql(query, undefined, token);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('Query.fsImportDecisions filters and pages', async () => {
    const d = await ok(`{ fsImportDecisions(filter: { student: true }, first: 2) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { personKey student studentRule groups createAccount block { action } } } } }`);
    expect(d.fsImportDecisions.totalCount).toBe(6);
    expect(d.fsImportDecisions.pageInfo.hasNextPage).toBe(true);
    expect(d.fsImportDecisions.edges.map((e: any) => e.node.personKey)).toEqual(['fs:100001', 'fs:100003']);
    expect(d.fsImportDecisions.edges[0].node).toEqual({
      personKey: 'fs:100001',
      student: true,
      studentRule: 'REGISTERED_WITH_EXAM',
      groups: ['ifi-lister', 'stud-alle', 'stud-ifi'],
      createAccount: false,
      block: { action: 'NONE' },
    });
    const next = await ok(
      `{ fsImportDecisions(filter: { student: true }, first: 10, after: "${d.fsImportDecisions.pageInfo.endCursor}") { edges { node { personKey } } } }`,
    );
    expect(next.fsImportDecisions.edges.map((e: any) => e.node.personKey)).toEqual([
      'fs:100004',
      'fs:100005',
      'fs:100006',
      'fs:100007',
    ]);
    const blocked = await ok(
      '{ fsImportDecisions(filter: { blockAction: BLOCK }) { edges { node { personKey name block { action since reason } deletion { date rule due } cerebrumWrites } } } }',
    );
    expect(blocked.fsImportDecisions.edges).toEqual([
      {
        node: {
          personKey: 'fs:100002',
          name: 'Lars Lapset',
          block: { action: 'BLOCK', since: TODAY, reason: expect.stringContaining('2.5.1') },
          deletion: { date: '2024-09-15', rule: 'INACTIVE_LAST_TERM', due: true },
          cerebrumWrites: [
            'PUT /v1/accounts/lapsed/quarantines/auto_inaktiv',
            `DELETE /v1/groups/stud-alle/members/${s.data.accounts.get('lapsed')!.id}`,
          ],
        },
      },
    ]);
    const { body } = await stack.gql('{ fsImportDecisions(after: "bm9wZQ") { totalCount } }');
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('Person.fsImportDecision on a Cerebrum person: by personlopenummer (NO_FSNO) or national id', async () => {
    const byPlnr = await ok(
      `{ person(id: "cerebrum:100000") { fsImportDecision { personKey primaryGroup homeArea { value rule } primaryEmail { value programmeCode rule } } } }`,
    );
    expect(byPlnr.person.fsImportDecision).toEqual({
      personKey: 'fs:100001',
      primaryGroup: 'olanor',
      homeArea: { value: '/uio/platon/ifi-l1', rule: 'SINGLE_VALUE' },
      primaryEmail: { value: 'olanor@ifi.uio.no', programmeCode: 'BA-INF', rule: 'SINGLE_VALUE' },
    });
    const byNid = await ok('{ person(id: "cerebrum:100001") { fsImportDecision { personKey block { action } } } }');
    expect(byNid.person.fsImportDecision).toEqual({ personKey: 'fs:100002', block: { action: 'BLOCK' } });
    const none = await ok('{ person(id: "cerebrum:100005") { fsImportDecision { personKey } } }'); // fremmed: not in FS
    expect(none.person.fsImportDecision).toBeNull();
    const dry = await ok('{ person(id: "cerebrum:100000") { fsImportDecision(dryRun: true) { personKey } } }');
    expect(dry.person.fsImportDecision).toBeNull();
  });

  it('the letter address needs scope pii', async () => {
    const q =
      '{ fsImportDecisions(filter: { personlopenummer: "100007" }) { edges { node { letter { send language addressKind address country } plan { action dueToday } } } } }';
    const withPii = await ok(q, TOKENS.all);
    expect(withPii.fsImportDecisions.edges[0].node.letter).toEqual({
      send: true,
      language: 'nb',
      addressKind: 'HOME',
      address: ['Storgata 1', '0155 Oslo'],
      country: null,
    });
    expect(withPii.fsImportDecisions.edges[0].node.plan.map((p: any) => p.action)).toEqual(
      expect.arrayContaining(['CREATE_ACCOUNT', 'SEND_LETTER', 'SET_AFFILIATION']),
    );
    const readOnly = await ok(q, TOKENS.read);
    expect(readOnly.fsImportDecisions.edges[0].node.letter.address).toBeNull();
  });
});

describe('FS import from the FS simulator (FS GraphQL through datasources/fs)', () => {
  let fs: FsSimulator;
  let cerebrum: CerebrumSimulator;
  let store: Db;
  beforeAll(async () => {
    fs = await startFsSimulator({ today: TODAY });
    cerebrum = await startCerebrumSimulator({ apiKey: API_KEY, data: sampleUniversity() });
    store = await openStore({ memory: true });
  });
  afterAll(async () => {
    await fs?.stop();
    await cerebrum?.stop();
    await store?.close();
  });

  it("maps FS data into the rules and decides the sample's special cases as seed 001 says", async () => {
    const run = fakeFsRun(store, { FS_URL: fs.graphqlUrl, FS_USERNAME: fs.username!, FS_PASSWORD: fs.password });
    const client = clientFor(cerebrum);
    try {
      const out = await runFsImport(run.ctx, {
        source: defaultFsImportSource(run.ctx),
        cerebrum: client,
        config: loadFsImportConfig('config/fs-import.json'),
        today: TODAY,
      });
      expect(out.result.failed).toBe(0);
      const source = (out.result.details as any).source;
      expect(source.fsRequests).toBeGreaterThan(0);
    } finally {
      client.close();
    }
    const repo = new FsDecisionsRepo(store);
    const get = async (plnr: string) => (await repo.list({ personNumber: plnr }, 1)).rows[0];
    const decision = async (plnr: string) => defined(await get(plnr), `the decision for ${plnr}`);
    expect(await get(FS_SAMPLE.rule1Student.personNumber)).toMatchObject({
      student: true,
      studentRule: 'REGISTERED_WITH_EXAM',
      printerQuota: { quota: true, paidType: 'PAPIRHEL' },
    });
    expect(await get(FS_SAMPLE.planOnlyStudent.personNumber)).toMatchObject({
      student: true,
      studentRule: 'CONFIRMED_PLAN',
    });
    expect(await get(FS_SAMPLE.utdplanSwitchStudent.personNumber)).toMatchObject({ imported: true, student: false });
    expect(await get(FS_SAMPLE.planConfirmedTodayStudent.personNumber)).toMatchObject({ student: false });
    expect(await get(FS_SAMPLE.courseLimitedWithExam.personNumber)).toMatchObject({
      student: true,
      studentRule: 'LIMITED_RIGHT_WITH_EXAM',
    });
    expect(await get(FS_SAMPLE.courseLimitedWithoutExam.personNumber)).toMatchObject({ student: false });
    expect(await get(FS_SAMPLE.phdStudent.personNumber)).toMatchObject({
      student: true,
      affiliations: [expect.objectContaining({ status: 'drgrad', stedkode: '160000' })],
    });
    expect((await decision(FS_SAMPLE.highestLevelWins.personNumber)).homeArea).toMatchObject({
      programmeCode: 'PHD-MN',
      rule: 'HIGHEST_PROGRAMME_LEVEL',
    });
    expect((await decision(FS_SAMPLE.courseLevelTie.personNumber)).primaryEmail).toMatchObject({
      programmeCode: 'BA-FIL',
      rule: 'HIGHEST_COURSE_LEVEL',
    });
    const tie = await decision(FS_SAMPLE.fullTie.personNumber);
    expect(tie.homeArea).toMatchObject({ value: '/uio/platon/div-h1', rule: 'SHARED_AREA' });
    expect(tie.primaryEmail).toMatchObject({ programmeCode: 'MA-LING', rule: 'PLAN_HELD_LONGEST' });
    expect((await decision(FS_SAMPLE.planBeatsNoPlan.personNumber)).homeArea).toMatchObject({
      programmeCode: 'MA-INF',
      rule: 'PLAN_BEATS_NO_PLAN',
    });
    expect(await get(FS_SAMPLE.excludedStatusStudent.personNumber)).toMatchObject({ imported: false });
    expect(await get(FS_SAMPLE.offerHolder.personNumber)).toMatchObject({ reserveUsername: true });
    expect(await get(FS_SAMPLE.evuInside.personNumber)).toMatchObject({
      imported: true,
      student: true,
      studentRule: 'EVU',
    });
    expect(await get(FS_SAMPLE.evuOutside.personNumber)).toMatchObject({ imported: false });
    expect(await get(FS_SAMPLE.evuNotApproved.personNumber)).toMatchObject({ imported: true, student: false });
    expect(await get(FS_SAMPLE.staffCurrentTerm.personNumber)).toMatchObject({
      imported: true,
      importedAs: expect.arrayContaining(['FAGPERSON']),
    });
    expect((await get(FS_SAMPLE.staffPastTerm.personNumber))?.importedAs ?? []).not.toContain('FAGPERSON');
    for (const i of run.issues) expect(`${i.message} ${i.record ?? ''}`).not.toMatch(/\d{11}/);
  });
});
