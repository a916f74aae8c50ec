/**
 * Builds one import document from the sources, streaming: persons are checked, rendered and fingerprinted one at
 * a time and written to the file as they come; only the small things are kept (fingerprints, group names, ids).
 *
 * FULL writes every valid person; INCREMENTAL only those whose record differs from the accepted snapshot (new or
 * changed), and only new or renamed groups. DELETE (buildDeleteDocument) writes the snapshot's persons that the
 * sources no longer give. A person whose record fails the checks (record.ts) is left out and reported; the caller
 * may also pass persons to leave out (those a failed XSD validation traced back).
 */
import { DocumentWriter, type DocumentHeader, type WrittenDocument } from '../../datasources/unilogin/document';
import {
  checkGroup,
  checkPerson,
  deletePersonXml,
  fingerprint,
  groupXml,
  personXml,
  type RecordProblem,
  type UniLoginGroup,
} from '../../datasources/unilogin/record';
import type { SourcePerson } from './los-employees';
import type { UniLoginStudent } from './students';

export interface BuildIssue extends RecordProblem {
  /** The record: a LocalPersonId or a GroupId. */
  key: string;
}

export interface BuildOptions {
  mode: 'FULL' | 'INCREMENTAL';
  path: string;
  header: DocumentHeader;
  /** Employees, in any order (LOS gives them in LocalPersonId order). */
  employees: AsyncIterable<SourcePerson>;
  students: AsyncIterable<UniLoginStudent>;
  /** INCREMENTAL: what UNI-Login accepted last (key → fingerprint). */
  snapshot?: { persons: ReadonlyMap<string, string>; groups: ReadonlyMap<string, string> };
  /** LocalPersonIds to leave out. */
  exclude?: ReadonlySet<string>;
  onIssue(issue: BuildIssue): void;
  /** Called after each person with the number seen so far. */
  onPerson?(seen: number): void;
  /** Checked between persons; a thrown error stops the build (the caller removes the file). */
  checkCancelled?: () => void;
}

export interface BuiltDocument {
  document: WrittenDocument;
  writer: DocumentWriter;
  /** Every LocalPersonId the sources gave, valid or not. */
  present: Set<string>;
  /**
   * The LocalPersonIds the document carries (written, or unchanged in an INCREMENTAL): `present` less the persons
   * left out. For a FULL upload, UNI-Login removes every person it holds from us that is not among these.
   */
  kept: Set<string>;
  /** Records written, with their fingerprints (what the snapshot becomes once accepted). */
  sentPersons: [string, string][];
  sentGroups: [string, string][];
  /** Persons seen / left out (failed checks or excluded) / not written because unchanged. */
  seen: number;
  leftOut: number;
  unchanged: number;
}

/** Students by LocalPersonId, as persons: each joins the employee with the same id, or stands alone. */
async function collectStudents(
  students: AsyncIterable<UniLoginStudent>,
  checkCancelled?: () => void,
): Promise<Map<string, SourcePerson>> {
  const out = new Map<string, SourcePerson>();
  for await (const s of students) {
    checkCancelled?.();
    const groups: UniLoginGroup[] = [{ id: s.programme.code, name: s.programme.name }, ...(s.groups ?? [])];
    out.set(s.localPersonId, {
      person: {
        localPersonId: s.localPersonId,
        nationalId: s.nationalId,
        firstName: s.firstName,
        familyName: s.familyName,
        email: s.email,
        birthDate: s.birthDate,
        student: {
          type: 'stud',
          studentNumber: s.studentNumber,
          mainGroupId: s.programme.code,
          groupIds: (s.groups ?? []).map((g) => g.id),
        },
      },
      groups,
    });
  }
  return out;
}

export async function buildDocument(o: BuildOptions): Promise<BuiltDocument> {
  const students = await collectStudents(o.students, o.checkCancelled);
  const writer = await DocumentWriter.open(o.path, 'uploadfull', o.header);
  try {
    const out: BuiltDocument = {
      document: undefined as unknown as WrittenDocument,
      writer,
      present: new Set(),
      kept: new Set(),
      sentPersons: [],
      sentGroups: [],
      seen: 0,
      leftOut: 0,
      unchanged: 0,
    };
    const groups = new Map<string, UniLoginGroup>();
    const addGroups = (list: UniLoginGroup[], by: string) => {
      for (const g of list) {
        const c = checkGroup(g);
        if (!c.ok) continue;
        const known = groups.get(c.record.id);
        if (!known) groups.set(c.record.id, c.record);
        else if (known.name !== c.record.name) {
          o.onIssue({
            key: c.record.id,
            severity: 'warning',
            field: 'GroupId',
            message: `two units share the GroupId (user key) "${c.record.id}" ("${known.name}", "${c.record.name}"); exported as "${known.name}" (seen with ${by})`,
          });
        }
      }
    };
    const one = async (sp: SourcePerson) => {
      o.checkCancelled?.();
      out.seen++;
      out.present.add(sp.person.localPersonId);
      if (o.exclude?.has(sp.person.localPersonId)) {
        out.leftOut++;
        return;
      }
      const checked = checkPerson(sp.person);
      for (const p of checked.problems) {
        o.onIssue({
          ...p,
          key: sp.person.localPersonId,
          message: checked.ok ? p.message : `left out of the upload: ${p.message}`,
        });
      }
      if (!checked.ok) {
        out.leftOut++;
        return;
      }
      out.kept.add(checked.record.localPersonId);
      addGroups(sp.groups, checked.record.localPersonId);
      const xml = personXml(checked.record);
      const fp = fingerprint(xml);
      if (o.mode === 'INCREMENTAL' && o.snapshot?.persons.get(checked.record.localPersonId) === fp) {
        out.unchanged++;
        return;
      }
      await writer.person(xml, checked.record.localPersonId);
      out.sentPersons.push([checked.record.localPersonId, fp]);
    };
    for await (const sp of o.employees) {
      const student = students.get(sp.person.localPersonId);
      if (student) {
        students.delete(sp.person.localPersonId);
        await one({
          person: { ...sp.person, student: student.person.student },
          groups: [...sp.groups, ...student.groups],
        });
      } else {
        await one(sp);
      }
      o.onPerson?.(out.seen);
    }
    for (const key of [...students.keys()].sort()) {
      await one(students.get(key)!);
      o.onPerson?.(out.seen);
    }
    writer.endPersons();
    for (const g of [...groups.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const xml = groupXml(g);
      const fp = fingerprint(xml);
      if (o.mode === 'INCREMENTAL' && o.snapshot?.groups.get(g.id) === fp) continue;
      await writer.group(xml);
      out.sentGroups.push([g.id, fp]);
    }
    out.document = await writer.close();
    return out;
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** The delete document: the LocalPersonIds to delete, in order. */
export async function buildDeleteDocument(
  path: string,
  header: DocumentHeader,
  ids: readonly string[],
): Promise<{ document: WrittenDocument; writer: DocumentWriter }> {
  const writer = await DocumentWriter.open(path, 'uploaddelete', header);
  try {
    for (const id of ids) await writer.person(deletePersonXml(id), id);
    writer.endPersons();
    return { document: await writer.close(), writer };
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Every LocalPersonId the sources give (for DELETE: whoever is still there is not deleted). */
export async function presentIds(
  employees: AsyncIterable<SourcePerson>,
  students: AsyncIterable<UniLoginStudent>,
  checkCancelled?: () => void,
): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const sp of employees) {
    checkCancelled?.();
    ids.add(sp.person.localPersonId);
  }
  for await (const s of students) ids.add(s.localPersonId);
  return ids;
}
