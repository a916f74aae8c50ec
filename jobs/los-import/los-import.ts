/**
 * The Aarhus LOS import (specs/aarhus-los.md): reads the delivery folder on FTP, applies the files not applied
 * before (datasources/los/files.ts, selectFiles: by name, size and modification time, never by a clock) in the
 * spec's order into the store, records them in los_files (with the refused ones), and sets the "last import" mark.
 *
 * Consistency: the whole run is ONE store transaction. A crash, a cancel or an error anywhere rolls all of it
 * back, and the file records and the mark (written in the same transaction) do not move, so a re-run starts from the same point
 * and ends in the same state as an uninterrupted run. A dry run does everything and then rolls back. Each file
 * is applied inside a savepoint: a file that turns out unreadable half-way (a late encoding error) is undone
 * alone and the rest of the run goes on.
 *
 * Streaming: a file flows FTP → csv-parse → validation → batches of BATCH rows; only Org_inital (a few rows per
 * unit) is gathered whole, because its merge rule needs all rows of a unit.
 */
import { setMaxListeners } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { LosFtpClient } from '../../datasources/los/ftp';
import { selectFiles, type SelectedDeltaFile, type SelectedStamFile } from '../../datasources/los/files';
import { readCsv } from '../../datasources/los/csv';
import {
  DELTA_VALIDATORS,
  validateItSystemRow,
  validateStamClassRow,
  type DeltaRowTypes,
  type OrgRow,
  type OrgUnitState,
  type PersRow,
  type LederRow,
} from '../../datasources/los/records';
import { type LosIssue, redactCpr } from '../../datasources/los/values';
import { mergeOrgInitial } from '../../datasources/los/org-initial';
import { endOn, setFrom, type Version } from './history';
import type { KeyedIds } from '../../core/keyed-ids';
import { DarClient, type DarLookup } from '../../datasources/dar/client';
import { CachedDarLookup } from '../../datasources/dar/cache';
import type { Tx } from '../../store/db';
import { SyncStateRepo } from '../../store/sync-state.repo';
import { assertKeyedIds, prepareKeyedIds } from '../../store/keyed-ids.repo';
import {
  HistoryBatch,
  engagementsTable,
  loadPersons,
  managersTable,
  sameState,
  unitsTable,
  upsertPersons,
  type EngagementState,
  type ManagerState,
  type Outcome,
  type PersonRecord,
  type UnitState,
} from './write';
import { applyItSystems, applyStamClasses, seedIfFirstRun } from './los-seed';
import { PermanentSyncError, SyncCancelledError, type SyncOutcome, type SyncRunContext } from '../framework/types';

export const LOS_MARK_KEY = 'los.lastImportStartedAt';
const BATCH = 500;

export interface LosImportDeps {
  /** The DAR look-up (default: a DarClient on config.darUrl, one per run so each text is asked once). */
  dar?: DarLookup;
}

type Counts = {
  created: number;
  updated: number;
  unchanged: number;
  terminated: number;
  skipped: number;
  failed: number;
};
interface FileReport {
  name: string;
  rows: number;
  applied: number;
  failed: number;
  rejected: boolean;
}

class DryRunRollback extends Error {}
class FileRejected extends Error {}

