/**
 * The sync console in a real headless Chromium (playwright-core, Debian's chromium): the operator enters a
 * token, starts a dry-run LOS import from the page against a real gateway with real workers (LOS FTP and DAR
 * simulators, BullMQ on the real Redis), watches the job's bar go to 100 % and reads its issues, filtered and
 * paged; a read-only token is offered no start or cancel. A screenshot is saved (CONSOLE_SCREENSHOT, default
 * <tmpdir>/idbro-console.png). Skips where no Chromium is installed, but fails when IDBRO_REQUIRE_BROWSER=1 (CI).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, defaultChromiumPath, skipMessage } from '../scripts/check-graphiql';
import { TOKENS } from './helpers/gateway';
import { startSyncStack, type SyncStack } from './helpers/sync-stack';
import { defined, nth } from './helpers/defined';

const chromiumPath = defaultChromiumPath();
const haveBrowser = fs.existsSync(chromiumPath);
/** Issues per page on the console in this test (the page's `?issues=N`). */
const PER_PAGE = 5;
const screenshot = process.env.CONSOLE_SCREENSHOT ?? path.join(os.tmpdir(), 'idbro-console.png');

/** Minimal DOM shapes for callbacks that run in the page (tsconfig has no "dom" lib). */
interface MiniEl {
  getAttribute(n: string): string | null;
  textContent: string | null;
  querySelectorAll(s: string): ArrayLike<MiniEl>;
}
interface MiniDoc {
  querySelector(s: string): MiniEl | null;
  querySelectorAll(s: string): ArrayLike<MiniEl>;
}
interface PageGlobals {
  document: MiniDoc;
  MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void };
  seenBars?: Record<string, number[]>;
}

