/** The UNI-Login export (jobs/framework/kinds.ts row UNILOGIN_EXPORT): persons and groups to WS10. */
import type { SyncDefinition } from '../framework/types';
import { runUniLoginExport } from './unilogin-export';

export const sync: SyncDefinition = { kind: 'UNILOGIN_EXPORT', run: (ctx) => runUniLoginExport(ctx) };
