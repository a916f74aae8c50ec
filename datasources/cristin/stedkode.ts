/**
 * Cristin unit keys from Cerebrum stedkoder (specs/cristin-export.md). A stedkode is six digits FFIIGG
 * (fakultet, institutt, avdeling — the REST API's `fakultet`, `institutt`, `avdeling`); Cristin's key is
 * (institusjonsnr, avdnr, undavdnr, gruppenr) = (CRISTIN_INSTITUTION, FF, II, GG), as plain numbers the way
 * Cerebrum's generate-cristin-export.py wrote them ("33", not "33" padded or "033").
 *
 * Cerebrum REST has no parent/children endpoint (specs/cerebrum-rest.md), so the parent is read off the code
 * itself: FFIIGG → FFII00 → FF0000 → 000000 (the institution root), and the root is its own parent (the old
 * script did the same for a unit without a parent).
 */

/** The institution root's stedkode: the top of the stedkode hierarchy. */
export const ROOT_STEDKODE = '000000';

export interface UnitKey {
  avdnr: number;
  undavdnr: number;
  gruppenr: number;
}

/** True for a six-digit stedkode. */
export function isStedkode(s: string | null | undefined): s is string {
  return typeof s === 'string' && /^\d{6}$/.test(s);
}

/** FF, II, GG of a stedkode as numbers; throws on anything that is not six digits (callers check first). */
export function keyOf(stedkode: string): UnitKey {
  if (!isStedkode(stedkode)) throw new TypeError(`a stedkode is six digits, got ${JSON.stringify(stedkode)}`);
  return {
    avdnr: Number(stedkode.slice(0, 2)),
    undavdnr: Number(stedkode.slice(2, 4)),
    gruppenr: Number(stedkode.slice(4, 6)),
  };
}

/** The parent's stedkode in the stedkode hierarchy; the root's parent is the root. */
export function parentOf(stedkode: string): string {
  keyOf(stedkode); // validates
  if (stedkode.slice(4, 6) !== '00') return `${stedkode.slice(0, 4)}00`;
  if (stedkode.slice(2, 4) !== '00') return `${stedkode.slice(0, 2)}0000`;
  return ROOT_STEDKODE;
}
