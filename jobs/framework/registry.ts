/**
 * Which syncs this build has. A sync module registers its processor when it is loaded:
 *
 *   // jobs/los-import.ts
 *   registerSyncProcessor('LOS_IMPORT', losImport);
 *
 * and `loadBuiltInSyncs()` loads every module named in BUILT_IN_SYNCS that exists in this build, so a sync
 * becomes available (its mutation enqueues, workers process its queue) just by adding its file. A kind with no
 * processor answers its mutation with SOURCE_DISABLED instead of enqueueing jobs nobody would run.
 *
 * The registry is a default, not a singleton the framework depends on: SyncService and startWorkers take a
 * `processors` map, so tests pass their own processors.
 */
import type { SyncJobKind } from '../../store/sync-jobs.repo';
import type { SyncProcessor } from './types';

const registry = new Map<SyncJobKind, SyncProcessor>();

/** Makes `processor` the sync of `kind`. A second registration of a kind replaces the first. */
export function registerSyncProcessor(kind: SyncJobKind, processor: SyncProcessor): void {
  registry.set(kind, processor);
}

export function processorFor(kind: SyncJobKind): SyncProcessor | undefined {
  return registry.get(kind);
}

/** A snapshot of the registered processors (what SyncService and startWorkers use by default). */
export function registeredProcessors(): ReadonlyMap<SyncJobKind, SyncProcessor> {
  return new Map(registry);
}

/** The module of each sync, relative to this folder; it calls registerSyncProcessor when loaded. */
export const BUILT_IN_SYNCS: Readonly<Record<SyncJobKind, string>> = {
  LOS_IMPORT: '../los-import/los-import',
  FS_IMPORT: '../fs-import/fs-import',
  UNILOGIN_EXPORT: '../unilogin-export/unilogin-export',
  CRISTIN_EXPORT: '../cristin-export/cristin-export',
};

/**
 * Loads the sync modules this build has (a missing file means that sync is not in this build yet) and returns
 * the registered processors. An error inside a module that exists is not hidden: it is thrown.
 */
export function loadBuiltInSyncs(): ReadonlyMap<SyncJobKind, SyncProcessor> {
  for (const modulePath of Object.values(BUILT_IN_SYNCS)) {
    let resolved: string;
    try {
      resolved = require.resolve(modulePath);
    } catch {
      continue; // not in this build
    }
    require(resolved);
  }
  return registeredProcessors();
}
