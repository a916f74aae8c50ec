/**
 * What the FS import can apply through Cerebrum REST (specs/cerebrum-rest.md), idempotently:
 *
 *  - blocking (2.5.1): PUT /v1/accounts/{name}/quarantines/{type} {start, comment} when the rules say BLOCK and
 *    the account has no quarantine of that type; DELETE of it when the rules say LIFT and it is there;
 *  - group memberships (2.0): PUT /v1/groups/{group}/members/{account id} for each group of a student user's
 *    profiles it is not in yet; DELETE from an "auto" group (name starts with autoGroupPrefix) of every account
 *    member the rules do not put there — including accounts of persons this run does not know: an auto group
 *    belongs to the automation. Groups without the prefix are only added to. Members that are not accounts
 *    (persons, nested groups) are left alone.
 *
 * The current state is read first (quarantines per student user, the members of every group involved) and
 * only the differences are written, so a second run writes nothing. Only student users are touched (decide.ts).
 * A dry run reads the same and writes nothing: the writes it would make are returned as the plan.
 *
 * Reads go through CerebrumClient (bounded concurrency, retries on 5xx/429/network errors); writes are not
 * retried by the client (a timed-out PUT may have been applied) — the next run reads again and converges.
 */
import type { CerebrumClient } from '../../datasources/cerebrum/client';
import { pathSegment, unsafeSegmentReason } from '../../datasources/cerebrum/path';
import type { FsPersonDecision } from './rules/model';
import type { FsImportConfig } from './rules/config';
import { UpstreamError } from '../../core/errors';
import type { NewSyncIssue } from '../../store/sync-jobs.repo';

/** Requests of one kind sent together; the client bounds how many are in flight. */
const CHUNK = 256;

export interface CerebrumWrite {
  method: 'PUT' | 'DELETE';
  /** Path under /v1, with encoded segments. */
  path: string;
  body?: unknown;
  /** Decision key of the person the write is for; null for a stranger removed from an auto group. */
  personKey: string | null;
  kind: 'QUARANTINE_SET' | 'QUARANTINE_LIFT' | 'MEMBER_ADD' | 'MEMBER_REMOVE';
}

export interface ApplyReport {
  /** Cerebrum requests made: reads, and writes (0 in a dry run). */
  reads: number;
  writes: Record<CerebrumWrite['kind'], number>;
  failed: number;
  /** Every write made (or, in a dry run, that would be made), as "METHOD /v1/path". */
  done: CerebrumWrite[];
  failures: CerebrumWrite[];
  /** Account names Cerebrum does not know (404): nothing was done for them. */
  missingAccounts: string[];
  /** Groups of the configuration Cerebrum does not have (404). */
  missingGroups: string[];
}

export const writeLabel = (w: Pick<CerebrumWrite, 'method' | 'path'>) => `${w.method} /v1${w.path}`;

/** A name as one path segment (datasources/cerebrum/path.ts); callers drop unsafe names before building paths. */
const seg = (value: string) => pathSegment(value, `"${value}"`);

interface Progress {
  signal: AbortSignal;
  issue(i: NewSyncIssue): void;
  progress?(fraction: number, message: string): void;
  checkCancelled(): void;
}

async function inChunks<T>(items: T[], fn: (x: T) => Promise<void>, p: Progress, label?: string): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    p.checkCancelled();
    await Promise.all(items.slice(i, i + CHUNK).map(fn));
    if (label) p.progress?.(Math.min(1, (i + CHUNK) / items.length), label);
  }
}

const isNotFound = (e: unknown) => e instanceof UpstreamError && e.upstream.status === 404;

/**
 * Reads what the rules need of the accounts: whether an account is a student user (only when the input did
 * not know: GET /v1/accounts/{name}/affiliations, any STUDENT affiliation) and, for student users, the blocking
 * quarantine (GET /v1/accounts/{name}/quarantines): `null` = none, `{start}` = set. Accounts Cerebrum does not
 * know (404) are listed in `missing` and left out of the maps.
 */
