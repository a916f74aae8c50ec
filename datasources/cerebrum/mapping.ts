/**
 * Cerebrum REST shapes → the unified model. The rules are the ones in specs/cerebrum-rest.md
 * ("Mapping rules we decided") and seed 002 (older shapes a robust client accepts).
 */
import { NORWEGIAN_NATIONAL_ID_TYPE } from '../../core/national-ids';
import { Source } from '../../schema/enums';
import { Person } from '../../schema/person.type';
import { OrganisationUnit } from '../../schema/organisation-unit.type';
import { Affiliation } from '../../schema/affiliation.type';
import { Account } from '../../schema/account.type';
import { Contact, ExternalId, PersonName } from '../../schema/contact.type';
import type { RawAccountRef, RawAffiliation, RawContact, RawExternalId, RawOu, RawPerson } from './types';

export const cerebrumId = (nativeId: string | number) => `cerebrum:${nativeId}`;

/** The canonical name system. Seed 002 spells it "Cashed"; the code and servers say "Cached". */
const CACHED = 'Cached';
const LANGUAGE_ORDER = ['nb', 'nn', 'en'];
const OU_NAME_ORDER = ['OU name', 'OU long', 'OU display', 'OU short'];

/** Cerebrum datetimes are naive ISO ("1980-05-17T00:00:00"); dates are their first ten characters. */
export const dateOf = (v: string | null | undefined): string | null => (v ? v.slice(0, 10) : null);

/** Older external-id type codes (seed 002) → the REST names the current API uses. */
const LEGACY_ID_TYPES: Record<string, string> = {
  NO_BIRTHNO: 'norwegianNationalId',
  PASSNR: 'passportNumber',
  NO_SAPNO: 'employeeNumber',
  NO_STUDNO: 'studentNumber',
  NO_FSNO: 'fsPersonSerialNumber',
  DFO_PID: 'dfoPersonId',
};

export function mapPerson(raw: RawPerson, round?: number): Person {
  const cached = (variant: string) =>
    raw.names.find((n) => n.variant === variant && n.source_system === CACHED)?.name ?? null;
  const first = cached('FIRST');
  const last = cached('LAST');
  const full = cached('FULL') ?? ([first, last].filter(Boolean).join(' ') || null);
  return Object.assign(new Person(), {
    id: cerebrumId(raw.id),
    nativeId: String(raw.id),
    source: Source.CEREBRUM,
    name: full,
    firstName: first,
    lastName: last,
    birthDate: dateOf(raw.birth_date),
    names: raw.names.map((n) =>
      Object.assign(new PersonName(), {
        variant: n.variant,
        value: n.name,
        sourceSystem: n.source_system ?? null,
        language: n.language ?? null,
      }),
    ),
    round,
  });
}

/** Languages nb, nn, en, then the rest; within the first language that has any, the first listed variant. */
function pickName(names: RawName2[], variants: string[]): string | null {
  const langs = [
    ...LANGUAGE_ORDER,
    ...new Set(names.map((n) => n.language ?? '').filter((l) => !LANGUAGE_ORDER.includes(l))),
  ];
  for (const lang of langs) {
    const inLang = names.filter((n) => (n.language ?? '') === lang && variants.includes(n.variant));
    inLang.sort((a, b) => variants.indexOf(a.variant) - variants.indexOf(b.variant));
    const best = inLang[0];
    if (best) return best.name;
  }
  return null;
}
type RawName2 = { variant: string; name: string; language?: string | null };

export function mapContacts(raw: RawContact[] | undefined): Contact[] {
  // Preferred first: lower `preference` wins (1 is highest in Cerebrum's code; the seed also uses 0).
  return [...(raw ?? [])]
    .sort((a, b) => (a.preference ?? Number.MAX_SAFE_INTEGER) - (b.preference ?? Number.MAX_SAFE_INTEGER))
    .map((c) =>
      Object.assign(new Contact(), {
        type: c.type,
        value: c.value,
        preference: c.preference ?? null,
        sourceSystem: c.source_system ?? null,
      }),
    );
}

export function mapOu(raw: RawOu, round?: number): OrganisationUnit {
  return Object.assign(new OrganisationUnit(), {
    id: `cerebrum:ou:${raw.id}`,
    nativeId: String(raw.id),
    source: Source.CEREBRUM,
    userKey: raw.stedkode ?? null,
    stedkode: raw.stedkode ?? null,
    name: pickName(raw.names, OU_NAME_ORDER),
    acronym: pickName(raw.names, ['OU acronym']),
    contacts: mapContacts(raw.contact),
    validFrom: null,
    validTo: null,
    round,
  });
}

export function mapExternalIds(raw: RawExternalId[]): ExternalId[] {
  return raw.map((x) => {
    const type = x.id_type ?? LEGACY_ID_TYPES[x.type ?? ''] ?? x.type ?? 'unknown';
    return Object.assign(new ExternalId(), {
      type,
      value: String(x.external_id ?? x.id ?? ''),
      sourceSystem: x.source_system ?? null,
    });
  });
}

/** The national id: the norwegianNationalId external id (the first, when several source systems have one). */
export function nationalIdOf(ids: ExternalId[]): string | null {
  return ids.find((x) => x.type === NORWEGIAN_NATIONAL_ID_TYPE)?.value ?? null;
}

export function mapAffiliation(personNativeId: string, raw: RawAffiliation, round?: number): Affiliation {
  return Object.assign(new Affiliation(), {
    id: `cerebrum:${personNativeId}:${raw.status}@${raw.ou.id}`,
    source: Source.CEREBRUM,
    kind: raw.affiliation,
    status: raw.status,
    userKey: null,
    primary: null,
    sourceSystem: raw.source_system ?? null,
    // Cerebrum keeps when the affiliation was created and when it was deleted; `last_date` is when the
    // source system last reported it, not an end date.
    from: dateOf(raw.create_date),
    to: dateOf(raw.deleted_date),
    personNativeId,
    ouNativeId: String(raw.ou.id),
    round,
  });
}

/** Older servers omit `name` and put the name in `id`; the href's last segment is the name then. */
export function accountNameOf(ref: RawAccountRef): string {
  if (ref.name) return ref.name;
  const last = ref.href.split('/').filter(Boolean).pop();
  return decodeURIComponent(last ?? String(ref.id));
}

export function mapAccountRef(ref: RawAccountRef, round?: number): Account {
  const name = accountNameOf(ref);
  return Object.assign(new Account(), { id: `cerebrum:account:${name}`, name, primary: ref.primary ?? null, round });
}
