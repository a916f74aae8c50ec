/**
 * Which syncs this build has: every row of jobs/framework/kinds.ts (and of an extra list a caller adds, as tests
 * do) names its sync's module; loading a row requires that module and takes its `sync` export, the definition
 * (types.ts SyncDefinition). A module missing from the build means that sync is not in it: its mutation answers
 * SOURCE_DISABLED instead of enqueueing jobs nobody would run.
 *
 * Nothing here is a singleton the framework depends on: SyncService and startWorkers take a `processors` map
 * (tests pass their own) or an `extraKinds` list loaded the same way as the built-in one.
 */
import * as path from 'node:path';
import type { SyncJobKind } from '../../store/sync-jobs.repo';
import { SYNC_KINDS, type SyncKindRow } from './kinds';
import type { SyncDefinition, SyncProcessor } from './types';

/** The built-in rows followed by `extra`. A name given twice is a programming error. */
export function allKinds(extra: readonly SyncKindRow[] = []): readonly SyncKindRow[] {
  const rows: readonly SyncKindRow[] = [...SYNC_KINDS, ...extra];
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.name)) throw new Error(`sync kind ${row.name} is listed twice (jobs/framework/kinds.ts)`);
    seen.add(row.name);
  }
  return rows;
}

/**
 * Loads the module of `row` and returns its definition; undefined when the module is not in this build. An
 * error inside a module that exists is not hidden: it is thrown, and so is a module without a fitting `sync`.
 */
export function loadSync(row: SyncKindRow): SyncDefinition | undefined {
  let resolved: string;
  try {
    resolved = require.resolve(path.resolve(__dirname, row.module));
  } catch {
    return undefined; // not in this build
  }
  // Synchronous on purpose: SyncService's constructor learns its kinds from it. The row names the module by path
  // because kinds.ts is pure data (see there), so this cannot be a static import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolved) as { sync?: Partial<SyncDefinition> };
  const sync = mod.sync;
  if (!sync || sync.kind !== row.name || typeof sync.run !== 'function') {
    throw new Error(
      `${row.module} must export \`sync\`, the definition of ${row.name} ({ kind: '${row.name}', run }, jobs/framework/types.ts)`,
    );
  }
  return { kind: sync.kind, run: sync.run };
}

/** The processors of the built-in syncs this build has, and of `extra` (kinds not in jobs/framework/kinds.ts). */
export function loadSyncs(extra: readonly SyncKindRow[] = []): ReadonlyMap<SyncJobKind, SyncProcessor> {
  const processors = new Map<SyncJobKind, SyncProcessor>();
  for (const row of allKinds(extra)) {
    const sync = loadSync(row);
    if (sync) processors.set(sync.kind, sync.run);
  }
  return processors;
}

/** The processors of the built-in syncs this build has (what SyncService and startWorkers use by default). */
export function loadBuiltInSyncs(): ReadonlyMap<SyncJobKind, SyncProcessor> {
  return loadSyncs();
}

/** The processor of one built-in kind, undefined when this build does not have it. */
export function processorFor(kind: SyncJobKind): SyncProcessor | undefined {
  const row = allKinds().find((k) => k.name === kind);
  return row ? loadSync(row)?.run : undefined;
}
