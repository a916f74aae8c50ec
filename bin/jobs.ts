/**
 * The CLI's job commands over the public GraphQL API: list, show, start (and follow), cancel. Output is plain
 * text for people (or JSON with --json); following shows a cli-progress bar on a terminal and one line per change
 * otherwise (logs, CI), and ends with a summary that lists the job's issues.
 */
import { Presets, SingleBar } from 'cli-progress';
import { CliError, EXIT, type IdbroClient } from './client';
import { SYNC_KIND_NAMES, syncKindRow, type SyncKindName } from '../jobs/framework/kinds';

export const KINDS = SYNC_KIND_NAMES;
export type Kind = SyncKindName;
export const STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

/** How to start a kind over the API: its row's start mutation and what it takes (jobs/framework/kinds.ts). */
function startSpec(kind: Kind): {
  mutation: string;
  modes?: readonly string[];
  modeType?: string;
  modeOptional?: boolean;
  force: boolean;
} {
  const row = syncKindRow(kind);
  if (!row) throw new CliError(`Unknown sync kind "${kind}".`, EXIT.USAGE);
  const { mutation, mode, takesForce: force } = row;
  if (!mode) return { mutation, force };
  return {
    mutation,
    modes: mode.values,
    modeType: `${mode.type}${mode.required ? '!' : ''}`,
    modeOptional: !mode.required,
    force,
  };
}

const JOB =
  'id kind state progress message dryRun attempts createdAt startedAt finishedAt result { created updated unchanged terminated skipped failed }';
const ISSUES = 'issues(first: 500) { severity message file line field record }';
const COUNTS = ['created', 'updated', 'unchanged', 'terminated', 'skipped', 'failed'] as const;

export interface Job {
  id: string;
  kind: Kind;
  state: (typeof STATES)[number];
  progress: number;
  message: string | null;
  dryRun: boolean;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Record<(typeof COUNTS)[number], number> | null;
  issues?: Issue[];
}
export interface Issue {
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  field: string | null;
  record: string | null;
}

/** Where output goes; `stream` (a terminal) is what the progress bar draws on when isTTY. */
export interface Out {
  write(text: string): void;
  isTTY?: boolean;
  stream?: NodeJS.WriteStream;
}

/** `los-import`, `los_import` and `LOS_IMPORT` all name LOS_IMPORT. */
export function parseKind(raw: string): Kind {
  const kind = raw.trim().toUpperCase().replace(/-/g, '_');
  if (!(KINDS as readonly string[]).includes(kind))
    throw new CliError(`Unknown sync kind "${raw}" (known: ${KINDS.join(', ')}).`, EXIT.USAGE);
  return kind as Kind;
}

export function parseState(raw: string): string {
  const state = raw.trim().toUpperCase();
  if (!(STATES as readonly string[]).includes(state))
    throw new CliError(`Unknown state "${raw}" (known: ${STATES.join(', ')}).`, EXIT.USAGE);
  return state;
}

const isFinal = (job: Job) => job.state !== 'QUEUED' && job.state !== 'RUNNING';
const pct = (job: Job) => (job.state === 'SUCCEEDED' ? 100 : Math.round(job.progress * 100));

export async function listJobs(
  client: IdbroClient,
  out: Out,
  o: { kind?: string; state?: string; first: number; json?: boolean },
): Promise<number> {
  const data = await client.request<{ syncJobs: { totalCount: number | null; edges: { node: Job }[] } }>(
    `query CliJobs($kind: SyncKind, $state: SyncState, $first: Int) { syncJobs(kind: $kind, state: $state, first: $first) { totalCount edges { node { ${JOB} } } } }`,
    { kind: o.kind ? parseKind(o.kind) : null, state: o.state ? parseState(o.state) : null, first: o.first },
  );
  const jobs = data.syncJobs.edges.map((e) => e.node);
  if (o.json) {
    out.write(`${JSON.stringify(jobs, null, 2)}\n`);
    return EXIT.OK;
  }
  if (jobs.length === 0) {
    out.write('No sync jobs.\n');
    return EXIT.OK;
  }
  const rows = jobs.map((j) => [
    j.id,
    j.kind + (j.dryRun ? ' (dry run)' : ''),
    j.state,
    `${pct(j)}%`,
    j.createdAt,
    (j.message ?? '').slice(0, 70),
  ]);
  out.write(table(['ID', 'KIND', 'STATE', 'PROGRESS', 'CREATED', 'MESSAGE'], rows));
  out.write(`${jobs.length} of ${data.syncJobs.totalCount ?? '?'} job(s), newest first.\n`);
  return EXIT.OK;
}

export async function showJob(
  client: IdbroClient,
  out: Out,
  id: string,
  o: { issues: number; json?: boolean },
): Promise<number> {
  const job = await getJob(client, id, true);
  if (o.json) {
    out.write(`${JSON.stringify(job, null, 2)}\n`);
    return EXIT.OK;
  }
  out.write(summary(job, o.issues));
  return EXIT.OK;
}

export async function cancelJob(client: IdbroClient, out: Out, id: string): Promise<number> {
  const { job } = await client.request<{ job: Job }>(
    `mutation CliCancel($id: ID!) { job: cancelSyncJob(id: $id) { ${JOB} } }`,
    { id },
  );
  out.write(`${job.id} ${job.kind}: ${job.state}${job.message ? ` — ${job.message}` : ''}\n`);
  return EXIT.OK;
}

export interface SyncOptions {
  dryRun?: boolean;
  mode?: string;
  force?: boolean;
  follow?: boolean;
  intervalMs: number;
  issues: number;
}

