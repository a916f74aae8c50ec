import { registerEnumType } from 'type-graphql';
// The one import of a layer above: kinds.ts is pure data (no imports), allowed by eslint.config.mjs.
import { SYNC_KIND_NAMES, type SyncKindName } from '../jobs/framework/kinds';

export enum Source {
  CEREBRUM = 'CEREBRUM',
  FS = 'FS',
  LOS = 'LOS',
  UNILOGIN = 'UNILOGIN',
}
/**
 * The sync kinds: the names of jobs/framework/kinds.ts, in its order (a new row is a new enum value). An object
 * shaped like a string enum (`SyncKind.LOS_IMPORT === 'LOS_IMPORT'`), which is what registerEnumType reads.
 */
export const SyncKind = Object.fromEntries(SYNC_KIND_NAMES.map((name) => [name, name])) as {
  readonly [K in SyncKindName]: K;
};
export type SyncKind = SyncKindName;
export enum SyncState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
export enum UniLoginExportMode {
  FULL = 'FULL',
  INCREMENTAL = 'INCREMENTAL',
  DELETE = 'DELETE',
}
/** FULL: read all of Cerebrum; INCREMENTAL: re-read only what change events named since the last export. */
export enum CristinExportMode {
  FULL = 'FULL',
  INCREMENTAL = 'INCREMENTAL',
}

registerEnumType(Source, { name: 'Source' });
registerEnumType(SyncKind, { name: 'SyncKind' });
registerEnumType(SyncState, { name: 'SyncState' });
registerEnumType(UniLoginExportMode, { name: 'UniLoginExportMode' });
registerEnumType(CristinExportMode, {
  name: 'CristinExportMode',
  description:
    'FULL reads all of Cerebrum and reports drift against the snapshot; INCREMENTAL re-reads only the persons and units change events named (the file is the same).',
});
