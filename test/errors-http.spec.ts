/**
 * Every error that happens before Apollo answers (body-parser, method, content type, unknown path, a route
 * that throws) is JSON in the closed vocabulary, never Express's HTML page with a stack trace and file
 * paths — whatever NODE_ENV says. Real HTTP against the gateway.
 */
import 'reflect-metadata';
import { Writable } from 'node:stream';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { createGateway, type Gateway } from '../server/http';
import { ERROR_CODES } from '../core/errors';

const TOKEN = 'tok-read';

function expectCleanJson(res: Response, text: string, status: number): any {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(text).not.toMatch(/<html|<pre>|node_modules|\/work\/|\bat \w+ \(|Error:|\.ts:\d+|\.js:\d+/i);
  const body = JSON.parse(text);
  expect(body.errors).toHaveLength(1);
  expect(ERROR_CODES).toContain(body.errors[0].extensions.code);
  return body;
}

describe.each(['development', 'production', undefined])('errors before Apollo answers (NODE_ENV=%s)', (nodeEnv) => {
  let gateway: Gateway;
  let url: string;
  const logs: string[] = [];
  const saved = process.env.NODE_ENV;
  beforeAll(async () => {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    });
    gateway = createGateway({
      config: loadConfig({ API_TOKENS: `${TOKEN}=read` }),
      logger: createLogger('debug', sink),
    });
    // A route that fails unexpectedly, with personal data and a secret in its error.
    gateway.app.get('/boom', () => {
      throw new Error('cannot open postgres://idbro:hunter2@db.internal/idbro for 01019012345');
    });
    url = await gateway.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await gateway.stop();
    process.env.NODE_ENV = saved;
  });

  const post = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, ...headers }, body });

  it('malformed JSON → 400', async () => {
    const res = await post('{"query": "{ __typename ');
    const body = expectCleanJson(res, await res.text(), 400);
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.errors[0].message).toMatch(/not valid JSON/);
  });

  it('a 2 MB body → 413', async () => {
    const res = await post(JSON.stringify({ query: '{ __typename }', variables: { x: 'a'.repeat(2 * 1024 * 1024) } }));
    const body = expectCleanJson(res, await res.text(), 413);
    expect(body.errors[0].message).toMatch(/larger than the limit of 1 MB/);
  });

  it('a wrong content type → 415, an unsupported charset → 415', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await post('{"query":"{ __typename }"}', { 'content-type': type });
      expect(expectCleanJson(res, await res.text(), 415).errors[0].message).toMatch(/Content-Type: application\/json/);
    }
    const res = await post('{}', { 'content-type': 'application/json; charset=klingon' });
    expectCleanJson(res, await res.text(), 415);
  });

  it('a bad method → 405 with Allow', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${url}/graphql`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expectCleanJson(res, await res.text(), 405);
      expect(res.headers.get('allow')).toBe('GET, POST');
    }
  });

  it('a body that claims gzip but is not → 400; an unknown path → 404', async () => {
    const res = await post('{}', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expectCleanJson(res, await res.text(), 400);
    for (const method of ['GET', 'POST']) {
      const r = await fetch(`${url}/no/such/path`, { method });
      expectCleanJson(r, await r.text(), 404);
    }
  });

  it('an unexpected error in a route → 500 INTERNAL_SERVER_ERROR with an error id; the log is redacted', async () => {
    const res = await fetch(`${url}/boom`);
    const body = expectCleanJson(res, await res.text(), 500);
    expect(body.errors[0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
    const line = logs.find((l) => l.includes(body.errors[0].extensions.errorId));
    expect(line).toBeDefined();
    expect(line).toContain('stack');
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('01019012345');
  });

  it('a well-formed request still works', async () => {
    const res = await post(JSON.stringify({ query: '{ __typename }' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
