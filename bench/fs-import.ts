import { fork } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFsSimulator, fsSampleData, shiftTerm, termOfDate, type FsData, type SimTerm } from '../simulators/fs';
import { startCerebrumSimulator } from '../simulators/cerebrum';
import { emptyCerebrumData, makeFnr, type CerebrumData } from '../simulators/data/cerebrum-types';
import { itemAt, prng } from '../simulators/data/prng';
import { loadFsImportConfig } from '../jobs/fs-import/rules/config';
import type { FsPersonInput } from '../jobs/fs-import/rules/model';
import { printTable } from './table';

/**
 * bench/fs-import.ts — the FS import at university scale: 20,000 students and 3,000 teaching staff, 19,000
 * existing accounts and the configuration's groups in the Cerebrum simulator (real REST client), the embedded
 * store (PGlite). The import runs in a child process (this file with argv "worker") so its peak RSS and CPU are
 * the import's alone; the simulators run in this process.
 *
 * Two sources of the same synthetic FS data:
 *  - "FS simulator": FS GraphQL through the real FS client and datasources/fs (jobs/fs-import/fs-import-source.ts), at
 *    BENCH_FS_SIM_STUDENTS students (default the same 20,000 + 3,000 staff).
 *  - "in-memory": the same FS data mapped in this file and given through memoryFsImportSource, at full scale.
 * Runs (BENCH_FS_RUNS picks some): a dry run (what the first run will write), the first run (blocks, lifts and
 * ~45,000 memberships), then the same again (must write nothing). Baseline (what we aim at): a nightly run well under 5 minutes, FS calls ≪ students (bulk
 * reads: O(rows / page size), not O(students)), 0 Cerebrum writes on the second run, peak RSS under 1 GB.
 */
const TODAY = '2024-10-15'; // HØST 2024, after the blocking date: blocks are due
/** Sizes of the in-memory runs (BENCH_FS_STUDENTS, BENCH_FS_STAFF) and of the FS-simulator runs (BENCH_FS_SIM_STUDENTS). */
const STUDENTS = Number(process.env.BENCH_FS_STUDENTS ?? 20_000);
const STAFF = Number(process.env.BENCH_FS_STAFF ?? 3_000);
const SIM_STUDENTS = Number(process.env.BENCH_FS_SIM_STUDENTS ?? STUDENTS);
const WITH_ACCOUNT = 0.8;

interface WorkerResult {
  ms: number;
  cpuMs: number;
  maxRssMB: number;
  baseRssMB: number;
  issues: number;
  result: any;
  message: string;
}

/** `students` students and `staff` staff on the sample's units, programmes and courses (deterministic). */
/** The user name of a Feide login: what precedes the first '@' (`olanor@uio.no` → `olanor`). */
const feideUserName = (feide: string): string => feide.replace(/@.*$/s, '');

