/**
 * The cross-request Cerebrum cache (issue 13, item 2): upstream answers by resource path, kept true by change events.
 * It wraps the client (CerebrumReader) instead of living in it, so per-request DataLoaders, fairness and retries stay
 * where they are: a cached answer is simply an upstream request that did not happen.
 *
 * Invalidation by tags. Every cached answer carries the tags of what it depends on, read from the answer itself:
 *   /persons/P[/…]          p:P          (+ acct-in:A for each account A the list names, pacc for every list)
 *   /accounts/A             a:A, p:Owner (the owner from the answer: the reverse index account → owner)
 *   /ous/O                  o:O
 *   /search/persons/…       search
 * and an event on a subject drops the tags that can have changed:
 *   person P   p:P (its record, sub-resources and the details of accounts it owns); search, unless every changed
 *              attribute is one no search looks at
 *   account A  a:A (details, primary e-mail) and acct-in:A (the owner's account list, wherever it is cached);
 *              when the owner can have changed (create, an `owner` attribute, no attributes) every account list
 *   OU O       o:O (what persons' OU views read) and search (the unit search is by stedkode)
 *   entities   everything (the subject's kind is unknown);  `object` URLs of an event are invalidated as subjects too.
 * An answer fetched while its tag was dropped is not stored (it may predate the change).
 *
 * While the event stream is down the cache is bypassed and emptied: nothing cached can outlive a lost connection.
 * Hand-written LRU over a Map (insertion order = recency): the tag index must be updated on every eviction, and the
 * whole is ~40 lines; no cache library is installed.
 */
import { cacheHits, cacheMisses } from '../../core/metrics';
import type { CerebrumClient, GetOptions } from './client';
import type { ChangeBus, CerebrumChange } from './events/change';
import { subjectOf } from './events/parse';
import type { RawAccount, RawAccountRef } from './types';

/** What CerebrumSource and its loaders read through: the client, or the client behind this cache. */
export type CerebrumReader = Pick<CerebrumClient, 'get' | 'getOrNull'>;

export interface CerebrumCacheOptions {
  /** How long an answer may be reused (CEREBRUM_CACHE_TTL_S × 1000; default there 900 s with events). */
  ttlMs: number;
  /** Most answers held; the least recently used go first (CEREBRUM_CACHE_MAX_ENTRIES, default 50 000). */
  maxEntries: number;
  /** Start enabled (no event stream: the TTL alone bounds staleness). Default false: enabled once events connect. */
  live?: boolean;
}

interface Entry {
  value: unknown;
  expires: number;
  tags: string[];
}

/** Invalidations remembered for answers still being fetched; an older fetch is simply not stored. */
const RECENT = 1024;

/** Person attributes no search (affiliation, location, national id) depends on. */
const SEARCH_NEUTRAL = new Set([
  'name',
  'title',
  'address',
  'phone',
  'cellPhone',
  'privatePhone',
  'fax',
  'email',
  'url',
  'contacts',
  'password',
]);

const PERSON = /^\/persons\/(\d+)(?:\/(affiliations|contacts|external-ids|accounts))?(?:\?include_deleted=true)?$/;
const ACCOUNT = /^\/accounts\/([^/?]+)$/;
const OU = /^\/ous\/(\d+)$/;
const SEARCH = /^\/search\/persons\/(?:affiliations|external-ids)(?:\?|$)/;

export class CerebrumCache {
  readonly stats = { hits: 0, misses: 0, stored: 0, invalidated: 0, cleared: 0 };
  private enabled: boolean;
  private readonly entries = new Map<string, Entry>();
  private readonly tagIndex = new Map<string, Set<string>>();
  /** Invalidation sequence number, and the last RECENT invalidated tags ('*' = everything), oldest first. */
  private seq = 0;
  private readonly recent: { seq: number; tag: string }[] = [];

  constructor(private readonly o: CerebrumCacheOptions) {
    this.enabled = o.live ?? false;
  }

  get size(): number {
    return this.entries.size;
  }

  get isLive(): boolean {
    return this.enabled;
  }

  /** Events connected (true) or lost (false): either way the cache starts again from empty. */
  setLive(live: boolean): void {
    this.clear();
    this.enabled = live;
  }

  clear(): void {
    this.stats.cleared++;
    this.entries.clear();
    this.tagIndex.clear();
    this.note('*');
  }

  /** Applies every change published on the bus; returns the unsubscribe function. */
  follow(bus: ChangeBus): () => void {
    return bus.subscribe((c) => this.apply(c));
  }

  apply(c: CerebrumChange): void {
    this.invalidateSubject(c.resourceType, c.ref, c.kind, c.attributes);
    for (const url of c.objects) {
      const s = subjectOf(url);
      if (s) this.invalidateSubject(s.resourceType, s.ref, 'modify', []);
    }
  }

