/**
 * sampleUniversity(): a small, fixed Norwegian university for tests and the `npm start` demo.
 * Every call returns a fresh deep copy, so a test may mutate it freely.
 *
 * Special ids other tests rely on (also exported as SAMPLE):
 * - 85073 'Tor Test' (spec and seed 002): account 'torte' = entity 839022, primary_email
 *   torte@usit.uio.no, contexts ['AD_account']; ANSATT/tekadm at OU 2926742 (stedkode 331000).
 * - OU 567 = stedkode 330000 USIT with the seed's names and contacts; 9999999 is a missing OU id:
 *   person 101008 'Per Ås' has a TILKNYTTET/gjest affiliation there (GET /v1/ous/9999999 → 404).
 * - 101005 'Ingrid Sæther' has a deleted ANSATT affiliation (only with ?include_deleted=true).
 * - 101009 'Marit Kåsa' owns only the expired account 'maritka' (entity 840010) and has no primary account.
 * - 101022 'Arild Sætre' has no accounts at all. 101025 'Chiara Rossi' has no birth date and only a passport.
 * - 101023 'Gunnhild Gammelsæter' is the legacy person (seed-002 shapes for external ids and accounts).
 * - 101002 'Bjørn Æsøy' has ANSATT at 152000 from both SAP and DFO_SAP, so
 *   /v1/search/persons/affiliations?affiliation=ANSATT&location=152000 lists him twice.
 * - OU 1540 (154000) has only an 'OU short' name; OU 1640 (164000) has only nn and en names.
 * - Account 'drift-robot' is owned by group 'usit-ansatte' (np_type 'programvare');
 *   'sigurdh-drift' has an active quarantine; groups nest ('alle-it' contains 'usit-ansatte').
 */
import {
  affiliationOf,
  asciiFold,
  makeFnr,
  type CerebrumData,
  type SimAccount,
  type SimAddress,
  type SimContact,
  type SimGroup,
  type SimOu,
  type SimOuName,
  type SimPerson,
} from './cerebrum-types';

export * from './cerebrum-types';
export { generateCerebrumData, type GenerateOptions } from './cerebrum-generate';

const MISSING_OU_ID = 9999999;

/** Ids and names other tests rely on; see the comment at the top of this file. */
export const SAMPLE = {
  torTest: 85073,
  torTestAccount: 'torte',
  torTestAccountId: 839022,
  usitOuId: 567,
  usitStedkode: '330000',
  torTestOuId: 2926742,
  humanitiesOuId: 1500,
  humanitiesStedkode: '150000',
  shortNameOnlyOuId: 1540,
  nnEnOnlyOuId: 1640,
  missingOuId: MISSING_OU_ID,
  personWithMissingOu: 101008,
  personWithDeletedAffiliation: 101005,
  personWithoutPrimary: 101009,
  personWithoutAccounts: 101022,
  personWithoutBirthDate: 101025,
  personWithTwoAccounts: 101002,
  duplicateAffiliationPerson: 101002,
  duplicateAffiliationStedkode: '152000',
  legacyPerson: 101023,
  legacyPersonAccount: 'gunnhga',
  expiredAccount: 'maritka',
  expiredAccountId: 840010,
  quarantinedAccount: 'sigurdh-drift',
  groupOwnedAccount: 'drift-robot',
  group: 'usit-ansatte',
  nestedGroup: 'alle-it',
} as const;

// ---- OUs -------------------------------------------------------------------------------------------

type NameRow = [variant: string, name: string, language: string];

function ou(id: number, stedkode: string, parent: number | null, names: NameRow[], contact: SimContact[] = []): SimOu {
  const ouNames: SimOuName[] = names.map(([variant, name, language]) => ({ variant, name, language }));
  return {
    id,
    stedkode,
    names: ouNames,
    contact: contact.map((c) => ({ ...c })),
    contexts: ['LDAP_OU'],
    parent_id: parent,
  };
}

/** Typical names: nb name + acronym, en name (+ acronym). */
function nbEn(nb: string, en: string, acronym: string): NameRow[] {
  return [
    ['OU acronym', acronym, 'nb'],
    ['OU name', nb, 'nb'],
    ['OU name', en, 'en'],
    ['OU acronym', acronym, 'en'],
  ];
}

