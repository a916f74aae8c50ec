import {
  getArgumentValues, getNamedType, getVariableValues, isCompositeType, isInterfaceType, isListType, isNonNullType, isObjectType,
  Kind,
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField, type GraphQLOutputType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

/**
 * The query cost model: an estimate of the upstream work an operation asks for, checked once per request
 * before any resolver runs (server/plugins/use-limits.ts).
 *
 * Why our own and not GraphQL Armor's cost limit: Armor's rule is a validation rule, so it never sees the
 * request's variables — `query($n: Int = 500) { persons(first: $n) … }` would cost as if `first` were
 * absent — and it does not know the schema, so it cannot tell a field served from the parent's record from
 * one that needs its own upstream call, nor apply an argument's declared default. Every other limit (depth,
 * aliases, directives) is Armor's.
 *
 * Model: a field that yields an object costs 1; a scalar field costs 0 unless it needs its own upstream or
 * store call (UPSTREAM_FIELD_COSTS); both are multiplied by how many times they run. A field with a `first`
 * argument runs `first` times — the value after variables, their declared defaults and the argument's own
 * default are applied, exactly as execution will see it — and a connection's `edges` are not counted again;
 * any other list is assumed to hold DEFAULT_LIST_SIZE items. Introspection (`__schema`, `__type`) is not
 * costed: it reads no source (its depth and list nesting are capped instead).
 */
export const DEFAULT_LIST_SIZE = 10;

/**
 * Scalar fields that make a call of their own (not read from the record their parent came with). Keyed
 * `Type.field`; a test checks every key names a field of the schema, so a rename cannot silently zero a cost.
 */
export const UPSTREAM_FIELD_COSTS: Readonly<Record<string, number>> = {
  // GET /v1/accounts/{name} (one per account, shared by the five fields through the loader).
  'Account.primaryEmail': 1,
  'Account.active': 1,
  'Account.createdAt': 1,
  'Account.expireDate': 1,
  'Account.contexts': 1,
  // GET /v1/persons/{id}/external-ids for a Cerebrum person.
  'Person.nationalId': 1,
  // A COUNT in the store (LOS, sync jobs, FS decisions) or FS's own total.
  'PersonConnection.totalCount': 1,
  'OrganisationUnitConnection.totalCount': 1,
  'ClassConnection.totalCount': 1,
  'SyncJobConnection.totalCount': 1,
  'FsImportDecisionConnection.totalCount': 1,
};

/**
 * The estimated cost of `operation` with the request's `variables`; null when the variables do not coerce
 * (execution will refuse them with BAD_USER_INPUT before any resolver runs, so there is nothing to cost).
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  rawVariables: Readonly<Record<string, unknown>> = {},
): number | null {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 1 });
  if (coerced.errors) return null;
  const variables = coerced.coerced;

  const timesOf = (fieldDef: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const firstArg = fieldDef.args.find((a) => a.name === 'first');
    if (!firstArg) return isList(fieldDef.type) ? DEFAULT_LIST_SIZE : 1;
    let first: unknown;
    try {
      first = getArgumentValues(fieldDef, node, variables).first;
    } catch {
      first = undefined; // a bad argument fails validation or execution before any resolver runs
    }
    if (first == null) first = firstArg.defaultValue;
    return typeof first === 'number' && first >= 0 ? first : DEFAULT_LIST_SIZE;
  };

  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, inConnection: boolean, seen: ReadonlySet<string>): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        if (!frag || seen.has(frag.name.value)) continue;
        const t = schema.getType(frag.typeCondition.name.value);
        if (t && isCompositeType(t)) cost += walk(frag.selectionSet, t, inConnection, new Set([...seen, frag.name.value]));
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (t && isCompositeType(t)) cost += walk(sel.selectionSet, t, inConnection, seen);
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__')) continue;
      const fieldDef = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!fieldDef) continue;
      const named = getNamedType(fieldDef.type);
      if (!sel.selectionSet || !isCompositeType(named)) {
        cost += UPSTREAM_FIELD_COSTS[`${parent.name}.${name}`] ?? 0;
        continue;
      }
      const connection = fieldDef.args.some((a) => a.name === 'first') && !isList(fieldDef.type);
      const times = inConnection && name === 'edges' ? 1 : timesOf(fieldDef, sel);
      cost += times * (1 + walk(sel.selectionSet, named, connection, seen));
    }
    return cost;
  };
  return walk(operation.selectionSet, root, false, new Set());
}

function isList(t: GraphQLOutputType): boolean {
  return isListType(isNonNullType(t) ? t.ofType : t);
}
