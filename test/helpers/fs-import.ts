import { parseFsImportConfig, type FsImportConfig } from '../../jobs/fs-import/rules/config';
import type {
  CourseRegistrationInput,
  EducationPlanInput,
  EvuInput,
  FsPersonInput,
  FsRulesAddress,
  StudyRightInput,
  Term,
} from '../../jobs/fs-import/rules/model';
import type { CerebrumData, SimAccount, SimGroup, SimPerson } from '../../simulators/data/cerebrum-types';
import { emptyCerebrumData } from '../../simulators/data/cerebrum-types';
import type { Db } from '../../store/db';
import { fakeRun, type FakeRun } from './los-delivery';

/** Builders of the FS import rules' input, and a Cerebrum and a job context to run the import against. */

export const VAAR = (year: number): Term => ({ year, name: 'VÅR' });
export const HOST = (year: number): Term => ({ year, name: 'HØST' });

/** The configuration the rule tests use: small, explicit, every setting given. */
export const TEST_CONFIG: FsImportConfig = parseFsImportConfig({
  approvedStudyRightStatuses: ['AKTIV', 'PERMISJON'],
  quarantine: { type: 'auto_inaktiv', comment: 'Ikke student (test)' },
  autoGroupPrefix: 'stud-',
  sharedHomeArea: { high: '/uio/platon/div-h1', low: '/uio/platon/div-l1', highFromLevel: 300 },
  profiles: [
    { name: 'alle', select: {}, groups: ['stud-alle'], spreads: ['AD_account'] },
    {
      name: 'ifi',
      select: { stedkodes: ['162'] },
      groups: ['stud-ifi', 'ifi-lister'],
      spreads: ['NIS_user@ifi'],
      homeArea: '/uio/platon/ifi-l1',
      emailDomain: 'ifi.uio.no',
    },
    {
      name: 'mn-phd',
      select: { stedkodes: ['16'], levelMin: 351 },
      groups: ['stud-mn-phd'],
      homeArea: '/uio/platon/mn-h1',
      emailDomain: 'mn.uio.no',
    },
    {
      name: 'fil',
      select: { programmes: ['BA-FIL'] },
      groups: ['stud-hf'],
      homeArea: '/uio/platon/hf-l1',
      emailDomain: 'ifikk.uio.no',
    },
    {
      name: 'nor',
      select: { programmes: ['BA-NOR'] },
      groups: ['stud-hf'],
      homeArea: '/uio/platon/hf-l2',
      emailDomain: 'iln.uio.no',
    },
    {
      name: 'ling',
      select: { programmes: ['MA-LING'] },
      groups: ['stud-hf'],
      homeArea: '/uio/platon/hf-h2',
      emailDomain: 'ling.uio.no',
    },
    {
      name: 'nord',
      select: { programmes: ['MA-NORD'] },
      groups: ['stud-hf'],
      homeArea: '/uio/platon/hf-h3',
      emailDomain: 'iln.uio.no',
    },
    {
      name: 'jus',
      select: { stedkodes: ['17'] },
      groups: ['stud-jus'],
      homeArea: '/uio/platon/jus-h1',
      emailDomain: 'jus.uio.no',
    },
    {
      name: 'evu',
      select: { evu: true },
      groups: ['stud-evu'],
      homeArea: '/uio/platon/evu-l1',
      emailDomain: 'evu.uio.no',
    },
  ],
});

export const OSLO: FsRulesAddress = { lines: ['Kringsjåveien 10'], postalCode: '0864', city: 'Oslo', country: 'NO' };
export const BERGEN: FsRulesAddress = { lines: ['Fjellveien 1'], postalCode: '5003', city: 'Bergen', country: null };
export const STOCKHOLM: FsRulesAddress = {
  lines: ['Drottninggatan 1'],
  postalCode: '111 51',
  city: 'Stockholm',
  country: 'SE',
};

