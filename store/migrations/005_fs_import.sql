-- FS import (seed 001): the decisions of the last run per person, and the runs themselves.
-- A dry run keeps its own set (dry_run = true) beside the last applied run's, so trying the rules never
-- changes what the next real run builds on (blocked-since dates, persons that vanished from FS).

CREATE TABLE fs_import_runs (
  job_id     text PRIMARY KEY,
  dry_run    boolean NOT NULL,
  decided_on date NOT NULL,
  persons    integer NOT NULL,
  students   integer NOT NULL,
  -- Counts, Cerebrum writes made (or planned in a dry run) and the plan summary.
  summary    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fs_import_runs_created_idx ON fs_import_runs (dry_run, created_at DESC);

CREATE TABLE fs_import_decisions (
  dry_run          boolean NOT NULL,
  -- fs:<personlopenummer>, or nid:<hash of the national id> when FS gave no person number.
  person_key       text NOT NULL,
  job_id           text NOT NULL,
  decided_on       date NOT NULL,
  personlopenummer text,
  -- Kept for Person.fsImportDecision's match by national id; never shown without scope pii.
  national_id      text,
  imported         boolean NOT NULL,
  student          boolean NOT NULL,
  student_rule     text,
  block_action     text NOT NULL,
  blocked_since    date,
  deletion_date    date,
  deletion_due     boolean NOT NULL DEFAULT false,
  account_name     text,
  -- The whole FsPersonDecision (datasources/fs/rules/model.ts) plus the Cerebrum writes and the plan.
  decision         jsonb NOT NULL,
  PRIMARY KEY (dry_run, person_key)
);
CREATE INDEX fs_import_decisions_plnr_idx ON fs_import_decisions (personlopenummer) WHERE personlopenummer IS NOT NULL;
CREATE INDEX fs_import_decisions_nid_idx ON fs_import_decisions (national_id) WHERE national_id IS NOT NULL;
