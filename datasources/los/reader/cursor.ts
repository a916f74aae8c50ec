import type { Connection } from '../../../schema/connections';
import { cursorCodec } from '../../../core/cursor';
import type { Keyset, Sorted } from './queries';

/**
 * Keyset cursors for the LOS listings (units, persons): the (sort key, uuid) of the last row seen, opaque to
 * the caller (core/cursor.ts). A keyset page stays right while the import writes between two page requests: rows
 * are neither skipped nor repeated because an earlier row came or went, as they would be with an offset.
 */
const LOS_CURSOR = cursorCodec('los', {
  is: (v): v is [string, string] =>
    Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && isUuid(v[1]),
  invalid: () => '"after" is not a cursor of this LOS listing: pass an endCursor or edge cursor it returned',
});

export function keysetCursor(row: { _sort: string; uuid: string }): string {
  return LOS_CURSOR.encode([row._sort, row.uuid]);
}

export function parseKeysetCursor(cursor: string | null | undefined): Keyset | null {
  if (cursor == null) return null;
  const [sortKey, uuid] = LOS_CURSOR.decode(cursor);
  return { sortKey, uuid };
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A page from `first + 1` fetched rows: the extra row only says that there is a next page. */
export function keysetPage<R extends { uuid: string }, T>(
  rows: Sorted<R>[],
  first: number,
  map: (row: R) => T,
  totalCount: number | null,
): Connection<T> {
  const slice = rows.slice(0, first);
  const last = slice.at(-1);
  return {
    edges: slice.map((r) => ({ cursor: keysetCursor(r), node: map(r) })),
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? keysetCursor(last) : null,
    },
    totalCount,
  };
}
