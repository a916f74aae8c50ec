/**
 * writeLosDelivery(): writes an Aarhus LOS delivery for "Århus Kommune" into a folder, as the LOS FTP folder
 * would hold it (specs/aarhus-los.md): the STAM files, an `Org_inital` history, `Pers_nye` and `Leder_nye`
 * on day 0, and one small delta per later day. File modification times are set day by day (fs.utimes) so
 * selection by modification time can be tested; the returned manifest says what was written.
 *
 * Deterministic for a given seed. Small by default (40 units, 150 engagements, 15 managers, 3 delta days);
 * `units: 2000, engagements: 30000, managers: 500` gives an Aarhus-size delivery for benchmarks, written
 * through buffered streams.
 *
 * What day 0's `Org_inital` contains, for the merge rule (see `LosSampleUnit.history`):
 * - 'plain': one row; 'split': 2–3 identical rows back to back (must merge into one version);
 * - 'renamed': two rows with different names (two versions); 'gap': two identical rows with a gap between
 *   them (two versions, the gap stays); 'closed': one row that ended in the past.
 * The six magistrate departments are roots (ParentUUID = OrgUUID). Some rows use `yyyy-mm-dd hh:mm:ss.fff`
 * dates, some units' rows are written newest first, and names include æøå, a `;` and a quote.
 */
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import nodePath from 'node:path';
import { naiveToInstant } from '../../core/time';
import { itemAt, prng } from './prng';

export interface LosDeliveryOptions {
  /** Org units in `Org_inital` (the 6 roots included). Default 40. */
  units?: number;
  /** Engagements in day 0's `Pers_nye`. Default 150 (about 0.85 persons per engagement). */
  engagements?: number;
  /** Managers in day 0's `Leder_nye`. Default 15. */
  managers?: number;
  /** Delta days after day 0. Default 3. */
  days?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Day 0's date, YYYY-MM-DD. Default 2024-03-04. */
  startDate?: string;
  /**
   * Inject bad input, listed in `manifest.badRows`: in day 0's `Pers_nye` a bad UUID, an impossible date and
   * a PrimærAnsættelse that is not Ja/Nej; in `Org_inital` an extra unit with a bad date; in `Leder_nye` a
   * manager whose CPR no Pers file has; on day 1 an `Org_nye` row with a bad OrgEnhedsTypeUUID and a file
   * `Pers_nye_<bad stamp>.csv`. Default false.
   */
  badRows?: boolean;
  /** Start every file with a UTF-8 BOM. Default false. */
  bom?: boolean;
  /** End lines with CRLF. Default false (LF). */
  crlf?: boolean;
}

export interface LosSampleUnit {
  uuid: string;
  userKey: string;
  /** The latest name (after every `Org_ret` of the later days). */
  name: string;
  /** The day whose file created the unit: 0 = `Org_inital`, later = `Org_nye`. */
  createdOnDay: number;
  /** null for a root. */
  parentUuid: string | null;
  history: 'plain' | 'split' | 'renamed' | 'gap' | 'closed';
  /**
   * The versions the creating file gives: for `Org_inital` units after merging (inclusive intervals, to null =
   * open); for later units the one open version from `Org_nye`. Later renames are not included.
   */
  versions: { from: string; to: string | null; name: string }[];
}

export interface LosSamplePerson {
  cpr: string;
  name: string;
  engagements: string[];
}

export interface LosSampleEngagement {
  uuid: string;
  cpr: string;
  unitUuid: string;
  primary: boolean;
  from: string;
  to: string | null;
}

export interface LosSampleDay {
  /** 0 = the initial delivery. */
  day: number;
  /** The date in the files' stamps, YYYY-MM-DD. */
  date: string;
  /** The modification time of every file of the day (the STAM files belong to day 0). */
  modifiedAt: Date;
  files: string[];
  createdUnits: string[];
  renamedUnits: string[];
  createdEngagements: string[];
  changedEngagements: string[];
  endedEngagements: string[];
  changedManagers: { unitUuid: string; cpr: string }[];
  endedManagers: { unitUuid: string; cpr: string }[];
}

export interface LosSampleBadRow {
  file: string;
  /** Physical line; absent for the bad-stamp file. */
  line?: number;
  field?: string;
  what: 'bad-uuid' | 'bad-date' | 'ja-nej' | 'unknown-cpr' | 'bad-optional-uuid' | 'bad-stamp';
}

export interface LosDeliveryManifest {
  dir: string;
  organisation: 'Århus Kommune';
  startDate: string;
  /** STAM classes by facet, and IT systems. */
  classes: Record<string, { uuid: string; title: string }[]>;
  itSystems: { uuid: string; name: string; userKey: string }[];
  units: LosSampleUnit[];
  roots: string[];
  /** Persons of day 0's Pers_nye (valid rows only); later hires are in `days[n].createdEngagements`. */
  persons: LosSamplePerson[];
  /** Every CPR number in any file (later hires and the injected unknown manager included): none may be logged. */
  cprs: string[];
  engagements: LosSampleEngagement[];
  managers: { unitUuid: string; cpr: string }[];
  days: LosSampleDay[];
  /** Every file written with its modification time and data rows. */
  files: { name: string; modifiedAt: Date; rows: number }[];
  badRows: LosSampleBadRow[];
}

