/**
 * FS's per-request reader: the read interfaces of ../source-module.ts over one request's FsSource (its
 * DataLoaders batch every look-up of a tick into one FS operation).
 */
import type { Person } from '../../schema/person.type';
import type { OrganisationUnit } from '../../schema/organisation-unit.type';
import type { Contact, ExternalId } from '../../schema/contact.type';
import type { StudyRight } from '../../schema/study-right.type';
import type { Connection } from '../../schema/connections';
import { pageOf } from '../../schema/connections';
import { cursorCodec } from '../../core/cursor';
import { parseGlobalId } from '../../core/ids';
import type { PersonListQuery, SourceReader } from '../source-module';
import type { FsSource } from './source';
import { mapFsContacts, mapFsExternalIds, mapFsPerson, mapFsStudyRight, mapFsUnit } from './mapping';

/** Our cursor for an FS cursor (core/cursor.ts): tells a cursor of another listing apart (bad input) before FS sees it. */
const FS_CURSOR = cursorCodec('fs_person', {
  is: (v): v is string => typeof v === 'string',
  invalid: () => '"after" is not a cursor of persons(filter: {source: FS})',
});
const wrapFsCursor = (c: string) => FS_CURSOR.encode(c);
function unwrapFsCursor(c: string | null | undefined): string | null {
  if (c == null) return null;
  return FS_CURSOR.decode(c);
}

export class FsRequestReader implements SourceReader {
  constructor(readonly fs: FsSource) {}

  get ownStats(): { requests: number; retries: number } {
    return this.fs.stats;
  }

  async node(type: string, nativeId: string): Promise<Person | OrganisationUnit | null> {
    return type === 'ou' ? this.unit(type, nativeId) : this.person(nativeId);
  }

  async person(nativeId: string): Promise<Person | null> {
    const p = await this.fs.person(nativeId);
    return p ? mapFsPerson(p) : null;
  }

  async unit(_type: string, stedkode: string): Promise<OrganisationUnit | null> {
    const unit = await this.fs.unit(stedkode);
    return unit ? mapFsUnit(unit) : null;
  }

  /** FS keys persons by the 11-digit fødselsnummer. */
  async personByNationalId(nationalId: string): Promise<Person | null> {
    const p = await this.fs.personByNationalId(nationalId);
    return p ? mapFsPerson(p) : null;
  }

  async personsByNationalId(nationalId: string): Promise<Person[]> {
    const p = await this.fs.personByNationalId(nationalId);
    return p ? [mapFsPerson(p)] : [];
  }

  contacts(p: Person): Promise<Contact[]> {
    return Promise.resolve(p.fsProfile ? mapFsContacts(p.fsProfile) : []);
  }

  async externalIds(p: Person): Promise<ExternalId[]> {
    if (!p.fsProfile) return [];
    // The student numbers come with the study rights (one batched FS call, shared with studyRights).
    const rights = await this.fs.studyRightsOf(p.nativeId);
    return mapFsExternalIds(
      p.fsProfile,
      rights.flatMap((r) => (r.studentNumber ? [r.studentNumber] : [])),
    );
  }

  async studyRights(p: Person): Promise<StudyRight[]> {
    return (await this.fs.studyRightsOf(p.nativeId)).map(mapFsStudyRight);
  }

  async studyRightsByNationalId(nationalId: string): Promise<StudyRight[]> {
    const p = await this.fs.personByNationalId(nationalId);
    return p ? (await this.fs.studyRightsOf(p.personNumber)).map(mapFsStudyRight) : [];
  }

  /**
   * persons(filter: {source: FS …}): one FS page per call (`personProfiler`, by person number), FS's own
   * cursors wrapped in ours. `organisationUnit`: an FS unit `fs:ou:<stedkode>` or a unit of another source
   * that has a stedkode (a Cerebrum unit); the persons with a study right in a programme of, teaching at, or
   * employed at exactly that stedkode (not its sub-units). `name`: case-insensitive substring of the full
   * name. `at` is not a filter here.
   */
  async listPersons(q: PersonListQuery): Promise<Connection<Person>> {
    const { filter, first, after } = q;
    let stedkode: string | undefined;
    if (filter?.organisationUnit != null) {
      const parsed = parseGlobalId(filter.organisationUnit);
      if (parsed.source === 'fs') {
        stedkode = parsed.nativeId; // checkPersonFilter made sure it is "fs:ou:<6 digits>"
      } else {
        // Another source's unit (checkPersonFilter: one whose units have a stedkode).
        const other = q.sources.get(parsed.source);
        const code = other?.stedkode ? await other.stedkode(parsed.type, parsed.nativeId) : null;
        if (!code) return pageOf([], first, after);
        stedkode = code;
      }
    }
    const page = await this.fs.searchPersons(
      { name: filter?.name ?? undefined, stedkode },
      first,
      unwrapFsCursor(after),
    );
    return {
      edges: page.items.map((p, i) => ({ cursor: wrapFsCursor(page.cursors[i] ?? ''), node: mapFsPerson(p) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ? wrapFsCursor(page.endCursor) : null },
      totalCount: page.totalCount,
    };
  }
}
