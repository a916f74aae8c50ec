/**
 * The UNI-Login export (specs/unilogin-ws10.md; seed 003 is the authority): persons of the configured LOS
 * subtree(s) as Employees (and FS students as Students, through jobs/unilogin-export/students.ts), uploaded to
 * the WS10 import service as FULL, INCREMENTAL or DELETE (`params.mode`; a run without one — a scheduled run —
 * is FULL).
 *
 *   build the document into a temporary file (streaming) → validate it against our XSD (a person a failing line
 *   traces back to is left out and the document rebuilt) → nothing to send? stop → dry run? stop → upload →
 *   statuskode 0? advance the snapshot (one transaction) : fail the job
 *
 * Guard: a FULL or DELETE upload that would remove more than UNILOGIN_MAX_DROP_PERCENT (default 10) of the persons
 * UNI-Login accepted last time fails the job before anything is sent, unless the mutation said force: true
 * (scheduled runs never do). A person left out of a FULL document (failed checks or XSD) counts as removed: the
 * service deletes whoever a FULL upload does not carry. A dry run reports what the guard would do.
 *
 * Consistency: the snapshot of what UNI-Login holds moves only on statuskode 0, so a failed, cancelled or crashed
 * run sends the same difference again next time. `exportdatetime` is recorded as sent BEFORE the upload: a
 * document whose answer is lost may have been loaded, and the next one must be dated later (else statuskode 3).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../core/config';
import { privateTempDir } from '../../core/private-files';
import { UniLoginExportRepo, type UniLoginMode } from '../../store/unilogin.repo';
import { buildDeleteDocument, buildDocument, presentIds, type BuildIssue, type BuiltDocument } from './build';
import { UniLoginClient, UniLoginError, UPLOAD_METHODS } from '../../datasources/unilogin/client';
import type { DocumentHeader, WrittenDocument } from '../../datasources/unilogin/document';
import { localDate, nextExportDateTime } from './export-time';
import { LosEmployees, type UniLoginEmployeeSource } from './los-employees';
import { lineOfMessage, type UploadResult } from '../../datasources/unilogin/result';
import type { UniLoginRoots } from '../../core/settings/unilogin';
import { studentSourceFor, type UniLoginStudentSource } from './students';
import { validateDocument } from '../../datasources/unilogin/validate';
import { describeExport, statusMessage } from './outcome';
import { PermanentSyncError, SyncCancelledError, type SyncOutcome, type SyncRunContext } from '../framework/types';

export interface UniLoginExportDeps {
  /** Employees (default: LOS, the subtree(s) of UNILOGIN_ROOT_OU). */
  employees?: UniLoginEmployeeSource;
  /** Students (default: studentSourceFor(config), i.e. none until FS provides them). */
  students?: UniLoginStudentSource;
  /** The clock (tests). */
  now?: () => Date;
}

interface Settings {
  url: string;
  user: string;
  password: string;
  institution: string;
  source: string;
  roots: UniLoginRoots;
  unilogin: NonNullable<Config['unilogin']>;
}

/** The settings the export cannot run without, each missing one named. */
function settings(config: Config): Settings {
  const u = config.unilogin;
  if (!u) throw new PermanentSyncError('UNILOGIN_URL is not set: configure the UNI-Login WS10 endpoint to export to.');
  const missing = [
    !u.user && 'UNILOGIN_USER',
    !u.password && 'UNILOGIN_PASSWORD',
    !u.institution && 'UNILOGIN_INSTITUTION',
    !u.source && 'UNILOGIN_SOURCE',
    !u.rootOus && 'UNILOGIN_ROOT_OU',
  ].filter(Boolean);
  if (missing.length > 0)
    throw new PermanentSyncError(`The UNI-Login export needs ${missing.join(', ')} (see README, "UNI-Login export").`);
  return {
    url: u.url,
    user: u.user!,
    password: u.password!,
    institution: u.institution!,
    source: u.source!,
    roots: u.rootOus!,
    unilogin: u,
  };
}

function modeOf(params: Record<string, unknown>): UniLoginMode {
  const m = params.mode ?? 'FULL';
  if (m === 'FULL' || m === 'INCREMENTAL' || m === 'DELETE') return m;
  throw new PermanentSyncError(
    `Unknown UNI-Login export mode "${typeof m === 'string' ? m : JSON.stringify(m)}" (FULL, INCREMENTAL or DELETE).`,
  );
}

/** Fractions of the progress bar: building is most of the work. */
const BUILD_SHARE = 0.8;
/** Rebuilds after a failed XSD validation before giving up (each one leaves the traced persons out). */
const MAX_REBUILDS = 2;

