/**
 * What UNI-Login last accepted from the export, per (institution, import source): tables unilogin_exports and
 * unilogin_snapshot (store/migrations/004_unilogin.sql). The export reads the snapshot to send only differences
 * and advances it, in one transaction, only after the service answered statuskode 0.
 */
import type { Queryable } from './db';

export type UniLoginMode = 'FULL' | 'INCREMENTAL' | 'DELETE';
export type SnapshotKind = 'person' | 'group';

export interface UniLoginExportState {
  lastSentAt: string | null;
  lastAcceptedAt: string | null;
  lastAcceptedMode: UniLoginMode | null;
  lastAcceptedJob: string | null;
  lastFullAt: string | null;
}

/** What one accepted upload changes in the snapshot. */
export interface AcceptedUpload {
  mode: UniLoginMode;
  exportDateTime: string;
  jobId: string;
  /** Records sent (FULL: all of them, replacing the snapshot; INCREMENTAL: the new and changed ones). */
  persons?: ReadonlyArray<readonly [key: string, fingerprint: string]>;
  groups?: ReadonlyArray<readonly [key: string, fingerprint: string]>;
  /** DELETE: the LocalPersonIds sent for deletion. */
  deleted?: readonly string[];
}

/** Rows per statement: two text arrays per batch keep far below any parameter or packet limit. */
const BATCH = 5000;

export class UniLoginExportRepo {
  constructor(private readonly db: Queryable) {}

  async state(institution: string, source: string, q: Queryable = this.db): Promise<UniLoginExportState | undefined> {
    const { rows } = await q.query<{
      last_sent_at: string | null;
      last_accepted_at: string | null;
      last_accepted_mode: UniLoginMode | null;
      last_accepted_job: string | null;
      last_full_at: string | null;
    }>(
      `SELECT last_sent_at, last_accepted_at, last_accepted_mode, last_accepted_job, last_full_at
         FROM unilogin_exports WHERE institution = $1 AND source = $2`,
      [institution, source],
    );
    const r = rows[0];
    return (
      r && {
        lastSentAt: r.last_sent_at,
        lastAcceptedAt: r.last_accepted_at,
        lastAcceptedMode: r.last_accepted_mode,
        lastAcceptedJob: r.last_accepted_job,
        lastFullAt: r.last_full_at,
      }
    );
  }

  /**
   * Records that a document dated exportDateTime is about to be sent. Written before the upload, so that even a
   * document whose answer is lost (the service may have loaded it) is never followed by one dated the same.
   */
  async markSent(institution: string, source: string, exportDateTime: string, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO unilogin_exports (institution, source, last_sent_at) VALUES ($1, $2, $3)
       ON CONFLICT (institution, source) DO UPDATE
         SET last_sent_at = GREATEST(unilogin_exports.last_sent_at, EXCLUDED.last_sent_at), updated_at = now()`,
      [institution, source, exportDateTime],
    );
  }

  /** key → fingerprint of every record of `kind` UNI-Login accepted from us. */
  async snapshot(
    institution: string,
    source: string,
    kind: SnapshotKind,
    q: Queryable = this.db,
  ): Promise<Map<string, string>> {
    const { rows } = await q.query<{ key: string; fingerprint: string }>(
      'SELECT key, fingerprint FROM unilogin_snapshot WHERE institution = $1 AND source = $2 AND kind = $3',
      [institution, source, kind],
    );
    return new Map(rows.map((r) => [r.key, r.fingerprint]));
  }

  /** How many records of `kind` UNI-Login accepted from us. */
  async count(institution: string, source: string, kind: SnapshotKind, q: Queryable = this.db): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM unilogin_snapshot WHERE institution = $1 AND source = $2 AND kind = $3',
      [institution, source, kind],
    );
    return rows[0]?.n ?? 0;
  }

  /** Advances the snapshot and the export state after statuskode 0. Pass the transaction as `q`. */
  async accept(institution: string, source: string, upload: AcceptedUpload, q: Queryable = this.db): Promise<void> {
    if (upload.mode === 'FULL') {
      // A full upload is the whole truth: UNI-Login drops what it does not carry.
      await q.query('DELETE FROM unilogin_snapshot WHERE institution = $1 AND source = $2', [institution, source]);
    }
    await this.upsert(q, institution, source, 'person', upload.persons ?? []);
    await this.upsert(q, institution, source, 'group', upload.groups ?? []);
    const deleted = upload.deleted ?? [];
    for (let i = 0; i < deleted.length; i += BATCH) {
      await q.query(
        `DELETE FROM unilogin_snapshot WHERE institution = $1 AND source = $2 AND kind = 'person' AND key = ANY($3::text[])`,
        [institution, source, deleted.slice(i, i + BATCH)],
      );
    }
    await q.query(
      `INSERT INTO unilogin_exports (institution, source, last_sent_at, last_accepted_at, last_accepted_mode, last_accepted_job, last_full_at)
       VALUES ($1, $2, $3::text, $3::text, $4::text, $5, CASE WHEN $4::text = 'FULL' THEN $3::text END)
       ON CONFLICT (institution, source) DO UPDATE SET
         last_sent_at = GREATEST(unilogin_exports.last_sent_at, EXCLUDED.last_sent_at),
         last_accepted_at = EXCLUDED.last_accepted_at,
         last_accepted_mode = EXCLUDED.last_accepted_mode,
         last_accepted_job = EXCLUDED.last_accepted_job,
         last_full_at = COALESCE(EXCLUDED.last_full_at, unilogin_exports.last_full_at),
         updated_at = now()`,
      [institution, source, upload.exportDateTime, upload.mode, upload.jobId],
    );
  }

  private async upsert(
    q: Queryable,
    institution: string,
    source: string,
    kind: SnapshotKind,
    rows: ReadonlyArray<readonly [string, string]>,
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      const part = rows.slice(i, i + BATCH);
      await q.query(
        `INSERT INTO unilogin_snapshot (institution, source, kind, key, fingerprint)
         SELECT $1, $2, $3, k, f FROM unnest($4::text[], $5::text[]) AS t(k, f)
         ON CONFLICT (institution, source, kind, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint`,
        [institution, source, kind, part.map((r) => r[0]), part.map((r) => r[1])],
      );
    }
  }
}