export async function readAccounts(
  client: CerebrumClient,
  accounts: { name: string; studentAccount: boolean | null }[],
  type: string,
  p: Progress,
): Promise<{
  studentAccount: Map<string, boolean>;
  quarantines: Map<string, { start: string } | null>;
  missing: string[];
  reads: number;
}> {
  const studentAccount = new Map<string, boolean>();
  const quarantines = new Map<string, { start: string } | null>();
  const missing: string[] = [];
  let reads = 0;
  // A name that would change the request path (".." reads GET /v1/accounts/.. = GET /v1/) is never sent:
  // it is treated as an account Cerebrum does not know, so nothing is read or written for it.
  const safe = accounts.filter(({ name }) => {
    const reason = unsafeSegmentReason(name);
    if (!reason) return true;
    missing.push(name);
    p.issue({
      severity: 'WARNING',
      message: `account name ${JSON.stringify(name)} ${reason}: it cannot be a Cerebrum path segment, so nothing is read or written for it`,
      field: 'account',
    });
    return false;
  });
  await inChunks(
    safe,
    async ({ name, studentAccount: known }) => {
      let isStudent = known;
      if (isStudent === null) {
        reads++;
        const affs = await client.getOrNull<{ affiliations?: { affiliation: string }[] }>(
          `/accounts/${seg(name)}/affiliations`,
          { signal: p.signal },
        );
        if (affs === null) {
          missing.push(name);
          return;
        }
        isStudent = (affs.affiliations ?? []).some((a) => a.affiliation === 'STUDENT');
      }
      studentAccount.set(name, isStudent);
      if (!isStudent) return;
      reads++;
      const body = await client.getOrNull<{ quarantines?: { type: string; start: string | null }[] }>(
        `/accounts/${seg(name)}/quarantines`,
        { signal: p.signal },
      );
      if (body === null) {
        studentAccount.delete(name);
        missing.push(name);
        return;
      }
      const q = (body.quarantines ?? []).find((x) => x.type === type);
      quarantines.set(name, q ? { start: (q.start ?? '').slice(0, 10) } : null);
    },
    p,
    'reading Cerebrum accounts',
  );
  return { studentAccount, quarantines, missing: missing.sort(), reads };
}

interface GroupState {
  name: string;
  auto: boolean;
  exists: boolean;
  /** Account members: name → entity id. */
  accounts: Map<string, number>;
}

/**
 * Computes the writes that bring Cerebrum to the decisions, reading the groups involved (and the entity id of
 * each account to be added that the input did not carry), then sends them unless `dryRun`.
 */
