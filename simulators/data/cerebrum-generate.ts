/**
 * generateCerebrumData(): a deterministic synthetic installation of any size, for benchmarks.
 *
 * Shape of the output (same records as sampleUniversity, see cerebrum-types.ts):
 * - OUs: a root (900000), faculties (FF0000) and institutes (FFII00) under them; by default
 *   max(10, N/25) OUs, so many persons share an OU (what makes per-request de-duplication pay off).
 * - Persons: 1–3 affiliations each at random non-root OUs (about 1 row in 20 deleted), contacts,
 *   fødselsnummer and employee/student numbers; `accountsPerPerson` accounts, the first one primary.
 * - Groups: one per faculty with the primary accounts of its employees, plus 'alle-ansatte' nesting them.
 * Entity id ranges: OUs 10 000+, persons 1 000 000+, accounts 2 000 000+, groups 3 000 000+.
 */
import {
  affiliationOf,
  asciiFold,
  makeFnr,
  type CerebrumData,
  type SimAccount,
  type SimAffiliation,
  type SimGroup,
  type SimOu,
  type SimPerson,
} from './cerebrum-types';
import { itemAt, prng } from './prng';

export interface GenerateOptions {
  /** Number of persons (10..10 000 is the intended range). */
  persons: number;
  /** Number of OUs including root and faculties. Default max(10, round(persons / 25)). */
  ous?: number;
  /** Accounts per person. Default 2. */
  accountsPerPerson?: number;
  /** PRNG seed: same seed and options give identical data. Default 1. */
  seed?: number;
}

const FIRST = [
  'Åse',
  'Bjørn',
  'Kari',
  'Ola',
  'Ingrid',
  'Håkon',
  'Solveig',
  'Per',
  'Marit',
  'Sigurd',
  'Liv',
  'Eirik',
  'Astrid',
  'Nils',
  'Tone',
  'Jørgen',
  'Ragnhild',
  'Øystein',
  'Siri',
  'Magnus',
  'Hanne',
  'Arild',
  'Gunnhild',
  'Emil',
  'Sondre',
  'Ylva',
  'Trond',
  'Kjersti',
  'Knut',
  'Mari',
  'Stian',
  'Ærlig',
  'Dagny',
  'Halvor',
  'Sunniva',
  'Vegard',
];
const LAST = [
  'Ødegård',
  'Æsøy',
  'Nordmann',
  'Sæther',
  'Brænne',
  'Løvås',
  'Ås',
  'Kåsa',
  'Hårstad',
  'Bråten',
  'Strøm',
  'Bø',
  'Gjærde',
  'Fjørtoft',
  'Vågå',
  'Kjærnes',
  'Dæhlie',
  'Hølaas',
  'Skår',
  'Sætre',
  'Lærum',
  'Haugen',
  'Berg',
  'Dahl',
  'Lie',
  'Moen',
  'Solberg',
  'Bakke',
  'Rønning',
  'Aasen',
  'Grønli',
  'Myhre',
];
const FACULTY_WORDS = [
  'humanistiske',
  'juridiske',
  'medisinske',
  'odontologiske',
  'samfunnsvitenskapelige',
  'teologiske',
  'utdanningsvitenskapelige',
  'matematisk-naturvitenskapelige',
];
const FIELDS = [
  'informatikk',
  'kjemi',
  'fysikk',
  'geofag',
  'biovitenskap',
  'filosofi',
  'lingvistikk',
  'historie',
  'statsvitenskap',
  'økonomi',
  'psykologi',
  'sosiologi',
  'arkeologi',
  'musikkvitenskap',
  'medievitenskap',
  'farmasi',
];

const pad2 = (n: number): string => String(n).padStart(2, '0');

