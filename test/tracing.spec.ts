/**
 * OpenTelemetry traces (issue 14, item 4). A gateway with a sync worker runs in a child process with the SDK on
 * (test/helpers/tracing-child.ts; OTEL_EXPORTER_OTLP_ENDPOINT pointing at a tiny OTLP/HTTP JSON receiver here);
 * the Cerebrum simulator runs here and records the `traceparent` each request carried. One GraphQL query and
 * one job (started by a mutation) give the span trees asserted below; the caller's own `traceparent` fixes each
 * request's trace id, so the test knows which trace is which.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startCerebrumSimulator, type CerebrumSimulator } from '../simulators/cerebrum';
import { REDIS_URL, deleteRedisKeys, uniquePrefix, waitFor } from './helpers/jobs';
import { first } from './helpers/defined';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpAttr {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttr[];
  events?: Array<{ name: string; attributes?: OtlpAttr[] }>;
}
interface ResourceSpans {
  resource?: { attributes?: OtlpAttr[] };
  scopeSpans: Array<{ spans: OtlpSpan[] }>;
}

const SPAN_KIND_CLIENT = 3;
const API_KEY = 'test-api-key-S3cr3t';
const TOKEN = 'tok-all';

/** A minimal OTLP/HTTP receiver (JSON protocol): POST /v1/traces with ExportTraceServiceRequest bodies. */
async function startReceiver(): Promise<{
  url: string;
  batches: ResourceSpans[];
  raw: string[];
  close(): Promise<void>;
}> {
  const batches: ResourceSpans[] = [];
  const raw: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/v1/traces' && req.method === 'POST' && /json/.test(req.headers['content-type'] ?? '')) {
        raw.push(text);
        batches.push(...(JSON.parse(text) as { resourceSpans: ResourceSpans[] }).resourceSpans);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    batches,
    raw,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.intValue ?? v?.boolValue ?? v?.doubleValue;
};
const traceparent = (traceId: string) => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;

