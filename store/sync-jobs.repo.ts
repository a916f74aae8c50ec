/**
 * Job history: one row per import/export job (table sync_jobs) and its per-record issues (sync_issues). BullMQ
 * runs the jobs; this is the durable record the GraphQL API reads, so history survives a Redis restart.
 *
 * Lifecycle: create (QUEUED) → markRunning (RUNNING, once per attempt) → updateProgress … → finish (SUCCEEDED,
 * FAILED or CANCELLED). Transitions out of a final state are refused (the method returns null/false), so a late
 * progress report or a retried attempt of a cancelled job cannot rewrite what happened.
 */
import type { Queryable } from './db';
import { InternalError, InvalidCursorError } from '../core/errors';
import { cursorCodec, isNonEmptyString } from '../core/cursor';

/**
 * A sync kind's name. The list of kinds is the job framework's (jobs/framework/kinds.ts), not the store's: the
 * table checks only the name's shape (upper snake case, migration 014), so a new sync needs no migration.
 */
export type SyncJobKind = string;
export const SYNC_JOB_STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type SyncJobState = (typeof SYNC_JOB_STATES)[number];
export type FinalSyncJobState = Exclude<SyncJobState, 'QUEUED' | 'RUNNING'>;

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  terminated: number;
  skipped: number;
  failed: number;
}

export interface SyncJobResult extends SyncCounts {
  /** Whatever else the sync wants to keep (file names, the mark it advanced to, a dry run's plan summary). */
  details?: Record<string, unknown>;
}

export interface SyncJob {
  id: string;
  kind: SyncJobKind;
  state: SyncJobState;
  /** 0..1 */
  progress: number;
  message: string | null;
  dryRun: boolean;
  params: Record<string, unknown>;
  /** BullMQ attempts started so far (1 on the first run). */
  attempts: number;
  issueCount: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  result: SyncJobResult | null;
}

export interface NewSyncJob {
  /** The BullMQ job id: a UUID we generate. */
  id: string;
  kind: SyncJobKind;
  dryRun?: boolean;
  params?: Record<string, unknown>;
  /** Default: the database's now(). */
  createdAt?: Date;
  message?: string | null;
}

export type SyncIssueSeverity = 'ERROR' | 'WARNING' | 'INFO';

export interface SyncIssue {
  /** 1, 2, … in the order the job recorded them. */
  seq: number;
  severity: SyncIssueSeverity;
  message: string;
  file: string | null;
  line: number | null;
  field: string | null;
  /** The offending record as text (a CSV line, an XML fragment); never a full national id. */
  record: string | null;
}

export type NewSyncIssue = Pick<SyncIssue, 'severity' | 'message'> &
  Partial<Pick<SyncIssue, 'file' | 'line' | 'field' | 'record'>>;

export interface SyncJobFilter {
  kind?: SyncJobKind | readonly SyncJobKind[];
  state?: SyncJobState | readonly SyncJobState[];
}

export interface SyncJobPage {
  /** Newest first (created_at, then id, descending). */
  rows: SyncJob[];
  hasNextPage: boolean;
  /** Jobs matching the filter, regardless of the page. */
  totalCount: number;
  /** Cursor of the last row, to pass as `after` for the next page; null on an empty page. */
  endCursor: string | null;
}

/** A cursor value was not made by syncJobCursor, or names a job that no longer exists (core/errors). */
export { InvalidCursorError };

/**
 * create() of a second QUEUED/RUNNING job of a kind (at most one per kind); use createUnlessActive to start one.
 * A store conflict, not a client's error: SyncService.start answers it with the running job.
 */
export class ActiveSyncJobExistsError extends InternalError {
  override readonly name = 'ActiveSyncJobExistsError';
  constructor(readonly kind: SyncJobKind) {
    super('SYNC_JOB_ACTIVE', `A ${kind} job is already queued or running; only one of each kind runs at a time.`);
  }
}

/**
 * The opaque pagination cursor of a job (core/cursor.ts). It carries only the id: the keyset position is read back
 * from the row, which keeps the database's microsecond created_at exact (a JS Date has milliseconds only).
 */
