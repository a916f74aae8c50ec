/**
 * What a UNI-Login export run tells its job record: the counts (the service's newobjects/updatedobjects/
 * deletedobjects/deniedobjects mapped onto the job's created/updated/terminated/failed), the details, a one-line
 * message, and — for an answer with statuskode ≠ 0 — what went wrong and what to do.
 */
import type { SyncJobResult } from '../../store/sync-jobs.repo';
import type { UniLoginExportState, UniLoginMode } from '../../store/unilogin.repo';
import type { WrittenDocument } from '../../datasources/unilogin/document';
import { STATUS_MEANINGS, type UploadResult } from '../../datasources/unilogin/result';

export interface ExportFacts {
  mode: UniLoginMode;
  dryRun: boolean;
  institution: string;
  source: string;
  exportDateTime: string;
  state: UniLoginExportState | undefined;
  plan: {
    document: WrittenDocument;
    present: number;
    leftOut: number;
    unchanged: number;
    deleted: readonly string[];
    removal?: { accepted: number; removed: number; leftOut: number };
  };
  /** "N person(s) and M group(s), B bytes" */
  sending: string;
  /** The service's answer (statuskode 0); null when nothing was sent. */
  result: UploadResult | null;
  /** Why nothing was sent. */
  note?: string;
  /** Dry run: why the drop guard would refuse a real run. */
  refusal?: string;
}

export function describeExport(f: ExportFacts): { result: SyncJobResult; message: string } {
  const { plan, result: r } = f;
  const doc = plan.document;
  const leftOut = plan.leftOut > 0 ? `; ${plan.leftOut} person(s) left out (see issues)` : '';
  const details: Record<string, unknown> = {
    mode: f.mode,
    dryRun: f.dryRun,
    institution: f.institution,
    source: f.source,
    exportDateTime: r ? f.exportDateTime : null,
    document: { persons: doc.persons, groups: doc.groups, bytes: doc.bytes },
    sent: r !== null,
    personsInSources: plan.present,
    leftOut: plan.leftOut,
    unchanged: plan.unchanged,
    // Of the persons UNI-Login accepted last time, how many this upload removes (FULL and DELETE).
    removal: plan.removal ?? null,
    ...(f.dryRun ? { wouldBeRefused: f.refusal !== undefined } : {}),
    lastAcceptedAt: r ? f.exportDateTime : (f.state?.lastAcceptedAt ?? null),
    service: r && {
      statuskode: r.statuskode,
      summary: r.summary,
      details: r.details,
      instnr: r.instnr,
      newobjects: r.newobjects,
      updatedobjects: r.updatedobjects,
      deletedobjects: r.deletedobjects,
      deniedobjects: r.deniedobjects,
      validationWarnings: r.validationWarnings.length,
    },
  };
  if (!r) {
    const message = f.dryRun
      ? `Dry run (${f.mode}): would send ${f.sending}; nothing sent${leftOut}.${f.refusal ? ` A real run would be refused: ${f.refusal}` : ''}`
      : `${f.mode}: ${f.note ?? 'nothing sent'}${plan.unchanged > 0 ? ` (${plan.unchanged} person(s) unchanged)` : ''}${leftOut}.`;
    return {
      result: {
        created: 0,
        updated: 0,
        unchanged: plan.unchanged,
        terminated: 0,
        skipped: 0,
        failed: plan.leftOut,
        details,
      },
      message,
    };
  }
  const result: SyncJobResult =
    f.mode === 'DELETE'
      ? // A delete of a person UNI-Login does not have is "denied": already gone, not a failure.
        {
          created: 0,
          updated: 0,
          unchanged: 0,
          terminated: r.deletedobjects,
          skipped: r.deniedobjects,
          failed: 0,
          details,
        }
      : {
          created: r.newobjects,
          updated: r.updatedobjects,
          unchanged:
            f.mode === 'INCREMENTAL'
              ? plan.unchanged
              : Math.max(0, doc.persons - r.newobjects - r.updatedobjects - r.deniedobjects),
          terminated: r.deletedobjects,
          skipped: 0,
          failed: r.deniedobjects + plan.leftOut,
          details,
        };
  const denied =
    f.mode !== 'DELETE' && r.deniedobjects > 0
      ? `; UNI-Login denied ${r.deniedobjects} person(s) — the answer does not say which; they are sent again by the next FULL upload`
      : '';
  const message = `UNI-Login accepted the ${f.mode} upload of ${doc.persons} person(s) and ${doc.groups} group(s): ${r.newobjects} new, ${r.updatedobjects} updated, ${r.deletedobjects} deleted, ${r.deniedobjects} denied ("${r.summary}")${denied}${leftOut}.`;
  return { result, message };
}

/** The failure message for an answer with statuskode ≠ 0: what the service said, why, and what to do. */
export function statusMessage(
  r: UploadResult,
  f: { mode: UniLoginMode; institution: string; source: string; exportDateTime: string },
): string {
  const head = `UNI-Login refused the ${f.mode} upload (statuskode ${r.statuskode}: ${STATUS_MEANINGS[r.statuskode] ?? 'unknown code'}; "${r.summary}"); nothing was loaded`;
  switch (r.statuskode) {
    case 1:
      return `${head}. The import source "${f.source}" is not defined in UNI-Login for institution ${f.institution}: check UNILOGIN_SOURCE, or have UNI-Login define the source.`;
    case 2:
      return `${head}. Institution ${f.institution} is unknown, or the WS user may not update it: check UNILOGIN_INSTITUTION and the WS user's access.`;
    case 3:
      return `${head}. UNI-Login has loaded an upload for ${f.institution}/${f.source} dated later than ${f.exportDateTime}: another system may be using the same UNILOGIN_SOURCE, or this server's clock is behind — check both.`;
    case 4:
      return `${head}. UNI-Login has no earlier upload for ${f.institution}/${f.source} to increment: run startUniLoginExport(mode: FULL).`;
    case 5:
      return `${head}. The date ${f.exportDateTime} was refused: check the server's clock and TZ.`;
    case 8:
      return `${head}. UNI-Login's XML check failed with ${r.validationErrors.length} message(s), recorded as issues, although the document passed uploadfull.xsd here: the service's schema may have changed — compare GetXmlSchema('uploadfull.xsd') with datasources/unilogin/schema.`;
    case 9:
      return `${head}. An internal error in UNI-Login: report it to UNI-Login support with the time of the upload (${f.exportDateTime}).`;
    default:
      return `${head}.`;
  }
}
