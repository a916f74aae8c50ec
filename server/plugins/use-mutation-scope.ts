import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  OperationTypeNode,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Context } from '../../resolvers/context';
import { gqlError } from '../../core/errors';
import { hook } from './hook';

/**
 * What a mutation's answer may show to a token without scope `read`: the handle of the job it started or
 * cancelled (enough to follow it by id), nothing of what the job found. Everything else in an answer is what
 * `syncJob` shows, and `syncJob` needs `read`; without this gate a `sync`-only token could read any job's
 * issues and details through `cancelSyncJob(id:)` (issue 9, item 4). An allow-list, so a field added later
 * needs `read` until someone decides otherwise.
 */
export const MUTATION_FIELDS_WITHOUT_READ: Readonly<Record<string, readonly string[]>> = {
  SyncJob: ['id', 'kind', 'state', 'progress', 'dryRun', 'attempts', 'createdAt', 'startedAt', 'finishedAt'],
};

type Fragments = Record<string, FragmentDefinitionNode>;

/** The first field of the selection (fragments followed) that needs `read`, as "Type.field"; null if none. */
function fieldNeedingRead(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  set: SelectionSetNode,
  fragments: Fragments,
  seen: Set<string>,
): string | null {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      if (name === '__typename') continue;
      if (!(MUTATION_FIELDS_WITHOUT_READ[type.name] ?? []).includes(name)) return `${type.name}.${name}`;
      continue;
    }
    const frag = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments[sel.name.value];
    if (!frag) continue; // graphql-js validation reports an unknown fragment
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      if (seen.has(sel.name.value)) continue;
      seen.add(sel.name.value);
    }
    const cond = frag.typeCondition ? schema.getType(frag.typeCondition.name.value) : type;
    if (!cond || !(isObjectType(cond) || isInterfaceType(cond))) continue;
    const found = fieldNeedingRead(schema, cond, frag.selectionSet, fragments, seen);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses, before anything runs, a mutation whose answer asks a token without `read` for more than the job
 * handle: the mutation is not carried out, so a refused answer never hides a side effect.
 */
export function mutationScopePlugin(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: ({ contextValue }) =>
      hook(() => ({
        didResolveOperation: ({ operation, document, schema }) =>
          hook(() => {
            if (operation?.operation !== OperationTypeNode.MUTATION || contextValue.scopes.has('read')) return;
            const root = schema.getMutationType();
            if (!root) return;
            const fragments: Fragments = Object.fromEntries(
              document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
            );
            // The mutation fields themselves check scope sync; what each answers is checked here.
            const checkRoot = (set: SelectionSetNode, seen: Set<string>): string | null => {
              for (const sel of set.selections) {
                if (sel.kind === Kind.FIELD) {
                  const type = sel.selectionSet ? getNamedType(root.getFields()[sel.name.value]?.type) : undefined;
                  if (!type || !(isObjectType(type) || isInterfaceType(type))) continue;
                  const found = fieldNeedingRead(schema, type, sel.selectionSet!, fragments, new Set());
                  if (found) return found;
                  continue;
                }
                const frag = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments[sel.name.value];
                if (!frag || (sel.kind === Kind.FRAGMENT_SPREAD && seen.has(sel.name.value))) continue;
                if (sel.kind === Kind.FRAGMENT_SPREAD) seen.add(sel.name.value);
                const found = checkRoot(frag.selectionSet, seen);
                if (found) return found;
              }
              return null;
            };
            const found = checkRoot(operation.selectionSet, new Set());
            if (found) {
              throw gqlError(
                'FORBIDDEN',
                `${found} in a mutation's answer needs scope "read", which this token does not have (ask for the job's id and state, and read the rest with a read token).`,
                { http: { status: 403 } },
              );
            }
          }),
      })),
  };
}
