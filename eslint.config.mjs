// @ts-check
/**
 * Lint: typescript-eslint's type-checked rules (floating and misused promises above all: an un-awaited store
 * write is a lost row), Prettier's formatting (eslint-config-prettier switches off the rules it owns), and the
 * layering rule of ../design/architecture.md: every import points down
 *   server/ bin/ → resolvers/ → jobs/ → datasources/ → store/ → schema/ (the model) → core/
 * simulators/ stand in for external systems: they may read a source's protocol description (datasources/),
 * never the layers that use it. test/, bench/ and scripts/ may import all.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

/** What each layer may NOT import (everything above it). */
const ABOVE = {
  core: ['schema', 'store', 'datasources', 'jobs', 'resolvers', 'server', 'bin', 'simulators'],
  schema: ['store', 'datasources', 'jobs', 'resolvers', 'server', 'bin', 'simulators'],
  store: ['datasources', 'jobs', 'resolvers', 'server', 'bin', 'simulators'],
  datasources: ['jobs', 'resolvers', 'server', 'bin', 'simulators'],
  jobs: ['resolvers', 'server', 'bin', 'simulators'],
  resolvers: ['server', 'bin', 'simulators'],
  // A simulator may use a source's protocol description (the UNI-Login XSDs, the LOS CSV layout), nothing above.
  simulators: ['schema', 'store', 'jobs', 'resolvers', 'server', 'bin'],
};
/**
 * The one exception: jobs/framework/kinds.ts, THE list of sync kinds, is pure data that every layer may read
 * (core/config.ts parses SYNC_SCHEDULES against it, schema/enums.ts builds the GraphQL enum SyncKind from it).
 * That is safe only while it imports nothing: the last zone below holds it to that.
 */
const PURE_DATA = './jobs/framework/kinds.ts';
const zones = Object.entries(ABOVE).flatMap(([layer, above]) => {
  const message = `${layer}/ may not import from a layer above it (see the folder's README and design/architecture.md).`;
  // Product code never imports the tests, benchmarks or scripts either.
  const from = [...above.filter((a) => a !== 'jobs'), 'test', 'bench', 'scripts'].map((a) => `./${a}`);
  const zone = { target: `./${layer}`, from, message };
  if (!above.includes('jobs')) return [zone];
  return [zone, { target: `./${layer}`, from: './jobs', except: [PURE_DATA.replace('./jobs/', './')], message }];
});
zones.push({
  target: PURE_DATA,
  from: [
    './core',
    './schema',
    './store',
    './datasources',
    './jobs',
    './resolvers',
    './server',
    './bin',
    './simulators',
  ],
  message: 'jobs/framework/kinds.ts is pure data that every layer reads: it may import nothing of ours.',
});
// server/ is HTTP only: the entry points (server/entry/) are the only server code that may know the simulators.
zones.push({
  target: './server',
  from: ['./simulators', './test', './bench'],
  except: [],
  message: 'only server/entry/ may import the simulators.',
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/generated/**',
      'server/console/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': 'off', // madge --circular checks cycles (npm run lint:cycles), much faster
    },
  },
  {
    // server/entry/ wires the whole set, simulators included (npm start's demo).
    files: ['server/entry/**'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: zones.filter((z) => z.target !== './server') }] },
  },
  {
    // Tests and benchmarks read untyped JSON answers (`res.body.data.person.name`): the no-unsafe-* family would
    // ask for a cast on every line without catching anything the assertions do not.
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
