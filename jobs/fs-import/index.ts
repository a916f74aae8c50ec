/** The FS import (jobs/framework/kinds.ts row FS_IMPORT): FS students decided by rules/ and written to Cerebrum. */
import type { SyncDefinition } from '../framework/types';
import { runFsImport } from './fs-import';
import { defaultFsImportSource } from './fs-import-source';

export const sync: SyncDefinition = {
  kind: 'FS_IMPORT',
  run: (ctx) => runFsImport(ctx, { source: defaultFsImportSource(ctx) }),
};
