/**
 * The LOS file layer without a network: file names and selection, the CSV reader, value and row validation,
 * and the Org_inital merge rule (specs/aarhus-los.md).
 */
import { mkdtempSync, rmSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { Readable } from 'node:stream';
import { type CsvRow, readCsv } from '../datasources/los/csv';
import { DELTA_KINDS, STAM_FILES, parseLosFileName, selectFiles } from '../datasources/los/files';
import { mergeOrgInitial } from '../datasources/los/org-initial';
import {
  DELTA_VALIDATORS,
  type LosIssue,
  type OrgRow,
  validateItSystemRow,
  validateLederRow,
  validateOrgRow,
  validatePersRow,
  validateStamClassRow,
} from '../datasources/los/records';
import {
  parseCpr,
  parseJaNej,
  parseLosBoolean,
  parseLosDate,
  parseLosEndDate,
  parseUuid,
  redactCprsInText,
} from '../datasources/los/values';
import { writeLosDelivery } from '../simulators/data/los-sample';
import { first } from './helpers/defined';

/** A stream of `bytes`, cut into `chunk`-byte pieces (1 = worst case for multi-byte characters and CRLF). */
function streamOf(bytes: Buffer | string, chunk = 0): Readable {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (!chunk) return Readable.from([buf]);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts);
}

async function readAll(bytes: Buffer | string, fileName: string, chunk = 0) {
  const reader = readCsv(streamOf(bytes, chunk), fileName);
  const rows: CsvRow[] = [];
  for await (const row of reader) rows.push(row);
  return { rows, issues: reader.issues, rejected: reader.rejected, encoding: reader.encoding };
}

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ORG_HEADER =
  'OrgUUID;BrugervendtNøgle;OrgEnhedsNavn;OrgEnhedsTypeUUID;ParentUUID;Med-i-LinjeOrg;PostAdresse;StartDato;SlutDato';

