/**
 * Stored LOS rows → the unified model (schema/*.type.ts). Pure functions; the loaders fetch, these shape.
 */
import { Source } from '../../../schema/enums';
import { OrganisationUnit } from '../../../schema/organisation-unit.type';
import { Person } from '../../../schema/person.type';
import { PersonName } from '../../../schema/contact.type';
import { Affiliation } from '../../../schema/affiliation.type';
import { Manager } from '../../../schema/manager.type';
import { ClassType, Facet, ItSystem } from '../../../schema/class.type';
import { isIsoDate } from '../../../schema/scalars';
import type { ClassRow, EngagementRow, ItSystemRow, ManagerRow, PersonRow, UnitRow } from './rows';

export const losId = (uuid: string) => `los:${uuid}`;
/** Engagements are not Nodes (node(id) does not answer them), so their ids say what they are. */
export const engagementId = (uuid: string) => `los:engagement:${uuid}`;

export const SOURCE_SYSTEM = 'LOS';

/** Facet user_keys the read side needs (specs/aarhus-los.md, "Seed data" and "STAM files"). */
export const FACETS = {
  unitType: 'org_unit_type',
  unitAddressType: 'org_unit_address_type',
  unitHierarchy: 'org_unit_hierarchy',
} as const;
/** The org_unit_hierarchy class a unit with `Med-i-LinjeOrg` true belongs to. */
export const LINE_ORG_CLASS_KEY = 'linjeorg';

export function mapUnit(row: UnitRow, at?: string | null): OrganisationUnit {
  return Object.assign(new OrganisationUnit(), {
    id: losId(row.uuid),
    nativeId: row.uuid,
    source: Source.LOS,
    userKey: row.user_key,
    name: row.name,
    acronym: null,
    stedkode: null,
    contacts: [],
    validFrom: row.valid_from,
    validTo: row.valid_to,
    parentNativeId: row.parent_uuid,
    at: at ?? null,
    unitTypeId: row.unit_type,
    lineOrg: row.line_org,
    addressData: row.addresses ?? {},
  });
}

export function mapPerson(row: PersonRow, at?: string | null): Person {
  const { firstName, lastName } = splitName(row.name);
  return Object.assign(new Person(), {
    id: losId(row.uuid),
    nativeId: row.uuid,
    source: Source.LOS,
    name: row.name,
    firstName,
    lastName,
    birthDate: birthDateFromCpr(row.cpr),
    names: [
      Object.assign(new PersonName(), {
        variant: 'FULL',
        value: row.name,
        sourceSystem: SOURCE_SYSTEM,
        language: null,
      }),
    ],
    storedNationalId: row.cpr,
    email: row.email,
    at: at ?? null,
  });
}

export function mapEngagement(row: EngagementRow, at: string): Affiliation {
  return Object.assign(new Affiliation(), {
    id: engagementId(row.uuid),
    source: Source.LOS,
    kind: 'ENGAGEMENT',
    status: null,
    userKey: row.user_key,
    primary: row.is_primary,
    sourceSystem: SOURCE_SYSTEM,
    from: row.valid_from,
    to: row.valid_to,
    personNativeId: row.person_uuid,
    ouNativeId: row.org_uuid,
    jobFunctionId: row.job_function,
    engagementTypeId: row.engagement_type,
    at,
  });
}

export function mapManager(row: ManagerRow, at: string): Manager {
  return Object.assign(new Manager(), {
    source: Source.LOS,
    personNativeId: row.person_uuid,
    ouNativeId: row.org_uuid,
    managerTypeId: row.manager_type,
    levelId: row.manager_level,
    responsibilityIds: row.responsibility ? [row.responsibility] : [],
    // Filled by ManagerResolver.responsibilities from responsibilityIds.
    responsibilities: [],
    from: row.valid_from,
    to: row.valid_to,
    at,
  });
}

export function mapClass(row: ClassRow): ClassType {
  return Object.assign(new ClassType(), {
    id: losId(row.uuid),
    userKey: row.user_key,
    title: row.title,
    scope: row.scope,
    facet: Object.assign(new Facet(), { userKey: row.facet }),
    published: row.published,
  });
}

export function mapItSystem(row: ItSystemRow): ItSystem {
  return Object.assign(new ItSystem(), { id: losId(row.uuid), name: row.name, userKey: row.user_key });
}

/**
 * `CPRNavn` holds the whole name. Danish names have no marker between given and family names, so the last
 * word is taken as the last name and the words before it as the first name; a one-word name is a last name
 * only (firstName null).
 */
export function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: null, lastName: null };
  return {
    firstName: words.length > 1 ? words.slice(0, -1).join(' ') : null,
    lastName: words[words.length - 1] ?? null,
  };
}

/**
 * The birth date a CPR number (`ddmmyy-xxxx`) encodes. The century comes from the 7th digit together with yy
 * (CPR-kontoret's table): 0–3 → 1900s; 4 and 9 → 2000s for yy 00–36, else 1900s; 5–8 → 2000s for yy 00–57,
 * else 1800s. Null for anything that does not give a real calendar date (e.g. a substitute number).
 */
export function birthDateFromCpr(cpr: string | null | undefined): string | null {
  const m = /^(\d{2})(\d{2})(\d{2})-?(\d)\d{3}$/.exec(cpr ?? '');
  if (!m) return null;
  const [, dd, mm, yy, seventh] = m;
  const y = Number(yy);
  const d7 = Number(seventh);
  let century: number;
  if (d7 <= 3) century = 1900;
  else if (d7 === 4 || d7 === 9) century = y <= 36 ? 2000 : 1900;
  else century = y <= 57 ? 2000 : 1800;
  const date = `${century + y}-${mm}-${dd}`;
  return isIsoDate(date) ? date : null;
}

/** One stored address of a unit version: the address-class user_key, the text, and a DAR id if any. */
export interface AddressEntry {
  typeKey: string;
  value: string;
  darId: string | null;
}

/**
 * The `addresses` jsonb of a unit version → entries. A plain value is the text (LOSID, CVRUnit, …); the postal
 * address (AddressMailUnit) is `{"text": …, "darId": …}` (002_los.sql). Empty values are left out.
 */
export function addressEntries(data: Record<string, unknown> | null | undefined): AddressEntry[] {
  const out: AddressEntry[] = [];
  for (const [typeKey, raw] of Object.entries(data ?? {})) {
    if (raw === null || raw === undefined) continue;
    if (typeof raw === 'object') {
      const o = raw as { text?: unknown; value?: unknown; darId?: unknown };
      const text = o.text ?? o.value;
      const darId = typeof o.darId === 'string' && o.darId !== '' ? o.darId : null;
      if ((typeof text === 'string' && text !== '') || darId)
        out.push({ typeKey, value: typeof text === 'string' && text !== '' ? text : darId!, darId });
    } else if ((typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') && String(raw) !== '') {
      // jsonb scalars: a number or a flag is stored as such, shown as text.
      out.push({ typeKey, value: String(raw), darId: null });
    }
  }
  return out;
}
