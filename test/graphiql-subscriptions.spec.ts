/**
 * GraphiQL (as the demo serves it: no API_TOKENS, anonymous read) runs a subscription in a real headless
 * Chromium: the page's fetcher opens graphql-ws on ws://…/graphql, and a change published on the ChangeBus shows
 * in the result pane. Skips with a clear message where no Chromium binary is installed (as
 * graphiql-browser.spec.ts does).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type BrowserContext } from 'playwright-core';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { createGateway, type Gateway } from '../server/http';
import { ChangeBus } from '../datasources/cerebrum/events/change';
import { SAMPLE, startCerebrumSimulator, type CerebrumSimulator } from '../simulators/cerebrum';
import { CHROMIUM_ARGS, defaultChromiumPath, skipMessage } from '../scripts/check-graphiql';
import { waitFor } from './helpers/jobs';

interface CodeMirrorHost {
  CodeMirror?: { getValue(): string };
}
interface MiniDocument {
  querySelector(selector: string): CodeMirrorHost | null;
}

const QUERY = `subscription Watch { personChanged(id: "cerebrum:${SAMPLE.torTest}") { id kind person { name } } }`;

let sim: CerebrumSimulator;
let gateway: Gateway;
let url: string;
const bus = new ChangeBus();

beforeAll(async () => {
  sim = await startCerebrumSimulator({ apiKey: 'k' });
  // As `npm start` runs: no API_TOKENS, so anonymous callers have read (and sync).
  const config = loadConfig({ CEREBRUM_URL: sim.url, CEREBRUM_API_KEY: 'k', LOG_LEVEL: 'silent' }, { mode: 'demo' });
  // The subscription is the page's preloaded query: GraphiQL parses a typed-in document a moment later (debounced),
  // and only a parsed subscription goes to the WebSocket fetcher.
  gateway = createGateway({ config, logger: createLogger('silent'), changes: bus, defaultQuery: QUERY });
  url = `${await gateway.listen(0, '127.0.0.1')}/graphql`;
});

afterAll(async () => {
  await gateway?.stop();
  await sim?.stop();
});

it('runs a subscription from the GraphiQL page over graphql-ws and shows the payload', async () => {
  const executablePath = defaultChromiumPath();
  if (!fs.existsSync(executablePath)) {
    if (process.env.IDBRO_REQUIRE_BROWSER === '1')
      throw new Error(`${skipMessage(executablePath)} (IDBRO_REQUIRE_BROWSER=1)`);
    console.log(skipMessage(executablePath));
    return;
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graphiql-subs-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    context.setDefaultTimeout(20_000);
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('react-remove-scroll-bar:')) problems.push(m.text());
    });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { state: 'visible' });
    await page.click('button.graphiql-execute-button');
    // The page's subscription is open on the server: publish a change.
    await waitFor('the page to subscribe', () => gateway.activeSubscriptions() >= 1).catch(async (e) => {
      const pane = await page.evaluate(() =>
        (globalThis as unknown as { document: MiniDocument }).document
          .querySelector('.graphiql-response .CodeMirror')
          ?.CodeMirror?.getValue(),
      );
      throw new Error(
        `${(e as Error).message}; sockets ${JSON.stringify(sockets)}; page problems ${JSON.stringify(problems)}; result pane ${pane}`,
      );
    });
    bus.publish({
      jti: randomUUID(),
      kind: 'modify',
      resourceType: 'persons',
      ref: String(SAMPLE.torTest),
      attributes: [],
      objects: [],
      issuedAt: new Date(),
    });
    await page.waitForFunction(() =>
      (
        (globalThis as unknown as { document: MiniDocument }).document
          .querySelector('.graphiql-response .CodeMirror')
          ?.CodeMirror?.getValue() ?? ''
      ).includes('"personChanged"'),
    );
    const text = await page.evaluate(() =>
      (globalThis as unknown as { document: MiniDocument }).document
        .querySelector('.graphiql-response .CodeMirror')!
        .CodeMirror!.getValue(),
    );
    expect(JSON.parse(text)).toEqual({
      data: {
        personChanged: { id: `cerebrum:${SAMPLE.torTest}`, kind: 'MODIFY', person: { name: expect.any(String) } },
      },
    });
    expect(sockets).toEqual([url.replace(/^http/, 'ws')]);
    expect(problems).toEqual([]);
  } finally {
    await context?.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}, 60_000);
