/**
 * Records the Cerebrum simulator serves, kept close to the Cerebrum database rather than to the REST
 * shapes: the simulator (simulators/cerebrum-views.ts) turns them into the JSON of
 * /work/shared/specs/cerebrum-rest.md, so tests can mutate plain data and see the effect over HTTP.
 *
 * Conventions shared by every record:
 * - Entity ids are unique across OUs, persons, accounts and groups (Cerebrum has one entity_id space;
 *   group members and account owners are bare entity ids).
 * - Dates and datetimes are strings: `YYYY-MM-DD` or naive `YYYY-MM-DDTHH:MM:SS`; the simulator serves
 *   both as naive ISO datetimes (`1980-05-17T00:00:00`).
 * - Codes are stored as Cerebrum constants (`NO_BIRTHNO`, `POST`, `ANSATT/tekadm`); the REST layer
 *   translates them where the real API does (external id types, address types, group visibility).
 */

export interface SimContact {
  /** `PHONE`, `FAX`, `EMAIL`, `MOBILE`, `URL`, `EXTENSION`, `PRIVPHONE` ... */
  type: string;
  value: string;
  /** Lower is preferred (1 is "highest" in the code; 0 occurs in real data too). */
  preference: number;
  source_system: string;
  alias: string | null;
  description: string | null;
  /** Served on person/account contacts only (the OU model has no such field). Default null. */
  last_modified?: string | null;
}

export interface SimOuName {
  /** `OU name`, `OU acronym`, `OU short`, `OU long`, `OU display`. */
  variant: string;
  name: string;
  /** `nb`, `nn`, `en`. */
  language: string;
}

export interface SimOu {
  id: number;
  /** Six digits: fakultet, institutt, avdeling (two each). */
  stedkode: string;
  names: SimOuName[];
  /** Singular as in the REST shape (the person sub-resource is `contacts`). */
  contact: SimContact[];
  contexts: string[];
  /** Not served (Cerebrum REST has no OU tree endpoint); documents the hierarchy for other simulators. */
  parent_id?: number | null;
}

export interface SimPersonName {
  /** `Cached` is the canonical one; `SAP`, `DFO_SAP`, `FS` are sources. */
  source_system: string;
  /** `FIRST`, `LAST`, `FULL`, `PERSONALTITLE`, `WORKTITLE`. */
  variant: string;
  name: string;
}

export interface SimAffiliation {
  /** `ANSATT`, `STUDENT`, `TILKNYTTET`, `MANUELL`. */
  affiliation: string;
  /** Full status code as served, e.g. `ANSATT/tekadm` (a bare `tekadm` is prefixed when served). */
  status: string;
  ou_id: number;
  create_date: string;
  /** Last seen in the source system: not an end date. */
  last_date: string | null;
  /** Non-null = deleted: hidden unless `?include_deleted=true`, never matched by search. */
  deleted_date: string | null;
  source_system: string;
}

export interface SimExternalId {
  external_id: string;
  /** Cerebrum code: `NO_BIRTHNO`, `PASSNR`, `NO_SAPNO`, `NO_STUDNO`, `NO_FSNO`, `DFO_PID`, ... */
  id_type: string;
  source_system: string;
}

export interface SimAddress {
  source_system: string;
  /** Cerebrum code: `POST`, `OTHER_POST`, `PRIVPOST`, `STREET`, `OTHER_STREET`. */
  address_type: string;
  address_text: string | null;
  p_o_box: string | null;
  postal_number: string | null;
  city: string | null;
  country: string | null;
}

export interface SimConsent {
  name: string;
  description: string | null;
  /** `opt-in` / `opt-out`. */
  type: string;
  set_at: string | null;
  expires: string | null;
}

export interface SimPerson {
  id: number;
  birth_date: string | null;
  created_at: string;
  names: SimPersonName[];
  contexts: string[];
  affiliations: SimAffiliation[];
  contacts: SimContact[];
  external_ids: SimExternalId[];
  addresses: SimAddress[];
  /** Accounts owned, in listing order; expired ones included (the person's account list shows them). */
  account_names: string[];
  primary_account: string | null;
  consents?: SimConsent[];
  /**
   * Serve the older shapes of seed 002: external ids as `{source_system, type, id}` with Cerebrum codes
   * (NO_BIRTHNO, NO_SAPNO), and the accounts list without `name` and with `id` = the account name.
   */
  legacy?: boolean;
}

export interface SimQuarantine {
  /** Quarantine code, e.g. `generell`, `svakt_passord` (see QUARANTINE_TYPES). */
  type: string;
  comment: string | null;
  start: string;
  end: string | null;
  disable_until: string | null;
}

export interface SimAccount {
  id: number;
  name: string;
  owner_id: number;
  owner_type: 'person' | 'group';
  created_at: string;
  /** Null = never expires; a past date = expired (hidden from account search by default). */
  expire_date: string | null;
  contexts: string[];
  primary_email: string | null;
  /** Extra addresses served by /emailaddresses besides the primary. Default none. */
  email_aliases?: string[];
  /** Non-personal account type (`programvare`, `testbruker` ...); null for personal accounts. */
  np_type: string | null;
  quarantines: SimQuarantine[];
  contacts?: SimContact[];
  // Group memberships are not stored here: SimGroup.members is the single source of truth, and
  // /v1/accounts/{name}/groups is derived from it.
}

export interface SimGroup {
  id: number;
  name: string;
  /** REST value: `all`, `internal` or `none` (Cerebrum codes A, I, N). */
  visibility: string;
  description: string | null;
  /** Direct members as entity ids (persons, accounts or groups). */
  members: number[];
  created_at?: string;
  expire_date?: string | null;
  contexts?: string[];
}

