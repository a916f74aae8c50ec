/**
 * Record → JSON shapes of Cerebrum REST v1, field for field as /work/shared/specs/cerebrum-rest.md and
 * the flask-restx models in unioslo/cerebrum (Cerebrum/rest/api/v1/*.py) give them. Pure functions of
 * the simulator's data; the HTTP side lives in cerebrum.ts and cerebrum-api.ts.
 */
import {
  ADDRESS_TYPES,
  EXTERNAL_ID_TYPES,
  type CerebrumData,
  type SimAccount,
  type SimAffiliation,
  type SimContact,
  type SimGroup,
  type SimOu,
  type SimPerson,
  type SimQuarantine,
} from './data/cerebrum-types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** Naive ISO datetime without fraction or zone, as Cerebrum serialises every date and datetime. */
export function dt(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00`;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  return m ? `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}` : value;
}

/** "Now" in the same naive local form, so stored dates compare as strings. */
export function nowNaive(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export const ouHref = (id: number): string => `/v1/ous/${id}`;
export const personHref = (id: number): string => `/v1/persons/${id}`;
export const accountHref = (name: string): string => `/v1/accounts/${encodeURIComponent(name)}`;
export const groupHref = (name: string): string => `/v1/groups/${encodeURIComponent(name)}`;

function contactView(c: SimContact, entityId: number, withLastModified: boolean): Obj {
  const view: Obj = {
    value: c.value,
    alias: c.alias,
    preference: c.preference,
    type: c.type,
    entity_id: entityId,
    description: c.description,
    source_system: c.source_system,
  };
  if (withLastModified) view.last_modified = dt(c.last_modified ?? null);
  return view;
}

/** The OU contact model has no last_modified; the key is `contact` (singular). */
export function ouView(ou: SimOu): Obj {
  return {
    href: ouHref(ou.id),
    id: ou.id,
    stedkode: ou.stedkode,
    fakultet: Number(ou.stedkode.slice(0, 2)),
    institutt: Number(ou.stedkode.slice(2, 4)),
    avdeling: Number(ou.stedkode.slice(4, 6)),
    contexts: [...ou.contexts],
    names: ou.names.map((n) => ({ variant: n.variant, name: n.name, language: n.language })),
    contact: ou.contact.map((c) => contactView(c, ou.id, false)),
  };
}

export function personView(p: SimPerson): Obj {
  return {
    href: personHref(p.id),
    id: p.id,
    birth_date: dt(p.birth_date),
    created_at: dt(p.created_at),
    names: p.names.map((n) => ({ source_system: n.source_system, variant: n.variant, name: n.name })),
    contexts: [...p.contexts],
  };
}

export function affiliationView(a: SimAffiliation): Obj {
  return {
    affiliation: a.affiliation,
    status: a.status.includes('/') ? a.status : `${a.affiliation}/${a.status}`,
    ou: { href: ouHref(a.ou_id), id: a.ou_id },
    create_date: dt(a.create_date),
    last_date: dt(a.last_date),
    deleted_date: dt(a.deleted_date),
    source_system: a.source_system,
  };
}

export function personContactsView(p: SimPerson): Obj {
  return { contacts: p.contacts.map((c) => contactView(c, p.id, true)) };
}

/** Modern shape with REST type names; legacy persons get seed 002's `{source_system, type, id}` with codes. */
export function externalIdsView(p: SimPerson): Obj {
  return {
    external_ids: p.external_ids.map((e): Obj =>
      p.legacy
        ? { source_system: e.source_system, type: e.id_type, id: e.external_id }
        : {
            external_id: e.external_id,
            id_type: EXTERNAL_ID_TYPES[e.id_type] ?? e.id_type,
            source_system: e.source_system,
          },
    ),
  };
}

/**
 * `id` is a string here (the account's entity id), unlike everywhere else. Legacy persons: seed 002's
 * shape, no `name` and `id` = the account name. Expired accounts are listed too.
 */
export function personAccountsView(p: SimPerson, data: CerebrumData): Obj {
  const accounts: Json[] = [];
  for (const name of p.account_names) {
    const a = data.accounts.get(name);
    if (!a) continue;
    const primary = p.primary_account === name;
    accounts.push(
      p.legacy
        ? { href: accountHref(name), id: name, primary }
        : { href: accountHref(name), id: String(a.id), name, primary },
    );
  }
  return { accounts };
}

export function addressesView(p: SimPerson): Obj {
  return {
    addresses: p.addresses.map((a) => ({
      source_system: a.source_system,
      address_type: ADDRESS_TYPES[a.address_type] ?? a.address_type,
      address_text: a.address_text,
      p_o_box: a.p_o_box,
      postal_number: a.postal_number,
      city: a.city,
      country: a.country,
    })),
  };
}

export function consentsView(p: SimPerson): Obj {
  return {
    consents: (p.consents ?? []).map((c) => ({
      name: c.name,
      description: c.description,
      type: c.type,
      set_at: dt(c.set_at),
      expires: dt(c.expires),
    })),
  };
}

// ---- entities by id (owners, group members) --------------------------------------------------------

export interface EntityRef {
  id: number;
  type: 'person' | 'account' | 'group' | 'ou';
  name: string | null;
  href: string;
}

/** Linear scans: the data is live and mutable, and even 20 000 accounts scan in well under a millisecond. */
export function findEntity(data: CerebrumData, id: number): EntityRef | null {
  if (data.persons.has(id)) return { id, type: 'person', name: null, href: personHref(id) };
  if (data.ous.has(id)) return { id, type: 'ou', name: null, href: ouHref(id) };
  const account = findAccountById(data, id);
  if (account) return { id, type: 'account', name: account.name, href: accountHref(account.name) };
  const group = findGroupById(data, id);
  if (group) return { id, type: 'group', name: group.name, href: groupHref(group.name) };
  return null;
}

export function findAccountById(data: CerebrumData, id: number): SimAccount | undefined {
  for (const a of data.accounts.values()) if (a.id === id) return a;
  return undefined;
}

export function findGroupById(data: CerebrumData, id: number): SimGroup | undefined {
  for (const g of data.groups.values()) if (g.id === id) return g;
  return undefined;
}

export function memberView(e: EntityRef): Obj {
  return { href: e.href, id: e.id, type: e.type, name: e.name };
}

function ownerView(a: SimAccount, data: CerebrumData): Obj {
  const owner = findEntity(data, a.owner_id);
  const name = owner?.name ?? null;
  const href = a.owner_type === 'group' ? (name ? groupHref(name) : null) : personHref(a.owner_id);
  return { id: a.owner_id, type: a.owner_type, href, name };
}

// ---- accounts --------------------------------------------------------------------------------------

export function isExpired(a: SimAccount, now = nowNaive()): boolean {
  const e = dt(a.expire_date);
  return e !== null && e <= now;
}

/** `id` is an integer here (a string in the person's account list). */
export function accountView(a: SimAccount, data: CerebrumData): Obj {
  return {
    href: accountHref(a.name),
    name: a.name,
    id: a.id,
    owner: ownerView(a, data),
    created_at: dt(a.created_at),
    expire_date: dt(a.expire_date),
    contexts: [...a.contexts],
    primary_email: a.primary_email,
    active: !isExpired(a),
  };
}

export function accountListItemView(a: SimAccount, data: CerebrumData): Obj {
  return {
    href: accountHref(a.name),
    name: a.name,
    id: a.id,
    owner: ownerView(a, data),
    expire_date: dt(a.expire_date),
    np_type: a.np_type,
  };
}

export function emailAddressesView(a: SimAccount): Obj {
  const target = (value: string, type: string): Obj => ({
    value,
    type,
    target_entity_type: 'account',
    target_entity_name: a.name,
  });
  const addresses: Json[] = [];
  if (a.primary_email) addresses.push(target(a.primary_email, 'primary'));
  for (const alias of a.email_aliases ?? []) addresses.push(target(alias, 'alias'));
  return { primary: a.primary_email, addresses };
}

/** Active = now within [disable_until or start, end] (account.py's _format_quarantine). */
export function quarantineView(q: SimQuarantine, now = nowNaive()): Obj {
  const from = dt(q.disable_until) ?? dt(q.start)!;
  const end = dt(q.end);
  return {
    type: q.type,
    comment: q.comment,
    start: dt(q.start),
    end,
    disable_until: dt(q.disable_until),
    active: from <= now && (end === null || now <= end),
  };
}

export function quarantinesView(a: SimAccount): Obj {
  const now = nowNaive();
  const quarantines = a.quarantines.map((q) => quarantineView(q, now));
  return { locked: quarantines.some((q) => q.active === true), quarantines };
}

/** Derived from the owner's non-deleted affiliations: distinct (affiliation, OU), priorities 100, 200... */
export function accountAffiliationsView(a: SimAccount, data: CerebrumData): Obj {
  const owner = a.owner_type === 'person' ? data.persons.get(a.owner_id) : undefined;
  const seen = new Set<string>();
  const affiliations: Json[] = [];
  for (const aff of owner?.affiliations ?? []) {
    const key = `${aff.affiliation}@${aff.ou_id}`;
    if (aff.deleted_date !== null || seen.has(key)) continue;
    seen.add(key);
    affiliations.push({
      affiliation: aff.affiliation,
      priority: 100 * seen.size,
      ou: { href: ouHref(aff.ou_id), id: aff.ou_id },
    });
  }
  return { affiliations };
}

export function accountContactsView(a: SimAccount): Obj {
  return { contacts: (a.contacts ?? []).map((c) => contactView(c, a.id, true)) };
}

// ---- groups ----------------------------------------------------------------------------------------

export function groupListItemView(g: SimGroup): Obj {
  return {
    href: groupHref(g.name),
    id: g.id,
    name: g.name,
    visibility: g.visibility,
    description: g.description,
    created_at: dt(g.created_at ?? null),
    expire_date: dt(g.expire_date ?? null),
  };
}

export function groupView(g: SimGroup): Obj {
  return {
    ...groupListItemView(g),
    contexts: [...(g.contexts ?? [])],
    moderators: `${groupHref(g.name)}/moderators/`,
    members: `${groupHref(g.name)}/members/`,
  };
}

/** Groups having any of `memberIds` as a member; with `indirect`, also groups containing those groups. */
export function groupsWithMembers(data: CerebrumData, memberIds: number[], indirect = false): SimGroup[] {
  const wanted = new Set(memberIds);
  const found = new Map<number, SimGroup>();
  for (let grew = true; grew;) {
    grew = false;
    for (const g of data.groups.values()) {
      if (found.has(g.id) || !g.members.some((m) => wanted.has(m))) continue;
      found.set(g.id, g);
      if (indirect) {
        wanted.add(g.id);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

export function contextsView(
  data: CerebrumData,
  catalogue: Readonly<Record<string, readonly [string, string]>>,
): Json[] {
  const rows = new Map<string, [string, string]>();
  for (const [context, [entity_type, description]] of Object.entries(catalogue))
    rows.set(context, [entity_type, description]);
  const add = (contexts: string[] | undefined, entityType: string): void => {
    for (const c of contexts ?? []) if (!rows.has(c)) rows.set(c, [entityType, c]);
  };
  for (const o of data.ous.values()) add(o.contexts, 'ou');
  for (const p of data.persons.values()) add(p.contexts, 'person');
  for (const a of data.accounts.values()) add(a.contexts, 'account');
  for (const g of data.groups.values()) add(g.contexts, 'group');
  return [...rows].map(([context, [entity_type, description]]) => ({ context, description, entity_type }));
}
