/**
 * Cerebrum's per-request reader: the read interfaces of ../source-module.ts over one request's CerebrumSource
 * (its loaders). Rounds: each read says in which dependency round it leaves (loaders.ts), so the request's
 * stats count how many waits deep an answer was.
 */
import type { Node } from '../../schema/node.type';
import type { Person } from '../../schema/person.type';
import type { OrganisationUnit } from '../../schema/organisation-unit.type';
import type { Affiliation } from '../../schema/affiliation.type';
import type { Account } from '../../schema/account.type';
import type { Contact, ExternalId } from '../../schema/contact.type';
import { pageOf, type Connection } from '../../schema/connections';
import { parseGlobalId } from '../../core/ids';
import { UpstreamError, badInput } from '../../core/errors';
import type { AccountDetails, PersonListQuery, Selection, SourceReader } from '../source-module';
import type { CerebrumSource, PersonPrefetch } from './source';
import { dateOf, mapAccountRef } from './mapping';

/**
 * Which person sub-resources a selection will need, so they load in the same round as the person. With a
 * linked source enabled (FS), studyRights and sameAs need the national id (an external id) to find the other
 * person. Without scope pii, `nationalId` answers null: its external ids are not fetched for it.
 */
export function personPrefetch(fields: ReadonlySet<string>, linkedEnabled = false, pii = false): PersonPrefetch {
  return {
    contacts: fields.has('contacts'),
    externalIds:
      fields.has('externalIds') ||
      (pii && fields.has('nationalId')) ||
      (linkedEnabled && (fields.has('studyRights') || fields.has('sameAs'))),
    affiliations: fields.has('affiliations'),
    accounts: fields.has('accounts') || fields.has('primaryAccount'),
  };
}

export class CerebrumRequestReader implements SourceReader {
  /** The external-id search answers once per national id and request (Cerebrum has no batch search). */
  private readonly searches = new Map<string, Promise<string[]>>();

  constructor(
    readonly source: CerebrumSource,
    private readonly today: string,
    /** Whether a source linked by national id is enabled: the look-ahead then includes the external ids. */
    private readonly linkedEnabled: () => boolean,
  ) {}

  private prefetchFor(sel: Selection): PersonPrefetch {
    return personPrefetch(sel.fields, this.linkedEnabled(), sel.pii);
  }

  // ---- global ids ----------------------------------------------------------------------------------------

  async node(type: string, nativeId: string, sel: Selection): Promise<Node | null> {
    if (type === 'person') return this.person(nativeId, sel);
    if (type === 'ou') return this.unit(type, nativeId);
    if (type === 'account') return this.account(nativeId);
    return null;
  }

  person(nativeId: string, sel: Selection): Promise<Person | null> {
    return this.source.person(nativeId, 1, this.prefetchFor(sel));
  }

  /** "cerebrum:567" is accepted as a unit id too: Cerebrum entity ids are unique across entity types. */
  unit(_type: string, nativeId: string): Promise<OrganisationUnit | null> {
    return this.source.ou(nativeId, 1);
  }

  async stedkode(_type: string, nativeId: string): Promise<string | null> {
    return (await this.source.ou(nativeId, 1))?.stedkode ?? null;
  }

  // ---- persons -------------------------------------------------------------------------------------------

  async personByNationalId(nationalId: string, sel: Selection): Promise<Person | null> {
    const ids = await this.source.personIdsByNationalId(nationalId);
    // The search answered round 1; the person record and its sub-resources are round 2.
    const first = ids[0];
    return first === undefined ? null : this.source.person(first, 2, this.prefetchFor(sel));
  }

  async personsByNationalId(nationalId: string): Promise<Person[]> {
    let ids = this.searches.get(nationalId);
    if (!ids) this.searches.set(nationalId, (ids = this.source.personIdsByNationalId(nationalId)));
    // The search answered round 1; the person records are round 2.
    const persons = await Promise.all((await ids).map((id) => this.source.person(id, 2)));
    return persons.filter((x): x is Person => x !== null);
  }

  nationalId(p: Person): Promise<string | null> {
    return this.source.nationalId(p);
  }

  contacts(p: Person): Promise<Contact[]> {
    return this.source.contacts(p);
  }

  externalIds(p: Person): Promise<ExternalId[]> {
    return this.source.externalIds(p);
  }

  affiliations(p: Person, at: string | null | undefined): Promise<Affiliation[]> {
    return this.source.affiliations(p, at ?? this.today, this.today);
  }

  accounts(p: Person): Promise<Account[]> {
    return this.source.accounts(p);
  }