function makeOus(count: number): { ous: SimOu[]; facultyOf: Map<number, number> } {
  const facultyCount = Math.min(89, Math.max(2, Math.ceil((count - 1) / 10)));
  const instituteCount = Math.max(0, count - 1 - facultyCount);
  if (instituteCount > facultyCount * 99) throw new Error(`generateCerebrumData: at most ${1 + 89 * 100} OUs`);
  const ous: SimOu[] = [
    {
      id: 10000,
      stedkode: '900000',
      parent_id: null,
      contexts: ['LDAP_OU'],
      contact: [],
      names: [
        { variant: 'OU name', name: 'Universitetet i Simulering', language: 'nb' },
        { variant: 'OU acronym', name: 'UiS', language: 'nb' },
        { variant: 'OU name', name: 'University of Simulation', language: 'en' },
      ],
    },
  ];
  const facultyOf = new Map<number, number>();
  for (let f = 0; f < facultyCount; f++) {
    const id = 10001 + f;
    const word = FACULTY_WORDS[f % FACULTY_WORDS.length];
    const suffix = f < FACULTY_WORDS.length ? '' : ` ${Math.floor(f / FACULTY_WORDS.length) + 1}`;
    ous.push({
      id,
      stedkode: `${10 + f}0000`,
      parent_id: 10000,
      contexts: ['LDAP_OU'],
      names: [
        { variant: 'OU name', name: `Det ${word} fakultet${suffix}`, language: 'nb' },
        { variant: 'OU acronym', name: `F${10 + f}`, language: 'nb' },
      ],
      contact: [
        {
          type: 'PHONE',
          value: `2285${pad2(f)}00`,
          preference: 1,
          source_system: 'DFO_SAP',
          alias: null,
          description: null,
        },
      ],
    });
    facultyOf.set(id, id);
  }
  for (let i = 0; i < instituteCount; i++) {
    const f = i % facultyCount;
    const inst = Math.floor(i / facultyCount) + 1;
    const id = 10001 + facultyCount + i;
    const field = itemAt(FIELDS, i % FIELDS.length);
    ous.push({
      id,
      stedkode: `${10 + f}${pad2(inst)}00`,
      parent_id: 10001 + f,
      contexts: ['LDAP_OU'],
      contact: [],
      names: [
        { variant: 'OU name', name: `Institutt for ${field} ${10 + f}-${inst}`, language: 'nb' },
        { variant: 'OU name', name: `Department of ${asciiFold(field)} ${10 + f}-${inst}`, language: 'en' },
      ],
    });
    facultyOf.set(id, 10001 + f);
  }
  return { ous, facultyOf };
}

