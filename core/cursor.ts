/**
 * The one opaque cursor codec of the product. A cursor is base64url (no padding) of the JSON array
 * `[version, kind, value]`: `kind` names the listing that made it ("sync_job", "los", …) so a cursor of one
 * listing is refused by every other, and `value` is whatever that listing needs to go on (an id, a keyset, an
 * offset). Callers must treat a cursor as opaque; only this file knows the format, so it can change by bumping
 * the version.
 *
 * Decoding is strict: anything that is not exactly what `encode` produces — garbage, tampered bytes, another
 * version or kind, a value of the wrong shape — throws InvalidCursorError (BAD_USER_INPUT), never a TypeError
 * that would be masked as INTERNAL_SERVER_ERROR.
 */
import { InvalidCursorError } from './errors';

const VERSION = 1;
/** Far longer than any cursor we make; refuses a megabyte of "cursor" before decoding it. */
const MAX_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The JSON values a cursor can carry. */
export type CursorValue = string | number | boolean | null | readonly CursorValue[];

export interface CursorCodec<T extends CursorValue> {
  /** The listing's tag inside every cursor it makes. */
  readonly kind: string;
  encode(value: T): string;
  /** The value `encode` was given; InvalidCursorError for anything `encode` did not make. */
  decode(cursor: string): T;
}

export interface CursorCodecOptions<T extends CursorValue> {
  /** Whether a decoded value has the shape this listing encodes (checked after version and kind). */
  is: (value: unknown) => value is T;
  /** The message of the InvalidCursorError, given the refused cursor (say which listing, what to pass). */
  invalid?: (cursor: string) => string;
}

const kinds = new Set<string>();

/**
 * The codec of one listing's cursors. `kind` must be unique in the process: two listings sharing one would
 * accept each other's cursors.
 */
export function cursorCodec<T extends CursorValue>(kind: string, options: CursorCodecOptions<T>): CursorCodec<T> {
  if (kinds.has(kind)) throw new Error(`cursor kind "${kind}" is already used by another listing`);
  kinds.add(kind);
  const invalid = (cursor: string) =>
    new InvalidCursorError(
      options.invalid?.(cursor) ?? `"${cursor.slice(0, 40)}" is not a cursor of this listing (${kind}).`,
    );
  return {
    kind,
    encode: (value) => Buffer.from(JSON.stringify([VERSION, kind, value]), 'utf8').toString('base64url'),
    decode(cursor) {
      // Buffer.from(…, 'base64url') skips characters it does not know: check the alphabet and the canonical form
      // first so that no two strings decode to the same cursor.
      if (cursor.length === 0 || cursor.length > MAX_LENGTH || !BASE64URL.test(cursor)) throw invalid(cursor);
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.toString('base64url') !== cursor) throw invalid(cursor);
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw invalid(cursor);
      }
      if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid(cursor);
      const [version, tag, value] = parsed as [unknown, unknown, unknown];
      if (version !== VERSION || tag !== kind || !options.is(value)) throw invalid(cursor);
      return value;
    },
  };
}

/** `is` for a non-empty string (ids, keys, an upstream's own cursor). */
export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** `is` for a non-negative safe integer (offsets, sequence numbers). */
export const isNonNegativeInteger = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
