/** The LOS import (jobs/framework/kinds.ts row LOS_IMPORT): the LOS delivery on FTP into the store. */
import type { SyncDefinition } from '../framework/types';
import { runLosImport } from './los-import';

export const sync: SyncDefinition = { kind: 'LOS_IMPORT', run: (ctx) => runLosImport(ctx) };
