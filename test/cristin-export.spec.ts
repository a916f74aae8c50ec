/**
 * The Cristin export (jobs/cristin-export/cristin-export.ts) against the Cerebrum simulator over real HTTP: the document
 * (well-formed ISO-8859-1, units and parents, ansettelser and gjester, skipped persons), the request count of
 * the walk (each resource once: the simulator's per-path counter against the distinct resources the data
 * needs), the 15% size guard, dry runs, the download route, and one run through the GraphQL gateway and real
 * BullMQ. The sample university is simulators/data/cerebrum-sample.ts (its comment lists the special persons).
 */
import http from 'node:http';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { makeFnr, SAMPLE, type CerebrumSimulator } from '../simulators/cerebrum';
import { openStore, type Db } from '../store/db';
import { SyncStateRepo } from '../store/sync-state.repo';
import { PermanentSyncError, SyncCancelledError, type SyncProcessor } from '../jobs/framework/types';
import { DEFAULT_SCHEDULES, effectiveSchedules } from '../jobs/framework/schedules';
import {
  CRISTIN_LAST_EXPORT_KEY,
  runCristinExport,
  type LastCristinExport,
} from '../jobs/cristin-export/cristin-export';
import { createSyncService, type SyncService } from '../jobs/framework/sync-service';
import { startWorkers, type SyncWorkers } from '../jobs/framework/worker';
import { loadConfig } from '../core/config';
import type { SyncJobKind } from '../store/sync-jobs.repo';
import { cristinWalkPaths } from '../bench/cristin-export';
import { startStack, TOKENS, type Stack } from './helpers/gateway';
import { REDIS_URL, deleteRedisKeys, testLogger, uniquePrefix, waitFor } from './helpers/jobs';
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
import { first } from './helpers/defined';

const API_KEY = 'cristin-test-key';

