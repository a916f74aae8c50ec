/**
 * Typed LOS records: the columns of each file kind, and validators that turn a raw CSV record into a typed
 * row or into issues (specs/aarhus-los.md, "Org files", "Person files", "Manager files", "STAM files").
 *
 * A validator never throws. A row with any bad value — also in an optional column — is bad as a whole and
 * comes back as issues (one per bad field) naming file, line and column; the caller skips it and goes on.
 */
import { type LosDeltaKind, type StamFileSpec, parseLosFileName } from './files';
import {
  type DateStyle,
  type LosIssue,
  type Parsed,
  describeRecord,
  parseCpr,
  parseJaNej,
  parseLosBoolean,
  parseLosDate,
  parseLosEndDate,
  parseUuid,
} from './values';

/**
 * One data row of a LOS CSV file (csv.ts reads them): its physical line (header = 1; a quoted multi-line field
 * counts all its lines) and its values.
 */
export interface CsvRow {
  /** The line the record starts on. */
  line: number;
  /** Values by canonical column name; an empty field is absent. Unknown columns are left out. */
  record: Record<string, string>;
}

export type { LosIssue } from './values';

/** The header a file kind must have (`required`) and may have (`optional`); other columns are ignored. */
export interface ColumnSpec {
  required: readonly string[];
  optional: readonly string[];
}

const ORG_COLUMNS: ColumnSpec = {
  required: ['OrgUUID', 'BrugervendtNøgle', 'ParentUUID', 'StartDato', 'SlutDato'],
  optional: [
    'OrgEnhedsNavn',
    'OrgEnhedsTypeUUID',
    'Med-i-LinjeOrg',
    'LOSID',
    'CVR',
    'EAN',
    'P-Nr',
    'SE-Nr',
    'IntDebitor-Nr',
    'MagID',
    'PostAdresse',
  ],
};
const PERS_COLUMNS: ColumnSpec = {
  required: [
    'UUID',
    'BrugervendtNøgle',
    'CPR',
    'CPRNavn',
    'StartTid',
    'SlutTid',
    'PrimærAnsættelse',
    'OrgenhedUUID',
    'EngagementTypeUUID',
    'StillingsBetegnelseUUID',
  ],
  optional: ['Email', 'AZID', 'ADITSystemUUID', 'ADkonto', 'ADkontoUUID'],
};
// CPRNavn is in Pers_luk files but not needed to end an engagement, so a file without it is still read.
const PERS_LUK_COLUMNS: ColumnSpec = { required: ['UUID', 'CPR'], optional: ['CPRNavn'] };
const LEDER_COLUMNS: ColumnSpec = {
  required: ['OrgUUID', 'CPR', 'LedertypeUUID', 'LederniveauUUID', 'LederansvarUUID'],
  optional: [],
};
const LEDER_LUK_COLUMNS: ColumnSpec = { required: ['OrgUUID', 'CPR'], optional: [] };

export const DELTA_COLUMNS: Readonly<Record<LosDeltaKind, ColumnSpec>> = {
  Org_inital: ORG_COLUMNS,
  Org_nye: ORG_COLUMNS,
  Org_ret: ORG_COLUMNS,
  Pers_nye: PERS_COLUMNS,
  Pers_ret: PERS_COLUMNS,
  Pers_luk: PERS_LUK_COLUMNS,
  Leder_nye: LEDER_COLUMNS,
  Leder_ret: LEDER_COLUMNS,
  Leder_luk: LEDER_LUK_COLUMNS,
};

export function stamColumns(spec: StamFileSpec): ColumnSpec {
  return {
    required: [spec.uuidColumn, spec.textColumn, ...(spec.userKeyColumn ? [spec.userKeyColumn] : [])],
    optional: spec.unusedColumns,
  };
}

/** The columns of a file by its name; null for a name that is not a LOS file (then every column is passed on). */
export function columnsForFile(fileName: string): ColumnSpec | null {
  const parsed = parseLosFileName(fileName);
  if (parsed.type === 'stam') return stamColumns(parsed.spec);
  if (parsed.type === 'delta' || parsed.type === 'bad-stamp') return DELTA_COLUMNS[parsed.kind];
  return null;
}

