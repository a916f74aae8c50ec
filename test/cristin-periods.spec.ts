/**
 * Cristin export (issue 10 item 9), against the Cerebrum simulator over real HTTP: a person's roles at one unit
 * are merged only where their periods overlap or touch, and the parent-unit search recognises a unit it first
 * read as a wrong guess for another parent.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { CerebrumSimulator } from '../simulators/cerebrum';
import type { Db } from '../store/db';
import { runCristinExport } from '../jobs/cristin-export/cristin-export';
import {
  cristinRun,
  resetCristinBed,
  startCristinBed,
  keyText,
  kid,
  kids,
  parseXml,
  val,
  type XmlNode,
} from './helpers/cristin';

const API_KEY = 'cristin-periods-key';

describe('Cristin export: role periods and parent units', () => {
  let sim: CerebrumSimulator;
  let store: Db;
  let dataDir: string;
  let env: Record<string, string>;

  let stop: () => Promise<void>;

  beforeAll(async () => ({ sim, store, dataDir, env, stop } = await startCristinBed(API_KEY, 'cristin-periods')));
  afterAll(() => stop?.());

  beforeEach(async () => {
    await resetCristinBed({ sim, store });
  });

  async function exportDoc(): Promise<{
    doc: XmlNode;
    details: Record<string, any>;
    issues: { record?: string | null; message: string }[];
  }> {
    const r = cristinRun(store, env, { force: true });
    const outcome = await runCristinExport(r.ctx);
    const details = outcome.result.details as Record<string, any>;
    const bytes = await fs.readFile(join(dataDir, 'exports', details.file));
    return { doc: parseXml(bytes.toString('latin1')), details, issues: r.issues };
  }
  const person = (doc: XmlNode, first: string, last: string) =>
    kids(kid(doc, 'personer')!, 'person').find((p) => val(p, 'fornavn') === first && val(p, 'etternavn') === last)!;
  const jobs = (p: XmlNode) =>
    kids(kid(p, 'ansettelser')!, 'ansettelse').map((a) => ({
      key: keyText(a),
      fra: val(a, 'datoFra'),
      til: val(a, 'datoTil'),
    }));
  const ansatt = (ouId: number, create: string, o: { last?: string; deleted?: string; source?: string } = {}) => ({
    affiliation: 'ANSATT',
    status: 'ANSATT/vitenskapelig',
    ou_id: ouId,
    create_date: create,
    last_date: o.last ?? null,
    deleted_date: o.deleted ?? null,
    source_system: o.source ?? 'DFO_SAP',
  });

  it('two ANSATT rows at one unit with a gap stay two ansettelser; rows that overlap or touch become one', async () => {
    // Åse Ødegård (at 151000): employed 2002-01-11..2002-12-31 (deleted), and again from 2013-11-15.
    sim.data.persons.get(101001)!.affiliations = [
      ansatt(1510, '2013-11-15'),
      ansatt(1510, '2002-01-11', { last: '2002-12-31', deleted: '2003-01-20', source: 'SAP' }),
    ];
    // Kari Nordmann (at 330000): rows that touch (next day) and overlap, then a gap of two days, then open.
    sim.data.persons.get(101003)!.affiliations = [
      ansatt(567, '2010-01-01', { last: '2010-06-30', deleted: '2010-07-05', source: 'SAP' }),
      ansatt(567, '2010-07-01', { last: '2011-03-31', deleted: '2011-04-02', source: 'SAP' }),
      ansatt(567, '2011-02-01', { last: '2011-12-31', deleted: '2012-01-05' }),
      ansatt(567, '2012-01-03'),
    ];
    const { doc } = await exportDoc();
    expect(jobs(person(doc, 'Åse', 'Ødegård'))).toEqual([
      { key: '185/15/10/0', fra: '2002-01-11', til: '2002-12-31' },
      { key: '185/15/10/0', fra: '2013-11-15', til: undefined },
    ]);
    expect(jobs(person(doc, 'Kari', 'Nordmann'))).toEqual([
      { key: '185/33/0/0', fra: '2010-01-01', til: '2011-12-31' },
      { key: '185/33/0/0', fra: '2012-01-03', til: undefined },
    ]);
    // Two rows of one job from two source systems (Bjørn: SAP, then DFO_SAP, both open) are still one.
    expect(jobs(person(doc, 'Bjørn', 'Æsøy'))).toEqual([{ key: '185/15/20/0', fra: '2001-08-01', til: undefined }]);
  });

  it('a unit first read as a wrong guess for one parent is recognised as the parent it is one level up', async () => {
    // Faculty 18 (180000) with department 181100 and group 181110; only the group has an employee.
    const ou = (id: number, stedkode: string, name: string) => ({
      id,
      stedkode,
      names: [{ variant: 'OU name', name, language: 'nb' }],
      contact: [],
      contexts: ['LDAP_OU'],
      parent_id: null,
    });
    sim.data.ous.set(1800, ou(1800, '180000', 'Fakultet 18'));
    sim.data.ous.set(1811, ou(1811, '181100', 'Institutt 18-11'));
    sim.data.ous.set(18111, ou(18111, '181110', 'Gruppe 18-11-10'));
    sim.data.persons.get(101020)!.affiliations = [ansatt(18111, '2020-01-01')];
    // Nobody exported is placed at 181100 or 180000; one student is at both, the faculty listed first. The search
    // for 181100 reads the faculty's OU first (a wrong guess) and then the department's; the search for 180000,
    // one level up, must then recognise the faculty it has already read.
    sim.data.persons.get(101012)!.affiliations = [
      {
        affiliation: 'STUDENT',
        status: 'STUDENT/aktiv',
        ou_id: 1800,
        create_date: '2020-08-01',
        last_date: null,
        deleted_date: null,
        source_system: 'FS',
      },
      {
        affiliation: 'STUDENT',
        status: 'STUDENT/aktiv',
        ou_id: 1811,
        create_date: '2020-08-01',
        last_date: null,
        deleted_date: null,
        source_system: 'FS',
      },
    ];
    const { doc, details, issues } = await exportDoc();
    const units = new Map(kids(kid(doc, 'organisasjon')!, 'enhet').map((u) => [keyText(u), u]));
    expect(val(units.get('185/18/11/10')!, 'navnBokmal')).toBe('Gruppe 18-11-10');
    expect(val(units.get('185/18/11/0')!, 'navnBokmal')).toBe('Institutt 18-11');
    expect(val(units.get('185/18/0/0')!, 'navnBokmal')).toBe('Fakultet 18');
    expect(keyText(units.get('185/18/11/0')!, 'Under')).toBe('185/18/0/0');
    expect(details.parents.unreachable).toEqual([]);
    expect(issues.filter((i) => i.record === '180000')).toEqual([]);
    // Each resource still once: the faculty's OU was read once, and no location search was needed for it.
    expect(sim.stats.byPath.get('GET /v1/ous/1800')).toBe(1);
    expect(sim.stats.byPath.get('GET /v1/search/persons/affiliations?location=180000')).toBeUndefined();
    expect([...sim.stats.byPath.values()].every((n) => n === 1)).toBe(true);
  });
});
