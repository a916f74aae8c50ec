-- UNI-Login export (WS10, specs/unilogin-ws10.md): what UNI-Login last accepted from us, per institution and
-- import source (the service identifies an import by that pair). An INCREMENTAL upload sends exactly the persons
-- whose record differs from the accepted snapshot; a DELETE upload the persons in it that are gone. Both tables are
-- written only when the service answered statuskode 0, in one transaction, so a failed or interrupted upload leaves
-- them as they were and the next run sends the same difference again.

CREATE TABLE unilogin_exports (
  institution        text NOT NULL,
  source             text NOT NULL,
  -- exportdatetime (local wall-clock time, YYYY-MM-DDThh:mm:ss) of the last document SENT, accepted or not. Each
  -- new document is dated strictly later: the service refuses (statuskode 3) one not later than the last loaded,
  -- and a sent document may have been loaded even when its answer never reached us.
  last_sent_at       text,
  -- exportdatetime, mode (FULL, INCREMENTAL, DELETE) and job of the last upload answered with statuskode 0.
  last_accepted_at   text,
  last_accepted_mode text,
  last_accepted_job  text,
  -- exportdatetime of the last accepted FULL upload: an INCREMENTAL needs one (the service answers statuskode 4).
  last_full_at       text,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (institution, source)
);

-- The records UNI-Login holds from us, as last accepted: a person (key = LocalPersonId) or a group (key = GroupId),
-- with a SHA-256 of its XML in the document: enough to tell "changed", without keeping the data itself twice.
CREATE TABLE unilogin_snapshot (
  institution text NOT NULL,
  source      text NOT NULL,
  kind        text NOT NULL CONSTRAINT unilogin_snapshot_kind_check CHECK (kind IN ('person', 'group')),
  key         text NOT NULL,
  fingerprint text NOT NULL,
  PRIMARY KEY (institution, source, kind, key)
);
