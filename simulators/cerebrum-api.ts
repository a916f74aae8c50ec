/**
 * The Cerebrum REST v1 routes: (method, path, query, body, data) → (status, JSON). No HTTP here: the
 * server (cerebrum.ts) does transport, auth, latency and injected failures, then calls handleApi().
 * Behaviour follows /work/shared/specs/cerebrum-rest.md; where the spec is silent, unioslo/cerebrum's
 * Cerebrum/rest/api/v1/*.py (messages such as "Unknown id_type=X", "quarantine not set").
 */
import {
  AFFILIATIONS,
  CONTEXTS,
  EXTERNAL_ID_TYPES,
  QUARANTINE_TYPES,
  type CerebrumData,
  type SimAccount,
  type SimGroup,
  type SimPerson,
} from './data/cerebrum-types';
import * as v from './cerebrum-views';
import type { Json } from './cerebrum-views';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  data: CerebrumData;
}
export interface ApiReply {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

/** Thrown by handlers to answer early with an error reply. */
class Reply extends Error {
  constructor(readonly reply: ApiReply) {
    super(`HTTP ${reply.status}`);
  }
}

const ok = (body: Json, status = 200): ApiReply => ({ status, body });
const fail = (status: number, message: string): never => {
  throw new Reply({ status, body: { message } });
};

/** Flask's own 404 body, for paths no route matches (and non-numeric person ids: `<int:id>` routes). */
export const NOT_FOUND_URL =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';

/** flask-restx's reqparse error: `{"errors": {arg: "<help> <error>"}, "message": ...}`. */
export function validationError(errors: Record<string, string>): ApiReply {
  return { status: 400, body: { errors, message: 'Input payload validation failed' } };
}
const invalid = (arg: string, text: string): never => {
  throw new Reply(validationError({ [arg]: text }));
};
const MISSING = 'Missing required parameter in the JSON body or the post body or the query string';

// ---- argument parsing ------------------------------------------------------------------------------

function boolArg(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const s = raw.toLowerCase();
  if (['true', 't', 'yes', 'y', '1', 'on'].includes(s)) return true;
  if (['false', 'f', 'no', 'n', '0', 'off', ''].includes(s)) return false;
  return invalid(name, `Invalid literal for boolean(): ${raw}`);
}

function intArg(name: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) invalid(name, `invalid literal for int() with base 10: '${raw}'`);
  return Number(raw);
}

/** ISO date or datetime (zone and fraction dropped) → naive datetime; anything else is a 400. */
function dateArg(name: string, raw: unknown, nullable: boolean): string | null {
  if (raw === null || raw === undefined || raw === '') {
    return nullable ? null : invalid(name, MISSING);
  }
  const s = typeof raw === 'string' ? raw : '';
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) ||
    Number.isNaN(Date.parse(s.slice(0, 10)))
  ) {
    return invalid(name, `Invalid date: ${JSON.stringify(raw)}`);
  }
  return v.dt(s);
}

/** Cerebrum wildcards: `*` any run, `?` one character; case-insensitive like its LIKE searches. */
function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** A free-text field of a JSON body: null when absent, else as String() reads it (a number or object included). */
function optionalText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what the simulator stores for any JSON value sent
  return String(value);
}

function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

// ---- lookups ---------------------------------------------------------------------------------------

function person(data: CerebrumData, id: string): SimPerson {
  return data.persons.get(Number(id)) ?? fail(404, `No such person with entity_id=${id}`);
}

function account(data: CerebrumData, ident: string): SimAccount {
  // All digits = entity id (account.py's find_account).
  if (/^\d+$/.test(ident))
    return v.findAccountById(data, Number(ident)) ?? fail(404, `No such account with entity_id=${ident}`);
  return data.accounts.get(ident) ?? fail(404, `No such account with name=${ident}`);
}

function group(data: CerebrumData, name: string): SimGroup {
  return data.groups.get(name) ?? fail(404, `No such group with name=${name}`);
}

function entity(data: CerebrumData, id: string): v.EntityRef {
  return v.findEntity(data, Number(id)) ?? fail(404, `No such entity with entity_id=${id}`);
}

function quarantineType(type: string): string {
  return QUARANTINE_TYPES.includes(type) ? type : fail(400, 'quarantine type does not exist');
}

function nextEntityId(data: CerebrumData): number {
  let max = 0;
  for (const id of data.ous.keys()) max = Math.max(max, id);
  for (const id of data.persons.keys()) max = Math.max(max, id);
  for (const a of data.accounts.values()) max = Math.max(max, a.id);
  for (const g of data.groups.values()) max = Math.max(max, g.id);
  return max + 1;
}

// ---- handlers --------------------------------------------------------------------------------------

