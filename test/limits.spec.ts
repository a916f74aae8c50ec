/**
 * Query limits (server/plugins/use-limits.ts, server/query-cost.ts): tokens, aliases, directives, depth
 * (introspection included) and cost, each refused with BAD_USER_INPUT / HTTP 400 naming its setting, before any
 * request reaches the Cerebrum simulator.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getIntrospectionQuery, isObjectType } from 'graphql';
import { startStack, type Stack } from './helpers/gateway';
import { openStore, type Db } from '../store/db';
import { SyncJobsRepo } from '../store/sync-jobs.repo';
import { buildGatewaySchema } from '../server/schema-build';
import { UPSTREAM_FIELD_COSTS } from '../server/query-cost';
import { createGateway } from '../server/http';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { startCerebrumSimulator } from '../simulators/cerebrum';
import { checkGraphiql } from '../scripts/check-graphiql';

function expectRefused(r: { status: number; body: any }, setting: string): void {
  expect(r.status).toBe(400);
  expect(r.body.data).toBeUndefined();
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(r.body.errors[0].message).toContain(`(${setting})`);
}

describe('query limits', () => {
  let s: Stack;
  let store: Db;
  let jobId: string;
  beforeAll(async () => {
    store = await openStore({ memory: true });
    const repo = new SyncJobsRepo(store);
    jobId = randomUUID();
    await repo.create({ id: jobId, kind: 'LOS_IMPORT' });
    await repo.addIssues(
      jobId,
      Array.from({ length: 120 }, (_, i) => ({ severity: 'WARNING' as const, message: `issue ${i + 1}`, line: i + 1 })),
    );
    s = await startStack({ gateway: { store } });
  });
  afterAll(async () => {
    await s.stop();
    await store.close();
  });
  beforeEach(() => s.sim.stats.reset());

  it('refuses 5,000 aliased person(id:) (256 KB) before any upstream request (MAX_TOKENS), and 101 aliases (MAX_ALIASES)', async () => {
    const many = `{ ${Array.from({ length: 5000 }, (_, i) => `p${i}: person(id: "cerebrum:${85073 + (i % 3)}") { id name firstName }`).join(' ')} }`;
    expect(many.length).toBeGreaterThan(256 * 1024);
    expectRefused(await s.gql(many), 'MAX_TOKENS');

    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `p${i}: person(id: "cerebrum:85073") { name }`).join(' ')} }`;
    const r = await s.gql(aliases(101));
    expectRefused(r, 'MAX_ALIASES');
    expect(r.body.errors[0].extensions).toMatchObject({ limit: 100, actual: 101 });
    expect(s.sim.stats.total).toBe(0);

    // 100 aliases are within the default and are answered.
    const ok = await s.gql(aliases(100));
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.p99.name).toBe('Tor Test');
  });

  it("counts a variable's declared default as `first` (query($n: Int = 500) …)", async () => {
    const query = `query People($n: Int = 500) { persons(first: $n) { edges { node { accounts { owner { affiliations { organisationUnit { name } } } } } } } }`;
    const r = await s.gql(query);
    expectRefused(r, 'MAX_QUERY_COST');
    expect(r.body.errors[0].extensions).toMatchObject({ limit: 20000, actual: 223 * 500 });
    expectRefused(await s.gql(query, { n: 400 }), 'MAX_QUERY_COST');
    expect(s.sim.stats.total).toBe(0);
    // The same query for 5 persons is within the limit.
    expect((await s.gql(query, { n: 5 })).status).toBe(200);
  });

  it('scalar fields that need an upstream call have a cost', async () => {
    const s2 = await startStack({ env: { MAX_QUERY_COST: '10' } });
    try {
      const details = 'primaryEmail active createdAt expireDate contexts';
      const r = await s2.gql(`{ a: account(name: "torte") { ${details} } b: account(name: "torte") { ${details} } }`);
      expectRefused(r, 'MAX_QUERY_COST');
      expect(r.body.errors[0].extensions.actual).toBe(12);
      expect(s2.sim.stats.total).toBe(0);
    } finally {
      await s2.stop();
    }
  });

  it('each limit is a setting', async () => {
    const s3 = await startStack({
      env: { MAX_ALIASES: '2', MAX_DIRECTIVES: '1', MAX_TOKENS: '200', MAX_QUERY_DEPTH: '3' },
    });
    try {
      const r = await s3.gql(
        '{ a: person(id: "cerebrum:85073") { name } b: person(id: "cerebrum:85073") { name } c: person(id: "cerebrum:85073") { name } }',
      );
      expectRefused(r, 'MAX_ALIASES');
      expect(r.body.errors[0].extensions).toMatchObject({ limit: 2, actual: 3 });
      expectRefused(
        await s3.gql('{ person(id: "cerebrum:85073") { name @include(if: true) id @skip(if: false) } }'),
        'MAX_DIRECTIVES',
      );
      expectRefused(await s3.gql(`{ person(id: "cerebrum:85073") { ${'name '.repeat(200)} } }`), 'MAX_TOKENS');
      expectRefused(
        await s3.gql('{ person(id: "cerebrum:85073") { accounts { owner { name } } } }'),
        'MAX_QUERY_DEPTH',
      );
      expect(s3.sim.stats.total).toBe(0);
      expect((await s3.gql('{ a: person(id: "cerebrum:85073") { name } }')).body.data.a.name).toBe('Tor Test');
    } finally {
      await s3.stop();
    }
  });

  it('every costed scalar names a field of the schema', () => {
    const schema = buildGatewaySchema();
    for (const key of Object.keys(UPSTREAM_FIELD_COSTS)) {
      const [type = '', field = ''] = key.split('.'); // '' names no type or field: "(missing)"
      const t = schema.getType(type);
      expect(t && isObjectType(t) && t.getFields()[field] ? key : `${key} (missing)`).toBe(key);
    }
  });

  it('SyncJob.issues is paged (first 50 by default, then `after`) and costed by its `first`', async () => {
    const first = await s.gql(`query($id: ID!) { syncJob(id: $id) { issues { cursor line message } } }`, { id: jobId });
    expect(first.body.errors).toBeUndefined();
    const issues = first.body.data.syncJob.issues;
    expect(issues).toHaveLength(50);
    expect(issues[49].line).toBe(50);
    const next = await s.gql(
      `query($id: ID!, $after: String) { syncJob(id: $id) { issues(first: 100, after: $after) { line } } }`,
      { id: jobId, after: issues[49].cursor },
    );
    expect(next.body.data.syncJob.issues.map((i: any) => i.line)).toEqual(Array.from({ length: 70 }, (_, i) => 51 + i));
    const bad = await s.gql(`query($id: ID!) { syncJob(id: $id) { issues(after: "nope") { line } } }`, { id: jobId });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    expectRefused(
      await s.gql('{ syncJobs(first: 500) { edges { node { issues(first: 500) { message } } } } }'),
      'MAX_QUERY_COST',
    );
  });

  it("caps the depth of introspection too, and GraphiQL's own introspection query passes", async () => {
    const ofTypes = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypes(n - 1)} }`);
    const deep = `{ __schema { types { fields { type { ${ofTypes(20)} } } } } }`;
    expectRefused(await s.gql(deep), 'MAX_INTROSPECTION_DEPTH');
    // What GraphiQL 3 sends (graphql-js's query with input value deprecation), and the plain one.
    for (const q of [getIntrospectionQuery({ inputValueDeprecation: true }), getIntrospectionQuery()]) {
      const r = await s.gql(q, undefined);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.__schema.queryType.name).toBe('Query');
    }
  });

  it('refuses too deep queries (MAX_QUERY_DEPTH) and too many directives (MAX_DIRECTIVES)', async () => {
    const nest = (n: number): string => (n === 0 ? 'name' : `accounts { owner { ${nest(n - 1)} } }`);
    const r = await s.gql(`{ person(id: "cerebrum:85073") { ${nest(6)} } }`);
    expectRefused(r, 'MAX_QUERY_DEPTH');
    expect(r.body.errors[0].extensions).toMatchObject({ limit: 12, actual: 14 });
    const directives = Array.from({ length: 51 }, () => 'name @include(if: true)').join(' ');
    expectRefused(await s.gql(`{ person(id: "cerebrum:85073") { ${directives} } }`), 'MAX_DIRECTIVES');
    expect(s.sim.stats.total).toBe(0);
  });
});

describe('GraphiQL through the limits', () => {
  it('loads the schema (its introspection query), runs a query and shows the docs in headless Chromium', async () => {
    const sim = await startCerebrumSimulator({ apiKey: 'k' });
    // Demo mode: anonymous read, as GraphiQL sends no token.
    const gateway = createGateway({
      config: loadConfig({ CEREBRUM_URL: sim.url, CEREBRUM_API_KEY: 'k' }, { mode: 'demo' }),
      logger: createLogger('silent'),
      defaultQuery: '{ person(id: "cerebrum:85073") { name } }',
    });
    const url = await gateway.listen(0, '127.0.0.1');
    const dir = mkdtempSync(join(tmpdir(), 'limits-graphiql-'));
    try {
      const result = await checkGraphiql(`${url}/graphql`, { screenshot: join(dir, 'graphiql.png') });
      if (result.skipped) return; // no Chromium here: test/graphiql-browser.spec.ts reports the skip
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(JSON.parse(result.resultText ?? '{}')).toEqual({ data: { person: { name: 'Tor Test' } } });
    } finally {
      await gateway.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
