/** Cerebrum REST v1 response shapes (specs/cerebrum-rest.md; field names exact). */
export interface RawName {
  source_system?: string | null;
  variant: string;
  name: string;
  language?: string | null;
}
export interface RawContact {
  value: string;
  alias?: string | null;
  preference?: number | null;
  type: string;
  entity_id?: number;
  description?: string | null;
  source_system?: string | null;
  last_modified?: string | null;
}
export interface RawPerson {
  href: string;
  id: number;
  birth_date: string | null;
  created_at?: string | null;
  names: RawName[];
  contexts?: string[];
}
export interface RawOu {
  href: string;
  id: number;
  stedkode?: string | null;
  institusjon?: number;
  fakultet?: number | null;
  institutt?: number | null;
  avdeling?: number | null;
  contexts?: string[];
  names: RawName[];
  contact?: RawContact[];
}
export interface RawAffiliation {
  affiliation: string;
  status: string;
  ou: { href: string; id: number };
  create_date: string | null;
  last_date?: string | null;
  deleted_date?: string | null;
  source_system?: string | null;
}
/** Current shape `{external_id, id_type, source_system}`; seed 002's older shape `{type, id, source_system}`. */
export interface RawExternalId {
  external_id?: string;
  id_type?: string;
  type?: string;
  id?: string;
  source_system?: string | null;
}
/** `id` is a string here (an integer elsewhere); older servers omit `name`. */
export interface RawAccountRef {
  href: string;
  id: string | number;
  name?: string;
  primary?: boolean;
}
export interface RawAccount {
  href: string;
  name: string;
  id: number;
  owner: { id: number; type: string; href?: string; name?: string | null } | null;
  created_at?: string | null;
  create_date?: string | null;
  expire_date: string | null;
  contexts?: string[];
  primary_email?: string | null;
  active?: boolean;
}
export interface RawSearchPersons {
  persons: { id: number; href: string }[];
}
export interface RawSearchExternalIds {
  external_ids: { href: string; person_id: number; source_system?: string; id_type: string; external_id: string }[];
}