function fsBenchData(students: number, staff: number): FsData {
  const base = fsSampleData(TODAY);
  const rnd = prng(5);
  const cur: SimTerm = termOfDate(TODAY);
  const prev = shiftTerm(cur, -1);
  const data: FsData = {
    ...base,
    persons: [],
    studyRights: [],
    semesterRegistrations: [],
    examRegistrations: [],
    teaching: [],
    evuCourses: [],
    evuParticipations: [],
    invoices: [],
  };
  const programmes = base.programmes.filter((p) => p.kode !== 'ENKEMNE-MN');
  const addr = (street: string) => ({ adresselinjer: [street], postnummer: '0371', poststed: 'OSLO', landkode: 'NO' });
  for (let i = 0; i < students; i++) {
    const plnr = String(1_000_000 + i);
    const user = rnd() < WITH_ACCOUNT ? `s${i}` : null;
    data.persons.push({
      personlopenummer: plnr,
      fodselsnummer: makeFnr(`${1995 + (i % 10)}-0${1 + (i % 9)}-1${i % 9}`, i),
      fodselsdato: null,
      kjonn: i % 2 ? 'M' : 'K',
      fornavn: 'Student',
      etternavn: `Nr${i}`,
      privatEpost: null,
      institusjonsEpost: null,
      arbeidsEpost: null,
      mobilTelefon: null,
      feideBruker: user ? `${user}@uio.no` : null,
      maalform: rnd() < 0.8 ? 'BOKMÅL' : rnd() < 0.5 ? 'NYNORSK' : 'ENGELSK',
      postadresse: addr(`Hjemveien ${i}`),
      fagperson: null,
      studentnummer: String(2_000_000 + i),
      semesteradresse: rnd() < 0.7 ? addr(`Kringsjå ${i}`) : null,
    });
    const progs = [
      itemAt(programmes, i % programmes.length),
      ...(rnd() < 0.05 ? [itemAt(programmes, (i + 3) % programmes.length)] : []),
    ];
    const registered = rnd() < 0.9;
    if (registered)
      data.semesterRegistrations.push({
        personlopenummer: plnr,
        termin: cur,
        regformkode: 'STUDWEB',
        registrertDato: '2024-08-20',
      });
    if (rnd() < 0.9)
      data.semesterRegistrations.push({
        personlopenummer: plnr,
        termin: prev,
        regformkode: 'STUDWEB',
        registrertDato: '2024-01-20',
      });
    for (const p of progs) {
      const planned = p.statusUtdanningsplan && rnd() < 0.85;
      data.studyRights.push({
        id: `sr${i}-${p.kode}`,
        personlopenummer: plnr,
        studieprogramkode: p.kode,
        kull: shiftTerm(cur, -(i % 6)),
        status: rnd() < 0.97 ? 'AKTIV' : 'PERMISJON',
        gyldigFra: '2021-08-01',
        gyldigTil: null,
        begrensetTilEmner: [],
        utdanningsplan: planned
          ? {
              startTermin: shiftTerm(cur, -(i % 6)),
              bekreftelser: [
                { termin: cur, datoBekreftet: '2024-09-01' },
                { termin: prev, datoBekreftet: '2024-02-01' },
              ],
            }
          : null,
      });
      if (rnd() < 0.85) {
        const course = itemAt(p.emner, i % p.emner.length);
        data.examRegistrations.push({
          personlopenummer: plnr,
          emnekode: course,
          versjonskode: '1',
          termin: cur,
          studieprogramkode: p.kode,
        });
        data.examRegistrations.push({
          personlopenummer: plnr,
          emnekode: course,
          versjonskode: '1',
          termin: prev,
          studieprogramkode: p.kode,
        });
      }
    }
    if (rnd() < 0.5) {
      data.invoices.push({
        fakturanummer: String(9_000_000 + i),
        personlopenummer: plnr,
        termin: cur,
        statusBetalt: true,
        fakturastatus: 'OPPGJORT',
        detaljer: [{ type: 'PAPIRHEL', belop: 200 }],
      });
    }
  }
  const units = base.units.filter((u) => u.stedkode !== '900000');
  for (let j = 0; j < staff; j++) {
    const plnr = String(3_000_000 + j);
    data.persons.push({
      personlopenummer: plnr,
      fodselsnummer: makeFnr(`19${60 + (j % 30)}-0${1 + (j % 9)}-2${j % 8}`, j),
      fodselsdato: null,
      kjonn: j % 2 ? 'M' : 'K',
      fornavn: 'Fagperson',
      etternavn: `Nr${j}`,
      privatEpost: null,
      institusjonsEpost: null,
      arbeidsEpost: null,
      mobilTelefon: null,
      feideBruker: `f${j}@uio.no`,
      maalform: 'BOKMÅL',
      postadresse: addr(`Ansattveien ${j}`),
      fagperson: {
        erAktiv: true,
        ansattVed: itemAt(units, j % units.length).stedkode,
        stillingstittel: null,
        arbeidsadresse: addr('Problemveien 7'),
      },
      studentnummer: null,
      semesteradresse: null,
    });
    data.teaching.push({
      personlopenummer: plnr,
      termin: cur,
      emnekode: null,
      stedkode: itemAt(units, j % units.length).stedkode,
      rolle: 'FORELESER',
    });
  }
  return data;
}

