import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from '../../core/config';
import { badInput } from '../../core/errors';
import { hook } from './hook';

/**
 * The plugins a federated idbro needs: the representation limit, and no inline tracing. Apollo Server turns
 * on ftv1 inline traces for any subgraph schema; they would hand timings and error texts to whoever sends the
 * trace header, and idbro reports to no Apollo Studio.
 */
export function federationPlugins(config: Pick<Config, 'maxCost' | 'maxEntityRepresentations'>): ApolloServerPlugin[] {
  return [useEntitiesLimit(config), ApolloServerPluginInlineTraceDisabled()];
}

/** As in the query cost model: a list field without `first` is assumed to hold this many items. */
const LIST_SIZE = 10;

/**
 * Counts `_entities` representations against the limits before anything runs. A router sends hundreds of
 * representations in one `_entities(representations: $r)` call; the static cost limit sees one list field
 * there, however long `$r` is. Here each representation costs what one aliased `node(id:)` with the same
 * selection would (1 + its selection's object fields), and their number has its own cap: 5,000
 * representations are refused like 5,000 aliases, before any upstream request.
 */
export function useEntitiesLimit(config: Pick<Config, 'maxCost' | 'maxEntityRepresentations'>): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      hook(() => ({
        didResolveOperation: ({ operation, document, request, schema }) =>
          hook(() => {
            if (!operation || operation.operation !== OperationTypeNode.QUERY) return;
            const fragments: Record<string, FragmentDefinitionNode> = {};
            for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
            const entityType = schema.getType('_Entity');
            let count = 0;
            let cost = 0;
            for (const sel of operation.selectionSet.selections) {
              if (sel.kind !== Kind.FIELD || sel.name.value !== '_entities') continue;
              const arg = sel.arguments?.find((a) => a.name.value === 'representations')?.value;
              const value: unknown = arg?.kind === Kind.VARIABLE ? request.variables?.[arg.name.value] : undefined;
              const n = arg?.kind === Kind.LIST ? arg.values.length : Array.isArray(value) ? value.length : 1;
              count += n;
              const each =
                sel.selectionSet && entityType && isCompositeType(entityType)
                  ? selectionCost(schema, sel.selectionSet, entityType, fragments)
                  : 0;
              cost += n * (1 + each);
            }
            if (count > config.maxEntityRepresentations) {
              throw badInput(
                `_entities asks for ${count} representations, more than the limit of ${config.maxEntityRepresentations} (MAX_ENTITY_REPRESENTATIONS): ` +
                  'send them in smaller batches (Apollo Router: batching / max entities per fetch).',
                { limit: config.maxEntityRepresentations, actual: count, http: { status: 400 } },
              );
            }
            if (cost > config.maxCost) {
              throw badInput(
                `Query cost ${cost} of ${count} entity representations exceeds the limit of ${config.maxCost} (MAX_QUERY_COST): ask for fewer representations or fewer nested lists.`,
                { limit: config.maxCost, actual: cost, http: { status: 400 } },
              );
            }
          }),
      })),
  };
}

/** The object fields below one representation, lists counted LIST_SIZE times (and `first` times with `first`). */
function selectionCost(
  schema: GraphQLSchema,
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): number {
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = fragments[sel.name.value];
      const t = frag && schema.getType(frag.typeCondition.name.value);
      if (!frag || seen.has(frag.name.value) || !t || !isCompositeType(t)) continue;
      cost += selectionCost(schema, frag.selectionSet, t, fragments, new Set([...seen, frag.name.value]));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
      if (t && isCompositeType(t)) cost += selectionCost(schema, sel.selectionSet, t, fragments, seen);
    } else if (sel.selectionSet && (isObjectType(parent) || isInterfaceType(parent))) {
      const field = parent.getFields()[sel.name.value];
      const named = field && getNamedType(field.type);
      if (!named || !isCompositeType(named)) continue;
      const first = sel.arguments?.find((a) => a.name.value === 'first')?.value;
      const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
      // A connection's `first` already counts its edges; its `edges` list is not counted again.
      const edgesOfConnection = sel.name.value === 'edges' && parent.name.endsWith('Connection');
      const times =
        first?.kind === Kind.INT
          ? Number(first.value)
          : !edgesOfConnection && (isListType(inner) || field.args.some((a) => a.name === 'first'))
            ? LIST_SIZE
            : 1;
      cost += times * (1 + selectionCost(schema, sel.selectionSet, named, fragments, seen));
    }
  }
  return cost;
}
