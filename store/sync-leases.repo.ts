/**
 * Per-kind run leases (table sync_leases, migration 008): the store-side guard that two runs of one sync kind
 * never both write. BullMQ's lock alone cannot promise that: a worker that cannot reach Redis, or whose event
 * loop is blocked, loses its lock while its sync goes on, and another worker's stalled check starts the job
 * again. The lease lives in the store the runs write to, and every write of a run checks it in its own
 * transaction, so the check and the write commit together.
 *
 * A table rather than pg_advisory_lock: PGlite serves every caller of a process (and, over a socket, of other
 * processes) on one session, and advisory locks are re-entrant per session, so two runs there would both
 * "hold" it. A row with a token behaves the same on PostgreSQL and PGlite. Times are the database's now(), so
 * the workers' clocks do not matter.
 */
import type { Queryable } from './db';
import { InternalError } from '../core/errors';
import type { SyncJobKind } from './sync-jobs.repo';

/**
 * A write of a run whose lease another run has taken over (or that was released): the write is refused. The job
 * framework ends that run (jobs/framework/sync-run.ts); it never reaches a client.
 */
export class LeaseLostError extends InternalError {
  override readonly name = 'LeaseLostError';
  constructor(readonly kind: SyncJobKind) {
    super(
      'LEASE_LOST',
      `This run of ${kind} no longer holds the ${kind} lease (another run took over after it stopped renewing it); its writes are refused.`,
    );
  }
}

export interface LeaseHolder {
  jobId: string | null;
  holder: string | null;
  /** Milliseconds until the holder's lease expires if it stops renewing (0 when already expired). */
  remainingMs: number;
}

export type AcquireResult = { acquired: true } | { acquired: false; current: LeaseHolder };

export class SyncLeasesRepo {
  constructor(private readonly q: Queryable) {}

  /**
   * Takes the lease of `kind` for `token` when nobody holds it or the holder's lease has expired. FOR UPDATE
   * SKIP LOCKED: a run whose fenced write is committing holds the row (check() locks it), and is treated as
   * holding the lease rather than waited for.
   */
  async acquire(
    kind: SyncJobKind,
    token: string,
    jobId: string,
    holder: string,
    ttlMs: number,
  ): Promise<AcquireResult> {
    const { rows } = await this.q.query<{ token: string }>(
      `UPDATE sync_leases
          SET token = $2, job_id = $3, holder = $4, acquired_at = now(),
              expires_at = now() + make_interval(secs => $5::double precision / 1000)
        WHERE kind = (SELECT kind FROM sync_leases
                       WHERE kind = $1 AND (token IS NULL OR expires_at <= now())
                         FOR UPDATE SKIP LOCKED)
       RETURNING token`,
      [kind, token, jobId, holder, ttlMs],
    );
    if (rows.length > 0) return { acquired: true };
    // A kind without a row yet (a sync newer than migration 008, which inserted the rows of its day's kinds)
    // gets its row now, free, and the lease is tried once more. ON CONFLICT: another run may add it meanwhile.
    if (!(await this.hasRow(kind))) {
      await this.q.query(`INSERT INTO sync_leases (kind) VALUES ($1) ON CONFLICT (kind) DO NOTHING`, [kind]);
      return this.acquire(kind, token, jobId, holder, ttlMs);
    }
    // A released lease expires at '-infinity', and PostgreSQL refuses `'-infinity' - now()` ("cannot subtract
    // infinite timestamps"): subtract the epochs instead (-Infinity, so GREATEST gives 0).
    const current = await this.q.query<{ job_id: string | null; holder: string | null; remaining_ms: number }>(
      `SELECT job_id, holder, GREATEST(0, (EXTRACT(EPOCH FROM expires_at) - EXTRACT(EPOCH FROM now())) * 1000)::float8 AS remaining_ms
         FROM sync_leases WHERE kind = $1`,
      [kind],
    );
    const row = current.rows[0];
    return {
      acquired: false,
      current: { jobId: row?.job_id ?? null, holder: row?.holder ?? null, remainingMs: Number(row?.remaining_ms ?? 0) },
    };
  }

  private async hasRow(kind: SyncJobKind): Promise<boolean> {
    const { rows } = await this.q.query(`SELECT 1 FROM sync_leases WHERE kind = $1`, [kind]);
    return rows.length > 0;
  }

  /** Extends the lease while `token` still holds it (even past its expiry, if nobody took it). False: lost. */
  async renew(kind: SyncJobKind, token: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.q.query(
      `UPDATE sync_leases SET expires_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE kind = $1 AND token = $2`,
      [kind, token, ttlMs],
    );
    return rowCount > 0;
  }

  /** Gives the lease up if `token` still holds it. */
  async release(kind: SyncJobKind, token: string): Promise<void> {
    await this.q.query(
      `UPDATE sync_leases SET token = NULL, job_id = NULL, holder = NULL, acquired_at = NULL, expires_at = '-infinity'
        WHERE kind = $1 AND token = $2`,
      [kind, token],
    );
  }

  /**
   * The fence: run inside the transaction of a write (`q` = its tx). Throws LeaseLostError unless `token`
   * holds the lease, and locks the lease row until the transaction ends, so nobody can take the lease between
   * this check and the commit.
   */
  async check(kind: SyncJobKind, token: string): Promise<void> {
    const { rows } = await this.q.query(`SELECT 1 FROM sync_leases WHERE kind = $1 AND token = $2 FOR SHARE`, [
      kind,
      token,
    ]);
    if (rows.length === 0) throw new LeaseLostError(kind);
  }
}
