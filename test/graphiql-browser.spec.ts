/**
 * GraphiQL in a real headless Chromium (playwright-core): loads from local assets only, runs the
 * preloaded query, the docs explorer lists Query, a screenshot is written. Skips with a clear
 * message where no Chromium binary is installed (set CHROMIUM_PATH or install Debian's chromium).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { Request, Response } from 'express';
import { buildSchema, graphql } from 'graphql';
import { mountGraphiql } from '../server/graphiql';
import { checkGraphiql, defaultChromiumPath } from '../scripts/check-graphiql';

const schema = buildSchema(`
  type Query {
    hello: String!
    person(id: ID!): Person
  }
  type Person {
    id: ID!
    name: String
  }
`);
const rootValue = {
  hello: () => 'world',
  person: ({ id }: { id: string }) => ({ id, name: `Person ${id}` }),
};

let server: Server;
let base: string;
let tmpDir: string;

beforeAll(async () => {
  const app = express();
  mountGraphiql(app, {
    endpoint: '/graphql',
    defaultQuery: '# </script> must not break the page\n{\n  hello\n  person(id: "42") {\n    id\n    name\n  }\n}\n',
  });
  app.post('/graphql', express.json(), async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { query?: string; variables?: Record<string, unknown>; operationName?: string };
    res.json(
      await graphql({
        schema,
        source: body.query ?? '',
        rootValue,
        variableValues: body.variables,
        operationName: body.operationName,
      }),
    );
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graphiql-browser-spec-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

it('GraphiQL renders from local assets, runs the query and shows the docs in headless Chromium', async () => {
  const screenshot = path.join(tmpDir, 'graphiql.png');
  const result = await checkGraphiql(`${base}/graphql`, { screenshot });

  if (result.skipped) {
    // CI (.ci/run) installs chromium and sets IDBRO_REQUIRE_BROWSER=1: there, a missing browser is a failure.
    if (process.env.IDBRO_REQUIRE_BROWSER === '1') throw new Error(`${result.skipped} (IDBRO_REQUIRE_BROWSER=1)`);
    // No browser on this machine: skip with a clear message instead of failing.
    console.log(result.skipped);
    expect(result.skipped).toBe(
      `SKIP: no Chromium at ${defaultChromiumPath()}; install Debian's chromium (apt-get install chromium) to run the browser check`,
    );
    return;
  }

  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.resultText).toContain('"data"');
  expect(JSON.parse(result.resultText ?? '{}')).toEqual({
    data: { hello: 'world', person: { id: '42', name: 'Person 42' } },
  });
  expect(result.externalRequests).toEqual([]);
  // The page and its four assets, plus at least the introspection and query POSTs, all local.
  expect(result.requests?.some((u) => u.includes('/graphiql/assets/graphiql.min.js'))).toBe(true);
  for (const u of result.requests ?? []) expect(u.startsWith(base) || u.startsWith('data:')).toBe(true);
  expect(result.screenshot).toBe(screenshot);
  expect(fs.existsSync(screenshot)).toBe(true);
  expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
}, 60_000);

it('reports a missing browser as a skip, not a failure', async () => {
  const missing = path.join(os.tmpdir(), 'definitely-no-chromium-here');
  const result = await checkGraphiql(`${base}/graphql`, { executablePath: missing });
  expect(result.skipped).toBe(
    `SKIP: no Chromium at ${missing}; install Debian's chromium (apt-get install chromium) to run the browser check`,
  );
  expect(result.ok).toBe(false);
  expect(result.problems).toEqual([]);
});