export interface CerebrumData {
  ous: Map<number, SimOu>;
  persons: Map<number, SimPerson>;
  /** Keyed by account name. */
  accounts: Map<string, SimAccount>;
  /** Keyed by group name. */
  groups: Map<string, SimGroup>;
}

/** Affiliations and their statuses known to the simulated installation (search validates against these). */
export const AFFILIATIONS: Readonly<Record<string, readonly string[]>> = {
  ANSATT: ['vitenskapelig', 'tekadm', 'bilag', 'permisjon'],
  STUDENT: ['aktiv', 'evu', 'drgrad', 'privatist', 'opptak'],
  TILKNYTTET: ['emeritus', 'gjest', 'fagperson', 'ekst_forsker'],
  MANUELL: ['gjest', 'ekstern'],
};

/** Cerebrum external id codes → REST names (models.ExternalIdType); other codes pass through. */
export const EXTERNAL_ID_TYPES: Readonly<Record<string, string>> = {
  NO_BIRTHNO: 'norwegianNationalId',
  PASSNR: 'passportNumber',
  NO_SAPNO: 'employeeNumber',
  NO_STUDNO: 'studentNumber',
  NO_FSNO: 'fsPersonSerialNumber',
  DFO_PID: 'dfoPersonId',
};

/** Cerebrum address codes → REST names (person.AddressType). */
export const ADDRESS_TYPES: Readonly<Record<string, string>> = {
  POST: 'postalAddress',
  OTHER_POST: 'otherPostalAddress',
  PRIVPOST: 'privatePostalAddress',
  STREET: 'visitingAddress',
  OTHER_STREET: 'otherVisitingAddress',
};

/** Quarantine codes the simulated installation knows; PUT of another type answers 400. */
export const QUARANTINE_TYPES: readonly string[] = [
  'autopassord',
  'generell',
  'nologin',
  'remote',
  'slutta',
  'sperret',
  'svakt_passord',
  'teppe',
  'auto_emailonly',
  'auto_inaktiv',
  'auto_kontotype',
];

/** Contexts (spreads) served by GET /v1/contexts/: context → [entity_type, description]. */
export const CONTEXTS: Readonly<Record<string, readonly [string, string]>> = {
  LDAP_person: ['person', 'Person included in LDAP directory'],
  'UA@uio': ['person', 'Person exported to the access control system'],
  ePhorte_person: ['person', 'Person exported to ePhorte'],
  CIM_person: ['person', 'Person exported to the crisis information system'],
  AD_account: ['account', 'Account included in Active Directory'],
  'NIS_user@uio': ['account', 'Account included in NIS domain uio'],
  'NIS_user@ifi': ['account', 'Account included in NIS domain ifi'],
  'exchange_acc@uio': ['account', 'Account with an Exchange mailbox'],
  AD_group: ['group', 'Group included in Active Directory'],
  'NIS_fg@uio': ['group', 'File group in NIS domain uio'],
  LDAP_OU: ['ou', 'OU included in LDAP directory'],
};

/** An empty data set, for tests that build their own records. */
export function emptyCerebrumData(): CerebrumData {
  return { ous: new Map(), persons: new Map(), accounts: new Map(), groups: new Map() };
}

const FNR_K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const FNR_K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** The affiliation of an `AFFILIATION/status` string: the part before the first '/' (all of it without one). */
export function affiliationOf(status: string): string {
  const slash = status.indexOf('/');
  return slash < 0 ? status : status.slice(0, slash);
}

function mod11(digits: string, weights: number[]): number | null {
  let sum = 0;
  for (const [i, w] of weights.entries()) sum += Number(digits[i]) * w;
  const k = 11 - (sum % 11);
  if (k === 11) return 0;
  return k === 10 ? null : k;
}

/**
 * A valid Norwegian fødselsnummer (both mod-11 control digits correct) for `birthDate` (`YYYY-MM-DD`).
 * `seq` picks the individnummer inside the range the birth century allows (1900–1999: 000–499,
 * 2000–2039: 500–999); numbers whose control digit would be 10 are invalid and skipped, so different
 * `seq` values can give the same number only when the range is exhausted.
 */
export function makeFnr(birthDate: string, seq = 0): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (!m) throw new Error(`makeFnr: birthDate must be YYYY-MM-DD, got ${JSON.stringify(birthDate)}`);
  const [, yyyy = '', mm = '', dd = ''] = m; // a match sets all three groups
  const year = Number(yyyy);
  const base = year >= 2000 ? 500 : 0;
  const date = `${dd}${mm}${yyyy.slice(2)}`;
  for (let i = 0; i < 500; i++) {
    const individ = base + ((seq + i) % 500);
    const nine = date + String(individ).padStart(3, '0');
    const k1 = mod11(nine, FNR_K1);
    if (k1 === null) continue;
    const k2 = mod11(nine + k1, FNR_K2);
    if (k2 === null) continue;
    return `${nine}${k1}${k2}`;
  }
  throw new Error(`makeFnr: no valid number for ${birthDate}`);
}

/** True when `fnr` is 11 digits with both control digits correct. */
export function isValidFnr(fnr: string): boolean {
  if (!/^\d{11}$/.test(fnr)) return false;
  return mod11(fnr, FNR_K1) === Number(fnr[9]) && mod11(fnr, FNR_K2) === Number(fnr[10]);
}

/** `Åse Ødegård` → `ase`, `odegard`: usernames and mail addresses are ASCII. */
export function asciiFold(s: string): string {
  return s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}
