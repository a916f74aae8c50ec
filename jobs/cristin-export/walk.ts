/**
 * The Cerebrum walk of the Cristin export: which persons, read how, and which units (README.md in this folder
 * has the cost). Cerebrum REST has no person listing, no OU listing and no OU search by stedkode
 * (specs/cerebrum-rest.md), so:
 *
 *   1. persons = the affiliation search for ANSATT ∪ TILKNYTTET (2 requests; a person with both, or with two
 *      rows, is read once);
 *   2. per person: the record and its external ids (1 round); a person without a national id or without Cached
 *      first/last names stops here (skipped, reported). The others: affiliations (include_deleted, so that an
 *      ended role gets its datoTil), contacts and account list (1 round); then the primary account (for
 *      brukernavn and primary_email) and the OUs of the ANSATT/TILKNYTTET rows (1 round);
 *   3. units = the OUs someone is placed at, plus their ancestors in the stedkode hierarchy (FFIIGG → FFII00 →
 *      FF0000 → 000000). An ancestor nobody is placed at can only be reached through somebody's affiliation: the
 *      affiliation search by `location` (1 request) names the persons placed there; the affiliations of one of
 *      them (free when already read) give OU ids, read until the one with that stedkode turns up. An ancestor
 *      that is not in Cerebrum (400) or where nobody is placed is named by key only in its children's `*Under`
 *      fields, and reported.
 *
 * Loaders: the same DataLoaders as the API (CerebrumSource over the one CerebrumClient, which bounds the
 * requests in flight). Each person gets its own CerebrumSource, like a GraphQL request: its record, ids,
 * contacts and accounts are needed once and are dropped with it, so memory stays flat over 10,000 persons.
 * OUs and affiliation lists go through one job-wide source, because they are needed again: an OU by every
 * person placed there, an affiliation list by the parent search. Every resource is therefore fetched once.
 */
import { setMaxListeners } from 'node:events';
import type { GraphQLError } from 'graphql';
import { InternalError } from '../../core/errors';
import type { OrganisationUnit } from '../../schema/organisation-unit.type';
import type { NewSyncIssue } from '../../store/sync-jobs.repo';
import type { CerebrumClient, RequestStats } from '../../datasources/cerebrum/client';
import { CerebrumSource } from '../../datasources/cerebrum/source';
import type { RawAffiliation } from '../../datasources/cerebrum/types';
import type { SnapshotPerson } from './snapshot';
import type { CristinPerson, CristinUnit } from '../../datasources/cristin/document';
import {
  DEFAULT_HR_SOURCE_SYSTEMS,
  EMPLOYEE,
  GUEST,
  firstContact,
  nameOf,
  pickFnr,
  toEmployments,
  toGuests,
  toUnit,
  type PlacedAffiliation,
} from './mapping';
import { ROOT_STEDKODE, isStedkode, parentOf } from '../../datasources/cristin/stedkode';

export interface WalkOptions {
  client: CerebrumClient;
  /** Counts this walk's upstream requests (besides the client's process-wide counters). */
  stats?: RequestStats;
  /** Aborts the walk (cancel, shutdown): in-flight requests are aborted and the walk rejects. */
  signal?: AbortSignal;
  /** Persons read at once. Default 2 × 16: each person has up to 3 requests in flight, the client bounds the total. */
  personConcurrency?: number;
  /** OU entity id that names the institution (CRISTIN_ROOT_OU); read once and exported like any unit. */
  rootOuId?: string;
  /** Source systems whose national id is preferred. Default DFO_SAP, SAP. */
  hrSourceSystems?: readonly string[];
  onProgress?(done: number, found: number): void;
  onIssue?(issue: NewSyncIssue): void;
  /**
   * An incremental walk (jobs/cristin-export/cristin-incremental.ts): the persons and units of the last export, and what changed
   * since. Still the affiliation search (2 requests: who is in the export now), then only the changed OUs, the
   * changed persons, the persons found that the snapshot lacks, and the persons placed at an OU whose stedkode
   * changed; everyone else keeps the snapshot's record.
   */
  partial?: PartialWalk;
}

