/**
 * Ids derived from personal data (issue 9 item 2): a LOS person (one per CPR), a LOS manager (unit + CPR) and an
 * FS decision key of a person FS gave no person number (`nid:`). They are HMAC-SHA-256 under the deployment's
 * secret (ID_KEY, or the random key kept in the store: store/deployment.repo.ts), never a plain hash: a CPR has
 * only 10,000 candidates per birth date, so any unkeyed function of it (the former UUID v5 under a namespace in
 * the code) is reversed in well under a second. With the key, an id says nothing without the key; two
 * deployments give unrelated ids to the same person; the same deployment always gives the same id.
 *
 * The HMAC output is shown as an RFC 9562 version 8 UUID (custom: 122 bits of the MAC, version and variant
 * bits set), so the public global id keeps its `los:<uuid>` form and its column type.
 *
 * Each kind has its own label inside the MAC, so a person id, a manager id and an FS key of the same national id
 * are unrelated to each other too.
 */
import { createHmac } from 'node:crypto';

export class KeyedIds {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length === 0) throw new Error('KeyedIds: the key is empty');
    this.#key = Buffer.from(key);
  }

  /** A LOS person's uuid (one per CPR). */
  person(cpr: string): string {
    return uuidV8(this.mac(`los-person\u0000${cpr}`));
  }

  /** A LOS manager's uuid: the pair (unit, person). */
  manager(orgUuid: string, cpr: string): string {
    return uuidV8(this.mac(`los-manager\u0000${orgUuid.toLowerCase()}\u0000${cpr}`));
  }

  /**
   * The FS decision key of a person known only by national id: `nid:` and 32 hex digits (128 bits; the former
   * unkeyed key had 16, so a stored key tells which derivation made it).
   */
  nationalIdKey(nationalId: string): string {
    return `nid:${this.mac(`fs-nid\u0000${nationalId}`).subarray(0, 16).toString('hex')}`;
  }

  /**
   * A value that names the key without revealing it (a MAC of a fixed label): stored beside the ids so a start
   * with another key is noticed and the stored ids re-derived (store/keyed-ids.repo.ts).
   */
  keyCheck(): string {
    return this.mac('idbro key check v1').toString('hex');
  }

  /** Never print the key (a logger serialising this object, a thrown value, util.inspect). */
  toJSON(): string {
    return '[KeyedIds]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[KeyedIds]';
  }

  private mac(message: string): Buffer {
    return createHmac('sha256', this.#key).update(message, 'utf8').digest();
  }
}

/** The first 16 bytes of `bytes` as an RFC 9562 version 8 UUID. */
export function uuidV8(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  if (b.length < 16) throw new Error('uuidV8 needs 16 bytes');
  b.writeUInt8((b.readUInt8(6) & 0x0f) | 0x80, 6); // version 8
  b.writeUInt8((b.readUInt8(8) & 0x3f) | 0x80, 8); // variant 10
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
