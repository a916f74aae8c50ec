/**
 * The FS import (seed 001; README "FS import"): reads the persons FS knows through an FsImportSource, decides
 * about each with the rules of jobs/fs-import/rules (1.0, 2.0–2.5), applies to Cerebrum what its REST API can
 * do (blocking quarantines, group memberships: jobs/fs-import/fs-apply.ts), reports the rest as a plan, and stores every
 * decision (store/fs-decisions.repo.ts) where GraphQL reads it (Query.fsImportDecisions,
 * Person.fsImportDecision).
 *
 * Order of a run, and why:
 *  1. configuration (a bad file fails the job at once: PermanentSyncError naming the setting);
 *  2. the persons from the source, plus the student users of the last applied run that FS no longer lists
 *     (a student whose study rights all ended must still be blocked and deleted: 2.5);
 *  3. Cerebrum's current state of those accounts (student user? blocking quarantine since when?) — the rules
 *     need it (blocked for three months, 2.5.2) and the apply writes only differences against it;
 *  4. the decisions (pure), and the guard against an FS answer that lost most students;
 *  5. the Cerebrum writes (none in a dry run), then all decisions in one store transaction.
 * Cerebrum writes come before the store: an interrupted run leaves the old decisions in place, and a re-run
 * reads Cerebrum again and writes only what is still missing (idempotent), ending in the same state.
 */
import { setMaxListeners } from 'node:events';
import type { FsImportConfig } from './rules/config';
import { FsImportConfigError, loadFsImportConfig } from './rules/config';
import { decidePerson, maskNationalId, personKey } from './rules/decide';
import type { FsImportSource, FsPersonDecision, FsPersonInput } from './rules/model';
import { planFor } from './rules/plan';
import { dueToday } from './rules/schedule';
import { termLabel, termOf } from './rules/terms';
import { CerebrumClient } from '../../datasources/cerebrum/client';
import { todayIn } from '../../core/time';
import { FsDecisionsRepo, type PreviousDecision, type StoredFsDecision } from './decisions';
import { assertKeyedIds, prepareKeyedIds } from '../../store/keyed-ids.repo';
import { emptyPerson } from './fs-import-source';
import { applyDecisions, readAccounts, writeLabel, type ApplyReport } from './fs-apply';
import { PermanentSyncError, SyncCancelledError, type SyncOutcome, type SyncRunContext } from '../framework/types';

export interface FsImportDeps {
  source: FsImportSource;
  /** Cerebrum REST (default: a client on CEREBRUM_URL; none = nothing applied, the writes are not computed). */
  cerebrum?: CerebrumClient | null;
  /** The rules' configuration (default: the file FS_IMPORT_CONFIG names). */
  config?: FsImportConfig;
  /** The day the run decides for (default: today in TZ). */
  today?: string;
}

/** Writes listed in the job result (all of them are in the stored decisions). */
const RESULT_WRITES = 500;

