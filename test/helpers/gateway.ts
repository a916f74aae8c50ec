import 'reflect-metadata';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Writable } from 'node:stream';
import {
  startCerebrumSimulator,
  type CerebrumSimulator,
  type CerebrumSimulatorOptions,
} from '../../simulators/cerebrum';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import { createGateway, type Gateway, type GatewayOptions } from '../../server/http';
import type { RequestStats } from '../../resolvers/context';

export const TOKENS = { read: 'tok-read', pii: 'tok-pii', sync: 'tok-sync', all: 'tok-all' };
const API_TOKENS = `${TOKENS.read}=read;${TOKENS.pii}=read+pii;${TOKENS.sync}=sync;${TOKENS.all}=read+pii+sync`;

export interface GqlResult {
  status: number;
  body: any;
}

export interface Stack {
  sim: CerebrumSimulator;
  gateway: Gateway;
  url: string;
  /** Every log line the gateway wrote, as text. */
  logs: string[];
  /** Upstream stats of the last completed GraphQL request. */
  lastStats(): RequestStats | undefined;
  gql(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult>;
  /** A typed document from test/generated (codegen.yml): the answer's data is typed. */
  typed<D, V extends Record<string, unknown>>(
    doc: TypedDocumentNode<D, V>,
    variables: V,
    token?: string | null,
  ): Promise<{ data: D | null; errors?: any[] }>;
  stop(): Promise<void>;
}

/** A Cerebrum simulator and a gateway in front of it, both on loopback with random ports. */
export async function startStack(
  o: {
    sim?: CerebrumSimulatorOptions;
    env?: Record<string, string>;
    gateway?: Partial<GatewayOptions>;
  } = {},
): Promise<Stack> {
  const sim = await startCerebrumSimulator({ apiKey: 'test-api-key', ...o.sim });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig(
    {
      API_TOKENS,
      CEREBRUM_URL: sim.url,
      CEREBRUM_API_KEY: 'test-api-key',
      CEREBRUM_RETRIES: '2',
      LOG_LEVEL: 'debug',
      ...o.env,
    },
    { mode: 'serve' },
  );
  let last: RequestStats | undefined;
  const gateway = createGateway({
    config,
    logger: createLogger('debug', sink),
    onRequestStats: (s) => {
      last = s;
    },
    ...o.gateway,
  });
  const url = await gateway.listen(0, '127.0.0.1');
  const stack: Stack = {
    sim,
    gateway,
    url,
    logs,
    lastStats: () => last,
    async gql(query, variables, token = TOKENS.all) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    async typed(doc, variables, token) {
      const { body } = await stack.gql(print(doc), variables, token);
      return body;
    },
    async stop() {
      await gateway.stop();
      await sim.stop();
    },
  };
  return stack;
}
