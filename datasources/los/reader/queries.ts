/**
 * The SQL of the LOS read side: every function takes a whole batch of keys and costs one statement, so the
 * loaders (loaders.ts) turn a level of a GraphQL answer into one query, however many rows it holds.
 *
 * Dated look-ups — "the engagements at these units on these days" — send the keys as two parallel arrays and
 * join against `unnest(uuids, dates) WITH ORDINALITY`: one statement serves keys with different `at` dates, and
 * the ordinality `_i` says which key a row answers. A version is valid on day d when
 * `valid_from <= d AND (valid_to IS NULL OR valid_to >= d)` (inclusive ranges, architecture.md "Time").
 */
import type { Queryable } from '../../../store/db';
import type { ClassRow, DatedKey, EngagementRow, ItSystemRow, LosKind, ManagerRow, PersonRow, UnitRow } from './rows';

const VALID_ON = (alias: string, at: string) =>
  `${alias}.valid_from <= ${at} AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= ${at})`;

/** The listing order of units and persons: name without regard to case (nameless last among equals), then uuid. */
export const SORT_KEY = (alias: string) => `lower(coalesce(${alias}.name, ''))`;

type Indexed<R> = R & { _i: number };

/**
 * Rows of `table` whose `column` equals a key's uuid and that are valid on that key's date, grouped per key
 * in key order.
 */
async function datedBatch<R>(
  db: Queryable,
  table: string,
  column: string,
  keys: readonly DatedKey[],
  orderBy: string,
): Promise<R[][]> {
  const { rows } = await db.query<Indexed<R>>(
    `SELECT k.i::int AS _i, t.*
       FROM unnest($1::uuid[], $2::date[]) WITH ORDINALITY AS k(key, at, i)
       JOIN ${table} t ON t.${column} = k.key AND ${VALID_ON('t', 'k.at')}
      ORDER BY k.i, ${orderBy}`,
    [keys.map((k) => k.uuid), keys.map((k) => k.at)],
  );
  const out: R[][] = keys.map(() => []);
  for (const { _i, ...row } of rows) {
    const list = out[_i - 1];
    if (!list) throw new Error(`LOS query answered for key ${_i} of ${keys.length}`); // the SQL numbers the keys 1..n
    list.push(row as unknown as R);
  }
  return out;
}