describe('file names and selection', () => {
  it('reads stamps, STAM names, bad stamps and unknown names', () => {
    expect(parseLosFileName('Org_nye_20210128_123742.csv')).toEqual({
      type: 'delta',
      kind: 'Org_nye',
      stamp: '20210128123742',
      effectiveDate: '2021-01-28',
    });
    expect(parseLosFileName('Org_inital_20210101_000000.csv')).toMatchObject({ type: 'delta', kind: 'Org_inital' });
    expect(parseLosFileName('STAM_UUID_Lederniveau.csv')).toMatchObject({
      type: 'stam',
      spec: { facet: 'manager_level' },
    });
    expect(parseLosFileName('STAM_UUID_ITSystem.csv')).toMatchObject({
      type: 'stam',
      spec: { facet: null, userKeyColumn: 'Userkey' },
    });
    expect(parseLosFileName('Pers_luk_20210230_120000.csv')).toMatchObject({ type: 'bad-stamp', kind: 'Pers_luk' });
    expect(parseLosFileName('Pers_luk_20210228_246000.csv')).toMatchObject({ type: 'bad-stamp' });
    expect(parseLosFileName('Leder_nye.csv')).toMatchObject({ type: 'bad-stamp', kind: 'Leder_nye' });
    expect(parseLosFileName('Leder_nye_20210128.csv')).toMatchObject({ type: 'bad-stamp' });
    expect(parseLosFileName('README.txt')).toEqual({ type: 'unknown' });
    expect(parseLosFileName('org_nye_20210128_123742.csv')).toEqual({ type: 'unknown' });
  });

  it('selects the files not met before, in run order, and reports bad stamps', () => {
    const at = (iso: string) => new Date(iso);
    const listing = [
      { name: 'Leder_nye_20210103_010000.csv', modifiedAt: at('2021-01-03T00:05:00Z') },
      { name: 'Pers_luk_20210102_010000.csv', modifiedAt: at('2021-01-02T00:05:00Z') },
      { name: 'Pers_nye_20210103_010000.csv', modifiedAt: at('2021-01-03T00:05:00Z') },
      { name: 'Pers_nye_20210102_010000.csv', modifiedAt: at('2021-01-02T00:05:00Z') },
      { name: 'Org_ret_20210102_010000.csv', modifiedAt: at('2021-01-02T00:05:00Z') },
      { name: 'Org_nye_20210103_010000.csv', modifiedAt: at('2021-01-03T00:05:00Z') },
      { name: 'Org_inital_20210101_010000.csv', modifiedAt: at('2021-01-01T00:05:00Z') },
      { name: 'STAM_UUID_Ledertype.csv', modifiedAt: at('2021-01-03T00:00:00Z') },
      { name: 'STAM_UUID_Enhedstype.csv', modifiedAt: at('2021-01-01T00:00:00Z') },
      { name: 'Pers_ret_2021_0102.csv', modifiedAt: at('2021-01-02T00:05:00Z') },
      { name: 'Org_ret_20201231_010000.csv', modifiedAt: at('2020-12-31T00:05:00Z') },
      { name: 'Org_nye_old.csv', modifiedAt: at('2020-12-31T00:05:00Z') },
      { name: 'notes.txt', modifiedAt: at('2021-01-03T00:00:00Z') },
    ];

    const all = selectFiles(listing, null);
    expect(all.ordered.map((f) => f.name)).toEqual([
      // Org_inital first, then day by day; within a day Org → Pers → Leder, nye → ret → luk.
      'Org_inital_20210101_010000.csv',
      'Org_ret_20201231_010000.csv',
      'Org_ret_20210102_010000.csv',
      'Pers_nye_20210102_010000.csv',
      'Pers_luk_20210102_010000.csv',
      'Org_nye_20210103_010000.csv',
      'Pers_nye_20210103_010000.csv',
      'Leder_nye_20210103_010000.csv',
    ]);
    expect(all.stam.map((f) => f.name)).toEqual(['STAM_UUID_Enhedstype.csv', 'STAM_UUID_Ledertype.csv']);
    expect(all.ordered[2]).toMatchObject({ kind: 'Org_ret', effectiveDate: '2021-01-02', stamp: '20210102010000' });
    const errors = all.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => i.file).sort()).toEqual(['Org_nye_old.csv', 'Pers_ret_2021_0102.csv']);
    // STAM files missing from the folder are warnings, one each.
    expect(all.issues.filter((i) => i.severity === 'warning')).toHaveLength(STAM_FILES.length - 2);

    // After runs that met every file up to 2021-01-02 (applied, or refused for a bad name): only the files not met
    // are selected; the old bad names are not repeated (issue 10 item 4: the files met, not a mark, decide).
    const recorded = listing
      .filter((f) => f.modifiedAt <= at('2021-01-02T00:05:00Z'))
      .map((f) => ({
        name: f.name,
        size: null,
        modifiedAt: f.modifiedAt,
        outcome: parseLosFileName(f.name).type === 'bad-stamp' ? ('refused' as const) : ('applied' as const),
      }));
    const later = selectFiles(listing, recorded);
    expect(later.ordered.map((f) => f.name)).toEqual([
      'Org_nye_20210103_010000.csv',
      'Pers_nye_20210103_010000.csv',
      'Leder_nye_20210103_010000.csv',
    ]);
    expect(later.stam.map((f) => f.name)).toEqual(['STAM_UUID_Ledertype.csv']);
    expect(later.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(later.refused).toEqual([]);
  });

  it('goes by the files met, not by clocks: an old time is no reason to skip, another size or time is a new delivery', () => {
    const t = new Date('2021-10-31T01:30:00Z');
    const file = { name: 'Org_nye_20211031_023000.csv', modifiedAt: t, size: 100 };
    const met = { name: file.name, size: 100, modifiedAt: t, outcome: 'applied' as const };
    expect(selectFiles([file], [met]).ordered).toHaveLength(0);
    expect(selectFiles([{ ...file, size: 101 }], [met]).ordered).toHaveLength(1);
    expect(selectFiles([{ ...file, modifiedAt: new Date(t.getTime() - 3_600_000) }], [met]).ordered).toHaveLength(1);
    // A record from before sizes were kept matches on name and time.
    expect(selectFiles([file], [{ ...met, size: null }]).ordered).toHaveLength(0);
  });

  it('refuses a delta file dated before one already applied, once, and applies a later one', () => {
    const at = new Date('2020-01-01T00:00:00Z'); // times play no part
    const applied = ['Org_inital_20210101_010000.csv', 'Pers_nye_20210103_010000.csv'].map((name) => ({
      name,
      size: 1,
      modifiedAt: at,
      outcome: 'applied' as const,
    }));
    const listing = [
      ...applied.map((a) => ({ name: a.name, size: 1, modifiedAt: at })),
      { name: 'Pers_ret_20210102_010000.csv', size: 1, modifiedAt: at }, // an earlier day
      { name: 'Org_nye_20210103_010000.csv', size: 1, modifiedAt: at }, // the same day, earlier in the day's order
      { name: 'Pers_luk_20210103_010000.csv', size: 1, modifiedAt: at }, // the same day, later in its order
      { name: 'Org_inital_20220101_010000.csv', size: 1, modifiedAt: at }, // a second historical load
      { name: 'Leder_nye_20210104_010000.csv', size: 1, modifiedAt: at },
    ];
    const sel = selectFiles(listing, applied);
    expect(sel.ordered.map((f) => f.name)).toEqual(['Pers_luk_20210103_010000.csv', 'Leder_nye_20210104_010000.csv']);
    expect(sel.refused.map((f) => f.name).sort()).toEqual([
      'Org_inital_20220101_010000.csv',
      'Org_nye_20210103_010000.csv',
      'Pers_ret_20210102_010000.csv',
    ]);
    expect(sel.issues.find((i) => i.file === 'Pers_ret_20210102_010000.csv')).toEqual({
      severity: 'error',
      file: 'Pers_ret_20210102_010000.csv',
      message:
        'File not applied: it is dated 2021-01-02 (stamp 20210102010000) and comes before Pers_nye_20210103_010000.csv, which is already applied; ' +
        'applying it now would put its older state back over the later changes. Have its changes delivered again in a new file dated after 2021-01-03.',
    });
    // Recorded as refused, they are not reported again.
    const again = selectFiles(listing, [
      ...applied,
      ...sel.refused.map((f) => ({ name: f.name, size: 1, modifiedAt: at, outcome: 'refused' as const })),
    ]);
    expect(again.refused).toEqual([]);
    expect(again.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('knows every delta kind in the spec order', () => {
    expect(DELTA_KINDS).toEqual([
      'Org_inital',
      'Org_nye',
      'Org_ret',
      'Pers_nye',
      'Pers_ret',
      'Pers_luk',
      'Leder_nye',
      'Leder_ret',
      'Leder_luk',
    ]);
  });
});

describe('values', () => {
  it('reads both Org date forms and the person/STAM datetimes', () => {
    expect(parseLosDate('28-01-2021', 'org')).toEqual({ ok: true, value: '2021-01-28' });
    expect(parseLosDate('2021-01-28 00:00:00.000', 'org')).toEqual({ ok: true, value: '2021-01-28' });
    expect(parseLosDate('2021-01-28 13:45', 'datetime')).toEqual({ ok: true, value: '2021-01-28' });
    expect(parseLosDate('2021-01-28 13:45:12', 'datetime')).toEqual({ ok: true, value: '2021-01-28' });
    expect(parseLosDate('2021-01-28 13:45:12.123', 'datetime')).toEqual({ ok: true, value: '2021-01-28' });
    expect(parseLosDate('2021-01-28T13:45:12', 'datetime')).toEqual({ ok: true, value: '2021-01-28' });
    // With a zone: the date on Danish wall clocks.
    expect(parseLosDate('2021-01-28T23:30:00Z', 'datetime')).toEqual({ ok: true, value: '2021-01-29' });
    expect(parseLosDate('2020-02-29', 'datetime')).toEqual({ ok: true, value: '2020-02-29' });
    for (const bad of ['30-02-2021', '2021-13-01', '2021-02-29 00:00', '2021-01-28 24:00', 'i går', '28/01/2021', '']) {
      expect(parseLosDate(bad, 'org').ok).toBe(false);
    }
    expect(parseLosDate('28-01-2021', 'datetime').ok).toBe(false);
  });

  it('turns 31-12-9999 / 9999-12-31 into an open end', () => {
    expect(parseLosEndDate('31-12-9999', 'org')).toEqual({ ok: true, value: null });
    expect(parseLosEndDate('9999-12-31 00:00:00.000', 'datetime')).toEqual({ ok: true, value: null });
    expect(parseLosEndDate('9999-12-31', 'org')).toEqual({ ok: true, value: null });
    expect(parseLosEndDate('30-12-9999', 'org')).toEqual({ ok: true, value: '9999-12-30' });
  });

  it('reads booleans, Ja/Nej strictly, UUIDs and CPR numbers', () => {
    for (const t of ['True', 'true', '1', 'yes', 'YES', 'Ja', 'ja'])
      expect(parseLosBoolean(t)).toEqual({ ok: true, value: true });
    for (const f of ['False', 'FALSE', '0', 'no', 'Nej', 'nej'])
      expect(parseLosBoolean(f)).toEqual({ ok: true, value: false });
    expect(parseLosBoolean('måske').ok).toBe(false);
    expect(parseJaNej('Ja')).toEqual({ ok: true, value: true });
    expect(parseJaNej('Nej')).toEqual({ ok: true, value: false });
    for (const bad of ['ja', 'JA', 'True', '1', 'Måske']) expect(parseJaNej(bad).ok).toBe(false);
    expect(parseUuid('A2BAB76B-2519-4E38-8C28-752076A46FBC')).toEqual({
      ok: true,
      value: 'a2bab76b-2519-4e38-8c28-752076a46fbc',
    });
    expect(parseUuid('a2bab76b25194e388c28752076a46fbc').ok).toBe(false);
    expect(parseCpr('0101901234')).toEqual({ ok: true, value: '0101901234' });
    expect(parseCpr('2902004321').ok).toBe(true); // 7th digit 4, yy 00 → 2000, a leap year
    expect(parseCpr('2902001234').ok).toBe(false); // 7th digit 1 → 1900, not a leap year
    for (const bad of ['3201901234', '0113901234', '010190123', '010190-1234', '01019O1234'])
      expect(parseCpr(bad).ok).toBe(false);
  });

  it('never shows more than the first 6 digits of a CPR number', () => {
    const r = parseCpr('3201901234');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toContain('3201901234');
    expect(redactCprsInText('CPR 0101901234 and 010190-1234')).toBe('CPR 010190**** and 010190****');
  });
});

describe('readCsv', () => {
  const tricky = [
    '\uFEFFUUID;Navn;Note',
    `${U(1)};"Skåde Skole; SFO";plain`,
    `${U(2)};"Børnehuset ""Solstrålen""";`,
    `${U(3)};"Line one`,
    'line two',
    `line three";after`,
    '',
    `${U(4)};Ærø;last`,
  ];

  it.each([
    ['LF, whole', '\n', 0],
    ['CRLF, whole', '\r\n', 0],
    ['CRLF, byte by byte', '\r\n', 1],
    ['LF, 5-byte chunks', '\n', 5],
  ])(
    'reads BOM, quotes, doubled quotes and multi-line fields with physical line numbers (%s)',
    async (_label, eol, chunk) => {
      const { rows, issues, rejected } = await readAll(tricky.join(eol) + eol, 'x.csv', chunk);
      expect(issues).toEqual([]);
      expect(rejected).toBe(false);
      expect(rows).toEqual([
        { line: 2, record: { UUID: U(1), Navn: 'Skåde Skole; SFO', Note: 'plain' } },
        { line: 3, record: { UUID: U(2), Navn: 'Børnehuset "Solstrålen"' } }, // empty field = absent
        { line: 4, record: { UUID: U(3), Navn: 'Line one\nline two\nline three', Note: 'after' } },
        { line: 8, record: { UUID: U(4), Navn: 'Ærø', Note: 'last' } },
      ]);
    },
  );

  it('reads the last line without a final newline', async () => {
    const { rows } = await readAll(`a;b\r\n1;2\r\n3;4`, 'x.csv');
    expect(rows).toEqual([
      { line: 2, record: { a: '1', b: '2' } },
      { line: 3, record: { a: '3', b: '4' } },
    ]);
  });

  it('accepts Med-i-Linjeorg for Med-i-LinjeOrg and ignores extra columns', async () => {
    const csv = `${ORG_HEADER.replace('Med-i-LinjeOrg', 'Med-i-Linjeorg')};Ekstra\n${U(1)};K1;Navn;;${U(1)};Ja;;01-01-2020;31-12-9999;x\n`;
    const { rows, issues } = await readAll(csv, 'Org_nye_20210101_000000.csv');
    expect(issues).toEqual([]);
    const { record } = first(rows);
    expect(record['Med-i-LinjeOrg']).toBe('Ja');
    expect(record).not.toHaveProperty('Ekstra');
    expect(record).not.toHaveProperty('OrgEnhedsTypeUUID');
  });

  it('rejects a file that lacks a required column, naming it', async () => {
    const csv = `OrgUUID;BrugervendtNøgle;ParentUUID;StartDato\n${U(1)};K;${U(1)};01-01-2020\n`;
    const { rows, issues, rejected } = await readAll(csv, 'Org_nye_20210101_000000.csv');
    expect(rejected).toBe(true);
    expect(rows).toEqual([]);
    expect(issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'Org_nye_20210101_000000.csv',
        line: 1,
        field: 'SlutDato',
        message: expect.stringContaining('SlutDato'),
      }),
    ]);
  });

  it('reads a Windows-1252 file with a warning', async () => {
    const text = 'UUID;Navn\n' + `${U(1)};Århus Kommune – Økonomi\n${U(2)};Bjørn Ærø\n`;
    const bytes = Buffer.from(text.replace('–', '\u0096'), 'latin1'); // 0x96 is cp1252's en dash
    for (const chunk of [0, 1, 7]) {
      const { rows, issues, rejected, encoding } = await readAll(bytes, 'cp.csv', chunk);
      expect(rejected).toBe(false);
      expect(encoding).toBe('windows-1252');
      expect(issues).toEqual([expect.objectContaining({ severity: 'warning', file: 'cp.csv', line: 2 })]);
      expect(rows.map((r) => r.record.Navn)).toEqual(['Århus Kommune – Økonomi', 'Bjørn Ærø']);
    }
  });

  it('rejects invalid UTF-8 after valid UTF-8, and bytes Windows-1252 does not define', async () => {
    const mixed = Buffer.concat([
      Buffer.from(`UUID;Navn\n${U(1)};Århus\n${U(2)};`, 'utf8'),
      Buffer.from([0xc5]),
      Buffer.from('rhus\n'),
    ]);
    const a = await readAll(mixed, 'mixed.csv');
    expect(a.rejected).toBe(true);
    expect(a.issues).toEqual([expect.objectContaining({ severity: 'error', file: 'mixed.csv', line: 3 })]);

    const undefinedByte = Buffer.concat([Buffer.from(`UUID;Navn\n${U(1)};`), Buffer.from([0x81]), Buffer.from('\n')]);
    const b = await readAll(undefinedByte, 'undef.csv');
    expect(b.rejected).toBe(true);
    expect(b.rows).toEqual([]);
  });

  it('skips a row with the wrong number of fields and goes on', async () => {
    const csv = `a;b;c\n1;2;3\n4;5\n6;7;8;9\n10;11;12;\n13;14;15\n`;
    const { rows, issues, rejected } = await readAll(csv, 'x.csv');
    expect(rejected).toBe(false);
    expect(rows.map((r) => r.line)).toEqual([2, 5, 6]);
    expect(issues.map((i) => i.line)).toEqual([3, 4]);
  });

  it('rejects a file whose quote is never closed, and an empty file', async () => {
    const open = await readAll(`a;b\n1;2\n3;"open\n4;5\n`, 'x.csv');
    expect(open.rejected).toBe(true);
    expect(open.issues[0]).toMatchObject({ severity: 'error', file: 'x.csv' });
    const empty = await readAll('', 'Org_nye_20210101_000000.csv');
    expect(empty.rejected).toBe(true);
  });
});

