-- Incremental Cristin export (issue 13 item 3; README "Cristin export").
--
-- cristin_pending: the Cerebrum resources a change event named since the last export that covered them, filled
-- by the worker's durable queue (idbro.<deployment id>.cristin). One row per resource, however many events: an
-- event only says WHAT changed, the export re-reads it. A row is removed in the transaction that stores the
-- snapshot of a run started after its last_seen; one seen again during a run stays for the next.
CREATE TABLE cristin_pending (
  resource_type text NOT NULL CHECK (resource_type IN ('persons', 'ous', 'accounts', 'entities')),
  ref           text NOT NULL,
  first_seen    timestamptz NOT NULL DEFAULT now(),
  last_seen     timestamptz NOT NULL DEFAULT now(),
  -- A scheduled change (the event's nbf): not re-read before this moment, when Cerebrum's data changes.
  not_before    timestamptz,
  PRIMARY KEY (resource_type, ref)
);

-- The snapshot of the last published export: per Cerebrum person id the mapped Cristin record (NULL: the person
-- was found but skipped, e.g. no national id) and the OU ids of its exported roles (an OU whose stedkode changes
-- re-reads these persons); per unit its record. Keyed by person id, not fødselsnummer, so a changed national id
-- replaces the old one.
CREATE TABLE cristin_snapshot_persons (
  person_id  text PRIMARY KEY,
  record     jsonb,
  ou_ids     jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cristin_snapshot_units (
  stedkode   text PRIMARY KEY,
  record     jsonb NOT NULL
);