// ---- typed rows ---------------------------------------------------------------------------------------

/** Every row knows its physical line (header = 1) for later issues (e.g. a failed DAR lookup). */
interface Located {
  line: number;
}

/** The Org files' address columns; each null when empty. */
export interface OrgAddresses {
  /** `LOSID` → address type LOSID. */
  losId: string | null;
  /** `CVR` → CVRUnit. */
  cvr: string | null;
  /** `EAN` → EANUnit. */
  ean: string | null;
  /** `P-Nr` → PNumber. */
  pNumber: string | null;
  /** `SE-Nr` → SENumber. */
  seNumber: string | null;
  /** `IntDebitor-Nr` → intdebit. */
  intDebitorNumber: string | null;
  /** `MagID` → UnitMagID. */
  magId: string | null;
  /** `PostAdresse`: text to look up in DAR. */
  postAddress: string | null;
}

/** The state of a unit apart from its validity: what `Org_inital` rows are compared on. */
export interface OrgUnitState {
  /** `OrgUUID`, lower case. */
  uuid: string;
  /** `BrugervendtNøgle`. */
  userKey: string;
  /** `OrgEnhedsNavn`. */
  name: string | null;
  /** `OrgEnhedsTypeUUID`: a class in `org_unit_type`. */
  unitTypeUuid: string | null;
  /** `ParentUUID`; null when it equals `OrgUUID`, i.e. a root directly under the organisation. */
  parentUuid: string | null;
  /** `Med-i-LinjeOrg` (or `Med-i-Linjeorg`): true → hierarchy class Linjeorganisation; absent = false. */
  lineOrganisation: boolean;
  addresses: OrgAddresses;
}

export interface OrgRow extends OrgUnitState, Located {
  /** `StartDato`, YYYY-MM-DD. */
  from: string;
  /** `SlutDato`, YYYY-MM-DD; null = open (`31-12-9999`). Inclusive. */
  to: string | null;
}

/** One engagement row of `Pers_nye` / `Pers_ret`. */
export interface PersRow extends Located {
  /** `UUID`: the engagement. */
  uuid: string;
  /** `BrugervendtNøgle`: the engagement's user_key. */
  userKey: string;
  /** `CPR`: the person (one person per CPR). Never log it; use `redactCpr`. */
  cpr: string;
  /** `CPRNavn`. */
  name: string;
  /** `StartTid` → YYYY-MM-DD. */
  from: string;
  /** `SlutTid` → YYYY-MM-DD; null = open (`9999-12-31`). */
  to: string | null;
  /** `Email`: the person's address, valid from the file's date. */
  email: string | null;
  /** `PrimærAnsættelse` = Ja. */
  primary: boolean;
  /** `OrgenhedUUID`. */
  orgUnitUuid: string;
  /** `EngagementTypeUUID`: class in `engagement_type`. */
  engagementTypeUuid: string;
  /** `StillingsBetegnelseUUID`: class in `engagement_job_function`. */
  jobFunctionUuid: string;
  /** `AZID`: user name in IT system AZ. */
  azId: string | null;
}

/** A `Pers_luk` row: the engagement ends on the file's date. */
export interface PersLukRow extends Located {
  uuid: string;
  cpr: string;
  name: string | null;
}

/** A `Leder_nye` / `Leder_ret` row: the manager (unit, CPR) from the file's date, open-ended. */
export interface LederRow extends Located {
  /** `OrgUUID`. */
  orgUnitUuid: string;
  cpr: string;
  /** `LedertypeUUID`: class in `manager_type`. */
  managerTypeUuid: string;
  /** `LederniveauUUID`: class in `manager_level`. */
  managerLevelUuid: string;
  /** `LederansvarUUID`: class in `responsibility`. */
  responsibilityUuid: string;
}

/** A `Leder_luk` row: the manager (unit, CPR) ends on the file's date. */
export interface LederLukRow extends Located {
  orgUnitUuid: string;
  cpr: string;
}