export interface PartialWalk {
  persons: ReadonlyMap<string, SnapshotPerson>;
  units: ReadonlyMap<string, CristinUnit>;
  changedPersons: ReadonlySet<string>;
  changedOus: ReadonlySet<string>;
}

export interface WalkResult {
  institution: { navnBokmal: string | null; akronym: string | null } | null;
  /** Sorted by stedkode. */
  units: CristinUnit[];
  /** Sorted by Cerebrum person id. */
  persons: CristinPerson[];
  /** Persons the affiliation search found (distinct). */
  found: number;
  skipped: number;
  /** ANSATT/TILKNYTTET rows left out because their OU could not be read or has no stedkode. */
  droppedRoles: number;
  /** Ancestors looked for with the location search, by outcome. */
  parents: { reached: string[]; missing: string[]; unreachable: string[] };
  /** Every person found, by id: its record (null = skipped) and placement OUs, as the snapshot stores them. */
  records: Map<string, SnapshotPerson>;
  /** The persons read from Cerebrum by this walk (all of them unless partial). */
  read: Set<string>;
}

/** A state of Cerebrum the export cannot work with (a bad CRISTIN_ROOT_OU, an affiliation it does not know). */
export class CristinWalkError extends InternalError {
  constructor(message: string) {
    super('CRISTIN_WALK_FAILED', message);
    this.name = 'CristinWalkError';
  }
}

const isBadInput = (e: unknown) => (e as GraphQLError)?.extensions?.code === 'BAD_USER_INPUT';

export async function walkCerebrum(o: WalkOptions): Promise<WalkResult> {
  // One controller for the walk: the caller's abort, or the first failure, stops every person still being read.
  const controller = new AbortController();
  // Every request in flight listens on this signal: up to CEREBRUM_CONCURRENCY at once is expected, not a leak.
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await new Walk(o, controller).run();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    controller.abort('walk finished');
  }
}

class Walk {
  private readonly shared: CerebrumSource;
  private readonly signal: AbortSignal;
  /** OUs read so far by id (null = Cerebrum has none). */
  private readonly ouById = new Map<string, OrganisationUnit | null>();
  /** The exported units by stedkode. */
  private readonly units = new Map<string, CristinUnit>();
  /** OU ids of each read person's exported roles. */
  private readonly placements = new Map<string, string[]>();
  /** Persons whose affiliation list the shared source already holds. */
  private readonly affiliationsRead = new Set<string>();
  private readonly parents: WalkResult['parents'] = { reached: [], missing: [], unreachable: [] };
  private skipped = 0;
  private droppedRoles = 0;

  constructor(
    private readonly o: WalkOptions,
    private readonly controller: AbortController,
  ) {
    this.signal = controller.signal;
    this.shared = new CerebrumSource(o.client, { stats: o.stats, signal: this.signal });
  }

