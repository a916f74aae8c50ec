import { registerEnumType } from 'type-graphql';

export enum Source { CEREBRUM = 'CEREBRUM', FS = 'FS', LOS = 'LOS', UNILOGIN = 'UNILOGIN' }
export enum SyncKind { LOS_IMPORT = 'LOS_IMPORT', FS_IMPORT = 'FS_IMPORT', UNILOGIN_EXPORT = 'UNILOGIN_EXPORT', CRISTIN_EXPORT = 'CRISTIN_EXPORT' }
export enum SyncState { QUEUED = 'QUEUED', RUNNING = 'RUNNING', SUCCEEDED = 'SUCCEEDED', FAILED = 'FAILED', CANCELLED = 'CANCELLED' }
export enum UniLoginExportMode { FULL = 'FULL', INCREMENTAL = 'INCREMENTAL', DELETE = 'DELETE' }

registerEnumType(Source, { name: 'Source' });
registerEnumType(SyncKind, { name: 'SyncKind' });
registerEnumType(SyncState, { name: 'SyncState' });
registerEnumType(UniLoginExportMode, { name: 'UniLoginExportMode' });
