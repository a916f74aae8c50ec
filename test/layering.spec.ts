/**
 * The layering rule (eslint.config.mjs, import-x/no-restricted-paths) refuses an import that points up
 * (server/ bin/ → resolvers/ → jobs/ → datasources/ → store/ → schema/ → core/) and lets the downward ones
 * through. Probe files are written into the real folders (the rule works on paths), linted by the project's
 * own ESLint in a child process (its config is an ES module), and removed again.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const RULE = 'import-x/no-restricted-paths';

interface Probe {
  /** Where the probe file goes. */
  file: string;
  /** The module it imports, relative to the probe. */
  imports: string;
  /** Whether the layering rule must refuse it. */
  refused: boolean;
}

const PROBES: Probe[] = [
  { file: 'core/layering-probe-a.ts', imports: '../datasources/index', refused: true },
  { file: 'store/layering-probe-a.ts', imports: '../jobs/framework/worker', refused: true },
  { file: 'store/layering-probe-b.ts', imports: '../core/errors', refused: false },
  { file: 'schema/layering-probe-a.ts', imports: '../datasources/fs/types', refused: true },
  { file: 'datasources/layering-probe-a.ts', imports: '../resolvers/context', refused: true },
  { file: 'datasources/layering-probe-b.ts', imports: '../store/db', refused: false },
  { file: 'jobs/layering-probe-a.ts', imports: '../server/http', refused: true },
  { file: 'jobs/layering-probe-b.ts', imports: '../datasources/index', refused: false },
  { file: 'resolvers/layering-probe-a.ts', imports: '../jobs/framework/sync-service', refused: false },
  { file: 'resolvers/layering-probe-b.ts', imports: '../test/helpers/defined', refused: true },
  { file: 'simulators/layering-probe-a.ts', imports: '../store/db', refused: true },
  { file: 'server/layering-probe-a.ts', imports: '../simulators/cerebrum', refused: true },
  { file: 'server/entry/layering-probe-a.ts', imports: '../../simulators/cerebrum', refused: false },
  // The one documented exception: the pure-data list of sync kinds, read from below…
  { file: 'core/layering-probe-b.ts', imports: '../jobs/framework/kinds', refused: false },
  // …but only that file of jobs/.
  { file: 'core/layering-probe-c.ts', imports: '../jobs/framework/registry', refused: true },
];

describe('layering rule', () => {
  const written: string[] = [];
  afterAll(() => {
    for (const f of written) rmSync(join(ROOT, f), { force: true });
  });

  it('refuses every upward import and allows the downward ones', () => {
    for (const p of PROBES) {
      writeFileSync(join(ROOT, p.file), `export * from '${p.imports}';\n`);
      written.push(p.file);
    }
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...written],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    expect(run.stderr).not.toMatch(/Error:/);
    const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null }[] }[];
    const refused = new Map(
      results.map((r) => [r.filePath.slice(ROOT.length + 1), r.messages.some((m) => m.ruleId === RULE)]),
    );
    const verdicts = PROBES.map((p) => `${p.file} → ${p.imports}: ${refused.get(p.file) ? 'refused' : 'allowed'}`);
    expect(verdicts).toEqual(PROBES.map((p) => `${p.file} → ${p.imports}: ${p.refused ? 'refused' : 'allowed'}`));
  }, 120_000);
});