  async run(): Promise<WalkResult> {
    const root = this.o.rootOuId ? this.ou(this.o.rootOuId) : Promise.resolve(null);
    root.catch(() => undefined); // awaited below; a failure must not surface as unhandled meanwhile
    const [employees, guests] = await Promise.all([this.search(EMPLOYEE), this.search(GUEST)]);
    const ids = [...new Set([...employees, ...guests])].sort((a, b) => Number(a) - Number(b));
    this.o.onProgress?.(0, ids.length);

    const partial = this.o.partial;
    const toRead = partial ? await this.changedOf(ids, partial) : ids;
    const fresh = await this.readAll(toRead);
    const records = new Map<string, SnapshotPerson>();
    toRead.forEach((id, i) => records.set(id, { record: fresh[i] ?? null, ouIds: this.placements.get(id) ?? [] }));
    for (const id of ids) if (!records.has(id)) records.set(id, partial!.persons.get(id)!);
    const persons = ids.map((id) => records.get(id)!.record).filter((p): p is CristinPerson => p !== null);

    const rootOu = await root;
    if (this.o.rootOuId && !rootOu) {
      throw new CristinWalkError(
        `CRISTIN_ROOT_OU=${this.o.rootOuId} names no OU in Cerebrum (GET /v1/ous/${this.o.rootOuId} answered 404)`,
      );
    }
    if (rootOu) this.addUnit(rootOu);
    if (partial) this.pruneUnits(persons, rootOu?.stedkode);
    await this.reachParents();

    const institutionOu = rootOu
      ? { name: rootOu.name, acronym: rootOu.acronym }
      : this.units.has(ROOT_STEDKODE)
        ? { name: this.units.get(ROOT_STEDKODE)!.navnBokmal, acronym: this.units.get(ROOT_STEDKODE)!.akronym }
        : null;
    return {
      institution: institutionOu
        ? { navnBokmal: institutionOu.name ?? null, akronym: institutionOu.acronym ?? null }
        : null,
      units: [...this.units.values()].sort((a, b) => a.stedkode.localeCompare(b.stedkode)),
      persons,
      records,
      read: new Set(toRead),
      found: ids.length,
      skipped: this.skipped,
      droppedRoles: this.droppedRoles,
      parents: this.parents,
    };
  }

  /**
   * The persons an incremental walk reads; seeds the units from the snapshot, the changed OUs re-read first (so
   * that a renamed unit is written with its new name, and a unit whose stedkode changed re-reads its persons).
   */
  private async changedOf(ids: string[], p: PartialWalk): Promise<string[]> {
    for (const [sk, u] of p.units) this.units.set(sk, u);
    const reread = new Set([...p.changedPersons]);
    await Promise.all(
      [...p.changedOus].map(async (ouId) => {
        const ou = await this.ou(ouId);
        const old = [...this.units.values()].find((u) => u.ouId === ouId);
        if (old) this.units.delete(old.stedkode);
        if (ou && isStedkode(ou.stedkode)) this.units.set(ou.stedkode, toUnit(ou));
        if (old?.stedkode !== ou?.stedkode) {
          for (const [id, s] of p.persons) if (s.ouIds.includes(ouId)) reread.add(id);
        }
      }),
    );
    return ids.filter((id) => reread.has(id) || !p.persons.has(id));
  }

  /** Units nobody is placed at any longer (and not their ancestor, nor the root) leave the snapshot's set. */
  private pruneUnits(persons: readonly CristinPerson[], rootStedkode: string | null | undefined): void {
    const wanted = new Set<string>();
    const want = (sk: string) => {
      for (let cur = sk; !wanted.has(cur); cur = parentOf(cur)) {
        wanted.add(cur);
        if (parentOf(cur) === cur) break;
      }
    };
    for (const p of persons) for (const r of [...p.ansettelser, ...p.gjester]) want(r.stedkode);
    if (rootStedkode && isStedkode(rootStedkode)) want(rootStedkode);
    for (const sk of [...this.units.keys()]) if (!wanted.has(sk)) this.units.delete(sk);
  }

  private async search(affiliation: string): Promise<string[]> {
    try {
      return await this.shared.searchPersonIds({ affiliation });
    } catch (e) {
      if (isBadInput(e))
        throw new CristinWalkError(`Cerebrum does not know the affiliation ${affiliation}: ${(e as Error).message}`);
      throw e;
    }
  }

  private async ou(id: string): Promise<OrganisationUnit | null> {
    const ou = await this.shared.ou(id);
    this.ouById.set(id, ou);
    return ou;
  }

