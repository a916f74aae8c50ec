/**
 * The Cristin export (specs/cristin-export.md; seed 002): a full institusjonsdata file built from Cerebrum REST,
 * written to DATA_DIR/exports/ and served by GET /exports/<file> (server/exports.ts). Started by
 * startCristinExport(dryRun, force) and weekly by its default schedule (jobs/framework/schedules.ts).
 *
 * Steps: read Cerebrum (jobs/cristin-export/walk.ts) → write the ISO-8859-1 document to a hidden temp file →
 * compare its size with the last published export (the old script's 15% guard, SimilarSizeWriter
 * max_pct_change = 15) → rename it to its published name → record it in sync_state as the new "last export".
 *
 * Consistency: the published name appears only by an atomic rename of a complete file, and the "last export"
 * record moves only after it; a run interrupted anywhere leaves at most a temp file (removed by the next run)
 * or a published file the record does not name yet (the next run compares against the older one). A dry run
 * builds the whole document in its temp file, reports counts, size and what the guard would say, and removes it.
 *
 * The guard: a new file more than 15% larger or smaller than the last published one fails the job with a
 * PermanentSyncError (no retry: retrying builds the same file) unless the mutation said force: true. The held
 * file is kept as `<name>.held.xml` beside the published ones, downloadable for inspection, and never becomes
 * the "last export".
 *
 * Modes (params.mode, startCristinExport(mode)): FULL reads everything; INCREMENTAL re-reads only what the pending
 * changes name (jobs/cristin-export/cristin-incremental.ts) and the stored snapshot gives the rest. Both write the complete file
 * through the same guard and publication, then store the snapshot and remove the pending rows they covered in one
 * transaction with the "last export" record. A FULL reports what differs from the snapshot unannounced (drift).
 *
 * Retention: every run (not a dry run) first removes the export files (published and held) older than
 * EXPORT_RETENTION_DAYS, by the time in their names, except the last published one, whatever its age. The
 * folder is 0700 and every file (temp, held, published) 0600: the document holds every fødselsnummer.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CerebrumClient, RequestStats } from '../../datasources/cerebrum/client';
import { writeDocument } from '../../datasources/cristin/document';
import {
  cristinFileName,
  exportsDir,
  freeName,
  heldName,
  removeStaleTemps,
  sweepExports,
  tempName,
} from '../../datasources/cristin/files';
import { PRIVATE_FILE_MODE, ensurePrivateDir } from '../../core/private-files';
import { CristinWalkError, walkCerebrum, type WalkResult } from './walk';
import { Latin1XmlWriter } from '../../datasources/cristin/xml-writer';
import { UpstreamError } from '../../core/errors';
import { SyncStateRepo } from '../../store/sync-state.repo';
import { CristinSnapshotRepo, storeNow, type PendingChanges } from './snapshot';
import { driftOf, hasPending, modeOf, planOf, type Drift } from './cristin-incremental';
import { PermanentSyncError, SyncCancelledError, type SyncOutcome, type SyncRunContext } from '../framework/types';

/** sync_state key of the last published export (LastCristinExport). */
export const CRISTIN_LAST_EXPORT_KEY = 'cristin.lastExport';
/** Largest size change against the last published export that passes without force: 15% (the old script's). */
export const SIZE_GUARD = 0.15;
/** `<kilde>` of the document. */
export const CRISTIN_SOURCE_TAG = 'CEREBRUM';

export interface LastCristinExport {
  file: string;
  bytes: number;
  persons: number;
  units: number;
  institution: string;
  jobId: string;
  /** When the export started (ISO). */
  at: string;
}

export interface CristinExportOptions {
  /** The clock (tests). Default: now. */
  now?: () => Date;
  /** Persons read at once. Default 2 × CEREBRUM_CONCURRENCY. */
  personConcurrency?: number;
}

