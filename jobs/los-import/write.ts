/**
 * Writes LOS data into the store (tables of migrations/002_los.sql) for the import job. Versioned objects are
 * handled a batch at a time: one SELECT loads the histories of every object the batch touches, the rules of
 * jobs/los-import/history.ts compute the new histories in memory, and one DELETE + one multi-row INSERT
 * write back only the objects whose history changed. So a 30,000-row file costs a few statements per 500 rows,
 * never a statement per row, and an unchanged object is never rewritten.
 */
import type { Queryable } from '../../store/db';
import { type Version, normalise, sameHistory } from './history';

/** JSON with sorted keys: states compare equal whatever order jsonb hands keys back in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
export const sameState = (a: unknown, b: unknown) => canonical(a) === canonical(b);

export interface UnitState {
  userKey: string;
  name: string | null;
  unitType: string | null;
  parentUuid: string | null;
  lineOrg: boolean;
  /** Address class user_key → value; AddressMailUnit → { text, darId }. */
  addresses: Record<string, unknown>;
}

export interface EngagementState {
  personUuid: string;
  userKey: string;
  orgUuid: string;
  engagementType: string;
  jobFunction: string;
  primary: boolean;
  azId: string | null;
}

export interface ManagerState {
  orgUuid: string;
  personUuid: string;
  managerType: string | null;
  managerLevel: string | null;
  responsibility: string | null;
}

interface Column<S> {
  name: string;
  cast?: string;
  get(s: S): unknown;
}

/** A table of versions keyed by (uuid, valid_from); R is a row of its state columns as SELECTed. */
export class VersionedTable<S, R extends object> {
  constructor(
    private readonly table: string,
    private readonly columns: Column<S>[],
    private readonly fromRow: (row: R) => S,
  ) {}

  async load(q: Queryable, uuids: Iterable<string>): Promise<Map<string, Version<S>[]>> {
    const ids = [...new Set(uuids)];
    const out = new Map<string, Version<S>[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const { rows } = await q.query<R & { uuid: string; valid_from: string; valid_to: string | null }>(
      `SELECT uuid::text AS uuid, valid_from::text AS valid_from, valid_to::text AS valid_to, ${this.columns.map((c) => c.name).join(', ')}
         FROM ${this.table} WHERE uuid = ANY($1::uuid[]) ORDER BY uuid, valid_from`,
      [ids],
    );
    for (const r of rows) out.get(r.uuid)!.push({ from: r.valid_from, to: r.valid_to, state: this.fromRow(r) });
    return out;
  }

  /** Replaces the histories of the given objects (all their versions) in two statements. */
  async replace(q: Queryable, histories: Map<string, Version<S>[]>): Promise<void> {
    if (histories.size === 0) return;
    await q.query(`DELETE FROM ${this.table} WHERE uuid = ANY($1::uuid[])`, [[...histories.keys()]]);
    const rows: unknown[][] = [];
    for (const [uuid, versions] of histories)
      for (const v of versions) rows.push([uuid, v.from, v.to, ...this.columns.map((c) => c.get(v.state))]);
    // Chunks keep the statement under Postgres' 65,535-parameter limit.
    const width = 3 + this.columns.length;
    const chunk = Math.floor(60_000 / width);
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      const casts = ['uuid', 'date', 'date', ...this.columns.map((c) => c.cast ?? '')];
      const values = part
        .map((_, r) => `(${casts.map((cast, c) => `$${r * width + c + 1}${cast ? `::${cast}` : ''}`).join(', ')})`)
        .join(', ');
      await q.query(
        `INSERT INTO ${this.table} (uuid, valid_from, valid_to, ${this.columns.map((c) => c.name).join(', ')}) VALUES ${values}`,
        part.flat(),
      );
    }
  }
}

export const unitsTable = new VersionedTable<
  UnitState,
  {
    user_key: string;
    name: string | null;
    unit_type: string | null;
    parent_uuid: string | null;
    line_org: boolean;
    addresses: string | Record<string, unknown> | null;
  }
>(
  'los_org_units',
  [
    { name: 'user_key', get: (s) => s.userKey },
    { name: 'name', get: (s) => s.name },
    { name: 'unit_type', cast: 'uuid', get: (s) => s.unitType },
    { name: 'parent_uuid', cast: 'uuid', get: (s) => s.parentUuid },
    { name: 'line_org', get: (s) => s.lineOrg },
    { name: 'addresses', cast: 'jsonb', get: (s) => JSON.stringify(s.addresses) },
  ],
  (r) => ({
    userKey: r.user_key,
    name: r.name,
    unitType: r.unit_type,
    parentUuid: r.parent_uuid,
    lineOrg: r.line_org,
    addresses:
      typeof r.addresses === 'string' ? (JSON.parse(r.addresses) as Record<string, unknown>) : (r.addresses ?? {}),
  }),
);

export const engagementsTable = new VersionedTable<
  EngagementState,
  {
    person_uuid: string;
    user_key: string;
    org_uuid: string;
    engagement_type: string;
    job_function: string;
    is_primary: boolean;
    az_id: string | null;
  }
