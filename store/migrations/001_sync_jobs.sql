-- Job history of the imports and exports. BullMQ (Redis) runs the jobs; this table is the durable record, so
-- the history survives a Redis restart. The id is the BullMQ job id, a UUID we generate when the job starts.

CREATE TABLE sync_jobs (
  id          text PRIMARY KEY,
  kind        text NOT NULL
              CONSTRAINT sync_jobs_kind_check
              CHECK (kind IN ('LOS_IMPORT', 'FS_IMPORT', 'UNILOGIN_EXPORT', 'CRISTIN_EXPORT')),
  state       text NOT NULL DEFAULT 'QUEUED'
              CONSTRAINT sync_jobs_state_check
              CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
  progress    double precision NOT NULL DEFAULT 0
              CONSTRAINT sync_jobs_progress_check CHECK (progress >= 0 AND progress <= 1),
  message     text,
  dry_run     boolean NOT NULL DEFAULT false,
  params      jsonb NOT NULL DEFAULT '{}',
  attempts    integer NOT NULL DEFAULT 0,
  -- Issues recorded so far; also the source of sync_issues.seq (bumped in the same statement as the insert,
  -- so concurrent writers of one job's issues never pick the same seq).
  issue_count integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  started_at  timestamptz,
  finished_at timestamptz,
  -- Counts {created, updated, unchanged, terminated, skipped, failed} and free-form details.
  result      jsonb
);

-- Listing newest first, optionally filtered; (created_at, id) is the keyset of the pagination.
CREATE INDEX sync_jobs_created_idx ON sync_jobs (created_at DESC, id DESC);
CREATE INDEX sync_jobs_kind_created_idx ON sync_jobs (kind, created_at DESC, id DESC);
CREATE INDEX sync_jobs_state_created_idx ON sync_jobs (state, created_at DESC, id DESC);

-- At most one QUEUED or RUNNING job per kind (runtime contract: a second start while one runs returns the
-- running job). Enforced here rather than by a check-then-insert, which two API processes could both pass.
CREATE UNIQUE INDEX sync_jobs_one_active_per_kind ON sync_jobs (kind) WHERE state IN ('QUEUED', 'RUNNING');

-- Per-record problems a job met (a bad CSV row, an unknown address, a SOAP fault), in the order met.
CREATE TABLE sync_issues (
  job_id   text NOT NULL REFERENCES sync_jobs (id) ON DELETE CASCADE,
  seq      integer NOT NULL,
  severity text NOT NULL,
  message  text NOT NULL,
  file     text,
  line     integer,
  field    text,
  record   text,
  PRIMARY KEY (job_id, seq)
);

-- Small durable marks, e.g. when the last successful LOS import started (the next one reads changes since).
CREATE TABLE sync_state (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
