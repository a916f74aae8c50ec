/**
 * The incremental side of the Cristin export (issue 13 item 3; README "Cristin export"): what a pending-change
 * set means for the walk, and the drift a FULL finds against the snapshot. The run itself is runCristinExport
 * (jobs/cristin-export/cristin-export.ts) with `params.mode = 'INCREMENTAL'`: the same walk (partial), document, size guard and
 * publication as a FULL, so the file it writes is the one a FULL would write at that moment.
 *
 * Event → what is re-read: a person → that person; an OU → that OU (and, when its stedkode changed, the persons
 * placed there); an account → its owner (read from Cerebrum), and whoever had it as primary account in the
 * snapshot (the account may be gone, or have changed owner).
 */
import type { CerebrumClient, RequestStats } from '../../datasources/cerebrum/client';
import { CerebrumSource } from '../../datasources/cerebrum/source';
import type { PartialWalk } from './walk';
import type { CristinUnit } from '../../datasources/cristin/document';
import type { CristinSnapshot, PendingChanges, SnapshotPerson } from './snapshot';

export type CristinExportMode = 'FULL' | 'INCREMENTAL';

export function modeOf(params: Record<string, unknown>): CristinExportMode {
  return params.mode === 'INCREMENTAL' ? 'INCREMENTAL' : 'FULL';
}

export const hasPending = (p: PendingChanges) => p.persons.size + p.ous.size + p.accounts.size > 0;

/** The pending changes as the walk's partial input: account names resolved to their owners (1 request each). */
export async function planOf(
  pending: PendingChanges,
  snapshot: CristinSnapshot,
  o: { client: CerebrumClient; stats: RequestStats; signal: AbortSignal },
): Promise<PartialWalk> {
  const persons = new Set(pending.persons);
  const src = new CerebrumSource(o.client, { stats: o.stats, signal: o.signal });
  await Promise.all(
    [...pending.accounts].map(async (name) => {
      const account = await src.accountByName(name);
      if (account?.owner && account.owner.type === 'person') persons.add(String(account.owner.id));
    }),
  );
  if (pending.accounts.size > 0) {
    for (const [id, s] of snapshot.persons)
      if (s.record?.brukernavn && pending.accounts.has(s.record.brukernavn)) persons.add(id);
  }
  return { persons: snapshot.persons, units: snapshot.units, changedPersons: persons, changedOus: pending.ous };
}

/** JSON with sorted keys: a record read back from jsonb has its keys in another order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>)
            .filter(([, y]) => y !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  );
}

export interface Drift {
  /** Person ids whose record differs from the snapshot's (added, removed or changed), sorted. */
  persons: string[];
  /** Stedkoder whose unit differs. */
  units: string[];
}

/**
 * What a FULL found changed against the snapshot although no pending event names it: "changes no event
 * announced" (a lost message, a change Cerebrum did not publish). Pending resources are not drift: their
 * incremental run simply has not come yet.
 */
export function driftOf(
  snapshot: CristinSnapshot,
  fresh: { records: ReadonlyMap<string, SnapshotPerson>; units: readonly CristinUnit[] },
  pending: PendingChanges,
): Drift {
  const announced = (id: string, s?: SnapshotPerson) =>
    pending.persons.has(id) || (s?.record?.brukernavn != null && pending.accounts.has(s.record.brukernavn));
  const persons = new Set<string>();
  for (const [id, s] of fresh.records) {
    const old = snapshot.persons.get(id);
    if (announced(id, old)) continue;
    if (!old || canonical(old.record) !== canonical(s.record)) persons.add(id);
  }
  for (const [id, old] of snapshot.persons) if (!fresh.records.has(id) && !announced(id, old)) persons.add(id);
  const units = new Set<string>();
  const freshUnits = new Map(fresh.units.map((u) => [u.stedkode, u]));
  for (const [sk, u] of freshUnits) {
    const old = snapshot.units.get(sk);
    if (pending.ous.has(u.ouId) || (old && pending.ous.has(old.ouId))) continue;
    if (!old || canonical(old) !== canonical(u)) units.add(sk);
  }
  for (const [sk, old] of snapshot.units) if (!freshUnits.has(sk) && !pending.ous.has(old.ouId)) units.add(sk);
  return { persons: [...persons].sort((a, b) => Number(a) - Number(b)), units: [...units].sort() };
}