describe('sync console in headless Chromium', () => {
  let s: SyncStack;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const external: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!haveBrowser) return;
    s = await startSyncStack('console-browser');
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-browser-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
      timeout: 30_000,
    });
    context.setDefaultTimeout(20_000);
    const host = new URL(s.stack.url).host;
    await context.route('**/*', async (route) => {
      const u = new URL(route.request().url());
      if (u.protocol === 'data:' || u.host === host) return route.continue();
      external.push(u.href);
      return route.abort('blockedbyclient');
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    await s?.stop();
  });

  /** Records every value each job's bar shows, across re-renders. Runs in the page. */
  function recordBars(): void {
    const g = globalThis as unknown as PageGlobals;
    g.seenBars = {};
    const take = () => {
      for (const bar of Array.from(g.document.querySelectorAll('#jobs .bar'))) {
        const id = bar.getAttribute('data-job-id') ?? '';
        const v = Number(bar.getAttribute('aria-valuenow'));
        const seen = (g.seenBars![id] ??= []);
        if (seen[seen.length - 1] !== v) seen.push(v);
      }
    };
    new g.MutationObserver(take).observe(g.document.querySelector('#jobs'), {
      childList: true,
      subtree: true,
      attributes: true,
    });
    take();
  }

  it('starts a dry-run LOS import from the page, shows the bar reach 100 % and the issues, filtered and paged', async () => {
    if (!haveBrowser) {
      // CI (.ci/run) installs chromium and sets IDBRO_REQUIRE_BROWSER=1: there, a missing browser is a failure.
      if (process.env.IDBRO_REQUIRE_BROWSER === '1')
        throw new Error(`${skipMessage(chromiumPath)} (IDBRO_REQUIRE_BROWSER=1)`);
      console.log(skipMessage(chromiumPath));
      return;
    }
    await page.goto(`${s.stack.url}/console?issues=${PER_PAGE}`); // a small page, to page through the issues
    // Without a token this gateway refuses: the page says so and offers nothing.
    await page.locator('#notice').filter({ hasText: 'needs a token' }).waitFor();

    await page.fill('#token', TOKENS.all);
    await page.click('#token-use');
    await page.locator('#whoami').filter({ hasText: 'scopes: read, pii, sync' }).waitFor();
    // The token stays in this tab's sessionStorage, not in localStorage.
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('idbro.console.token'))).toBe(
      TOKENS.all,
    );
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);

    // The kinds, with the schedule the workers registered.
    const los = page.locator('#kinds tr[data-kind="LOS_IMPORT"]');
    await los.locator('button.start').waitFor();
    expect(await los.innerText()).toContain('0 2 1 1 *');
    expect(await page.locator('#kinds tr[data-kind="FS_IMPORT"]').innerText()).toContain('not available');
    expect(await los.locator('input.start-dry-run').isChecked()).toBe(true);

    await page.evaluate(recordBars);
    await los.locator('button.start').click();

    // The new job's row: it ends SUCCEEDED with its bar at 100 %.
    const row = page.locator('#jobs tbody tr').first();
    await row.locator('.badge.state-SUCCEEDED').waitFor({ timeout: 60_000 });
    const jobId = await row.getAttribute('data-job-id');
    expect(jobId).toMatch(/^sync:/);
    expect(await row.locator('.bar').getAttribute('aria-valuenow')).toBe('100');
    expect(await row.innerText()).toContain('LOS_IMPORT (dry run)');
    const bars = (await page.evaluate(() => (globalThis as unknown as PageGlobals).seenBars))!;
    const seen = defined(bars[jobId!], `the values the bar of ${jobId} showed`);
    expect(seen[0]).toBeLessThan(100); // the page showed the job before it was done…
    expect(seen[seen.length - 1]).toBe(100); // …and its bar moved to 100 %
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(nth(seen, i - 1));

    // The job's details: counts, message, and the issues of the bad rows with file and line.
    await page.locator('#job-summary dd[data-field="state"]').filter({ hasText: 'SUCCEEDED' }).waitFor();
    expect(await page.locator('#job-summary dd[data-field="message"]').innerText()).toMatch(/^Dry run/);
    expect(Number(await page.locator('#job-counts td[data-count="created"]').innerText())).toBeGreaterThan(0);
    const issueRows = page.locator('#issues tbody tr');
    await issueRows.first().waitFor();
    const total = (await s.sync.issues(jobId!.replace(/^sync:/, ''))).length;
    expect(total).toBeGreaterThan(0);
    expect(await page.locator('#issues-count').innerText()).toBe(`(${total})`);
    const bad = s.bed.manifest.badRows.find((b) => b.line !== undefined)!;
    await page.fill('#issues-search', bad.file);
    const text = await page.locator('#issues').innerText();
    expect(text).toContain(bad.file);
    expect(text).toContain(String(bad.line));
    await page.fill('#issues-search', '');

    // Filter by severity: only WARNING rows (the DAR address that could not be washed is one).
    await page.selectOption('#issues-severity', 'WARNING');
    const warnings = (await s.sync.issues(jobId!.replace(/^sync:/, ''))).filter((i) => i.severity === 'WARNING');
    await page
      .locator('#issues-count')
      .filter({ hasText: `(${warnings.length} of ${total})` })
      .waitFor();
    expect(new Set(await page.locator('#issues tbody tr td:first-child').allInnerTexts())).toEqual(
      new Set(['WARNING']),
    );
    // Search by file name.
    await page.selectOption('#issues-severity', '');
    await page.fill('#issues-search', bad.file);
    const inFile = await page.locator('#issues tbody tr td:nth-child(2)').allInnerTexts();
    expect(inFile.length).toBeGreaterThan(0);
    expect(new Set(inFile)).toEqual(new Set([bad.file]));
    await page.fill('#issues-search', '');
    // Paging.
    expect(total).toBeGreaterThan(PER_PAGE);
    expect(await page.locator('#issues-page').innerText()).toBe(`1–${PER_PAGE} of ${total}`);
    expect(await page.locator('#issues-prev').isDisabled()).toBe(true);
    const firstPage = await issueRows.allInnerTexts();
    await page.click('#issues-next');
    const end = Math.min(2 * PER_PAGE, total);
    expect(await page.locator('#issues-page').innerText()).toBe(`${PER_PAGE + 1}–${end} of ${total}`);
    expect(await issueRows.count()).toBe(end - PER_PAGE);
    expect(await issueRows.allInnerTexts()).not.toEqual(firstPage);
    await page.click('#issues-prev');
    expect(await issueRows.allInnerTexts()).toEqual(firstPage);

    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);

    expect(external).toEqual([]);
    expect(pageErrors.filter((e) => !/401|403/.test(e))).toEqual([]);
  }, 120_000);

  it('asks for a confirmation before a start with force, passes the mode, and cancels a queued job', async () => {
    if (!haveBrowser) {
      if (process.env.IDBRO_REQUIRE_BROWSER === '1')
        throw new Error(`${skipMessage(chromiumPath)} (IDBRO_REQUIRE_BROWSER=1)`);
      return;
    }
    const jobs = page.locator('#jobs tbody tr');
    const before = await jobs.count();
    const uni = page.locator('#kinds tr[data-kind="UNILOGIN_EXPORT"]');
    await uni.locator('select.start-mode').selectOption('INCREMENTAL');
    await uni.locator('input.start-force').check();
    await uni.locator('button.start').click();
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-text').innerText()).toContain('UNILOGIN_EXPORT (INCREMENTAL)');
    // Back: nothing is started.
    await page.click('#confirm-no');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    expect(await s.sync.list({ kind: 'UNILOGIN_EXPORT', first: 5 })).toMatchObject({ totalCount: 0 });

    await uni.locator('button.start').click();
    await page.click('#confirm-yes');
    const row = jobs.filter({ hasText: 'UNILOGIN_EXPORT' }).first();
    await row.locator('.badge.state-QUEUED').waitFor();
    expect(await jobs.count()).toBe(before + 1);
    const id = (await row.getAttribute('data-job-id'))!.replace(/^sync:/, '');
    expect(await s.sync.get(id)).toMatchObject({
      state: 'QUEUED',
      dryRun: true,
      params: { mode: 'INCREMENTAL', force: true },
    });

    // No worker runs it: cancel it from the page.
    await row.locator('button.cancel').click();
    await row.locator('.badge.state-CANCELLED').waitFor();
    expect((await s.sync.get(id))?.state).toBe('CANCELLED');
    expect(await row.locator('button.cancel').count()).toBe(0);
  }, 60_000);

  it('offers no start or cancel to a read-only token, and says when a token is refused', async () => {
    if (!haveBrowser) {
      if (process.env.IDBRO_REQUIRE_BROWSER === '1')
        throw new Error(`${skipMessage(chromiumPath)} (IDBRO_REQUIRE_BROWSER=1)`);
      return;
    }
    await page.fill('#token', TOKENS.read);
    await page.click('#token-use');
    await page
      .locator('#whoami')
      .filter({ hasText: /^scopes: read$/ })
      .waitFor();
    await page.locator('#kinds tr[data-kind="LOS_IMPORT"]').filter({ hasText: 'needs scope sync' }).waitFor();
    await page.locator('#jobs tbody tr').first().waitFor();
    expect(await page.locator('button.start').count()).toBe(0);
    expect(await page.locator('button.cancel').count()).toBe(0);

    await page.fill('#token', 'not-a-token');
    await page.click('#token-use');
    await page.locator('#notice').filter({ hasText: 'The token was not accepted' }).waitFor();
    expect(await page.locator('#kinds tbody tr').count()).toBe(0);
  }, 60_000);
});