// ---- vocabulary -------------------------------------------------------------------------------------

const ROOTS: [string, string[]][] = [
  ['Borgmesterens Afdeling', ['HR og Personale', 'Økonomi', 'Digitalisering', 'Kommunikation', 'Jura og Indkøb']],
  [
    'Børn og Unge',
    [
      'Skåde Skole',
      'Ellevangskolen',
      'Dagtilbud Øst',
      'Børnehuset Ærtebjerg',
      'Børnehuset "Solstrålen"',
      'PPR',
      'Tandplejen',
    ],
  ],
  [
    'Sociale Forhold og Beskæftigelse',
    ['Jobcenter Aarhus', 'Ungdommens Uddannelsesvejledning', 'Botilbud Bøgebakken', 'Familiecenter Gellerup'],
  ],
  [
    'Teknik og Miljø',
    ['Park og Vej', 'Center for Byudvikling og Mobilitet', 'Affaldcenter Aarhus', 'Byggeri og Miljø'],
  ],
  [
    'Kultur og Borgerservice',
    ['Dokk1', 'Hovedbiblioteket', 'Borgerservice Gellerup', 'Musikhuset Aarhus; Administration'],
  ],
  ['Sundhed og Omsorg', ['Lokalcenter Åby', 'Plejehjemmet Kærgården', 'Hjemmeplejen Syd', 'Sundhedscenter Øst']],
];
const UNIT_KINDS = [
  'Skole',
  'Dagtilbud',
  'Lokalcenter',
  'Team',
  'Afdeling',
  'Børnehus',
  'Fritidscenter',
  'Hjemmepleje',
  'Bibliotek',
];
const DISTRICTS = [
  'Viby',
  'Åbyhøj',
  'Hasle',
  'Brabrand',
  'Gellerup',
  'Tilst',
  'Skæring',
  'Lystrup',
  'Risskov',
  'Højbjerg',
  'Tranbjerg',
  'Mårslet',
  'Beder',
  'Malling',
  'Egå',
  'Sabro',
  'Trige',
  'Harlev',
  'Solbjerg',
  'Lisbjerg',
  'Frederiksbjerg',
  'Trøjborg',
  'Møllevangen',
  'Vejlby',
  'Holme',
  'Kolt',
  'Hjortshøj',
  'Åby',
  'Ølsted',
];
const STREETS = [
  'Søndergade',
  'Vestergade',
  'Frederiks Allé',
  'Åboulevarden',
  'Jægergårdsgade',
  'Silkeborgvej',
  'Randersvej',
  'Grenåvej',
  'Ørneredevej',
  'Skæring Hedevej',
  'Hasle Ringvej',
  'Bøgeskov Høvej',
];
const POSTCODES = [
  '8000 Aarhus C',
  '8200 Aarhus N',
  '8210 Aarhus V',
  '8220 Brabrand',
  '8230 Åbyhøj',
  '8240 Risskov',
  '8260 Viby J',
  '8270 Højbjerg',
  '8310 Tranbjerg J',
  '8381 Tilst',
  '8520 Lystrup',
];
const FIRST = [
  'Anders',
  'Mette',
  'Søren',
  'Åse',
  'Jørgen',
  'Bjørn',
  'Kirsten',
  'Mads',
  'Line',
  'Ærling',
  'Signe',
  'Rasmus',
  'Ida',
  'Mikkel',
  'Freja',
  'Ole',
  'Hanne',
  'Thøger',
  'Birgitte',
  'Lærke',
  'Jens',
  'Karen',
  'Niels',
  'Sofie',
  'Peter',
];
const LAST = [
  'Jensen',
  'Nielsen',
  'Hansen',
  'Pedersen',
  'Andersen',
  'Christensen',
  'Larsen',
  'Sørensen',
  'Rasmussen',
  'Jørgensen',
  'Petersen',
  'Madsen',
  'Kristensen',
  'Olsen',
  'Thomsen',
  'Poulsen',
  'Møller',
  'Mortensen',
  'Ødegaard',
  'Kjærgaard',
  'Bæk',
  'Østergaard',
  'Aagaard',
];
const RENAME_SUFFIXES = [' og Fritidscenter', ' – Team Øst', ' (ny struktur)', ' Nord', ' Syd'];

