/**
 * LOS's per-request reader: the read interfaces of ../../source-module.ts over one request's LosStoreSource.
 * Days: a dated field's `at` defaults to the day its parent object was read for, else today in TZ (README).
 */
import type { Node } from '../../../schema/node.type';
import type { Person } from '../../../schema/person.type';
import type { OrganisationUnit } from '../../../schema/organisation-unit.type';
import type { Affiliation } from '../../../schema/affiliation.type';
import type { Address, Manager } from '../../../schema/manager.type';
import type { ClassType, Facet, ItSystem } from '../../../schema/class.type';
import type { Contact, ExternalId } from '../../../schema/contact.type';
import type { Connection } from '../../../schema/connections';
import { badInput } from '../../../core/errors';
import { parseGlobalId } from '../../../core/ids';
import type { PersonListQuery, SourceReader, UnitListQuery } from '../../source-module';
import { normaliseUuid, type LosStoreSource } from './source';

/** The uuid of a LOS unit's global id given as a filter value; bad input for anything else. */
export function losUnitUuid(id: string, what: string): string {
  const parsed = parseGlobalId(id);
  const uuid = parsed.source === 'los' && parsed.type === '' ? normaliseUuid(parsed.nativeId) : undefined;
  if (!uuid) throw badInput(`${what} "${id}" is not a LOS unit (expected "los:<uuid>")`);
  return uuid;
}

export class LosRequestReader implements SourceReader {
  constructor(
    readonly los: LosStoreSource,
    private readonly today: string,
  ) {}

  /** The day a dated sub-field of a unit is read for. */
  private dayOf(ou: OrganisationUnit, at: string | null | undefined): string {
    return at ?? ou.at ?? this.today;
  }

  node(_type: string, nativeId: string): Promise<Node | null> {
    return this.los.node(nativeId, this.today);
  }

  // ---- persons -------------------------------------------------------------------------------------------

  person(nativeId: string): Promise<Person | null> {
    return this.los.person(nativeId);
  }

  /** LOS holds Danish CPR numbers (10 digits). */
  personByNationalId(nationalId: string): Promise<Person | null> {
    return this.los.personByCpr(nationalId);
  }

  contacts(p: Person): Promise<Contact[]> {
    return Promise.resolve(this.los.contacts(p));
  }

  externalIds(p: Person): Promise<ExternalId[]> {
    return this.los.externalIds(p);
  }

  /** `at` defaults to the day the person was read for (persons(filter: {organisationUnit, at})), else today. */
  affiliations(p: Person, at: string | null | undefined): Promise<Affiliation[]> {
    return this.los.engagementsOfPerson(p.nativeId, at ?? p.at ?? this.today);
  }

  /** Keyset pages over the stored persons; by unit: those with an engagement valid on `at` at that unit. */
  listPersons(q: PersonListQuery): Promise<Connection<Person>> {
    const { filter } = q;
    const unitUuid =
      filter?.organisationUnit != null ? losUnitUuid(filter.organisationUnit, 'organisationUnit') : undefined;
    const at = filter?.at ?? this.today;
    return this.los.listPersons(
      { unitUuid, at, name: filter?.name ?? undefined },
      q.first,
      q.after,
      q.connectionFields.has('totalCount'),
      // Persons found through their engagements on a day are read for that day (their affiliations' default).
      unitUuid ? at : (filter?.at ?? null),
    );
  }

  // ---- units ---------------------------------------------------------------------------------------------

  unit(_type: string, nativeId: string, at: string | null | undefined): Promise<OrganisationUnit | null> {
    return this.los.unit(nativeId, at, this.today);
  }

  parent(ou: OrganisationUnit): Promise<OrganisationUnit | null> {
    return this.los.parent(ou, this.today);
  }

  children(ou: OrganisationUnit, at: string | null | undefined): Promise<OrganisationUnit[]> {
    return this.los.children(ou.nativeId, this.dayOf(ou, at));
  }

  unitType(ou: OrganisationUnit): Promise<ClassType | null> {
    return this.los.unitType(ou);
  }

  hierarchies(ou: OrganisationUnit): Promise<ClassType[]> {
    return this.los.hierarchies(ou);
  }

  addresses(ou: OrganisationUnit, at: string | null | undefined): Promise<Address[]> {
    return this.los.addresses(ou, at);
  }

  unitAffiliations(ou: OrganisationUnit, at: string | null | undefined): Promise<Affiliation[]> {
    return this.los.engagementsAtUnit(ou.nativeId, this.dayOf(ou, at));
  }

  managers(ou: OrganisationUnit, at: string | null | undefined): Promise<Manager[]> {
    return this.los.managersAtUnit(ou.nativeId, this.dayOf(ou, at));
  }

  listUnits(q: UnitListQuery): Promise<Connection<OrganisationUnit>> {
    const { filter } = q;
    const parentUuid = filter?.parent != null ? losUnitUuid(filter.parent, 'filter.parent') : undefined;
    return this.los.listUnits(
      { at: filter?.at ?? this.today, parentUuid, roots: filter?.roots ?? undefined, name: filter?.name ?? undefined },
      q.first,
      q.after,
      q.connectionFields.has('totalCount'),
    );
  }

  // ---- links ---------------------------------------------------------------------------------------------

  async affiliationPerson(a: Affiliation): Promise<Person | null> {
    const person = await this.los.person(a.personNativeId, a.at);
    // los_engagements.person_uuid references los_persons: a miss means the store is broken, not the request.
    if (!person) throw new Error(`LOS engagement ${a.id} refers to a person the store does not have`);
    return person;
  }

  /** The unit as it was on the day the engagement was read for (or its nearest version). */
  async affiliationUnit(a: Affiliation): Promise<OrganisationUnit | null> {
    return a.ouNativeId ? this.los.unitNear(a.ouNativeId, a.at ?? this.today) : null;
  }

  async managerPerson(m: Manager): Promise<Person | null> {
    return m.personNativeId ? this.los.person(m.personNativeId, m.at) : null;
  }

  /** The unit as it was on the day the manager was read for. */
  managerUnit(m: Manager): Promise<OrganisationUnit | null> {
    return this.los.unitNear(m.ouNativeId, m.at ?? this.today);
  }

  class(id: string | null | undefined): Promise<ClassType | null> {
    return this.los.class(id);
  }

  // ---- classes -------------------------------------------------------------------------------------------

  facets(): Promise<Facet[]> {
    return this.los.facets();
  }

  classes(facet: string | null | undefined, includeUnpublished: boolean): Promise<ClassType[]> {
    return this.los.classes(facet, includeUnpublished);
  }

  itSystems(): Promise<ItSystem[]> {
    return this.los.itSystems();
  }
}
