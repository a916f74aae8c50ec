/**
 * Files that hold personal data (the Cristin export carries every fødselsnummer, the UNI-Login document every
 * CPR): readable by the service's own user only. Folders are 0700 and files 0600 from the moment they exist —
 * the mode is given at creation, not fixed afterwards, so there is no window in which another local user could
 * open them — and a folder made by an older version (0755 under the usual umask) is tightened when it is used.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** rwx for the owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** rw for the owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and its parents) when missing, and sets it to 0700 whether it was new or not. */
export async function ensurePrivateDir(dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode is filtered by the umask and ignored for a folder that exists: set it explicitly.
  await fs.chmod(dir, PRIVATE_DIR_MODE);
  return dir;
}

/** A new private temp folder (mkdtemp: a fresh random name, 0700) under the system temp dir. */
export async function privateTempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(join(tmpdir(), prefix));
  await fs.chmod(dir, PRIVATE_DIR_MODE);
  return dir;
}