/** A class from a STAM file: uuid; user_key = title = the text column; scope TEXT; facet from `StamFileSpec`. */
export interface StamClassRow extends Located {
  uuid: string;
  title: string;
}

/** An IT system from `STAM_UUID_ITSystem.csv`. */
export interface ItSystemRow extends Located {
  uuid: string;
  name: string;
  userKey: string;
}

export type RowResult<T> = { ok: true; row: T } | { ok: false; issues: LosIssue[] };

// ---- validators ---------------------------------------------------------------------------------------

/** Reads one record's fields, collecting an issue per bad field. */
class Fields {
  readonly issues: LosIssue[] = [];

  constructor(
    private readonly file: string,
    private readonly input: CsvRow,
  ) {}

  fail(field: string, reason: string): void {
    this.issues.push({
      severity: 'error',
      file: this.file,
      line: this.input.line,
      field,
      message: `Row skipped: ${field}: ${reason}`,
      record: describeRecord(this.input.record),
    });
  }

  /** The trimmed value, or null when empty/absent (an empty field means absent). */
  optional(field: string): string | null {
    const v = this.input.record[field]?.trim();
    return v ? v : null;
  }

  /** A required value; a missing one is reported, and null comes back so no parser reports it again. */
  private required(field: string): string | null {
    const v = this.optional(field);
    if (v === null) this.fail(field, 'missing value');
    return v;
  }

  text(field: string): string {
    return this.required(field) ?? '';
  }

  private parse<T>(field: string, value: string | null, parser: (v: string) => Parsed<T>, fallback: T): T {
    if (value === null) return fallback;
    const parsed = parser(value);
    if (parsed.ok) return parsed.value;
    this.fail(field, parsed.reason);
    return fallback;
  }

  uuid(field: string): string {
    return this.parse(field, this.required(field), parseUuid, '');
  }

  optionalUuid(field: string): string | null {
    return this.parse<string | null>(field, this.optional(field), parseUuid, null);
  }

  cpr(field = 'CPR'): string {
    return this.parse(field, this.required(field), parseCpr, '');
  }

  date(field: string, style: DateStyle): string {
    return this.parse(field, this.required(field), (v) => parseLosDate(v, style), '');
  }

  endDate(field: string, style: DateStyle): string | null {
    return this.parse<string | null>(field, this.required(field), (v) => parseLosEndDate(v, style), null);
  }

  optionalBoolean(field: string): boolean | null {
    return this.parse<boolean | null>(field, this.optional(field), parseLosBoolean, null);
  }

  jaNej(field: string): boolean {
    return this.parse(field, this.required(field), parseJaNej, false);
  }

  /** An end before the start is a bad row: the inclusive interval would be empty. */
  checkInterval(toField: string, from: string, to: string | null): void {
    if (from && to && to < from) this.fail(toField, `ends (${to}) before it starts (${from})`);
  }

  result<T>(row: T): RowResult<T> {
    return this.issues.length ? { ok: false, issues: this.issues } : { ok: true, row };
  }
}

/** A row of `Org_inital`, `Org_nye` or `Org_ret`. */
export function validateOrgRow(input: CsvRow, file: string): RowResult<OrgRow> {
  const f = new Fields(file, input);
  const uuid = f.uuid('OrgUUID');
  const parent = f.uuid('ParentUUID');
  const from = f.date('StartDato', 'org');
  const to = f.endDate('SlutDato', 'org');
  f.checkInterval('SlutDato', from, to);
  const row: OrgRow = {
    line: input.line,
    uuid,
    userKey: f.text('BrugervendtNøgle'),
    name: f.optional('OrgEnhedsNavn'),
    unitTypeUuid: f.optionalUuid('OrgEnhedsTypeUUID'),
    parentUuid: parent === uuid ? null : parent,
    lineOrganisation: f.optionalBoolean('Med-i-LinjeOrg') ?? false,
    addresses: {
      losId: f.optional('LOSID'),
      cvr: f.optional('CVR'),
      ean: f.optional('EAN'),
      pNumber: f.optional('P-Nr'),
      seNumber: f.optional('SE-Nr'),
      intDebitorNumber: f.optional('IntDebitor-Nr'),
      magId: f.optional('MagID'),
      postAddress: f.optional('PostAdresse'),
    },
    from,
    to,
  };
  return f.result(row);
}