describe('row validation', () => {
  const orgRecord = (over: Record<string, string> = {}): CsvRow => ({
    line: 7,
    record: {
      OrgUUID: U(1),
      BrugervendtNøgle: 'K1',
      OrgEnhedsNavn: 'Skåde Skole',
      ParentUUID: U(9),
      StartDato: '01-01-2020',
      SlutDato: '31-12-9999',
      ...over,
    },
  });

  it('types an Org row; ParentUUID = OrgUUID is a root', () => {
    const r = validateOrgRow(
      orgRecord({ 'Med-i-LinjeOrg': 'False', PostAdresse: 'Rådhuspladsen 2, 8000 Aarhus C' }),
      'f.csv',
    );
    expect(r).toEqual({
      ok: true,
      row: expect.objectContaining({
        line: 7,
        uuid: U(1),
        parentUuid: U(9),
        from: '2020-01-01',
        to: null,
        lineOrganisation: false,
        name: 'Skåde Skole',
      }),
    });
    const root = validateOrgRow(
      orgRecord({
        ParentUUID: U(1).toUpperCase(),
        StartDato: '2020-01-01 00:00:00.000',
        SlutDato: '2020-12-31 00:00:00.000',
      }),
      'f.csv',
    );
    expect(root).toEqual({
      ok: true,
      row: expect.objectContaining({ parentUuid: null, from: '2020-01-01', to: '2020-12-31' }),
    });
  });

  it('makes the row bad on a malformed optional value, an end before the start, or a missing value', () => {
    const r = validateOrgRow(
      orgRecord({ OrgEnhedsTypeUUID: 'xyz', SlutDato: '31-12-2019', BrugervendtNøgle: '' }),
      'f.csv',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field).sort()).toEqual(['BrugervendtNøgle', 'OrgEnhedsTypeUUID', 'SlutDato']);
    expect(r.issues.every((i) => i.file === 'f.csv' && i.line === 7 && i.severity === 'error')).toBe(true);
  });

  it('checks Pers rows strictly and never puts a full CPR in an issue', () => {
    const record = {
      UUID: U(5),
      BrugervendtNøgle: '1234-1',
      CPR: '0101901234',
      CPRNavn: 'Søren Ødegaard',
      StartTid: '2020-01-01 00:00:00.000',
      SlutTid: '9999-12-31 00:00:00.000',
      PrimærAnsættelse: 'Ja',
      OrgenhedUUID: U(1),
      EngagementTypeUUID: U(2),
      StillingsBetegnelseUUID: U(3),
    };
    expect(validatePersRow({ line: 2, record }, 'p.csv')).toEqual({
      ok: true,
      row: expect.objectContaining({
        cpr: '0101901234',
        primary: true,
        from: '2020-01-01',
        to: null,
        email: null,
        azId: null,
      }),
    });
    const bad = validatePersRow(
      { line: 3, record: { ...record, PrimærAnsættelse: 'ja', CPRNavn: 'Fejl 0101901234' } },
      'p.csv',
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues).toEqual([
      expect.objectContaining({
        field: 'PrimærAnsættelse',
        line: 3,
        record: expect.stringContaining('CPR=010190****'),
      }),
    ]);
    expect(JSON.stringify(bad.issues)).not.toContain('0101901234');
    const badCpr = validateLederRow(
      {
        line: 4,
        record: {
          OrgUUID: U(1),
          CPR: '3101901234x',
          LedertypeUUID: U(2),
          LederniveauUUID: U(3),
          LederansvarUUID: U(4),
        },
      },
      'l.csv',
    );
    expect(badCpr.ok).toBe(false);
    expect(JSON.stringify(badCpr)).not.toContain('3101901234');
  });

  it('types STAM classes and IT systems', () => {
    const lederniveau = STAM_FILES.find((s) => s.facet === 'manager_level');
    const it = STAM_FILES.find((s) => s.facet === null);
    if (!lederniveau || !it) throw new Error('STAM_FILES changed');
    expect(
      validateStamClassRow(
        { line: 2, record: { LederniveauUUID: U(1), Lederniveau: 'Niveau 1', Loadtime: 'whatever' } },
        'x',
        lederniveau,
      ),
    ).toEqual({
      ok: true,
      row: { line: 2, uuid: U(1), title: 'Niveau 1' },
    });
    expect(
      validateItSystemRow(
        { line: 2, record: { ITSystemUUID: U(1), Name: 'Active Directory', Userkey: 'AD' } },
        'x',
        it,
      ),
    ).toEqual({
      ok: true,
      row: { line: 2, uuid: U(1), name: 'Active Directory', userKey: 'AD' },
    });
  });
});

