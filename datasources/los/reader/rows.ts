/**
 * The rows of the LOS tables (store/migrations/002_los.sql) as the store hands them back: uuids as lower-case
 * strings, dates as `YYYY-MM-DD` strings (store/db.ts TEXT_PARSERS), jsonb parsed, valid_to null = open.
 */

export interface UnitRow {
  uuid: string;
  valid_from: string;
  valid_to: string | null;
  user_key: string;
  name: string | null;
  unit_type: string | null;
  parent_uuid: string | null;
  line_org: boolean;
  /** Keyed by address-class user_key (facet org_unit_address_type); see `addressEntries` in mapping.ts. */
  addresses: Record<string, unknown>;
}

export interface PersonRow {
  uuid: string;
  /** Personal data: only the nationalId field (scope pii) shows it; never log it. */
  cpr: string;
  name: string;
  email: string | null;
  email_from: string | null;
}

export interface EngagementRow {
  uuid: string;
  valid_from: string;
  valid_to: string | null;
  person_uuid: string;
  user_key: string;
  org_uuid: string;
  engagement_type: string;
  job_function: string;
  is_primary: boolean;
  az_id: string | null;
}

export interface ManagerRow {
  uuid: string;
  valid_from: string;
  valid_to: string | null;
  org_uuid: string;
  person_uuid: string;
  manager_type: string | null;
  manager_level: string | null;
  responsibility: string | null;
}

export interface ClassRow {
  uuid: string;
  facet: string;
  user_key: string;
  title: string;
  scope: string | null;
  published: boolean;
}

export interface ItSystemRow {
  uuid: string;
  name: string;
  user_key: string;
  published: boolean;
}

/** What a bare `los:<uuid>` names: node(id) and person(id) look this up first. */
export type LosKind = 'unit' | 'person' | 'class' | 'itSystem';

/** A (uuid, date) loader key: the object and the day its validity is read on. */
export interface DatedKey {
  uuid: string;
  at: string;
}
