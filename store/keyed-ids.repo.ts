/**
 * The deployment's keyed ids (core/keyed-ids.ts) and the one code step that brings the stored ids in line
 * with them (table keyed_ids, migration 007_keyed_ids.sql).
 *
 * Every id derived from personal data can be derived again from what the store keeps beside it: a LOS person's
 * uuid from los_persons.cpr, a manager's from its unit and its person's CPR, an FS `nid:` key from
 * fs_import_decisions.national_id. So the step needs neither the former derivation nor a former key: when the
 * recorded key check is missing (ids of the former unkeyed derivation) or names another key (ID_KEY changed), it
 * re-derives them all under the current key in ONE transaction, which also records the new check. A crash half-way
 * rolls back to the old state, and the next start does it again; once done, a start costs one SELECT.
 *
 * What follows a person's uuid: los_engagements and los_managers (ON UPDATE CASCADE), the UNI-Login continuity
 * table, the records and messages of sync issues naming the old id. UNI-Login: a person it already accepted keeps
 * the LocalPersonId it was accepted under (WS10 forbids changing one), through unilogin_local_ids.
 */
import { KeyedIds } from '../core/keyed-ids';
import type { Db, Queryable, Tx } from './db';
import { loadDeploymentIdentity } from './deployment.repo';

export interface RekeyReport {
  /** False when the stored ids were already derived with this key (nothing was touched). */
  rewritten: boolean;
  /** `unkeyed`: the former derivation (or an empty store); `other-key`: ids of another key (ID_KEY changed). */
  from: 'current' | 'unkeyed' | 'other-key';
  persons: number;
  managers: number;
  fsDecisionKeys: number;
  /** Persons UNI-Login had accepted, who keep their LocalPersonId. */
  uniloginKept: number;
  /** Sync issues whose record named a rewritten id. */
  issues: number;
}

const NOTHING: RekeyReport = {
  rewritten: false,
  from: 'current',
  persons: 0,
  managers: 0,
  fsDecisionKeys: 0,
  uniloginKept: 0,
  issues: 0,
};

/** Rows per statement when filling the old → new maps. */
const BATCH = 5000;

export interface KeyedIdsLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The deployment's KeyedIds (ID_KEY when set, else the stored random key), with the stored ids brought in line
 * with it first. Run at every start (API, worker, demo) and at the start of each import that derives ids.
 */
export async function prepareKeyedIds(
  db: Db,
  opts: { idKey?: string; logger?: KeyedIdsLogger } = {},
): Promise<KeyedIds> {
  const identity = await loadDeploymentIdentity(db, { idKey: opts.idKey });
  const ids = new KeyedIds(identity.idKey);
  const report = await rekeyStore(db, ids);
  if (report.rewritten && opts.logger) {
    // What was done, for the log line (`rewritten` is true here: it says nothing).
    const counts: Partial<RekeyReport> = { ...report };
    delete counts.rewritten;
    if (report.from === 'other-key') {
      opts.logger.warn(
        counts,
        'the stored person ids were derived with another key than ID_KEY gives now: all of them were re-derived (every process of a deployment needs the same ID_KEY)',
      );
    } else if (report.persons + report.managers + report.fsDecisionKeys > 0) {
      opts.logger.info(counts, 'stored person ids re-derived as keyed ids (HMAC-SHA-256 under the deployment key)');
    }
  }
  return ids;
}

/**
 * Inside an import's transaction: fails when the stored ids are not (or no longer) those of `ids`, and holds a
 * share lock on the check until the transaction ends, so no re-derivation runs under the import.
 */
export async function assertKeyedIds(tx: Tx, ids: KeyedIds): Promise<void> {
  const { rows } = await tx.query<{ key_check: string }>('SELECT key_check FROM keyed_ids FOR SHARE');
  if (rows[0]?.key_check !== ids.keyCheck()) {
    throw new Error(
      'The stored person ids were re-derived under another key while this run started (two processes with different ID_KEY settings?); run it again.',
    );
  }
}

/** Re-derives every stored id from its personal data under `ids`' key, unless that is already done. */
export async function rekeyStore(db: Db, ids: KeyedIds): Promise<RekeyReport> {
  const check = ids.keyCheck();
  if ((await recordedCheck(db)) === check) return NOTHING;
  return db.transaction(async (tx) => {
    // One process re-derives; the others wait here and then find the work done.
    await tx.query('LOCK TABLE keyed_ids IN EXCLUSIVE MODE');
    const recorded = await recordedCheck(tx);
    if (recorded === check) return NOTHING;
    const report: RekeyReport = { ...NOTHING, rewritten: true, from: recorded === undefined ? 'unkeyed' : 'other-key' };
    await rekeyPersons(tx, ids, report);
    await rekeyManagers(tx, ids, report);
    await rekeyFsDecisions(tx, ids, report);
    await tx.query(
      `INSERT INTO keyed_ids (singleton, key_check) VALUES (true, $1)
       ON CONFLICT (singleton) DO UPDATE SET key_check = EXCLUDED.key_check, derived_at = now()`,
      [check],
    );
    return report;
  });
}

async function recordedCheck(q: Queryable): Promise<string | undefined> {
  const { rows } = await q.query<{ key_check: string }>('SELECT key_check FROM keyed_ids');
  return rows[0]?.key_check;
}

