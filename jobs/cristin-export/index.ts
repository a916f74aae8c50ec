/** The Cristin export (jobs/framework/kinds.ts row CRISTIN_EXPORT): the Cristin XML file from Cerebrum. */
import type { SyncDefinition } from '../framework/types';
import { runCristinExport } from './cristin-export';

export const sync: SyncDefinition = { kind: 'CRISTIN_EXPORT', run: (ctx) => runCristinExport(ctx) };