describe('OpenTelemetry traces', () => {
  const prefix = uniquePrefix('tracing');
  let sim: CerebrumSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let child: ChildProcess;
  let url: string;
  let output = '';
  let fnr: string;
  const queryTrace = randomBytes(16).toString('hex');
  const mutationTrace = randomBytes(16).toString('hex');
  let spans: OtlpSpan[] = [];

  beforeAll(async () => {
    sim = await startCerebrumSimulator({ apiKey: API_KEY });
    const nid = sim.data.persons.get(85073)!.external_ids.find((e) => e.id_type === 'NO_BIRTHNO')!;
    fnr = nid.external_id;
    receiver = await startReceiver();
    child = fork(join(__dirname, 'helpers', 'tracing-child.ts'), [], {
      execArgv: ['--require', join(__dirname, 'helpers', 'swc-register.js')],
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'idbro-tracing-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        CHILD_CEREBRUM_URL: sim.url,
        CHILD_CEREBRUM_API_KEY: API_KEY,
        CHILD_REDIS_URL: REDIS_URL,
        CHILD_PREFIX: prefix,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    url = await new Promise<string>((resolve, reject) => {
      child.on('message', (m: { type: string; url?: string; message?: string }) => {
        if (m.type === 'ready') resolve(m.url!);
        if (m.type === 'error') reject(new Error(m.message));
      });
      child.on('exit', (code) => reject(new Error(`tracing child exited (${code}): ${output}`)));
    });

    const gql = async (query: string, variables: Record<string, unknown>, traceId?: string) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${TOKEN}`,
          ...(traceId ? { traceparent: traceparent(traceId) } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: any[] };
    };
    // One query with a person id in a path and a national id in a search (a variable) and a literal.
    const q = await gql(
      `query TraceMe($n: String!) { person(id: "cerebrum:85073") { name accounts { name } } byVar: personByNationalId(nationalId: $n) { id }
        byLiteral: personByNationalId(nationalId: "${fnr}") { id } }`,
      { n: fnr },
      queryTrace,
    );
    expect(q.errors).toBeUndefined();
    const m = await gql('mutation StartLos { startLosImport(dryRun: true) { id } }', {}, mutationTrace);
    expect(m.errors).toBeUndefined();
    const jobId = m.data.startLosImport.id;
    await waitFor('the LOS job to succeed', async () => {
      const r = await gql('query ($id: ID!) { syncJob(id: $id) { state } }', { id: jobId });
      return r.data?.syncJob?.state === 'SUCCEEDED';
    });
    // Shut the child down: its SDK flushes every span still buffered before it answers.
    await new Promise<void>((resolve, reject) => {
      child.on('message', (msg: { type: string }) => msg.type === 'stopped' && resolve());
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${output}`))));
      child.send({ type: 'stop' });
    });
    spans = receiver.batches.flatMap((b) => b.scopeSpans.flatMap((s) => s.spans));
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await receiver?.close();
    await sim?.stop();
    await deleteRedisKeys(prefix);
  });

  const byId = (id: string | undefined) => spans.find((s) => s.spanId === id);

  it('a GraphQL operation: one operation span, upstream client spans under it, traceparent sent to Cerebrum', () => {
    const inTrace = spans.filter((s) => s.traceId === queryTrace);
    const op = inTrace.find((s) => s.name === 'graphql query TraceMe');
    expect(op).toBeDefined();
    expect(attr(op!, 'graphql.operation.type')).toBe('query');
    expect(attr(op!, 'graphql.outcome')).toBe('ok');
    expect(attr(op!, 'express.type')).toBeUndefined(); // our span, not an Express layer's renamed
    expect(inTrace.filter((s) => s.name.startsWith('graphql'))).toHaveLength(1);
    // The incoming HTTP request's server span (instrumentation-http) is its parent.
    expect(byId(op!.parentSpanId)?.kind).toBe(2);
    const clients = inTrace.filter((s) => s.kind === SPAN_KIND_CLIENT);
    const names = clients.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'CEREBRUM GET /v1/persons/{id}',
        'CEREBRUM GET /v1/persons/{id}/accounts',
        'CEREBRUM GET /v1/search/persons/external-ids',
      ]),
    );
    for (const c of clients) expect(c.parentSpanId).toBe(op!.spanId);
    expect(attr(first(clients), 'url.template')).toMatch(/^\/v1\//);
    // Cerebrum got the trace: every request of this query carried a traceparent with its trace id.
    const seen = sim.stats.log.filter((r) => r.traceparent?.split('-')[1] === queryTrace);
    expect(seen.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1/persons/85073', '/v1/persons/85073/accounts']),
    );
    // …and each one names the span of its own request as parent.
    for (const r of seen) expect(clients.map((c) => c.spanId)).toContain(r.traceparent!.split('-')[2]);
  });

  it("a mutation that starts a job: the job span is in the mutation's trace, with phases and its upstream call", () => {
    const inTrace = spans.filter((s) => s.traceId === mutationTrace);
    const op = inTrace.find((s) => s.name === 'graphql mutation StartLos');
    expect(op).toBeDefined();
    const job = inTrace.find((s) => s.name === 'sync LOS_IMPORT');
    expect(job).toBeDefined();
    expect(job!.parentSpanId).toBe(op!.spanId);
    expect(attr(job!, 'idbro.sync.outcome')).toBe('SUCCEEDED');
    expect(attr(job!, 'idbro.sync.dry_run')).toBe(true);
    const phases = inTrace.filter((s) => s.parentSpanId === job!.spanId && s.name.startsWith('phase: '));
    expect(phases.map((p) => p.name)).toEqual(['phase: reading Employee_delta.csv', 'phase: applying # rows']);
    const call = inTrace.find((s) => s.name === 'CEREBRUM GET /v1/persons/{id}' && s.parentSpanId === job!.spanId);
    expect(call).toBeDefined();
    expect(
      sim.stats.log.some((r) => r.traceparent?.split('-')[1] === mutationTrace && r.path === '/v1/persons/85073'),
    ).toBe(true);
  });

  it('no national id, person id, query text or secret in any attribute', () => {
    expect(spans.length).toBeGreaterThan(5);
    const text = receiver.raw.join('\n');
    for (const secret of [fnr, API_KEY, TOKEN, 'Bearer', '85073', 'personByNationalId', 'nationalId']) {
      expect(text).not.toContain(secret);
    }
    const server = spans.find((s) => s.traceId === queryTrace && s.kind === 2)!;
    expect(attr(server, 'url.path')).toBe('/graphql');
  });
});
