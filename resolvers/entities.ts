import type { GraphQLResolveInfo } from 'graphql';
import { QueryResolver } from './query.resolver';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { Account } from '../schema/account.type';
import { ClassType, ItSystem } from '../schema/class.type';
import { SyncJob } from '../schema/sync-job.type';
import type { Node } from '../schema/node.type';
import type { Context } from './context';
import { badInput } from '../core/errors';

/**
 * Apollo Federation's entity resolution (`Query._entities`, `__resolveReference`). Every entity is a Node keyed
 * by its global id, so a representation is answered exactly as `node(id:)` answers that id: the same dispatch
 * (QueryResolver.node, not a second one), the same per-request DataLoaders (50 representations batch like 50
 * aliased `node` fields) and the same scope rules.
 */

/** The entity types (GraphQL names) and their classes: a representation must name one of them. */
export const ENTITY_CLASSES: Record<string, abstract new () => Node> = {
  Person,
  OrganisationUnit,
  Account,
  Class: ClassType,
  ItSystem,
  SyncJob,
};

// QueryResolver holds no state; one instance serves every request.
const dispatch = new QueryResolver();

/** The entity for one representation, or null when its id names nothing (or something of another type). */
export async function resolveReference(
  typename: string,
  rep: Record<string, unknown>,
  ctx: Context,
  info: GraphQLResolveInfo,
): Promise<Node | null> {
  if (typeof rep.id !== 'string' || rep.id === '') {
    throw badInput(
      `A ${typename} representation needs "id", the global id (e.g. "cerebrum:85073"); this one has none.`,
    );
  }
  const node = await dispatch.node(rep.id, ctx, info);
  // "los:<uuid>" may name a unit while the router asked for a Person: that Person does not exist.
  const entityClass = ENTITY_CLASSES[typename];
  if (!entityClass) throw badInput(`"${typename}" is no entity of this subgraph.`); // callers pass known names only
  return node instanceof entityClass ? node : null;
}

/**
 * `Query._entities`, replacing @apollo/subgraph's own: that one throws synchronously for a representation
 * without a known `__typename`, which fails the whole list. Here each representation is its own promise, so a
 * malformed one is a BAD_USER_INPUT error on that list item alone and the others are answered.
 */
export function entities(
  _root: unknown,
  args: { representations: unknown[] },
  ctx: Context,
  info: GraphQLResolveInfo,
): Promise<Node | null>[] {
  return args.representations.map(async (rep) => {
    if (rep === null || typeof rep !== 'object' || Array.isArray(rep))
      throw badInput('A representation must be an object with "__typename" and "id".');
    const typename = (rep as { __typename?: unknown }).__typename;
    if (typeof typename !== 'string' || !(typename in ENTITY_CLASSES)) {
      throw badInput(
        `A representation's "__typename" must name an entity of this subgraph: ${Object.keys(ENTITY_CLASSES).join(', ')}.`,
      );
    }
    const node = await resolveReference(typename, rep as Record<string, unknown>, ctx, info);
    // The `_Entity` union resolves its member from `__typename` (@apollo/subgraph); hidden from field listings.
    if (node) Object.defineProperty(node, '__typename', { value: typename, configurable: true });
    return node;
  });
}

/** The resolver map added to the subgraph schema: `_entities` and each entity's `__resolveReference`. */
export function federationResolvers(): Record<string, Record<string, unknown>> {
  const map: Record<string, Record<string, unknown>> = { Query: { _entities: entities } };
  for (const typename of Object.keys(ENTITY_CLASSES)) {
    map[typename] = {
      __resolveReference: (rep: Record<string, unknown>, ctx: Context, info: GraphQLResolveInfo) =>
        resolveReference(typename, rep, ctx, info),
    };
  }
  return map;
}