describe('Org_inital merge', () => {
  const row = (line: number, from: string, to: string | null, over: Partial<OrgRow> = {}): OrgRow => ({
    line,
    uuid: U(1),
    userKey: 'K1',
    name: 'Skåde Skole',
    unitTypeUuid: null,
    parentUuid: U(9),
    lineOrganisation: true,
    addresses: {
      losId: null,
      cvr: null,
      ean: null,
      pNumber: null,
      seNumber: null,
      intDebitorNumber: null,
      magId: null,
      postAddress: null,
    },
    from,
    to,
    ...over,
  });
  const intervals = (rows: OrgRow[]) =>
    first(mergeOrgInitial(rows, 'Org_inital.csv').units).versions.map((v) => [v.from, v.to, v.state.name]);

  it('merges identical neighbours that touch, in any input order', () => {
    const rows = [row(2, '2015-01-01', '2016-12-31'), row(3, '2017-01-01', '2019-12-31'), row(4, '2020-01-01', null)];
    expect(intervals(rows)).toEqual([['2015-01-01', null, 'Skåde Skole']]);
    expect(intervals([...rows].reverse())).toEqual([['2015-01-01', null, 'Skåde Skole']]);
    expect(first(first(mergeOrgInitial(rows, 'f').units).versions).lines).toEqual([2, 3, 4]);
  });

  it('keeps a change as successive versions and a gap as a gap', () => {
    expect(
      intervals([row(2, '2015-01-01', '2016-12-31'), row(3, '2017-01-01', null, { name: 'Skåde Skole og SFO' })]),
    ).toEqual([
      ['2015-01-01', '2016-12-31', 'Skåde Skole'],
      ['2017-01-01', null, 'Skåde Skole og SFO'],
    ]);
    expect(intervals([row(2, '2015-01-01', '2016-12-31'), row(3, '2017-01-02', null)])).toEqual([
      ['2015-01-01', '2016-12-31', 'Skåde Skole'],
      ['2017-01-02', null, 'Skåde Skole'],
    ]);
    // Anything but validity counts as a change, e.g. the parent.
    expect(
      intervals([row(2, '2015-01-01', '2016-12-31'), row(3, '2017-01-01', null, { parentUuid: null })]),
    ).toHaveLength(2);
  });

  it('folds a repeated row and warns about differing rows that overlap', () => {
    expect(intervals([row(2, '2015-01-01', null), row(3, '2015-01-01', null)])).toEqual([
      ['2015-01-01', null, 'Skåde Skole'],
    ]);
    const result = mergeOrgInitial(
      [row(2, '2015-01-01', null), row(3, '2017-01-01', '2017-12-31', { name: 'Midlertidig' })],
      'f.csv',
    );
    expect(first(result.units).versions.map((v) => [v.from, v.to, v.state.name])).toEqual([
      ['2015-01-01', '2016-12-31', 'Skåde Skole'],
      ['2017-01-01', '2017-12-31', 'Midlertidig'],
      ['2018-01-01', null, 'Skåde Skole'],
    ]);
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'warning', file: 'f.csv', line: 3 })]);
  });
});