/**
 * `params` are the decoded path captures; an absent optional capture is ''. Each route has as many captures as its
 * handler reads, so the `= ''` defaults in the handlers' parameter lists are for the type checker only.
 */
type Handler = (req: ApiRequest, params: string[]) => ApiReply;

function getOu({ data }: ApiRequest, [id = '']: string[]): ApiReply {
  // The OU route takes a string and int()s it: a non-numeric id is an unhandled ValueError → 500.
  if (!/^\d+$/.test(id)) fail(500, 'Internal Server Error');
  const ou = data.ous.get(Number(id)) ?? fail(404, `No such ou with entity_id=${id}`);
  return ok(v.ouView(ou));
}

function getPersonPart({ data, query }: ApiRequest, [id = '', part = '']: string[]): ApiReply {
  const p = person(data, id);
  switch (part) {
    case '':
      return ok(v.personView(p));
    case 'affiliations': {
      const all = boolArg(query, 'include_deleted') === true;
      return ok({ affiliations: p.affiliations.filter((a) => all || a.deleted_date === null).map(v.affiliationView) });
    }
    case 'contacts':
      return ok(v.personContactsView(p));
    case 'external-ids':
      return ok(v.externalIdsView(p));
    case 'accounts':
      return ok(v.personAccountsView(p, data));
    case 'addresses':
      return ok(v.addressesView(p));
    case 'consents':
      return ok(v.consentsView(p));
    default:
      return ok({ groups: v.groupsWithMembers(data, [p.id]).map(v.groupListItemView) });
  }
}

function searchAccounts({ data, query }: ApiRequest): ApiReply {
  const name = query.get('name');
  const context = query.get('context');
  const ownerId = query.get('owner_id');
  const ownerType = query.get('owner_type');
  const owner = ownerId === null ? null : intArg('owner_id', ownerId);
  if (ownerType !== null && !['person', 'group', 'account', 'ou'].includes(ownerType)) {
    fail(404, `Unknown entity type for owner_type=${ownerType}`);
  }
  const stop = dateArg('expire_stop', query.get('expire_stop'), true);
  // Account.search defaults expire_start to now: only non-expired accounts unless asked otherwise.
  const start = dateArg('expire_start', query.get('expire_start'), true) ?? (stop === null ? v.nowNaive() : null);
  const nameRe = name === null ? null : wildcard(name);
  const contextRe = context === null ? null : wildcard(context);
  const accounts = [...data.accounts.values()].filter((a) => {
    const exp = v.dt(a.expire_date);
    if (start !== null && stop !== null && !(exp !== null && exp >= start && exp < stop)) return false;
    if (start !== null && stop === null && !(exp === null || exp >= start)) return false;
    if (start === null && stop !== null && !(exp !== null && exp < stop)) return false;
    return (
      (!nameRe || nameRe.test(a.name)) &&
      (!contextRe || a.contexts.some((c) => contextRe.test(c))) &&
      (owner === null || a.owner_id === owner) &&
      (ownerType === null || a.owner_type === ownerType)
    );
  });
  return ok({ accounts: accounts.map((a) => v.accountListItemView(a, data)) });
}

function getAccountPart({ data, query }: ApiRequest, [ident = '', part = '']: string[]): ApiReply {
  const a = account(data, ident);
  switch (part) {
    case '':
      return ok(v.accountView(a, data));
    case 'emailaddresses':
      return ok(v.emailAddressesView(a));
    case 'quarantines':
      return ok(v.quarantinesView(a));
    case 'affiliations':
      return ok(v.accountAffiliationsView(a, data));
    case 'contacts':
      return ok(v.accountContactsView(a));
    default: {
      const groups = v.groupsWithMembers(data, [a.id], boolArg(query, 'indirect_memberships') === true);
      return ok({ groups: filterExpiredGroups(groups, query).map(v.groupListItemView) });
    }
  }
}

function quarantineItem({ data, method, body }: ApiRequest, [ident = '', rawType = '']: string[]): ApiReply {
  const a = account(data, ident);
  const type = quarantineType(rawType);
  const index = a.quarantines.findIndex((q) => q.type === type);
  const held = a.quarantines[index];
  if (method === 'GET') return held === undefined ? fail(404, 'quarantine not set') : ok(v.quarantineView(held));
  if (method === 'DELETE') {
    if (index < 0) fail(404, 'quarantine not set');
    a.quarantines.splice(index, 1);
    return { status: 204 };
  }
  const args = bodyObject(body);
  const start = dateArg('start', args.start, false)!;
  const end = dateArg('end', args.end, true);
  const disableUntil = dateArg('disable_until', args.disable_until, true);
  if (end !== null && end < start) invalid('end', 'end date before start date');
  if (disableUntil !== null && (disableUntil < start || (end !== null && disableUntil > end))) {
    invalid('disable_until', 'invalid disable_until date');
  }
  const comment = optionalText(args.comment);
  const q = { type, comment, start, end, disable_until: disableUntil };
  // PUT replaces (Cerebrum deletes and re-adds): 200 when one was set, 201 when new.
  if (index >= 0) a.quarantines[index] = q;
  else a.quarantines.push(q);
  return ok(v.quarantineView(q), index >= 0 ? 200 : 201);
}

