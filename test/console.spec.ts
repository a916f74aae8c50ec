/**
 * The sync console over plain HTTP: /console serves its page and its assets from this process, with no
 * external URL anywhere; and the small API the console and the CLI read beside the job API (viewer, syncKinds)
 * against a real gateway with real workers on the real Redis.
 */
import { TOKENS } from './helpers/gateway';
import { LOS_SCHEDULE, startSyncStack, type SyncStack } from './helpers/sync-stack';
import { waitFor } from './helpers/jobs';
import { captures } from './helpers/defined';

let s: SyncStack;
beforeAll(async () => {
  s = await startSyncStack('console');
});
afterAll(async () => s?.stop());

const EXTERNAL = /\b(?:https?:)?\/\/(?!127\.0\.0\.1|localhost)[a-z0-9.-]+\.[a-z]{2,}/i;

describe('/console over HTTP', () => {
  it('serves the page and its assets, all local, with a strict CSP', async () => {
    const res = await fetch(`${s.stack.url}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await res.text();
    expect(html).toContain('<title>idbro sync console</title>');
    expect(html).not.toMatch(EXTERNAL);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script: CSP allows none

    const refs = captures(/(?:src|href)="([^"]+)"/g, html).filter((u) => !u.startsWith('data:'));
    expect(refs.map((u) => u.replace(/\?.*$/, '')).sort()).toEqual([
      '/console/assets/console.css',
      '/console/assets/console.js',
      '/console/assets/feed.js',
    ]);
    for (const ref of refs) {
      const asset = await fetch(`${s.stack.url}${ref}`);
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      expect(asset.headers.get('content-type')).toMatch(ref.includes('.js') ? /^text\/javascript/ : /^text\/css/);
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(400);
      expect(body).not.toMatch(EXTERNAL);
    }
  });

  it('answers 404 for anything outside its asset list', async () => {
    for (const p of [
      '/console/assets/nope.js',
      '/console/assets/..%2Fconsole.ts',
      '/console/assets/%2e%2e%2fhttp.ts',
    ]) {
      expect((await fetch(`${s.stack.url}${p}`)).status).toBe(404);
    }
  });
});

describe('what the console and the CLI read', () => {
  it('viewer.scopes are the scopes of the token', async () => {
    for (const [token, scopes] of [
      [TOKENS.read, ['read']],
      [TOKENS.pii, ['read', 'pii']],
      [TOKENS.all, ['read', 'pii', 'sync']],
    ] as const) {
      const { body } = await s.stack.gql('{ viewer { scopes } }', {}, token);
      expect(body).toEqual({ data: { viewer: { scopes } } });
    }
    // Every query needs scope read, this one too: a sync-only token learns that it cannot read.
    const syncOnly = await s.stack.gql('{ viewer { scopes } }', {}, TOKENS.sync);
    expect(syncOnly.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const { status, body } = await s.stack.gql('{ viewer { scopes } }', {}, 'no-such-token');
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('syncKinds lists every kind with availability, modes, schedules from Redis and the newest job', async () => {
    const q =
      '{ syncKinds { kind available modes takesForce schedules { cron timeZone mode nextRunAt } lastRun { id state } } }';
    const before = (await s.stack.gql(q)).body.data.syncKinds;
    expect(before.map((k: any) => k.kind)).toEqual(['LOS_IMPORT', 'FS_IMPORT', 'UNILOGIN_EXPORT', 'CRISTIN_EXPORT']);
    const los = before.find((k: any) => k.kind === 'LOS_IMPORT');
    expect(los).toMatchObject({
      available: true,
      modes: [],
      takesForce: false,
      schedules: [{ cron: LOS_SCHEDULE, timeZone: 'Europe/Copenhagen', mode: null }],
    });
    expect(new Date(los.schedules[0].nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect(before.find((k: any) => k.kind === 'FS_IMPORT')).toMatchObject({
      available: false,
      schedules: [],
      lastRun: null,
    });
    expect(before.find((k: any) => k.kind === 'UNILOGIN_EXPORT')).toMatchObject({
      modes: ['FULL', 'INCREMENTAL', 'DELETE'],
      takesForce: true,
    });

    const { body } = await s.stack.gql('mutation { startCristinExport(dryRun: true) { id } }');
    const id = body.data.startCristinExport.id;
    const after = await waitFor('the Cristin export to fail', async () => {
      const kinds = (await s.stack.gql(q)).body.data.syncKinds;
      const c = kinds.find((k: any) => k.kind === 'CRISTIN_EXPORT');
      return c.lastRun?.state === 'FAILED' && c;
    });
    expect(after.lastRun.id).toBe(id);
  });

  it('syncKinds needs scope read', async () => {
    const { body } = await s.stack.gql('{ syncKinds { kind } }', {}, TOKENS.sync);
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