function contact(
  type: string,
  value: string,
  preference: number,
  source_system = 'DFO_SAP',
  alias: string | null = null,
): SimContact {
  return { type, value, preference, source_system, alias, description: null, last_modified: '2024-01-15T08:30:00' };
}

/** OU contacts carry no last_modified (the OU model has none). */
function ouPhone(phone: string): SimContact[] {
  return [{ ...contact('PHONE', phone, 1, 'SAP'), last_modified: null }];
}

function sampleOus(): SimOu[] {
  // Seed 002's USIT example, names in its (unsorted) order: consumers must sort, not trust the order.
  const usitNames: NameRow[] = [
    ['OU acronym', 'USIT', 'nb'],
    ['OU display', 'Universitetets senter for informasjonsteknologi', 'nb'],
    ['OU name', 'Universitetets senter for informasjonsteknologi', 'nb'],
    ['OU short', 'USIT', 'nb'],
    ['OU acronym', 'USIT', 'en'],
    ['OU short', 'USIT', 'en'],
    ['OU name', 'Centre for Information Technology Services', 'en'],
    ['OU display', 'Centre for Information Technology Services', 'en'],
  ];
  const usitContact: SimContact[] = [
    { ...contact('EMAIL', 'postmottak@usit.uio.no', 0, 'SAP'), last_modified: null },
    { ...contact('FAX', '22852730', 0, 'SAP'), last_modified: null },
    { ...contact('URL', 'http://www.usit.uio.no/', 0, 'SAP'), last_modified: null },
    { ...contact('PHONE', '22852470', 1, 'SAP'), last_modified: null },
  ];
  return [
    ou(100, '900000', null, nbEn('Universitetet i Oslo', 'University of Oslo', 'UiO'), ouPhone('22855050')),
    ou(567, '330000', 100, usitNames, usitContact),
    ou(
      2926742,
      '331000',
      567,
      [
        ['OU name', 'Avdeling for forskningsdrift', 'nb'],
        ['OU long', 'USIT, Avdeling for forskningsdrift', 'nb'],
        ['OU acronym', 'AFF', 'nb'],
        ['OU name', 'Division for Research Computing', 'en'],
      ],
      ouPhone('22840000'),
    ),
    ou(1500, '150000', 100, nbEn('Det humanistiske fakultet', 'The Faculty of Humanities', 'HF'), ouPhone('22856710')),
    ou(
      1510,
      '151000',
      1500,
      nbEn(
        'Institutt for filosofi, ide- og kunsthistorie og klassiske språk',
        'Department of Philosophy, Classics, History of Art and Ideas',
        'IFIKK',
      ),
    ),
    ou(1520, '152000', 1500, [
      ...nbEn(
        'Institutt for lingvistiske og nordiske studier',
        'Department of Linguistics and Scandinavian Studies',
        'ILN',
      ),
      ['OU display', 'Lingvistikk og nordistikk', 'nb'],
    ]),
    ou(1540, '154000', 1500, [['OU short', 'IMV', 'nb']]),
    ou(
      1600,
      '160000',
      100,
      nbEn('Det matematisk-naturvitenskapelige fakultet', 'The Faculty of Mathematics and Natural Sciences', 'MN'),
      ouPhone('22856600'),
    ),
    ou(1620, '162000', 1600, nbEn('Institutt for informatikk', 'Department of Informatics', 'IFI'), [
      { ...contact('URL', 'https://www.mn.uio.no/ifi/', 1, 'SAP'), last_modified: null },
    ]),
    ou(1640, '164000', 1600, [
      ['OU name', 'Institutt for biovitskap', 'nn'],
      ['OU acronym', 'IBV', 'nn'],
      ['OU name', 'Department of Biosciences', 'en'],
      ['OU acronym', 'IBV', 'en'],
    ]),
    ou(1700, '170000', 100, nbEn('Det juridiske fakultet', 'Faculty of Law', 'JUS')),
    ou(1710, '171000', 1700, nbEn('Institutt for offentlig rett', 'Department of Public and International Law', 'IOR')),
  ];
}

// ---- persons ---------------------------------------------------------------------------------------

type AffRow = [
  status: string,
  ouId: number,
  source: string,
  opts?: { create?: string; last?: string | null; deleted?: string },
];

