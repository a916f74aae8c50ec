import { parseGlobalId, type ParsedId } from '../core/ids';
import type { Context } from './context';

export interface SourceId {
  /** The global-id prefix: the source's (datasources/index.ts), or `sync`. */
  source: string;
  type: string;
  nativeId: string;
}

/**
 * A global id `<prefix>:[<type>:]<native id>`. The prefixes core/ids.ts knows are parsed there (its error for a
 * malformed id is the contract's); a plug-in source's prefix (one in the request's source list) by the same
 * rule: a lower-case type before the native id, unless the rest is a uuid.
 */
export function parseSourceId(ctx: Pick<Context, 'sources'>, id: string): SourceId {
  let parsed: ParsedId;
  try {
    parsed = parseGlobalId(id);
  } catch (e) {
    const colon = id.indexOf(':');
    if (colon <= 0 || !ctx.sources.module(id.slice(0, colon))) throw e;
    const rest = id.slice(colon + 1);
    const typed = /^([a-z]+):(.+)$/.exec(rest);
    return typed?.[1] && typed[2] && !/^[0-9a-f]{8}-/i.test(rest)
      ? { source: id.slice(0, colon), type: typed[1], nativeId: typed[2] }
      : { source: id.slice(0, colon), type: '', nativeId: rest };
  }
  return parsed;
}