export async function startSync(client: IdbroClient, out: Out, rawKind: string, o: SyncOptions): Promise<number> {
  const kind = parseKind(rawKind);
  const spec = startSpec(kind);
  const vars: Record<string, unknown> = { dryRun: o.dryRun ?? false };
  const decl = ['$dryRun: Boolean'];
  const args = ['dryRun: $dryRun'];
  if (spec.modes && (o.mode || !spec.modeOptional)) {
    const mode = o.mode?.trim().toUpperCase();
    if (!mode || !spec.modes.includes(mode)) {
      throw new CliError(
        `${kind} ${spec.modeOptional ? 'takes' : 'needs'} --mode ${spec.modes.join('|')}${o.mode ? ` (got "${o.mode}")` : ''}.`,
        EXIT.USAGE,
      );
    }
    vars.mode = mode;
    decl.push(`$mode: ${spec.modeType}`);
    args.push('mode: $mode');
  } else if (o.mode && !spec.modes) {
    throw new CliError(`${kind} takes no --mode.`, EXIT.USAGE);
  }
  if (o.force) {
    if (!spec.force) throw new CliError(`${kind} takes no --force (it has no guard to override).`, EXIT.USAGE);
    vars.force = true;
    decl.push('$force: Boolean');
    args.push('force: $force');
  }
  const { job } = await client.request<{ job: Job }>(
    `mutation CliStart(${decl.join(', ')}) { job: ${spec.mutation}(${args.join(', ')}) { ${JOB} } }`,
    vars,
  );
  // One job per kind at a time: a start while one is active returns that one.
  const existing = job.state !== 'QUEUED' || job.attempts > 0;
  out.write(
    existing
      ? `A ${kind} job is already ${job.state.toLowerCase()}: ${job.id}\n`
      : `Started ${kind}${vars.dryRun ? ' (dry run)' : ''}: ${job.id}\n`,
  );
  if (!o.follow) {
    out.write(`Follow it with: idbro job ${job.id}\n`);
    return EXIT.OK;
  }
  return follow(client, out, job, o);
}

/** Polls the job until it ends, showing its progress, then prints the summary. 0 only when it SUCCEEDED. */
export async function follow(
  client: IdbroClient,
  out: Out,
  first: Job,
  o: Pick<SyncOptions, 'intervalMs' | 'issues'>,
): Promise<number> {
  const display = out.isTTY ? barDisplay(out) : lineDisplay(out);
  let job = first;
  try {
    display.update(job);
    while (!isFinal(job)) {
      await new Promise((r) => setTimeout(r, o.intervalMs));
      job = await getJob(client, job.id, false);
      display.update(job);
    }
  } finally {
    display.stop();
  }
  const done = await getJob(client, job.id, true);
  out.write(summary(done, o.issues));
  return done.state === 'SUCCEEDED' ? EXIT.OK : EXIT.FAILED;
}

async function getJob(client: IdbroClient, id: string, withIssues: boolean): Promise<Job> {
  const { job } = await client.request<{ job: Job | null }>(
    `query CliJob($id: ID!) { job: syncJob(id: $id) { ${JOB} ${withIssues ? ISSUES : ''} } }`,
    { id },
  );
  if (!job) throw new CliError(`There is no sync job with id "${id}".`);
  return job;
}

interface Display {
  update(job: Job): void;
  stop(): void;
}

function barDisplay(out: Out): Display {
  const bar = new SingleBar(
    {
      format: '{kind} |{bar}| {percentage}% | {state} | {msg}',
      hideCursor: true,
      stream: out.stream ?? process.stdout,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(job) {
      const payload = { kind: job.kind, state: job.state, msg: (job.message ?? '').slice(0, 60) };
      if (!started) {
        bar.start(100, pct(job), payload);
        started = true;
      } else {
        bar.update(pct(job), payload);
      }
    },
    stop: () => started && bar.stop(),
  };
}

/** One line per change of state, percentage or message: readable in a log. */
function lineDisplay(out: Out): Display {
  let last = '';
  return {
    update(job) {
      const line = `${job.state.padEnd(9)} ${String(pct(job)).padStart(3)}%${job.message ? `  ${job.message}` : ''}`;
      if (line !== last) out.write(`${line}\n`);
      last = line;
    },
    stop() {},
  };
}

/** The job's outcome for people: state, times, message, counts and the first `maxIssues` issues. */
export function summary(job: Job, maxIssues: number): string {
  const lines: string[] = [];
  const took =
    job.startedAt && job.finishedAt
      ? ` in ${((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1)} s`
      : '';
  lines.push(`${job.kind}${job.dryRun ? ' (dry run)' : ''} ${job.id}: ${job.state}${took}`);
  if (job.message) lines.push(`  ${job.message}`);
  lines.push(
    `  created ${job.createdAt}${job.startedAt ? `, started ${job.startedAt}` : ''}${job.finishedAt ? `, finished ${job.finishedAt}` : ''}; attempts ${job.attempts}`,
  );
  if (job.result) lines.push(`  ${COUNTS.map((c) => `${c} ${job.result![c]}`).join(', ')}`);
  const issues = job.issues ?? [];
  lines.push(`  Issues: ${issues.length === 0 ? 'none' : issues.length}`);
  for (const i of issues.slice(0, maxIssues)) {
    const where = [i.file ? `${i.file}${i.line != null ? `:${i.line}` : ''}` : null, i.field].filter(Boolean).join(' ');
    lines.push(`    ${i.severity.padEnd(7)} ${where ? `${where}  ` : ''}${i.message}`);
  }
  if (issues.length > maxIssues)
    lines.push(`    … and ${issues.length - maxIssues} more: idbro job ${job.id} --issues ${issues.length}`);
  return `${lines.join('\n')}\n`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[fmt(head), ...rows.map(fmt)].join('\n')}\n`;
}
