import { Field, Int, ObjectType } from 'type-graphql';
import type { ClassType as Ctor } from 'type-graphql';
import { Person } from './person.type';
import { OrganisationUnit } from './organisation-unit.type';
import { ClassType } from './class.type';
import { SyncJob } from './sync-job.type';
import { cursorCodec, isNonNegativeInteger } from '../core/cursor';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount?: number | null;
}

/** Relay-style connection classes for one node type (type-graphql's generic-type pattern). */
function connection<T extends object>(name: string, nodeType: Ctor<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => nodeType) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { nullable: true }) totalCount?: number | null;
  }
  return ConnectionType;
}

export const PersonConnection = connection('Person', Person);
export const OrganisationUnitConnection = connection('OrganisationUnit', OrganisationUnit);
export const ClassConnection = connection('Class', ClassType);
export const SyncJobConnection = connection('SyncJob', SyncJob);

/**
 * Opaque offset cursors (core/cursor.ts) of the in-memory listings (pageOf): the index of the last item seen.
 * One kind for all of them, as before: an offset means the same in each.
 */
const OFFSET_CURSOR = cursorCodec('offset', {
  is: isNonNegativeInteger,
  invalid: () => '"after" is not a cursor of this listing: pass an endCursor or edge cursor it returned',
});

export function offsetCursor(offset: number): string {
  return OFFSET_CURSOR.encode(offset);
}
/** The index to start at after `cursor` (0 without one); InvalidCursorError (BAD_USER_INPUT) for a foreign value. */
export function parseOffsetCursor(cursor: string | null | undefined): number {
  if (cursor == null) return 0;
  return OFFSET_CURSOR.decode(cursor) + 1;
}

/** Slices an in-memory list into a page; `after` is the cursor of the last item already seen. */
export function pageOf<T>(items: T[], first: number, after: string | null | undefined): Connection<T> {
  const start = parseOffsetCursor(after);
  const slice = items.slice(start, start + first);
  return {
    edges: slice.map((node, i) => ({ cursor: offsetCursor(start + i), node })),
    pageInfo: {
      hasNextPage: start + first < items.length,
      endCursor: slice.length ? offsetCursor(start + slice.length - 1) : null,
    },
    totalCount: items.length,
  };
}