export async function runFsImport(ctx: SyncRunContext, deps: FsImportDeps): Promise<SyncOutcome> {
  const checkCancelled = () => {
    if (ctx.signal.aborted)
      throw new SyncCancelledError('FS import cancelled; the stored decisions are those of the last run');
  };
  let cfg: FsImportConfig;
  try {
    cfg = deps.config ?? loadFsImportConfig(ctx.config.fsImportConfig);
  } catch (e) {
    if (e instanceof FsImportConfigError) throw new PermanentSyncError(`FS import configuration: ${e.message}`);
    throw e;
  }
  const today = deps.today ?? todayIn(ctx.config.tz);
  // Every Cerebrum request in flight listens on the run's signal; hundreds at once are expected, not a leak.
  setMaxListeners(0, ctx.signal);
  const term = termOf(today);
  const repo = new FsDecisionsRepo(ctx.store);
  // `nid:` keys are keyed with the deployment's secret; stored keys of an older derivation are re-derived first,
  // so the last run's decisions are found under this run's keys.
  const ids = await prepareKeyedIds(ctx.store, { idKey: ctx.config.idKey, logger: ctx.logger });
  const previous = await repo.previous();
  const lastRun = await repo.lastRun(false);
  const ownClient =
    deps.cerebrum === undefined && ctx.config.cerebrum
      ? new CerebrumClient({ ...ctx.config.cerebrum, logger: ctx.logger })
      : undefined;
  const cerebrum = deps.cerebrum === undefined ? ownClient : (deps.cerebrum ?? undefined);

  try {
    // 2. The persons.
    const total = (await deps.source.count?.()) ?? null;
    const inputs = new Map<string, FsPersonInput>();
    const carried = new Set<string>();
    for await (const batch of deps.source.persons({ today, term, signal: ctx.signal })) {
      checkCancelled();
      for (const p of batch) {
        if (!p.personNumber && !p.nationalId) {
          ctx.issue({
            severity: 'WARNING',
            message: `FS person without personlopenummer and fødselsnummer (${[p.firstName, p.lastName].filter(Boolean).join(' ') || 'no name'}): skipped`,
            field: 'personlopenummer',
          });
          continue;
        }
        const key = personKey(p, ids);
        if (inputs.has(key)) {
          ctx.issue({
            severity: 'WARNING',
            message: `${who(key, p)} came twice from the FS source; the first is used`,
            record: key,
          });
          continue;
        }
        inputs.set(key, p);
      }
      ctx.progress(0.3 * (total ? Math.min(1, inputs.size / total) : 0.5), `read ${inputs.size} person(s) from FS`);
    }
    for (const prev of previous.values()) {
      const p = inputs.get(prev.key);
      if (p && !p.account && prev.accountName)
        p.account = { name: prev.accountName, studentAccount: prev.studentAccount ? true : null };
      if (!p && prev.accountName && prev.studentAccount) {
        inputs.set(prev.key, vanished(prev));
        carried.add(prev.key);
      }
    }
    checkCancelled();

    // 3. Cerebrum's state of the accounts.
    const accountIds = new Map<string, number>();
    let state: Awaited<ReturnType<typeof readAccounts>> | null = null;
    const accounts = [...inputs.values()].flatMap((p) => (p.account ? [p.account] : []));
    for (const a of accounts) if (a.id != null) accountIds.set(a.name, a.id);
    if (cerebrum) {
      const unique = [
        ...new Map(accounts.map((a) => [a.name, { name: a.name, studentAccount: a.studentAccount }])).values(),
      ];
      state = await readAccounts(cerebrum, unique, cfg.quarantine.type, {
        signal: ctx.signal,
        issue: (i) => ctx.issue(i),
        checkCancelled,
        progress: (f, m) => ctx.progress(0.3 + 0.2 * f, m),
      });
      const missing = new Set(state.missing);
      for (const [key, p] of inputs) {
        if (!p.account) continue;
        if (missing.has(p.account.name)) {
          ctx.issue({
            severity: 'INFO',
            message: `${who(key, p)}: account "${p.account.name}" does not exist in Cerebrum; decided as a person without an account`,
            record: key,
          });
          p.account = null;
          continue;
        }
        p.account = {
          ...p.account,
          studentAccount: state.studentAccount.get(p.account.name) ?? false,
          quarantine: state.quarantines.get(p.account.name) ?? null,
        };
      }
    } else {
      ctx.issue({
        severity: 'WARNING',
        message:
          "CEREBRUM_URL is not set: nothing is applied to Cerebrum and its writes are not computed; decisions use the last run's blocked-since dates",
      });
      for (const [key, p] of inputs) {
        if (!p.account) continue;
        // Without Cerebrum, an account FS names is taken to be the student user; the last run's block stands.
        const since = previous.get(key)?.blockedSince;
        p.account = {
          ...p.account,
          studentAccount: p.account.studentAccount ?? true,
          quarantine: since ? { start: since } : undefined,
        };
      }
    }
    checkCancelled();

    // 4. Decide.
    const decisions: FsPersonDecision[] = [];
    for (const [key, p] of inputs) {
      const d = decidePerson(p, cfg, today, key);
      if (carried.has(key))
        d.reasons.unshift('FS lists this person no longer; carried over from the last run because of the student user');
      decisions.push(d);
    }
    ctx.progress(0.55, `decided about ${decisions.length} person(s)`);
    const students = decisions.filter((d) => d.student).length;
    const force = ctx.params.force === true;
    if (
      lastRun &&
      lastRun.students > 0 &&
      !force &&
      students < lastRun.students * (1 - cfg.maxStudentDropPercent / 100)
    ) {
      throw new PermanentSyncError(
        `FS import refused: ${students} student(s) now against ${lastRun.students} in the last run (job ${lastRun.jobId}), a drop of more than ` +
          `${cfg.maxStudentDropPercent}% (maxStudentDropPercent). If FS really lost them, run startFsImport(force: true).`,
      );
    }

    // 5. Apply, then store.
    let report: ApplyReport | null = null;
    if (cerebrum && state) {
      report = await applyDecisions(cerebrum, decisions, {
        cfg,
        today,
        dryRun: ctx.dryRun,
        quarantines: state.quarantines,
        missingAccounts: state.missing,
        accountIds,
        reads: state.reads,
        signal: ctx.signal,
        issue: (i) => ctx.issue(i),
        checkCancelled,
        progress: (f, m) => ctx.progress(0.55 + 0.35 * f, m),
      });
    }
    const writesOf = new Map<string, string[]>();
    const failuresOf = new Map<string, string[]>();
    for (const w of report?.done ?? [])
      if (w.personKey)
        (writesOf.get(w.personKey) ?? writesOf.set(w.personKey, []).get(w.personKey)!).push(writeLabel(w));
    for (const w of report?.failures ?? [])
      if (w.personKey)
        (failuresOf.get(w.personKey) ?? failuresOf.set(w.personKey, []).get(w.personKey)!).push(writeLabel(w));
    const stored: StoredFsDecision[] = decisions.map((d) => ({
      ...d,
      jobId: ctx.jobId,
      dryRun: ctx.dryRun,
      cerebrumWrites: writesOf.get(d.key) ?? [],
      cerebrumFailures: failuresOf.get(d.key) ?? [],
      plan: planFor(d),
    }));
    const summary = summarise(stored, report, today, deps.source.stats?.() ?? {}, carried.size, cerebrum !== undefined);
    checkCancelled();
    await ctx.store.transaction(async (tx) => {
      await assertKeyedIds(tx, ids);
      await repo.replace(
        tx,
        { jobId: ctx.jobId, dryRun: ctx.dryRun, decidedOn: today, persons: stored.length, students, summary },
        stored,
      );
    });
    ctx.progress(1, 'done');

    const c = summary.counts;
    const writes = report?.done.length ?? 0;
    return {
      result: {
        created: c.accountsToCreate,
        updated: ctx.dryRun ? 0 : writes,
        unchanged: stored.filter((d) => d.cerebrumWrites.length === 0).length,
        terminated: c.blocked,
        skipped: c.notImported,
        failed: report?.failed ?? 0,
        details: {
          ...summary,
          dryRun: ctx.dryRun,
          cerebrumWrites: (report?.done ?? [])
            .slice(0, RESULT_WRITES)
            .map((w) => `${writeLabel(w)}${w.personKey ? ` (${w.personKey})` : ''}`),
          cerebrumWritesTruncated: (report?.done.length ?? 0) > RESULT_WRITES,
        },
      },
      message:
        `${ctx.dryRun ? 'Dry run: would write' : 'Wrote'} ${writes} change(s) to Cerebrum for ${stored.length} person(s) (${students} student(s), ${termLabel(term)}); ` +
        `${c.accountsToCreate} account(s) to create, ${c.blocked} blocked, ${c.deletionsDue} deletion(s) due`,
    };
  } finally {
    ownClient?.close();
    await deps.source.close?.();
  }
}

