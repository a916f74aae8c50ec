/**
 * The hook for students (`Student`, type `stud`) in the UNI-Login export. Students come from FS (their study
 * rights), which is built separately: this interface is what the export needs of it, and the default gives no
 * students. To plug FS in, return its implementation from `studentSourceFor` when `config.fs` is set.
 *
 * Identity: a student whose `localPersonId` equals an exported employee's (the LOS person uuid, keyed from the CPR
 * — see core/keyed-ids.ts `KeyedIds.person`) becomes ONE InstitutionPerson with both roles; the employee's
 * person data win. So an FS implementation that knows a Danish CPR should use the LOS person's id as the id;
 * otherwise any stable id that is never the national id itself (e.g. `fs:<personlopenummer>`).
 */
import type { Config } from '../../core/config';
import { FsClient } from '../../datasources/fs/client';
import { FsSource } from '../../datasources/fs/source';
import type { FsStudyRight } from '../../datasources/fs/types';

export interface UniLoginStudent {
  /** Stable for the same person, never a national id (the export refuses one shaped like a CPR). */
  localPersonId: string;
  /** Sent as CivilRegistrationNumber only if it is a valid Danish CPR; otherwise left out. */
  nationalId?: string | null;
  firstName: string;
  familyName: string;
  email?: string | null;
  birthDate?: string | null;
  /** The student number in the administrative system (StudentNumber). */
  studentNumber?: string | null;
  /** The programme of the study right: MainGroupId = its code; it becomes a Group named `name`. */
  programme: { code: string; name: string };
  /** Further groups (other study rights, classes), each declared as a Group too. */
  groups?: { id: string; name: string }[];
}

export interface UniLoginStudentSource {
  /** For messages, e.g. "FS". */
  readonly name: string;
  /** Every student with a study right, in any order. Asked once per export (a second time when it rebuilds). */
  students(signal: AbortSignal): AsyncIterable<UniLoginStudent>;
}

/** The default: no students. */
export const NO_STUDENTS: UniLoginStudentSource = {
  name: 'none',
  async *students() {
    // Nothing: FS is not connected to the export in this build.
  },
};

/**
 * Students from FS: every person with an active study right (FS's `aktivStatus: AKTIV`), one Student per person;
 * the first study right (by programme code) gives MainGroupId, the others become GroupIds. Profiles are read in
 * batches through FsSource's loader (one FS call per batch, not per student). LocalPersonId is `fs:<personlopenummer>`
 * — stable, and never the national id; a Norwegian fødselsnummer is no Danish CPR, so the export leaves it out.
 */
export function fsStudents(source: FsSource): UniLoginStudentSource {
  return {
    name: 'FS',
    async *students(signal: AbortSignal) {
      const byPerson = new Map<string, FsStudyRight[]>();
      for await (const right of source.studyRights({ active: true })) {
        if (signal.aborted) return;
        const list = byPerson.get(right.personNumber) ?? [];
        list.push(right);
        byPerson.set(right.personNumber, list);
      }
      const ids = [...byPerson.keys()];
      for (let i = 0; i < ids.length; i += 200) {
        const part = ids.slice(i, i + 200);
        const profiles = await Promise.all(part.map((id) => source.person(id)));
        for (const [j, profile] of profiles.entries()) {
          if (!profile?.firstName || !profile.lastName) continue;
          const rights = byPerson.get(part[j] ?? '')?.sort((a, b) => a.programme.code.localeCompare(b.programme.code));
          const main = rights?.[0]; // every person asked for has at least one right (byPerson's lists)
          if (!rights || !main) continue;
          const nameOf = (r: FsStudyRight) => r.programme.name.nb ?? r.programme.name.en ?? r.programme.code;
          yield {
            localPersonId: `fs:${profile.personNumber}`,
            nationalId: profile.nationalId,
            firstName: profile.firstName,
            familyName: profile.lastName,
            email: profile.institutionEmail ?? profile.privateEmail,
            birthDate: profile.birthDate,
            studentNumber: main.studentNumber,
            programme: { code: main.programme.code, name: nameOf(main) },
            groups: rights.slice(1).map((r) => ({ id: r.programme.code, name: nameOf(r) })),
          };
        }
      }
    },
  };
}

/** The student source for this configuration: FS's students when FS is enabled (FS_URL), else none. */
export function studentSourceFor(config: Config): UniLoginStudentSource {
  if (!config.fs) return NO_STUDENTS;
  const client = new FsClient({ url: config.fs.url, username: config.fs.username, password: config.fs.password });
  return fsStudents(new FsSource(client));
}
