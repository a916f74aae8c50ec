/**
 * The FS import's decisions (migration 005_fs_import.sql): the last run's decision per person — one set for the
 * last applied run and one for the last dry run — and a row per run.
 *
 * A run replaces its set as a whole, inside the caller's transaction, so readers see either the previous run's
 * decisions or this run's, never a mix.
 *
 * The store knows a decision only as far as its columns go (FsDecisionColumns: what is filtered, matched and
 * carried over); the whole decision is kept as JSON and typed by the caller (`D`). Its meaning is the FS import's
 * rules' (jobs/fs-import/rules/model.ts; jobs/fs-import/decisions.ts binds `D` to it).
 */
import type { Queryable, Tx } from './db';
import { cursorCodec, isNonEmptyString } from '../core/cursor';

/** The fields of a decision the table has columns for. */
export interface FsDecisionColumns {
  /** `fs:<personlopenummer>`, else `nid:<hash of the national id>`. */
  key: string;
  personNumber: string | null;
  /** Its own column only (matching); the JSON copy leaves it out. */
  nationalId: string | null;
  imported: boolean;
  student: boolean;
  studentRule: string | null;
  block: { action: string; since: string | null };
  deletion: { date: string; due: boolean } | null;
  account: { name: string | null };
}

/** An action the rules decided that Cerebrum REST cannot carry out, as stored with the decision. */
export interface PlannedActionRow {
  action: string;
  detail: string;
  dueToday: boolean;
}

/** A decision as stored: the rules' decision, what was written to Cerebrum and what is left as a plan. */
export type StoredFsDecision<D extends FsDecisionColumns = FsDecisionColumns> = D & {
  jobId: string;
  dryRun: boolean;
  /** "METHOD /v1/path" written to Cerebrum for this person (in a dry run: that would be written). */
  cerebrumWrites: string[];
  /** Writes that failed (the job's issues say why). */
  cerebrumFailures: string[];
  plan: PlannedActionRow[];
};

export interface FsRunRecord {
  jobId: string;
  dryRun: boolean;
  decidedOn: string;
  persons: number;
  students: number;
  summary: Record<string, unknown>;
}

/** What a later run needs of the last applied run's decision about a person. */
export interface PreviousDecision {
  key: string;
  personNumber: string | null;
  nationalId: string | null;
  name: string | null;
  accountName: string | null;
  studentAccount: boolean;
  student: boolean;
  blockedSince: string | null;
}

export interface FsDecisionFilter {
  dryRun?: boolean;
  student?: boolean | null;
  imported?: boolean | null;
  blockAction?: string | null;
  deletionDue?: boolean | null;
  studentRule?: string | null;
  personNumber?: string | null;
}

export interface FsDecisionPage<D extends FsDecisionColumns = FsDecisionColumns> {
  rows: StoredFsDecision<D>[];
  hasNextPage: boolean;
  totalCount: number;
  endCursor: string | null;
}

/** The opaque cursor of a decision (core/cursor.ts): its person key, the list's sort key. */
const DECISION_CURSOR = cursorCodec('fs_decision', {
  is: isNonEmptyString,
  invalid: (cursor) => `"${cursor.slice(0, 40)}" is not an FS decision cursor.`,
});

export function fsDecisionCursor(key: string): string {
  return DECISION_CURSOR.encode(key);
}

function cursorKey(cursor: string): string {
  return DECISION_CURSOR.decode(cursor);
}

const BATCH = 1000;

type DecisionRow<D extends FsDecisionColumns> = { decision: StoredFsDecision<D>; national_id: string | null };

function rowOf<D extends FsDecisionColumns>(r: {
  decision: StoredFsDecision<D>;
  national_id: string | null;
}): StoredFsDecision<D> {
  return { ...r.decision, nationalId: r.national_id };
}

export class FsDecisionsRepo<D extends FsDecisionColumns = FsDecisionColumns> {
  constructor(private readonly db: Queryable) {}

