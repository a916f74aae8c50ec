/**
 * Builds selection sets for a whole schema from its introspection, so a test can ask for "everything a type
 * has" to a given depth without listing fields by hand: a field added later is walked too.
 */
import {
  getIntrospectionQuery,
  type IntrospectionField,
  type IntrospectionQuery,
  type IntrospectionType,
  type IntrospectionTypeRef,
} from 'graphql';

export type Types = Map<string, IntrospectionType>;

export const INTROSPECTION = getIntrospectionQuery();

export function typesOf(result: IntrospectionQuery): Types {
  return new Map(result.__schema.types.map((t) => [t.name, t]));
}

export function namedType(ref: IntrospectionTypeRef): string {
  let t: IntrospectionTypeRef = ref;
  while (t.kind === 'NON_NULL' || t.kind === 'LIST') t = (t as { ofType: IntrospectionTypeRef }).ofType;
  return (t as { name: string }).name;
}

const isWrapper = (name: string) => name.endsWith('Connection') || name.endsWith('Edge');

/**
 * Every field of `typeName` down to `depth` object levels (connection and edge wrappers do not count), with
 * inline fragments for each type an interface can be. A type appears at most `repeat` times on one path, so
 * cycles (Person → accounts → owner → Person …) stay bounded. Fields with required arguments are left out;
 * optional arguments keep their defaults. Fields under an interface's inline fragments are aliased `<Type>_<field>`.
 */
export function selectAll(
  types: Types,
  typeName: string,
  depth: number,
  path: string[] = [],
  repeat = 2,
  alias = '',
): string {
  const type = types.get(typeName);
  if (!type || (type.kind !== 'OBJECT' && type.kind !== 'INTERFACE')) return '';
  const parts: string[] = ['__typename'];
  const fields = (type as { fields: readonly IntrospectionField[] }).fields;
  for (const f of fields) {
    if (f.args.some((a) => a.type.kind === 'NON_NULL' && a.defaultValue == null)) continue;
    const inner = namedType(f.type);
    const innerType = types.get(inner)!;
    if (innerType.kind === 'SCALAR' || innerType.kind === 'ENUM') {
      parts.push(`${alias}${f.name}: ${f.name}`);
      continue;
    }
    const nextDepth = isWrapper(inner) ? depth : depth - 1;
    if (nextDepth < 0 || path.filter((p) => p === inner).length >= repeat) continue;
    const sub = selectAll(types, inner, nextDepth, [...path, typeName], repeat);
    if (sub) parts.push(`${alias}${f.name}: ${f.name} ${sub}`);
  }
  if (type.kind === 'INTERFACE') {
    for (const p of (type as { possibleTypes: readonly { name: string }[] }).possibleTypes) {
      // Aliased by type: fields of the same name but different types would conflict (String vs String!).
      const sub = selectAll(types, p.name, depth, path, repeat, `${p.name}_`);
      if (sub) parts.push(`... on ${p.name} ${sub}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

/** Every string anywhere in a JSON value (object keys included). */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}
