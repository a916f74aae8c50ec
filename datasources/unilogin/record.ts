/**
 * One person or group of the import document: the shape the export builds, the checks that keep a record the
 * service would reject out of the document, and its XML. Field rules from seed 003 ("Feltdefinitioner", "Kontrol
 * af data"); the schema in ./schema/uploadfull.xsd.
 *
 * Why check in code when the document is validated against the XSD anyway: validating per person would cost a
 * validator start per person (tens of thousands), and the service's control 1 (trim; empty after trim is an
 * error) and consequence E (that record rejected) are not schema rules. So each record is checked and normalised
 * here, and the XSD validation of the whole document is the final guard (jobs/unilogin-export/unilogin-export.ts).
 */
import { createHash } from 'node:crypto';
import { looksLikeCpr, validCpr } from './cpr';
import type { EmployeeType } from '../../core/settings/unilogin';

export interface UniLoginEmployeeRole {
  type: EmployeeType;
  /** Stilling (Occupation; consequence I: ignored when wrong). */
  occupation?: string | null;
  /** GroupIds of the groups the employee belongs to. */
  groupIds: string[];
}

export interface UniLoginStudentRole {
  type: 'stud' | 'elev';
  studentNumber?: string | null;
  /** Required: the student's main group (for students in higher education, the programme). */
  mainGroupId: string;
  groupIds?: string[];
}

export interface UniLoginPerson {
  /** Stable, unique in the institution, never a national id (seed: "skal være uforanderlig"). */
  localPersonId: string;
  /** The national id as the source holds it; sent only when it is a valid Danish CPR (./cpr.ts). */
  nationalId?: string | null;
  firstName: string;
  familyName: string;
  email?: string | null;
  birthDate?: string | null;
  employee?: UniLoginEmployeeRole;
  student?: UniLoginStudentRole;
}

export interface UniLoginGroup {
  id: string;
  name: string;
}

export interface RecordProblem {
  /** error: the record is left out; warning: the field is left out and the record sent. */
  severity: 'error' | 'warning';
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; record: T; problems: RecordProblem[] } | { ok: false; problems: RecordProblem[] };

// Characters XML 1.0 does not allow at all: one of them would make the whole document unreadable, not one record.
// eslint-disable-next-line no-control-regex -- XML 1.0's Char production is defined by control characters
const NOT_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Control 1: every run of blanks becomes one space, leading and trailing blanks go. */
export function trimCollapse(value: string | null | undefined): string {
  return (value ?? '').replace(NOT_XML, '').replace(/\s+/g, ' ').trim();
}

