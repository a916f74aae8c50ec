-- LOS (Aarhus) organisation data, as imported from the LOS CSV deliveries (specs/aarhus-los.md).
-- Validity ranges are inclusive dates; valid_to NULL means open-ended (LOS writes 31-12-9999).
-- Versioned objects (units, engagements, managers) keep one row per version: (uuid, valid_from) is the key,
-- and the versions of one object never overlap.

CREATE TABLE los_organisation (
  uuid              uuid PRIMARY KEY,
  name              text NOT NULL,
  municipality_code text NOT NULL
);

CREATE TABLE los_facets (
  user_key text PRIMARY KEY,
  uuid     uuid NOT NULL UNIQUE
);

-- Classes from the seed data and the STAM files. A class missing from its STAM file is unpublished, not
-- deleted: it stays readable by id, and `classes(facet)` lists it only when asked.
CREATE TABLE los_classes (
  uuid      uuid PRIMARY KEY,
  facet     text NOT NULL REFERENCES los_facets (user_key),
  user_key  text NOT NULL,
  title     text NOT NULL,
  scope     text,
  published boolean NOT NULL DEFAULT true
);
CREATE INDEX los_classes_facet_idx ON los_classes (facet, title, uuid);

CREATE TABLE los_it_systems (
  uuid      uuid PRIMARY KEY,
  name      text NOT NULL,
  user_key  text NOT NULL,
  published boolean NOT NULL DEFAULT true
);

-- One row per version of a unit. parent_uuid NULL = a root directly under the organisation (LOS writes
-- ParentUUID = OrgUUID for those). addresses: {"LOSID": "...", "CVRUnit": "...", "AddressMailUnit":
-- {"text": "...", "darId": "<uuid or null>"}, ...} keyed by the address class user_key.
CREATE TABLE los_org_units (
  uuid        uuid NOT NULL,
  valid_from  date NOT NULL,
  valid_to    date,
  user_key    text NOT NULL,
  name        text,
  unit_type   uuid,
  parent_uuid uuid,
  line_org    boolean NOT NULL DEFAULT false,
  addresses   jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (uuid, valid_from),
  CONSTRAINT los_org_units_range CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX los_org_units_parent_idx ON los_org_units (parent_uuid, valid_from);
CREATE INDEX los_org_units_name_idx ON los_org_units (lower(name));

-- A person, one per CPR. The uuid is derived from the CPR (UUID v5), so it is stable across runs and never
-- shows the CPR itself; the CPR is personal data, read only for scope pii.
CREATE TABLE los_persons (
  uuid       uuid PRIMARY KEY,
  cpr        text NOT NULL UNIQUE,
  name       text NOT NULL,
  email      text,
  email_from date
);
CREATE INDEX los_persons_name_idx ON los_persons (lower(name));

CREATE TABLE los_engagements (
  uuid            uuid NOT NULL,
  valid_from      date NOT NULL,
  valid_to        date,
  person_uuid     uuid NOT NULL REFERENCES los_persons (uuid),
  user_key        text NOT NULL,
  org_uuid        uuid NOT NULL,
  engagement_type uuid NOT NULL,
  job_function    uuid NOT NULL,
  is_primary      boolean NOT NULL,
  az_id           text,
  PRIMARY KEY (uuid, valid_from),
  CONSTRAINT los_engagements_range CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX los_engagements_person_idx ON los_engagements (person_uuid);
CREATE INDEX los_engagements_org_idx ON los_engagements (org_uuid);

-- A manager is the pair (unit, person); uuid = UUID v5 of that pair.
CREATE TABLE los_managers (
  uuid           uuid NOT NULL,
  valid_from     date NOT NULL,
  valid_to       date,
  org_uuid       uuid NOT NULL,
  person_uuid    uuid NOT NULL REFERENCES los_persons (uuid),
  manager_type   uuid,
  manager_level  uuid,
  responsibility uuid,
  PRIMARY KEY (uuid, valid_from),
  CONSTRAINT los_managers_range CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX los_managers_org_idx ON los_managers (org_uuid);
CREATE INDEX los_managers_person_idx ON los_managers (person_uuid);

-- Delivery files already applied, with the server's modification time: a run re-reads only newer files.
CREATE TABLE los_files (
  name        text PRIMARY KEY,
  modified_at timestamptz NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  job_id      text
);
