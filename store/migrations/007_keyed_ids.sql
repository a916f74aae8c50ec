-- Keyed ids (issue 9 item 2): LOS person and manager uuids and FS `nid:` decision keys are HMAC-SHA-256 of the
-- personal data under the deployment's key (ID_KEY, or deployment.id_key). Which key the stored ids were derived
-- with is recorded here as a check value (a MAC of a fixed label, not the key). No row = the ids were made by the
-- former unkeyed derivation (UUID v5 of the CPR, unsalted SHA-256 of the national id). The SQL runner cannot know
-- ID_KEY, so the rewrite itself is code (store/keyed-ids.repo.ts), run at start and before each import: one
-- transaction that re-derives every stored id from the CPR / national id and writes this row, or nothing.
CREATE TABLE keyed_ids (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  key_check  text NOT NULL,
  derived_at timestamptz NOT NULL DEFAULT now()
);

-- UNI-Login continuity: WS10 requires a person's LocalPersonId never to change (seed 003: "uforanderlig"), and
-- offers no way to rename one. A person UNI-Login already accepted under an id that the re-derivation changed
-- keeps being sent under that id; everybody else is sent under the person uuid.
CREATE TABLE unilogin_local_ids (
  person_uuid     uuid PRIMARY KEY REFERENCES los_persons (uuid) ON UPDATE CASCADE,
  local_person_id text NOT NULL UNIQUE
);

-- The re-derivation changes a person's uuid in one statement; the references follow it.
ALTER TABLE los_engagements
  DROP CONSTRAINT los_engagements_person_uuid_fkey,
  ADD CONSTRAINT los_engagements_person_uuid_fkey FOREIGN KEY (person_uuid) REFERENCES los_persons (uuid) ON UPDATE CASCADE;
ALTER TABLE los_managers
  DROP CONSTRAINT los_managers_person_uuid_fkey,
  ADD CONSTRAINT los_managers_person_uuid_fkey FOREIGN KEY (person_uuid) REFERENCES los_persons (uuid) ON UPDATE CASCADE;
