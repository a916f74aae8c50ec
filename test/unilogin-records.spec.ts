/**
 * The pure parts of the UNI-Login export: settings, CPR check, names (control 1), records and their XML,
 * exportdatetime, and the statuskode messages.
 */
import { loadConfig, ConfigError } from '../core/config';
import { looksLikeCpr, validCpr } from '../datasources/unilogin/cpr';
import { checkPerson, personXml, splitName, trimCollapse, fingerprint } from '../datasources/unilogin/record';
import { nextExportDateTime, localDateTime, plusOneSecond } from '../jobs/unilogin-export/export-time';
import { statusMessage } from '../jobs/unilogin-export/outcome';
import { validateDocument } from '../datasources/unilogin/validate';
import { parseUploadResult } from '../datasources/unilogin/result';
import { DocumentWriter } from '../datasources/unilogin/document';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from './helpers/unilogin';

const base = { UNILOGIN_URL: 'http://127.0.0.1:1/' };
const configError = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('UNI-Login settings', () => {
  it('UNILOGIN_ROOT_OU: LOS units, or the whole LOS organisation; anything else names the variable', () => {
    expect(
      loadConfig({
        ...base,
        UNILOGIN_ROOT_OU: 'los:0B6C1F4E-8D0A-4C55-9B1E-7F3A2D9C0E11, los:0b6c1f4e-8d0a-4c55-9b1e-7f3a2d9c0e12',
      }).unilogin?.rootOus,
    ).toEqual({ kind: 'los', uuids: ['0b6c1f4e-8d0a-4c55-9b1e-7f3a2d9c0e11', '0b6c1f4e-8d0a-4c55-9b1e-7f3a2d9c0e12'] });
    expect(loadConfig({ ...base, UNILOGIN_ROOT_OU: 'los:*' }).unilogin?.rootOus).toEqual({ kind: 'los-all' });
    expect(loadConfig(base).unilogin?.rootOus).toBeUndefined();
    expect(configError({ UNILOGIN_ROOT_OU: 'cerebrum:85073' }).message).toMatch(
      /^UNILOGIN_ROOT_OU: "cerebrum:85073": only LOS units are supported/,
    );
    expect(configError({ UNILOGIN_ROOT_OU: 'los:nope' }).message).toMatch(
      /^UNILOGIN_ROOT_OU: "los:nope" is not a LOS unit id/,
    );
    expect(configError({ UNILOGIN_ROOT_OU: 'los:*,los:0b6c1f4e-8d0a-4c55-9b1e-7f3a2d9c0e11' }).variable).toBe(
      'UNILOGIN_ROOT_OU',
    );
  });

  it('UNILOGIN_EMPLOYEE_TYPES: job function → lærer/pæd/tap, `*` for the rest (default tap)', () => {
    const m = loadConfig({ ...base, UNILOGIN_EMPLOYEE_TYPES: 'Lærer=lærer; Pædagog = paed ;*=tap;Skoleleder=LAERER' })
      .unilogin!.employeeTypes;
    expect([...m.byJobFunction]).toEqual([
      ['lærer', 'lærer'],
      ['pædagog', 'pæd'],
      ['skoleleder', 'lærer'],
    ]);
    expect(m.fallback).toBe('tap');
    expect(loadConfig({ ...base, UNILOGIN_EMPLOYEE_TYPES: '*=pæd' }).unilogin!.employeeTypes.fallback).toBe('pæd');
    expect(loadConfig(base).unilogin!.employeeTypes).toMatchObject({ fallback: 'tap' });
    expect(configError({ UNILOGIN_EMPLOYEE_TYPES: 'Lærer=rektor' }).message).toMatch(
      /^UNILOGIN_EMPLOYEE_TYPES: entry 1 \("Lærer=rektor"\) is not/,
    );
    expect(configError({ UNILOGIN_TIMEOUT_MS: 'soon' }).variable).toBe('UNILOGIN_TIMEOUT_MS');
  });
});

