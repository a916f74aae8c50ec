import { fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocument } from '../jobs/unilogin-export/build';
import type { SourcePerson } from '../jobs/unilogin-export/los-employees';
import { checkPerson, groupXml, personXml } from '../datasources/unilogin/record';
import { validateDocument } from '../datasources/unilogin/validate';
import { printTable } from './table';
import { itemAt } from '../simulators/data/prng';

/**
 * bench/unilogin-export.ts — the UNI-Login export's document for 50,000 synthetic persons (2,000 groups): built
 * streaming into a file and validated against uploadfull.xsd, then the INCREMENTAL document after 1% of the
 * persons changed. Each variant runs in its own child process, so its peak RSS is its own. Baseline: the same
 * document built the naive way, as one string in memory, validated from that string.
 * Target: the FULL build + validation under 10 s and 300 MB.
 */
const PERSONS = 50_000;
const GROUPS = 2_000;
const CHANGED = PERSONS / 100;

interface ChildResult {
  variant: string;
  buildMs: number;
  validateMs: number;
  bytes: number;
  persons: number;
  valid: boolean;
  /** Peak RSS when the document was built, before validation. */
  buildRssMB: number;
  maxRssMB: number;
  incremental?: { persons: number; groups: number; bytes: number; buildMs: number; validateMs: number; valid: boolean };
}

const FIRST = [
  'Anne',
  'Bo',
  'Cecilie',
  'Dorte',
  'Erik',
  'Frida',
  'Gustav',
  'Hanne',
  'Ib',
  'Jens',
  'Karen',
  'Lars',
  'Mette',
  'Niels',
  'Ole',
  'Pia',
];
const LAST = [
  'Hansen',
  'Jensen',
  'Nielsen',
  'Pedersen',
  'Andersen',
  'Christensen',
  'Larsen',
  'Sørensen',
  'Rasmussen',
  'Jørgensen',
  'Østergaard',
];
const TYPES = ['lærer', 'pæd', 'tap'] as const;

