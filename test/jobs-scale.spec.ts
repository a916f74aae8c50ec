/**
 * Issue 10 item 8, scale-out shown: two API processes and three worker processes on one Redis and one
 * PostgreSQL (test/helpers/scale-child.ts, light test syncs). Starts of all four kinds through both APIs,
 * repeated while the jobs run, give exactly one run per accepted start (counted in the store and by the
 * syncs themselves); the kinds run at the same time on different workers; a worker SIGKILLed mid-job has its
 * jobs taken over by another and finished once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openStore, type Db } from '../store/db';
import { SYNC_KIND_NAMES as SYNC_JOB_KINDS } from '../jobs/framework/kinds';
import { type SyncJobKind } from '../store/sync-jobs.repo';
import { dropSchema, postgresTestUrl } from './helpers/stores';
import { REDIS_URL, deleteRedisKeys, uniquePrefix, waitFor } from './helpers/jobs';

interface Child {
  name: string;
  proc: ChildProcess;
  messages: any[];
  pid?: number;
}

const pgUrl = postgresTestUrl();
(pgUrl ? describe : describe.skip)('scale-out: 2 API processes, 3 workers, one Redis, one PostgreSQL', () => {
  const prefix = uniquePrefix('scale');
  const schema = `test_scale_${process.pid}_${randomBytes(3).toString('hex')}`;
  const children: Child[] = [];
  let store: Db;
  let ref = 0;

  beforeAll(async () => {
    // Migrated once here, so the five processes open a current schema.
    store = await openStore({ databaseUrl: pgUrl, schema, connectTimeoutMs: 3000 });
  });

  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await store?.close();
    await dropSchema(pgUrl!, schema);
    await deleteRedisKeys(prefix);
  });

  function spawn(name: string, env: Record<string, string>): Child {
    const proc = fork(join(__dirname, 'helpers', 'scale-child.ts'), [], {
      execArgv: ['--require', join(__dirname, 'helpers', 'swc-register.js')],
      env: {
        ...process.env,
        CHILD_REDIS_URL: REDIS_URL,
        CHILD_PREFIX: prefix,
        CHILD_DATABASE_URL: pgUrl!,
        CHILD_SCHEMA: schema,
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child: Child = { name, proc, messages: [] };
    proc.on('message', (m: any) => {
      child.messages.push(m);
      if (m?.type === 'ready') child.pid = m.pid;
    });
    children.push(child);
    return child;
  }

  const ready = (c: Child) =>
    waitFor(
      `${c.name} to be ready`,
      () => {
        const failed = c.messages.find((m) => m.type === 'error');
        if (failed) throw new Error(`${c.name} failed: ${failed.message}`);
        return c.pid !== undefined;
      },
      { timeoutMs: 30_000 },
    );

  /** Starts `kind` through an API process; the job it answered with. */
  async function start(api: Child, kind: SyncJobKind): Promise<{ id: string; state: string }> {
    const mine = ++ref;
    api.proc.send({ type: 'start', kind, ref: mine });
    const answer = await waitFor(`${api.name} to start ${kind}`, () =>
      api.messages.find((m) => m.type === 'started' && m.ref === mine),
    );
    if (answer.error) throw new Error(answer.error);
    return answer;
  }

  /** Every kind through both APIs, `times` times each, all at once. */
  const burst = (apis: Child[], times: number) =>
    Promise.all(
      SYNC_JOB_KINDS.flatMap((kind) =>
        apis.flatMap((api) => Array.from({ length: times }, async () => ({ kind, ...(await start(api, kind)) }))),
      ),
    );

  const runs = (type: 'run-start' | 'run-end') => children.flatMap((c) => c.messages.filter((m) => m.type === type));

  it('runs each accepted start exactly once, the kinds in parallel on different workers, and survives a SIGKILLed worker', async () => {
    const apis = [spawn('api-1', { CHILD_ROLE: 'api' }), spawn('api-2', { CHILD_ROLE: 'api' })];
    // Held runs (until released), so the kinds are seen running side by side.
    const w1 = spawn('worker-1', { CHILD_ROLE: 'worker', CHILD_KINDS: 'LOS_IMPORT,FS_IMPORT' });
    const w2 = spawn('worker-2', { CHILD_ROLE: 'worker', CHILD_KINDS: 'UNILOGIN_EXPORT,CRISTIN_EXPORT' });
    await Promise.all([...apis, w1, w2].map(ready));

    // Round 1: 24 starts at once, then 24 more while the four jobs run.
    const first = await burst(apis, 3);
    const running = await waitFor('all four kinds running at once', () => {
      const started = runs('run-start');
      return SYNC_JOB_KINDS.every((k) => started.some((r) => r.kind === k)) && runs('run-end').length === 0 && started;
    });
    const again = await burst(apis, 3);
    const round1 = [...first, ...again];
    for (const kind of SYNC_JOB_KINDS) {
      expect(new Set(round1.filter((s) => s.kind === kind).map((s) => s.id)).size).toBe(1);
    }
    expect(again.every((s) => s.state === 'RUNNING')).toBe(true);
    expect(new Set(running.map((r) => r.pid))).toEqual(new Set([w1.pid, w2.pid]));

    // A third worker joins; worker-1 is killed in the middle of its two jobs, which worker-3 takes over.
    const w3 = spawn('worker-3', { CHILD_ROLE: 'worker', CHILD_RELEASED: '1' });
    await ready(w3);
    w1.proc.kill('SIGKILL');
    const killedJobs = running.filter((r) => r.pid === w1.pid).map((r) => r.jobId);
    expect(killedJobs).toHaveLength(2);
    await waitFor(
      "worker-3 to finish the killed worker's jobs",
      () => killedJobs.every((id) => w3.messages.some((m) => m.type === 'run-end' && m.jobId === id)),
      { timeoutMs: 20_000 },
    );
    w2.proc.send({ type: 'release' });

    // Round 2, with every worker free: all four kinds through both APIs again, twice.
    const round2 = [...(await burst(apis, 2)), ...(await burst(apis, 1))];
    const accepted = [...new Set([...round1, ...round2].map((s) => s.id))];
    expect(accepted.length).toBeGreaterThanOrEqual(8);

    // The store: one SUCCEEDED record per accepted start, and nothing else.
    const { rows } = await waitFor(
      'every accepted job to succeed',
      async () => {
        const result = await store.query<{ id: string; state: string }>('SELECT id, state FROM sync_jobs');
        return result.rows.length === accepted.length && result.rows.every((r) => r.state === 'SUCCEEDED') && result;
      },
      { timeoutMs: 20_000 },
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...accepted].sort());
    // The syncs' own count: each accepted job ran to its end exactly once.
    const ended = await waitFor(
      'every run-end message',
      () => runs('run-end').length >= accepted.length && runs('run-end'),
    );
    for (const id of accepted) expect(ended.filter((r) => r.jobId === id)).toHaveLength(1);
    expect(ended).toHaveLength(accepted.length);
    // The killed worker's jobs started twice (killed, then taken over) and ended once, on worker-3.
    for (const id of killedJobs) {
      expect(
        runs('run-start')
          .filter((r) => r.jobId === id)
          .map((r) => r.pid),
      ).toEqual([w1.pid, w3.pid]);
      expect(ended.find((r) => r.jobId === id)!.pid).toBe(w3.pid);
    }

    for (const c of children.filter((c) => c !== w1)) c.proc.send({ type: 'stop' });
    await Promise.all(
      children
        .filter((c) => c !== w1)
        .map(
          (c) => new Promise((resolve) => (c.proc.exitCode !== null ? resolve(null) : c.proc.once('exit', resolve))),
        ),
    );
  }, 90_000);
});
