import DataLoader from 'dataloader';
import type { RequestStats } from './client';
import type { CerebrumReader } from './cache';
import { pathSegment } from './path';
import { dataloaderBatchSize } from '../../core/metrics';
import type { RawAccount, RawAccountRef, RawAffiliation, RawContact, RawExternalId, RawOu, RawPerson } from './types';

/**
 * Per-request DataLoaders over Cerebrum REST (a fresh set per GraphQL request or job; the DataLoader
 * README's pattern). Cerebrum takes no lists of ids (specs/cerebrum-rest.md), so a "batch" here is a
 * bounded concurrent fan-out of single GETs: what the loaders buy is that each distinct (resource, id)
 * is fetched once per request, and that every load made in the same tick leaves together, so a query
 * costs as many sequential rounds as it is deep — never one round per list item.
 *
 * Rounds are tracked for the benchmark and logs: a load made from the query's own arguments is round 1,
 * a load that needed a value from a round-k response is round k+1. The first caller of a key decides
 * its round (later callers are cache hits and cost nothing).
 *
 * `naive: true` turns off caching and batching: the baseline of "plain resolvers without DataLoader".
 */
export interface CerebrumLoaderOptions {
  stats?: RequestStats;
  naive?: boolean;
  signal?: AbortSignal;
}

export interface RoundLoader<K, V> {
  load(key: K, round?: number): Promise<V>;
  /** Starts the load without awaiting it; a failure surfaces later to whoever awaits the same key. */
  prefetch(key: K, round?: number): void;
  prime(key: K, value: V): void;
}

function roundLoader<K extends string, V>(
  client: CerebrumReader,
  o: CerebrumLoaderOptions & { name: string },
  fetchOne: (key: K, round: number) => Promise<V>,
): RoundLoader<K, V> {
  const rounds = new Map<K, number>();
  // A key refused before any request (path.ts throws synchronously) fails that key only, not its batch.
  const one = async (k: K) => fetchOne(k, rounds.get(k) ?? 1);
  const batch = (keys: readonly K[]) => {
    dataloaderBatchSize.observe({ source: 'CEREBRUM', loader: o.name }, keys.length);
    return Promise.all(keys.map((k) => one(k).catch((e: Error) => e)));
  };
  const loader = new DataLoader<K, V>(batch, o.naive ? { cache: false, batch: false } : {});
  const load = (key: K, round = 1) => {
    const seen = rounds.get(key);
    if (seen === undefined || round < seen) rounds.set(key, round);
    return loader.load(key);
  };
  return {
    load,
    prefetch: (key, round) => {
      if (!o.naive) load(key, round).catch(() => undefined);
    },
    prime: (key, value) => {
      if (!o.naive) loader.prime(key, value);
    },
  };
}

export interface AffiliationKey {
  personId: string;
  includeDeleted: boolean;
}

export function createCerebrumLoaders(client: CerebrumReader, o: CerebrumLoaderOptions = {}) {
  const get = <T>(path: string, round: number) =>
    client.getOrNull<T>(path, { round, stats: o.stats, signal: o.signal });
  // Every key becomes one path segment, or the load fails with BAD_USER_INPUT before any request (path.ts).
  const id = (k: string) => pathSegment(k, 'The person id');
  return {
    person: roundLoader<string, RawPerson | null>(client, { ...o, name: 'person' }, (k, r) =>
      get(`/persons/${id(k)}`, r),
    ),
    ou: roundLoader<string, RawOu | null>(client, { ...o, name: 'ou' }, (k, r) =>
      get(`/ous/${pathSegment(k, 'The unit id')}`, r),
    ),
    /** Key "<personId>" or "<personId>|deleted" (include_deleted changes the answer, so it is in the key). */
    affiliations: roundLoader<string, RawAffiliation[] | null>(client, { ...o, name: 'affiliations' }, async (k, r) => {
      const [pid, flag] = k.split('|');
      const body = await get<{ affiliations: RawAffiliation[] }>(
        `/persons/${id(pid ?? '')}/affiliations${flag === 'deleted' ? '?include_deleted=true' : ''}`,
        r,
      );
      return body ? body.affiliations : null;
    }),
    contacts: roundLoader<string, RawContact[] | null>(
      client,
      { ...o, name: 'contacts' },
      async (k, r) => (await get<{ contacts: RawContact[] }>(`/persons/${id(k)}/contacts`, r))?.contacts ?? null,
    ),
    externalIds: roundLoader<string, RawExternalId[] | null>(
      client,
      { ...o, name: 'externalIds' },
      async (k, r) =>
        (await get<{ external_ids: RawExternalId[] }>(`/persons/${id(k)}/external-ids`, r))?.external_ids ?? null,
    ),
    accountRefs: roundLoader<string, RawAccountRef[] | null>(
      client,
      { ...o, name: 'accountRefs' },
      async (k, r) => (await get<{ accounts: RawAccountRef[] }>(`/persons/${id(k)}/accounts`, r))?.accounts ?? null,
    ),
    /** By account name (all digits = entity id, per the API). */
    account: roundLoader<string, RawAccount | null>(client, { ...o, name: 'account' }, (k, r) =>
      get(`/accounts/${pathSegment(k, 'The account name')}`, r),
    ),
  };
}

export type CerebrumLoaders = ReturnType<typeof createCerebrumLoaders>;