>(
  'los_engagements',
  [
    { name: 'person_uuid', cast: 'uuid', get: (s) => s.personUuid },
    { name: 'user_key', get: (s) => s.userKey },
    { name: 'org_uuid', cast: 'uuid', get: (s) => s.orgUuid },
    { name: 'engagement_type', cast: 'uuid', get: (s) => s.engagementType },
    { name: 'job_function', cast: 'uuid', get: (s) => s.jobFunction },
    { name: 'is_primary', get: (s) => s.primary },
    { name: 'az_id', get: (s) => s.azId },
  ],
  (r) => ({
    personUuid: r.person_uuid,
    userKey: r.user_key,
    orgUuid: r.org_uuid,
    engagementType: r.engagement_type,
    jobFunction: r.job_function,
    primary: r.is_primary,
    azId: r.az_id,
  }),
);

export const managersTable = new VersionedTable<
  ManagerState,
  {
    org_uuid: string;
    person_uuid: string;
    manager_type: string | null;
    manager_level: string | null;
    responsibility: string | null;
  }
>(
  'los_managers',
  [
    { name: 'org_uuid', cast: 'uuid', get: (s) => s.orgUuid },
    { name: 'person_uuid', cast: 'uuid', get: (s) => s.personUuid },
    { name: 'manager_type', cast: 'uuid', get: (s) => s.managerType },
    { name: 'manager_level', cast: 'uuid', get: (s) => s.managerLevel },
    { name: 'responsibility', cast: 'uuid', get: (s) => s.responsibility },
  ],
  (r) => ({
    orgUuid: r.org_uuid,
    personUuid: r.person_uuid,
    managerType: r.manager_type,
    managerLevel: r.manager_level,
    responsibility: r.responsibility,
  }),
);

export type Outcome = 'created' | 'updated' | 'unchanged';

/**
 * A batch of changes to one versioned table: rules are applied in row order to the in-memory histories
 * (a later row sees an earlier row's effect), and `flush` writes the objects that changed.
 */
export class HistoryBatch<S> {
  private readonly before = new Map<string, Version<S>[]>();
  private readonly after = new Map<string, Version<S>[]>();

  constructor(private readonly table: Pick<VersionedTable<S, never>, 'load' | 'replace'>) {}

  async load(q: Queryable, uuids: Iterable<string>): Promise<void> {
    const missing = [...new Set(uuids)].filter((u) => !this.after.has(u));
    const loaded = await this.table.load(q, missing);
    for (const [u, h] of loaded) {
      this.before.set(u, h);
      this.after.set(u, h);
    }
  }

  history(uuid: string): Version<S>[] {
    return this.after.get(uuid) ?? [];
  }

  /** Sets the new history of one object; tells whether the object was created, updated or left unchanged. */
  set(uuid: string, next: Version<S>[]): Outcome {
    const prev = this.after.get(uuid) ?? [];
    const norm = normalise(next, sameState);
    this.after.set(uuid, norm);
    if (sameHistory(prev, norm, sameState)) return 'unchanged';
    return prev.length === 0 ? 'created' : 'updated';
  }

  async flush(q: Queryable): Promise<void> {
    const changed = new Map<string, Version<S>[]>();
    for (const [u, h] of this.after) if (!sameHistory(this.before.get(u) ?? [], h, sameState)) changed.set(u, h);
    await this.table.replace(q, changed);
    this.before.clear();
    this.after.clear();
  }
}

/** Persons by CPR: created by Pers files; name and e-mail updated from later rows. */
export interface PersonRecord {
  uuid: string;
  cpr: string;
  name: string;
  email: string | null;
  emailFrom: string | null;
}

export async function loadPersons(q: Queryable, cprs: Iterable<string>): Promise<Map<string, PersonRecord>> {
  const list = [...new Set(cprs)];
  const out = new Map<string, PersonRecord>();
  if (list.length === 0) return out;
  const { rows } = await q.query<{
    uuid: string;
    cpr: string;
    name: string;
    email: string | null;
    email_from: string | null;
  }>(
    `SELECT uuid::text AS uuid, cpr, name, email, email_from::text AS email_from FROM los_persons WHERE cpr = ANY($1::text[])`,
    [list],
  );
  for (const r of rows)
    out.set(r.cpr, { uuid: r.uuid, cpr: r.cpr, name: r.name, email: r.email, emailFrom: r.email_from });
  return out;
}

export async function upsertPersons(q: Queryable, persons: PersonRecord[]): Promise<void> {
  if (persons.length === 0) return;
  const params: unknown[] = [];
  const values = persons.map((p, i) => {
    params.push(p.uuid, p.cpr, p.name, p.email, p.emailFrom);
    return `($${i * 5 + 1}::uuid, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5}::date)`;
  });
  await q.query(
    `INSERT INTO los_persons (uuid, cpr, name, email, email_from) VALUES ${values.join(', ')}
     ON CONFLICT (uuid) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, email_from = EXCLUDED.email_from`,
    params,
  );
}