/**
 * The same FS data as the rules' input, mapped directly (the bench's own data only needs the fields it fills;
 * jobs/fs-import/fs-import-source.ts is the real mapping, exercised by the FS-simulator runs).
 */
function personsOf(d: FsData): FsPersonInput[] {
  const programmes = new Map(d.programmes.map((p) => [p.kode, p]));
  const courses = new Map(d.courses.map((c) => [c.kode, c]));
  const term = (t: SimTerm) => ({ year: t.arstall, name: t.betegnelse });
  const address = (a: FsData['persons'][number]['postadresse']) =>
    a && { lines: a.adresselinjer, postalCode: a.postnummer, city: a.poststed, country: a.landkode };
  const out = new Map<string, FsPersonInput>();
  for (const p of d.persons) {
    out.set(p.personlopenummer, {
      personNumber: p.personlopenummer,
      nationalId: p.fodselsnummer,
      firstName: p.fornavn,
      lastName: p.etternavn,
      gender: p.kjonn,
      maalform: p.maalform,
      addresses: {
        home: address(p.postadresse),
        semester: address(p.semesteradresse),
        work: address(p.fagperson?.arbeidsadresse ?? null),
      },
      studyRights: [],
      admissionOffers: [],
      semesterRegistrations: [],
      courseRegistrations: [],
      educationPlans: [],
      evu: [],
      staffPostings: [],
      invoices: [],
      account: p.feideBruker ? { name: feideUserName(p.feideBruker), studentAccount: null } : null,
    });
  }
  for (const r of d.studyRights) {
    const p = out.get(r.personlopenummer)!;
    const prog = programmes.get(r.studieprogramkode)!;
    p.studyRights.push({
      programmeCode: prog.kode,
      status: r.status,
      validFrom: r.gyldigFra,
      validTo: r.gyldigTil,
      level: Number(prog.studieniva),
      stedkode: prog.stedkode,
      statusUtdplan: prog.statusUtdanningsplan ? 'J' : 'N',
      limitedToCourses: r.begrensetTilEmner,
    });
    if (r.utdanningsplan) {
      p.educationPlans.push({
        programmeCode: prog.kode,
        startTerm: r.utdanningsplan.startTermin && term(r.utdanningsplan.startTermin),
        confirmations: r.utdanningsplan.bekreftelser.map((b) => ({
          term: term(b.termin),
          confirmedDate: b.datoBekreftet,
        })),
      });
    }
  }
  for (const r of d.semesterRegistrations)
    out.get(r.personlopenummer)!.semesterRegistrations.push({ term: term(r.termin), regformCode: r.regformkode });
  for (const e of d.examRegistrations) {
    const programmesOf = d.programmes.filter((p) => p.emner.includes(e.emnekode)).map((p) => p.kode);
    out.get(e.personlopenummer)!.courseRegistrations.push({
      courseCode: e.emnekode,
      kind: 'EXAM',
      term: term(e.termin),
      level: Number(courses.get(e.emnekode)?.studieniva) || null,
      programmes: [...new Set([...programmesOf, ...(e.studieprogramkode ? [e.studieprogramkode] : [])])],
    });
  }
  for (const t of d.teaching)
    out.get(t.personlopenummer)!.staffPostings.push({ term: term(t.termin), stedkode: t.stedkode });
  for (const i of d.invoices)
    out.get(i.personlopenummer)!.invoices.push({
      term: term(i.termin),
      paid: i.statusBetalt,
      status: i.fakturastatus,
      lineTypes: i.detaljer.map((x) => x.type),
    });
  return [...out.values()];
}