function filterExpiredGroups(groups: SimGroup[], query: URLSearchParams): SimGroup[] {
  const now = v.nowNaive();
  const expired = (g: SimGroup): boolean => {
    const e = v.dt(g.expire_date ?? null);
    return e !== null && e <= now;
  };
  if (boolArg(query, 'expired_only') === true) return groups.filter(expired);
  return boolArg(query, 'filter_expired') === false ? groups : groups.filter((g) => !expired(g));
}

function searchGroups({ data, query }: ApiRequest): ApiReply {
  const match = (param: string): RegExp | null => {
    const s = query.get(param);
    return s === null ? null : wildcard(s);
  };
  const [nameRe, descRe, ctxRe] = [match('name'), match('description'), match('context')];
  const memberIds = query.getAll('member_id').map((m) => intArg('member_id', m));
  let groups =
    memberIds.length > 0
      ? v.groupsWithMembers(data, memberIds, boolArg(query, 'indirect_members') === true)
      : [...data.groups.values()];
  groups = filterExpiredGroups(groups, query).filter(
    (g) =>
      (!nameRe || nameRe.test(g.name)) &&
      (!descRe || descRe.test(g.description ?? '')) &&
      (!ctxRe || (g.contexts ?? []).some((c) => ctxRe.test(c))),
  );
  return ok({ groups: groups.map(v.groupListItemView) });
}

function groupItem({ data, method, body }: ApiRequest, [name = '']: string[]): ApiReply {
  if (method === 'GET') return ok(v.groupView(group(data, name)));
  const args = bodyObject(body);
  const vis = typeof args.visibility === 'string' ? args.visibility.toLowerCase() : undefined;
  if (args.visibility === undefined || args.visibility === null) invalid('visibility', MISSING);
  if (vis === undefined || !['all', 'internal', 'none'].includes(vis)) {
    invalid('visibility', `The value '${String(args.visibility)}' is not a valid choice for 'visibility'.`);
  }
  const description = optionalText(args.description);
  if (description !== null && description.length > 512) invalid('description', 'String too long (max 512)');
  const existing = data.groups.get(name);
  if (existing) {
    Object.assign(existing, { visibility: vis!, description });
    return ok(v.groupView(existing));
  }
  if (!/^[\w.:@-]{1,256}$/.test(name)) fail(400, `Illegal group name: ${name}`);
  const created: SimGroup = {
    id: nextEntityId(data),
    name,
    visibility: vis!,
    description,
    members: [],
    created_at: v.nowNaive(),
    expire_date: null,
    contexts: [],
  };
  data.groups.set(name, created);
  return ok(v.groupView(created), 201);
}

function groupMembers({ data, method, body }: ApiRequest, [name = '']: string[]): ApiReply {
  const g = group(data, name);
  if (method === 'PUT') {
    const members = bodyObject(body).members;
    if (
      !Array.isArray(members) ||
      !members.every((m) => Number.isInteger(m) || (typeof m === 'string' && /^\d+$/.test(m)))
    ) {
      invalid('members', 'A list of member entity ids is required');
    }
    const ids = [...new Set((members as (number | string)[]).map(Number))];
    for (const id of ids) entity(data, String(id));
    g.members = ids;
  }
  return ok({
    members: g.members
      .map((id) => v.findEntity(data, id))
      .filter((e) => e !== null)
      .map(v.memberView),
  });
}

function groupMember({ data, method }: ApiRequest, [name = '', memberId = '']: string[]): ApiReply {
  const g = group(data, name);
  const e = entity(data, memberId);
  const isMember = g.members.includes(e.id);
  if (method === 'GET' && !isMember) fail(404, 'No such member in group');
  if (method === 'PUT' && !isMember) g.members.push(e.id);
  if (method === 'DELETE') {
    g.members = g.members.filter((m) => m !== e.id);
    return { status: 204 };
  }
  return ok(v.memberView(e));
}

