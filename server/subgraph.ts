import 'reflect-metadata';
import { concatAST, graphqlSync, lexicographicSortSchema, parse, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
// @graphql-tools/utils comes with @apollo/server (its dependency): it turns the type-graphql schema back into
// SDL *with* the @key directives type-graphql keeps on the AST nodes, which graphql-js's printer drops.
import { getDocumentNodeFromSchema } from '@graphql-tools/utils';
import { createResolversMap } from 'type-graphql';
import { buildGatewaySchema } from './schema-build';
import { federationResolvers } from '../resolvers/entities';

/**
 * The Federation 2 version idbro links. v2.3 is understood by every current router (Apollo Router, Hive
 * Gateway, Cosmo) and has everything idbro uses: only @key.
 */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.3';

let cached: GraphQLSchema | undefined;

/**
 * The schema served at /graphql: the type-graphql schema (server/schema-build.ts) as an Apollo Federation 2 subgraph,
 * i.e. plus `Query._service`, `Query._entities`, `_Any`, `_Entity` and the federation directives. The
 * type-graphql resolvers are carried over with createResolversMap, as type-graphql's federation example does.
 */
export function buildIdbroSubgraphSchema(): GraphQLSchema {
  if (cached) return cached;
  const base = buildGatewaySchema();
  const typeDefs = concatAST([
    parse(`extend schema @link(url: "${FEDERATION_LINK}", import: ["@key"])`),
    getDocumentNodeFromSchema(lexicographicSortSchema(base)),
  ]);
  const resolvers = { ...(createResolversMap(base) as Record<string, Record<string, unknown>>) };
  for (const [type, extra] of Object.entries(federationResolvers())) resolvers[type] = { ...resolvers[type], ...extra };
  cached = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  return cached;
}

/**
 * schema/subgraph.graphql: exactly what `_service { sdl }` answers, i.e. what a router (or `rover subgraph
 * introspect`) reads: @link imports, the federation directive definitions, @key on every entity.
 */
export function printIdbroSubgraphSchema(): string {
  const result = graphqlSync({ schema: buildIdbroSubgraphSchema(), source: '{ _service { sdl } }' });
  const sdl = (result.data as { _service?: { sdl?: string } } | null)?._service?.sdl;
  if (!sdl) throw new Error(`_service { sdl } gave no SDL: ${JSON.stringify(result.errors)}`);
  return `${sdl.trimEnd()}\n`;
}