/** Deterministic synthetic data; see the comment at the top of this file. */
export function generateCerebrumData(opts: GenerateOptions): CerebrumData {
  const n = Math.max(0, Math.floor(opts.persons));
  const rnd = prng(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => itemAt(xs, Math.floor(rnd() * xs.length));
  const perPerson = opts.accountsPerPerson ?? 2;
  const { ous, facultyOf } = makeOus(Math.max(2, opts.ous ?? Math.max(10, Math.round(n / 25))));
  const units = ous.length > 1 ? ous.slice(1) : ous;

  const persons: SimPerson[] = [];
  const accounts: SimAccount[] = [];
  const usedNames = new Set<string>();
  const employeesByFaculty = new Map<number, number[]>();
  let accountId = 2_000_000;

  for (let i = 0; i < n; i++) {
    const id = 1_000_000 + i;
    const first = pick(FIRST);
    const last = pick(LAST);
    const year = 1945 + Math.floor(rnd() * 60);
    const birth = `${year}-${pad2(1 + Math.floor(rnd() * 12))}-${pad2(1 + Math.floor(rnd() * 28))}`;
    const affiliations: SimAffiliation[] = [];
    const affCount = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < affCount; k++) {
      const r = rnd();
      const [status, source] =
        r < 0.3
          ? ['ANSATT/vitenskapelig', 'DFO_SAP']
          : r < 0.5
            ? ['ANSATT/tekadm', 'DFO_SAP']
            : r < 0.9
              ? ['STUDENT/aktiv', 'FS']
              : [pick(['TILKNYTTET/emeritus', 'TILKNYTTET/gjest']), 'Manual'];
      const deleted = rnd() < 0.05;
      affiliations.push({
        affiliation: affiliationOf(status),
        status,
        ou_id: pick(units).id,
        source_system: source,
        create_date: `${2000 + Math.floor(rnd() * 24)}-08-01`,
        last_date: deleted ? '2020-06-30' : '2025-01-06',
        deleted_date: deleted ? '2020-07-15' : null,
      });
    }
    const isEmployee = affiliations.some((a) => a.affiliation === 'ANSATT');
    const isStudent = affiliations.some((a) => a.affiliation === 'STUDENT');
    const src = isEmployee ? 'DFO_SAP' : isStudent ? 'FS' : 'Manual';
    const external_ids = [{ external_id: makeFnr(birth, i), id_type: 'NO_BIRTHNO', source_system: src }];
    if (isEmployee)
      external_ids.push({ external_id: String(200000 + i), id_type: 'NO_SAPNO', source_system: 'DFO_SAP' });
    if (isStudent) external_ids.push({ external_id: String(600000 + i), id_type: 'NO_STUDNO', source_system: 'FS' });
    const phone = {
      type: 'PHONE',
      value: `+4722${String(100000 + i).slice(-6)}`,
      preference: 1,
      source_system: src,
      alias: null,
      description: null,
      last_modified: '2024-01-15T08:30:00',
    };
    const contacts = [phone];
    if (rnd() < 0.5)
      contacts.push({ ...phone, type: 'MOBILE', value: `+479${String(1000000 + i).slice(-7)}`, preference: 2 });

    const base = asciiFold(first).slice(0, 5) + asciiFold(last).slice(0, 2) || 'user';
    const account_names: string[] = [];
    for (let k = 0; k < perPerson; k++) {
      let name = k === 0 ? base : `${base}-${k + 1}`;
      for (let s = 2; usedNames.has(name); s++) name = `${base}${s}${k === 0 ? '' : `-${k + 1}`}`;
      usedNames.add(name);
      account_names.push(name);
      accounts.push({
        id: accountId++,
        name,
        owner_id: id,
        owner_type: 'person',
        created_at: `${birth.slice(0, 4) > '1999' ? 2020 : 2010}-01-01T00:00:00`,
        expire_date: null,
        contexts: k === 0 ? ['AD_account', 'exchange_acc@uio'] : ['AD_account'],
        primary_email: k === 0 ? `${name}@uis.example.no` : null,
        np_type: null,
        quarantines: [],
      });
    }
    if (isEmployee && account_names.length > 0) {
      const fac = facultyOf.get(affiliations.find((a) => a.affiliation === 'ANSATT')!.ou_id);
      if (fac !== undefined) {
        const list = employeesByFaculty.get(fac) ?? [];
        list.push(itemAt(accounts, accounts.length - account_names.length).id);
        employeesByFaculty.set(fac, list);
      }
    }
    persons.push({
      id,
      birth_date: birth,
      created_at: `20${pad2(5 + (i % 19))}-03-0${1 + (i % 9)}T12:00:00`,
      names: [
        { source_system: 'Cached', variant: 'FIRST', name: first },
        { source_system: src, variant: 'FIRST', name: first },
        { source_system: 'Cached', variant: 'FULL', name: `${first} ${last}` },
        { source_system: 'Cached', variant: 'LAST', name: last },
        { source_system: src, variant: 'LAST', name: last },
      ],
      contexts: ['LDAP_person'],
      affiliations,
      contacts,
      external_ids,
      addresses: [],
      account_names,
      primary_account: account_names[0] ?? null,
    });
  }

  const groups: SimGroup[] = [];
  let groupId = 3_000_000;
  for (const ou of ous) {
    if (facultyOf.get(ou.id) !== ou.id) continue;
    groups.push({
      id: groupId++,
      name: `fak-${ou.stedkode.slice(0, 2)}-ansatte`,
      visibility: 'all',
      description: `Ansatte ved ${itemAt(ou.names, 0).name}`,
      members: employeesByFaculty.get(ou.id) ?? [],
      created_at: '2015-01-01T00:00:00',
      expire_date: null,
      contexts: ['AD_group'],
    });
  }
  groups.push({
    id: groupId++,
    name: 'alle-ansatte',
    visibility: 'all',
    description: 'Alle ansatte',
    members: groups.map((g) => g.id),
    created_at: '2015-01-01T00:00:00',
    expire_date: null,
    contexts: [],
  });

  return {
    ous: new Map(ous.map((o) => [o.id, o])),
    persons: new Map(persons.map((p) => [p.id, p])),
    accounts: new Map(accounts.map((a) => [a.name, a])),
    groups: new Map(groups.map((g) => [g.name, g])),
  };
}