describe('CPR numbers', () => {
  it('accepts a calendar date under the century rule of the 7th digit; modulus 11 is not required', () => {
    expect(validCpr('0101701234')).toBe('0101701234');
    expect(validCpr(' 150205-4321 ')).toBe('1502054321'); // the seed's DDMMYY-XXXX form, sent without the hyphen
    expect(validCpr('3112585678')).toBe('3112585678'); // 7th digit 5, year 58: born 1858
    expect(validCpr('0104291983')).toBe('0104291983'); // the seed's example (reconstructed)
    expect(validCpr('2902004000')).toBe('2902004000'); // 7th digit 4, year 00: 2000, a leap year
  });
  it('refuses what is not one', () => {
    expect(validCpr('2902014000')).toBeNull(); // 2001 is no leap year
    expect(validCpr('3102701234')).toBeNull();
    expect(validCpr('12345678901')).toBeNull(); // a Norwegian fødselsnummer
    expect(validCpr('')).toBeNull();
    expect(validCpr(null)).toBeNull();
    expect(looksLikeCpr('010170-1234')).toBe(true);
    expect(looksLikeCpr('los:0101701234')).toBe(false);
  });
});

describe('records', () => {
  it('control 1 and the LOS name split: the last word is the family name', () => {
    expect(trimCollapse('  Anne \t Marie\n Hansen ')).toBe('Anne Marie Hansen');
    expect(trimCollapse('A\u0000B')).toBe('AB');
    expect(splitName('  Anne   Marie Hansen ')).toEqual({ firstName: 'Anne Marie', familyName: 'Hansen' });
    expect(splitName('Ulrik')).toEqual({ firstName: '', familyName: 'Ulrik' });
  });

  it('a checked person renders to XML that validates, and its fingerprint follows its content', async () => {
    const p = {
      localPersonId: 'p-1',
      nationalId: '0101701234',
      firstName: ' Anne  Marie',
      familyName: 'Hansen & Co <x>',
      email: 'amh@aarhus.dk',
      birthDate: '1970-01-01',
      employee: { type: 'pæd' as const, occupation: 'Pædagog', groupIds: ['B', 'A', 'B'] },
    };
    const c = checkPerson(p);
    expect(c).toMatchObject({ ok: true, problems: [] });
    if (!c.ok) return;
    expect(c.record).toMatchObject({ firstName: 'Anne Marie', employee: { groupIds: ['A', 'B'] } });
    const xml = personXml(c.record);
    expect(xml).toContain('<FamilyName>Hansen &amp; Co &lt;x&gt;</FamilyName>');
    const doc = `<UNILoginImport exportdatetime="2024-01-01T00:00:00" source="s">\n  <Institution>\n    <InstitutionNumber>A10035</InstitutionNumber>\n${xml}  </Institution>\n</UNILoginImport>\n`;
    expect(await validateDocument({ xml: doc }, 'uploadfull')).toEqual({ valid: true, errors: [] });
    const again = checkPerson({ ...p, firstName: 'Anne Marie' });
    expect(again.ok && fingerprint(personXml(again.record))).toBe(fingerprint(xml));
    const changed = checkPerson({ ...p, email: 'new@aarhus.dk' });
    expect(changed.ok && fingerprint(personXml(changed.record))).not.toBe(fingerprint(xml));
  });

  it('errors leave the person out, warnings drop the field', () => {
    expect(
      checkPerson({ localPersonId: 'x', firstName: '', familyName: 'Ulrik', employee: { type: 'tap', groupIds: [] } }),
    ).toMatchObject({ ok: false, problems: [{ severity: 'error', field: 'FirstName' }] });
    expect(
      checkPerson({
        localPersonId: '010170-1234',
        firstName: 'A',
        familyName: 'B',
        employee: { type: 'tap', groupIds: [] },
      }),
    ).toMatchObject({
      ok: false,
      problems: [{ field: 'LocalPersonId', message: expect.stringMatching(/never be the LocalPersonId/) }],
    });
    expect(
      checkPerson({ localPersonId: 'x', firstName: 'A', familyName: 'B', student: { type: 'stud', mainGroupId: ' ' } }),
    ).toMatchObject({ ok: false, problems: [{ field: 'MainGroupId' }] });
    const w = checkPerson({
      localPersonId: 'x',
      firstName: 'A',
      familyName: 'B',
      nationalId: '3102701234',
      email: 'nope',
      birthDate: '1970-13-45',
      employee: { type: 'tap', groupIds: [] },
    });
    expect(w).toMatchObject({ ok: true, record: { nationalId: null, email: null, birthDate: null } });
    expect(w.problems.map((x) => `${x.severity} ${x.field}`)).toEqual([
      'warning CivilRegistrationNumber',
      'warning EmailAddress',
      'warning BirthDate',
    ]);
    expect(JSON.stringify(w.problems)).not.toContain('3102701234');
  });
});

