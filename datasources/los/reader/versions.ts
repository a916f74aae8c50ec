/**
 * Choosing a version of a versioned LOS object (unit, engagement, manager). Versions of one object never
 * overlap (002_los.sql), validity ranges are inclusive and `valid_to` null is open-ended.
 */

export interface Versioned {
  valid_from: string;
  valid_to: string | null;
}

export function validOn(v: Versioned, at: string): boolean {
  return v.valid_from <= at && (v.valid_to === null || v.valid_to >= at);
}

/** The version valid on `at`, or undefined when the object does not exist that day. */
export function versionOn<V extends Versioned>(versions: readonly V[], at: string): V | undefined {
  return versions.find((v) => validOn(v, at));
}

/**
 * The version a reader most likely means by "this object on `at`": the one valid on `at`; when none is (the
 * object ended, or starts later, or `at` falls in a gap), the latest version that ended before `at`; when there
 * is none either, the earliest that starts after it. Undefined only when there are no versions at all.
 */
export function nearestVersion<V extends Versioned>(versions: readonly V[], at: string): V | undefined {
  const exact = versionOn(versions, at);
  if (exact) return exact;
  const before = versions.filter((v) => v.valid_to !== null && v.valid_to < at);
  if (before.length > 0) return before.reduce((a, b) => (b.valid_from > a.valid_from ? b : a));
  const after = versions.filter((v) => v.valid_from > at);
  return after.length > 0 ? after.reduce((a, b) => (b.valid_from < a.valid_from ? b : a)) : undefined;
}