interface PersonSpec {
  id: number;
  first: string;
  last: string;
  birth: string | null;
  src: 'SAP' | 'DFO_SAP' | 'FS' | 'Manual';
  affs: AffRow[];
  accounts?: string[];
  primary?: string | null;
  extra?: Partial<SimPerson>;
}

function addr(type: string, text: string, postal: string, city: string, source = 'DFO_SAP'): SimAddress {
  return {
    source_system: source,
    address_type: type,
    address_text: text,
    p_o_box: null,
    postal_number: postal,
    city,
    country: 'NO',
  };
}

function person(s: PersonSpec): SimPerson {
  const seq = s.id % 400;
  const names = [
    { source_system: 'Cached', variant: 'FIRST', name: s.first },
    { source_system: s.src, variant: 'FIRST', name: s.first },
    { source_system: 'Cached', variant: 'FULL', name: `${s.first} ${s.last}` },
    { source_system: 'Cached', variant: 'LAST', name: s.last },
    { source_system: s.src, variant: 'LAST', name: s.last },
  ];
  const external_ids =
    s.birth === null ? [] : [{ external_id: makeFnr(s.birth, seq), id_type: 'NO_BIRTHNO', source_system: s.src }];
  if (s.src === 'SAP' || s.src === 'DFO_SAP') {
    external_ids.push({ external_id: String(100000 + (s.id % 100000)), id_type: 'NO_SAPNO', source_system: s.src });
  }
  if (s.src === 'DFO_SAP')
    external_ids.push({ external_id: String(10000000 + s.id), id_type: 'DFO_PID', source_system: 'DFO_SAP' });
  if (s.src === 'FS') {
    external_ids.push({ external_id: String(500000 + (s.id % 100000)), id_type: 'NO_STUDNO', source_system: 'FS' });
    external_ids.push({ external_id: String((s.id * 7) % 1000000), id_type: 'NO_FSNO', source_system: 'FS' });
  }
  const accounts = s.accounts ?? [];
  return {
    id: s.id,
    birth_date: s.birth,
    created_at: `20${String(5 + (s.id % 15)).padStart(2, '0')}-0${1 + (s.id % 9)}-1${s.id % 10}T1${s.id % 10}:2${s.id % 6}:0${s.id % 10}`,
    names,
    contexts: ['LDAP_person', 'UA@uio'],
    affiliations: s.affs.map(([status, ouId, source, o]) => ({
      affiliation: affiliationOf(status),
      status,
      ou_id: ouId,
      source_system: source,
      create_date: o?.create ?? '2019-08-01',
      last_date: o?.last === undefined ? '2025-01-06' : o.last,
      deleted_date: o?.deleted ?? null,
    })),
    contacts: s.src === 'FS' ? [] : [contact('PHONE', `+47228${String(s.id % 100000).padStart(5, '0')}`, 1, s.src)],
    external_ids,
    addresses:
      s.src === 'FS'
        ? [addr('PRIVPOST', `${s.last}veien ${(s.id % 40) + 1}`, '0' + (350 + (s.id % 300)), 'Oslo', 'FS')]
        : [],
    account_names: accounts,
    primary_account: s.primary === undefined ? (accounts[0] ?? null) : s.primary,
    ...s.extra,
  };
}

