/**
 * This deployment's identity, kept in the store (table `deployment`, one row, created on first start):
 * - `id`: a UUID naming the deployment. Queue keys in Redis are scoped by it, so two deployments sharing one
 *   Redis never run each other's jobs (issue 10).
 * - `idKey`: the secret under which person ids derived from personal data are keyed (HMAC-SHA-256, issue 9).
 *   The ID_KEY setting wins when set; otherwise the random key generated on first start. Never logged and never
 *   part of a response or an error.
 *
 * Concurrent first starts (an API and a worker on a fresh PostgreSQL) race on one INSERT … ON CONFLICT DO NOTHING
 * and both read back the row that won, so every process of a deployment sees the same identity.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from './db';

export interface DeploymentIdentity {
  /** UUID of this deployment, stable across restarts. */
  id: string;
  /** The key of keyed ids: ID_KEY's bytes when set, else the stored random 32 bytes. */
  idKey: Buffer;
  /** True when idKey came from the ID_KEY setting. */
  idKeyFromSetting: boolean;
}

export async function loadDeploymentIdentity(
  db: Queryable,
  opts: { idKey?: string } = {},
): Promise<DeploymentIdentity> {
  await db.query(
    'INSERT INTO deployment (singleton, id, id_key) VALUES (true, $1, $2) ON CONFLICT (singleton) DO NOTHING',
    [randomUUID(), randomBytes(32)],
  );
  const { rows } = await db.query<{ id: string; id_key: Buffer | Uint8Array }>('SELECT id, id_key FROM deployment');
  const row = rows[0];
  if (!row) throw new Error('The deployment row is missing right after it was created (table deployment).');
  const stored = Buffer.from(row.id_key);
  return opts.idKey !== undefined
    ? { id: row.id, idKey: Buffer.from(opts.idKey, 'utf8'), idKeyFromSetting: true }
    : { id: row.id, idKey: stored, idKeyFromSetting: false };
}