const STAM_CLASSES: {
  file: string;
  facet: string;
  uuidCol: string;
  textCol: string;
  loadtime: boolean;
  titles: string[];
}[] = [
  {
    file: 'STAM_UUID_Enhedstype.csv',
    facet: 'org_unit_type',
    uuidCol: 'EnhedstypeUUID',
    textCol: 'Enhedstype',
    loadtime: false,
    titles: ['Magistratsafdeling', 'Afdeling', 'Institution', 'Skole', 'Dagtilbud', 'Team'],
  },
  {
    file: 'STAM_UUID_Engagementstype.csv',
    facet: 'engagement_type',
    uuidCol: 'EngagementstypeUUID',
    textCol: 'Engagementstype',
    loadtime: false,
    titles: ['Månedslønnet', 'Timelønnet', 'Elev', 'Fleksjob'],
  },
  {
    file: 'STAM_UUID_Stillingsbetegnelse.csv',
    facet: 'engagement_job_function',
    uuidCol: 'StillingBetUUID',
    textCol: 'Stillingsbetegnelse',
    loadtime: false,
    titles: [
      'Pædagog',
      'Lærer',
      'Sygeplejerske',
      'Social- og sundhedsassistent',
      'Sagsbehandler',
      'Konsulent',
      'Chefkonsulent',
      'Skoleleder',
      'Afdelingsleder',
      'IT-medarbejder',
      'Kontorfuldmægtig',
      'Ingeniør',
      'Pædagogmedhjælper',
      'Rengøringsassistent',
    ],
  },
  {
    file: 'STAM_UUID_BVN_Stillingsbetegnelse.csv',
    facet: 'engagement_job_function_bvn',
    uuidCol: 'BVNStillingBetUUID',
    textCol: 'BVNStillingsbetegnelse',
    loadtime: false,
    titles: ['PÆD Pædagog', 'LÆR Lærer', 'SYG Sygeplejerske', 'ADM Administration'],
  },
  {
    file: 'STAM_UUID_Lederansvar.csv',
    facet: 'responsibility',
    uuidCol: 'LederansvarUUID',
    textCol: 'Lederansvar',
    loadtime: true,
    titles: ['Personaleansvar', 'Budgetansvar', 'Fagligt ansvar'],
  },
  {
    file: 'STAM_UUID_Lederniveau.csv',
    facet: 'manager_level',
    uuidCol: 'LederniveauUUID',
    textCol: 'Lederniveau',
    loadtime: true,
    titles: ['Niveau 1', 'Niveau 2', 'Niveau 3', 'Niveau 4'],
  },
  {
    file: 'STAM_UUID_Ledertype.csv',
    facet: 'manager_type',
    uuidCol: 'LedertypeUUID',
    textCol: 'Ledertype',
    loadtime: true,
    titles: ['Direktør', 'Chef', 'Leder', 'Teamleder'],
  },
  {
    file: 'STAM_UUID_Tilknytningsrolle.csv',
    facet: 'association_type',
    uuidCol: 'TilknytningsrolleUUID',
    textCol: 'Tilknytningsrolle',
    loadtime: true,
    titles: ['MED-repræsentant', 'Tillidsrepræsentant', 'Arbejdsmiljørepræsentant'],
  },
];
const IT_SYSTEMS = [
  { name: 'Active Directory', userKey: 'AD' },
  { name: 'OPUS Løn', userKey: 'OPUS' },
  { name: 'KMD Nexus', userKey: 'NEXUS' },
];

const ORG_HEADER = [
  'OrgUUID',
  'BrugervendtNøgle',
  'OrgEnhedsNavn',
  'OrgEnhedsTypeUUID',
  'ParentUUID',
  'Med-i-LinjeOrg',
  'LOSID',
  'CVR',
  'EAN',
  'P-Nr',
  'SE-Nr',
  'IntDebitor-Nr',
  'MagID',
  'PostAdresse',
  'StartDato',
  'SlutDato',
  'Loadtime',
];
const PERS_HEADER = [
  'UUID',
  'BrugervendtNøgle',
  'CPR',
  'CPRNavn',
  'StartTid',
  'SlutTid',
  'Email',
  'PrimærAnsættelse',
  'OrgenhedUUID',
  'EngagementTypeUUID',
  'StillingsBetegnelseUUID',
  'AZID',
  'ADITSystemUUID',
  'ADkonto',
  'ADkontoUUID',
];
const LEDER_HEADER = ['OrgUUID', 'CPR', 'LedertypeUUID', 'LederniveauUUID', 'LederansvarUUID'];

