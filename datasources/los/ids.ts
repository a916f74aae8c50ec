import { createHash } from 'node:crypto';

/**
 * Name-based UUIDs (RFC 4122 version 5, SHA-1) for LOS objects that have no UUID of their own: a person (one
 * per CPR), a manager (the pair unit + CPR), the seed classes and facets. The same input always gives the same
 * UUID, so a re-run of an import writes the same ids, and a person's id never reveals the CPR.
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** idbro's namespaces (random UUIDs fixed once). */
const NS = {
  person: '4f6f0c1e-2b7d-4a53-9d2e-6c0a9b1f7e01',
  manager: '4f6f0c1e-2b7d-4a53-9d2e-6c0a9b1f7e02',
  seed: '4f6f0c1e-2b7d-4a53-9d2e-6c0a9b1f7e03',
};

export const personUuid = (cpr: string) => uuidV5(cpr, NS.person);
export const managerUuid = (orgUuid: string, cpr: string) => uuidV5(`${orgUuid.toLowerCase()}|${cpr}`, NS.manager);
export const seedUuid = (kind: string, key: string) => uuidV5(`${kind}|${key}`, NS.seed);
