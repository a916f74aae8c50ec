import type { Config, Scope } from '../core/config';
import type { Logger } from '../core/logger';
import { RequestStats } from '../datasources/cerebrum/client';
import { forbidden } from '../core/errors';
import type { SyncService } from '../jobs/framework/sync-service';
import type { Db } from '../store/db';
import {
  warnSourceDisabled as warnInto,
  type RequestSources,
  type SourceReader,
  type Warning,
} from '../datasources/index';
import type { ChangeBus } from '../datasources/cerebrum/events/change';
import type { SyncJobEvents } from '../jobs/framework/sync-events';

export type { Warning };

/** Everything a resolver may use; built fresh for every request (new loaders, new stats). */
export interface Context {
  requestId: string;
  scopes: Set<Scope>;
  log: Logger;
  config: Config;
  /** Today in the configured time zone (TZ), YYYY-MM-DD: the default for `at` arguments. */
  today: string;
  /**
   * This request's sources: a reader (fresh loaders) per enabled source, reached by global-id prefix or by the
   * `source` of an object — never by name (datasources/index.ts is the list).
   */
  sources: RequestSources;
  stats: RequestStats;
  /** The store (PostgreSQL or embedded PGlite): imported LOS data, job history, export snapshots. */
  store?: Db;
  /** Collected into `extensions.warnings` of the response (e.g. a disabled source). */
  warnings: Map<string, Warning>;
  /** Later issues hang their services here (store, jobs, …). */
  services: Record<string, unknown>;
  /** Sync jobs: start, read, cancel (jobs/framework/sync-service.ts); undefined in a process without the job queue. */
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

export function warnSourceDisabled(ctx: Pick<Context, 'warnings'>, source: string, setting: string): void {
  warnInto(ctx.warnings, source, setting);
}

/** The reader of the source of an object (a person's, a unit's, …); undefined when that source is disabled. */
export function readerOf(ctx: Context, source: string): SourceReader | undefined {
  return ctx.sources.of(source);
}

/** Today's date in a time zone, YYYY-MM-DD (core/time.ts; re-exported for the request context's users). */
export { todayIn } from '../core/time';

export { RequestStats };
