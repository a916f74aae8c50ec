import { generateCerebrumData } from '../simulators/data/cerebrum-sample';
import type { CerebrumData } from '../simulators/data/cerebrum-types';
// The seeded PRNG of the sample data: both runs see the same request mix.
import { itemAt, prng as rng } from '../simulators/data/prng';

/**
 * The load generator of bench/events.ts, in its own process so that the gateway's CPU is measured alone. Over IPC:
 * {op: 'run', url, seed, requests, maxS} answers {op: 'run', requests, minimum, wallS}; {op: 'stop'} ends a run early.
 */
export const PERSONS = 3000;
export const CONNECTIONS = 32;
const FIELDS = 'name accounts { name primaryEmail } affiliations { status organisationUnit { name stedkode } }';

interface Req {
  query: string;
  minimum: number;
}

/** Builds the request mix and each request's minimum: the distinct Cerebrum resources its answer needs. */
export function workload(data: CerebrumData, today: string) {
  const ids = [...data.persons.keys()];
  const live = (a: { deleted_date: string | null; create_date: string }) =>
    !((a.deleted_date && a.deleted_date.slice(0, 10) <= today) || a.create_date.slice(0, 10) > today);
  const personPaths = (id: number, into: Set<string>) => {
    const p = data.persons.get(id)!;
    into.add(`p${id}`).add(`pa${id}`).add(`pf${id}`);
    for (const n of p.account_names) into.add(`a${n}`);
    for (const a of p.affiliations) if (live(a)) into.add(`o${a.ou_id}`);
  };
  const byOu = new Map<number, Set<number>>();
  for (const p of data.persons.values()) {
    for (const a of p.affiliations)
      if (a.deleted_date === null) (byOu.get(a.ou_id) ?? byOu.set(a.ou_id, new Set()).get(a.ou_id)!).add(p.id);
  }
  const units = [...byOu.keys()];
  return (r: () => number): Req => {
    const x = r();
    if (x < 0.7) {
      const id = itemAt(ids, Math.floor(r() * ids.length));
      const need = new Set<string>();
      personPaths(id, need);
      return { query: `{ person(id: "cerebrum:${id}") { ${FIELDS} } }`, minimum: need.size };
    }
    if (x < 0.9) {
      const need = new Set<string>();
      const pick = Array.from({ length: 20 }, () => itemAt(ids, Math.floor(r() * ids.length)));
      pick.forEach((id) => personPaths(id, need));
      return {
        query: `{ ${pick.map((id, i) => `p${i}: person(id: "cerebrum:${id}") { ${FIELDS} }`).join(' ')} }`,
        minimum: need.size,
      };
    }
    const ou = itemAt(units, Math.floor(r() * units.length));
    // The unit, the affiliation search, and per person found: its record and its affiliations.
    return {
      query: `{ organisationUnit(id: "cerebrum:ou:${ou}") { name stedkode affiliations { status person { name } } } }`,
      minimum: 2 + 2 * byOu.get(ou)!.size,
    };
  };
}

export async function gql(url: string, query: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(`bench query failed: ${JSON.stringify(body.errors[0])}`);
  return body.data;
}

/** `connections` workers (default CONNECTIONS) issuing requests back to back until `requests` were sent or `maxS` passed. */
async function load(
  url: string,
  next: () => Req,
  bound: { requests: number; maxS: number },
  stop?: () => boolean,
  connections = CONNECTIONS,
) {
  let sent = 0;
  let minimum = 0;
  const deadline = performance.now() + bound.maxS * 1000;
  const t0 = performance.now();
  const worker = async () => {
    while (sent < bound.requests && performance.now() < deadline && !stop?.()) {
      sent++;
      const req = next();
      minimum += req.minimum;
      await gql(url, req.query);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { requests: sent, minimum, wallS: (performance.now() - t0) / 1000 };
}

if (require.main === module) {
  const data = generateCerebrumData({ persons: PERSONS, seed: 1 });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
  let stopped = false;
  const onMessage = async (m: {
    op: string;
    url?: string;
    seed?: number;
    requests?: number;
    maxS?: number;
    connections?: number;
  }) => {
    if (m.op === 'stop') stopped = true;
    if (m.op === 'exit') process.exit(0);
    if (m.op === 'run') {
      stopped = false;
      const next = workload(data, today);
      const r = rng(m.seed!);
      const out = await load(
        m.url!,
        () => next(r),
        { requests: m.requests!, maxS: m.maxS! },
        () => stopped,
        m.connections,
      );
      process.send!({ op: 'run', ...out });
    }
  };
  // A failed run ends the worker as an unhandled rejection, as it did when the listener was async.
  process.on('message', (m: Parameters<typeof onMessage>[0]) => void onMessage(m));
  process.send!({ op: 'ready' });
}