/** The Cerebrum side: an account per Feide user (students STUDENT, staff ANSATT), 10% of students already blocked, the groups. */
function cerebrumBenchData(fsData: FsData, groups: string[]): CerebrumData {
  const data = emptyCerebrumData();
  const rnd = prng(9);
  data.ous.set(5000, { id: 5000, stedkode: '162000', names: [], contact: [], contexts: [] });
  let id = 1_000_000;
  for (const p of fsData.persons) {
    if (!p.feideBruker) continue;
    const name = feideUserName(p.feideBruker);
    const pid = id++;
    const aid = id++;
    const student = p.studentnummer !== null;
    data.persons.set(pid, {
      id: pid,
      birth_date: null,
      created_at: '2020-01-01T00:00:00',
      names: [],
      contexts: [],
      contacts: [],
      addresses: [],
      external_ids: [],
      affiliations: [
        {
          affiliation: student ? 'STUDENT' : 'ANSATT',
          status: student ? 'aktiv' : 'vitenskapelig',
          ou_id: 5000,
          create_date: '2020-01-01T00:00:00',
          last_date: null,
          deleted_date: null,
          source_system: 'FS',
        },
      ],
      account_names: [name],
      primary_account: name,
    });
    data.accounts.set(name, {
      id: aid,
      name,
      owner_id: pid,
      owner_type: 'person',
      created_at: '2020-01-01T00:00:00',
      expire_date: null,
      contexts: [],
      primary_email: null,
      np_type: null,
      quarantines:
        student && rnd() < 0.1
          ? [{ type: 'auto_inaktiv', comment: null, start: '2024-03-01', end: null, disable_until: null }]
          : [],
    });
  }
  groups.forEach((g, i) =>
    data.groups.set(g, {
      id: 3_000_000 + i,
      name: g,
      visibility: 'all',
      description: null,
      members: [],
      created_at: '2020-01-01T00:00:00',
      expire_date: null,
      contexts: [],
    }),
  );
  return data;
}

function runWorker(env: Record<string, string>): Promise<WorkerResult> {
  return new Promise((res, rej) => {
    const child = fork(__filename, ['worker'], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: 'inherit',
    });
    child.once('message', (m) => res(m as WorkerResult));
    child.once('exit', (code) => {
      if (code) rej(new Error(`fs-import worker exited with ${code}`));
    });
  });
}

