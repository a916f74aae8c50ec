import type { Connection } from '../../../schema/connections';
import { badInput } from '../../../core/errors';
import type { Keyset, Sorted } from './queries';

/**
 * Keyset cursors for the LOS listings (units, persons): the (sort key, uuid) of the last row seen, opaque to
 * the caller. A keyset page stays right while the import writes between two page requests: rows are neither
 * skipped nor repeated because an earlier row came or went, as they would be with an offset.
 */
export function keysetCursor(row: { _sort: string; uuid: string }): string {
  return Buffer.from(JSON.stringify(['los', row._sort, row.uuid])).toString('base64url');
}

export function parseKeysetCursor(cursor: string | null | undefined): Keyset | null {
  if (cursor == null) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (
    !Array.isArray(v) ||
    v.length !== 3 ||
    v[0] !== 'los' ||
    typeof v[1] !== 'string' ||
    typeof v[2] !== 'string' ||
    !isUuid(v[2])
  ) {
    throw badInput(`"after" is not a cursor of this LOS listing: pass an endCursor or edge cursor it returned`);
  }
  return { sortKey: v[1], uuid: v[2] };
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
