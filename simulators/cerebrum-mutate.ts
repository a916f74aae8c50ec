/**
 * The Cerebrum simulator's mutation API (`POST /__mutate`, and `sim.mutate()`): one small JSON change to the served
 * data, answered with the change events Cerebrum would publish for it (the simulator then publishes them, see
 * cerebrum-events.ts). Not part of Cerebrum REST: a test and demo hook.
 *
 *   { "op": "person.name",       "person": 85073, "first": "Tor", "last": "Tester" }
 *   { "op": "person.title",      "person": 85073, "title": "Overingeniør" }
 *   { "op": "person.nationalId", "person": 85073, "value": "01017012345" }
 *   { "op": "person.delete",     "person": 85073 }
 *   { "op": "account.email",     "account": "torte", "email": "tor.test@example.org" }
 *   { "op": "account.create",    "account": "tortest2", "owner": 85073, "email": "t2@example.org" }
 *   { "op": "account.delete",    "account": "torte" }
 *   { "op": "ou.name",           "ou": 100, "name": "Universitetet i Oslo" }
 * Optional on every mutation: "nbf" (seconds since the epoch: the events say "not before"), "publish": false (the
 * change happens but no event is published: a lost message).
 */
import type { CerebrumData } from './data/cerebrum-types';
import type { SimEventSpec } from './cerebrum-events';

export class MutationError extends Error {}

type Body = Record<string, unknown>;

const num = (b: Body, k: string): number => {
  const v = Number(b[k]);
  if (!Number.isInteger(v)) throw new MutationError(`"${k}" must be an entity id`);
  return v;
};
const text = (b: Body, k: string): string => {
  const v = b[k];
  if (typeof v !== 'string' || v === '') throw new MutationError(`"${k}" must be a non-empty string`);
  return v;
};

/** Applies one mutation to `data`; returns the events it causes (without jti/iat: the publisher adds them). */
export function applyMutation(data: CerebrumData, body: unknown): SimEventSpec[] {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new MutationError('expected a JSON object with "op"');
  const b = body as Body;
  const nbf = b.nbf === undefined ? undefined : Number(b.nbf);
  if (nbf !== undefined && !Number.isFinite(nbf)) throw new MutationError('"nbf" must be seconds since the epoch');
  const ev = (
    resourceType: SimEventSpec['resourceType'],
    ref: string | number,
    kind: SimEventSpec['kind'],
    attributes: string[],
  ): SimEventSpec => ({ resourceType, ref: String(ref), kind, attributes, ...(nbf !== undefined ? { nbf } : {}) });
  const person = () => {
    const p = data.persons.get(num(b, 'person'));
    if (!p) throw new MutationError('no such person');
    return p;
  };
  const account = () => {
    const a = data.accounts.get(text(b, 'account'));
    if (!a) throw new MutationError('no such account');
    return a;
  };
  switch (b.op) {
    case 'person.name': {
      const p = person();
      const first = typeof b.first === 'string' ? b.first : undefined;
      const last = typeof b.last === 'string' ? b.last : undefined;
      if (!first && !last) throw new MutationError('"first" or "last" is required');
      for (const n of p.names) {
        if (n.variant === 'FIRST' && first) n.name = first;
        if (n.variant === 'LAST' && last) n.name = last;
      }
      const f = p.names.find((n) => n.source_system === 'Cached' && n.variant === 'FIRST')?.name;
      const l = p.names.find((n) => n.source_system === 'Cached' && n.variant === 'LAST')?.name;
      for (const n of p.names) if (n.variant === 'FULL') n.name = [f, l].filter(Boolean).join(' ');
      return [ev('persons', p.id, 'modify', ['name'])];
    }
    case 'person.title': {
      const p = person();
      const title = text(b, 'title');
      const row = p.names.find((n) => n.variant === 'WORKTITLE');
      if (row) row.name = title;
      else p.names.push({ source_system: 'Cached', variant: 'WORKTITLE', name: title });
      return [ev('persons', p.id, 'modify', ['title'])];
    }
    case 'person.nationalId': {
      const p = person();
      const value = text(b, 'value');
      const row = p.external_ids.find((e) => e.id_type === 'NO_BIRTHNO');
      if (row) row.external_id = value;
      else p.external_ids.push({ external_id: value, id_type: 'NO_BIRTHNO', source_system: 'SAP' });
      return [ev('persons', p.id, 'modify', ['externalId'])];
    }
    case 'person.delete': {
      const p = person();
      data.persons.delete(p.id);
      return [ev('persons', p.id, 'delete', [])];
    }
    case 'account.email': {
      const a = account();
      a.primary_email = text(b, 'email');
      return [ev('accounts', a.name, 'modify', ['email'])];
    }
    case 'account.create': {
      const name = text(b, 'account');
      if (data.accounts.has(name)) throw new MutationError('account exists');
      const p = data.persons.get(num(b, 'owner'));
      if (!p) throw new MutationError('no such owner');
      let id = 0;
      for (const a of data.accounts.values()) id = Math.max(id, a.id);
      for (const k of [...data.persons.keys(), ...data.ous.keys()]) id = Math.max(id, k);
      data.accounts.set(name, {
        id: id + 1,
        name,
        owner_id: p.id,
        owner_type: 'person',
        created_at: new Date().toISOString().slice(0, 19),
        expire_date: null,
        contexts: ['AD_account'],
        primary_email: typeof b.email === 'string' ? b.email : null,
        np_type: null,
        quarantines: [],
      });
      p.account_names.push(name);
      return [ev('accounts', name, 'create', [])];
    }
    case 'account.delete': {
      const a = account();
      data.accounts.delete(a.name);
      const owner = data.persons.get(a.owner_id);
      if (owner) {
        owner.account_names = owner.account_names.filter((n) => n !== a.name);
        if (owner.primary_account === a.name) owner.primary_account = null;
      }
      return [ev('accounts', a.name, 'delete', [])];
    }
    case 'ou.name': {
      const ou = data.ous.get(num(b, 'ou'));
      if (!ou) throw new MutationError('no such ou');
      const name = text(b, 'name');
      for (const n of ou.names) if (n.variant === 'OU name') n.name = name;
      return [ev('ous', ou.id, 'modify', ['name'])];
    }
    default:
      throw new MutationError(
        `unknown "op" (known: person.name, person.title, person.nationalId, person.delete, account.email, account.create, account.delete, ou.name)`,
      );
  }
}