describe('the document writer', () => {
  it("streams records to a file and traces a validator's line back to its person", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idbro-unilogin-test-'));
    try {
      const path = join(dir, 'doc.xml');
      const w = await DocumentWriter.open(path, 'uploadfull', {
        exportDateTime: '2024-01-01T00:00:00',
        source: 's',
        institution: 'A10035',
      });
      const ok = (id: string) => {
        const c = checkPerson({
          localPersonId: id,
          firstName: 'A',
          familyName: 'B',
          employee: { type: 'tap', groupIds: ['G'] },
        });
        return c.ok ? personXml(c.record) : '';
      };
      await w.person(ok('p1'), 'p1');
      await w.person(ok('p2').replace('<FamilyName>', '<Gender>pige</Gender>\n        <FamilyName>'), 'p2');
      await w.person(ok('p3'), 'p3');
      w.endPersons();
      await w.group('    <Group>\n      <GroupId>G</GroupId>\n      <GroupName>G</GroupName>\n    </Group>\n');
      const written = await w.close();
      expect(written).toMatchObject({ persons: 3, groups: 1, schema: 'uploadfull' });
      const text = await readFile(path, 'utf8');
      expect(written.bytes).toBe(Buffer.byteLength(text));
      expect(text.startsWith('<UNILoginImport exportdatetime="2024-01-01T00:00:00" source="s">\n')).toBe(true);
      const check = await validateDocument({ path }, 'uploadfull');
      expect(check.valid).toBe(false);
      expect(check.errors.map((e) => w.personAtLine(e.line!))).toEqual(['p2']);
      expect(w.personAtLine(1)).toBeUndefined();
      expect(w.personAtLine(written.lines - 1)).toBeUndefined(); // a group's line
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('exportdatetime', () => {
  it('is local wall-clock time, strictly later than the last one sent', () => {
    const winter = new Date('2024-01-15T10:00:00.700Z');
    expect(localDateTime('Europe/Copenhagen', winter)).toBe('2024-01-15T11:00:00');
    expect(nextExportDateTime('Europe/Copenhagen', null, winter)).toBe('2024-01-15T11:00:00');
    expect(nextExportDateTime('Europe/Copenhagen', '2024-01-15T10:59:59', winter)).toBe('2024-01-15T11:00:00');
    expect(nextExportDateTime('Europe/Copenhagen', '2024-01-15T11:00:00', winter)).toBe('2024-01-15T11:00:01');
    // The hour repeated when summer time ends: still later than anything sent.
    expect(nextExportDateTime('Europe/Copenhagen', '2024-10-27T02:30:00', new Date('2024-10-27T01:10:00Z'))).toBe(
      '2024-10-27T02:30:01',
    );
    expect(plusOneSecond('2024-12-31T23:59:59')).toBe('2025-01-01T00:00:00');
  });
});

describe('statuskode messages', () => {
  it('say what happened and what to do', () => {
    const f = { mode: 'FULL' as const, institution: 'A10035', source: 'EASYX', exportDateTime: '2024-01-01T00:00:00' };
    expect(statusMessage(parseUploadResult(fixture('response-unknown-source.xml')), f)).toBe(
      'UNI-Login refused the FULL upload (statuskode 1: the import source is unknown; "Fejl 1: Ukendt importkilde EASYX (testxxa)"); nothing was loaded. The import source "EASYX" is not defined in UNI-Login for institution A10035: check UNILOGIN_SOURCE, or have UNI-Login define the source.',
    );
    expect(statusMessage(parseUploadResult(fixture('response-xml-errors.xml')), f)).toMatch(
      /statuskode 8: XML error .* 4 message\(s\), recorded as issues/,
    );
  });
});
