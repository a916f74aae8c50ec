import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/**
 * The field names selected below the current field, following `path` (e.g. ['edges', 'node']) and
 * looking through fragment spreads and inline fragments. Used to look ahead: a resolver that knows which
 * sub-resources will be asked for can start those loads in the same round as the parent's own load.
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Set<string> {
  let sets: SelectionSetNode[] = info.fieldNodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
  for (const step of path) {
    sets = collect(sets, info.fragments)
      .filter((f) => f.name.value === step)
      .map((f) => f.selectionSet)
      .filter((s): s is SelectionSetNode => !!s);
  }
  return new Set(collect(sets, info.fragments).map((f) => f.name.value));
}

function collect(
  sets: SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const set of sets) {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...collect([sel.selectionSet], fragments, seen));
      else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
        const fragment = fragments[sel.name.value];
        if (!fragment) continue;
        seen.add(sel.name.value);
        out.push(...collect([fragment.selectionSet], fragments, seen));
      }
    }
  }
  return out;
}
