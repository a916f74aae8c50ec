/**
 * The incremental Cristin export's state (migration 013; README "Cristin export"): the pending-change set the
 * worker's durable event queue fills, and the snapshot of the last published export that an incremental run
 * patches. Only the export's final transaction writes the snapshot, and it removes the pending rows it covered
 * in the same transaction: a crash anywhere before leaves both as they were, and the next run repeats the work.
 */
import type { Db, Queryable } from './db';

/**
 * The store keeps the exported records as JSON and knows of them only a unit's stedkode (its key); their shape is
 * the Cristin file's (datasources/cristin/document.ts), bound by jobs/cristin-export/snapshot.ts.
 */
export type SnapshotRecord = Readonly<Record<string, unknown>>;
export type SnapshotUnitRecord = SnapshotRecord & { readonly stedkode: string };

export type PendingType = 'persons' | 'ous' | 'accounts' | 'entities';

export interface PendingChanges {
  persons: Set<string>;
  ous: Set<string>;
  accounts: Set<string>;
  /** Rows whose not_before has not come yet (left for a later run). */
  scheduled: number;
}

export interface SnapshotPerson<P = SnapshotRecord> {
  /** null: found by the affiliation search but skipped (no national id, no name, no keyable role). */
  record: P | null;
  /** OU entity ids of the exported roles. */
  ouIds: string[];
}

export interface CristinSnapshot<P = SnapshotRecord, U extends { stedkode: string } = SnapshotUnitRecord> {
  persons: Map<string, SnapshotPerson<P>>;
  units: Map<string, U>;
}

const CHUNK = 1000;

export class CristinSnapshotRepo<P = SnapshotRecord, U extends { stedkode: string } = SnapshotUnitRecord> {
  constructor(private readonly db: Db) {}

  /** Records one changed resource (idempotent: a redelivered event only moves last_seen). */
  async addPending(type: PendingType, ref: string, notBefore?: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO cristin_pending (resource_type, ref, not_before) VALUES ($1, $2, $3)
       ON CONFLICT (resource_type, ref) DO UPDATE SET last_seen = now(),
         not_before = CASE WHEN EXCLUDED.not_before IS NULL THEN cristin_pending.not_before
                           ELSE GREATEST(cristin_pending.not_before, EXCLUDED.not_before) END`,
      [type, ref, notBefore ?? null],
    );
  }

  /** The changes due at `at` (their not_before passed). */
  async pending(at: Date): Promise<PendingChanges> {
    const { rows } = await this.db.query<{ resource_type: PendingType; ref: string; due: boolean }>(
      'SELECT resource_type, ref, (not_before IS NULL OR not_before <= $1) AS due FROM cristin_pending',
      [at],
    );
    const out: PendingChanges = { persons: new Set(), ous: new Set(), accounts: new Set(), scheduled: 0 };
    for (const r of rows) {
      if (!r.due) {
        out.scheduled++;
        continue;
      }
      // `entities` names an entity of any type by id: it may be a person or an OU.
      if (r.resource_type === 'persons' || r.resource_type === 'entities') out.persons.add(r.ref);
      if (r.resource_type === 'ous' || r.resource_type === 'entities') out.ous.add(r.ref);
      if (r.resource_type === 'accounts') out.accounts.add(r.ref);
    }
    return out;
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM cristin_pending');
    return Number(rows[0]?.n ?? 0);
  }

  /** The stored snapshot, or null when no export has stored one yet. */
  async load(): Promise<CristinSnapshot<P, U> | null> {
    const units = new Map<string, U>();
    const { rows: u } = await this.db.query<{ stedkode: string; record: U }>(
      'SELECT stedkode, record FROM cristin_snapshot_units',
    );
    for (const r of u) units.set(r.stedkode, r.record);
    const persons = new Map<string, SnapshotPerson<P>>();
    const { rows: p } = await this.db.query<{ person_id: string; record: P | null; ou_ids: string[] }>(
      'SELECT person_id, record, ou_ids FROM cristin_snapshot_persons',
    );
    for (const r of p) persons.set(r.person_id, { record: r.record, ouIds: r.ou_ids });
    if (persons.size === 0 && units.size === 0) return null;
    return { persons, units };
  }

  /**
   * Stores the new snapshot inside `tx`: upserts the persons read (`changed`), removes those the export no longer
   * has (not in `keep`), replaces the units, and removes the pending rows last seen before `coveredUntil` (the
   * run's start: what arrived during the run may not be in what it read).
   */
  async save(
    tx: Queryable,
    o: {
      changed: Map<string, SnapshotPerson<P>>;
      keep: ReadonlySet<string>;
      units: readonly U[];
      coveredUntil: Date;
    },
  ): Promise<void> {
    const rows = [...o.changed].map(([id, p]) => ({ person_id: id, record: p.record, ou_ids: p.ouIds }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      // Text cast to jsonb: one parameter for a thousand rows.
      await tx.query(
        `INSERT INTO cristin_snapshot_persons (person_id, record, ou_ids, updated_at)
         SELECT x.person_id, x.record, x.ou_ids, now() FROM jsonb_to_recordset($1::text::jsonb) AS x(person_id text, record jsonb, ou_ids jsonb)
         ON CONFLICT (person_id) DO UPDATE SET record = EXCLUDED.record, ou_ids = EXCLUDED.ou_ids, updated_at = EXCLUDED.updated_at`,
        [JSON.stringify(rows.slice(i, i + CHUNK))],
      );
    }
    await tx.query('DELETE FROM cristin_snapshot_persons WHERE NOT (person_id = ANY($1::text[]))', [[...o.keep]]);
    await tx.query('DELETE FROM cristin_snapshot_units');
    await tx.query(
      'INSERT INTO cristin_snapshot_units (stedkode, record) SELECT x.stedkode, x.record FROM jsonb_to_recordset($1::text::jsonb) AS x(stedkode text, record jsonb)',
      [JSON.stringify(o.units.map((u) => ({ stedkode: u.stedkode, record: u })))],
    );
    await tx.query('DELETE FROM cristin_pending WHERE last_seen <= $1 AND (not_before IS NULL OR not_before <= $1)', [
      o.coveredUntil,
    ]);
  }
}

/** The store's clock: pending rows are stamped by it, so a run's cut-off must come from it too. */
export async function storeNow(db: Queryable): Promise<Date> {
  const { rows } = await db.query<{ t: Date }>('SELECT clock_timestamp() AS t');
  const t = rows[0]?.t;
  if (!t) throw new Error('SELECT clock_timestamp() returned no row');
  return new Date(t);
}