export async function runUniLoginExport(ctx: SyncRunContext, deps: UniLoginExportDeps = {}): Promise<SyncOutcome> {
  const s = settings(ctx.config);
  const mode = modeOf(ctx.params);
  const now = deps.now ?? (() => new Date());
  const today = localDate(ctx.config.tz, now());
  const repo = new UniLoginExportRepo(ctx.store);
  const state = await repo.state(s.institution, s.source);
  if (mode === 'INCREMENTAL' && !state?.lastFullAt) {
    throw new PermanentSyncError(
      `No FULL upload to UNI-Login has been accepted yet for institution ${s.institution} and source ${s.source}, so there is nothing to increment: run startUniLoginExport(mode: FULL) first.`,
    );
  }
  const los =
    deps.employees ?? new LosEmployees(ctx.store, { roots: s.roots, today, employeeTypes: s.unilogin.employeeTypes });
  const { missingRoots } = await los.prepare();
  if (missingRoots.length > 0) {
    throw new PermanentSyncError(
      `UNILOGIN_ROOT_OU names ${missingRoots.map((u) => `los:${u}`).join(', ')}, which is no LOS unit valid today (${today}): check the setting, or run the LOS import first.`,
    );
  }
  const students = deps.students ?? studentSourceFor(ctx.config);
  const total = await los.count();
  const checkCancelled = () => {
    if (ctx.signal.aborted) throw new SyncCancelledError('UNI-Login export cancelled; nothing was sent');
  };
  const report = (i: BuildIssue) =>
    ctx.issue({
      severity: i.severity === 'error' ? 'ERROR' : 'WARNING',
      message: `${i.key}: ${i.message}`,
      field: i.field,
      record: i.key,
    });

  // The document holds every CPR: a 0700 folder of our own, the file in it 0600 (DocumentWriter).
  const dir = await privateTempDir('idbro-unilogin-');
  try {
    const header: DocumentHeader = {
      exportDateTime: nextExportDateTime(ctx.config.tz, state?.lastSentAt, now()),
      source: s.source,
      institution: s.institution,
      sourceVersion: 'idbro',
    };
    ctx.progress(0.01, `building the ${mode} document (${total} employees)`);
    const plan =
      mode === 'DELETE'
        ? await planDelete(ctx, repo, s, header, join(dir, 'uploaddelete.xml'), los, students, checkCancelled)
        : await planUpload(ctx, repo, s, mode, header, join(dir, 'uploadfull.xml'), los, students, {
            total,
            report,
            checkCancelled,
          });
    const sending = `${plan.document.persons} person(s) and ${plan.document.groups} group(s), ${plan.document.bytes} bytes`;
    const base = {
      mode,
      dryRun: ctx.dryRun,
      institution: s.institution,
      source: s.source,
      exportDateTime: header.exportDateTime,
      state,
      plan,
      sending,
    };

    if (plan.document.persons === 0 && plan.document.groups === 0 && mode !== 'FULL') {
      ctx.progress(1, 'nothing to send');
      const note =
        mode === 'DELETE'
          ? 'every person UNI-Login holds from us is still in the sources; nothing sent'
          : 'nothing changed since the last accepted upload; nothing sent';
      return describeExport({ ...base, result: null, note });
    }
    // A source that suddenly gives nobody (LOS emptied, a root moved) must not wipe UNI-Login; not even with
    // force: that is a configuration to fix, not a change to accept.
    const accepted = mode === 'FULL' && plan.present === 0 ? await repo.count(s.institution, s.source, 'person') : 0;
    if (accepted > 0) {
      throw new PermanentSyncError(
        `The sources give no person that can be sent for UNILOGIN_ROOT_OU, while UNI-Login holds ${accepted} from the last accepted upload: a FULL upload would remove them all. Check UNILOGIN_ROOT_OU and the LOS import; nothing was sent.`,
      );
    }
    const refusal = dropRefusal(mode, plan.removal, s.unilogin.maxDropPercent, ctx.params.force === true);
    if (ctx.dryRun) {
      ctx.progress(1, 'dry run: nothing sent');
      return describeExport({
        ...base,
        result: null,
        note: `dry run: would send ${sending} with ${UPLOAD_METHODS[mode]}`,
        refusal,
      });
    }
    if (refusal) throw new PermanentSyncError(refusal);

    checkCancelled();
    ctx.progress(BUILD_SHARE + 0.1, `sending ${sending}`);
    const client = await UniLoginClient.create({
      url: s.url,
      user: s.user,
      password: s.password,
      wsdl: s.unilogin.wsdl,
      timeoutMs: s.unilogin.timeoutMs,
      signal: ctx.signal,
    }).catch((e) => {
      throw asSyncError(e);
    });
    await repo.markSent(s.institution, s.source, header.exportDateTime);
    const result = await client.upload(mode, { path: plan.document.path }).catch((e) => {
      throw asSyncError(e);
    });
    ctx.logger.info(
      {
        mode,
        statuskode: result.statuskode,
        instnr: result.instnr,
        new: result.newobjects,
        updated: result.updatedobjects,
        deleted: result.deletedobjects,
        denied: result.deniedobjects,
      },
      'UNI-Login answered',
    );
    reportServiceMessages(ctx, result, plan.personAtLine);
    if (result.statuskode !== 0) {
      throw new PermanentSyncError(
        statusMessage(result, {
          mode,
          institution: s.institution,
          source: s.source,
          exportDateTime: header.exportDateTime,
        }),
      );
    }

    await ctx.store.transaction((tx) =>
      repo.accept(
        s.institution,
        s.source,
        {
          mode,
          exportDateTime: header.exportDateTime,
          jobId: ctx.jobId,
          persons: plan.sentPersons,
          groups: plan.sentGroups,
          deleted: plan.deleted,
        },
        tx,
      ),
    );
    ctx.progress(1, 'done');
    return describeExport({ ...base, result });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Plan {
  document: WrittenDocument;
  /** Persons the document carries (FULL, INCREMENTAL: valid ones, sent or unchanged; DELETE: all the sources give). */
  present: number;
  /** FULL and DELETE: how many of the persons UNI-Login accepted last time this upload removes. */
  removal?: Removal;
  leftOut: number;
  unchanged: number;
  sentPersons: [string, string][];
  sentGroups: [string, string][];
  deleted: string[];
  personAtLine: (line: number) => string | undefined;
}

async function planUpload(
  ctx: SyncRunContext,
  repo: UniLoginExportRepo,
  s: Settings,
  mode: 'FULL' | 'INCREMENTAL',
  header: DocumentHeader,
  path: string,
  los: UniLoginEmployeeSource,
  students: UniLoginStudentSource,
  o: { total: number; report: (i: BuildIssue) => void; checkCancelled: () => void },
): Promise<Plan> {
  const snapshot =
    mode === 'INCREMENTAL'
      ? {
          persons: await repo.snapshot(s.institution, s.source, 'person'),
          groups: await repo.snapshot(s.institution, s.source, 'group'),
        }
      : undefined;
  const exclude = new Set<string>();
  for (let pass = 0; ; pass++) {
    let lastShown = 0;
    const built: BuiltDocument = await buildDocument({
      mode,
      path,
      header,
      snapshot,
      exclude,
      employees: los.persons(),
      students: students.students(ctx.signal),
      // The issues of records are reported once, on the first pass; a rebuild meets the same ones again.
      onIssue: pass === 0 ? o.report : () => undefined,
      onPerson: (seen) => {
        if (seen - lastShown >= 200) {
          lastShown = seen;
          ctx.progress(
            0.01 + (BUILD_SHARE - 0.05) * Math.min(1, seen / Math.max(1, o.total)),
            `built ${seen} of ${o.total} persons`,
          );
        }
      },
      checkCancelled: o.checkCancelled,
    });
    ctx.progress(BUILD_SHARE - 0.04, `validating the document (${built.document.bytes} bytes)`);
    const check = await validateDocument({ path }, 'uploadfull');
    if (check.valid) {
      let removal: Removal | undefined;
      if (mode === 'FULL') {
        const accepted = await repo.snapshot(s.institution, s.source, 'person');
        const gone = [...accepted.keys()].filter((id) => !built.kept.has(id));
        removal = {
          accepted: accepted.size,
          removed: gone.length,
          leftOut: gone.filter((id) => built.present.has(id)).length,
        };
      }
      return {
        removal,
        document: built.document,
        present: built.kept.size,
        leftOut: built.leftOut,
        unchanged: built.unchanged,
        sentPersons: built.sentPersons,
        sentGroups: built.sentGroups,
        deleted: [],
        personAtLine: (line) => built.writer.personAtLine(line),
      };
    }
    // Trace each failing line to its person; those are left out and the document built again.
    const culprits = new Map<string, string>();
    const stray: string[] = [];
    for (const e of check.errors) {
      const key = e.line === null ? undefined : built.writer.personAtLine(e.line);
      if (key) culprits.set(key, culprits.get(key) ?? e.message);
      else stray.push(`${e.line === null ? '' : `line ${e.line}: `}${e.message}`);
    }
    if (stray.length > 0 || culprits.size === 0 || pass >= MAX_REBUILDS) {
      throw new PermanentSyncError(
        `The ${mode} document does not validate against uploadfull.xsd outside any one person's record (${stray.slice(0, 3).join('; ') || 'no line named'}): this is a fault in idbro's export; nothing was sent.`,
      );
    }
    for (const [key, message] of culprits) {
      exclude.add(key);
      ctx.issue({
        severity: 'ERROR',
        message: `${key}: left out of the upload: the record fails uploadfull.xsd: ${message}`,
        record: key,
        file: 'uploadfull.xsd',
      });
    }
  }
}

async function planDelete(
  ctx: SyncRunContext,
  repo: UniLoginExportRepo,
  s: Settings,
  header: DocumentHeader,
  path: string,
  los: UniLoginEmployeeSource,
  students: UniLoginStudentSource,
  checkCancelled: () => void,
): Promise<Plan> {
  const accepted = await repo.snapshot(s.institution, s.source, 'person');
  const present = await presentIds(los.persons(), students.students(ctx.signal), checkCancelled);
  const gone = [...accepted.keys()].filter((id) => !present.has(id)).sort();
  if (present.size === 0 && accepted.size > 0 && gone.length > 0) {
    throw new PermanentSyncError(
      `The sources give no persons at all for UNILOGIN_ROOT_OU: a DELETE upload would remove all ${accepted.size} persons UNI-Login holds from us. Check UNILOGIN_ROOT_OU and the LOS import; nothing was sent.`,
    );
  }
  const { document, writer } = await buildDeleteDocument(path, header, gone);
  const check = await validateDocument({ path }, 'uploaddelete');
  if (!check.valid) {
    throw new PermanentSyncError(
      `The DELETE document does not validate against uploaddelete.xsd (${check.errors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; ')}): a fault in idbro's export; nothing was sent.`,
    );
  }
  return {
    removal: { accepted: accepted.size, removed: gone.length, leftOut: 0 },
    document,
    present: present.size,
    leftOut: 0,
    unchanged: 0,
    sentPersons: [],
    sentGroups: [],
    deleted: gone,
    personAtLine: (line) => writer.personAtLine(line),
  };
}

export interface Removal {
  /** Persons UNI-Login accepted from us last time (the snapshot). */
  accepted: number;
  /** Of those, persons this upload removes. */
  removed: number;
  /** Of the removed, persons the sources still give but the document leaves out (failed checks or XSD). */
  leftOut: number;
}

/** Why the drop guard refuses this upload (undefined: it does not). */
export function dropRefusal(
  mode: UniLoginMode,
  r: Removal | undefined,
  maxPercent: number,
  force: boolean,
): string | undefined {
  if (!r || r.accepted === 0 || r.removed === 0) return undefined;
  const percent = (100 * r.removed) / r.accepted;
  if (percent <= maxPercent || force) return undefined;
  const leftOut =
    r.leftOut > 0
      ? `, ${r.leftOut} of them left out of the document because their records fail the checks (see issues)`
      : '';
  return (
    `The ${mode} upload would remove ${r.removed} of the ${r.accepted} persons UNI-Login accepted from us last time ` +
    `(${percent.toFixed(1)}%${leftOut}), more than UNILOGIN_MAX_DROP_PERCENT=${maxPercent}%; nothing was sent. ` +
    `If they really are to go, run startUniLoginExport(mode: ${mode}, force: true), or raise UNILOGIN_MAX_DROP_PERCENT.`
  );
}

/** Validation messages and warnings of the answer as issues, each with the person its line names. */
function reportServiceMessages(
  ctx: SyncRunContext,
  result: UploadResult,
  personAtLine: (line: number) => string | undefined,
): void {
  const one = (severity: 'ERROR' | 'WARNING', message: string) => {
    const line = lineOfMessage(message);
    const key = line === null ? undefined : personAtLine(line);
    ctx.issue({ severity, message: `UNI-Login: ${message}`, line, record: key ?? null, file: 'UNI-Login answer' });
  };
  result.validationErrors.forEach((m) => one('ERROR', m));
  result.validationWarnings.forEach((m) => one('WARNING', m));
}

/** A client failure as the job framework wants it: transient ones retried, the rest not. */
function asSyncError(e: unknown): Error {
  if (e instanceof UniLoginError) {
    if (e.kind === 'cancelled')
      return new SyncCancelledError('UNI-Login export cancelled during the upload; the snapshot was not advanced');
    return e.transient ? new Error(e.message) : new PermanentSyncError(e.message);
  }
  return e instanceof Error ? e : new Error(String(e));
}
