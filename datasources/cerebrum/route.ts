/**
 * The route template of a Cerebrum REST path, for metrics and spans: `/persons/85073/accounts?x=1` →
 * `/v1/persons/{id}/accounts`. Built from an allow-list of the API's resource words (specs/cerebrum-rest.md),
 * not by spotting ids: a segment is kept only when it is one of those words in a place where the API has a
 * word, so no id, account name or searched value (a national id in `/search/persons/external-ids?…`) can ever
 * come through. The query string is always dropped.
 */
const WORDS = new Set([
  'persons',
  'ous',
  'accounts',
  'groups',
  'search',
  'contexts',
  'affiliations',
  'contacts',
  'external-ids',
  'addresses',
  'consents',
  'emailaddresses',
  'quarantines',
  'members',
]);

export function cerebrumRoute(path: string): string {
  const segments = (path.split('?')[0] ?? '').split('/');
  const search = segments[1] === 'search';
  const out = segments.map((s, i) => {
    if (i === 0 || s === '') return s;
    // Outside /search, the API alternates collection and id: /groups/{name}/members/{member_id}.
    if (!search && i % 2 === 0) return '{id}';
    return WORDS.has(s) ? s : '{other}';
  });
  return `/v1${out.join('/')}`;
}