/** Person i, deterministic; `changed` gives a different family name (a "changed" person). */
function person(i: number, changed = false): SourcePerson {
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');
  const cpr = `${day}${month}${String(60 + (i % 40)).padStart(2, '0')}${String(i % 4)}${String(i % 1000).padStart(3, '0')}`;
  const g1 = i % GROUPS;
  const g2 = (i * 7) % GROUPS;
  const groups = [...new Set([g1, g2])].map((g) => ({ id: `U-${g}`, name: `Enhed ${g} (Skole)` }));
  return {
    person: {
      localPersonId: `0000${i.toString(16).padStart(4, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      nationalId: cpr,
      firstName: `${itemAt(FIRST, i % FIRST.length)} ${itemAt(FIRST, (i >> 4) % FIRST.length)}`,
      familyName: changed ? `${itemAt(LAST, i % LAST.length)}-Ændret` : itemAt(LAST, i % LAST.length),
      email: `p${i}@example.dk`,
      birthDate: null,
      employee: { type: itemAt(TYPES, i % 3), occupation: 'Pædagog', groupIds: groups.map((g) => g.id) },
    },
    groups,
  };
}

// eslint-disable-next-line @typescript-eslint/require-await -- stands in for a source stream: the export reads an AsyncIterable
async function* persons(changedEvery = 0): AsyncIterable<SourcePerson> {
  for (let i = 0; i < PERSONS; i++) yield person(i, changedEvery > 0 && i % changedEvery === 0);
}

async function* none(): AsyncIterable<never> {
  // no students
}

const header = { exportDateTime: '2024-06-01T10:00:00', source: 'bench', institution: 'A10035' };
const mb = () => process.resourceUsage().maxRSS / 1024;

async function streamingChild(dir: string): Promise<ChildResult> {
  const path = join(dir, 'full.xml');
  let t = performance.now();
  const full = await buildDocument({
    mode: 'FULL',
    path,
    header,
    employees: persons(),
    students: none(),
    onIssue: () => undefined,
  });
  const buildMs = performance.now() - t;
  const buildRssMB = mb();
  t = performance.now();
  const check = await validateDocument({ path }, 'uploadfull');
  const validateMs = performance.now() - t;
  const snapshot = { persons: new Map(full.sentPersons), groups: new Map(full.sentGroups) };
  t = performance.now();
  const inc = await buildDocument({
    mode: 'INCREMENTAL',
    path: join(dir, 'inc.xml'),
    header,
    employees: persons(100),
    students: none(),
    snapshot,
    onIssue: () => undefined,
  });
  const incBuildMs = performance.now() - t;
  t = performance.now();
  const incCheck = await validateDocument({ path: join(dir, 'inc.xml') }, 'uploadfull');
  return {
    variant: 'streaming',
    buildMs,
    validateMs,
    bytes: full.document.bytes,
    persons: full.document.persons,
    valid: check.valid,
    buildRssMB,
    maxRssMB: mb(),
    incremental: {
      persons: inc.document.persons,
      groups: inc.document.groups,
      bytes: inc.document.bytes,
      buildMs: incBuildMs,
      validateMs: performance.now() - t,
      valid: incCheck.valid,
    },
  };
}

/** The baseline: every fragment in an array, joined into one string, validated from it. */
async function naiveChild(dir: string): Promise<ChildResult> {
  let t = performance.now();
  const parts: string[] = [
    `<UNILoginImport exportdatetime="${header.exportDateTime}" source="${header.source}">\n  <Institution>\n    <InstitutionNumber>${header.institution}</InstitutionNumber>\n`,
  ];
  const groups = new Map<string, string>();
  for await (const sp of persons()) {
    const c = checkPerson(sp.person);
    if (!c.ok) continue;
    parts.push(personXml(c.record));
    for (const g of sp.groups) groups.set(g.id, g.name);
  }
  for (const [id, name] of groups) parts.push(groupXml({ id, name }));
  parts.push('  </Institution>\n</UNILoginImport>\n');
  const xml = parts.join('');
  await writeFile(join(dir, 'naive.xml'), xml);
  const buildMs = performance.now() - t;
  const buildRssMB = mb();
  t = performance.now();
  const check = await validateDocument({ xml }, 'uploadfull');
  return {
    variant: 'naive',
    buildMs,
    validateMs: performance.now() - t,
    bytes: Buffer.byteLength(xml),
    persons: PERSONS,
    valid: check.valid,
    buildRssMB,
    maxRssMB: mb(),
  };
}

function runChild(variant: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--unilogin-bench-child', variant], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as ChildResult));
    child.once('exit', (code) => {
      if (code) reject(new Error(`unilogin bench child (${variant}) exited with ${code}`));
    });
  });
}

export async function benchUniLoginExport(): Promise<Record<string, string | number>[]> {
  const streaming = await runChild('streaming');
  const naive = await runChild('naive');
  const row = (
    what: string,
    r: { buildMs: number; validateMs: number; bytes: number; persons: number; valid: boolean },
    rss: [string, string],
    target: string,
  ) => ({
    document: what,
    persons: r.persons,
    'size MB': (r.bytes / 1e6).toFixed(2),
    'build s': (r.buildMs / 1000).toFixed(2),
    'validate s': (r.validateMs / 1000).toFixed(2),
    'total s': ((r.buildMs + r.validateMs) / 1000).toFixed(2),
    valid: r.valid ? 'yes' : 'NO',
    'peak RSS build MB': rss[0],
    'peak RSS MB': rss[1],
    target,
  });
  const inc = streaming.incremental!;
  const rows = [
    row(
      'FULL, streamed to a file (idbro)',
      streaming,
      [streaming.buildRssMB.toFixed(0), streaming.maxRssMB.toFixed(0)],
      '< 10 s, < 300 MB',
    ),
    row(`INCREMENTAL after ${CHANGED} changed (1%)`, inc, ['-', '(same process)'], `${CHANGED} persons`),
    row('FULL, one string in memory (baseline)', naive, [naive.buildRssMB.toFixed(0), naive.maxRssMB.toFixed(0)], ''),
  ];
  printTable(
    `UNI-Login export document: ${PERSONS} persons, ${GROUPS} groups (build + XSD validation; each variant in its own process)`,
    rows,
  );
  return rows;
}

if (require.main === module && process.argv[2] === '--unilogin-bench-child') {
  (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idbro-bench-unilogin-'));
    try {
      const result = process.argv[3] === 'naive' ? await naiveChild(dir) : await streamingChild(dir);
      process.send!(result);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
