/**
 * Cerebrum → Cristin records (specs/cristin-export.md; seed 002 where it says more). Pure functions: the walk
 * (walk.ts) reads Cerebrum and hands the answers here.
 */
import type { Person } from '../../schema/person.type';
import type { OrganisationUnit } from '../../schema/organisation-unit.type';
import type { Contact, ExternalId } from '../../schema/contact.type';
import { NORWEGIAN_NATIONAL_ID_TYPE } from '../../core/national-ids';
import { dateOf } from '../../datasources/cerebrum/mapping';
import type { RawAffiliation } from '../../datasources/cerebrum/types';
import type { CristinEmployment, CristinGuest, CristinUnit } from '../../datasources/cristin/document';

/** The affiliation that makes a person an employee (→ `ansettelse`). */
export const EMPLOYEE = 'ANSATT';
/** The affiliation that makes a person a guest (→ `gjest`). */
export const GUEST = 'TILKNYTTET';

/**
 * HR source systems whose national id is preferred (seed 002: take the fødselsnummer "med source_system satt til
 * gjeldende HR-system"). A person known only from another system (a guest registered by hand) keeps the id that
 * system has. Default: DFO_SAP, then SAP.
 */
export const DEFAULT_HR_SOURCE_SYSTEMS: readonly string[] = ['DFO_SAP', 'SAP'];

/**
 * TILKNYTTET status → gjestebetegnelse. Seed 002 asks to tell emeriti apart ("om en person er ansatt eller
 * emeritus"); every other guest is a guest researcher, as the old script wrote for all of them.
 */
export const GUEST_TITLES: Readonly<Record<string, string>> = {
  'TILKNYTTET/emeritus': 'EMERITUS',
};
export const DEFAULT_GUEST_TITLE = 'GJ-FORSKER';

/** Open end of a guest role: the old script and the spec's template write it out. */
export const OPEN_END = '9999-12-31';

/** The first contact of a type, preferred first (mapContacts already sorts by preference). */
export function firstContact(contacts: readonly Contact[], ...types: string[]): string | null {
  for (const t of types) {
    const c = contacts.find((x) => x.type === t && x.value.trim() !== '');
    if (c) return c.value;
  }
  return null;
}

/** The national id: an HR system's first (in `hrSystems` order), else any system's. */
export function pickFnr(
  ids: readonly ExternalId[],
  hrSystems: readonly string[] = DEFAULT_HR_SOURCE_SYSTEMS,
): string | null {
  const fnrs = ids.filter((x) => x.type === NORWEGIAN_NATIONAL_ID_TYPE && x.value.trim() !== '');
  for (const sys of hrSystems) {
    const hit = fnrs.find((x) => x.sourceSystem === sys);
    if (hit) return hit.value.trim();
  }
  return fnrs[0]?.value.trim() ?? null;
}

/** A name of a variant, `Cached` first (the canonical one), else any source system's. */
export function nameOf(p: Person, variant: string): string | null {
  const all = p.names.filter((n) => n.variant === variant && n.value.trim() !== '');
  return (all.find((n) => n.sourceSystem === 'Cached') ?? all[0])?.value ?? null;
}

export function toUnit(ou: OrganisationUnit): CristinUnit {
  return {
    ouId: ou.nativeId,
    stedkode: ou.stedkode!,
    navnBokmal: ou.name,
    akronym: ou.acronym,
    telefonnr: firstContact(ou.contacts, 'PHONE'),
    telefaxnr: firstContact(ou.contacts, 'FAX'),
    epost: firstContact(ou.contacts, 'EMAIL'),
    URLBokmal: firstContact(ou.contacts, 'URL'),
  };
}

/** A role's dates: from = create_date; to = last_date once Cerebrum has deleted the affiliation (spec). */
function datesOf(a: RawAffiliation): { datoFra: string | null; datoTil: string | null } {
  const deleted = dateOf(a.deleted_date);
  return { datoFra: dateOf(a.create_date), datoTil: deleted ? (dateOf(a.last_date) ?? deleted) : null };
}

/** The day after `YYYY-MM-DD`. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Several affiliation rows can say the same thing: the same status at the same unit from two source systems
 * (an HR system migration), or a deleted row and the current one that took over from it. Cristin gets one role
 * per (unit, title) and period: rows whose periods overlap or touch (the next starts at most a day after the
 * previous ends) become one, from the earliest start to the latest end (open if any is open). A gap between two
 * periods is kept: a role that ended in 2002 and one that began in 2013 are two roles, never eleven years of one.
 */
function merge<T extends { stedkode: string; datoFra?: string | null; datoTil?: string | null }>(
  roles: T[],
  keyOf: (r: T) => string,
): T[] {
  const open = (x: T) => !x.datoTil || x.datoTil === OPEN_END;
  const byKey = new Map<string, T[]>();
  for (const r of roles) {
    const k = keyOf(r);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const out: T[] = [];
  for (const rows of byKey.values()) {
    // A row without a start is taken to have begun before every other.
    rows.sort((a, b) => (a.datoFra ?? '').localeCompare(b.datoFra ?? ''));
    let cur: T | undefined;
    for (const r of rows) {
      if (cur && (open(cur) || !r.datoFra || r.datoFra <= nextDay(cur.datoTil!))) {
        if (!open(cur) && (open(r) || r.datoTil! > cur.datoTil!)) cur.datoTil = r.datoTil;
        continue;
      }
      if (cur) out.push(cur);
      cur = { ...r };
    }
    if (cur) out.push(cur);
  }
  return out.sort((a, b) => a.stedkode.localeCompare(b.stedkode) || (a.datoFra ?? '').localeCompare(b.datoFra ?? ''));
}

export interface PlacedAffiliation {
  raw: RawAffiliation;
  stedkode: string;
}

/** ANSATT rows → ansettelser; stillingsbetegnelse = the person's work title (WORKTITLE), as the spec says. */
export function toEmployments(rows: readonly PlacedAffiliation[], workTitle: string | null): CristinEmployment[] {
  return merge(
    rows
      .filter((r) => r.raw.affiliation === EMPLOYEE)
      .map((r) => ({ stedkode: r.stedkode, stillingsbetegnelse: workTitle, ...datesOf(r.raw) })),
    (r) => r.stedkode,
  );
}

/** TILKNYTTET rows → gjester; an open guest role ends 9999-12-31 (the old script's and the template's value). */
export function toGuests(rows: readonly PlacedAffiliation[]): CristinGuest[] {
  return merge(
    rows
      .filter((r) => r.raw.affiliation === GUEST)
      .map((r) => {
        const d = datesOf(r.raw);
        return {
          stedkode: r.stedkode,
          gjestebetegnelse: GUEST_TITLES[r.raw.status] ?? DEFAULT_GUEST_TITLE,
          datoFra: d.datoFra,
          datoTil: d.datoTil ?? OPEN_END,
        };
      }),
    (r) => `${r.stedkode}|${r.gjestebetegnelse}`,
  );
}
