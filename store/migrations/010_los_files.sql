-- LOS file selection by the files already met, not by a clock (issue 10 item 4): a file of the delivery folder
-- is identified by name, size and server modification time. A file is either applied, or refused with an issue
-- (a bad stamp, or a delta file "in the past": dated before files already applied) and then not reported again.
-- Rows written before this migration have no size (NULL): name and time alone identify those files.
ALTER TABLE los_files ADD COLUMN size bigint;
ALTER TABLE los_files ADD COLUMN outcome text NOT NULL DEFAULT 'applied'
  CONSTRAINT los_files_outcome_check CHECK (outcome IN ('applied', 'refused'));
-- Why a refused file was not applied (the issue's text).
ALTER TABLE los_files ADD COLUMN reason text;