describe('a generated delivery with bad rows', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(nodePath.join(tmpdir(), 'los-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each bad row with file and line, lets the rest through, and merges Org_inital as the manifest says', async () => {
    const started = Date.now();
    const manifest = await writeLosDelivery(dir, { badRows: true, bom: true, crlf: true, seed: 7 });
    const selection = selectFiles(
      manifest.files.map((f) => ({ name: f.name, modifiedAt: f.modifiedAt })),
      null,
    );
    expect(selection.stam).toHaveLength(STAM_FILES.length);
    expect(selection.issues).toEqual([
      expect.objectContaining({ severity: 'error', file: manifest.badRows.find((b) => b.what === 'bad-stamp')?.file }),
    ]);

    const issues: LosIssue[] = [];
    const good = new Map<string, unknown[]>();
    for (const file of selection.ordered) {
      const reader = readCsv(createReadStream(nodePath.join(dir, file.name)), file.name, {
        onIssue: (i) => issues.push(i),
      });
      const rows: unknown[] = [];
      for await (const raw of reader) {
        const result = DELTA_VALIDATORS[file.kind](raw, file.name);
        if (result.ok) rows.push(result.row);
        else issues.push(...result.issues);
      }
      expect(reader.rejected).toBe(false);
      good.set(file.name, rows);
    }
    for (const file of selection.stam) {
      const reader = readCsv(createReadStream(nodePath.join(dir, file.name)), file.name);
      for await (const raw of reader) {
        const r = file.spec.facet
          ? validateStamClassRow(raw, file.name, file.spec)
          : validateItSystemRow(raw, file.name, file.spec);
        expect(r.ok).toBe(true);
      }
      expect(reader.issues).toEqual([]);
    }

    // Validation finds exactly the injected bad values (the unknown CPR is the import's check, not ours).
    const expected = manifest.badRows.filter((b) => b.what !== 'bad-stamp' && b.what !== 'unknown-cpr');
    expect(issues.map((i) => ({ file: i.file, line: i.line, field: i.field }))).toEqual(
      expect.arrayContaining(expected.map((b) => ({ file: b.file, line: b.line, field: b.field }))),
    );
    expect(issues).toHaveLength(expected.length);
    for (const text of issues.map((i) => JSON.stringify(i))) {
      for (const cpr of manifest.cprs) expect(text).not.toContain(cpr);
    }
    for (const f of manifest.files) {
      if (!good.has(f.name)) continue;
      const bad = expected.filter((b) => b.file === f.name).length;
      expect(good.get(f.name)).toHaveLength(f.rows - bad);
    }

    // Org_inital: the merge gives the versions the generator meant, roots included.
    const initial = selection.ordered.find((f) => f.kind === 'Org_inital');
    const merged = mergeOrgInitial(good.get(initial?.name ?? '') as OrgRow[], initial?.name ?? '');
    expect(merged.issues).toEqual([]);
    const byUuid = new Map(merged.units.map((u) => [u.uuid, u]));
    const day0 = manifest.units.filter((u) => u.createdOnDay === 0);
    expect(merged.units).toHaveLength(day0.length);
    for (const u of day0) {
      expect(byUuid.get(u.uuid)?.versions.map((v) => ({ from: v.from, to: v.to, name: v.state.name }))).toEqual(
        u.versions,
      );
    }
    for (const root of manifest.roots) expect(byUuid.get(root)?.versions[0]?.state.parentUuid).toBeNull();
    expect(new Set(day0.map((u) => u.history))).toEqual(new Set(['plain', 'split', 'renamed', 'gap', 'closed']));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
