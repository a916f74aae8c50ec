/**
 * FS shapes (types.ts) → the unified model. Global ids: persons `fs:<personlopenummer>` (architecture.md),
 * FS organisation units `fs:ou:<stedkode>` (Cerebrum REST cannot find a unit by stedkode, so an FS study
 * programme's unit is shown as FS knows it; its `stedkode` is the one Cerebrum uses for the same unit).
 */
import { Source } from '../../schema/enums';
import { Person } from '../../schema/person.type';
import { OrganisationUnit } from '../../schema/organisation-unit.type';
import { StudyRight } from '../../schema/study-right.type';
import { Contact, ExternalId, PersonName } from '../../schema/contact.type';
import type { FsPersonProfile, FsStudyRight, FsText, FsUnit } from './types';

export const fsPersonId = (personNumber: string) => `fs:${personNumber}`;
export const fsUnitId = (stedkode: string) => `fs:ou:${stedkode}`;

/** nb, then nn, then en: the gateway's language order (as for Cerebrum names). */
export const textOf = (t: FsText | null | undefined): string | null => t?.nb ?? t?.nn ?? t?.en ?? null;

export function mapFsPerson(p: FsPersonProfile): Person {
  const full = [p.firstName, p.lastName].filter(Boolean).join(' ') || null;
  const names: PersonName[] = [];
  const name = (variant: string, value: string | null) => {
    if (value) names.push(Object.assign(new PersonName(), { variant, value, sourceSystem: 'FS', language: null }));
  };
  name('FIRST', p.firstName);
  name('LAST', p.lastName);
  name('FULL', full);
  return Object.assign(new Person(), {
    id: fsPersonId(p.personNumber),
    nativeId: p.personNumber,
    source: Source.FS,
    name: full,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate,
    names,
    storedNationalId: p.nationalId,
    fsProfile: p,
  });
}

/**
 * Contacts in preference order: institution e-mail, work e-mail, private e-mail (type EMAIL, preference
 * 1..3), then the mobile phone (MOBILE).
 */
export function mapFsContacts(p: FsPersonProfile): Contact[] {
  const out: Contact[] = [];
  const add = (type: string, value: string | null, preference: number) => {
    if (value) out.push(Object.assign(new Contact(), { type, value, preference, sourceSystem: 'FS' }));
  };
  add('EMAIL', p.institutionEmail, 1);
  add('EMAIL', p.workEmail, 2);
  add('EMAIL', p.privateEmail, 3);
  add('MOBILE', p.mobilePhone, 1);
  return out;
}

/**
 * External ids under Cerebrum REST's names: the FS person number (fsPersonSerialNumber), the Feide name
 * (feideId), the student numbers of the person's study rights (studentNumber). Never the national id: that
 * is `nationalId`, behind scope pii.
 */
export function mapFsExternalIds(p: FsPersonProfile, studentNumbers: string[] = []): ExternalId[] {
  const ids = [
    { type: 'fsPersonSerialNumber', value: p.personNumber },
    ...[...new Set(studentNumbers)].map((value) => ({ type: 'studentNumber', value })),
    ...(p.feideUser ? [{ type: 'feideId', value: p.feideUser }] : []),
  ];
  return ids.map((x) => Object.assign(new ExternalId(), { ...x, sourceSystem: 'FS' }));
}

export function mapFsUnit(u: FsUnit): OrganisationUnit {
  return Object.assign(new OrganisationUnit(), {
    id: fsUnitId(u.stedkode),
    nativeId: u.stedkode,
    source: Source.FS,
    userKey: u.stedkode,
    stedkode: u.stedkode,
    name: textOf(u.name),
    acronym: null,
    contacts: [],
    validFrom: null,
    validTo: null,
  });
}

export function mapFsStudyRight(r: FsStudyRight): StudyRight {
  return Object.assign(new StudyRight(), {
    programmeCode: r.programme.code,
    programmeName: textOf(r.programme.name),
    status: r.status,
    from: r.validFrom,
    to: r.validTo,
    organisationUnit: r.programme.unit ? mapFsUnit(r.programme.unit) : null,
    level: r.programme.level || null,
    active: r.active,
    cohort: r.cohort ? `${r.cohort.year} ${r.cohort.name}` : null,
    studentNumber: r.studentNumber,
  });
}