  /** Replaces the set of `run.dryRun` with `decisions` and records the run. Call inside a transaction. */
  async replace(tx: Tx, run: FsRunRecord, decisions: StoredFsDecision<D>[]): Promise<void> {
    await tx.query('DELETE FROM fs_import_decisions WHERE dry_run = $1', [run.dryRun]);
    for (let i = 0; i < decisions.length; i += BATCH) {
      const rows = decisions.slice(i, i + BATCH).map((d) => {
        // The national id lives in its own column only (matching); the JSON copy leaves it out.
        const { nationalId, ...rest } = d;
        return {
          person_key: d.key,
          personlopenummer: d.personNumber,
          national_id: nationalId,
          imported: d.imported,
          student: d.student,
          student_rule: d.studentRule,
          block_action: d.block.action,
          blocked_since: d.block.since,
          deletion_date: d.deletion?.date ?? null,
          deletion_due: d.deletion?.due ?? false,
          account_name: d.account.name,
          decision: { ...rest, nationalId: null },
        };
      });
      await tx.query(
        `INSERT INTO fs_import_decisions (dry_run, person_key, job_id, decided_on, personlopenummer, national_id, imported, student,
           student_rule, block_action, blocked_since, deletion_date, deletion_due, account_name, decision)
         SELECT $1, x.person_key, $2, $3, x.personlopenummer, x.national_id, x.imported, x.student, x.student_rule, x.block_action,
           x.blocked_since, x.deletion_date, x.deletion_due, x.account_name, x.decision
         FROM jsonb_to_recordset($4::jsonb) AS x(person_key text, personlopenummer text, national_id text, imported boolean,
           student boolean, student_rule text, block_action text, blocked_since date, deletion_date date, deletion_due boolean,
           account_name text, decision jsonb)`,
        [run.dryRun, run.jobId, run.decidedOn, JSON.stringify(rows)],
      );
    }
    await tx.query(
      `INSERT INTO fs_import_runs (job_id, dry_run, decided_on, persons, students, summary) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (job_id) DO UPDATE SET dry_run = EXCLUDED.dry_run, decided_on = EXCLUDED.decided_on, persons = EXCLUDED.persons,
         students = EXCLUDED.students, summary = EXCLUDED.summary, created_at = now()`,
      [run.jobId, run.dryRun, run.decidedOn, run.persons, run.students, JSON.stringify(run.summary)],
    );
  }

  /** The last run (applied, or dry), or null before the first. */
  async lastRun(dryRun: boolean): Promise<FsRunRecord | null> {
    const { rows } = await this.db.query<{
      job_id: string;
      dry_run: boolean;
      decided_on: string;
      persons: number;
      students: number;
      summary: Record<string, unknown>;
    }>(
      `SELECT job_id, dry_run, decided_on, persons, students, summary FROM fs_import_runs WHERE dry_run = $1 ORDER BY created_at DESC, job_id DESC LIMIT 1`,
      [dryRun],
    );
    const r = rows[0];
    return r
      ? {
          jobId: r.job_id,
          dryRun: r.dry_run,
          decidedOn: r.decided_on,
          persons: r.persons,
          students: r.students,
          summary: r.summary,
        }
      : null;
  }

  /** The last applied run's decisions, by key: what the next run carries over (accounts, blocked-since). */
  async previous(): Promise<Map<string, PreviousDecision>> {
    const out = new Map<string, PreviousDecision>();
    const { rows } = await this.db.query<{
      person_key: string;
      personlopenummer: string | null;
      national_id: string | null;
      account_name: string | null;
      student: boolean;
      blocked_since: string | null;
      name: string | null;
      student_account: boolean | null;
    }>(
      `SELECT person_key, personlopenummer, national_id, account_name, student, blocked_since,
              decision->>'name' AS name, (decision->'account'->>'studentAccount')::boolean AS student_account
       FROM fs_import_decisions WHERE dry_run = false`,
    );
    for (const r of rows) {
      out.set(r.person_key, {
        key: r.person_key,
        personNumber: r.personlopenummer,
        nationalId: r.national_id,
        name: r.name,
        accountName: r.account_name,
        studentAccount: r.student_account === true,
        student: r.student,
        blockedSince: r.blocked_since,
      });
    }
    return out;
  }

  /** One page of decisions, by person key. */
  async list(filter: FsDecisionFilter, first: number, after?: string | null): Promise<FsDecisionPage<D>> {
    const where = ['dry_run = $1'];
    const params: unknown[] = [filter.dryRun ?? false];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.student != null) add('student = ?', filter.student);
    if (filter.imported != null) add('imported = ?', filter.imported);
    if (filter.blockAction != null) add('block_action = ?', filter.blockAction);
    if (filter.deletionDue != null) add('deletion_due = ?', filter.deletionDue);
    if (filter.studentRule != null) add('student_rule = ?', filter.studentRule);
    if (filter.personNumber != null) add('personlopenummer = ?', filter.personNumber);
    const total = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM fs_import_decisions WHERE ${where.join(' AND ')}`,
      params,
    );
    if (after != null) add('person_key > ?', cursorKey(after));
    params.push(first + 1);
    const { rows } = await this.db.query<DecisionRow<D>>(
      `SELECT decision, national_id FROM fs_import_decisions WHERE ${where.join(' AND ')} ORDER BY person_key LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, first).map((r) => rowOf(r));
    const last = page.at(-1);
    return {
      rows: page,
      hasNextPage: rows.length > first,
      totalCount: total.rows[0]?.n ?? 0,
      endCursor: last ? fsDecisionCursor(last.key) : null,
    };
  }

  /** Decisions matching any of the person numbers or national ids (Person.fsImportDecision's batch). */
  async byPersons(personNumbers: string[], nationalIds: string[], dryRun: boolean): Promise<StoredFsDecision<D>[]> {
    if (personNumbers.length === 0 && nationalIds.length === 0) return [];
    const { rows } = await this.db.query<DecisionRow<D>>(
      `SELECT decision, national_id FROM fs_import_decisions
       WHERE dry_run = $1 AND (personlopenummer = ANY($2::text[]) OR national_id = ANY($3::text[]))`,
      [dryRun, personNumbers, nationalIds],
    );
    return rows.map((r) => rowOf(r));
  }
}
