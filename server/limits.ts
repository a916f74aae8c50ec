import {
  getNamedType, isListType, isNonNullType, isCompositeType, Kind, valueFromAST,
  type FragmentDefinitionNode, type GraphQLField, type GraphQLOutputType, type GraphQLSchema, type GraphQLCompositeType,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { isObjectType, isInterfaceType } from 'graphql';
import { badInput } from './errors';

/**
 * Static depth and cost limits, checked after parsing and before execution, so an abusive query is
 * rejected before any upstream request. Introspection (`__schema`, `__type`) is exempt: GraphiQL's own
 * introspection query is deep but cheap.
 *
 * Cost model: every field that yields an object costs 1, times the number of times it runs. A field with
 * a `first` argument runs its connection's edges `first` times (default: the argument's default); any other
 * list is assumed to hold DEFAULT_LIST_SIZE items.
 */
export const DEFAULT_LIST_SIZE = 10;

export interface QueryMeasure { depth: number; cost: number }

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> = {},
): QueryMeasure {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return { depth: 0, cost: 0 };

  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, depth: number, inConnection: boolean, seen: Set<string>): QueryMeasure => {
    let maxDepth = depth;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        if (!frag || seen.has(frag.name.value)) continue;
        const t = schema.getType(frag.typeCondition.name.value);
        if (!t || !isCompositeType(t)) continue;
        const m = walk(frag.selectionSet, t, depth, inConnection, new Set([...seen, frag.name.value]));
        maxDepth = Math.max(maxDepth, m.depth);
        cost += m.cost;
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (!t || !isCompositeType(t)) continue;
        const m = walk(sel.selectionSet, t, depth, inConnection, seen);
        maxDepth = Math.max(maxDepth, m.depth);
        cost += m.cost;
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__')) continue;
      const fieldDef = isObjectType(parent) || isInterfaceType(parent) ? (parent.getFields()[name] as GraphQLField<unknown, unknown> | undefined) : undefined;
      if (!fieldDef) continue;
      const d = depth + 1;
      maxDepth = Math.max(maxDepth, d);
      const named = getNamedType(fieldDef.type);
      if (!sel.selectionSet || !isCompositeType(named)) continue;
      let times = 1;
      let connection = false;
      const firstArg = fieldDef.args.find((a) => a.name === 'first');
      if (firstArg) {
        const node = sel.arguments?.find((a) => a.name.value === 'first');
        const v = node ? valueFromAST(node.value, firstArg.type, variables) : firstArg.defaultValue;
        times = typeof v === 'number' && v >= 0 ? v : DEFAULT_LIST_SIZE;
        connection = !isList(fieldDef.type);
      } else if (isList(fieldDef.type) && !(inConnection && name === 'edges')) {
        times = DEFAULT_LIST_SIZE;
      }
      const child = walk(sel.selectionSet, named, d, connection, seen);
      maxDepth = Math.max(maxDepth, child.depth);
      cost += times * (1 + child.cost);
    }
    return { depth: maxDepth, cost };
  };
  return walk(operation.selectionSet, root, 0, false, new Set());
}

function isList(t: GraphQLOutputType): boolean {
  return isListType(isNonNullType(t) ? t.ofType : t);
}

export function assertWithinLimits(m: QueryMeasure, limits: { maxDepth: number; maxCost: number }): void {
  if (m.depth > limits.maxDepth) {
    throw badInput(`Query depth ${m.depth} exceeds the limit of ${limits.maxDepth} (MAX_QUERY_DEPTH).`, { limit: limits.maxDepth, actual: m.depth, http: { status: 400 } });
  }
  if (m.cost > limits.maxCost) {
    throw badInput(`Query cost ${m.cost} exceeds the limit of ${limits.maxCost} (MAX_QUERY_COST): ask for fewer items per page or fewer nested lists.`,
      { limit: limits.maxCost, actual: m.cost, http: { status: 400 } });
  }
}
