/**
 * Cerebrum path segments (issue 9, item 8): a name that would change the request path after URL normalisation
 * (`.`, `..`, slashes, encoded dots or slashes, empty) is refused before any request — in GraphQL reads and in
 * the FS import's reads and writes. The simulator's request counters show that nothing was sent.
 */
import { CerebrumClient } from '../datasources/cerebrum/client';
import { parseFsImportConfig } from '../jobs/fs-import/rules/config';
import { runFsImport } from '../jobs/fs-import/fs-import';
import { memoryFsImportSource } from '../jobs/fs-import/fs-import-source';
import { startCerebrumSimulator, type CerebrumSimulator } from '../simulators/cerebrum';
import { openStore, type Db } from '../store/db';
import { startStack, type Stack } from './helpers/gateway';
import { HOST, TEST_CONFIG, cerebrumData, fakeFsRun, rule1Student } from './helpers/fs-import';

const EVIL = ['..', '.', '', ' ', 'a/b', '../persons/85073', '%2e%2e', '%2E', 'a%2Fb', 'a\\b', '.%2e'];

describe('Cerebrum path segments in reads', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s?.stop();
  });
  beforeEach(() => s.sim.stats.reset());

  it.each(EVIL)('account(name: %j) is BAD_USER_INPUT and Cerebrum sees no request', async (name) => {
    const { body } = await s.gql('query($n: String!) { account(name: $n) { name owner { id } } }', { n: name });
    expect(body.data.account).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['account'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    expect(body.errors[0].message).toMatch(
      /^The account name .*: it cannot be a Cerebrum path segment, so nothing was asked of Cerebrum\.$/,
    );
    expect(s.sim.stats.total).toBe(0);
  });

  it('node(id: "cerebrum:account:..") is refused the same way; a plain name still reads', async () => {
    const { body } = await s.gql(
      '{ bad: node(id: "cerebrum:account:..") { id } good: account(name: "tortest") { name } }',
    );
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['bad'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    expect([...s.sim.stats.byPath.keys()]).toEqual(['GET /v1/accounts/tortest']);
  });

  it('the client refuses a path that URL normalisation would change, whoever built it', async () => {
    const client = new CerebrumClient({ url: s.sim.url, apiKey: 'test-api-key', retries: 0 });
    try {
      for (const path of [
        '/accounts/..',
        '/accounts/.',
        '/accounts/%2e%2E',
        '/groups/x/../../persons/1',
        '/accounts/a\\..',
      ]) {
        await expect(client.get(path)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      }
      expect(s.sim.stats.total).toBe(0);
    } finally {
      client.close();
    }
  });
});

describe('Cerebrum path segments in the FS import', () => {
  let store: Db;
  let sim: CerebrumSimulator;
  let client: CerebrumClient;

  beforeAll(async () => {
    store = await openStore({ memory: true });
    sim = await startCerebrumSimulator({
      apiKey: 'k',
      // An auto group whose name holds a slash, as another tool might have created it.
      data: cerebrumData([{ name: 'olanor', personNumber: '100001' }], {
        'stud-alle': ['olanor'],
        'stud-x/../..': ['olanor'],
      }),
    });
    client = new CerebrumClient({ url: sim.url, apiKey: 'k', retries: 0 });
  });
  afterAll(async () => {
    client?.close();
    await sim?.stop();
    await store?.close();
  });

  it('account names and group names that would change the path are never sent; the run goes on with issues', async () => {
    const persons = [
      rule1Student(HOST(2024), { personNumber: '100001', account: { name: 'olanor', studentAccount: true } }),
      rule1Student(HOST(2024), { personNumber: '100002', account: { name: '..', studentAccount: null } }),
      rule1Student(HOST(2024), {
        personNumber: '100003',
        account: { name: 'x/../../groups/stud-alle', studentAccount: true },
      }),
      rule1Student(HOST(2024), { personNumber: '100004', account: { name: '%2e%2e', studentAccount: true } }),
    ];
    const run = fakeFsRun(store);
    const out = await runFsImport(run.ctx, {
      source: memoryFsImportSource(persons),
      cerebrum: client,
      config: TEST_CONFIG,
      today: '2024-10-15',
    });
    const paths = [...sim.stats.byPath.keys()];
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) {
      expect(p).not.toMatch(/\/\.\.?(\/|$|\?)|%2e|%2f|stud-x/i);
      expect(p).not.toBe('GET /v1/');
    }
    // olanor was read and handled as usual.
    expect(sim.stats.byPath.get('GET /v1/accounts/olanor/quarantines')).toBe(1);
    const messages = run.issues.map((i) => i.message);
    for (const name of ['..', 'x/../../groups/stud-alle', '%2e%2e']) {
      expect(messages).toContainEqual(expect.stringContaining(`account name ${JSON.stringify(name)}`));
    }
    expect(messages).toContainEqual(expect.stringContaining('group name "stud-x/../.." holds a slash'));
    expect(out.result.failed).toBe(0);
  });

  it('a quarantine type or profile group that is no path segment fails the configuration, naming the setting', () => {
    const raw = JSON.parse(
      JSON.stringify({
        ...TEST_CONFIG,
        profiles: TEST_CONFIG.profiles.map((p) => ({
          ...p,
          homeArea: p.homeArea ?? undefined,
          emailDomain: p.emailDomain ?? undefined,
        })),
      }),
    );
    expect(() => parseFsImportConfig({ ...raw, quarantine: { type: '..', comment: 'x' } })).toThrow(
      /quarantine\.type: "\.\." is ".."/,
    );
    raw.profiles[0].groups = ['stud/alle'];
    expect(() => parseFsImportConfig(raw)).toThrow(/profiles\[0\]\.groups\[0\]: "stud\/alle" holds a slash/);
  });
});