const JOB_CURSOR = cursorCodec('sync_job', {
  is: isNonEmptyString,
  invalid: (cursor) => `"${cursor.slice(0, 40)}" is not a sync job cursor.`,
});

export function syncJobCursor(job: Pick<SyncJob, 'id'>): string {
  return JOB_CURSOR.encode(job.id);
}

function cursorJobId(cursor: string): string {
  return JOB_CURSOR.decode(cursor);
}

const JOB_COLUMNS =
  'id, kind, state, progress, message, dry_run, params, attempts, issue_count, created_at, started_at, finished_at, result';
const ACTIVE = `state IN ('QUEUED', 'RUNNING')`;
/** Rows per multi-row INSERT: 8 parameters each stays far below Postgres' 65535-parameter limit. */
const ISSUE_BATCH = 500;

interface SyncJobRow {
  id: string;
  kind: SyncJobKind;
  state: SyncJobState;
  progress: number;
  message: string | null;
  dry_run: boolean;
  params: Record<string, unknown>;
  attempts: number;
  issue_count: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  result: SyncJobResult | null;
}

/** The row an INSERT … RETURNING gave back (it always gives one; a missing one is a broken driver, said so). */
function returned(rows: readonly SyncJobRow[]): SyncJobRow {
  const row = rows[0];
  if (!row) throw new Error('INSERT INTO sync_jobs … RETURNING returned no row');
  return row;
}

/** The cursor after the last job of a page, null for an empty page. */
function lastOf(rows: readonly SyncJob[]): string | null {
  const last = rows.at(-1);
  return last ? syncJobCursor(last) : null;
}

function toJob(r: SyncJobRow): SyncJob {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    progress: r.progress,
    message: r.message,
    dryRun: r.dry_run,
    params: r.params,
    attempts: r.attempts,
    issueCount: r.issue_count,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: r.result,
  };
}

/** JSON goes in as text cast to jsonb: `pg` would turn a JS array into a Postgres array literal otherwise. */
function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function list<T>(v: T | readonly T[] | undefined): readonly T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

export class SyncJobsRepo {
  /** q: the Db, or a transaction's tx to make these writes part of it. */
  constructor(private readonly q: Queryable) {}

  /** Inserts a QUEUED job. Throws ActiveSyncJobExistsError when one of its kind is queued or running. */
  async create(job: NewSyncJob): Promise<SyncJob> {
    try {
      const { rows } = await this.q.query<SyncJobRow>(
        `INSERT INTO sync_jobs (id, kind, state, dry_run, params, message, created_at)
         VALUES ($1, $2, 'QUEUED', $3, COALESCE($4::text::jsonb, '{}'), $5, COALESCE($6::timestamptz, now()))
         RETURNING ${JOB_COLUMNS}`,
        this.insertParams(job),
      );
      return toJob(returned(rows));
    } catch (err) {
      if ((err as { code?: string; constraint?: string }).constraint === 'sync_jobs_one_active_per_kind') {
        throw new ActiveSyncJobExistsError(job.kind);
      }
      throw err;
    }
  }

