/**
 * Download of export files (the Cristin export's XML) over HTTP:
 *
 *   GET /exports            → {"files": [{name, bytes, modifiedAt, url}]}, newest first      scope sync
 *   GET /exports/<file>     → the file, `content-type: application/xml; charset=ISO-8859-1`  scopes sync AND pii
 *
 * A Cristin file holds the fødselsnummer of every person in it, so downloading one is reading national ids in
 * bulk: it needs `pii` as well as `sync` (the scope rule of the GraphQL API). The listing stays `sync` only: file
 * names, sizes and times carry no personal data, and a sync operator needs them to see that an export ran.
 *
 * Only plain file names in DATA_DIR/exports/ are served (datasources/cristin/files.ts decides what a servable
 * name is): anything with a slash, `..`, a leading dot (temp files) or another extension is 404, whatever the
 * file system holds. Authentication is the gateway's own (server/auth.ts): 401 without a known bearer token,
 * 403 with one that lacks a needed scope. Errors are JSON `{error: {code, message}}` with codes from the closed vocabulary.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import type { GraphQLError } from 'graphql';
import type { Authenticator } from './auth';
import type { Scope } from '../core/config';
import type { Logger } from '../core/logger';
import { exportPath, exportsDir } from '../datasources/cristin/files';

export interface ExportsRouteOptions {
  /** DATA_DIR: files are served from `${dataDir}/exports`. */
  dataDir: string;
  auth: Authenticator;
  logger?: Logger;
}

type Res = express.Response;

function fail(res: Res, status: number, code: string, message: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(status).json({ error: { code, message } });
}

const LIST: Scope[] = ['sync'];
const DOWNLOAD: Scope[] = ['sync', 'pii'];

/** True when the caller has every scope in `needs`; otherwise answers 401/403 and returns false. */
function allowed(req: express.Request, res: Res, auth: Authenticator, needs: Scope[]): boolean {
  let scopes;
  try {
    scopes = auth.scopesFor(req.header('authorization'));
  } catch (e) {
    fail(res, 401, 'UNAUTHENTICATED', (e as GraphQLError).message);
    return false;
  }
  const missing = needs.filter((s) => !scopes.has(s));
  if (missing.length > 0) {
    const what = needs === DOWNLOAD ? 'Downloading an export file (it holds national ids)' : 'Listing the export files';
    fail(
      res,
      403,
      'FORBIDDEN',
      `${what} needs scope ${needs.map((s) => `"${s}"`).join(' and ')}; this token lacks ${missing.map((s) => `"${s}"`).join(' and ')}.`,
    );
    return false;
  }
  return true;
}

export function exportsRouter(opts: ExportsRouteOptions): express.Router {
  const router = express.Router();
  const dir = exportsDir(opts.dataDir);

  router.get('/exports', async (req, res) => {
    if (!allowed(req, res, opts.auth, LIST)) return;
    let names: string[] = [];
    try {
      names = await fs.readdir(dir);
    } catch {
      // No export yet: an empty list.
    }
    const files = [];
    for (const name of names) {
      const full = exportPath(opts.dataDir, name);
      if (!full) continue;
      const st = await fs.stat(full).catch(() => null);
      if (st?.isFile())
        files.push({ name, bytes: st.size, modifiedAt: st.mtime.toISOString(), url: `/exports/${name}` });
    }
    files.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || b.name.localeCompare(a.name));
    res.setHeader('cache-control', 'no-store');
    res.json({ files });
  });

  router.get('/exports/:file', async (req, res) => {
    if (!allowed(req, res, opts.auth, DOWNLOAD)) return;
    const name = String(req.params.file);
    const full = exportPath(opts.dataDir, name);
    const st = full ? await fs.stat(full).catch(() => null) : null;
    if (!full || !st?.isFile()) {
      fail(res, 404, 'BAD_USER_INPUT', 'No such export file. GET /exports lists the files there are.');
      return;
    }
    res.status(200).set({
      'content-type': 'application/xml; charset=ISO-8859-1',
      'content-length': String(st.size),
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(createReadStream(full), res);
    } catch (e) {
      // The client went away, or the file vanished mid-read: nothing more can be said on this response.
      opts.logger?.warn({ file: name, err: (e as Error).message }, 'export download ended early');
      res.destroy();
    }
  });

  return router;
}