/** How a person is named in issues: the key, and for a person without personlopenummer the masked national id. */
function who(key: string, p: FsPersonInput): string {
  return p.personNumber ? key : `${key} (${maskNationalId(p.nationalId)})`;
}

/** A student user of the last run whom FS no longer lists: no FS data, the account as it was. */
function vanished(prev: PreviousDecision): FsPersonInput {
  return {
    ...emptyPerson(prev.personNumber),
    nationalId: prev.nationalId,
    firstName: prev.name,
    account: { name: prev.accountName!, studentAccount: true },
  };
}

function count<T>(xs: T[], key: (x: T) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) {
    const k = key(x);
    if (k !== null) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function summarise(
  d: StoredFsDecision[],
  report: ApplyReport | null,
  today: string,
  sourceStats: Record<string, number>,
  carried: number,
  cerebrum: boolean,
) {
  const plan = d.flatMap((x) => x.plan);
  return {
    today,
    term: termLabel(termOf(today)),
    due: dueToday(today),
    counts: {
      persons: d.length,
      imported: d.filter((x) => x.imported).length,
      notImported: d.filter((x) => !x.imported).length,
      importedAs: count(
        d.flatMap((x) => x.importedAs),
        (r) => r,
      ),
      students: d.filter((x) => x.student).length,
      studentRules: count(d, (x) => x.studentRule),
      accountsToCreate: d.filter((x) => x.account.create).length,
      blockActions: count(d, (x) => x.block.action),
      blocked: d.filter((x) => x.block.action === 'BLOCK').length,
      deletionsDue: d.filter((x) => x.deletion?.due).length,
      deletionRules: count(d, (x) => (x.deletion?.due ? x.deletion.rule : null)),
      printerQuotas: d.filter((x) => x.printerQuota.quota).length,
      letters: count(d, (x) => (x.letter.send ? x.letter.language : null)),
      usernameReservations: d.filter((x) => x.reserveUsername).length,
      carriedOver: carried,
    },
    plan: {
      actions: count(plan, (p) => p.action),
      dueToday: count(plan, (p) => (p.dueToday ? p.action : null)),
    },
    cerebrum: report
      ? {
          reads: report.reads,
          writes: report.writes,
          failed: report.failed,
          missingAccounts: report.missingAccounts.length,
          missingGroups: report.missingGroups,
        }
      : { enabled: cerebrum },
    source: sourceStats,
  };
}