function samplePersons(): SimPerson[] {
  const tor = person({
    id: 85073,
    first: 'Tor',
    last: 'Test',
    birth: '1970-01-01',
    src: 'SAP',
    accounts: ['torte'],
    affs: [['ANSATT/tekadm', 2926742, 'SAP', { create: '2016-01-01', last: '2016-10-14' }]],
  });
  // Seed 002's Tor Test (person() already gives its name order): its contexts, contacts (EXTENSION included) and employee number.
  tor.contexts = ['LDAP_person', 'UA@uio', 'ePhorte_person', 'CIM_person'];
  tor.created_at = '2003-06-18T12:00:00';
  tor.contacts = [
    contact('PHONE', '+4722859999', 0, 'SAP'),
    contact('URL', 'http://example.com/tortest/', 1, 'example.com'),
    contact('MOBILE', '99999999', 1, 'SAP'),
    contact('EXTENSION', '+4722859999', 1, 'VOIP', '59999'),
  ];
  tor.external_ids = [
    { source_system: 'SAP', id_type: 'NO_BIRTHNO', external_id: makeFnr('1970-01-01', 999) },
    { source_system: 'SAP', id_type: 'NO_SAPNO', external_id: '999999' },
  ];
  tor.addresses = [
    addr('POST', 'Postboks 1059 Blindern', '0316', 'Oslo', 'SAP'),
    addr('STREET', 'Problemveien 7', '0313', 'Oslo', 'SAP'),
  ];

  const specs: PersonSpec[] = [
    {
      id: 101001,
      first: 'Åse',
      last: 'Ødegård',
      birth: '1975-03-12',
      src: 'DFO_SAP',
      accounts: ['aseod'],
      affs: [['ANSATT/vitenskapelig', 1510, 'DFO_SAP']],
      extra: {
        consents: [
          {
            name: 'publication',
            description: 'Hide from public catalogs?',
            type: 'opt-out',
            set_at: null,
            expires: null,
          },
        ],
      },
    },
    {
      id: 101002,
      first: 'Bjørn',
      last: 'Æsøy',
      birth: '1968-11-30',
      src: 'DFO_SAP',
      accounts: ['bjornae', 'bjornae-adm'],
      affs: [
        ['ANSATT/vitenskapelig', 1520, 'SAP', { create: '2001-08-01', last: '2023-03-31' }],
        ['ANSATT/vitenskapelig', 1520, 'DFO_SAP', { create: '2023-04-01' }],
      ],
    },
    {
      id: 101003,
      first: 'Kari',
      last: 'Nordmann',
      birth: '1985-07-04',
      src: 'DFO_SAP',
      accounts: ['karinor'],
      affs: [['ANSATT/tekadm', 567, 'DFO_SAP']],
    },
    {
      id: 101004,
      first: 'Ola',
      last: 'Nordmann',
      birth: '1990-02-14',
      src: 'FS',
      accounts: ['olanor'],
      affs: [['STUDENT/aktiv', 1620, 'FS']],
    },
    {
      id: 101005,
      first: 'Ingrid',
      last: 'Sæther',
      birth: '1949-09-09',
      src: 'DFO_SAP',
      accounts: ['ingrids'],
      affs: [
        ['TILKNYTTET/emeritus', 1640, 'DFO_SAP', { create: '2016-09-01' }],
        ['ANSATT/vitenskapelig', 1640, 'SAP', { create: '1980-01-01', last: '2016-08-31', deleted: '2016-09-15' }],
      ],
    },
    {
      id: 101006,
      first: 'Håkon',
      last: 'Brænne',
      birth: '1982-05-21',
      src: 'DFO_SAP',
      accounts: ['hakonbr'],
      affs: [
        ['ANSATT/tekadm', 1700, 'DFO_SAP'],
        ['ANSATT/tekadm', 1710, 'DFO_SAP'],
      ],
    },
    {
      id: 101007,
      first: 'Solveig',
      last: 'Løvås',
      birth: '1995-12-01',
      src: 'FS',
      accounts: ['solvelo'],
      affs: [
        ['STUDENT/aktiv', 1510, 'FS'],
        ['STUDENT/aktiv', 1520, 'FS'],
      ],
    },
    {
      id: 101008,
      first: 'Per',
      last: 'Ås',
      birth: '1978-08-08',
      src: 'DFO_SAP',
      accounts: ['peras'],
      affs: [
        ['ANSATT/vitenskapelig', 1620, 'DFO_SAP'],
        ['TILKNYTTET/gjest', MISSING_OU_ID, 'Manual'],
      ],
    },
    {
      id: 101009,
      first: 'Marit',
      last: 'Kåsa',
      birth: '2001-04-17',
      src: 'FS',
      accounts: ['maritka'],
      primary: null,
      affs: [['STUDENT/aktiv', 1620, 'FS', { create: '2020-08-01', last: '2021-06-30' }]],
    },
    {
      id: 101010,
      first: 'Sigurd',
      last: 'Hårstad',
      birth: '1972-10-10',
      src: 'DFO_SAP',
      accounts: ['sigurdh', 'sigurdh-drift'],
      affs: [['ANSATT/tekadm', 567, 'DFO_SAP']],
    },
    {
      id: 101011,
      first: 'Liv',
      last: 'Bråten',
      birth: '1988-06-23',
      src: 'DFO_SAP',
      accounts: ['livbr'],
      affs: [
        ['ANSATT/vitenskapelig', 1620, 'DFO_SAP'],
        ['STUDENT/drgrad', 1620, 'FS'],
      ],
    },
    {
      id: 101012,
      first: 'Eirik',
      last: 'Strøm',
      birth: '1993-01-31',
      src: 'FS',
      accounts: ['eirikst'],
      affs: [['STUDENT/aktiv', 1710, 'FS']],
    },
    {
      id: 101013,
      first: 'Astrid',
      last: 'Bø',
      birth: '1955-02-28',
      src: 'DFO_SAP',
      accounts: ['astribo'],
      affs: [['ANSATT/vitenskapelig', 1540, 'DFO_SAP']],
    },
    {
      id: 101014,
      first: 'Nils',
      last: 'Gjærde',
      birth: '1980-12-24',
      src: 'DFO_SAP',
      accounts: ['nilsgj'],
      affs: [['ANSATT/tekadm', 1500, 'DFO_SAP']],
    },
    {
      id: 101015,
      first: 'Tone',
      last: 'Fjørtoft',
      birth: '1987-09-15',
      src: 'DFO_SAP',
      accounts: ['tonefj'],
      affs: [['ANSATT/tekadm', 1600, 'DFO_SAP']],
    },
    {
      id: 101016,
      first: 'Jørgen',
      last: 'Vågå',
      birth: '1999-03-03',
      src: 'FS',
      accounts: ['jorgva'],
      affs: [['STUDENT/aktiv', 1640, 'FS']],
    },
    {
      id: 101017,
      first: 'Ragnhild',
      last: 'Kjærnes',
      birth: '1965-04-01',
      src: 'DFO_SAP',
      accounts: ['ragnhk'],
      affs: [['ANSATT/vitenskapelig', 1640, 'DFO_SAP']],
    },
    {
      id: 101018,
      first: 'Øystein',
      last: 'Dæhlie',
      birth: '1970-11-11',
      src: 'Manual',
      accounts: ['oysteda'],
      affs: [['TILKNYTTET/gjest', 1620, 'Manual']],
    },
    {
      id: 101019,
      first: 'Siri',
      last: 'Hølaas',
      birth: '2000-05-05',
      src: 'FS',
      accounts: ['sirih'],
      affs: [['STUDENT/aktiv', 1700, 'FS']],
    },
    {
      id: 101020,
      first: 'Magnus',
      last: 'Ødegaard',
      birth: '1983-07-19',
      src: 'DFO_SAP',
      accounts: ['magnuod'],
      affs: [['ANSATT/vitenskapelig', 1710, 'DFO_SAP']],
    },
    {
      id: 101021,
      first: 'Hanne',
      last: 'Skår',
      birth: '1991-08-27',
      src: 'DFO_SAP',
      accounts: ['hannes'],
      affs: [['ANSATT/tekadm', 2926742, 'DFO_SAP']],
    },
    {
      id: 101022,
      first: 'Arild',
      last: 'Sætre',
      birth: '1944-01-20',
      src: 'DFO_SAP',
      accounts: [],
      affs: [['TILKNYTTET/emeritus', 1510, 'DFO_SAP']],
    },
    {
      id: 101023,
      first: 'Gunnhild',
      last: 'Gammelsæter',
      birth: '1962-12-12',
      src: 'SAP',
      accounts: ['gunnhga', 'gunnhga2'],
      affs: [['ANSATT/tekadm', 567, 'SAP', { create: '2010-02-01', last: '2016-10-14' }]],
      extra: { legacy: true },
    },
    {
      id: 101024,
      first: 'Emil',
      last: 'Lærum',
      birth: '2003-10-02',
      src: 'FS',
      accounts: ['emillae'],
      affs: [['STUDENT/aktiv', 1520, 'FS']],
    },
    {
      id: 101025,
      first: 'Chiara',
      last: 'Rossi',
      birth: null,
      src: 'Manual',
      accounts: ['chiarar'],
      affs: [['TILKNYTTET/gjest', 1620, 'Manual']],
      extra: { external_ids: [{ external_id: 'YA1234567', id_type: 'PASSNR', source_system: 'Manual' }] },
    },
  ];
  const persons = [tor, ...specs.map(person)];
  const aase = persons.find((p) => p.id === 101001)!;
  aase.names.push(
    { source_system: 'DFO_SAP', variant: 'WORKTITLE', name: 'Professor' },
    { source_system: 'Cached', variant: 'PERSONALTITLE', name: 'Professor dr.philos.' },
  );
  return persons;
}

