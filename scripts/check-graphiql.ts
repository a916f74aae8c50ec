/**
 * Headless-browser check of the GraphiQL page:
 *
 *   node dist/scripts/check-graphiql.js [url] [--screenshot <file>]
 *
 * Opens the page (default http://127.0.0.1:4000/graphql) in headless Chromium (playwright-core,
 * binary from $CHROMIUM_PATH or /usr/bin/chromium, fresh profile), waits for the editor, runs the
 * preloaded query with the execute button, waits for `"data"` in the result pane, opens the docs
 * explorer and checks it lists `Query`, verifies that no request left the local host, takes a
 * screenshot and prints PASS/FAIL (exit code 1 on FAIL). Without a Chromium binary it prints SKIP
 * and exits 0.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export interface CheckGraphiqlOptions {
  /** Screenshot file (default ./graphiql-check.png). */
  screenshot?: string;
  /** Chromium binary (default $CHROMIUM_PATH or /usr/bin/chromium). */
  executablePath?: string;
  /** Per-step timeout in ms (default 20000). */
  timeoutMs?: number;
}

export interface CheckGraphiqlResult {
  /** True only when the browser check ran and passed (false when skipped). */
  ok: boolean;
  /** Set (with ok=false, problems=[]) when no Chromium binary was found. */
  skipped?: string;
  problems: string[];
  /** Text of the result pane after running the preloaded query. */
  resultText?: string;
  /** Every URL the page requested. */
  requests?: string[];
  /** Requests to non-local hosts (these were aborted). */
  externalRequests?: string[];
  /** Path of the screenshot, when one was taken. */
  screenshot?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';
export const DEFAULT_SCREENSHOT = './graphiql-check.png';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function defaultChromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export function skipMessage(executablePath: string): string {
  return `SKIP: no Chromium at ${executablePath}; install Debian's chromium (apt-get install chromium) to run the browser check`;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** data:, blob:, about: are in-page; http(s) must go to loopback or the host of the checked page. */
function isLocalRequest(requestUrl: string, pageHost: string): boolean {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:') return false;
  const host = u.hostname.toLowerCase();
  return LOCAL_HOSTS.has(host) || host.endsWith('.localhost') || host === pageHost;
}

/*
 * Minimal DOM shapes for the callbacks that run inside the page (tsconfig has no "dom" lib, and
 * pulling it in with a triple-slash reference would change the globals of the whole program).
 */
interface MiniElement {
  textContent: string | null;
  innerText?: string;
  CodeMirror?: { getValue(): string };
}
interface MiniDocument {
  querySelector(selector: string): MiniElement | null;
  querySelectorAll(selector: string): ArrayLike<MiniElement>;
}

/** Text of the CodeMirror editor inside `selector` (GraphiQL 3 uses CodeMirror 5). Runs in the page. */
function codeMirrorText(selector: string): string {
  const el = (globalThis as unknown as { document: MiniDocument }).document.querySelector(`${selector} .CodeMirror`);
  if (!el) return '';
  return el.CodeMirror ? el.CodeMirror.getValue() : (el.innerText ?? el.textContent ?? '');
}

async function editorText(page: Page, selector: string): Promise<string> {
  return page.evaluate(codeMirrorText, selector);
}

export async function checkGraphiql(url: string, opts: CheckGraphiqlOptions = {}): Promise<CheckGraphiqlResult> {
  const executablePath = opts.executablePath ?? defaultChromiumPath();
  if (!fs.existsSync(executablePath)) {
    return { ok: false, skipped: skipMessage(executablePath), problems: [] };
  }
  const screenshot = path.resolve(opts.screenshot ?? DEFAULT_SCREENSHOT);
  const timeout = opts.timeoutMs ?? 20_000;
  const problems: string[] = [];
  const requests: string[] = [];
  const externalRequests: string[] = [];
  const pageErrors: string[] = [];
  let resultText: string | undefined;
  let shotTaken = false;

  const pageHost = new URL(url).hostname.toLowerCase();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graphiql-check-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      timeout: 30_000,
    });
    context.setDefaultTimeout(timeout);

