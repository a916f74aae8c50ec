import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Person } from '../schema/person.type';
import { Source } from '../schema/enums';
import {
  FsBlockAction,
  FsDeletionRule,
  FsImportDecision,
  FsImportDecisionConnection,
  FsImportDecisionFilter,
  FsPrecedenceRule,
  FsStudentRule,
} from '../schema/fs-decision.type';
import { readerOf, requireScope, warnSourceDisabled, type Context } from './context';
import { InvalidCursorError, badInput } from '../core/errors';
import { NORWEGIAN_NATIONAL_ID_TYPE, isNationalIdValue, redactNationalIds } from '../core/national-ids';
import type { FsRulesAddress } from '../jobs/fs-import/rules/model';
import { termLabel } from '../jobs/fs-import/rules/terms';
import { FsDecisionsRepo, fsDecisionCursor, type StoredFsDecision } from '../jobs/fs-import/decisions';

/**
 * The FS import's decisions over GraphQL (scope read; letter addresses need pii):
 *  - Query.fsImportDecisions(filter, first, after): the last run's decisions, by person key.
 *  - Person.fsImportDecision(dryRun): the decision about this person, matched
 *      FS person       → by personlopenummer (its native id);
 *      Cerebrum person → by its external ids: fsPersonSerialNumber (NO_FSNO) = personlopenummer, else
 *                        norwegianNationalId = fødselsnummer;
 *      LOS person      → by the national id stored with it (a Danish CPR never matches a fødselsnummer).
 *    Decisions of one request are read in one SQL statement per dryRun value (a DataLoader).
 */

type Key = { dryRun: boolean; kind: 'plnr' | 'nid'; value: string };

function decisionLoader(ctx: Context): DataLoader<Key, StoredFsDecision | null, string> {
  const existing = ctx.services.fsDecisionLoader as DataLoader<Key, StoredFsDecision | null, string> | undefined;
  if (existing) return existing;
  const repo = new FsDecisionsRepo(ctx.store!);
  const loader = new DataLoader<Key, StoredFsDecision | null, string>(
    async (keys) => {
      const found = new Map<string, StoredFsDecision>();
      for (const dryRun of [false, true]) {
        const mine = keys.filter((k) => k.dryRun === dryRun);
        if (mine.length === 0) continue;
        const rows = await repo.byPersons(
          mine.filter((k) => k.kind === 'plnr').map((k) => k.value),
          mine.filter((k) => k.kind === 'nid').map((k) => k.value),
          dryRun,
        );
        for (const r of rows) {
          if (r.personNumber) found.set(`${dryRun}|plnr|${r.personNumber}`, r);
          if (r.nationalId) found.set(`${dryRun}|nid|${r.nationalId}`, r);
        }
      }
      return keys.map((k) => found.get(`${k.dryRun}|${k.kind}|${k.value}`) ?? null);
    },
    { cacheKeyFn: (k) => `${k.dryRun}|${k.kind}|${k.value}` },
  );
  ctx.services.fsDecisionLoader = loader;
  return loader;
}

/** Every string of a decision record with national ids left out or masked (see toFsImportDecision). */
function withoutNationalIdsIn<T>(value: T): T {
  if (typeof value === 'string') return redactNationalIds(value) as T;
  if (Array.isArray(value))
    return value.filter((v) => !(typeof v === 'string' && isNationalIdValue(v))).map(withoutNationalIdsIn) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        typeof v === 'string' && isNationalIdValue(v) ? null : withoutNationalIdsIn(v),
      ]),
    ) as T;
  }
  return value;
}

function addressLines(a: FsRulesAddress | null): string[] | null {
  if (!a) return null;
  const place = [a.postalCode, a.city].filter(Boolean).join(' ');
  return [...a.lines, ...(place ? [place] : [])];
}

/**
 * A stored decision as a caller sees it. Without scope pii: no letter address, and no national id in any text
 * (reasons, writes, plan, names): a text that is one is left out, one that holds one has it masked
 * (core/national-ids.ts). The decisions are built from masked data already; this is the gate.
 */