/** `YYYY-MM-DD HH:MM:SS` in `tz` (the document's `<dato>`). */
export function localDateTime(at: Date, tz: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

const percent = (fraction: number) => `${Math.round(Math.abs(fraction) * 100)}%`;

export async function runCristinExport(ctx: SyncRunContext, opts: CristinExportOptions = {}): Promise<SyncOutcome> {
  const institution = ctx.config.cristinInstitution;
  if (!institution) {
    throw new PermanentSyncError(
      'CRISTIN_INSTITUTION is not set: set it to the Cristin institusjonsnr of the institution (e.g. CRISTIN_INSTITUTION=185 for UiO) and start the export again.',
    );
  }
  const cerebrum = ctx.config.cerebrum;
  if (!cerebrum) {
    throw new PermanentSyncError(
      'CEREBRUM_URL is not set: the Cristin export reads persons and units from Cerebrum REST; configure CEREBRUM_URL (and CEREBRUM_API_KEY).',
    );
  }
  const force = ctx.params.force === true;
  const startedAt = (opts.now ?? (() => new Date()))();
  const dir = await ensurePrivateDir(exportsDir(ctx.config.dataDir));
  const removed = await removeStaleTemps(dir);
  if (removed > 0) ctx.logger.info({ removed }, 'removed temp files of an interrupted Cristin export');
  const state = new SyncStateRepo(ctx.store);
  const last = (await state.get<LastCristinExport>(CRISTIN_LAST_EXPORT_KEY)) ?? null;
  const retentionDays = ctx.config.exportRetentionDays;
  const expired = await sweepExports(dir, {
    now: startedAt,
    days: retentionDays,
    keep: last?.file ?? null,
    dryRun: ctx.dryRun,
  });
  if (expired.length > 0 && !ctx.dryRun)
    ctx.logger.info(
      { removed: expired.length, retentionDays },
      'removed Cristin exports older than EXPORT_RETENTION_DAYS',
    );

  // 1. Read Cerebrum: everything (FULL, or an incremental run with no snapshot yet), or only what changed.
  const mode = modeOf(ctx.params);
  const snapshots = new CristinSnapshotRepo(ctx.store);
  const coveredUntil = await storeNow(ctx.store);
  const snapshot = await snapshots.load();
  const pending: PendingChanges = await snapshots.pending(coveredUntil);
  if (mode === 'INCREMENTAL' && !hasPending(pending)) {
    ctx.progress(1, 'no pending changes');
    const later = pending.scheduled > 0 ? ` (${pending.scheduled} scheduled for later)` : '';
    return {
      result: {
        created: 0,
        updated: 0,
        unchanged: 0,
        terminated: 0,
        skipped: 0,
        failed: 0,
        details: { mode, dryRun: ctx.dryRun, pending: 0, scheduled: pending.scheduled },
      },
      message: `No pending changes${later}: nothing to export.`,
    };
  }
  const client = new CerebrumClient({ ...cerebrum, logger: ctx.logger.child({ source: 'CEREBRUM' }) });
  const stats = new RequestStats();
  let walk: WalkResult;
  try {
    const partial =
      mode === 'INCREMENTAL' && snapshot
        ? await planOf(pending, snapshot, { client, stats, signal: ctx.signal })
        : undefined;
    if (mode === 'INCREMENTAL' && !snapshot)
      ctx.logger.info('incremental Cristin export without a snapshot yet: reading everything, as a FULL');
    walk = await walkCerebrum({
      partial,
      client,
      stats,
      signal: ctx.signal,
      rootOuId: ctx.config.cristinRootOu,
      personConcurrency: opts.personConcurrency ?? 2 * cerebrum.concurrency,
      onProgress: (done, found) =>
        ctx.progress(found === 0 ? 0.9 : (0.9 * done) / found, `${done} of ${found} persons read from Cerebrum`),
      onIssue: (issue) => ctx.issue(issue),
    });
  } catch (e) {
    if (ctx.signal.aborted) throw new SyncCancelledError('Cristin export stopped while reading Cerebrum');
    if (e instanceof CristinWalkError) throw new PermanentSyncError(e.message);
    if (e instanceof UpstreamError && (e.upstream.status === 401 || e.upstream.status === 403))
      throw new PermanentSyncError(e.message);
    throw e;
  } finally {
    client.close();
  }
  ctx.progress(0.9, `writing ${walk.persons.length} persons and ${walk.units.length} units`);

  // 2. Write the document to a hidden temp file.
  const published = await freeName(dir, cristinFileName(institution, startedAt));
  const temp = join(dir, tempName(published, ctx.jobId));
  const out = createWriteStream(temp, { mode: PRIVATE_FILE_MODE });
  const writer = new Latin1XmlWriter(out);
  try {
    await writeDocument(
      writer,
      {
        kilde: CRISTIN_SOURCE_TAG,
        dato: localDateTime(startedAt, ctx.config.tz),
        institution: { institusjonsnr: institution, ...walk.institution },
      },
      walk.units,
      walk.persons,
    );
  } catch (e) {
    out.destroy();
    await fs.rm(temp, { force: true });
    throw e;
  }
  const bytes = writer.bytes;

  // 3. The size guard against the last published export (read before the walk, and the walk does not move it).
  const change = last && last.bytes > 0 ? (bytes - last.bytes) / last.bytes : null;
  const outsideGuard = change !== null && Math.abs(change) > SIZE_GUARD;
  /** "23% smaller than the last export" */
  const shortChange =
    change === null ? '' : `${percent(change)} ${change < 0 ? 'smaller' : 'larger'} than the last export`;
  const longChange = last ? `${shortChange} (file ${last.file}, ${last.bytes} bytes; this one ${bytes} bytes)` : '';

  const drift: Drift | null = mode === 'FULL' && snapshot ? driftOf(snapshot, walk, pending) : null;
  if (drift) {
    // Person ids and stedkoder only: never a national id.
    for (const id of drift.persons.slice(0, 100))
      ctx.issue({
        severity: 'WARNING',
        message: `Person ${id} changed in Cerebrum with no change event announcing it (drift since the last export).`,
        field: 'person',
        record: id,
      });
    for (const sk of drift.units.slice(0, 100))
      ctx.issue({
        severity: 'WARNING',
        message: `Unit ${sk} changed in Cerebrum with no change event announcing it (drift since the last export).`,
        field: 'enhet',
        record: sk,
      });
  }
  const details: Record<string, unknown> = {
    mode,
    reread: walk.read.size,
    ...(drift
      ? {
          drift: {
            persons: drift.persons.length,
            units: drift.units.length,
            personIds: drift.persons.slice(0, 100),
            stedkoder: drift.units.slice(0, 100),
          },
        }
      : {}),
    dryRun: ctx.dryRun,
    institution,
    bytes,
    persons: walk.persons.length,
    units: walk.units.length,
    found: walk.found,
    skipped: walk.skipped,
    droppedRoles: walk.droppedRoles,
    parents: {
      reached: walk.parents.reached.length,
      notInCerebrum: walk.parents.missing,
      unreachable: walk.parents.unreachable,
    },
    previous: last ? { file: last.file, bytes: last.bytes, jobId: last.jobId } : null,
    sizeChange: change === null ? null : Math.round(change * 1000) / 1000,
    forced: force,
    /** Export files older than EXPORT_RETENTION_DAYS: removed by this run (or, in a dry run, that would be). */
    expired: { retentionDays, [ctx.dryRun ? 'wouldRemove' : 'removed']: expired },
    upstream: { requests: stats.requests, retries: stats.retries, peakInFlight: stats.peakInFlight },
  };
  const counts = {
    created: walk.persons.length,
    updated: 0,
    unchanged: 0,
    terminated: 0,
    skipped: walk.skipped,
    failed: 0,
  };
  const what = `${walk.persons.length} persons and ${walk.units.length} units`;
  const driftCount = drift ? drift.persons.length + drift.units.length : 0;
  const skippedText =
    (walk.skipped > 0 ? `; ${walk.skipped} person(s) skipped (see issues)` : '') +
    (mode === 'INCREMENTAL' ? `; ${walk.read.size} person(s) re-read` : '') +
    (driftCount > 0
      ? `; ${drift!.persons.length} person(s) and ${drift!.units.length} unit(s) with changes no event announced (see issues)`
      : '');
  ctx.progress(1, 'done');

  if (ctx.dryRun) {
    await fs.rm(temp, { force: true });
    const guardText = outsideGuard
      ? `; it is ${longChange}, so a real run would be held back unless forced`
      : change === null
        ? ''
        : `; ${shortChange}`;
    return {
      result: { ...counts, details: { ...details, wouldBeHeld: outsideGuard && !force } },
      message: `Dry run: would export ${what} (${bytes} bytes)${guardText}${skippedText}.`,
    };
  }

  if (outsideGuard && !force) {
    const held = await freeName(dir, heldName(published));
    await fs.rename(temp, join(dir, held));
    throw new PermanentSyncError(
      `The new Cristin export is ${longChange}: more than the ${percent(SIZE_GUARD)} the size guard allows, so it was not published. ` +
        `It is kept as ${held} for inspection (GET /exports/${held}); run startCristinExport(force: true) to accept it.`,
    );
  }

  // 4. Publish, then record it as the last export.
  await fs.rename(temp, join(dir, published));
  const record: LastCristinExport = {
    file: published,
    bytes,
    persons: walk.persons.length,
    units: walk.units.length,
    institution,
    jobId: ctx.jobId,
    at: startedAt.toISOString(),
  };
  // The snapshot, the pending rows it covers and the "last export" move together: a crash before → a re-run.
  await ctx.store.transaction(async (tx) => {
    await snapshots.save(tx, {
      changed: mode === 'INCREMENTAL' && snapshot ? pick(walk.records, walk.read) : walk.records,
      keep: new Set(walk.records.keys()),
      units: walk.units,
      coveredUntil,
    });
    await state.set(CRISTIN_LAST_EXPORT_KEY, record, tx);
  });
  const forcedText = outsideGuard ? ` (accepted with force although ${shortChange})` : '';
  return {
    result: { ...counts, details: { ...details, file: published, url: `/exports/${published}` } },
    message: `Exported ${what} to ${published} (${bytes} bytes)${forcedText}${skippedText}.`,
  };
}

function pick<V>(m: ReadonlyMap<string, V>, keys: ReadonlySet<string>): Map<string, V> {
  return new Map([...keys].filter((k) => m.has(k)).map((k) => [k, m.get(k)!]));
}