    // Record every request; abort anything that would leave the machine (so it fails fast, not hangs).
    await context.route('**/*', async (route) => {
      const reqUrl = route.request().url();
      if (isLocalRequest(reqUrl, pageHost)) await route.continue();
      else await route.abort('blockedbyclient');
    });
    context.on('request', (req) => {
      const reqUrl = req.url();
      requests.push(reqUrl);
      if (!isLocalRequest(reqUrl, pageHost)) externalRequests.push(reqUrl);
    });

    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // CSP violations and script failures surface as console errors.
      // react-remove-scroll-bar (GraphiQL's operation menu) logs a harmless error when the menu opens over a page
      // whose body has overflow:hidden; it is not a failure of the page.
      if (msg.type() === 'error' && !msg.text().startsWith('react-remove-scroll-bar:'))
        pageErrors.push(`console error: ${msg.text()}`);
    });

    // 1. Load the page as a browser (Accept: text/html).
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response) throw new Error(`no response for ${url}`);
    const contentType = response.headers()['content-type'] ?? '';
    if (response.status() !== 200 || !contentType.includes('text/html')) {
      throw new Error(`GET ${url} answered ${response.status()} ${contentType} instead of the GraphiQL HTML page`);
    }

    // 2. The editor is up and has the preloaded query.
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { state: 'visible' });
    const query = await editorText(page, '.graphiql-query-editor');
    if (!query.trim()) problems.push('query editor is empty (defaultQuery not preloaded)');

    // 3. Run it with the execute button and wait for "data" in the result pane. A document with several
    //    operations makes GraphiQL open a menu of them: run the first.
    await page.click('button.graphiql-execute-button');
    const operationMenu = page.locator('[role="menu"] [role="menuitem"]');
    try {
      await operationMenu.first().waitFor({ state: 'visible', timeout: 1500 });
      await operationMenu.first().click();
    } catch {
      /* one operation: it ran at once */
    }
    try {
      await page.waitForFunction(
        (sel: string) => {
          const el = (globalThis as unknown as { document: MiniDocument }).document.querySelector(`${sel} .CodeMirror`);
          const text = el ? (el.CodeMirror ? el.CodeMirror.getValue() : (el.innerText ?? el.textContent ?? '')) : '';
          return text.includes('"data"') || text.includes('"errors"');
        },
        '.graphiql-response',
        { timeout },
      );
    } catch {
      /* reported below from the pane's text */
    }
    resultText = await editorText(page, '.graphiql-response');
    if (!resultText.includes('"data"')) {
      problems.push(`result pane has no "data" after running the query: ${JSON.stringify(resultText.slice(0, 300))}`);
    }

    // 4. Open the docs / schema explorer; it must list the Query root type.
    const showDocs = page.locator('button[aria-label="Show Documentation Explorer"]');
    if ((await showDocs.count()) > 0) await showDocs.first().click();
    try {
      await page.waitForFunction(
        () =>
          Array.from(
            (globalThis as unknown as { document: MiniDocument }).document.querySelectorAll(
              '.graphiql-doc-explorer a.graphiql-doc-explorer-type-name',
            ),
          ).some((a) => (a.textContent ?? '').trim() === 'Query'),
        undefined,
        { timeout },
      );
    } catch {
      const docs = await page
        .locator('.graphiql-doc-explorer')
        .first()
        .innerText({ timeout: 1000 })
        .catch(() => '(no doc explorer)');
      problems.push(`docs explorer does not list Query: ${JSON.stringify(docs.slice(0, 300))}`);
    }

    // 5. Screenshot (with the result and the docs open).
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    shotTaken = true;
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
    // Best effort screenshot of whatever state the page is in, for diagnosis.
    try {
      const page = context?.pages()[0];
      if (page && !shotTaken) {
        fs.mkdirSync(path.dirname(screenshot), { recursive: true });
        await page.screenshot({ path: screenshot });
        shotTaken = true;
      }
    } catch {
      /* ignore */
    }
  } finally {
    await context?.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }

  for (const ext of externalRequests) problems.push(`request to a non-local host: ${ext}`);
  problems.push(...pageErrors);

  return {
    ok: problems.length === 0,
    problems,
    resultText,
    requests,
    externalRequests,
    screenshot: shotTaken ? screenshot : undefined,
  };
}

function parseArgs(argv: string[]): { url: string; screenshot: string } {
  let url = DEFAULT_URL;
  let screenshot = DEFAULT_SCREENSHOT;
  const rest = [...argv];
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    if (arg === '--screenshot') {
      const value = rest.shift();
      if (!value) throw new Error('--screenshot needs a file name');
      screenshot = value;
    } else if (arg.startsWith('--screenshot=')) {
      screenshot = arg.slice('--screenshot='.length);
    } else if (arg === '-h' || arg === '--help') {
      console.log('usage: node dist/scripts/check-graphiql.js [url] [--screenshot <file>]');
      process.exit(0);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      url = arg;
    }
  }
  return { url, screenshot };
}

async function main(): Promise<void> {
  const { url, screenshot } = parseArgs(process.argv.slice(2));
  const result = await checkGraphiql(url, { screenshot });
  if (result.skipped) {
    console.log(result.skipped);
    process.exitCode = 0;
    return;
  }
  console.log(`GraphiQL check of ${url}`);
  console.log(`  requests: ${result.requests?.length ?? 0} (non-local: ${result.externalRequests?.length ?? 0})`);
  if (result.resultText !== undefined) {
    console.log(`  result: ${result.resultText.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
  if (result.screenshot) console.log(`  screenshot: ${result.screenshot}`);
  if (result.ok) {
    console.log('PASS: GraphiQL loaded from local assets, ran the query, docs list Query, no external requests');
  } else {
    console.log(`FAIL: ${result.problems.length} problem(s)`);
    for (const p of result.problems) console.log(`  - ${p}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`FAIL: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