  /**
   * Inserts a QUEUED job unless one of its kind is already queued or running, in which case that one is
   * returned with created: false. Safe against concurrent starts from several processes (the unique index
   * decides), which a findActive-then-create could not be.
   */
  async createUnlessActive(job: NewSyncJob): Promise<{ job: SyncJob; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const { rows } = await this.q.query<SyncJobRow>(
        `INSERT INTO sync_jobs (id, kind, state, dry_run, params, message, created_at)
         VALUES ($1, $2, 'QUEUED', $3, COALESCE($4::text::jsonb, '{}'), $5, COALESCE($6::timestamptz, now()))
         ON CONFLICT (kind) WHERE ${ACTIVE} DO NOTHING
         RETURNING ${JOB_COLUMNS}`,
        this.insertParams(job),
      );
      const inserted = rows[0];
      if (inserted) return { job: toJob(inserted), created: true };
      const active = await this.findActive(job.kind);
      if (active) return { job: active, created: false };
      // The active job finished between the two statements: try again. (Inside a REPEATABLE READ transaction
      // the conflicting job may be invisible to the SELECT; give up rather than spin.)
      if (attempt >= 3) throw new ActiveSyncJobExistsError(job.kind);
    }
  }

  private insertParams(job: NewSyncJob): unknown[] {
    return [job.id, job.kind, job.dryRun ?? false, json(job.params), job.message ?? null, job.createdAt ?? null];
  }

  /**
   * Marks the start of an attempt: RUNNING, attempts recorded, progress and message reset, and the issues of
   * an earlier, interrupted attempt removed (the retry records them again, so a crashed-and-retried run ends
   * with the same issues as an uninterrupted one). Returns null, changing nothing, if the job is not QUEUED or
   * RUNNING (cancelled meanwhile, already finished): the worker should then not run it.
   *
   * `runToken` (the attempt's lease token, store/sync-leases.repo.ts) fences it: the call is refused unless
   * that token holds its kind's lease, and a job RUNNING under another attempt whose lease is still held is
   * never taken over. Without a token only the second rule applies.
   */
  async markRunning(id: string, attempts: number, runToken?: string): Promise<SyncJob | null> {
    const { rows } = await this.q.query<SyncJobRow>(
      `WITH job AS (
         UPDATE sync_jobs
            SET state = 'RUNNING', attempts = $2, started_at = now(), finished_at = NULL,
                progress = 0, message = NULL, issue_count = 0, run_token = $3::text
          WHERE id = $1 AND ${ACTIVE}
            AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM sync_leases l WHERE l.kind = sync_jobs.kind AND l.token = $3::text))
            AND (state = 'QUEUED' OR run_token IS NULL OR run_token = $3::text
                 OR NOT EXISTS (SELECT 1 FROM sync_leases l WHERE l.token = sync_jobs.run_token))
         RETURNING ${JOB_COLUMNS}
       ), dropped AS (
         DELETE FROM sync_issues WHERE job_id IN (SELECT id FROM job)
       )
       SELECT ${JOB_COLUMNS} FROM job`,
      [id, attempts, runToken ?? null],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /**
   * Records progress (clamped to 0..1) and, when given, a message (null clears it). Returns false when the job
   * is missing or already final (a late report is ignored rather than rewrite a finished job).
   */
  async updateProgress(id: string, progress: number, message?: string | null): Promise<boolean> {
    if (!Number.isFinite(progress))
      throw new RangeError(`updateProgress(): progress must be a number in 0..1, got ${progress}`);
    const { rowCount } = await this.q.query(
      `UPDATE sync_jobs
          SET progress = $2, message = CASE WHEN $4::boolean THEN $3::text ELSE message END
        WHERE id = $1 AND ${ACTIVE}`,
      [id, Math.min(1, Math.max(0, progress)), message ?? null, message !== undefined],
    );
    return rowCount > 0;
  }

  /**
   * Appends issues in the given order (seq continues after the job's last one), in multi-row INSERTs of up to
   * 500 rows. Each batch bumps sync_jobs.issue_count in the same statement, which locks the job row: concurrent
   * callers for one job get distinct seq ranges. Throws if the job does not exist.
   */
  async addIssues(id: string, issues: readonly NewSyncIssue[]): Promise<void> {
    for (let start = 0; start < issues.length; start += ISSUE_BATCH) {
      const batch = issues.slice(start, start + ISSUE_BATCH);
      const params: unknown[] = [id, batch.length];
      const values = batch.map((issue, i) => {
        const p = params.length;
        params.push(
          i + 1,
          issue.severity,
          issue.message,
          issue.file ?? null,
          issue.line ?? null,
          issue.field ?? null,
          issue.record ?? null,
        );
        return `($${p + 1}::int, $${p + 2}::text, $${p + 3}::text, $${p + 4}::text, $${p + 5}::int, $${p + 6}::text, $${p + 7}::text)`;
      });
      const { rowCount } = await this.q.query(
        `WITH bump AS (
           UPDATE sync_jobs SET issue_count = issue_count + $2::int WHERE id = $1 RETURNING issue_count - $2::int AS base
         )
         INSERT INTO sync_issues (job_id, seq, severity, message, file, line, field, record)
         SELECT $1, bump.base + v.ord, v.severity, v.message, v.file, v.line, v.field, v.record
           FROM bump, (VALUES ${values.join(', ')}) AS v (ord, severity, message, file, line, field, record)`,
        params,
      );
      if (rowCount !== batch.length) throw new Error(`addIssues(): no sync job with id ${id}`);
    }
  }

  /**
   * Records the outcome: final state, result, message, finished_at (progress 1 on success). Returns the job, or
   * null, changing nothing, if it was already final (e.g. cancelled while the worker was finishing).
   */
  async finish(
    id: string,
    state: FinalSyncJobState,
    result: SyncJobResult | null,
    message?: string | null,
  ): Promise<SyncJob | null> {
    const { rows } = await this.q.query<SyncJobRow>(
      `UPDATE sync_jobs
          SET state = $2::text, result = $3::text::jsonb, message = $4, finished_at = now(),
              progress = CASE WHEN $2::text = 'SUCCEEDED' THEN 1 ELSE progress END
        WHERE id = $1 AND ${ACTIVE}
       RETURNING ${JOB_COLUMNS}`,
      [id, state, json(result), message ?? null],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async get(id: string): Promise<SyncJob | null> {
    const { rows } = await this.q.query<SyncJobRow>(`SELECT ${JOB_COLUMNS} FROM sync_jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /**
   * A page of jobs, newest first, by keyset on (created_at, id): pages stay stable while new jobs arrive and
   * cost the same however deep. `first` rows after the `after` cursor (from syncJobCursor / endCursor).
   */
  async list(opts: SyncJobFilter & { first: number; after?: string | null }): Promise<SyncJobPage> {
    if (!Number.isInteger(opts.first) || opts.first < 0) {
      throw new RangeError(`list(): first must be a non-negative integer, got ${opts.first}`);
    }
    const params: unknown[] = [];
    const where: string[] = [];
    const kinds = list(opts.kind);
    const states = list(opts.state);
    if (kinds) {
      params.push(kinds);
      where.push(`kind = ANY($${params.length}::text[])`);
    }
    if (states) {
      params.push(states);
      where.push(`state = ANY($${params.length}::text[])`);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const countParams = [...params];

    const afterId = opts.after ? cursorJobId(opts.after) : undefined;
    if (afterId !== undefined) {
      params.push(afterId);
      where.push(`(created_at, id) < (SELECT created_at, id FROM sync_jobs WHERE id = $${params.length})`);
    }
    params.push(opts.first + 1); // one more than asked: tells whether there is a next page
    const pageSql = `SELECT ${JOB_COLUMNS} FROM sync_jobs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
                      ORDER BY created_at DESC, id DESC LIMIT $${params.length}`;

    const [page, count] = await Promise.all([
      this.q.query<SyncJobRow>(pageSql, params),
      this.q.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_jobs ${filter}`, countParams),
    ]);
    if (afterId !== undefined && page.rows.length === 0 && !(await this.get(afterId))) {
      throw new InvalidCursorError(
        'The cursor refers to a sync job that no longer exists; start again from the first page.',
      );
    }
    const rows = page.rows.slice(0, opts.first).map(toJob);
    return {
      rows,
      hasNextPage: page.rows.length > opts.first,
      totalCount: count.rows[0]?.n ?? 0,
      endCursor: lastOf(rows),
    };
  }

  /** The queued or running job of a kind (the running one if, against the rule, there were both), or null. */
  async findActive(kind: SyncJobKind): Promise<SyncJob | null> {
    const { rows } = await this.q.query<SyncJobRow>(
      `SELECT ${JOB_COLUMNS} FROM sync_jobs WHERE kind = $1 AND ${ACTIVE}
        ORDER BY (state = 'RUNNING') DESC, created_at LIMIT 1`,
      [kind],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** A job's issues in seq order; page with afterSeq/first for jobs with very many. */
  async issues(id: string, opts: { afterSeq?: number; first?: number } = {}): Promise<SyncIssue[]> {
    const { rows } = await this.q.query<SyncIssue>(
      `SELECT seq, severity, message, file, line, field, record FROM sync_issues
        WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [id, opts.afterSeq ?? 0, opts.first ?? null],
    );
    return rows;
  }
}