// ---- helpers ----------------------------------------------------------------------------------------

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return itemAt(items, Math.floor(this.next() * items.length));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(itemAt(hex, 16), 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
  digits(n: number): string {
    return Array.from({ length: n }, () => this.int(0, 9)).join('');
  }
  /** A date between two YYYY-MM-DD dates, inclusive (`from` when `to` is earlier). */
  date(from: string, to: string): string {
    const a = Date.parse(`${from}T00:00:00Z`);
    const b = Math.max(a, Date.parse(`${to}T00:00:00Z`));
    return new Date(a + this.int(0, Math.round((b - a) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
  }
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** YYYY-MM-DD → the Org files' dd-mm-yyyy. */
const dmy = (date: string) => `${date.slice(8, 10)}-${date.slice(5, 7)}-${date.slice(0, 4)}`;
const asciiFold = (s: string) =>
  s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .replace(/[^a-z0-9]+/g, '.');

/** A fake but date-valid CPR number (7th digit consistent with the century). */
function makeCpr(rnd: Random, used: Set<string>): string {
  for (;;) {
    const birth = rnd.date('1955-01-01', '2003-12-31');
    const yy = birth.slice(2, 4);
    const digit7 = birth < '2000' ? rnd.int(0, 3) : 4;
    const cpr = `${birth.slice(8, 10)}${birth.slice(5, 7)}${yy}${digit7}${rnd.digits(3)}`;
    if (!used.has(cpr)) {
      used.add(cpr);
      return cpr;
    }
  }
}

/** Writes a CSV file through a buffered stream, counting physical lines (header = 1). */
class CsvFileWriter {
  private readonly out: WriteStream;
  private buffer = '';
  private readonly eol: string;
  line = 1;
  rows = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
    opts: { bom: boolean; crlf: boolean },
  ) {
    this.out = createWriteStream(path);
    this.eol = opts.crlf ? '\r\n' : '\n';
    this.buffer = (opts.bom ? '\uFEFF' : '') + header.join(';') + this.eol;
  }

  static field(v: string | null | undefined): string {
    if (v === null || v === undefined) return '';
    return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }

  /** Appends a row; returns its line. */
  async row(values: readonly (string | null | undefined)[]): Promise<number> {
    this.buffer += values.map((v) => CsvFileWriter.field(v)).join(';') + this.eol;
    this.line++;
    this.rows++;
    if (this.buffer.length > 65_536) await this.flush();
    return this.line;
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk, 'utf8')) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}

// ---- the generator ----------------------------------------------------------------------------------

interface UnitData {
  uuid: string;
  userKey: string;
  name: string;
  parentUuid: string | null;
  typeUuid: string | null;
  lineOrg: boolean;
  address: string;
  losId: string;
  ean: string | null;
  pNumber: string | null;
  magId: string | null;
  from: string;
  history: LosSampleUnit['history'];
  createdOnDay: number;
  /** Rows as written: [from, to|null, name]. */
  rows: [string, string | null, string][];
  depth: number;
}

interface EngagementData extends LosSampleEngagement {
  userKey: string;
  name: string;
  email: string | null;
  typeUuid: string;
  jobUuid: string;
  azId: string | null;
  ended: boolean;
}

export async function writeLosDelivery(dir: string, opts: LosDeliveryOptions = {}): Promise<LosDeliveryManifest> {
  const unitCount = Math.max(ROOTS.length + 2, opts.units ?? 40);
  const engagementCount = Math.max(4, opts.engagements ?? 150);
  const managerCount = Math.max(1, opts.managers ?? 15);
  const days = Math.max(0, opts.days ?? 3);
  const startDate = opts.startDate ?? '2024-03-04';
  const fmt = { bom: opts.bom ?? false, crlf: opts.crlf ?? false };
  const rnd = new Random(opts.seed ?? 1);
  await fs.mkdir(dir, { recursive: true });

  const files: LosDeliveryManifest['files'] = [];
  const badRows: LosSampleBadRow[] = [];
  const dayInfo: LosSampleDay[] = [];
  /** Files of one day are stamped 01:30:00, 01:31:00, ... in the order they are written. */
  const stampTime = (seq: number) => `01${String(30 + seq).padStart(2, '0')}00`;
  /** A file's stamp is Danish wall-clock time; its modification time is that instant plus 5 minutes. */
  const modifiedAtOf = (date: string, time: string) =>
    new Date(
      naiveToInstant(
        `${date}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}`,
        'Europe/Copenhagen',
      ).getTime() +
        5 * 60_000,
    );
  const newDay = (day: number): LosSampleDay => {
    const date = addDays(startDate, day);
    const d: LosSampleDay = {
      day,
      date,
      modifiedAt: modifiedAtOf(date, '013000'),
      files: [],
      createdUnits: [],
      renamedUnits: [],
      createdEngagements: [],
      changedEngagements: [],
      endedEngagements: [],
      changedManagers: [],
      endedManagers: [],
    };
    dayInfo.push(d);
    return d;
  };
  const open = (name: string, header: readonly string[]) => new CsvFileWriter(nodePath.join(dir, name), header, fmt);
  const finish = async (w: CsvFileWriter, day: LosSampleDay) => {
    await w.close();
    const name = nodePath.basename(w.path);
    await fs.utimes(w.path, day.modifiedAt, day.modifiedAt);
    day.files.push(name);
    files.push({ name, modifiedAt: day.modifiedAt, rows: w.rows });
  };
  const deltaName = (kind: string, date: string, seq: number) =>
    `${kind}_${date.replace(/-/g, '')}_${stampTime(seq)}.csv`;

  // -- day 0: STAM ---------------------------------------------------------------------------------
  const day0 = newDay(0);
  const loadtime = `${addDays(startDate, -1)} 23:15:07.123`;
  const classes: LosDeliveryManifest['classes'] = {};
  for (const stam of STAM_CLASSES) {
    const w = open(stam.file, stam.loadtime ? [stam.uuidCol, stam.textCol, 'Loadtime'] : [stam.uuidCol, stam.textCol]);
    const facetClasses: { uuid: string; title: string }[] = [];
    classes[stam.facet] = facetClasses;
    for (const title of stam.titles) {
      const uuid = rnd.uuid();
      facetClasses.push({ uuid, title });
      await w.row(stam.loadtime ? [uuid, title, loadtime] : [uuid, title]);
    }
    await finish(w, day0);
  }
  const itSystems = IT_SYSTEMS.map((s) => ({ uuid: rnd.uuid(), ...s }));
  {
    const w = open('STAM_UUID_ITSystem.csv', ['ITSystemUUID', 'Name', 'Userkey']);
    for (const s of itSystems) await w.row([s.uuid, s.name, s.userKey]);
    await finish(w, day0);
  }
  const classesOf = (facet: string) => {
    const list = classes[facet];
    if (!list) throw new Error(`The LOS sample has no classes of facet ${facet}`);
    return list;
  };
  const classUuid = (facet: string, title: string) => {
    const found = classesOf(facet).find((c) => c.title === title);
    if (!found) throw new Error(`The LOS sample has no class ${title} of facet ${facet}`);
    return found.uuid;
  };
  const pickClass = (facet: string) => rnd.pick(classesOf(facet)).uuid;

  // -- day 0: Org_inital ---------------------------------------------------------------------------
  const units: UnitData[] = [];
  const usedNames = new Set<string>();
  const makeUnit = (
    name: string,
    parent: UnitData | null,
    from: string,
    history: UnitData['history'],
    createdOnDay = 0,
  ): UnitData => {
    usedNames.add(name);
    const uuid = rnd.uuid();
    const unit: UnitData = {
      uuid,
      userKey: `${parent ? 'E' : 'M'}${String(units.length + 1).padStart(5, '0')}`,
      name,
      parentUuid: parent ? parent.uuid : null,
      typeUuid: parent
        ? rnd.chance(0.9)
          ? pickClass('org_unit_type')
          : null
        : classUuid('org_unit_type', 'Magistratsafdeling'),
      lineOrg: parent ? rnd.chance(0.85) : true,
      address: parent
        ? `${rnd.pick(STREETS)} ${rnd.int(1, 120)}, ${rnd.pick(POSTCODES)}`
        : 'Rådhuspladsen 2, 8000 Aarhus C',
      losId: String(1_000_000 + units.length),
      ean: rnd.chance(0.7) ? `579800${rnd.digits(7)}` : null,
      pNumber: rnd.chance(0.5) ? `10${rnd.digits(8)}` : null,
      magId: rnd.chance(0.3) ? `MAG${rnd.digits(4)}` : null,
      from,
      history,
      createdOnDay,
      rows: [],
      depth: parent ? parent.depth + 1 : 0,
    };
    units.push(unit);
    return unit;
  };
  const roots = ROOTS.map(([name]) => makeUnit(name, null, '2010-01-01', 'plain'));
  /** Units that may get children: not too deep, not closed. */
  const parents: UnitData[] = [...roots];
  const namePool = ROOTS.flatMap(([, children], i) => children.map((c) => [c, i] as const));
  let historyIndex = 0;
  const histories: UnitData['history'][] = [
    'split',
    'plain',
    'renamed',
    'plain',
    'split',
    'plain',
    'plain',
    'split',
    'renamed',
    'plain',
  ];
  for (let i = 0; units.length < unitCount; i++) {
    let name: string;
    let parent: UnitData;
    if (i < namePool.length) {
      const [poolName, root] = itemAt(namePool, i);
      name = poolName;
      parent = itemAt(roots, root);
    } else {
      parent = rnd.pick(parents);
      do name = `${rnd.pick(UNIT_KINDS)} ${rnd.pick(DISTRICTS)}${rnd.chance(0.5) ? ` ${rnd.int(1, 99)}` : ''}`;
      while (usedNames.has(name));
    }
    // One gap and one closed unit, the rest cycles through the histories.
    const history: UnitData['history'] =
      i === 2 ? 'gap' : i === 5 ? 'closed' : itemAt(histories, historyIndex++ % histories.length);
    // Units with history start early enough to leave room for their later rows.
    const unit = makeUnit(
      name,
      parent,
      rnd.date('2011-01-01', history === 'plain' ? '2019-12-31' : '2016-12-31'),
      history,
    );
    if (unit.depth < 4 && history !== 'closed') parents.push(unit);
  }
  for (const u of units) {
    switch (u.history) {
      case 'plain':
        u.rows = [[u.from, null, u.name]];
        break;
      case 'split': {
        const cut1 = rnd.date(addDays(u.from, 30), '2020-12-31');
        const cut2 = rnd.chance(0.5) ? rnd.date(addDays(cut1, 30), '2022-12-31') : null;
        u.rows = cut2
          ? [
              [u.from, addDays(cut1, -1), u.name],
              [cut1, addDays(cut2, -1), u.name],
              [cut2, null, u.name],
            ]
          : [
              [u.from, addDays(cut1, -1), u.name],
              [cut1, null, u.name],
            ];
        break;
      }
      case 'renamed': {
        const at = rnd.date(addDays(u.from, 30), '2022-12-31');
        const oldName = `${u.name} (gl. navn)`;
        u.rows = [
          [u.from, addDays(at, -1), oldName],
          [at, null, u.name],
        ];
        break;
      }
      case 'gap': {
        const end = rnd.date(addDays(u.from, 30), '2020-06-30');
        u.rows = [
          [u.from, end, u.name],
          [addDays(end, rnd.int(30, 200)), null, u.name],
        ];
        break;
      }
      case 'closed':
        u.rows = [[u.from, rnd.date(addDays(u.from, 30), '2021-12-31'), u.name]];
        break;
    }
  }
  const orgRow = (u: UnitData, from: string, to: string | null, name: string, dateStyle: 'dmy' | 'ymd') => {
    const date = (d: string) => (dateStyle === 'dmy' ? dmy(d) : `${d} 00:00:00.000`);
    return [
      u.uuid,
      u.userKey,
      name,
      u.typeUuid,
      u.parentUuid ?? u.uuid,
      u.lineOrg ? 'True' : 'False',
      u.losId,
      '55133018',
      u.ean,
      u.pNumber,
      '55133018',
      `9${u.losId}`,
      u.magId,
      u.address,
      date(from),
      to ? date(to) : dateStyle === 'dmy' ? '31-12-9999' : '9999-12-31 00:00:00.000',
      `${startDate} 01:02:03.000`,
    ];
  };
  {
    const w = open(deltaName('Org_inital', startDate, 0), ORG_HEADER);
    let n = 0;
    for (const u of units) {
      // Some units newest row first: the merge must sort by StartDato, not trust the file order.
      const rows = n % 4 === 3 ? [...u.rows].reverse() : u.rows;
      for (const [from, to, name] of rows) await w.row(orgRow(u, from, to, name, n++ % 7 === 6 ? 'ymd' : 'dmy'));
    }
    if (opts.badRows) {
      const extra = { ...itemAt(units, units.length - 1), uuid: rnd.uuid(), name: 'Enhed med forkert dato' };
      const row = orgRow(extra, '2015-01-01', null, extra.name, 'dmy');
      row[14] = '32-01-2015';
      badRows.push({ file: nodePath.basename(w.path), line: await w.row(row), field: 'StartDato', what: 'bad-date' });
    }
    await finish(w, day0);
  }

  // -- day 0: Pers_nye -----------------------------------------------------------------------------
  const usedCprs = new Set<string>();
  // Cached: filtering 2,000 units for each of 30,000 engagements would dominate an Aarhus-size run.
  let live: { count: number; units: UnitData[] } = { count: -1, units: [] };
  const liveUnits = () => {
    if (live.count !== units.length) live = { count: units.length, units: units.filter((u) => u.history !== 'closed') };
    return live.units;
  };
  const persons: LosSamplePerson[] = [];
  const engagements: EngagementData[] = [];
  const personCount = Math.max(2, Math.round(engagementCount * 0.85));
  const newPerson = (): LosSamplePerson => {
    const first = rnd.pick(FIRST);
    const person = { cpr: makeCpr(rnd, usedCprs), name: `${first} ${rnd.pick(LAST)}`, engagements: [] as string[] };
    persons.push(person);
    return person;
  };
  /** Since when a unit has existed without a break (the gap unit: since after its gap). */
  const existsSince = (u: UnitData) => (u.history === 'gap' ? itemAt(u.rows, 1)[0] : u.from);
  /** `from` null: a random start while the unit existed, before day 0. */
  const newEngagement = (person: LosSamplePerson, from: string | null): EngagementData => {
    const primary = person.engagements.length === 0;
    const unit = rnd.pick(liveUnits());
    const e: EngagementData = {
      uuid: rnd.uuid(),
      userKey: `${rnd.digits(6)}-${person.engagements.length + 1}`,
      cpr: person.cpr,
      name: person.name,
      unitUuid: unit.uuid,
      primary,
      from:
        from ?? rnd.date(existsSince(unit) > '2012-01-01' ? existsSince(unit) : '2012-01-01', addDays(startDate, -1)),
      to: rnd.chance(0.1) ? rnd.date(addDays(startDate, 60), addDays(startDate, 900)) : null,
      email: rnd.chance(0.8) ? `${asciiFold(person.name)}@aarhus.dk` : null,
      typeUuid: pickClass('engagement_type'),
      jobUuid: pickClass('engagement_job_function'),
      azId: rnd.chance(0.7) ? `az${rnd.digits(5)}` : null,
      ended: false,
    };
    person.engagements.push(e.uuid);
    engagements.push(e);
    return e;
  };
  const datetime = (d: string, i: number) =>
    i % 5 === 4 ? `${d}T00:00:00` : i % 7 === 6 ? `${d} 08:00` : `${d} 00:00:00.000`;
  const persRow = (e: EngagementData, i: number) => [
    e.uuid,
    e.userKey,
    e.cpr,
    e.name,
    datetime(e.from, i),
    e.to ? datetime(e.to, i) : '9999-12-31 00:00:00.000',
    e.email,
    e.primary ? 'Ja' : 'Nej',
    e.unitUuid,
    e.typeUuid,
    e.jobUuid,
    e.azId,
    itemAt(itSystems, 0).uuid,
    e.azId ? e.azId.toUpperCase() : null,
    e.azId ? rnd.uuid() : null,
  ];
  {
    for (let i = 0; i < personCount; i++) newPerson();
    for (let i = 0; i < engagementCount; i++) {
      const person = i < persons.length ? itemAt(persons, i) : rnd.pick(persons);
      newEngagement(person, null);
    }
    const w = open(deltaName('Pers_nye', startDate, 1), PERS_HEADER);
    let i = 0;
    for (const e of engagements) await w.row(persRow(e, i++));
    if (opts.badRows) {
      const file = nodePath.basename(w.path);
      const victim = itemAt(persons, 0);
      const base = () => ({
        ...itemAt(engagements, 0),
        uuid: rnd.uuid(),
        cpr: victim.cpr,
        name: victim.name,
        primary: false,
      });
      const r1 = persRow(base(), 0);
      r1[0] = 'not-a-uuid';
      badRows.push({ file, line: await w.row(r1), field: 'UUID', what: 'bad-uuid' });
      const r2 = persRow(base(), 0);
      r2[4] = '2023-02-30 00:00:00.000';
      badRows.push({ file, line: await w.row(r2), field: 'StartTid', what: 'bad-date' });
      const r3 = persRow(base(), 0);
      r3[7] = 'Måske';
      badRows.push({ file, line: await w.row(r3), field: 'PrimærAnsættelse', what: 'ja-nej' });
    }
    await finish(w, day0);
  }
  const manifestEngagements = () =>
    engagements.map(({ uuid, cpr, unitUuid, primary, from, to }) => ({ uuid, cpr, unitUuid, primary, from, to }));
  const day0Persons = persons.map((p) => ({ ...p, engagements: [...p.engagements] }));
  const day0Engagements = manifestEngagements();

  // -- day 0: Leder_nye ----------------------------------------------------------------------------
  const managers: { unitUuid: string; cpr: string; type: string; level: string }[] = [];
  {
    const candidates = liveUnits();
    const byUnit = new Map<string, EngagementData[]>();
    for (const e of engagements) {
      const list = byUnit.get(e.unitUuid);
      if (list) list.push(e);
      else byUnit.set(e.unitUuid, [e]);
    }
    const w = open(deltaName('Leder_nye', startDate, 2), LEDER_HEADER);
    // Every 7th unit (wrapping), so managers spread over the tree; skip repeats.
    for (let i = 0; i < Math.min(managerCount, candidates.length); i++) {
      const unit = itemAt(candidates, (i * 7) % candidates.length);
      if (managers.some((m) => m.unitUuid === unit.uuid)) continue;
      const inUnit = byUnit.get(unit.uuid);
      const cpr = (inUnit ? rnd.pick(inUnit) : rnd.pick(engagements)).cpr;
      const type = unit.parentUuid ? classUuid('manager_type', 'Leder') : classUuid('manager_type', 'Chef');
      const m = { unitUuid: unit.uuid, cpr, type, level: pickClass('manager_level') };
      managers.push(m);
      await w.row([m.unitUuid, m.cpr, m.type, m.level, pickClass('responsibility')]);
    }
    if (opts.badRows) {
      const stranger = makeCpr(rnd, usedCprs); // in usedCprs, so `cprs` lists it
      const line = await w.row([
        itemAt(units, 1).uuid,
        stranger,
        pickClass('manager_type'),
        pickClass('manager_level'),
        pickClass('responsibility'),
      ]);
      badRows.push({ file: nodePath.basename(w.path), line, field: 'CPR', what: 'unknown-cpr' });
    }
    await finish(w, day0);
  }
  const day0Managers = managers.map(({ unitUuid, cpr }) => ({ unitUuid, cpr }));

  // -- later days ----------------------------------------------------------------------------------
  const perDay = (scale: number) => Math.max(1, Math.round(scale));
  for (let d = 1; d <= days; d++) {
    const day = newDay(d);
    const date = day.date;
    let seq = 0;

    // Org_nye: new units from today.
    {
      const w = open(deltaName('Org_nye', date, seq++), ORG_HEADER);
      for (let i = 0; i < perDay(unitCount / 40); i++) {
        const parent = rnd.pick(liveUnits().filter((u) => u.depth < 4));
        let name: string;
        do name = `${rnd.pick(UNIT_KINDS)} ${rnd.pick(DISTRICTS)} ${rnd.int(100, 999)}`;
        while (usedNames.has(name));
        const u = makeUnit(name, parent, date, 'plain', d);
        u.rows = [[date, null, name]];
        await w.row(orgRow(u, date, null, name, 'dmy'));
        day.createdUnits.push(u.uuid);
      }
      if (opts.badRows && d === 1) {
        const parent = itemAt(roots, 0);
        const u = { ...parent, uuid: rnd.uuid(), name: 'Enhed med forkert type', parentUuid: parent.uuid };
        const row = orgRow(u, date, null, u.name, 'dmy');
        row[3] = 'ikke-en-uuid';
        badRows.push({
          file: nodePath.basename(w.path),
          line: await w.row(row),
          field: 'OrgEnhedsTypeUUID',
          what: 'bad-optional-uuid',
        });
      }
      await finish(w, day);
    }
    // Org_ret: renames, effective from the file's date.
    {
      const w = open(deltaName('Org_ret', date, seq++), ORG_HEADER);
      const candidates = liveUnits().filter(
        (u) => u.parentUuid && !day.createdUnits.includes(u.uuid) && !day.renamedUnits.includes(u.uuid),
      );
      for (let i = 0; i < perDay(unitCount / 40) && candidates.length; i++) {
        const u = itemAt(candidates.splice(rnd.int(0, candidates.length - 1), 1), 0);
        u.name = `${u.name}${rnd.pick(RENAME_SUFFIXES)}`;
        await w.row(orgRow(u, date, null, u.name, 'dmy'));
        day.renamedUnits.push(u.uuid);
      }
      await finish(w, day);
    }
    // Pers_nye: new hires from today.
    {
      const w = open(deltaName('Pers_nye', date, seq++), PERS_HEADER);
      for (let i = 0; i < perDay(engagementCount / 100); i++) {
        const e = newEngagement(newPerson(), date);
        await w.row(persRow(e, i));
        day.createdEngagements.push(e.uuid);
      }
      await finish(w, day);
    }
    // Pers_ret: a new job function, the whole state from the original start.
    const today = new Set(day.createdEngagements);
    const active = () => engagements.filter((e) => !e.ended && !today.has(e.uuid));
    {
      const w = open(deltaName('Pers_ret', date, seq++), PERS_HEADER);
      const candidates = active();
      for (let i = 0; i < perDay(engagementCount / 60) && candidates.length; i++) {
        const e = itemAt(candidates.splice(rnd.int(0, candidates.length - 1), 1), 0);
        e.jobUuid = pickClass('engagement_job_function');
        await w.row(persRow(e, i));
        day.changedEngagements.push(e.uuid);
        today.add(e.uuid);
      }
      await finish(w, day);
    }
    // Pers_luk: engagements ending today (never a manager's only engagement).
    {
      const w = open(deltaName('Pers_luk', date, seq++), ['UUID', 'CPR', 'CPRNavn']);
      const managerCprs = new Set(managers.map((m) => m.cpr));
      const candidates = active().filter((e) => !managerCprs.has(e.cpr));
      for (let i = 0; i < perDay(engagementCount / 100) && candidates.length; i++) {
        const e = itemAt(candidates.splice(rnd.int(0, candidates.length - 1), 1), 0);
        e.ended = true;
        e.to = date;
        await w.row([e.uuid, e.cpr, e.name]);
        day.endedEngagements.push(e.uuid);
      }
      await finish(w, day);
    }
    // Leder_ret / Leder_luk.
    {
      const w = open(deltaName('Leder_ret', date, seq++), LEDER_HEADER);
      for (let i = 0; i < perDay(managerCount / 15) && managers.length; i++) {
        const m = rnd.pick(managers);
        m.level = pickClass('manager_level');
        await w.row([m.unitUuid, m.cpr, m.type, m.level, pickClass('responsibility')]);
        day.changedManagers.push({ unitUuid: m.unitUuid, cpr: m.cpr });
      }
      await finish(w, day);
    }
    {
      const w = open(deltaName('Leder_luk', date, seq++), ['OrgUUID', 'CPR']);
      const candidates = managers.filter((m) => !day.changedManagers.some((c) => c.unitUuid === m.unitUuid));
      if (candidates.length > 1) {
        const m = itemAt(candidates, rnd.int(0, candidates.length - 1));
        managers.splice(managers.indexOf(m), 1);
        await w.row([m.unitUuid, m.cpr]);
        day.endedManagers.push({ unitUuid: m.unitUuid, cpr: m.cpr });
      }
      await finish(w, day);
    }
    if (opts.badRows && d === 1) {
      // A known prefix with an impossible stamp (30 February): reported, not fatal.
      const w = open(`Pers_nye_${date.slice(0, 4)}0230_120000.csv`, PERS_HEADER);
      await finish(w, day);
      badRows.push({ file: nodePath.basename(w.path), what: 'bad-stamp' });
    }
  }

  const manifestUnits: LosSampleUnit[] = units.map((u) => ({
    uuid: u.uuid,
    userKey: u.userKey,
    name: u.name,
    createdOnDay: u.createdOnDay,
    parentUuid: u.parentUuid,
    history: u.history,
    versions: expectedVersions(u.rows),
  }));
  return {
    dir,
    organisation: 'Århus Kommune',
    startDate,
    classes,
    itSystems,
    units: manifestUnits,
    roots: roots.map((r) => r.uuid),
    persons: day0Persons,
    cprs: [...usedCprs],
    engagements: day0Engagements,
    managers: day0Managers,
    days: dayInfo,
    files,
    badRows,
  };
}

/** The versions the merge rule gives for rows this generator wrote (sorted, identical + adjacent merged). */
function expectedVersions(rows: [string, string | null, string][]): LosSampleUnit['versions'] {
  const sorted = [...rows].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const out: LosSampleUnit['versions'] = [];
  for (const [from, to, name] of sorted) {
    const last = out[out.length - 1];
    if (last && last.name === name && last.to !== null && addDays(last.to, 1) === from) last.to = to;
    else out.push({ from, to, name });
  }
  return out;
}