export async function benchFsImport(): Promise<Record<string, string | number>[]> {
  const configPath = resolve(__dirname, '..', '..', 'config', 'fs-import.json');
  const cfgPath = await fs.access(configPath).then(
    () => configPath,
    () => resolve('config/fs-import.json'),
  );
  const cfg = loadFsImportConfig(cfgPath);
  const groups = [...new Set(cfg.profiles.flatMap((p) => p.groups))];
  const rows: Record<string, string | number>[] = [];
  for (const source of ['FS simulator', 'in-memory'] as const) {
    const students = source === 'in-memory' ? STUDENTS : SIM_STUDENTS;
    const staff = source === 'in-memory' ? STAFF : Math.round((SIM_STUDENTS * STAFF) / STUDENTS);
    const t0 = performance.now();
    const fsData = fsBenchData(students, staff);
    const cData = cerebrumBenchData(fsData, groups);
    console.log(
      `${source}: generated ${students} students, ${staff} staff, ${cData.accounts.size} accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const fsSim = source === 'FS simulator' ? await startFsSimulator({ data: fsData, today: TODAY }) : null;
    const cSim = await startCerebrumSimulator({ apiKey: 'bench-key', data: cData });
    const dataDir = await mkdtemp(join(tmpdir(), 'idbro-bench-fs-'));
    const env: Record<string, string> = {
      CEREBRUM_URL: cSim.url,
      CEREBRUM_API_KEY: 'bench-key',
      DATA_DIR: dataDir,
      FS_IMPORT_CONFIG: cfgPath,
      BENCH_TODAY: TODAY,
      ...(fsSim
        ? { FS_URL: fsSim.graphqlUrl, FS_USERNAME: fsSim.username ?? '', FS_PASSWORD: fsSim.password }
        : { BENCH_FS_IN_MEMORY: `${students}:${staff}` }),
    };
    try {
      const runs = [
        ['dry run', { BENCH_DRY_RUN: '1' }],
        ['first', {}],
        ['second', {}],
      ] as const;
      for (const [run, extra] of runs.filter(
        ([r]) => !process.env.BENCH_FS_RUNS || process.env.BENCH_FS_RUNS.split(',').includes(r),
      )) {
        fsSim?.stats.reset();
        cSim.stats.reset();
        const r = await runWorker({ ...env, ...extra });
        const byMethod: Record<string, number> & { GET: number; PUT: number; DELETE: number } = {
          GET: 0,
          PUT: 0,
          DELETE: 0,
        };
        for (const [k, n] of cSim.stats.byPath) {
          const method = k.split(' ', 1)[0] ?? k; // split() gives at least one part
          byMethod[method] = (byMethod[method] ?? 0) + n;
        }
        const c = r.result.details.counts;
        const fsCalls = fsSim ? fsSim.stats.requests : 0;
        rows.push({
          source,
          run,
          persons: c.persons,
          students: c.students,
          'time s': (r.ms / 1000).toFixed(1),
          'import CPU s': (r.cpuMs / 1000).toFixed(1),
          'FS calls': fsSim ? fsCalls : '-',
          'FS calls/student': fsSim ? (fsCalls / c.students).toFixed(3) : '-',
          'Cerebrum GETs': byMethod.GET,
          'Cerebrum writes': byMethod.PUT + byMethod.DELETE,
          'would write': r.result.details.dryRun ? (r.message.match(/would write (\d+)/)?.[1] ?? '?') : '-',
          blocked: c.blocked,
          'to create': c.accountsToCreate,
          'RSS at start MB': r.baseRssMB.toFixed(0),
          'peak RSS MB': r.maxRssMB.toFixed(0),
        });
        console.log(`${source}, ${run}: ${r.message}`);
      }
    } finally {
      await fsSim?.stop();
      await cSim.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }
  printTable(
    `FS import (real Cerebrum client and simulator, PGlite, import in a child process) — baseline: < 300 s, FS calls ≪ students, 0 writes on the second run, peak RSS < 1024 MB`,
    rows,
  );
  return rows;
}

/** The worker: one FS import with the settings of the environment; the outcome goes back over IPC. */
async function worker(): Promise<void> {
  await import('reflect-metadata');
  const { openStore } = await import('../store/db.js');
  const { runFsImport } = await import('../jobs/fs-import/fs-import.js');
  const { defaultFsImportSource } = await import('../jobs/fs-import/fs-import-source.js');
  const { loadConfig } = await import('../core/config.js');
  const { createLogger } = await import('../core/logger.js');
  const { memoryFsImportSource } = await import('../jobs/fs-import/fs-import-source.js');
  const config = loadConfig(process.env, { mode: 'worker' });
  const store = await openStore({ dataDir: config.dataDir });
  const inMemory = process.env.BENCH_FS_IN_MEMORY?.split(':').map(Number);
  const persons = inMemory ? personsOf(fsBenchData(itemAt(inMemory, 0), itemAt(inMemory, 1))) : null;
  const baseRssMB = process.memoryUsage().rss / 1024 / 1024;
  let issues = 0;
  const ctx = {
    jobId: `bench-${Date.now()}`,
    kind: 'FS_IMPORT' as const,
    dryRun: process.env.BENCH_DRY_RUN === '1',
    params: {},
    attempt: 1,
    signal: new AbortController().signal,
    store,
    config,
    logger: createLogger('silent'),
    progress: () => undefined,
    issue: () => {
      issues++;
    },
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const source = persons ? memoryFsImportSource(persons) : defaultFsImportSource(ctx);
  const out = await runFsImport(ctx, { source, today: process.env.BENCH_TODAY });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  process.send!({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    issues,
    baseRssMB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    result: out.result,
    message: out.message,
  });
}

if (require.main === module && process.argv[2] === 'worker') {
  worker().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
