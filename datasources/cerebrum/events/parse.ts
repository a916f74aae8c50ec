/**
 * One AMQP message body → a CerebrumChange, or the reason it was refused (../shared/specs/cerebrum-events.md).
 * Bodies come in two forms: the JSON payload itself, or the same payload as a compact JWS ("SCIM/JWT").
 * With a key (CEREBRUM_EVENTS_JWT_KEY) only a JWS that verifies is accepted: a plain JSON body is unsigned and refused.
 * Reasons are fixed words, never message content: a refused message may carry anything, personal data included.
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { compactVerify, decodeJwt } from 'jose';
import type { CerebrumChange, CerebrumEventKind, CerebrumResourceType } from './change';

export type RefusalReason =
  'not-json' | 'not-a-scim-event' | 'unknown-event' | 'bad-subject' | 'unsigned' | 'unverified';

export type Parsed = { ok: true; change: CerebrumChange } | { ok: false; reason: RefusalReason };

const EVENT_PREFIX = 'urn:ietf:params:event:SCIM:';
const KINDS: readonly CerebrumEventKind[] = [
  'create',
  'modify',
  'delete',
  'add',
  'remove',
  'activate',
  'deactivate',
  'password',
];
const TYPES: readonly CerebrumResourceType[] = ['persons', 'accounts', 'groups', 'ous', 'entities'];
const SUB = /\/v1\/(persons|accounts|groups|ous|entities)\/([^/?#]+)\/?$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ASYMMETRIC = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

export interface Verifier {
  key: KeyObject;
  algorithms: string[];
}

/** The verification key from CEREBRUM_EVENTS_JWT_KEY: a PEM public key (asymmetric algorithms) or an HS256 secret. */
export function verifierFor(raw: string | undefined): Verifier | undefined {
  if (!raw) return undefined;
  if (raw.includes('-----BEGIN')) return { key: createPublicKey(raw), algorithms: ASYMMETRIC };
  return { key: createSecretKey(Buffer.from(raw, 'utf8')), algorithms: ['HS256'] };
}

export async function parseMessage(body: Buffer, verifier?: Verifier): Promise<Parsed> {
  const text = body.toString('utf8').trim();
  let payload: unknown;
  if (COMPACT_JWS.test(text)) {
    if (verifier) {
      try {
        // The signature only: jwtVerify would also refuse a future `nbf`, which is a scheduled change to keep.
        const { payload: bytes } = await compactVerify(text, verifier.key, { algorithms: verifier.algorithms });
        payload = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        return { ok: false, reason: 'unverified' };
      }
    } else {
      try {
        payload = decodeJwt(text);
      } catch {
        return { ok: false, reason: 'not-json' };
      }
    }
  } else {
    if (verifier) return { ok: false, reason: 'unsigned' };
    try {
      payload = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'not-json' };
    }
  }
  return toChange(payload);
}

/** Validates a decoded payload; exported for callers that already hold one (tests, the simulator). */
export function toChange(payload: unknown): Parsed {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    return { ok: false, reason: 'not-a-scim-event' };
  const p = payload as Record<string, unknown>;
  if (
    typeof p.jti !== 'string' ||
    p.jti === '' ||
    p.jti.length > 200 ||
    typeof p.iat !== 'number' ||
    !Array.isArray(p.eventUris)
  ) {
    return { ok: false, reason: 'not-a-scim-event' };
  }
  const uri = p.eventUris.find((u): u is string => typeof u === 'string' && u.startsWith(EVENT_PREFIX));
  const kind = uri?.slice(EVENT_PREFIX.length) as CerebrumEventKind | undefined;
  if (!uri || !kind || !KINDS.includes(kind)) return { ok: false, reason: 'unknown-event' };
  const m = typeof p.sub === 'string' ? SUB.exec(p.sub) : null;
  if (!m) return { ok: false, reason: 'bad-subject' };
  let ref: string;
  try {
    ref = decodeURIComponent(m[2] ?? '');
  } catch {
    return { ok: false, reason: 'bad-subject' };
  }
  // The subject's path decides the type; `resourceType` may only agree with it (or say `entities`).
  const resourceType = m[1] as CerebrumResourceType;
  if (p.resourceType !== undefined && p.resourceType !== resourceType && p.resourceType !== 'entities') {
    return { ok: false, reason: 'bad-subject' };
  }
  if (!TYPES.includes(resourceType)) return { ok: false, reason: 'bad-subject' };
  const detail = (p[uri] && typeof p[uri] === 'object' ? p[uri] : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    ok: true,
    change: {
      jti: p.jti,
      kind,
      resourceType,
      ref,
      attributes: strings(detail.attributes),
      objects: strings(detail.object ?? detail.objects),
      issuedAt: new Date(p.iat * 1000),
      ...(typeof p.nbf === 'number' ? { notBefore: new Date(p.nbf * 1000) } : {}),
    },
  };
}

/** `sub` URL → (type, ref), for `objects` entries; null when it names nothing idbro reads. */
export function subjectOf(url: string): { resourceType: CerebrumResourceType; ref: string } | null {
  const m = SUB.exec(url);
  if (!m) return null;
  try {
    return { resourceType: m[1] as CerebrumResourceType, ref: decodeURIComponent(m[2] ?? '') };
  } catch {
    return null;
  }
}
