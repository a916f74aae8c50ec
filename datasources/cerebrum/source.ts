import type { Person } from '../../schema/person.type';
import type { OrganisationUnit } from '../../schema/organisation-unit.type';
import type { Affiliation } from '../../schema/affiliation.type';
import type { Account } from '../../schema/account.type';
import type { Contact, ExternalId } from '../../schema/contact.type';
import { UpstreamError, badInput } from '../../core/errors';
import type { RequestStats } from './client';
import type { CerebrumReader } from './cache';
import { createCerebrumLoaders, type CerebrumLoaders } from './loaders';
import { mapAccountRef, mapAffiliation, mapContacts, mapExternalIds, mapOu, mapPerson, nationalIdOf } from './mapping';
import type { RawAccount, RawSearchExternalIds, RawSearchPersons } from './types';

/** What a caller wants of a person besides its record, so those loads can leave in the same round. */
export interface PersonPrefetch {
  contacts?: boolean;
  externalIds?: boolean;
  affiliations?: boolean;
  accounts?: boolean;
}

/** What the sub-resource loads need of a person: its id and the round in which that id was known. */
export type PersonKey = Pick<Person, 'nativeId' | 'round' | 'subRound'>;

/** The round in which a person's sub-resources are (or were) requested. */
const subRoundOf = (p: PersonKey) => p.subRound ?? p.round ?? 1;

const roundAfter = (x: { round?: number } | undefined) => (x?.round ?? 0) + 1;

/**
 * The small interface the resolvers use to read Cerebrum (architecture convention 2). One instance per
 * request (or per job), holding that request's loaders.
 */
export class CerebrumSource {
  readonly loaders: CerebrumLoaders;
  private readonly stats?: RequestStats;
  private readonly naive: boolean;
  private readonly signal?: AbortSignal;

  constructor(
    readonly client: CerebrumReader,
    opts: { stats?: RequestStats; naive?: boolean; signal?: AbortSignal } = {},
  ) {
    this.loaders = createCerebrumLoaders(client, opts);
    this.stats = opts.stats;
    this.naive = opts.naive ?? false;
    this.signal = opts.signal;
  }

  /** Starts the sub-resource loads of persons whose ids are known, in the same round as their records. */
  prefetch(nativeId: string, round: number, what: PersonPrefetch): void {
    if (what.contacts) this.loaders.contacts.prefetch(nativeId, round);
    if (what.externalIds) this.loaders.externalIds.prefetch(nativeId, round);
    if (what.affiliations) this.loaders.affiliations.prefetch(nativeId, round);
    if (what.accounts) this.loaders.accountRefs.prefetch(nativeId, round);
  }

  async person(nativeId: string, round = 1, what: PersonPrefetch = {}): Promise<Person | null> {
    if (!/^\d+$/.test(nativeId)) return null; // Cerebrum ids are integers; anything else cannot exist
    this.prefetch(nativeId, round, what);
    const raw = await this.loaders.person.load(nativeId, round);
    if (!raw) return null;
    const p = mapPerson(raw, round);
    // Without a look-ahead (or with naive loaders) the sub-resources are only asked for once the record
    // has answered: one round later.
    p.subRound = this.naive || !Object.values(what).some(Boolean) ? round + 1 : round;
    return p;
  }

  async ou(nativeId: string, round = 1): Promise<OrganisationUnit | null> {
    // A non-numeric id makes Cerebrum answer 500 (spec, Errors): answer "no such unit" without asking.
    if (!/^\d+$/.test(nativeId)) return null;
    const raw = await this.loaders.ou.load(nativeId, round);
    return raw ? mapOu(raw, round) : null;
  }

  async contacts(p: PersonKey): Promise<Contact[]> {
    return mapContacts((await this.loaders.contacts.load(p.nativeId, subRoundOf(p))) ?? []);
  }

  async externalIds(p: PersonKey): Promise<ExternalId[]> {
    return mapExternalIds((await this.loaders.externalIds.load(p.nativeId, subRoundOf(p))) ?? []);
  }

  async nationalId(p: PersonKey): Promise<string | null> {
    return nationalIdOf(await this.externalIds(p));
  }

  /**
   * Affiliations valid on `at` (inclusive range [create_date, deleted_date]). For a past date the deleted
   * rows matter too, so the loader key changes to include_deleted=true.
   */
  async affiliations(p: PersonKey, at: string, today: string): Promise<Affiliation[]> {
    const past = at < today;
    const raw =
      (await this.loaders.affiliations.load(past ? `${p.nativeId}|deleted` : p.nativeId, subRoundOf(p))) ?? [];
    return raw
      .map((a) => mapAffiliation(p.nativeId, a, subRoundOf(p)))
      .filter((a) => (a.from == null || a.from <= at) && (a.to == null || a.to >= at));
  }

  async accounts(p: PersonKey): Promise<Account[]> {
    return ((await this.loaders.accountRefs.load(p.nativeId, subRoundOf(p))) ?? []).map((r) =>
      mapAccountRef(r, subRoundOf(p)),
    );
  }

  /** Account details from /v1/accounts/{name}; null when Cerebrum has no such account. */
  async accountDetails(a: Account): Promise<RawAccount | null> {
    return this.loaders.account.load(a.name, roundAfter(a));
  }

  async accountByName(name: string, round = 1): Promise<RawAccount | null> {
    return this.loaders.account.load(name, round);
  }

  /** The person ids with a national id: one search call (the API takes one id per call). */
  async personIdsByNationalId(nationalId: string): Promise<string[]> {
    const body = await this.client.getOrNull<RawSearchExternalIds>(
      `/search/persons/external-ids?external_id=${encodeURIComponent(nationalId)}&id_type=norwegianNationalId`,
      { round: 1, stats: this.statsOf(), signal: this.signal },
    );
    return [...new Set((body?.external_ids ?? []).map((x) => String(x.person_id)))];
  }

  /**
   * Person ids from the affiliation search, de-duplicated in answer order (the API returns one row per
   * matching affiliation). `location` is a stedkode and matches that unit only, not its sub-units.
   */
  async searchPersonIds(q: { affiliation?: string; location?: string }, round = 1): Promise<string[]> {
    const params = new URLSearchParams();
    if (q.affiliation) params.set('affiliation', q.affiliation);
    if (q.location) params.set('location', q.location);
    const qs = params.toString();
    try {
      const body = await this.client.get<RawSearchPersons>(`/search/persons/affiliations${qs ? `?${qs}` : ''}`, {
        round,
        stats: this.statsOf(),
        signal: this.signal,
      });
      return [...new Set(body.persons.map((p) => String(p.id)))];
    } catch (e) {
      if (e instanceof UpstreamError && e.upstream.status === 400) {
        throw badInput(`Cerebrum rejected the search: ${e.message.replace(/^.*?: /, '')}`);
      }
      throw e;
    }
  }

  private statsOf(): RequestStats | undefined {
    return this.stats;
  }
}
