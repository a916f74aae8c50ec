import { badInput } from '../../core/errors';

/**
 * Cerebrum REST addresses resources by path segment (`/v1/accounts/{name}`, `/v1/groups/{name}/members/`),
 * and a value put into a segment must stay one segment, naming that resource — whatever the caller typed.
 *
 * encodeURIComponent alone does not do that: it leaves `.` and `..` as they are, and URL parsing (WHATWG, which
 * node:http applies to the request URL) resolves them, so `account(name: "..")` would ask for `GET /v1/`. An
 * encoded slash (`%2F`) or dot (`%2e`) is decoded by Werkzeug or a proxy in front of Cerebrum before routing,
 * which again changes the path. So a segment value is refused (BAD_USER_INPUT, before any request) when it is
 * empty, `.` or `..`, or holds a slash, a backslash, a percent sign or a control character: no Cerebrum name
 * or id has any of those (account, group and quarantine-type names are letters, digits, `-`, `_`, `.`).
 */
export function unsafeSegmentReason(value: string): string | null {
  if (value.trim() === '') return 'is empty';
  if (value === '.' || value === '..') return `is "${value}", which URL parsing resolves as a relative path`;
  if (/[/\\]/.test(value)) return 'holds a slash';
  if (value.includes('%')) return 'holds a percent sign (an encoded character a proxy may decode into the path)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'holds a control character';
  return null;
}

/** `value` encoded as one path segment; throws BAD_USER_INPUT (naming `what`) when it could change the path. */
export function pathSegment(value: string, what: string): string {
  const reason = unsafeSegmentReason(value);
  if (reason)
    throw badInput(`${what} ${reason}: it cannot be a Cerebrum path segment, so nothing was asked of Cerebrum.`);
  return encodeURIComponent(value);
}

/**
 * The last guard, in the client: `/v1${path}` must be the path node:http will send, unchanged by URL
 * normalisation (dot segments, `%2e`, backslashes): true when it would change.
 */
export function pathChangedByNormalisation(base: string, path: string): boolean {
  const raw = `/v1${path.split('?')[0]}`;
  // Only dots, percent signs, backslashes, blanks and control characters can make a difference: the usual path
  // (digits, letters, '-', '/') skips the URL parsing, which the benchmark's thousands of requests would feel.
  // eslint-disable-next-line no-control-regex
  if (!/[.%\\\u0000-\u0020\u007f]/.test(raw)) return false;
  let parsed: string;
  try {
    parsed = new URL(`${base}${raw}`).pathname;
  } catch {
    return true;
  }
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  return parsed !== `${basePath}${raw}`;
}