  /** persons(filter: {source: CEREBRUM}): the affiliation search (by the unit's stedkode), one page of ids. */
  async listPersons(q: PersonListQuery): Promise<Connection<Person>> {
    const { filter, first, after } = q;
    if (filter?.name != null) {
      throw badInput(
        'Cerebrum REST cannot search persons by name; filter Cerebrum persons by organisationUnit instead',
      );
    }
    let location: string | undefined;
    if (filter?.organisationUnit != null) {
      const parsed = parseGlobalId(filter.organisationUnit);
      if (parsed.source !== 'cerebrum' || parsed.type !== 'ou') {
        throw badInput(
          `organisationUnit "${filter.organisationUnit}" is not a Cerebrum unit (expected "cerebrum:ou:<id>")`,
        );
      }
      const ou = await this.source.ou(parsed.nativeId, 1);
      if (!ou?.stedkode) return pageOf([], first, after);
      location = ou.stedkode;
    }
    const round = location ? 3 : 2; // ids come from the search (round 1, or 2 after the OU look-up)
    const ids = await this.source.searchPersonIds({ location }, round - 1);
    const page = pageOf(ids, first, after);
    const prefetch = this.prefetchFor(q.sel);
    const persons = await Promise.all(page.edges.map((e) => this.source.person(e.node, round, prefetch)));
    return {
      ...page,
      edges: page.edges.flatMap((e, i) => {
        const node = persons[i];
        return node ? [{ cursor: e.cursor, node }] : [];
      }),
    };
  }

  // ---- units and links -----------------------------------------------------------------------------------

  /** The affiliations held at this unit itself: one search by stedkode, then each person's affiliation list. */
  async unitAffiliations(ou: OrganisationUnit, at: string | null | undefined): Promise<Affiliation[]> {
    if (!ou.stedkode) return [];
    const round = (ou.round ?? 0) + 1;
    const ids = await this.source.searchPersonIds({ location: ou.stedkode }, round);
    const day = at ?? this.today;
    const lists = await Promise.all(
      ids.map((id) => this.source.affiliations({ nativeId: id, round: round + 1 }, day, this.today)),
    );
    return lists.flat().filter((a) => a.ouNativeId === ou.nativeId);
  }

  affiliationPerson(a: Affiliation): Promise<Person | null> {
    return this.source.person(a.personNativeId, (a.round ?? 0) + 1);
  }

  /**
   * An affiliation whose OU answers 404 keeps the affiliation: this field is null with an error on its path
   * (specs/cerebrum-rest.md, mapping rules).
   */
  async affiliationUnit(a: Affiliation): Promise<OrganisationUnit | null> {
    if (!a.ouNativeId) return null;
    const ou = await this.source.ou(a.ouNativeId, (a.round ?? 0) + 1);
    if (ou) return ou;
    throw new UpstreamError(
      'UPSTREAM_ERROR',
      'CEREBRUM',
      `Cerebrum has no OU ${a.ouNativeId}, which affiliation ${a.status} refers to (404)`,
      { status: 404, method: 'GET', path: `/v1/ous/${a.ouNativeId}` },
    );
  }

  // ---- accounts ------------------------------------------------------------------------------------------

  async account(name: string): Promise<Account | null> {
    const raw = await this.source.accountByName(name, 1);
    if (!raw) return null;
    // Prime the loader under the canonical name, so that the detail fields reuse this answer.
    this.source.loaders.account.prime(raw.name, raw);
    return mapAccountRef({ href: raw.href, id: raw.id, name: raw.name }, 0);
  }

  /** Every detail field reads the same `/v1/accounts/{name}` answer through the loader: one request per account. */
  async accountDetails(a: Account): Promise<AccountDetails | null> {
    const d = await this.source.accountDetails(a);
    if (!d) return null;
    const expireDate = dateOf(d.expire_date);
    return {
      primaryEmail: d.primary_email ?? null,
      active:
        typeof d.active === 'boolean'
          ? d.active
          : d.expire_date == null || (expireDate !== null && expireDate >= this.today),
      createdAt: d.created_at ?? d.create_date ?? null, // seed 002's older servers say create_date
      expireDate,
      contexts: d.contexts ?? [],
      ownerPersonId: d.owner?.type === 'person' ? String(d.owner.id) : null,
    };
  }

  /** The owner is read after the account details: two rounds after the account itself. */
  accountOwner(a: Account, ownerId: string): Promise<Person | null> {
    return this.source.person(ownerId, (a.round ?? 0) + 2);
  }
}