// ---- accounts and groups ---------------------------------------------------------------------------

function sampleAccounts(persons: SimPerson[]): SimAccount[] {
  const accounts: SimAccount[] = [];
  let nextId = 840001;
  for (const p of persons) {
    for (const name of p.account_names) {
      const id = name === 'torte' ? 839022 : nextId++;
      accounts.push({
        id,
        name,
        owner_id: p.id,
        owner_type: 'person',
        created_at: name === 'torte' ? '1970-01-01T00:00:00' : p.created_at,
        expire_date: null,
        contexts: ['AD_account', 'exchange_acc@uio'],
        primary_email: `${asciiFold(name)}@uio.no`,
        np_type: null,
        quarantines: [],
      });
    }
  }
  const byName = new Map(accounts.map((a) => [a.name, a]));
  const tor = byName.get('torte')!;
  tor.contexts = ['AD_account'];
  tor.primary_email = 'torte@usit.uio.no';
  tor.email_aliases = ['tor.test@usit.uio.no'];
  const expired = byName.get('maritka')!;
  expired.expire_date = '2021-06-30';
  expired.quarantines.push({
    type: 'slutta',
    comment: 'Sluttet som student',
    start: '2021-07-01',
    end: null,
    disable_until: null,
  });
  const drift = byName.get('sigurdh-drift')!;
  drift.contexts = ['AD_account', 'NIS_user@uio'];
  drift.primary_email = null;
  drift.quarantines.push({
    type: 'svakt_passord',
    comment: 'Passordet er for svakt',
    start: '2024-02-01',
    end: null,
    disable_until: null,
  });
  byName
    .get('bjornae-adm')!
    .quarantines.push({ type: 'generell', comment: null, start: '2024-03-01', end: null, disable_until: '2099-01-01' });
  byName.get('eirikst')!.expire_date = '2099-12-31';
  byName.get('olanor')!.contacts = [contact('MOBILE', '+4791234567', 1, 'FS')];
  accounts.push({
    id: 840099,
    name: 'drift-robot',
    owner_id: 300001,
    owner_type: 'group',
    created_at: '2018-05-02T09:00:00',
    expire_date: null,
    contexts: ['NIS_user@uio'],
    primary_email: null,
    np_type: 'programvare',
    quarantines: [],
  });
  // Seed 002 lists a legacy person's accounts by name only; the accounts themselves are ordinary.
  byName.get('gunnhga')!.contexts = ['AD_account', 'NIS_user@uio', 'exchange_acc@uio', 'NIS_user@ifi'];
  return accounts;
}