export async function runLosImport(ctx: SyncRunContext, deps: LosImportDeps = {}): Promise<SyncOutcome> {
  const url = ctx.config.losFtpUrl;
  if (!url)
    throw new PermanentSyncError(
      'LOS_FTP_URL is not set: configure the LOS delivery folder (ftp://user:password@host:port/folder).',
    );
  const runStartedAt = new Date();
  const state = new SyncStateRepo(ctx.store);
  // Person and manager ids are keyed with the deployment's secret; stored ids of an older derivation are
  // re-derived first, so this run's rows meet them under the same ids.
  const ids = await prepareKeyedIds(ctx.store, { idKey: ctx.config.idKey, logger: ctx.logger });
  const markValue = await state.get<string>(LOS_MARK_KEY);

  const ftp = new LosFtpClient();
  const darClient = deps.dar ? undefined : new DarClient({ url: ctx.config.darUrl, logger: ctx.logger });
  const dar = new CachedDarLookup(deps.dar ?? darClient!, ctx.config.darCacheDays);
  try {
    await ftp.connect(url);
    const listing = await ftp.list();
    // The files met before are the truth, not the mark: see selectFiles (a file with an old modification time is
    // still read, and one "in the past" is refused with an issue rather than skipped without a word).
    const { rows: filesMet } = await ctx.store.query<{
      name: string;
      size: string | number | null;
      modified_at: Date | string;
      outcome: 'applied' | 'refused';
    }>('SELECT name, size, modified_at, outcome FROM los_files');
    const recorded = filesMet.map((r) => ({
      name: r.name,
      size: r.size === null ? null : Number(r.size),
      modifiedAt: new Date(r.modified_at),
      outcome: r.outcome,
    }));
    const selection = selectFiles(listing, recorded);
    await dar.load(ctx.store);
    // Every concurrent DAR look-up listens on the run's signal; hundreds at once are expected, not a leak.
    setMaxListeners(0, ctx.signal);
    const run = new LosRun(ctx, dar, ids, (name) => ftp.download(name));
    for (const issue of selection.issues) run.report(issue);
    run.totalBytes = [...selection.stam, ...selection.ordered].reduce((n, f) => n + (f.size ?? 0), 0) || 1;

    let seeded = false;
    try {
      await ctx.store.transaction(async (tx) => {
        await assertKeyedIds(tx, ids);
        seeded = await seedIfFirstRun(tx);
        for (const f of selection.stam) await run.file(tx, f, () => run.stamFile(tx, f));
        for (const f of selection.ordered) await run.file(tx, f, () => run.deltaFile(tx, f));
        if (ctx.dryRun) throw new DryRunRollback();
        await dar.save(tx);
        const met = [
          ...[...selection.stam, ...selection.ordered].map((f) => ({
            ...f,
            outcome: 'applied',
            reason: null as string | null,
          })),
          ...selection.refused.map((f) => ({ ...f, outcome: 'refused' })),
        ];
        for (const f of met) {
          await tx.query(
            `INSERT INTO los_files (name, size, modified_at, job_id, outcome, reason) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (name) DO UPDATE SET size = EXCLUDED.size, modified_at = EXCLUDED.modified_at, applied_at = now(),
               job_id = EXCLUDED.job_id, outcome = EXCLUDED.outcome, reason = EXCLUDED.reason`,
            [f.name, f.size ?? null, f.modifiedAt, ctx.jobId, f.outcome, f.reason],
          );
        }
        // When the last successful run started: shown in the result and used by the demo, no longer to pick files.
        await state.set(LOS_MARK_KEY, runStartedAt.toISOString(), tx);
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
    ctx.progress(1, 'done');
    const files = run.files;
    const c = run.counts;
    const refused = selection.refused.map((f) => f.name);
    const refusedText = refused.length > 0 ? `; ${refused.length} file(s) refused (see issues)` : '';
    const summary = `${ctx.dryRun ? 'Dry run: would apply' : 'Applied'} ${files.length} file(s): ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.terminated} ended, ${c.failed} bad row(s)${seeded ? '; seed data written' : ''}${refusedText}`;
    return {
      result: {
        ...c,
        details: {
          dryRun: ctx.dryRun,
          seeded,
          files,
          refused,
          since: markValue ?? null,
          mark: ctx.dryRun ? (markValue ?? null) : runStartedAt.toISOString(),
          dar: { ...darClient?.stats, cacheHitsAcrossRuns: dar.hits },
        },
      },
      message:
        files.length > 0
          ? summary
          : refused.length > 0
            ? `No LOS file applied: ${refused.length} new file(s) refused (see issues).`
            : 'No new LOS files since the last import.',
    };
  } finally {
    ftp.close();
    darClient?.close();
  }
}

/** One run's working state: counts, per-file reports, progress by bytes read. */
class LosRun {
  readonly counts: Counts = { created: 0, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0 };
  readonly files: FileReport[] = [];
  totalBytes = 1;
  private bytesDone = 0;
  private current!: FileReport;

  constructor(
    private readonly ctx: SyncRunContext,
    private readonly dar: DarLookup,
    private readonly ids: KeyedIds,
    private readonly download: (name: string) => Promise<Readable>,
  ) {}

  report(issue: LosIssue): void {
    this.ctx.issue({
      severity: issue.severity === 'error' ? 'ERROR' : 'WARNING',
      message: issue.message,
      file: issue.file,
      line: issue.line ?? null,
      field: issue.field ?? null,
      record: issue.record ?? null,
    });
  }

  private count(outcome: Outcome | 'terminated'): void {
    this.counts[outcome]++;
    this.current.applied++;
  }

  private checkCancelled(): void {
    if (this.ctx.signal.aborted) throw new SyncCancelledError('LOS import cancelled; nothing of this run was kept');
  }

  /** Runs one file inside a savepoint; an unreadable file is undone alone and reported. */
  async file(tx: Tx, f: SelectedStamFile | SelectedDeltaFile, apply: () => Promise<void>): Promise<void> {
    this.current = { name: f.name, rows: 0, applied: 0, failed: 0, rejected: false };
    this.files.push(this.current);
    const before = { ...this.counts };
    try {
      await tx.transaction(async () => apply());
    } catch (e) {
      if (!(e instanceof FileRejected)) throw e;
      Object.assign(this.counts, before);
      this.counts.skipped += this.current.rows;
      this.current.rejected = true;
      this.current.applied = 0;
    }
  }

  /** Streams a file's rows, counting bytes for progress; rejects the file (savepoint undone) when unreadable. */
  private async *rows(name: string) {
    const source = await this.download(name);
    const counter = new PassThrough();
    let fileBytes = 0;
    counter.on('data', (chunk: Buffer) => {
      fileBytes += chunk.length;
      this.ctx.progress(Math.min(0.99, (this.bytesDone + fileBytes) / this.totalBytes), `reading ${name}`);
    });
    source.on('error', (e) => counter.destroy(e));
    source.pipe(counter);
    const reader = readCsv(counter, name, { onIssue: (i) => this.report(i) });
    for await (const row of reader) {
      this.current.rows++;
      yield row;
    }
    this.bytesDone += fileBytes;
    if (reader.rejected) throw new FileRejected(name);
  }

  private bad(issues: LosIssue[]): void {
    for (const i of issues) this.report(i);
    this.counts.failed++;
    this.current.failed++;
  }

  async stamFile(tx: Tx, f: SelectedStamFile): Promise<void> {
    const rows: { uuid: string; title: string; name: string; userKey: string }[] = [];
    for await (const raw of this.rows(f.name)) {
      if (f.spec.facet) {
        const r = validateStamClassRow(raw, f.name, f.spec);
        if (r.ok) rows.push({ ...r.row, name: '', userKey: '' });
        else this.bad(r.issues);
      } else {
        const r = validateItSystemRow(raw, f.name, f.spec);
        if (r.ok) rows.push({ uuid: r.row.uuid, title: r.row.name, name: r.row.name, userKey: r.row.userKey });
        else this.bad(r.issues);
      }
    }
    this.checkCancelled();
    const c = f.spec.facet ? await applyStamClasses(tx, f.spec.facet, rows) : await applyItSystems(tx, rows);
    for (const k of ['created', 'updated', 'unchanged', 'terminated'] as const) {
      this.counts[k] += c[k];
      this.current.applied += c[k];
    }
  }

  async deltaFile(tx: Tx, f: SelectedDeltaFile): Promise<void> {
    const validate = DELTA_VALIDATORS[f.kind] as (
      input: unknown,
      file: string,
    ) => { ok: true; row: unknown } | { ok: false; issues: LosIssue[] };
    if (f.kind === 'Org_inital') {
      const all: OrgRow[] = [];
      for await (const raw of this.rows(f.name)) {
        const r = validate(raw, f.name);
        if (r.ok) all.push(r.row as OrgRow);
        else this.bad(r.issues);
      }
      const merged = mergeOrgInitial(all, f.name);
      merged.issues.forEach((i) => this.report(i));
      for (let i = 0; i < merged.units.length; i += BATCH) {
        this.checkCancelled();
        const part = merged.units.slice(i, i + BATCH);
        await this.applyUnits(
          tx,
          f,
          part.map((u) => ({ uuid: u.uuid, line: u.versions[0]?.lines[0], versions: u.versions })),
          'replace',
        );
      }
      return;
    }
    let batch: unknown[] = [];
    const flush = async () => {
      this.checkCancelled();
      await this.applyBatch(tx, f, batch);
      batch = [];
    };
    for await (const raw of this.rows(f.name)) {
      const r = validate(raw, f.name);
      if (!r.ok) {
        this.bad(r.issues);
        continue;
      }
      batch.push(r.row);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
  }

  private async applyBatch(tx: Tx, f: SelectedDeltaFile, rows: unknown[]): Promise<void> {
    switch (f.kind) {
      case 'Org_nye':
      case 'Org_ret': {
        const org = rows as OrgRow[];
        await this.applyUnits(
          tx,
          f,
          org.map((r) => ({
            uuid: r.uuid,
            line: r.line,
            // Org_ret: the whole state from the file's date on; its SlutDato applies unless open (spec, Org files).
            versions: [
              { from: f.kind === 'Org_ret' ? f.effectiveDate : r.from, to: r.to, state: stateOf(r), lines: [r.line] },
            ],
          })),
          'from',
        );
        return;
      }
      case 'Pers_nye':
      case 'Pers_ret':
        return this.applyEngagements(tx, f, rows as PersRow[]);
      case 'Pers_luk':
        return this.endObjects(
          tx,
          f,
          engagementsTable,
          (rows as DeltaRowTypes['Pers_luk'][]).map((r) => ({ uuid: r.uuid, line: r.line })),
          'engagement',
        );
      case 'Leder_nye':
      case 'Leder_ret':
        return this.applyManagers(tx, f, rows as LederRow[]);
      case 'Leder_luk':
        return this.endObjects(
          tx,
          f,
          managersTable,
          (rows as DeltaRowTypes['Leder_luk'][]).map((r) => ({
            uuid: this.ids.manager(r.orgUnitUuid, r.cpr),
            line: r.line,
          })),
          'manager',
        );
      default:
        return;
    }
  }

  /** Units with their DAR look-ups: each distinct PostAdresse text once per run (the client caches). */
  private async applyUnits(
    tx: Tx,
    f: SelectedDeltaFile,
    units: {
      uuid: string;
      line?: number;
      versions: { from: string; to: string | null; state: OrgUnitState; lines: number[] }[];
    }[],
    mode: 'replace' | 'from',
  ): Promise<void> {
    const texts = new Set(
      units.flatMap((u) => u.versions.map((v) => v.state.addresses.postAddress).filter((t): t is string => !!t)),
    );
    const washed = new Map<string, string | null>();
    await Promise.all(
      [...texts].map(async (text) => {
        const r = await this.dar.wash(text, this.ctx.signal);
        washed.set(text, r.ok ? r.id : null);
        if (!r.ok) {
          for (const u of units) {
            const v = u.versions.find((x) => x.state.addresses.postAddress === text);
            if (v) {
              this.report({
                severity: 'warning',
                file: f.name,
                line: v.lines[0],
                field: 'PostAdresse',
                message: `PostAdresse "${text}" was not found in DAR (${r.reason}); unit ${u.uuid} is imported without its postal address`,
              });
            }
          }
        }
      }),
    );
    const batch = new HistoryBatch(unitsTable);
    await batch.load(
      tx,
      units.map((u) => u.uuid),
    );
    for (const u of units) {
      const versions: Version<UnitState>[] = u.versions.map((v) => ({
        from: v.from,
        to: v.to,
        state: toUnitState(v.state, washed),
      }));
      const next =
        mode === 'replace'
          ? versions
          : versions.reduce((h, v) => setFrom(h, v.from, v.to, v.state, sameJson), batch.history(u.uuid));
      this.count(batch.set(u.uuid, next));
    }
    await batch.flush(tx);
  }

  private async applyEngagements(tx: Tx, f: SelectedDeltaFile, rows: PersRow[]): Promise<void> {
    const persons = await loadPersons(
      tx,
      rows.map((r) => r.cpr),
    );
    const changedPersons = new Map<string, PersonRecord>();
    const batch = new HistoryBatch(engagementsTable);
    await batch.load(
      tx,
      rows.map((r) => r.uuid),
    );
    for (const r of rows) {
      let p = persons.get(r.cpr);
      const email = r.email ?? p?.email ?? null;
      if (!p || p.name !== r.name || p.email !== email) {
        p = {
          uuid: this.ids.person(r.cpr),
          cpr: r.cpr,
          name: r.name,
          email,
          emailFrom: r.email && r.email !== p?.email ? f.effectiveDate : (p?.emailFrom ?? null),
        };
        persons.set(r.cpr, p);
        changedPersons.set(r.cpr, p);
      }
      const state: EngagementState = {
        personUuid: p.uuid,
        userKey: r.userKey,
        orgUuid: r.orgUnitUuid,
        engagementType: r.engagementTypeUuid,
        jobFunction: r.jobFunctionUuid,
        primary: r.primary,
        azId: r.azId,
      };
      // Pers_ret: the state from the later of the file's date and StartTid (spec, "Rules we decided").
      const from = f.kind === 'Pers_ret' && f.effectiveDate > r.from ? f.effectiveDate : r.from;
      this.count(batch.set(r.uuid, setFrom(batch.history(r.uuid), from, r.to, state, sameJson)));
    }
    // Persons first: engagements reference them.
    await upsertPersons(tx, [...changedPersons.values()]);
    await batch.flush(tx);
  }

  private async applyManagers(tx: Tx, f: SelectedDeltaFile, rows: LederRow[]): Promise<void> {
    // A CPR is known when a Pers file imported so far (this run included: same transaction) created the person.
    const persons = await loadPersons(
      tx,
      rows.map((r) => r.cpr),
    );
    const batch = new HistoryBatch(managersTable);
    await batch.load(
      tx,
      rows.map((r) => this.ids.manager(r.orgUnitUuid, r.cpr)),
    );
    for (const r of rows) {
      const p = persons.get(r.cpr);
      if (!p) {
        this.bad([
          {
            severity: 'error',
            file: f.name,
            line: r.line,
            field: 'CPR',
            message: `manager of unit ${r.orgUnitUuid}: no person with CPR ${redactCpr(r.cpr)} has been imported; row skipped`,
          },
        ]);
        continue;
      }
      const state: ManagerState = {
        orgUuid: r.orgUnitUuid,
        personUuid: p.uuid,
        managerType: r.managerTypeUuid,
        managerLevel: r.managerLevelUuid,
        responsibility: r.responsibilityUuid,
      };
      const id = this.ids.manager(r.orgUnitUuid, r.cpr);
      this.count(batch.set(id, setFrom(batch.history(id), f.effectiveDate, null, state, sameJson)));
    }
    await batch.flush(tx);
  }

  /** `*_luk`: ends each object on the file's date; an unknown object is reported, not a crash. */
  private async endObjects(
    tx: Tx,
    f: SelectedDeltaFile,
    table: typeof engagementsTable | typeof managersTable,
    rows: { uuid: string; line: number }[],
    what: string,
  ): Promise<void> {
    const batch = new HistoryBatch(table as unknown as typeof engagementsTable);
    await batch.load(
      tx,
      rows.map((r) => r.uuid),
    );
    for (const r of rows) {
      const history = batch.history(r.uuid);
      if (history.length === 0) {
        this.bad([
          {
            severity: 'error',
            file: f.name,
            line: r.line,
            message: `no ${what} ${r.uuid} to end: it was never imported; row skipped`,
          },
        ]);
        continue;
      }
      const outcome = batch.set(r.uuid, endOn(history, f.effectiveDate));
      this.count(outcome === 'updated' ? 'terminated' : outcome);
    }
    await batch.flush(tx);
  }
}

const sameJson = sameState;

/** The row's state: everything but where it came from (line) and its validity (from, to). */
function stateOf(r: OrgRow): OrgUnitState {
  const state: Partial<OrgRow> = { ...r };
  delete state.line;
  delete state.from;
  delete state.to;
  return state as OrgUnitState;
}

/** The LOS row's address columns → address-class user keys (seed data, org_unit_address_type). */
function toUnitState(s: OrgUnitState, washed: Map<string, string | null>): UnitState {
  const a = s.addresses;
  const addresses: Record<string, unknown> = {};
  if (a.losId) addresses.LOSID = a.losId;
  if (a.cvr) addresses.CVRUnit = a.cvr;
  if (a.ean) addresses.EANUnit = a.ean;
  if (a.pNumber) addresses.PNumber = a.pNumber;
  if (a.seNumber) addresses.SENumber = a.seNumber;
  if (a.intDebitorNumber) addresses.intdebit = a.intDebitorNumber;
  if (a.magId) addresses.UnitMagID = a.magId;
  if (a.postAddress) {
    const darId = washed.get(a.postAddress);
    if (darId) addresses.AddressMailUnit = { text: a.postAddress, darId };
  }
  return {
    userKey: s.userKey,
    name: s.name,
    unitType: s.unitTypeUuid,
    parentUuid: s.parentUuid,
    lineOrg: s.lineOrganisation,
    addresses,
  };
}
