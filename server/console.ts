/**
 * The operators' sync console at `/console`: one HTML page and three hand-written assets (plain JS and CSS under
 * server/console/, no framework and no build step), all served from this process: no CDN, since the machines
 * running idbro often cannot reach one. The page talks to `/graphql` with the token the operator enters.
 *
 * - `GET /console` → the page (strict CSP: scripts and styles only from this origin, no inline script);
 * - `GET /console/assets/<file>` → an allow-listed asset; anything else under it is a 404.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Express, Request, Response } from 'express';

export const CONSOLE_PATH = '/console';
export const CONSOLE_ASSET_PREFIX = `${CONSOLE_PATH}/assets`;

const ASSETS: Readonly<Record<string, string>> = {
  'feed.js': 'text/javascript; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/**
 * Where the assets are: beside this file when running the TypeScript (jest, swc), and in the source tree when
 * running the build (tsc emits dist/server/console.js but does not copy .js/.css files it does not compile).
 */
function assetDir(): string {
  const candidates = [path.join(__dirname, 'console'), path.join(__dirname, '..', '..', 'server', 'console')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'console.js')));
  if (!found) throw new Error(`the console's assets are missing (looked in ${candidates.join(', ')})`);
  return found;
}

interface LoadedAsset {
  body: Buffer;
  contentType: string;
  version: string;
}

function loadAssets(): Map<string, LoadedAsset> {
  const dir = assetDir();
  const out = new Map<string, LoadedAsset>();
  for (const [name, contentType] of Object.entries(ASSETS)) {
    const body = readFileSync(path.join(dir, name));
    out.set(name, { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) });
  }
  return out;
}

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function renderConsolePage(assets: Map<string, LoadedAsset>, graphqlPath = '/graphql'): string {
  const url = (name: string) => `${CONSOLE_ASSET_PREFIX}/${name}?v=${assets.get(name)!.version}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>idbro sync console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${url('console.css')}">
</head>
<body data-graphql="${graphqlPath}">
<header>
  <h1>idbro sync console</h1>
  <form id="token-form" autocomplete="off">
    <label>Token <input id="token" type="password" placeholder="API token (kept in this tab only)" spellcheck="false"></label>
    <button type="submit" id="token-use">Use token</button>
    <button type="button" id="token-forget">Forget</button>
    <span id="whoami" aria-live="polite"></span>
  </form>
</header>
<div id="notice" role="alert" hidden></div>
<main>
  <section id="kinds-section">
    <h2>Syncs</h2>
    <table id="kinds"><thead><tr><th>Kind</th><th>Schedules</th><th>Last run</th><th class="start-col">Start</th></tr></thead><tbody></tbody></table>
    <div id="confirm" class="confirm" hidden>
      <p id="confirm-text"></p>
      <button type="button" id="confirm-yes" class="danger">Start with force</button>
      <button type="button" id="confirm-no">Back</button>
    </div>
  </section>
  <section id="jobs-section">
    <h2>Jobs</h2>
    <div class="filters">
      <label>Kind <select id="jobs-kind"><option value="">all</option></select></label>
      <label>State <select id="jobs-state"><option value="">all</option></select></label>
      <button type="button" id="jobs-newest">Newest</button>
      <button type="button" id="jobs-older">Older</button>
      <span id="jobs-count"></span>
    </div>
    <table id="jobs"><thead><tr><th>Started</th><th>Kind</th><th>State</th><th>Progress</th><th>Message</th><th></th></tr></thead><tbody></tbody></table>
  </section>
  <section id="job-section" hidden>
    <h2>Job <span id="job-id"></span></h2>
    <dl id="job-summary"></dl>
    <table id="job-counts"><thead><tr><th>created</th><th>updated</th><th>unchanged</th><th>terminated</th><th>skipped</th><th>failed</th></tr></thead><tbody></tbody></table>
    <h3>Issues <span id="issues-count"></span></h3>
    <div class="filters">
      <label>Severity <select id="issues-severity"><option value="">all</option><option>ERROR</option><option>WARNING</option><option>INFO</option></select></label>
      <label>Search <input id="issues-search" type="search" placeholder="file, message or record"></label>
      <button type="button" id="issues-prev">Previous</button>
      <button type="button" id="issues-next">Next</button>
      <span id="issues-page"></span>
    </div>
    <table id="issues"><thead><tr><th>Severity</th><th>File</th><th>Line</th><th>Field</th><th>Message</th><th>Record</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script src="${url('feed.js')}"></script>
<script src="${url('console.js')}"></script>
</body>
</html>
`;
}

/** Mounts the page and its assets. */
export function mountConsole(app: Express): void {
  const assets = loadAssets();
  const html = renderConsolePage(assets);
  app.get(`${CONSOLE_ASSET_PREFIX}/:file`, (req: Request, res: Response) => {
    const asset = assets.get(String(req.params.file));
    if (!asset) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The URL carries the content hash, so a changed file gets a new URL.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.send(asset.body);
  });
  app.get([CONSOLE_PATH, `${CONSOLE_PATH}/`], (_req: Request, res: Response) => {
    res.status(200);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    res.send(html);
  });
}
