-- Per-kind run leases (issue 10 item 2): the store-side fence that keeps two runs of one sync kind from both
-- writing, whatever BullMQ's lock says (Redis unreachable, an event loop blocked past the lock). A worker takes
-- the lease of its kind before it runs a job, renews it while the job runs, and every write of the run checks,
-- inside its transaction, that the lease still carries the run's token. A lease expires only when its holder
-- stopped renewing it (dead process, lost database); only then can another run take it.
CREATE TABLE sync_leases (
  kind        text PRIMARY KEY
              CONSTRAINT sync_leases_kind_check
              CHECK (kind IN ('LOS_IMPORT', 'FS_IMPORT', 'UNILOGIN_EXPORT', 'CRISTIN_EXPORT')),
  -- NULL while nobody holds it. A fresh random token per attempt: the fencing token.
  token       text,
  job_id      text,
  -- Which worker holds it (host and pid), for operators.
  holder      text,
  acquired_at timestamptz,
  expires_at  timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO sync_leases (kind) VALUES ('LOS_IMPORT'), ('FS_IMPORT'), ('UNILOGIN_EXPORT'), ('CRISTIN_EXPORT');

-- The token of the attempt that marked the job RUNNING: markRunning refuses a job RUNNING under another
-- attempt whose lease is still held.
ALTER TABLE sync_jobs ADD COLUMN run_token text;
