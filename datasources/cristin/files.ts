/**
 * Where export files live and what they are called: `DATA_DIR/exports/`, shared by the export job (which writes)
 * and the download route (server/exports.ts, which reads). Names are the only way in: a name that is not a
 * plain file name in that folder resolves to nothing, so no path can escape it.
 *
 *   cristin-<institusjonsnr>-<UTC stamp>.xml        a published export
 *   cristin-<institusjonsnr>-<UTC stamp>.held.xml   an export the size guard held back (kept for inspection)
 *   .cristin-….xml.<job id>.tmp                     being written (hidden, never served; removed on the next run)
 *
 * Every one of them holds fødselsnumre: the folder is 0700 and the files 0600 (../private-files.ts), and the
 * export files older than EXPORT_RETENTION_DAYS are removed by the next run (`expiredExports`).
 */
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PRIVATE_FILE_MODE } from '../../core/private-files';

export const EXPORTS_FOLDER = 'exports';

/** A servable export name: letters, digits, '.', '_' and '-', not starting with a dot, ending in .xml. */
const SERVABLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.xml$/;

export function exportsDir(dataDir: string): string {
  return resolve(dataDir, EXPORTS_FOLDER);
}

/** The absolute path of a servable export name, or null for anything else (traversal, hidden, temp, not XML). */
export function exportPath(dataDir: string, name: string): string | null {
  if (!SERVABLE.test(name) || name.includes('..')) return null;
  const dir = exportsDir(dataDir);
  const full = resolve(dir, name);
  return dirname(full) === dir ? full : null;
}

/** `20250106T040000Z`: sortable, no characters a file system or URL objects to. */
export function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export function cristinFileName(institution: string, at: Date): string {
  return `cristin-${institution}-${stamp(at)}.xml`;
}

/** The name a held-back export keeps: clearly not a published one. */
export function heldName(published: string): string {
  return published.replace(/\.xml$/, '.held.xml');
}

export function tempName(published: string, jobId: string): string {
  return `.${published}.${jobId.replace(/[^A-Za-z0-9-]/g, '')}.tmp`;
}

/** A name not taken yet in `dir`: the name itself, else with -2, -3 … before `.xml`. */
export async function freeName(dir: string, name: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : name.replace(/\.xml$/, `-${n}.xml`);
    try {
      await fs.access(join(dir, candidate));
    } catch {
      return candidate;
    }
  }
}

/** Removes temp files an interrupted run left behind (only Cristin's, only temp ones). Returns how many. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  const stale = names.filter((n) => n.startsWith('.cristin-') && n.endsWith('.tmp'));
  await Promise.all(stale.map((n) => fs.rm(join(dir, n), { force: true })));
  return stale.length;
}

/** The start time an export's name carries (`cristin-185-20250106T040000Z[-2][.held].xml`); null for other names. */
export function exportStartedAt(name: string): Date | null {
  const m = /^cristin-\d+-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z[.-]/.exec(name);
  if (!m || !name.endsWith('.xml')) return null;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * The export files (published and held) in `names` that started more than `days` days before `now`, except
 * `keep` (the last published export: a downstream that failed to fetch it for a while must still find it;
 * null = no record of one, then the newest published file is kept).
 * The age is the time in the name, not the file's mtime, which a copy or a restore from backup would reset.
 * Other files are not ours to delete and are never listed.
 */
export function expiredExports(names: string[], now: Date, days: number, keep: string | null): string[] {
  const cutoff = now.getTime() - days * 86_400_000;
  // Without a record (a store started afresh), the newest published file is the last published one.
  keep ??=
    names
      .filter((n) => exportStartedAt(n) !== null && !n.endsWith('.held.xml') && !/\.held-\d+\.xml$/.test(n))
      .sort((a, b) => exportStartedAt(b)!.getTime() - exportStartedAt(a)!.getTime() || b.localeCompare(a))[0] ?? null;
  return names
    .filter((n) => {
      if (n === keep) return false;
      const at = exportStartedAt(n);
      return at !== null && at.getTime() < cutoff;
    })
    .sort();
}

/**
 * The retention sweep of an export run: removes `expiredExports` (unless `dryRun`), and sets every remaining
 * export file to 0600 (files an older version wrote 0644). Returns the names removed (or that would be).
 */
export async function sweepExports(
  dir: string,
  o: { now: Date; days: number; keep: string | null; dryRun: boolean },
): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const expired = expiredExports(names, o.now, o.days, o.keep);
  if (o.dryRun) return expired;
  await Promise.all(expired.map((n) => fs.rm(join(dir, n), { force: true })));
  const gone = new Set(expired);
  await Promise.all(
    names
      .filter((n) => !gone.has(n) && exportStartedAt(n) !== null)
      .map((n) => fs.chmod(join(dir, n), PRIVATE_FILE_MODE).catch(() => undefined)),
  );
  return expired;
}