describe('Cristin export', () => {
  let sim: CerebrumSimulator;
  let store: Db;
  let dataDir: string;
  let env: Record<string, string>;

  let stop: () => Promise<void>;

  beforeAll(async () => ({ sim, store, dataDir, env, stop } = await startCristinBed(API_KEY, 'cristin')));
  afterAll(() => stop?.());

  beforeEach(async () => {
    await resetCristinBed({ sim, store });
    await store.query('DELETE FROM sync_state');
    await fs.rm(join(dataDir, 'exports'), { recursive: true, force: true });
  });

  const exportsDir = () => join(dataDir, 'exports');
  const listExports = async () => (await fs.readdir(exportsDir()).catch(() => [] as string[])).sort();

  /** Runs the export; resolves the outcome, the run's issues/progress and the file's bytes (when one was published). */
  async function run(o: { dryRun?: boolean; force?: boolean; env?: Record<string, string>; now?: Date } = {}) {
    const r = cristinRun(store, { ...env, ...o.env }, o);
    const outcome = await runCristinExport(r.ctx, { now: o.now ? () => o.now! : undefined });
    const details = outcome.result.details as Record<string, any>;
    const bytes = details.file ? await fs.readFile(join(exportsDir(), details.file)) : null;
    return { ...r, outcome, details, bytes };
  }

  function parse(bytes: Buffer): XmlNode {
    const text = bytes.toString('latin1');
    expect(text.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>\n')).toBe(true);
    return parseXml(text);
  }

  const personsOf = (doc: XmlNode) => kids(kid(doc, 'personer')!, 'person');
  const unitsOf = (doc: XmlNode) => kids(kid(doc, 'organisasjon')!, 'enhet');
  const personNamed = (doc: XmlNode, first: string, last: string) =>
    personsOf(doc).find((p) => val(p, 'fornavn') === first && val(p, 'etternavn') === last);

  it('writes a well-formed ISO-8859-1 fridaImport: æøå as Latin-1 bytes, other characters as character references', async () => {
    const magnus = sim.data.persons.get(101020)!;
    magnus.names = magnus.names.map((n) =>
      n.source_system !== 'Cached'
        ? n
        : {
            ...n,
            name:
              n.variant === 'FIRST' ? 'Łukasz' : n.variant === 'LAST' ? 'Čáhppes & Søn 😀' : 'Łukasz Čáhppes & Søn 😀',
          },
    );

    const { bytes, outcome, details } = await run();
    expect(details.file).toMatch(/^cristin-185-\d{8}T\d{6}Z\.xml$/);
    expect(details.url).toBe(`/exports/${details.file}`);
    expect(details.bytes).toBe(bytes!.length);
    expect(outcome.message).toContain(details.file);

    // Latin-1 bytes for æøå (Ø = 0xD8), never UTF-8's two-byte forms; nothing outside 0x00..0xFF is possible.
    expect(bytes!.includes(Buffer.from('Ødegård', 'latin1'))).toBe(true);
    expect(bytes!.includes(Buffer.from('Ødegård', 'utf8'))).toBe(false);
    const text = bytes!.toString('latin1');
    expect(text).toContain('<fornavn>&#321;ukasz</fornavn>');
    expect(text).toContain('<etternavn>&#268;áhppes &amp; Søn &#128512;</etternavn>');
    expect(text).not.toContain('?ukasz');

    const doc = parse(bytes!);
    expect(doc.name).toBe('fridaImport');
    expect(val(kid(doc, 'beskrivelse')!, 'kilde')).toBe('CEREBRUM');
    expect(val(kid(doc, 'beskrivelse')!, 'dato')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(val(kid(doc, 'institusjon')!, 'institusjonsnr')).toBe('185');
    // Names round-trip through the encoding.
    expect(personNamed(doc, 'Åse', 'Ødegård')).toBeDefined();
    expect(personNamed(doc, 'Bjørn', 'Æsøy')).toBeDefined();
    expect(personNamed(doc, 'Łukasz', 'Čáhppes & Søn 😀')).toBeDefined();
    // Empty elements are left out: no element without text or children anywhere.
    const empty: string[] = [];
    const walk = (n: XmlNode) => {
      if (n.children.length === 0 && n.text === '') empty.push(n.name);
      n.children.forEach(walk);
    };
    walk(doc);
    expect(empty).toEqual([]);
  });

  it('exports the units people are placed at, keyed by stedkode, with their parents by the stedkode hierarchy', async () => {
    const { bytes, details, issues } = await run();
    const units = unitsOf(parse(bytes!));
    const byKey = new Map(units.map((u) => [keyText(u), u]));
    expect([...byKey.keys()].sort()).toEqual([
      '185/15/0/0',
      '185/15/10/0',
      '185/15/20/0',
      '185/15/40/0',
      '185/16/0/0',
      '185/16/20/0',
      '185/16/40/0',
      '185/17/0/0',
      '185/17/10/0',
      '185/33/0/0',
      '185/33/10/0',
    ]);
    expect(details.units).toBe(11);
    // FFII00 → FF0000 → 000000.
    expect(keyText(byKey.get('185/33/10/0')!, 'Under')).toBe('185/33/0/0');
    expect(keyText(byKey.get('185/33/0/0')!, 'Under')).toBe('185/0/0/0');
    expect(keyText(byKey.get('185/16/40/0')!, 'Under')).toBe('185/16/0/0');
    // Names and contacts (seed 002's USIT example): nb name, acronym, first contact of each type.
    const usit = byKey.get('185/33/0/0')!;
    expect({
      navn: val(usit, 'navnBokmal'),
      akronym: val(usit, 'akronym'),
      tlf: val(usit, 'telefonnr'),
      fax: val(usit, 'telefaxnr'),
      epost: val(usit, 'epost'),
      url: val(usit, 'URLBokmal'),
    }).toEqual({
      navn: 'Universitetets senter for informasjonsteknologi',
      akronym: 'USIT',
      tlf: '22852470',
      fax: '22852730',
      epost: 'postmottak@usit.uio.no',
      url: 'http://www.usit.uio.no/',
    });
    expect(val(byKey.get('185/16/40/0')!, 'navnBokmal')).toBe('Institutt for biovitskap'); // nn only
    expect(val(byKey.get('185/15/40/0')!, 'navnBokmal')).toBe('IMV'); // 'OU short' only
    // The institution root 000000 is no OU in Cerebrum: named by key only, and not worth an issue.
    expect(details.parents).toEqual({ reached: 0, notInCerebrum: ['000000'], unreachable: [] });
    expect(issues.filter((i) => i.field === 'enhet')).toEqual([]);
  });

  it('reaches a parent nobody is placed at through the location search, and names an unreachable one by key only', async () => {
    // 150000 (HF): its only person becomes a student, so no exported person is placed there any more.
    sim.data.persons.get(101014)!.affiliations = [
      {
        affiliation: 'STUDENT',
        status: 'STUDENT/aktiv',
        ou_id: 1500,
        create_date: '2020-08-01',
        last_date: null,
        deleted_date: null,
        source_system: 'FS',
      },
    ];
    // 170000 (JUS): nobody at all (Håkon keeps 171000; Siri the student moves to 171000).
    const hakon = sim.data.persons.get(101006)!;
    hakon.affiliations = hakon.affiliations.filter((a) => a.ou_id !== 1700);
    first(sim.data.persons.get(101019)!.affiliations).ou_id = 1710;

    const { bytes, details, issues } = await run();
    const units = new Map(unitsOf(parse(bytes!)).map((u) => [keyText(u), u]));
    expect(val(units.get('185/15/0/0')!, 'navnBokmal')).toBe('Det humanistiske fakultet');
    expect(units.has('185/17/0/0')).toBe(false);
    expect(keyText(units.get('185/17/10/0')!, 'Under')).toBe('185/17/0/0');
    expect(details.parents).toEqual({ reached: 1, notInCerebrum: ['000000'], unreachable: ['170000'] });
    expect(issues).toContainEqual(
      expect.objectContaining({
        severity: 'INFO',
        field: 'enhet',
        record: '170000',
        message: expect.stringMatching(/nobody has an affiliation there/),
      }),
    );
    // Still one request per resource, and exactly the ones the data needs (the probe's person list, its OU).
    expect(sim.stats.byPath.get('GET /v1/search/persons/affiliations?location=150000')).toBe(1);
    expect(sim.stats.byPath.get('GET /v1/persons/101014/affiliations?include_deleted=true')).toBe(1);
    expect([...sim.stats.byPath.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(sim.stats.byPath.keys())).toEqual(cristinWalkPaths(sim.data));
  });

  it('ANSATT becomes ansettelse, TILKNYTTET becomes gjest, with the person fields of the spec', async () => {
    const doc = parse((await run()).bytes!);
    const tor = personNamed(doc, 'Tor', 'Test')!;
    expect(tor.attrs).toEqual({ fnr: makeFnr('1970-01-01', 999), reservert: 'N' });
    expect({
      bruker: val(tor, 'brukernavn'),
      epost: val(tor, 'epost'),
      tlf: val(tor, 'telefonnr'),
      url: val(tor, 'URL'),
    }).toEqual({ bruker: 'torte', epost: 'torte@usit.uio.no', tlf: '+4722859999', url: 'http://example.com/tortest/' });
    const torJob = first(kids(kid(tor, 'ansettelser')!, 'ansettelse'));
    expect(keyText(torJob)).toBe('185/33/10/0');
    expect(val(torJob, 'datoFra')).toBe('2016-01-01');
    expect(val(torJob, 'datoTil')).toBeUndefined();
    expect(kid(tor, 'gjester')).toBeUndefined();

    // Personal title (PERSONALTITLE) and work title (WORKTITLE → stillingsbetegnelse).
    const aase = personNamed(doc, 'Åse', 'Ødegård')!;
    expect(val(aase, 'personligTittel')).toBe('Professor dr.philos.');
    expect(val(kid(kid(aase, 'ansettelser')!, 'ansettelse')!, 'stillingsbetegnelse')).toBe('Professor');

    // An emerita: the guest role open-ended, and her deleted employment with its end (last_date).
    const ingrid = personNamed(doc, 'Ingrid', 'Sæther')!;
    const guest = first(kids(kid(ingrid, 'gjester')!, 'gjest'));
    expect({
      key: keyText(guest),
      tittel: val(guest, 'gjestebetegnelse'),
      fra: val(guest, 'datoFra'),
      til: val(guest, 'datoTil'),
    }).toEqual({ key: '185/16/40/0', tittel: 'EMERITUS', fra: '2016-09-01', til: '9999-12-31' });
    const ended = first(kids(kid(ingrid, 'ansettelser')!, 'ansettelse'));
    expect({ fra: val(ended, 'datoFra'), til: val(ended, 'datoTil') }).toEqual({
      fra: '1980-01-01',
      til: '2016-08-31',
    });

    const oystein = personNamed(doc, 'Øystein', 'Dæhlie')!;
    expect(kid(oystein, 'ansettelser')).toBeUndefined();
    expect(val(kid(kid(oystein, 'gjester')!, 'gjest')!, 'gjestebetegnelse')).toBe('GJ-FORSKER');

    // Two rows for one job (SAP, then DFO_SAP) are one ansettelse from the first start.
    const bjorn = kids(kid(personNamed(doc, 'Bjørn', 'Æsøy')!, 'ansettelser')!, 'ansettelse');
    expect(bjorn.map((a) => [keyText(a), val(a, 'datoFra'), val(a, 'datoTil')])).toEqual([
      ['185/15/20/0', '2001-08-01', undefined],
    ]);

    // The legacy person (seed 002's older shapes) and a person without accounts.
    expect(val(personNamed(doc, 'Gunnhild', 'Gammelsæter')!, 'brukernavn')).toBe('gunnhga');
    const arild = personNamed(doc, 'Arild', 'Sætre')!;
    expect(val(arild, 'brukernavn')).toBeUndefined();
    expect(val(arild, 'epost')).toBeUndefined();

    // Students are not exported.
    expect(personNamed(doc, 'Ola', 'Nordmann')).toBeUndefined();
    expect(personsOf(doc).map((p) => val(p, 'fornavn'))).not.toContain('Solveig');
  });

  it('skips persons without fnr or names and reports them by person id, never with the fnr in full', async () => {
    const astrid = sim.data.persons.get(101013)!;
    astrid.names = astrid.names.filter((n) => !(n.source_system === 'Cached' && n.variant === 'LAST'));
    const { bytes, issues, outcome, details } = await run();
    const doc = parse(bytes!);
    expect(personsOf(doc).some((p) => val(p, 'fornavn') === 'Chiara' || val(p, 'fornavn') === 'Astrid')).toBe(false);
    expect(issues).toContainEqual(
      expect.objectContaining({ severity: 'WARNING', field: 'fnr', record: String(SAMPLE.personWithoutBirthDate) }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ severity: 'WARNING', field: 'etternavn', record: '101013' }),
    );
    // Per Ås's guest role at a missing OU is left out (his employment stays).
    expect(issues).toContainEqual(
      expect.objectContaining({
        field: 'gjest',
        record: String(SAMPLE.personWithMissingOu),
        message: expect.stringContaining('9999999'),
      }),
    );
    expect(personNamed(doc, 'Per', 'Ås')).toBeDefined();
    expect(outcome.result).toMatchObject({ created: personsOf(doc).length, skipped: 2 });
    expect(details).toMatchObject({ skipped: 2, droppedRoles: 1, persons: personsOf(doc).length });
    expect(JSON.stringify(issues)).not.toMatch(/\d{11}/);
  });

  it('asks Cerebrum for each resource once, and for no more resources than the data needs', async () => {
    const { details } = await run();
    const byPath = sim.stats.byPath;
    const repeated = [...byPath].filter(([, n]) => n !== 1);
    expect(repeated).toEqual([]);
    const needed = cristinWalkPaths(sim.data);
    expect(new Set(byPath.keys())).toEqual(needed);
    expect(sim.stats.total).toBe(needed.size);
    expect(details.upstream.requests).toBe(needed.size);
    // Skipped persons cost their record and ids only.
    expect(byPath.has(`GET /v1/persons/${SAMPLE.personWithoutBirthDate}/external-ids`)).toBe(true);
    expect(byPath.has(`GET /v1/persons/${SAMPLE.personWithoutBirthDate}/contacts`)).toBe(false);
  });

  it('names the institution after CRISTIN_ROOT_OU, read once and exported as a unit', async () => {
    const { bytes } = await run({ env: { CRISTIN_ROOT_OU: '100' } });
    const doc = parse(bytes!);
    const inst = kid(doc, 'institusjon')!;
    expect({ nr: val(inst, 'institusjonsnr'), navn: val(inst, 'navnBokmal'), akronym: val(inst, 'akronym') }).toEqual({
      nr: '185',
      navn: 'Universitetet i Oslo',
      akronym: 'UiO',
    });
    expect(unitsOf(doc).map((u) => keyText(u))).toContain('185/90/0/0');
    expect(sim.stats.byPath.get('GET /v1/ous/100')).toBe(1);
    expect(new Set(sim.stats.byPath.keys())).toEqual(cristinWalkPaths(sim.data, { rootOuId: 100 }));

    const bad = cristinRun(store, { ...env, CRISTIN_ROOT_OU: '424242' });
    await expect(runCristinExport(bad.ctx)).rejects.toThrow(/CRISTIN_ROOT_OU=424242 names no OU in Cerebrum/);
  });

  it('reports progress as persons read of persons found, ending at 1', async () => {
    const { progress, details } = await run();
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(progress).toContainEqual({
      fraction: expect.any(Number),
      message: `${details.found} of ${details.found} persons read from Cerebrum`,
    });
    expect(progress).toContainEqual({ fraction: 0, message: `0 of ${details.found} persons read from Cerebrum` });
  });

  it('holds back an export more than 15% smaller than the last one unless forced; the held file is kept', async () => {
    const first = await run({ now: new Date('2025-01-06T03:00:00Z') });
    const state = new SyncStateRepo(store);
    expect(await state.get<LastCristinExport>(CRISTIN_LAST_EXPORT_KEY)).toMatchObject({
      file: first.details.file,
      bytes: first.bytes!.length,
    });

    // Within 15%: one person fewer passes.
    sim.data.persons.delete(101020);
    const second = await run({ now: new Date('2025-01-13T03:00:00Z') });
    expect(Math.abs(second.details.sizeChange)).toBeLessThan(0.15);
    expect(second.details.previous).toMatchObject({ file: first.details.file });

    // A third of the employees gone: held back.
    for (const id of [101001, 101002, 101003, 101006, 101010, 101011, 101013, 101017]) sim.data.persons.delete(id);
    const held = cristinRun(store, env);
    const err = await runCristinExport(held.ctx, { now: () => new Date('2025-01-20T03:00:00Z') }).catch((e) => e);
    expect(err).toBeInstanceOf(PermanentSyncError);
    expect(err.message).toMatch(
      new RegExp(
        `^The new Cristin export is \\d+% smaller than the last export \\(file ${second.details.file}, \\d+ bytes; this one \\d+ bytes\\)`,
      ),
    );
    expect(err.message).toContain('kept as cristin-185-20250120T030000Z.held.xml');
    expect(err.message).toContain('run startCristinExport(force: true) to accept it');
    expect(await listExports()).toEqual(
      [first.details.file, second.details.file, 'cristin-185-20250120T030000Z.held.xml'].sort(),
    );
    expect((await state.get<LastCristinExport>(CRISTIN_LAST_EXPORT_KEY))!.file).toBe(second.details.file);

    // A dry run says what would happen and publishes nothing.
    const dry = await run({ dryRun: true, now: new Date('2025-01-20T04:00:00Z') });
    expect(dry.details).toMatchObject({ dryRun: true, wouldBeHeld: true });
    expect(dry.details.file).toBeUndefined();
    expect(dry.outcome.message).toMatch(
      /^Dry run: would export \d+ persons and \d+ units .*smaller than the last export/,
    );
    expect(await listExports()).toHaveLength(3);

    // Forced: published and recorded as the last export.
    const forced = await run({ force: true, now: new Date('2025-01-20T05:00:00Z') });
    expect(forced.details).toMatchObject({ forced: true, file: 'cristin-185-20250120T050000Z.xml' });
    expect(forced.outcome.message).toMatch(/accepted with force although \d+% smaller than the last export/);
    expect((await state.get<LastCristinExport>(CRISTIN_LAST_EXPORT_KEY))!.file).toBe(
      'cristin-185-20250120T050000Z.xml',
    );
  });

  it('a dry run builds the document, reports counts and leaves neither a file nor a new last-export record', async () => {
    const dry = await run({ dryRun: true });
    expect(dry.details).toMatchObject({ dryRun: true, previous: null, sizeChange: null });
    expect(dry.details.persons).toBeGreaterThan(15);
    expect(dry.details.bytes).toBeGreaterThan(1000);
    expect(await listExports()).toEqual([]);
    expect(await new SyncStateRepo(store).get(CRISTIN_LAST_EXPORT_KEY)).toBeUndefined();
  });

  it('fails with a clear message when CRISTIN_INSTITUTION or CEREBRUM_URL is unset', async () => {
    const noInst = cristinRun(store, { ...env, CRISTIN_INSTITUTION: '' });
    const e1 = await runCristinExport(noInst.ctx).catch((e) => e);
    expect(e1).toBeInstanceOf(PermanentSyncError);
    expect(e1.message).toMatch(/^CRISTIN_INSTITUTION is not set: set it to the Cristin institusjonsnr/);
    const noCerebrum = cristinRun(store, { ...env, CEREBRUM_URL: '' });
    const e2 = await runCristinExport(noCerebrum.ctx).catch((e) => e);
    expect(e2).toBeInstanceOf(PermanentSyncError);
    expect(e2.message).toMatch(/^CEREBRUM_URL is not set/);
    expect(sim.stats.total).toBe(0);
    expect(() => loadConfig({ CRISTIN_INSTITUTION: 'UiO' })).toThrow(
      /^CRISTIN_INSTITUTION: must be the Cristin institusjonsnr/,
    );
  });

  it('stops when cancelled, leaving no file behind', async () => {
    sim.setLatency(20);
    try {
      const r = cristinRun(store, env);
      const running = runCristinExport(r.ctx).catch((e) => e);
      await waitFor('the first persons to be read', () => r.progress.some((p) => p.fraction > 0));
      r.abort();
      expect(await running).toBeInstanceOf(SyncCancelledError);
      expect(await listExports()).toEqual([]);
      expect(await new SyncStateRepo(store).get(CRISTIN_LAST_EXPORT_KEY)).toBeUndefined();
    } finally {
      sim.setLatency(0);
    }
  });

  it('is scheduled weekly by default (Mondays 04:00), and SYNC_SCHEDULES overrides it', () => {
    expect(DEFAULT_SCHEDULES.get('CRISTIN_EXPORT')).toBe('0 4 * * 1');
    expect(effectiveSchedules(new Map()).get('CRISTIN_EXPORT')).toBe('0 4 * * 1');
    expect(
      effectiveSchedules(loadConfig({ SYNC_SCHEDULES: 'CRISTIN_EXPORT=0 5 * * 0' }).syncSchedules).get(
        'CRISTIN_EXPORT',
      ),
    ).toBe('0 5 * * 0');
    // The incremental run every 15 minutes (ending at once when nothing is pending).
    expect(effectiveSchedules(new Map()).get('CRISTIN_EXPORT:INCREMENTAL')).toBe('*/15 * * * *');
  });

  describe('download over HTTP', () => {
    let stack: Stack;
    let file: string;

    beforeAll(async () => {
      stack = await startStack({ env: { DATA_DIR: dataDir } });
    });
    afterAll(async () => {
      await stack?.stop();
    });
    beforeEach(async () => {
      file = (await run()).details.file;
      await fs.writeFile(join(dataDir, 'secret.xml'), '<secret/>');
      await fs.writeFile(join(exportsDir(), '.cristin-185-x.xml.job.tmp'), '<partial');
    });

    /** A GET with the path sent exactly as given (fetch would normalise dot segments). */
    const rawGet = (path: string, token: string | null = TOKENS.all) =>
      new Promise<{ status: number; type?: string; body: Buffer }>((resolve, reject) => {
        const req = http.get(
          `${stack.url}${path}`,
          { headers: token ? { authorization: `Bearer ${token}` } : {} },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode!, type: res.headers['content-type'], body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
      });

    it('serves the file to scopes sync and pii, byte for byte, as ISO-8859-1 XML', async () => {
      const res = await rawGet(`/exports/${file}`);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/xml; charset=ISO-8859-1');
      expect(res.body.equals(await fs.readFile(join(exportsDir(), file)))).toBe(true);
      const list = await rawGet('/exports');
      expect(JSON.parse(list.body.toString()).files).toEqual([
        expect.objectContaining({ name: file, url: `/exports/${file}` }),
      ]);
    });

    it('refuses callers without a token (401) and without scope sync (403)', async () => {
      expect((await rawGet(`/exports/${file}`, null)).status).toBe(401);
      expect((await rawGet(`/exports/${file}`, 'no-such-token')).status).toBe(401);
      const forbidden = await rawGet(`/exports/${file}`, TOKENS.read);
      expect(forbidden.status).toBe(403);
      expect(JSON.parse(forbidden.body.toString()).error.code).toBe('FORBIDDEN');
      expect((await rawGet('/exports', TOKENS.pii)).status).toBe(403);
    });

    it('serves nothing outside DATA_DIR/exports, no temp files and no other names (404)', async () => {
      for (const path of [
        '/exports/..%2Fsecret.xml',
        '/exports/..%2F..%2Fetc%2Fpasswd',
        '/exports/%2E%2E%2Fsecret.xml',
        '/exports/..',
        '/exports/../secret.xml',
        '/exports/%2Fetc%2Fpasswd',
        '/exports/.cristin-185-x.xml.job.tmp',
        '/exports/nope.xml',
        `/exports/${file}%00.txt`,
      ]) {
        const res = await rawGet(path);
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.body.toString()).not.toContain('<secret/>');
      }
    });
  });

  it('runs as a sync job: startCristinExport over GraphQL, through real BullMQ, to a downloadable file', async () => {
    const prefix = uniquePrefix('cristin');
    const logger = testLogger();
    const processors = new Map<SyncJobKind, SyncProcessor>([['CRISTIN_EXPORT', (ctx) => runCristinExport(ctx)]]);
    const jobStore = await openStore({ memory: true });
    let sync: SyncService | undefined;
    let workers: SyncWorkers | undefined;
    let stack: Stack | undefined;
    try {
      sync = await createSyncService({ config: { redisUrl: REDIS_URL }, store: jobStore, logger, processors, prefix });
      stack = await startStack({
        sim: { apiKey: API_KEY },
        env: { DATA_DIR: dataDir },
        gateway: { store: jobStore, sync },
      });
      const workerConfig = loadConfig({ ...env, REDIS_URL, CEREBRUM_URL: stack.sim.url }, { mode: 'worker' });
      workers = await startWorkers({
        config: workerConfig,
        logger,
        store: jobStore,
        processors,
        kinds: ['CRISTIN_EXPORT'],
        prefix,
        progressIntervalMs: 20,
      });

      const started = await stack.gql(
        'mutation { startCristinExport(force: false) { id kind state dryRun } }',
        {},
        TOKENS.sync,
      );
      expect(started.body.errors).toBeUndefined();
      const { id } = started.body.data.startCristinExport;
      const job = await waitFor(
        'the Cristin export to finish',
        async () => {
          const r = await stack!.gql(
            'query($id: ID!) { syncJob(id: $id) { state progress message result { created skipped details } issues { severity field record } } }',
            { id },
            TOKENS.read,
          );
          const j = r.body.data?.syncJob;
          return j && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.state) ? j : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect(job).toMatchObject({ state: 'SUCCEEDED', progress: 1, result: { skipped: 1 } });
      expect(job.message).toMatch(/^Exported \d+ persons and 11 units to cristin-185-\d{8}T\d{6}Z\.xml/);
      expect(job.issues).toContainEqual({
        severity: 'WARNING',
        field: 'fnr',
        record: String(SAMPLE.personWithoutBirthDate),
      });
      const { url, file } = job.result.details;
      expect(url).toBe(`/exports/${file}`);
      const res = await fetch(`${stack.url}${url}`, { headers: { authorization: `Bearer ${TOKENS.all}` } });
      expect(res.status).toBe(200);
      const doc = parse(Buffer.from(await res.arrayBuffer()));
      expect(personsOf(doc)).toHaveLength(job.result.created);

      // mode: INCREMENTAL reaches the run; with no change event pending it ends at once.
      const inc = await stack.gql('mutation { startCristinExport(mode: INCREMENTAL) { id } }', {}, TOKENS.sync);
      expect(inc.body.errors).toBeUndefined();
      const incJob = await waitFor(
        'the incremental Cristin export to finish',
        async () => {
          const r = await stack!.gql(
            'query($id: ID!) { syncJob(id: $id) { state message result { details } } }',
            { id: inc.body.data.startCristinExport.id },
            TOKENS.read,
          );
          const j = r.body.data?.syncJob;
          return j && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.state) ? j : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect(incJob).toMatchObject({
        state: 'SUCCEEDED',
        message: 'No pending changes: nothing to export.',
        result: { details: { mode: 'INCREMENTAL', pending: 0 } },
      });
    } finally {
      await stack?.stop();
      await workers?.close();
      await sync?.close();
      await deleteRedisKeys(prefix);
      await jobStore.close();
    }
  });
});
