/**
 * GraphiQL served entirely from local assets (no CDN: the machines running idbro cannot reach one).
 *
 * - `GET /graphiql/assets/<file>` serves a fixed allow-list of files resolved from node_modules
 *   (GraphiQL 3 UMD bundle + CSS, React 18 / ReactDOM 18 UMD production builds).
 * - `GET <endpoint>` answers the GraphiQL page when the browser prefers `text/html`; every other
 *   request (JSON clients, `Accept: *\/*`, POST, ...) falls through with `next()` to the GraphQL
 *   handler mounted after it.
 *
 * Subscription operations run over graphql-ws (the bundle's createGraphiQLFetcher with `subscriptionUrl`) on
 * the endpoint's ws:// or wss:// URL; `connect-src 'self'` allows it (CSP 3: 'self' matches the page's host over
 * ws: and wss: too).
 *
 * The page carries a strict Content-Security-Policy: scripts only from this origin plus the single
 * static inline bootstrap script (pinned by its sha256 hash; all per-page configuration lives in a
 * non-executable `application/json` data block), `connect-src 'self'` for the fetcher, and
 * `style-src 'unsafe-inline'` which GraphiQL 3 needs for the styles it injects at runtime.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Express, NextFunction, Request, Response } from 'express';

export interface GraphiqlOptions {
  /** Path (e.g. '/graphql') the GraphQL handler is mounted at; the page is served on GET of the same path. */
  endpoint: string;
  /** Query preloaded in the editor of a fresh browser (GraphiQL keeps the user's own tabs in localStorage afterwards). */
  defaultQuery?: string;
  /** Page title. */
  title?: string;
  /** Default request headers shown in the headers editor of new tabs (optional). */
  headers?: Record<string, string>;
}

/** URL prefix of the static assets. */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets';

interface AssetSpec {
  pkg: string;
  file: string;
  contentType: string;
}

