/**
 * GraphiQL served from local assets: asset allow-list, content negotiation on the GraphQL endpoint,
 * no CDN URLs in the page, safe embedding of the default query. Real HTTP against a tiny express
 * app (its own minimal GraphQL POST handler; independent of the real server).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { Request, Response } from 'express';
import { buildSchema, graphql } from 'graphql';
import { mountGraphiql, renderGraphiqlPage } from '../server/graphiql';
import { capture, captures, defined } from './helpers/defined';

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

const EVIL_QUERY = '# </script><script>window.__pwned = 1</script>\n{ hello }';

function buildApp(): express.Express {
  const app = express();
  mountGraphiql(app, { endpoint: '/graphql', defaultQuery: EVIL_QUERY, title: 'Test <GraphiQL>' });
  app.get('/graphql', (_req: Request, res: Response) => {
    res.status(200).json({ fellThrough: true });
  });
  app.post('/graphql', express.json(), async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { query?: string; variables?: Record<string, unknown>; operationName?: string };
    const result = await graphql({
      schema,
      source: body.query ?? '',
      rootValue,
      variableValues: body.variables,
      operationName: body.operationName,
    });
    res.status(200).json(result);
  });
  return app;
}

let server: Server;
let base: string;

beforeAll(async () => {
  const app = buildApp();
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

async function getPage(): Promise<{ res: globalThis.Response; html: string }> {
  const res = await fetch(`${base}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
  return { res, html: await res.text() };
}

describe('GraphiQL page', () => {
  it('answers a browser GET (Accept: text/html) with the GraphiQL page', async () => {
    const { res, html } = await getPage();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('vary')).toMatch(/Accept/i);
    expect(html).toContain('<div id="graphiql">');
    expect(html).toContain('GraphiQL.createFetcher');
    expect(html).toContain('<title>Test &lt;GraphiQL&gt;</title>');
  });

  it('sends a Content-Security-Policy without remote sources', async () => {
    const { res } = await getPage();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect(csp).not.toContain("'unsafe-eval'");
  });

  it('references only local /graphiql/assets/ URLs and no http(s):// URL at all', async () => {
    const { html } = await getPage();
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(src|href)="\/\//); // no protocol-relative URLs either
    const refs = captures(/(?:src|href)="([^"]+)"/g, html);
    const assets = refs.filter((r) => !r.startsWith('data:'));
    expect(assets.length).toBe(4);
    for (const ref of assets) expect(ref).toMatch(/^\/graphiql\/assets\/[a-z.-]+\?v=[\w.-]+$/);
    for (const name of [
      'graphiql.min.js',
      'graphiql.min.css',
      'react.production.min.js',
      'react-dom.production.min.js',
    ]) {
      expect(html).toContain(`/graphiql/assets/${name}`);
    }
  });

  it('embeds the default query safely: </script> in it cannot break out', async () => {
    const { html } = await getPage();
    // Exactly the script elements we emit: 3 assets + JSON config + bootstrap.
    expect(html.match(/<script\b/gi)?.length).toBe(5);
    expect(html.match(/<\/script>/gi)?.length).toBe(5);
    expect(html).not.toContain('window.__pwned = 1</script>');
    // The JSON data block round-trips to the exact query.
    const m = html.match(/<script type="application\/json" id="graphiql-config">([\s\S]*?)<\/script>/);
    expect(m).not.toBeNull();
    const config = JSON.parse(defined(m?.[1], 'the graphiql-config block')) as {
      endpoint: string;
      defaultQuery: string;
    };
    expect(config.endpoint).toBe('/graphql');
    expect(config.defaultQuery).toBe(EVIL_QUERY);
    expect(m![1]).not.toContain('<');
  });

  it('renderGraphiqlPage escapes headers and title, and contains no remote URL', () => {
    const html = renderGraphiqlPage({
      endpoint: '/graphql',
      title: '"><script>x</script>',
      headers: { Authorization: 'Bearer </script><b>' },
    });
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toContain('<script>x</script>');
    expect(html).not.toContain('</script><b>');
    const block = capture(/<script type="application\/json" id="graphiql-config">([\s\S]*?)<\/script>/, html);
    const config = JSON.parse(block) as { defaultHeaders?: string; defaultQuery: string };
    expect(JSON.parse(config.defaultHeaders ?? '{}')).toEqual({ Authorization: 'Bearer </script><b>' });
    expect(config.defaultQuery.length).toBeGreaterThan(0);
  });
});

describe('content negotiation on the GraphQL endpoint', () => {
  it('a GET with Accept: application/json falls through to the next handler', async () => {
    const res = await fetch(`${base}/graphql`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ fellThrough: true });
  });

  it('a GET with Accept: */* (curl) or no Accept falls through too', async () => {
    const star = await fetch(`${base}/graphql`, { headers: { accept: '*/*' } });
    expect(await star.json()).toEqual({ fellThrough: true });
    const { request } = await import('node:http');
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/graphql`, { method: 'GET', headers: {} }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve(data));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ fellThrough: true });
  });

  it('POST queries still reach the GraphQL handler', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ hello person(id: "7") { name } }' }),
    });
    expect(await res.json()).toEqual({ data: { hello: 'world', person: { name: 'Person 7' } } });
  });
});

describe('GraphiQL assets', () => {
  const cases: Array<[string, RegExp]> = [
    ['graphiql.min.js', /^text\/javascript; charset=utf-8$/],
    ['graphiql.min.css', /^text\/css; charset=utf-8$/],
    ['react.production.min.js', /^text\/javascript; charset=utf-8$/],
    ['react-dom.production.min.js', /^text\/javascript; charset=utf-8$/],
  ];

  it.each(cases)(
    '%s answers 200 with the right content-type, a long cache and a non-empty body',
    async (name, type) => {
      const res = await fetch(`${base}/graphiql/assets/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
      expect(res.headers.get('cache-control')).toMatch(/max-age=31536000/);
      expect(res.headers.get('cache-control')).toMatch(/immutable/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = await res.text();
      expect(body.length).toBeGreaterThan(1000);
      expect(body).not.toMatch(/^<!doctype html/i);
    },
  );

  it('the GraphiQL bundle is the UMD build exposing window.GraphiQL', async () => {
    const body = await (await fetch(`${base}/graphiql/assets/graphiql.min.js`)).text();
    expect(body).toContain('window.GraphiQL');
  });

  it.each([
    '/graphiql/assets/unknown.js',
    '/graphiql/assets/graphiql.js',
    '/graphiql/assets/graphiql.min.js.map',
    '/graphiql/assets/..%2fpackage.json',
    '/graphiql/assets/..%2f..%2fpackage.json',
    '/graphiql/assets/%2e%2e%2fpackage.json',
    '/graphiql/assets/__proto__',
    '/graphiql/assets/constructor',
  ])('%s answers 404', async (p) => {
    const res = await fetch(`${base}${p}`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain('"name"');
  });
});