export function toFsImportDecision(stored: StoredFsDecision, pii: boolean): FsImportDecision {
  const d = pii ? stored : withoutNationalIdsIn(stored);
  const out = new FsImportDecision();
  Object.assign(out, {
    personKey: d.key,
    personlopenummer: d.personNumber,
    name: d.name,
    jobId: d.jobId,
    dryRun: d.dryRun,
    decidedOn: d.decidedOn,
    term: termLabel(d.term),
    imported: d.imported,
    importedAs: d.importedAs,
    student: d.student,
    studentRule: d.studentRule as FsStudentRule | null,
    programmes: d.programmes.map((p) => ({ ...p, rule: p.rule as FsStudentRule })),
    reasons: d.reasons,
    affiliations: d.affiliations,
    profiles: d.profiles,
    groups: d.groups,
    spreads: d.spreads,
    primaryGroup: d.primaryGroup,
    homeArea: d.homeArea ? { ...d.homeArea, rule: d.homeArea.rule as FsPrecedenceRule } : null,
    primaryEmail: d.primaryEmail ? { ...d.primaryEmail, rule: d.primaryEmail.rule as FsPrecedenceRule } : null,
    reserveUsername: d.reserveUsername,
    printerQuota: d.printerQuota.quota,
    printerFeePaid: d.printerQuota.paidType,
    letter: {
      send: d.letter.send,
      language: d.letter.language,
      addressKind: d.letter.addressKind,
      address: pii ? addressLines(d.letter.address) : null,
      country: d.letter.address?.country && d.letter.address.country !== 'NO' ? d.letter.address.country : null,
      reason: d.letter.reason,
    },
    accountName: d.account.name,
    createAccount: d.account.create,
    block: { action: d.block.action as FsBlockAction, since: d.block.since, reason: d.block.reason },
    deletion: d.deletion ? { ...d.deletion, rule: d.deletion.rule as FsDeletionRule } : null,
    cerebrumWrites: d.cerebrumWrites,
    cerebrumFailures: d.cerebrumFailures ?? [],
    plan: d.plan,
  });
  return out;
}

@Resolver(() => Person)
export class FsDecisionResolver {
  @Query(() => FsImportDecisionConnection, {
    description:
      "The FS import's decisions of its last run (or last dry run: filter.dryRun), one per person, ordered by personKey.",
  })
  async fsImportDecisions(
    @Ctx() ctx: Context,
    @Arg('filter', () => FsImportDecisionFilter, { nullable: true }) filter?: FsImportDecisionFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<FsImportDecisionConnection> {
    requireScope(ctx, 'read', 'fsImportDecisions');
    const n = first ?? 50;
    if (n < 0 || n > 500) throw badInput(`"first" must be between 0 and 500, got ${n}`);
    if (!ctx.store) {
      warnSourceDisabled(ctx, 'FS_IMPORT', 'the store');
      return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    }
    let page;
    try {
      page = await new FsDecisionsRepo(ctx.store).list(
        {
          dryRun: filter?.dryRun ?? false,
          student: filter?.student,
          imported: filter?.imported,
          blockAction: filter?.blockAction,
          deletionDue: filter?.deletionDue,
          studentRule: filter?.studentRule,
          personNumber: filter?.personlopenummer,
        },
        n,
        after,
      );
    } catch (e) {
      if (e instanceof InvalidCursorError) throw badInput(e.message);
      throw e;
    }
    const pii = ctx.scopes.has('pii');
    return {
      edges: page.rows.map((d) => ({ cursor: fsDecisionCursor(d.key), node: toFsImportDecision(d, pii) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }

  @FieldResolver(() => FsImportDecision, {
    nullable: true,
    description:
      "The FS import's decision about this person from its last run (dryRun: the last dry run). Matched by personlopenummer " +
      '(FS persons; Cerebrum persons through their fsPersonSerialNumber external id), else by national id.',
  })
  async fsImportDecision(
    @Root() p: Person,
    @Ctx() ctx: Context,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun = false,
  ): Promise<FsImportDecision | null> {
    if (!ctx.store) return null;
    const keys: Key[] = [];
    const dry = dryRun ?? false;
    const reader = readerOf(ctx, p.source);
    if (p.source === Source.FS) keys.push({ dryRun: dry, kind: 'plnr', value: p.nativeId });
    else if (reader?.nationalId && reader.externalIds) {
      // A source that reads the national id among the external ids (Cerebrum) may also know the FS person number.
      for (const e of await reader.externalIds(p)) {
        if (e.type === 'fsPersonSerialNumber') keys.unshift({ dryRun: dry, kind: 'plnr', value: e.value });
        if (e.type === NORWEGIAN_NATIONAL_ID_TYPE) keys.push({ dryRun: dry, kind: 'nid', value: e.value });
      }
    } else if (p.storedNationalId) keys.push({ dryRun: dry, kind: 'nid', value: p.storedNationalId });
    if (keys.length === 0) return null;
    const found = await decisionLoader(ctx).loadMany(keys);
    for (const f of found) {
      if (f instanceof Error) throw f;
      if (f) return toFsImportDecision(f, ctx.scopes.has('pii'));
    }
    return null;
  }
}