  /** The reader the loaders use: cached answers for the resource paths above, the client for everything else. */
  wrap(client: CerebrumReader): CerebrumReader {
    return {
      getOrNull: <T>(path: string, o?: GetOptions) => this.read<T>(path, true, () => client.getOrNull<T>(path, o)),
      get: <T>(path: string, o?: GetOptions) => this.read<T>(path, false, () => client.get<T>(path, o)) as Promise<T>,
    };
  }

  private async read<T>(path: string, nullable: boolean, fetch: () => Promise<T | null>): Promise<T | null> {
    if (!this.enabled) return fetch();
    const hit = this.entries.get(path); // only cacheable paths are ever stored
    if (hit && hit.expires > Date.now() && (nullable || hit.value !== null)) {
      this.entries.delete(path); // re-insert: most recently used last
      this.entries.set(path, hit);
      this.stats.hits++;
      cacheHits.inc({ source: 'CEREBRUM', cache: 'rest' });
      return hit.value as T | null;
    }
    const tags = baseTags(path);
    if (!tags) return fetch();
    this.stats.misses++;
    cacheMisses.inc({ source: 'CEREBRUM', cache: 'rest' });
    const started = this.seq;
    const value = await fetch();
    // Tags read from the answer count too: an account's owner changing while its details were in flight.
    const all = [...tags, ...answerTags(path, value)];
    if (this.enabled && !this.invalidatedSince(started, all)) this.store(path, value, all);
    return value;
  }

  private note(tag: string): void {
    this.recent.push({ seq: ++this.seq, tag });
    if (this.recent.length > RECENT) this.recent.shift();
  }

  /** Whether any of `tags` (or everything) was invalidated after sequence number `since`. */
  private invalidatedSince(since: number, tags: string[]): boolean {
    if (this.seq === since) return false;
    if ((this.recent[0]?.seq ?? Infinity) > since + 1) return true; // history no longer reaches back: assume so
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const r = this.recent[i];
      if (!r || r.seq <= since) break;
      if (r.tag === '*' || tags.includes(r.tag)) return true;
    }
    return false;
  }

  private store(path: string, value: unknown, tags: string[]): void {
    this.drop(path);
    this.entries.set(path, { value, expires: Date.now() + this.o.ttlMs, tags });
    for (const t of tags) {
      let keys = this.tagIndex.get(t);
      if (!keys) this.tagIndex.set(t, (keys = new Set()));
      keys.add(path);
    }
    this.stats.stored++;
    while (this.entries.size > this.o.maxEntries) this.drop(this.entries.keys().next().value as string);
  }

  private drop(path: string): void {
    const e = this.entries.get(path);
    if (!e) return;
    this.entries.delete(path);
    for (const t of e.tags) {
      const keys = this.tagIndex.get(t);
      keys?.delete(path);
      if (keys?.size === 0) this.tagIndex.delete(t);
    }
  }

  private invalidate(tag: string): void {
    for (const path of [...(this.tagIndex.get(tag) ?? [])]) {
      this.drop(path);
      this.stats.invalidated++;
    }
    this.note(tag);
  }

  private invalidateSubject(
    type: CerebrumChange['resourceType'],
    ref: string,
    kind: CerebrumChange['kind'],
    attributes: string[],
  ): void {
    switch (type) {
      case 'persons':
        this.invalidate(`p:${ref}`);
        if (attributes.length === 0 || !attributes.every((a) => SEARCH_NEUTRAL.has(a))) this.invalidate('search');
        return;
      case 'accounts':
        this.invalidate(`a:${ref}`);
        this.invalidate(`acct-in:${ref}`);
        if (kind === 'create' || attributes.length === 0 || attributes.includes('owner')) this.invalidate('pacc');
        return;
      case 'ous':
        this.invalidate(`o:${ref}`);
        this.invalidate('search');
        return;
      case 'groups':
        return; // idbro reads no group; a membership names its member in `object`, handled by apply()
      default:
        this.clear();
    }
  }
}

/** Tags known from the path alone (null = not cached: writes, /contexts, anything not listed above). */
function baseTags(path: string): string[] | null {
  let m = PERSON.exec(path);
  if (m) return m[2] === 'accounts' ? [`p:${m[1]}`, 'pacc'] : [`p:${m[1]}`];
  if ((m = OU.exec(path))) return [`o:${m[1]}`];
  if ((m = ACCOUNT.exec(path))) return [`a:${safeDecode(m[1] ?? '')}`];
  if (SEARCH.test(path)) return ['search'];
  return null;
}

/** Tags read from the answer: the accounts a list names, an account's own name and owner. */
function answerTags(path: string, value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  if (path.endsWith('/accounts') && PERSON.test(path)) {
    const refs = (value as { accounts?: RawAccountRef[] }).accounts ?? [];
    return refs.map((r) => `acct-in:${r.name ?? String(r.id)}`);
  }
  if (ACCOUNT.test(path)) {
    const a = value as RawAccount;
    const tags = typeof a.name === 'string' ? [`a:${a.name}`] : [];
    if (a.owner && a.owner.type === 'person') tags.push(`p:${a.owner.id}`);
    return tags;
  }
  return [];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