/** The LOS name (CPRNavn, the whole name): the last word is the family name, the words before it the first name. */
export function splitName(full: string): { firstName: string; familyName: string } {
  const words = trimCollapse(full).split(' ').filter(Boolean);
  if (words.length === 0) return { firstName: '', familyName: '' };
  return { firstName: words.slice(0, -1).join(' '), familyName: words.at(-1) ?? '' };
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Normalises a person and says what is wrong with it. Errors leave the person out (the service would reject the
 * record, or the document); warnings drop just the field.
 */
export function checkPerson(p: UniLoginPerson): Checked<UniLoginPerson> {
  const problems: RecordProblem[] = [];
  const error = (field: string, message: string) => problems.push({ severity: 'error', field, message });
  const warning = (field: string, message: string) => problems.push({ severity: 'warning', field, message });

  const localPersonId = trimCollapse(p.localPersonId);
  if (!localPersonId) error('LocalPersonId', 'LocalPersonId is empty');
  else if (looksLikeCpr(localPersonId))
    error('LocalPersonId', 'LocalPersonId looks like a CPR number; a national id must never be the LocalPersonId');
  const firstName = trimCollapse(p.firstName);
  const familyName = trimCollapse(p.familyName);
  if (!firstName)
    error(
      'FirstName',
      'FirstName is empty after trimming (a one-word name has no first name); UNI-Login requires both names',
    );
  if (!familyName) error('FamilyName', 'FamilyName is empty after trimming; UNI-Login requires both names');

  const nationalId = validCpr(p.nationalId);
  if (p.nationalId && !nationalId) {
    warning(
      'CivilRegistrationNumber',
      'the national id is not a valid Danish CPR number (ten digits whose first six are a date under the century rule); sent without CivilRegistrationNumber',
    );
  }
  let email: string | null = trimCollapse(p.email) || null;
  if (email && !EMAIL.test(email)) {
    warning('EmailAddress', 'the e-mail address is not of the form name@domain; sent without EmailAddress');
    email = null;
  }
  let birthDate: string | null = p.birthDate ?? null;
  if (birthDate && (!DATE.test(birthDate) || Number.isNaN(Date.parse(`${birthDate}T00:00:00Z`)))) {
    warning('BirthDate', `BirthDate "${birthDate}" is not a date YYYY-MM-DD; sent without BirthDate`);
    birthDate = null;
  }

  const groupIds = (ids: readonly string[] | undefined) =>
    [...new Set((ids ?? []).map(trimCollapse).filter(Boolean))].sort();
  let employee: UniLoginEmployeeRole | undefined;
  if (p.employee) {
    employee = {
      type: p.employee.type,
      occupation: trimCollapse(p.employee.occupation) || null,
      groupIds: groupIds(p.employee.groupIds),
    };
  }
  let student: UniLoginStudentRole | undefined;
  if (p.student) {
    const mainGroupId = trimCollapse(p.student.mainGroupId);
    if (!mainGroupId) error('MainGroupId', 'the student has no MainGroupId (programme); UNI-Login requires one');
    student = {
      type: p.student.type,
      studentNumber: trimCollapse(p.student.studentNumber) || null,
      mainGroupId,
      groupIds: groupIds(p.student.groupIds).filter((g) => g !== mainGroupId),
    };
  }
  if (!employee && !student) error('Employee', 'the person is neither employee nor student');
  if (problems.some((x) => x.severity === 'error')) return { ok: false, problems };
  return {
    ok: true,
    problems,
    record: { localPersonId, nationalId, firstName, familyName, email, birthDate, employee, student },
  };
}

/** Control 1 on GroupId and GroupName; a group without a name is named by its id, as an implicit group is. */
export function checkGroup(g: UniLoginGroup): Checked<UniLoginGroup> {
  const id = trimCollapse(g.id);
  if (!id)
    return {
      ok: false,
      problems: [{ severity: 'error', field: 'GroupId', message: 'GroupId is empty after trimming' }],
    };
  return { ok: true, problems: [], record: { id, name: trimCollapse(g.name) || id } };
}

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

const el = (indent: string, name: string, value: string | null | undefined) =>
  value ? `${indent}<${name}>${escapeXml(value)}</${name}>\n` : '';

/**
 * The `<InstitutionPerson>` of a checked person, one element per line (so a validator's line number points at a
 * field), indented for its place under `<Institution>`. The element order is the schema's.
 */
export function personXml(p: UniLoginPerson): string {
  let x = '    <InstitutionPerson>\n';
  x += el('      ', 'LocalPersonId', p.localPersonId);
  x += '      <Person>\n';
  x += el('        ', 'CivilRegistrationNumber', p.nationalId);
  x += el('        ', 'FirstName', p.firstName);
  x += el('        ', 'FamilyName', p.familyName);
  x += el('        ', 'EmailAddress', p.email);
  x += el('        ', 'BirthDate', p.birthDate);
  x += '      </Person>\n';
  if (p.student) {
    x += `      <Student type="${escapeXml(p.student.type)}">\n`;
    x += el('        ', 'StudentNumber', p.student.studentNumber);
    x += el('        ', 'MainGroupId', p.student.mainGroupId);
    for (const g of p.student.groupIds ?? []) x += el('        ', 'GroupId', g);
    x += '      </Student>\n';
  }
  if (p.employee) {
    x += `      <Employee type="${escapeXml(p.employee.type)}">\n`;
    x += el('        ', 'Occupation', p.employee.occupation);
    for (const g of p.employee.groupIds) x += el('        ', 'GroupId', g);
    x += '      </Employee>\n';
  }
  return `${x}    </InstitutionPerson>\n`;
}

/** The `<InstitutionPerson>` of the delete document: the LocalPersonId alone (uploaddelete.xsd). */
export function deletePersonXml(localPersonId: string): string {
  return `    <InstitutionPerson>\n${el('      ', 'LocalPersonId', localPersonId)}    </InstitutionPerson>\n`;
}

export function groupXml(g: UniLoginGroup): string {
  return `    <Group>\n${el('      ', 'GroupId', g.id)}${el('      ', 'GroupName', g.name)}    </Group>\n`;
}

/** What the snapshot keeps of a record: its XML's SHA-256, enough to tell whether it changed. */
export function fingerprint(xml: string): string {
  return createHash('sha256').update(xml).digest('base64url');
}