/** Groups rows by a column, answering in the order of `keys` (DataLoader's contract). */
function groupBy<R, K extends keyof R>(keys: readonly string[], rows: R[], column: K): R[][] {
  const byKey = new Map<string, R[]>();
  for (const row of rows) {
    const k = String(row[column]);
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return keys.map((k) => byKey.get(k) ?? []);
}

function oneEach<R extends { uuid: string }>(keys: readonly string[], rows: R[]): (R | null)[] {
  const byUuid = new Map(rows.map((r) => [r.uuid, r]));
  return keys.map((k) => byUuid.get(k) ?? null);
}

export class LosQueries {
  constructor(private readonly db: Queryable) {}

  /** Every version of each unit, oldest first. A unit's history is short (a few renames and moves). */
  async unitVersions(uuids: readonly string[]): Promise<UnitRow[][]> {
    const { rows } = await this.db.query<UnitRow>(
      'SELECT * FROM los_org_units WHERE uuid = ANY($1::uuid[]) ORDER BY uuid, valid_from',
      [uuids],
    );
    return groupBy(uuids, rows, 'uuid');
  }

  /** The versions valid on `at` of the units whose version on `at` has this parent. */
  childrenAt(keys: readonly DatedKey[]): Promise<UnitRow[][]> {
    return datedBatch(this.db, 'los_org_units', 'parent_uuid', keys, `${SORT_KEY('t')}, t.uuid`);
  }

  engagementsByUnitAt(keys: readonly DatedKey[]): Promise<EngagementRow[][]> {
    return datedBatch(this.db, 'los_engagements', 'org_uuid', keys, 't.user_key, t.uuid');
  }

  /** Primary engagement first. */
  engagementsByPersonAt(keys: readonly DatedKey[]): Promise<EngagementRow[][]> {
    return datedBatch(this.db, 'los_engagements', 'person_uuid', keys, 't.is_primary DESC, t.valid_from, t.uuid');
  }

  managersByUnitAt(keys: readonly DatedKey[]): Promise<ManagerRow[][]> {
    return datedBatch(this.db, 'los_managers', 'org_uuid', keys, 't.valid_from, t.uuid');
  }

  async persons(uuids: readonly string[]): Promise<(PersonRow | null)[]> {
    const { rows } = await this.db.query<PersonRow>('SELECT * FROM los_persons WHERE uuid = ANY($1::uuid[])', [uuids]);
    return oneEach(uuids, rows);
  }

  async personByCpr(cpr: string): Promise<PersonRow | null> {
    const { rows } = await this.db.query<PersonRow>('SELECT * FROM los_persons WHERE cpr = $1', [cpr]);
    return rows[0] ?? null;
  }

  /**
   * The AZ user names (spec "Person files": `AZID`) found on each person's engagements, newest version
   * first, each name once.
   */
  async azIds(personUuids: readonly string[]): Promise<string[][]> {
    const { rows } = await this.db.query<{ person_uuid: string; az_id: string }>(
      `SELECT person_uuid, az_id, max(valid_from) AS latest
         FROM los_engagements
        WHERE person_uuid = ANY($1::uuid[]) AND az_id IS NOT NULL AND az_id <> ''
        GROUP BY person_uuid, az_id
        ORDER BY person_uuid, latest DESC, az_id`,
      [personUuids],
    );
    return groupBy(personUuids, rows, 'person_uuid').map((list) => list.map((r) => r.az_id));
  }

  async classes(uuids: readonly string[]): Promise<(ClassRow | null)[]> {
    const { rows } = await this.db.query<ClassRow>('SELECT * FROM los_classes WHERE uuid = ANY($1::uuid[])', [uuids]);
    return oneEach(uuids, rows);
  }

  /** Every class of each facet, unpublished ones included (the caller filters), by title then uuid. */
  async classesByFacet(facets: readonly string[]): Promise<ClassRow[][]> {
    const { rows } = await this.db.query<ClassRow>(
      'SELECT * FROM los_classes WHERE facet = ANY($1::text[]) ORDER BY facet, title, uuid',
      [facets],
    );
    return groupBy(facets, rows, 'facet');
  }

  async allClasses(): Promise<ClassRow[]> {
    return (await this.db.query<ClassRow>('SELECT * FROM los_classes ORDER BY facet, title, uuid')).rows;
  }

  async facetKeys(): Promise<string[]> {
    return (await this.db.query<{ user_key: string }>('SELECT user_key FROM los_facets ORDER BY user_key')).rows.map(
      (r) => r.user_key,
    );
  }

  async itSystems(uuids: readonly string[]): Promise<(ItSystemRow | null)[]> {
    const { rows } = await this.db.query<ItSystemRow>('SELECT * FROM los_it_systems WHERE uuid = ANY($1::uuid[])', [
      uuids,
    ]);
    return oneEach(uuids, rows);
  }

  async allItSystems(): Promise<ItSystemRow[]> {
    return (await this.db.query<ItSystemRow>('SELECT * FROM los_it_systems ORDER BY name, uuid')).rows;
  }

  /** What each uuid names. UUIDs are unique across LOS object kinds, so at most one kind answers. */
  async kinds(uuids: readonly string[]): Promise<(LosKind | null)[]> {
    const { rows } = await this.db.query<{ uuid: string; kind: LosKind }>(
      `SELECT DISTINCT uuid, 'unit' AS kind FROM los_org_units WHERE uuid = ANY($1::uuid[])
       UNION ALL SELECT uuid, 'person' FROM los_persons WHERE uuid = ANY($1::uuid[])
       UNION ALL SELECT uuid, 'class' FROM los_classes WHERE uuid = ANY($1::uuid[])
       UNION ALL SELECT uuid, 'itSystem' FROM los_it_systems WHERE uuid = ANY($1::uuid[])`,
      [uuids],
    );
    const byUuid = new Map(rows.map((r) => [r.uuid, r.kind]));
    return uuids.map((u) => byUuid.get(u) ?? null);
  }

  /** A page of units valid on `filter.at` (see UnitListFilter): at most `limit` rows, after `after`. */
  async listUnits(filter: UnitListFilter, after: Keyset | null, limit: number): Promise<Sorted<UnitRow>[]> {
    const w = unitWhere(filter);
    if (after) {
      w.params.push(after.sortKey, after.uuid);
      w.clauses.push(`(${SORT_KEY('u')}, u.uuid) > ($${w.params.length - 1}, $${w.params.length}::uuid)`);
    }
    w.params.push(limit);
    const { rows } = await this.db.query<Sorted<UnitRow>>(
      `SELECT u.*, ${SORT_KEY('u')} AS _sort FROM los_org_units u WHERE ${w.clauses.join(' AND ')}
        ORDER BY ${SORT_KEY('u')}, u.uuid LIMIT $${w.params.length}`,
      w.params,
    );
    return rows;
  }

  async countUnits(filter: UnitListFilter): Promise<number> {
    const w = unitWhere(filter);
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM los_org_units u WHERE ${w.clauses.join(' AND ')}`,
      w.params,
    );
    return rows[0]?.n ?? 0; // count(*) answers one row
  }

  async listPersons(filter: PersonListFilter, after: Keyset | null, limit: number): Promise<Sorted<PersonRow>[]> {
    const w = personWhere(filter);
    if (after) {
      w.params.push(after.sortKey, after.uuid);
      w.clauses.push(`(${SORT_KEY('p')}, p.uuid) > ($${w.params.length - 1}, $${w.params.length}::uuid)`);
    }
    w.params.push(limit);
    const { rows } = await this.db.query<Sorted<PersonRow>>(
      `SELECT p.*, ${SORT_KEY('p')} AS _sort FROM los_persons p WHERE ${w.clauses.join(' AND ')}
        ORDER BY ${SORT_KEY('p')}, p.uuid LIMIT $${w.params.length}`,
      w.params,
    );
    return rows;
  }

  async countPersons(filter: PersonListFilter): Promise<number> {
    const w = personWhere(filter);
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM los_persons p WHERE ${w.clauses.join(' AND ')}`,
      w.params,
    );
    return rows[0]?.n ?? 0; // count(*) answers one row
  }
}

