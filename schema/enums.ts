import { registerEnumType } from 'type-graphql';

export enum Source {
  CEREBRUM = 'CEREBRUM',
  FS = 'FS',
  LOS = 'LOS',
  UNILOGIN = 'UNILOGIN',
}
export enum SyncKind {
  LOS_IMPORT = 'LOS_IMPORT',
  FS_IMPORT = 'FS_IMPORT',
  UNILOGIN_EXPORT = 'UNILOGIN_EXPORT',
  CRISTIN_EXPORT = 'CRISTIN_EXPORT',
}
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
