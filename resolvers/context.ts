import type { Config, Scope } from '../core/config';
import type { Logger } from '../core/logger';
import { RequestStats } from '../datasources/cerebrum/client';
import type { CerebrumSource } from '../datasources/cerebrum/source';
import { forbidden } from '../core/errors';
import type { SyncService } from '../jobs/framework/sync-service';
import type { Db } from '../store/db';
import type { LosStoreSource } from '../datasources/los-store/source';
import type { FsSource } from '../datasources/fs/source';
import type { ChangeBus } from '../datasources/cerebrum/events/change';
import type { SyncJobEvents } from '../jobs/framework/sync-events';

export interface Warning {
  code: string;
  source?: string;
  message: string;
}

/** Everything a resolver may use; built fresh for every request (new loaders, new stats). */
export interface Context {
  requestId: string;
  scopes: Set<Scope>;
  log: Logger;
  config: Config;
  /** Today in the configured time zone (TZ), YYYY-MM-DD: the default for `at` arguments. */
  today: string;
  /** Undefined when CEREBRUM_URL is not set: the source is disabled. */
  cerebrum?: CerebrumSource;
  stats: RequestStats;
  /** The store (PostgreSQL or embedded PGlite): imported LOS data, job history, export snapshots. */
  store?: Db;
  /** This request's reader of the stored LOS data (its own loaders); undefined without a store. */
  los?: LosStoreSource;
  /** This request's FS reader (its own DataLoaders); undefined when FS_URL is not set: FS is disabled. */
  fs?: FsSource;
  /** Collected into `extensions.warnings` of the response (e.g. a disabled source). */
  warnings: Map<string, Warning>;
  /** Later issues hang their services here (store, jobs, …). */
  services: Record<string, unknown>;
  /** Sync jobs: start, read, cancel (jobs/sync-service.ts); undefined in a process without the job queue. */
  sync?: SyncService;
  /** Event sources of this process for GraphQL subscriptions (server/subscriptions.ts); undefined over HTTP. */
  live?: LiveSources;
}

export interface LiveSources {
  /** Cerebrum change notices; undefined when this process receives none (CEREBRUM_EVENTS_URL unset). */
  changes?: ChangeBus;
  /** The sync jobs' queue events, opened on first use; undefined without a job queue. */
  jobEvents?: () => Promise<SyncJobEvents>;
}

export function requireScope(ctx: Context, scope: Scope, what: string): void {
  if (!ctx.scopes.has(scope)) throw forbidden(scope, what);
}

export function warnSourceDisabled(ctx: Context, source: string, setting: string): void {
  ctx.warnings.set(`SOURCE_DISABLED:${source}`, {
    code: 'SOURCE_DISABLED',
    source,
    message: `${source} is not configured (${setting} is unset): its fields resolve to null or [].`,
  });
}

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(tz: string, now = new Date()): string {
  // en-CA formats as YYYY-MM-DD. One formatter per zone: building one costs more than a cached GraphQL request.
  let f = dayFormats.get(tz);
  if (!f)
    dayFormats.set(
      tz,
      (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })),
    );
  return f.format(now);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export { RequestStats };