export async function applyDecisions(
  client: CerebrumClient,
  decisions: FsPersonDecision[],
  o: {
    cfg: FsImportConfig;
    today: string;
    dryRun: boolean;
    /** Quarantine state read by readAccounts (the decisions were made with it). */
    quarantines: Map<string, { start: string } | null>;
    missingAccounts: string[];
    /** Account entity ids the input knew. */
    accountIds: Map<string, number>;
    reads: number;
  } & Progress,
): Promise<ApplyReport> {
  const { cfg } = o;
  const report: ApplyReport = {
    reads: o.reads,
    writes: { QUARANTINE_SET: 0, QUARANTINE_LIFT: 0, MEMBER_ADD: 0, MEMBER_REMOVE: 0 },
    failed: 0,
    done: [],
    failures: [],
    missingAccounts: o.missingAccounts,
    missingGroups: [],
  };
  const writes: CerebrumWrite[] = [];
  const managed = decisions.filter(
    (d) => d.account.studentAccount && d.account.name !== null && o.quarantines.has(d.account.name),
  );
  const ownerOf = new Map(managed.map((d) => [d.account.name as string, d.key]));

  // Quarantines: the state was read before deciding.
  for (const d of managed) {
    const name = d.account.name as string;
    const has = o.quarantines.get(name) ?? null;
    const path = `/accounts/${seg(name)}/quarantines/${seg(cfg.quarantine.type)}`;
    if (d.block.action === 'BLOCK' && !has) {
      writes.push({
        method: 'PUT',
        path,
        body: { start: o.today, comment: cfg.quarantine.comment },
        personKey: d.key,
        kind: 'QUARANTINE_SET',
      });
    } else if (d.block.action === 'LIFT' && has) {
      writes.push({ method: 'DELETE', path, personKey: d.key, kind: 'QUARANTINE_LIFT' });
    }
  }

  // Groups: every group of the configuration, and every auto group Cerebrum has.
  const desired = new Map<string, Set<string>>();
  for (const pr of cfg.profiles) for (const g of pr.groups) desired.set(g, new Set());
  for (const d of managed)
    for (const g of d.groups) (desired.get(g) ?? desired.set(g, new Set()).get(g)!).add(d.account.name as string);
  report.reads++;
  const listed = await client.get<{ groups?: { name: string }[] }>(`/groups/?name=${seg(`${cfg.autoGroupPrefix}*`)}`, {
    signal: o.signal,
  });
  for (const g of listed.groups ?? [])
    if (g.name.startsWith(cfg.autoGroupPrefix) && !desired.has(g.name)) desired.set(g.name, new Set());
  for (const name of desired.keys()) {
    const reason = unsafeSegmentReason(name);
    if (!reason) continue;
    desired.delete(name);
    o.issue({
      severity: 'WARNING',
      message: `group name ${JSON.stringify(name)} ${reason}: it cannot be a Cerebrum path segment, so its memberships are not read or written`,
      field: 'groups',
    });
  }

  const groups: GroupState[] = [];
  await inChunks(
    [...desired.keys()].sort(),
    async (name) => {
      report.reads++;
      const body = await client.getOrNull<{ members?: { id: number; type: string; name: string | null }[] }>(
        `/groups/${seg(name)}/members/`,
        { signal: o.signal },
      );
      const accounts = new Map<string, number>();
      for (const m of body?.members ?? []) if (m.type === 'account' && m.name) accounts.set(m.name, m.id);
      groups.push({ name, auto: name.startsWith(cfg.autoGroupPrefix), exists: body !== null, accounts });
    },
    o,
  );
  groups.sort((a, b) => (a.name < b.name ? -1 : 1));

  const toAdd: { group: string; account: string }[] = [];
  for (const g of groups) {
    const want = desired.get(g.name)!;
    if (!g.exists) {
      if (want.size > 0 || cfg.profiles.some((pr) => pr.groups.includes(g.name))) {
        report.missingGroups.push(g.name);
        o.issue({
          severity: 'WARNING',
          message: `group "${g.name}" of the FS import configuration does not exist in Cerebrum: ${want.size} membership(s) not applied`,
          field: 'groups',
        });
      }
      continue;
    }
    for (const account of [...want].sort()) if (!g.accounts.has(account)) toAdd.push({ group: g.name, account });
    if (g.auto) {
      for (const [account, id] of [...g.accounts].sort()) {
        if (!want.has(account))
          writes.push({
            method: 'DELETE',
            path: `/groups/${seg(g.name)}/members/${id}`,
            personKey: ownerOf.get(account) ?? null,
            kind: 'MEMBER_REMOVE',
          });
      }
    }
  }

  // A member PUT takes the account's entity id: known from the input, from another group's member list, or read.
  const ids = new Map(o.accountIds);
  for (const g of groups) for (const [n, id] of g.accounts) ids.set(n, id);
  const unknown = [...new Set(toAdd.map((x) => x.account).filter((n) => !ids.has(n)))];
  await inChunks(
    unknown,
    async (name) => {
      report.reads++;
      const a = await client.getOrNull<{ id: number }>(`/accounts/${seg(name)}`, { signal: o.signal });
      if (a) ids.set(name, a.id);
    },
    o,
  );
  for (const { group, account } of toAdd) {
    const id = ids.get(account);
    if (id === undefined) continue; // vanished between the reads: next run
    writes.push({
      method: 'PUT',
      path: `/groups/${seg(group)}/members/${id}`,
      personKey: ownerOf.get(account) ?? null,
      kind: 'MEMBER_ADD',
    });
  }

  if (o.dryRun) {
    report.done = writes;
    for (const w of writes) report.writes[w.kind]++;
    return report;
  }
  let n = 0;
  await inChunks(
    writes,
    async (w) => {
      try {
        await client.send(w.method, w.path, w.body, { signal: o.signal });
        report.done.push(w);
        report.writes[w.kind]++;
      } catch (e) {
        if (o.signal.aborted) throw e;
        // A quarantine DELETE answering 404 means someone lifted it meanwhile: the goal is reached.
        if (w.kind === 'QUARANTINE_LIFT' && isNotFound(e)) return;
        report.failed++;
        report.failures.push(w);
        o.issue({
          severity: 'ERROR',
          message: `Cerebrum refused ${writeLabel(w)}${w.personKey ? ` for ${w.personKey}` : ''}: ${(e as Error).message}`,
          record: w.personKey,
        });
      } finally {
        n++;
      }
    },
    { ...o, progress: (f) => o.progress?.(f, `writing to Cerebrum (${n} of ${writes.length})`) },
    'writing',
  );
  return report;
}