  /** A bounded pool over the ids; results keep the ids' order. The first failure stops the rest. */
  private async readAll(ids: string[]): Promise<(CristinPerson | null)[]> {
    const results = new Array<CristinPerson | null>(ids.length).fill(null);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < ids.length) {
        this.signal.throwIfAborted();
        const i = next++;
        const id = ids[i];
        if (id === undefined) break; // another worker took the last one meanwhile
        results[i] = await this.person(id);
        this.o.onProgress?.(++done, ids.length);
      }
    };
    const width = Math.max(1, Math.min(this.o.personConcurrency ?? 32, ids.length));
    await Promise.all(
      Array.from({ length: width }, () =>
        worker().catch((e) => {
          this.controller.abort(e);
          throw e;
        }),
      ),
    );
    return results;
  }

  private skip(personId: string, field: string, why: string): null {
    this.skipped++;
    this.o.onIssue?.({
      severity: 'WARNING',
      message: `Person ${personId} not exported: ${why}.`,
      field,
      record: personId,
    });
    return null;
  }

  private async person(id: string): Promise<CristinPerson | null> {
    const src = new CerebrumSource(this.o.client, { stats: this.o.stats, signal: this.signal });
    const p = await src.person(id, 1, { externalIds: true });
    if (!p) return this.skip(id, 'person', 'Cerebrum no longer has this person (404 since the affiliation search)');
    const fnr = pickFnr(await src.externalIds(p), this.o.hrSourceSystems ?? DEFAULT_HR_SOURCE_SYSTEMS);
    if (!fnr) return this.skip(id, 'fnr', 'no national id (fødselsnummer) in Cerebrum');
    if (!p.firstName || !p.lastName) {
      return this.skip(
        id,
        p.firstName ? 'etternavn' : 'fornavn',
        `no ${p.firstName ? 'last' : 'first'} name from source system Cached`,
      );
    }

    const affiliationsP = this.shared.loaders.affiliations.load(`${id}|deleted`, 2).then((a) => {
      this.affiliationsRead.add(id);
      return a ?? [];
    });
    const [affiliations, contacts, accounts] = await Promise.all([affiliationsP, src.contacts(p), src.accounts(p)]);
    const primary = accounts.find((a) => a.primary === true) ?? null;
    const accountP = primary ? src.accountDetails(primary) : Promise.resolve(null);
    const roleRows = affiliations.filter((a) => a.affiliation === EMPLOYEE || a.affiliation === GUEST);
    const [ous, account] = await Promise.all([Promise.all(roleRows.map((a) => this.ou(String(a.ou.id)))), accountP]);

    const placed: PlacedAffiliation[] = [];
    const ouIds = new Set<string>();
    roleRows.forEach((raw, i) => {
      const ou = ous[i];
      const stedkode = ou?.stedkode;
      if (ou && isStedkode(stedkode)) {
        placed.push({ raw, stedkode });
        ouIds.add(ou.nativeId);
        this.addUnit(ou);
        return;
      }
      this.droppedRoles++;
      this.o.onIssue?.({
        severity: 'WARNING',
        message: `${describe(raw)} left out: ${ou ? `OU ${raw.ou.id} has no stedkode, so it has no Cristin key` : `Cerebrum has no OU ${raw.ou.id} (404)`}.`,
        field: raw.affiliation === EMPLOYEE ? 'ansettelse' : 'gjest',
        record: id,
      });
    });
    const ansettelser = toEmployments(placed, nameOf(p, 'WORKTITLE'));
    const gjester = toGuests(placed);
    this.placements.set(id, [...ouIds].sort());
    if (ansettelser.length + gjester.length === 0)
      return this.skip(id, 'ansettelser', 'none of its ANSATT/TILKNYTTET affiliations is at a unit Cristin can key');

    return {
      personId: id,
      fnr,
      reservert: false,
      etternavn: p.lastName,
      fornavn: p.firstName,
      personligTittel: nameOf(p, 'PERSONALTITLE'),
      brukernavn: primary?.name ?? null,
      // Seed 002: the primary account's address, else an e-mail contact ("ev. externalMail").
      epost: account?.primary_email || firstContact(contacts, 'EMAIL'),
      // Seed 002 maps phone, cellPhone and privatePhone to telefonnr; a private number is not published.
      telefonnr: firstContact(contacts, 'PHONE', 'MOBILE'),
      telefaxnr: firstContact(contacts, 'FAX'),
      URL: firstContact(contacts, 'URL'),
      ansettelser,
      gjester,
    };
  }

  private addUnit(ou: OrganisationUnit): void {
    if (!isStedkode(ou.stedkode)) return;
    const seen = this.units.get(ou.stedkode);
    if (!seen) {
      this.units.set(ou.stedkode, toUnit(ou));
    } else if (seen.ouId !== ou.nativeId) {
      this.o.onIssue?.({
        severity: 'WARNING',
        message: `OUs ${seen.ouId} and ${ou.nativeId} have the same stedkode ${ou.stedkode}: the unit is exported from OU ${seen.ouId}.`,
        field: 'enhet',
        record: ou.stedkode,
      });
    }
  }

  /** Ancestors not among the units yet, level by level until none is left to look for. */
  private async reachParents(): Promise<void> {
    const looked = new Set<string>();
    for (;;) {
      const wanted = new Map<string, string>(); // parent → one child, for the message
      for (const sk of this.units.keys()) {
        const parent = parentOf(sk);
        if (parent !== sk && !this.units.has(parent) && !looked.has(parent)) wanted.set(parent, sk);
      }
      if (wanted.size === 0) return;
      for (const p of wanted.keys()) looked.add(p);
      await Promise.all([...wanted].map(([parent, child]) => this.reachParent(parent, child)));
    }
  }

  private async reachParent(stedkode: string, child: string): Promise<void> {
    // An OU read before as a wrong guess for another parent (or as nobody's placement) may be this one: no search.
    const known = [...this.ouById.values()].find((ou) => ou?.stedkode === stedkode);
    if (known) {
      this.units.set(stedkode, toUnit(known));
      this.parents.reached.push(stedkode);
      return;
    }
    let ids: string[];
    try {
      ids = await this.shared.searchPersonIds({ location: stedkode });
    } catch (e) {
      if (!isBadInput(e)) throw e;
      this.parents.missing.push(stedkode);
      // The institution root is usually no OU of its own: nothing to report.
      if (stedkode !== ROOT_STEDKODE) {
        this.o.onIssue?.({
          severity: 'INFO',
          message: `Unit ${stedkode}, the parent of ${child} by stedkode, is not in Cerebrum: ${child} names it by key only.`,
          field: 'enhet',
          record: stedkode,
        });
      }
      return;
    }
    // Somebody placed there: their affiliation list has the OU's id (prefer a list already read: no request).
    const candidate = ids.find((id) => this.affiliationsRead.has(id)) ?? ids[0];
    if (candidate !== undefined) {
      const rows: RawAffiliation[] = (await this.shared.loaders.affiliations.load(`${candidate}|deleted`, 1)) ?? [];
      this.affiliationsRead.add(candidate);
      for (const row of rows) {
        if (row.deleted_date) continue;
        // Every OU of the list is a candidate, even one read already (for another parent, at the same level):
        // the shared loader answers that one from its cache, without a request.
        const ou = await this.ou(String(row.ou.id));
        if (ou?.stedkode === stedkode) {
          this.units.set(stedkode, toUnit(ou));
          this.parents.reached.push(stedkode);
          return;
        }
      }
    }
    this.parents.unreachable.push(stedkode);
    this.o.onIssue?.({
      severity: 'INFO',
      message: `Unit ${stedkode}, the parent of ${child} by stedkode, is in Cerebrum but nobody has an affiliation there, and Cerebrum REST reaches a unit only through an affiliation: ${child} names it by key only.`,
      field: 'enhet',
      record: stedkode,
    });
  }
}

function describe(a: RawAffiliation): string {
  return `Affiliation ${a.status}${a.deleted_date ? ' (deleted)' : ''} at OU ${a.ou.id}`;
}