function searchExternalIds({ data, query }: ApiRequest): ApiReply {
  const raw = query.get('external_id');
  if (raw === null || raw === '') invalid('external_id', `Filter by external ID. ${MISSING}`);
  const restNames = Object.values(EXTERNAL_ID_TYPES);
  const types = query.getAll('id_type');
  for (const t of types) if (!restNames.includes(t)) fail(404, `Unknown id_type=${t}`);
  const sources = query.getAll('source_system');
  const value = raw!.replace(/[*?%_]/g, '');
  const found: Json[] = [];
  for (const p of data.persons.values()) {
    for (const e of p.external_ids) {
      const type = EXTERNAL_ID_TYPES[e.id_type] ?? e.id_type;
      if (e.external_id !== value || (types.length > 0 && !types.includes(type))) continue;
      if (sources.length > 0 && !sources.includes(e.source_system)) continue;
      found.push({
        href: v.personHref(p.id),
        person_id: p.id,
        source_system: e.source_system,
        id_type: type,
        external_id: e.external_id,
      });
    }
  }
  return ok({ external_ids: found });
}

function searchAffiliations({ data, query }: ApiRequest): ApiReply {
  const affiliation = query.get('affiliation');
  const location = query.get('location');
  if (affiliation !== null) {
    const [aff = '', status] = affiliation.split('/', 2);
    const statuses = AFFILIATIONS[aff];
    const known = statuses !== undefined && (status === undefined || statuses.includes(status));
    if (!known) fail(400, `Invalid affiliation: ${affiliation}`);
  }
  let ouId: number | null = null;
  if (location !== null) {
    const ou = [...data.ous.values()].find((o) => o.stedkode === location);
    ouId = ou ? ou.id : fail(400, `Invalid location ${location}`);
  }
  // One entry per matching affiliation row, so a person can appear more than once (spec, Search).
  const persons: Json[] = [];
  for (const p of data.persons.values()) {
    for (const a of p.affiliations) {
      if (a.deleted_date !== null || (ouId !== null && a.ou_id !== ouId)) continue;
      const status = a.status.includes('/') ? a.status : `${a.affiliation}/${a.status}`;
      if (affiliation !== null && affiliation !== a.affiliation && affiliation !== status) continue;
      persons.push({ id: p.id, href: v.personHref(p.id) });
    }
  }
  return ok({ persons });
}

function getContexts({ data, query }: ApiRequest): ApiReply {
  const types = query.getAll('entity_types');
  const rows = v.contextsView(data, CONTEXTS) as { entity_type: string }[];
  return ok(types.length ? rows.filter((r) => types.includes(r.entity_type)) : rows);
}

// ---- routing ---------------------------------------------------------------------------------------

const SEG = '([^/]+)';
const routes: { re: RegExp; methods: Record<string, Handler> }[] = [
  { re: new RegExp(`^/v1/ous/${SEG}$`), methods: { GET: getOu } },
  {
    re: /^\/v1\/persons\/(\d+)(?:\/(affiliations|contacts|external-ids|accounts|addresses|consents|groups))?$/,
    methods: { GET: getPersonPart },
  },
  { re: /^\/v1\/accounts\/?$/, methods: { GET: searchAccounts } },
  {
    re: new RegExp(`^/v1/accounts/${SEG}(?:/(emailaddresses|quarantines|groups|affiliations|contacts))?$`),
    methods: { GET: getAccountPart },
  },
  {
    re: new RegExp(`^/v1/accounts/${SEG}/quarantines/${SEG}$`),
    methods: { GET: quarantineItem, PUT: quarantineItem, DELETE: quarantineItem },
  },
  { re: /^\/v1\/groups\/?$/, methods: { GET: searchGroups } },
  { re: new RegExp(`^/v1/groups/${SEG}$`), methods: { GET: groupItem, PUT: groupItem } },
  { re: new RegExp(`^/v1/groups/${SEG}/members/?$`), methods: { GET: groupMembers, PUT: groupMembers } },
  {
    re: new RegExp(`^/v1/groups/${SEG}/members/(\\d+)$`),
    methods: { GET: groupMember, PUT: groupMember, DELETE: groupMember },
  },
  { re: /^\/v1\/search\/persons\/external-ids\/?$/, methods: { GET: searchExternalIds } },
  { re: /^\/v1\/search\/persons\/affiliations\/?$/, methods: { GET: searchAffiliations } },
  { re: /^\/v1\/contexts\/?$/, methods: { GET: getContexts } },
];

/** Answer one request. Never throws for bad input: every problem becomes the status Cerebrum would give. */
export function handleApi(req: ApiRequest): ApiReply {
  for (const route of routes) {
    const m = route.re.exec(req.path);
    if (!m) continue;
    const handler = route.methods[req.method];
    if (!handler) return { status: 405, body: { message: 'The method is not allowed for the requested URL.' } };
    let params: string[];
    try {
      params = m.slice(1).map((p) => (p === undefined ? '' : decodeURIComponent(p)));
    } catch {
      return { status: 404, body: { message: NOT_FOUND_URL } };
    }
    try {
      return handler(req, params);
    } catch (e) {
      if (e instanceof Reply) return e.reply;
      throw e;
    }
  }
  return { status: 404, body: { message: NOT_FOUND_URL } };
}