/** Fills a temporary old → new map (dropped at commit) from batches of [old, new] pairs that differ. */
async function fillMap(
  tx: Tx,
  table: string,
  type: 'uuid' | 'text',
  pairs: AsyncIterable<[string, string][]>,
): Promise<number> {
  await tx.query(`CREATE TEMP TABLE ${table} (old ${type} PRIMARY KEY, new ${type} NOT NULL) ON COMMIT DROP`);
  let n = 0;
  for await (const batch of pairs) {
    const changed = batch.filter(([o, nw]) => o !== nw);
    if (changed.length === 0) continue;
    await tx.query(`INSERT INTO ${table} (old, new) SELECT * FROM unnest($1::${type}[], $2::${type}[])`, [
      changed.map((p) => p[0]),
      changed.map((p) => p[1]),
    ]);
    n += changed.length;
  }
  return n;
}

async function* mapped<R>(rows: AsyncIterable<R[]>, f: (r: R) => [string, string]): AsyncIterable<[string, string][]> {
  for await (const batch of rows) yield batch.map(f);
}

async function rekeyPersons(tx: Tx, ids: KeyedIds, report: RekeyReport): Promise<void> {
  report.persons = await fillMap(
    tx,
    'rekey_persons',
    'uuid',
    mapped(
      tx.iterate<{ uuid: string; cpr: string }>('SELECT uuid::text AS uuid, cpr FROM los_persons', [], BATCH),
      (r) => [r.uuid, ids.person(r.cpr)],
    ),
  );
  if (report.persons === 0) return;
  // Continuity first, while the map's old ids still name the rows: whoever UNI-Login holds under the old id keeps it.
  const kept = await tx.query(
    `INSERT INTO unilogin_local_ids (person_uuid, local_person_id)
     SELECT r.old, r.old::text FROM rekey_persons r
      WHERE EXISTS (SELECT 1 FROM unilogin_snapshot s WHERE s.kind = 'person' AND s.key = r.old::text)
        AND NOT EXISTS (SELECT 1 FROM unilogin_local_ids u WHERE u.person_uuid = r.old)
     ON CONFLICT DO NOTHING`,
  );
  report.uniloginKept = kept.rowCount;
  // Engagements, managers and the continuity rows follow by ON UPDATE CASCADE.
  await tx.query('UPDATE los_persons p SET uuid = r.new FROM rekey_persons r WHERE p.uuid = r.old');
  // Issues that named a person by an id that is gone (not one UNI-Login keeps as its LocalPersonId).
  const issues = await tx.query(
    `UPDATE sync_issues s SET record = r.new::text, message = replace(s.message, r.old::text, r.new::text)
       FROM rekey_persons r
      WHERE s.record = r.old::text AND NOT EXISTS (SELECT 1 FROM unilogin_local_ids u WHERE u.local_person_id = s.record)`,
  );
  report.issues += issues.rowCount;
}

async function rekeyManagers(tx: Tx, ids: KeyedIds, report: RekeyReport): Promise<void> {
  report.managers = await fillMap(
    tx,
    'rekey_managers',
    'uuid',
    mapped(
      tx.iterate<{ uuid: string; org_uuid: string; cpr: string }>(
        `SELECT DISTINCT m.uuid::text AS uuid, m.org_uuid::text AS org_uuid, p.cpr
         FROM los_managers m JOIN los_persons p ON p.uuid = m.person_uuid`,
        [],
        BATCH,
      ),
      (r) => [r.uuid, ids.manager(r.org_uuid, r.cpr)],
    ),
  );
  if (report.managers > 0)
    await tx.query('UPDATE los_managers m SET uuid = r.new FROM rekey_managers r WHERE m.uuid = r.old');
}

async function rekeyFsDecisions(tx: Tx, ids: KeyedIds, report: RekeyReport): Promise<void> {
  report.fsDecisionKeys = await fillMap(
    tx,
    'rekey_fs_keys',
    'text',
    mapped(
      tx.iterate<{ person_key: string; national_id: string }>(
        `SELECT DISTINCT person_key, national_id FROM fs_import_decisions WHERE person_key LIKE 'nid:%' AND national_id IS NOT NULL`,
        [],
        BATCH,
      ),
      (r) => [r.person_key, ids.nationalIdKey(r.national_id)],
    ),
  );
  if (report.fsDecisionKeys === 0) return;
  await tx.query(
    `UPDATE fs_import_decisions d SET person_key = r.new, decision = jsonb_set(d.decision, '{key}', to_jsonb(r.new))
       FROM rekey_fs_keys r WHERE d.person_key = r.old`,
  );
  const issues = await tx.query(
    `UPDATE sync_issues s SET record = r.new, message = replace(s.message, r.old, r.new) FROM rekey_fs_keys r WHERE s.record = r.old`,
  );
  report.issues += issues.rowCount;
  // A run's result lists its Cerebrum writes with the key of each person ("… (nid:…)"): several keys per row.
  const { rows: map } = await tx.query<{ old: string; new: string }>('SELECT old, new FROM rekey_fs_keys');
  const byOld = new Map(map.map((r) => [r.old, r.new]));
  const { rows: jobs } = await tx.query<{ id: string; result: string }>(
    `SELECT id, result::text AS result FROM sync_jobs WHERE kind = 'FS_IMPORT' AND result::text LIKE '%nid:%'`,
  );
  for (const j of jobs) {
    const next = j.result.replace(/nid:[0-9a-f]{16,32}/g, (k) => byOld.get(k) ?? k);
    if (next !== j.result) await tx.query('UPDATE sync_jobs SET result = $2::jsonb WHERE id = $1', [j.id, next]);
  }
}