/** A row of `Pers_nye` or `Pers_ret`. */
export function validatePersRow(input: CsvRow, file: string): RowResult<PersRow> {
  const f = new Fields(file, input);
  const from = f.date('StartTid', 'datetime');
  const to = f.endDate('SlutTid', 'datetime');
  f.checkInterval('SlutTid', from, to);
  const row: PersRow = {
    line: input.line,
    uuid: f.uuid('UUID'),
    userKey: f.text('BrugervendtNøgle'),
    cpr: f.cpr(),
    name: f.text('CPRNavn'),
    from,
    to,
    email: f.optional('Email'),
    primary: f.jaNej('PrimærAnsættelse'),
    orgUnitUuid: f.uuid('OrgenhedUUID'),
    engagementTypeUuid: f.uuid('EngagementTypeUUID'),
    jobFunctionUuid: f.uuid('StillingsBetegnelseUUID'),
    azId: f.optional('AZID'),
  };
  return f.result(row);
}

export function validatePersLukRow(input: CsvRow, file: string): RowResult<PersLukRow> {
  const f = new Fields(file, input);
  const row: PersLukRow = { line: input.line, uuid: f.uuid('UUID'), cpr: f.cpr(), name: f.optional('CPRNavn') };
  return f.result(row);
}

/** A row of `Leder_nye` or `Leder_ret`. Whether the CPR is a known person is the import's check, not ours. */
export function validateLederRow(input: CsvRow, file: string): RowResult<LederRow> {
  const f = new Fields(file, input);
  const row: LederRow = {
    line: input.line,
    orgUnitUuid: f.uuid('OrgUUID'),
    cpr: f.cpr(),
    managerTypeUuid: f.uuid('LedertypeUUID'),
    managerLevelUuid: f.uuid('LederniveauUUID'),
    responsibilityUuid: f.uuid('LederansvarUUID'),
  };
  return f.result(row);
}

export function validateLederLukRow(input: CsvRow, file: string): RowResult<LederLukRow> {
  const f = new Fields(file, input);
  const row: LederLukRow = { line: input.line, orgUnitUuid: f.uuid('OrgUUID'), cpr: f.cpr() };
  return f.result(row);
}

/** A row of a class STAM file (every STAM file but the IT system one). `Loadtime` is not used. */
export function validateStamClassRow(input: CsvRow, file: string, spec: StamFileSpec): RowResult<StamClassRow> {
  const f = new Fields(file, input);
  const row: StamClassRow = { line: input.line, uuid: f.uuid(spec.uuidColumn), title: f.text(spec.textColumn) };
  return f.result(row);
}

export function validateItSystemRow(input: CsvRow, file: string, spec: StamFileSpec): RowResult<ItSystemRow> {
  const f = new Fields(file, input);
  const row: ItSystemRow = {
    line: input.line,
    uuid: f.uuid(spec.uuidColumn),
    name: f.text(spec.textColumn),
    userKey: f.text(spec.userKeyColumn ?? 'Userkey'),
  };
  return f.result(row);
}

/** The typed row of each delta kind. */
export interface DeltaRowTypes {
  Org_inital: OrgRow;
  Org_nye: OrgRow;
  Org_ret: OrgRow;
  Pers_nye: PersRow;
  Pers_ret: PersRow;
  Pers_luk: PersLukRow;
  Leder_nye: LederRow;
  Leder_ret: LederRow;
  Leder_luk: LederLukRow;
}

export const DELTA_VALIDATORS: { [K in LosDeltaKind]: (input: CsvRow, file: string) => RowResult<DeltaRowTypes[K]> } = {
  Org_inital: validateOrgRow,
  Org_nye: validateOrgRow,
  Org_ret: validateOrgRow,
  Pers_nye: validatePersRow,
  Pers_ret: validatePersRow,
  Pers_luk: validatePersLukRow,
  Leder_nye: validateLederRow,
  Leder_ret: validateLederRow,
  Leder_luk: validateLederLukRow,
};
