/**
 * THE list of sync kinds. Adding a sync = a folder jobs/<x>/ whose index.ts exports its definition
 * (`export const sync: SyncDefinition = { kind: 'X', run }`, jobs/framework/types.ts) + one row here. Everything else that
 * names the kinds is derived from this list:
 *  - the TS type SyncKindName (below) and the GraphQL enum SyncKind (schema/enums.ts; the enum's values are the
 *    rows' names in this order, so the emitted schema follows this list);
 *  - SYNC_SCHEDULES parsing (core/config.ts: known kinds, the modes a schedule may name) and the default
 *    schedules (jobs/framework/schedules.ts);
 *  - the queues (one per kind), the processors (loaded from `module`, jobs/framework/registry.ts), the labels
 *    in messages (sync-service.ts);
 *  - SyncKindInfo (resolvers/sync-kind.resolver.ts) and the CLI's `idbro sync` (bin/jobs.ts);
 *  - the store accepts any kind name of the right shape (migration 014): it holds no list of its own.
 *
 * PURE DATA, NO IMPORTS: core/ and schema/ read this file although they sit below jobs/ (the one exception to
 * the layering rule, declared in eslint.config.mjs, which also forbids this file any import). A row therefore
 * names its sync's module by path instead of importing it; registry.ts loads it when a process needs it.
 */

/** One sync kind. */
export interface SyncKindRow {
  /** The kind's name, as in contract.graphql's enum SyncKind (upper snake case: the store checks the shape). */
  readonly name: string;
  /** How people call it in messages ("LOS import is not available yet …"). */
  readonly label: string;
  /** What it does, for people reading this list and the CLI's help. */
  readonly description: string;
  /** Its start mutation (contract.graphql). */
  readonly mutation: string;
  /** The start mutation's `mode` argument, when it has one. */
  readonly mode?: {
    /** Its GraphQL enum type (contract.graphql). */
    readonly type: string;
    /** The values; the first is what a run without a mode does. */
    readonly values: readonly string[];
    /** Whether the mutation requires it. */
    readonly required: boolean;
    /**
     * Whether SYNC_SCHEDULES may name a mode (`KIND=cron:MODE`) and SyncKindInfo.modes lists the values. False
     * for the Cristin export: its INCREMENTAL schedule is one of its defaults, not a setting.
     */
    readonly inSchedules: boolean;
  };
  /** Whether the start mutation takes `force` (to run past a guard a person may override). */
  readonly takesForce: boolean;
  /**
   * Its module, a path relative to jobs/framework/ (or absolute): a folder whose index exports `sync`, the
   * definition (types.ts SyncDefinition). A path, not an import, so that this file stays pure data; a module missing from a
   * build means that sync is not in it (its mutation answers SOURCE_DISABLED).
   */
  readonly module: string;
  /**
   * Schedules that apply unless SYNC_SCHEDULES names the kind itself (cron in TZ; with a mode, the runs carry
   * it). SYNC_SCHEDULES naming the kind replaces all of them.
   */
  readonly defaultSchedules?: readonly { readonly cron: string; readonly mode?: string }[];
}

export const SYNC_KINDS = [
  {
    name: 'LOS_IMPORT',
    label: 'LOS import',
    description: 'Imports the LOS delivery (CSV files on FTP) into the store.',
    mutation: 'startLosImport',
    takesForce: false,
    module: '../los-import',
  },
  {
    name: 'FS_IMPORT',
    label: 'FS import',
    description: 'Decides from FS (GraphQL) which students Cerebrum gets, and writes them there (or plans it).',
    mutation: 'startFsImport',
    takesForce: true,
    module: '../fs-import',
  },
  {
    name: 'UNILOGIN_EXPORT',
    label: 'UNI-Login export',
    description: 'Uploads persons and groups to UNI-Login (WS10 SOAP).',
    mutation: 'startUniLoginExport',
    mode: { type: 'UniLoginExportMode', values: ['FULL', 'INCREMENTAL', 'DELETE'], required: true, inSchedules: true },
    takesForce: true,
    module: '../unilogin-export',
  },
  {
    name: 'CRISTIN_EXPORT',
    label: 'Cristin export',
    description: 'Writes the Cristin XML file of persons and units from Cerebrum.',
    mutation: 'startCristinExport',
    mode: { type: 'CristinExportMode', values: ['FULL', 'INCREMENTAL'], required: false, inSchedules: false },
    takesForce: true,
    module: '../cristin-export',
    // A weekly full export, Mondays 04:00 (seed 002: so that missed changes do not linger), and an incremental
    // one every 15 minutes (a run with no pending change ends at once, "no pending changes").
    defaultSchedules: [{ cron: '0 4 * * 1' }, { cron: '*/15 * * * *', mode: 'INCREMENTAL' }],
  },
] as const satisfies readonly SyncKindRow[];

/** The name of a built-in sync kind. */
export type SyncKindName = (typeof SYNC_KINDS)[number]['name'];

/** The built-in kinds' names, in list order. */
export const SYNC_KIND_NAMES: readonly SyncKindName[] = SYNC_KINDS.map((k) => k.name);

/** The row of a built-in kind, or undefined for a name this list does not have. */
export function syncKindRow(name: string): SyncKindRow | undefined {
  return (SYNC_KINDS as readonly SyncKindRow[]).find((k) => k.name === name);
}