/** The only files ever served under GRAPHIQL_ASSET_PREFIX. */
const ASSETS: Readonly<Record<string, AssetSpec>> = {
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
  'react.production.min.js': {
    pkg: 'react',
    file: 'umd/react.production.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
};

const DEFAULT_QUERY = `# Welcome to idbro's GraphiQL.
# Press the run button (or Ctrl-Enter) to execute; open the docs on the left for the schema.
{
  __typename
}
`;

/**
 * `react` and `react-dom` restrict deep imports through package.json "exports" (the UMD files are
 * not exported), but both export `./package.json`; resolve that and join the file path to it.
 */
function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

function packageVersion(pkg: string): string {
  const manifest = JSON.parse(readFileSync(path.join(packageDir(pkg), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  const version = manifest.version;
  return typeof version === 'string' ? version : '0';
}

interface ResolvedAsset {
  absPath: string;
  contentType: string;
  version: string;
}

let resolvedAssets: Map<string, ResolvedAsset> | undefined;

/** Resolves the allow-listed assets once (throws at mount time if a package is missing). */
function resolveAssets(): Map<string, ResolvedAsset> {
  if (!resolvedAssets) {
    const map = new Map<string, ResolvedAsset>();
    for (const [name, spec] of Object.entries(ASSETS)) {
      map.set(name, {
        absPath: path.join(packageDir(spec.pkg), spec.file),
        contentType: spec.contentType,
        version: packageVersion(spec.pkg),
      });
    }
    resolvedAssets = map;
  }
  return resolvedAssets;
}

/** Local URL of an asset; the package version in the query string busts the long-lived cache on upgrades. */
function assetUrl(name: string): string {
  const asset = resolveAssets().get(name);
  if (!asset) throw new Error(`unknown GraphiQL asset ${name}`);
  return `${GRAPHIQL_ASSET_PREFIX}/${name}?v=${encodeURIComponent(asset.version)}`;
}

/** JSON for embedding inside a <script> element: `<` (and the JS-hostile line separators) are escaped. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The one inline script of the page. It is static (configuration is read from the JSON data block),
 * so its CSP hash is a constant.
 */
const BOOTSTRAP_SCRIPT = `
(function () {
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var url = new URL(config.endpoint, window.location.href).toString();
  var props = {
    // Subscriptions go over graphql-ws on the same path (ws:// or wss://); the headers editor's values are sent
    // as the connection_init payload, so {"Authorization": "Bearer <token>"} authenticates them too.
    fetcher: GraphiQL.createFetcher({ url: url, subscriptionUrl: url.replace(/^http/, 'ws') }),
    defaultQuery: config.defaultQuery,
    defaultEditorToolsVisibility: config.defaultHeaders ? 'headers' : false,
    isHeadersEditorEnabled: true
  };
  if (config.defaultHeaders) props.defaultHeaders = config.defaultHeaders;
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, props));
})();
`;

const BOOTSTRAP_HASH = `'sha256-${createHash('sha256').update(BOOTSTRAP_SCRIPT, 'utf8').digest('base64')}'`;

/** The Content-Security-Policy sent with the GraphiQL page. */
export function graphiqlContentSecurityPolicy(opts: Pick<GraphiqlOptions, 'endpoint'>): string {
  const connect = ["'self'"];
  // A cross-origin endpoint (absolute URL) must be allowed explicitly for the fetcher.
  if (/^https?:\/\//i.test(opts.endpoint)) {
    try {
      connect.push(new URL(opts.endpoint).origin);
    } catch {
      /* not a URL: leave 'self' only */
    }
  }
  return [
    "default-src 'none'",
    `script-src 'self' ${BOOTSTRAP_HASH}`,
    // GraphiQL 3 injects <style> elements and style attributes at runtime.
    "style-src 'self' 'unsafe-inline'",
    // The bundled Roboto / Fira Code fonts are data: URIs inside graphiql.min.css.
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The GraphiQL HTML page. Only local asset URLs (under /graphiql/assets/), no http(s):// URLs. */
export function renderGraphiqlPage(opts: GraphiqlOptions): string {
  const title = opts.title ?? 'idbro GraphiQL';
  const config = {
    endpoint: opts.endpoint,
    defaultQuery: opts.defaultQuery ?? DEFAULT_QUERY,
    defaultHeaders:
      opts.headers && Object.keys(opts.headers).length > 0 ? JSON.stringify(opts.headers, null, 2) : undefined,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('graphiql.min.css')}">
<style>
html, body { height: 100%; margin: 0; overflow: hidden; }
#graphiql { height: 100vh; }
</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL&hellip;</div>
<script src="${assetUrl('react.production.min.js')}"></script>
<script src="${assetUrl('react-dom.production.min.js')}"></script>
<script src="${assetUrl('graphiql.min.js')}"></script>
<script type="application/json" id="graphiql-config">${jsonForScript(config)}</script>
<script>${BOOTSTRAP_SCRIPT}</script>
</body>
</html>
`;
}

/** True when the client prefers HTML over the GraphQL JSON media types (i.e. it is a browser navigation). */
function prefersHtml(req: Request): boolean {
  if (!req.headers.accept) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/**
 * Mounts the asset route and the browser page on GET `opts.endpoint`. Mount it BEFORE the GraphQL
 * handler of the same path: non-HTML requests are passed on with next().
 */
export function mountGraphiql(app: Express, opts: GraphiqlOptions): void {
  const assets = resolveAssets();
  const html = renderGraphiqlPage(opts);
  const csp = graphiqlContentSecurityPolicy(opts);

  app.get(`${GRAPHIQL_ASSET_PREFIX}/:file`, (req: Request, res: Response, next: NextFunction) => {
    // Only exact allow-listed names match; anything else (incl. decoded '../x') is a 404.
    const asset = assets.get(String(req.params.file));
    if (!asset) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(
      asset.absPath,
      { maxAge: '1y', immutable: true, dotfiles: 'deny', headers: { 'Content-Type': asset.contentType } },
      (err?: Error) => {
        if (err && !res.headersSent) next(err);
      },
    );
  });

  app.get(opts.endpoint, (req: Request, res: Response, next: NextFunction) => {
    // The same URL answers HTML or GraphQL JSON depending on Accept: caches must key on it.
    res.vary('Accept');
    if (!prefersHtml(req)) {
      next();
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    res.send(html);
  });
}
