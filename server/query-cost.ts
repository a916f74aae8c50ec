import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
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

  const timesOf = (info: FieldInfo, node: FieldNode): number => {
    if (!info.first) return info.list ? DEFAULT_LIST_SIZE : 1;
    let first: unknown;
    try {
      first = getArgumentValues(info.field, node, variables).first;
    } catch {
      first = undefined; // a bad argument fails validation or execution before any resolver runs
    }
    if (first == null) first = info.first.defaultValue;
    return typeof first === 'number' && first >= 0 ? first : DEFAULT_LIST_SIZE;
  };

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    inConnection: boolean,
    seen: ReadonlySet<string>,
  ): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        if (!frag || seen.has(frag.name.value)) continue;
        const t = schema.getType(frag.typeCondition.name.value);
        if (t && isCompositeType(t))
          cost += walk(frag.selectionSet, t, inConnection, new Set([...seen, frag.name.value]));
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
      const info = fieldInfo(parent, fieldDef);
      if (!sel.selectionSet || !info.composite) {
        cost += info.scalarCost;
        continue;
      }
      const times = inConnection && name === 'edges' ? 1 : timesOf(info, sel);
      cost += times * (1 + walk(sel.selectionSet, info.composite, info.connection, seen));
    }
    return cost;
  };
  return walk(operation.selectionSet, root, false, new Set());
}

/** What the walk needs to know of a field, worked out once per schema field (the walk runs on every request). */
interface FieldInfo {
  field: GraphQLField<unknown, unknown>;
  /** The named type when it is an object, interface or union. */
  composite?: GraphQLCompositeType;
  list: boolean;
  first?: GraphQLArgument;
  /** A field with `first` that is not itself a list: a connection, whose `edges` run `first` times. */
  connection: boolean;
  scalarCost: number;
}
const fieldInfos = new WeakMap<GraphQLField<unknown, unknown>, FieldInfo>();

function fieldInfo(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): FieldInfo {
  let info = fieldInfos.get(field);
  if (!info) {
    const named = getNamedType(field.type);
    const list = isList(field.type);
    const first = field.args.find((a) => a.name === 'first');
    info = {
      field,
      composite: isCompositeType(named) ? named : undefined,
      list,
      first,
      connection: first !== undefined && !list,
      scalarCost: UPSTREAM_FIELD_COSTS[`${parent.name}.${field.name}`] ?? 0,
    };
    fieldInfos.set(field, info);
  }
  return info;
}

function isList(t: GraphQLOutputType): boolean {
  return isListType(isNonNullType(t) ? t.ofType : t);
}