function sampleGroups(accounts: Map<string, SimAccount>): SimGroup[] {
  const acc = (name: string): number => accounts.get(name)!.id;
  const g = (
    id: number,
    name: string,
    visibility: string,
    description: string | null,
    members: number[],
    contexts: string[] = [],
  ): SimGroup => ({
    id,
    name,
    visibility,
    description,
    members,
    created_at: '2015-01-05T10:00:00',
    expire_date: null,
    contexts,
  });
  return [
    g(300001, 'usit-ansatte', 'all', 'Ansatte ved USIT', [85073, 101003, 101010, 101021, 101023], ['AD_group']),
    g(300002, 'hf-it-kontakter', 'internal', 'IT-kontakter ved HF', [acc('aseod'), acc('nilsgj')]),
    g(300003, 'alle-it', 'all', 'Alle IT-ansatte', [300001, acc('torte')], ['AD_group', 'NIS_fg@uio']),
    g(300004, 'torte-testgruppe', 'none', null, [acc('torte'), acc('drift-robot')]),
  ];
}

/** The fixed sample university (fresh copy on every call). */
export function sampleUniversity(): CerebrumData {
  const persons = samplePersons();
  const accounts = new Map(sampleAccounts(persons).map((a) => [a.name, a]));
  return {
    ous: new Map(sampleOus().map((o) => [o.id, o])),
    persons: new Map(persons.map((p) => [p.id, p])),
    accounts,
    groups: new Map(sampleGroups(accounts).map((gr) => [gr.name, gr])),
  };
}