/** Programmes of the tests: code → level, stedkode, status_utdplan. */
export const PROGRAMMES: Record<string, { level: number; stedkode: string; plan?: 'J' | 'N' }> = {
  'BA-INF': { level: 280, stedkode: '162000' },
  'MA-INF': { level: 350, stedkode: '162000', plan: 'J' },
  'PHD-MN': { level: 900, stedkode: '160000' },
  'ENKEMNE-MN': { level: 100, stedkode: '160000' },
  'BA-FIL': { level: 280, stedkode: '151000' },
  'BA-NOR': { level: 280, stedkode: '152000' },
  'MA-LING': { level: 350, stedkode: '152000' },
  'MA-NORD': { level: 350, stedkode: '152000' },
  'MA-RETTS': { level: 350, stedkode: '170000' },
};

export function right(code: string, o: Partial<StudyRightInput> = {}): StudyRightInput {
  const p = PROGRAMMES[code] ?? { level: 280, stedkode: '162000' };
  return {
    programmeCode: code,
    status: 'AKTIV',
    validFrom: '2020-08-01',
    validTo: null,
    level: p.level,
    stedkode: p.stedkode,
    ...(p.plan ? { statusUtdplan: p.plan } : {}),
    ...o,
  };
}

export function exam(
  courseCode: string,
  term: Term,
  programmes: string[],
  level: number | null = 200,
  kind: CourseRegistrationInput['kind'] = 'EXAM',
): CourseRegistrationInput {
  return { courseCode, kind, term, level, programmes };
}

export function plan(
  programmeCode: string,
  startTerm: Term | null,
  confirmations: { term: Term; confirmedDate: string }[] = [],
): EducationPlanInput {
  return { programmeCode, startTerm, confirmations };
}

export function evu(courseCode: string, startDate: string, endDate: string, o: Partial<EvuInput> = {}): EvuInput {
  return { courseCode, startDate, endDate, approvedForAccounts: true, stedkode: '330000', ...o };
}

let seq = 0;

/** A person with nothing but a name and numbers; spread `o` to give the rest. */
export function person(o: Partial<FsPersonInput> = {}): FsPersonInput {
  seq++;
  return {
    personNumber: String(700000 + seq),
    nationalId: `0101${String(900000 + seq)
      .slice(-7)
      .padStart(7, '0')}`,
    firstName: 'Test',
    lastName: `Person${seq}`,
    gender: 'K',
    maalform: 'BOKMÅL',
    addresses: { home: BERGEN },
    studyRights: [],
    admissionOffers: [],
    semesterRegistrations: [],
    courseRegistrations: [],
    educationPlans: [],
    evu: [],
    staffPostings: [],
    invoices: [],
    account: null,
    ...o,
  };
}

/** A rule-1 student of BA-INF in `term`: admission, STUDWEB registration, exam IN2010. */
export function rule1Student(term: Term, o: Partial<FsPersonInput> = {}): FsPersonInput {
  return person({
    studyRights: [right('BA-INF')],
    semesterRegistrations: [{ term, regformCode: 'STUDWEB' }],
    courseRegistrations: [exam('IN2010', term, ['BA-INF', 'ENKEMNE-MN'])],
    ...o,
  });
}

// ---- Cerebrum ------------------------------------------------------------------------------------

export interface SimAccountSpec {
  name: string;
  /** STUDENT affiliation on the owner (what makes a student user). Default true. */
  student?: boolean;
  /** Start date of an auto_inaktiv quarantine already set. */
  quarantinedSince?: string;
  /** NO_FSNO external id (personlopenummer) and NO_BIRTHNO of the owner. */
  personNumber?: string | null;
  nationalId?: string | null;
}

