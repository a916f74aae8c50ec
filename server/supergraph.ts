import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';

/**
 * A supergraph of idbro and other subgraphs, for the tests, the federation bench and `npm run
 * start:supergraph`: composed once at start-up with @apollo/composition (no Apollo Studio, no uplink, no
 * network beyond the subgraph URLs) and served by @apollo/gateway. A production installation composes with its
 * own tooling (README "Federation"); this is the same thing in one process.
 */

export interface SubgraphSource {
  name: string;
  /** The subgraph's GraphQL endpoint, as the gateway will call it. */
  url: string;
  /** Its Federation 2 SDL (what `_service { sdl }` answers). */
  sdl: string;
}

/** The supergraph SDL of these subgraphs; throws with every composition error (hint: they name the subgraph). */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors)
    throw new Error(`supergraph composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

interface GatewayContext {
  authorization?: string;
}

export interface SupergraphGateway {
  /** Base URL; GraphQL is at `${url}/graphql`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves a composed supergraph. The caller's Authorization header is forwarded to every subgraph: idbro needs
 * it (scope read) for `_entities`, exactly as a production router must forward it.
 */
export async function startSupergraphGateway(opts: {
  supergraphSdl: string;
  port?: number;
  host?: string;
}): Promise<SupergraphGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
          // Health checks and schema loads come with a context of Apollo's own (typed Record<string, any>).
          const authorization: unknown = context.authorization;
          if (typeof authorization === 'string' && authorization)
            request.http?.headers.set('authorization', authorization);
        },
      }),
  });
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    stopOnTerminationSignals: false,
  });
  await server.start();
  app.use(
    '/graphql',
    express.json({ limit: '5mb' }),
    expressMiddleware(server, {
      context: ({ req }) => Promise.resolve({ authorization: req.header('authorization') }),
    }),
  );
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    stop: () => (stopping ??= server.stop()),
  };
}
