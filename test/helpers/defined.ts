/**
 * Checked access for tests (tsconfig's noUncheckedIndexedAccess types `rows[0]` as possibly undefined). A missing
 * element fails the test here with a message saying what was missing, instead of a TypeError a few lines later.
 */

/** `value`, or a failure naming `what` when it is undefined (null is a value: tests assert on it). */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}, got undefined`);
  return value;
}

/** Element `i` of `items` (negative: from the end, like Array.prototype.at). */
export function nth<T>(items: readonly T[], i: number, what = 'the list'): T {
  const item = items.at(i);
  if (item === undefined) throw new Error(`expected ${what} to have an element at ${i}, but it has ${items.length}`);
  return item;
}

/** The first element of `items`. */
export const first = <T>(items: readonly T[], what = 'the list'): T => nth(items, 0, what);

/** The last element of `items`. */
export const last = <T>(items: readonly T[], what = 'the list'): T => nth(items, -1, what);

/** Capture group `group` of the first match of `re` in `text`; fails showing the text when it does not match. */
export function capture(re: RegExp, text: string, group = 1): string {
  const m = re.exec(text);
  const value = m?.[group];
  if (value === undefined) throw new Error(`expected ${String(re)} (group ${group}) to match in:\n${text}`);
  return value;
}

/** Capture group `group` of every match of the global `re` in `text` (a group that did not take part: ''). */
export const captures = (re: RegExp, text: string, group = 1): string[] =>
  [...text.matchAll(re)].map((m) => m[group] ?? '');