/** A Cerebrum data set: one person per account, the accounts, and the groups (members by account name). */
export function cerebrumData(accounts: SimAccountSpec[], groups: Record<string, string[]>): CerebrumData {
  const data = emptyCerebrumData();
  data.ous.set(5000, {
    id: 5000,
    stedkode: '162000',
    parent_id: null,
    contexts: [],
    names: [{ variant: 'OU name', name: 'IFI', language: 'nb' }],
    contact: [],
  });
  accounts.forEach((a, i) => {
    const pid = 100000 + i;
    const p: SimPerson = {
      id: pid,
      birth_date: '2000-01-01',
      created_at: '2020-01-01T00:00:00',
      names: [
        { source_system: 'Cached', variant: 'FIRST', name: 'Sim' },
        { source_system: 'Cached', variant: 'LAST', name: a.name },
      ],
      contexts: [],
      contacts: [],
      addresses: [],
      affiliations:
        a.student === false
          ? [
              {
                affiliation: 'ANSATT',
                status: 'tekadm',
                ou_id: 5000,
                create_date: '2020-01-01T00:00:00',
                last_date: null,
                deleted_date: null,
                source_system: 'SAP',
              },
            ]
          : [
              {
                affiliation: 'STUDENT',
                status: 'aktiv',
                ou_id: 5000,
                create_date: '2020-01-01T00:00:00',
                last_date: null,
                deleted_date: null,
                source_system: 'FS',
              },
            ],
      external_ids: [
        ...(a.personNumber ? [{ external_id: a.personNumber, id_type: 'NO_FSNO', source_system: 'FS' }] : []),
        ...(a.nationalId ? [{ external_id: a.nationalId, id_type: 'NO_BIRTHNO', source_system: 'FS' }] : []),
      ],
      account_names: [a.name],
      primary_account: a.name,
    };
    data.persons.set(pid, p);
    const acc: SimAccount = {
      id: 200000 + i,
      name: a.name,
      owner_id: pid,
      owner_type: 'person',
      created_at: '2020-01-01T00:00:00',
      expire_date: null,
      contexts: ['AD_account'],
      primary_email: `${a.name}@uio.no`,
      np_type: null,
      quarantines: a.quarantinedSince
        ? [{ type: 'auto_inaktiv', comment: null, start: a.quarantinedSince, end: null, disable_until: null }]
        : [],
    };
    data.accounts.set(a.name, acc);
  });
  Object.entries(groups).forEach(([name, members], i) => {
    const g: SimGroup = {
      id: 300000 + i,
      name,
      visibility: 'all',
      description: null,
      created_at: '2020-01-01T00:00:00',
      expire_date: null,
      contexts: [],
      members: members.map((m) => {
        const acc = data.accounts.get(m);
        if (!acc) throw new Error(`cerebrumData: group ${name} names unknown account ${m}`);
        return acc.id;
      }),
    };
    data.groups.set(name, g);
  });
  return data;
}

/** Members of a group, by account name, sorted. */
export function groupMembers(data: CerebrumData, group: string): string[] {
  const g = data.groups.get(group);
  if (!g) return [];
  const byId = new Map([...data.accounts.values()].map((a) => [a.id, a.name]));
  return g.members.map((id) => byId.get(id) ?? `#${id}`).sort();
}

/** "METHOD path" entries of the simulator's counters that are writes. */
export function writesIn(byPath: Map<string, number>): Record<string, number> {
  return Object.fromEntries(
    [...byPath].filter(([k]) => k.startsWith('PUT ') || k.startsWith('DELETE ') || k.startsWith('POST ')),
  );
}

// ---- a job context -------------------------------------------------------------------------------

export type FakeFsRun = FakeRun;

/** A SyncRunContext of kind FS_IMPORT without BullMQ (test/helpers/los-delivery.ts's fakeRun, for FS). */
export function fakeFsRun(
  store: Db,
  env: Record<string, string> = {},
  o: { dryRun?: boolean; params?: Record<string, unknown> } = {},
): FakeFsRun {
  return fakeRun(store, env, { ...o, kind: 'FS_IMPORT' });
}
