/**
 * Where export files live and what they are called: `DATA_DIR/exports/`, shared by the export job (which writes)
 * and the download route (server/exports.ts, which reads). Names are the only way in: a name that is not a
 * plain file name in that folder resolves to nothing, so no path can escape it.
 *
 *   cristin-<institusjonsnr>-<UTC stamp>.xml        a published export
 *   cristin-<institusjonsnr>-<UTC stamp>.held.xml   an export the size guard held back (kept for inspection)
 *   .cristin-….xml.<job id>.tmp                     being written (hidden, never served; removed on the next run)
 */
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
  return at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
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