/**
 * A listed row with its sort key as the database computed it: the next page's cursor carries that value, so
 * JS never has to reproduce Postgres' lower().
 */
export type Sorted<R> = R & { _sort: string };

/** Where a keyset page starts: after the row with this sort key and uuid. */
export interface Keyset {
  sortKey: string;
  uuid: string;
}

export interface UnitListFilter {
  at: string;
  /** Only the children of this unit (as of `at`). */
  parentUuid?: string;
  /** true: only roots (no parent); false: only units with a parent; undefined: both. */
  roots?: boolean;
  /** Case-insensitive substring of the name valid on `at`. */
  name?: string;
}

export interface PersonListFilter {
  /** Only persons with an engagement at this very unit (not its sub-units) valid on `at`. */
  unitUuid?: string;
  at: string;
  name?: string;
}

interface Where {
  clauses: string[];
  params: unknown[];
}

function unitWhere(f: UnitListFilter): Where {
  const params: unknown[] = [f.at];
  const clauses = [VALID_ON('u', '$1::date')];
  if (f.parentUuid !== undefined) {
    params.push(f.parentUuid);
    clauses.push(`u.parent_uuid = $${params.length}::uuid`);
  }
  if (f.roots === true) clauses.push('u.parent_uuid IS NULL');
  if (f.roots === false) clauses.push('u.parent_uuid IS NOT NULL');
  if (f.name !== undefined) {
    // position() rather than LIKE: the caller's text needs no escaping of % and _.
    params.push(f.name);
    clauses.push(`position(lower($${params.length}::text) in lower(coalesce(u.name, ''))) > 0`);
  }
  return { clauses, params };
}

function personWhere(f: PersonListFilter): Where {
  const params: unknown[] = [];
  const clauses: string[] = ['true'];
  if (f.unitUuid !== undefined) {
    params.push(f.unitUuid, f.at);
    clauses.push(
      `EXISTS (SELECT 1 FROM los_engagements e WHERE e.person_uuid = p.uuid AND e.org_uuid = $${params.length - 1}::uuid AND ${VALID_ON('e', `$${params.length}::date`)})`,
    );
  }
  if (f.name !== undefined) {
    params.push(f.name);
    clauses.push(`position(lower($${params.length}::text) in lower(p.name)) > 0`);
  }
  return { clauses, params };
}
