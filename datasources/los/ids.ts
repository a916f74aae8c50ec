import { createHash } from 'node:crypto';

/**
 * Name-based UUIDs (RFC 4122 version 5, SHA-1) for LOS objects that have no UUID of their own and carry no
 * personal data: the seed classes and facets. The same input always gives the same UUID, so a re-run of an
 * import writes the same ids.
 *
 * Ids derived from a CPR (persons, managers) are NOT made here: an unkeyed function of a CPR can be reversed
 * (10,000 candidates per birth date). They are keyed with the deployment's secret: core/keyed-ids.ts.
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  // A SHA-1 digest has 20 bytes: 6 and 8 exist.
  hash[6] = (hash.readUInt8(6) & 0x0f) | 0x50;
  hash[8] = (hash.readUInt8(8) & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** idbro's namespace for the seed data (a random UUID fixed once). */
const SEED_NS = '4f6f0c1e-2b7d-4a53-9d2e-6c0a9b1f7e03';

export const seedUuid = (kind: string, key: string) => uuidV5(`${kind}|${key}`, SEED_NS);
