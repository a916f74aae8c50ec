/**
 * The LOS read side: the small interface the resolvers use to read the LOS data the import job stored
 * (architecture.md convention 2). One instance per request, holding that request's loaders (loaders.ts).
 *
 * Days: every dated method takes the day explicitly; the resolvers decide the default (the `at` the parent
 * object was read for, else today in TZ), so the same rule holds at every level of an answer.
 */
import type { Queryable } from '../../../store/db';
import type { OrganisationUnit } from '../../../schema/organisation-unit.type';
import type { Person } from '../../../schema/person.type';
import type { Affiliation } from '../../../schema/affiliation.type';
import { Address, type Manager } from '../../../schema/manager.type';
import { type ClassType, Facet, type ItSystem } from '../../../schema/class.type';
import { Contact, ExternalId } from '../../../schema/contact.type';
import type { Connection } from '../../../schema/connections';
import { createLosLoaders, type LosLoaders } from './loaders';
import {
  FACETS,
  LINE_ORG_CLASS_KEY,
  SOURCE_SYSTEM,
  addressEntries,
  mapClass,
  mapEngagement,
  mapItSystem,
  mapManager,
  mapPerson,
  mapUnit,
} from './mapping';
import { isUuid, keysetPage, parseKeysetCursor } from './cursor';
import type { PersonListFilter, UnitListFilter } from './queries';
import type { ClassRow } from './rows';
import { nearestVersion, validOn, versionOn } from './versions';

/** A uuid as stored (lower case), or undefined for anything that cannot be one. */
export function normaliseUuid(s: string): string | undefined {
  return isUuid(s) ? s.toLowerCase() : undefined;
}

export class LosStoreSource {
  readonly loaders: LosLoaders;

  constructor(db: Queryable) {
    this.loaders = createLosLoaders(db);
  }

  // ---- units -------------------------------------------------------------------------------------------

  /**
   * `organisationUnit(id, at)`. With `at`: the version valid that day, or null. Without: the version valid
   * `today`, else the latest one before today, else the earliest after (versions.ts nearestVersion).
   */
  async unit(uuid: string, at: string | null | undefined, today: string): Promise<OrganisationUnit | null> {
    const id = normaliseUuid(uuid);
    if (!id) return null;
    const versions = await this.loaders.unitVersions.load(id);
    const row = at ? versionOn(versions, at) : nearestVersion(versions, today);
    return row ? mapUnit(row, at) : null;
  }

  /** A unit referred to by another object read on `day` (a parent, an engagement's unit): nearest version. */
  async unitNear(uuid: string, day: string): Promise<OrganisationUnit | null> {
    const row = nearestVersion(await this.loaders.unitVersions.load(uuid), day);
    return row ? mapUnit(row, day) : null;
  }

  /**
   * The parent as it was while this version of the unit was valid: on the unit's read day, or — for a version
   * that is not valid that day (organisationUnit(id) fell back to an older or later one) — on the day inside the
   * version nearest to it.
   */
  async parent(unit: OrganisationUnit, today: string): Promise<OrganisationUnit | null> {
    if (!unit.parentNativeId) return null;
    let day = unit.at ?? today;
    if (unit.validFrom && day < unit.validFrom) day = unit.validFrom;
    if (unit.validTo && day > unit.validTo) day = unit.validTo;
    return this.unitNear(unit.parentNativeId, day);
  }

  /** Units whose version valid on `day` has this parent, by name then uuid. */
  async children(uuid: string, day: string): Promise<OrganisationUnit[]> {
    return (await this.loaders.children.load({ uuid, at: day })).map((r) => mapUnit(r, day));
  }

  async unitType(unit: OrganisationUnit): Promise<ClassType | null> {
    return unit.unitTypeId ? this.class(unit.unitTypeId) : null;
  }

  /** The Linjeorganisation class (facet org_unit_hierarchy) for a unit in the line organisation; else none. */
  async hierarchies(unit: OrganisationUnit): Promise<ClassType[]> {
    if (!unit.lineOrg) return [];
    const row = pickByKey(await this.loaders.classesByFacet.load(FACETS.unitHierarchy), LINE_ORG_CLASS_KEY);
    return row ? [mapClass(row)] : [];
  }

  /**
   * The addresses of the version valid on `at`; without `at`, those of this very version. Each lasts as long
   * as its version (LOS keeps no validity per address). A key without a class in org_unit_address_type is left
   * out: the contract's addressType cannot be null.
   */
  async addresses(unit: OrganisationUnit, at: string | null | undefined): Promise<Address[]> {
    let version = { data: unit.addressData, from: unit.validFrom ?? null, to: unit.validTo ?? null };
    if (at && !(unit.validFrom && validOn({ valid_from: unit.validFrom, valid_to: unit.validTo ?? null }, at))) {
      const row = versionOn(await this.loaders.unitVersions.load(unit.nativeId), at);
      if (!row) return [];
      version = { data: row.addresses, from: row.valid_from, to: row.valid_to };
    }
    const entries = addressEntries(version.data);
    if (entries.length === 0) return [];
    const types = await this.loaders.classesByFacet.load(FACETS.unitAddressType);
    return entries
      .flatMap((e) => {
        const type = pickByKey(types, e.typeKey);
        if (!type) return [];
        return [
          Object.assign(new Address(), {
            addressType: mapClass(type),
            value: e.value,
            darId: e.darId,
            from: version.from,
            to: version.to,
          }),
        ];
      })
      .sort((a, b) => a.addressType.title.localeCompare(b.addressType.title));
  }

  /** Engagements at this unit itself (not its sub-units) valid on `day`. */
  async engagementsAtUnit(uuid: string, day: string): Promise<Affiliation[]> {
    return (await this.loaders.engagementsByUnit.load({ uuid, at: day })).map((r) => mapEngagement(r, day));
  }

  async managersAtUnit(uuid: string, day: string): Promise<Manager[]> {
    return (await this.loaders.managersByUnit.load({ uuid, at: day })).map((r) => mapManager(r, day));
  }

  async listUnits(
    filter: UnitListFilter,
    first: number,
    after: string | null | undefined,
    withTotal: boolean,
  ): Promise<Connection<OrganisationUnit>> {
    const keyset = parseKeysetCursor(after);
    const q = this.loaders.queries;
    const [rows, total] = await Promise.all([
      q.listUnits(filter, keyset, first + 1),
      withTotal ? q.countUnits(filter) : Promise.resolve(null),
    ]);
    return keysetPage(rows, first, (r) => mapUnit(r, filter.at), total);
  }

  // ---- persons -----------------------------------------------------------------------------------------

  async person(uuid: string, at?: string | null): Promise<Person | null> {
    const id = normaliseUuid(uuid);
    if (!id) return null;
    const row = await this.loaders.persons.load(id);
    return row ? mapPerson(row, at) : null;
  }

  async personByCpr(cpr: string): Promise<Person | null> {
    const row = await this.loaders.queries.personByCpr(cpr);
    if (!row) return null;
    this.loaders.persons.prime(row.uuid, row);
    return mapPerson(row);
  }

  contacts(p: Person): Contact[] {
    return p.email
      ? [Object.assign(new Contact(), { type: 'EMAIL', value: p.email, preference: null, sourceSystem: SOURCE_SYSTEM })]
      : [];
  }

  /** The AZ user names (IT system AZ) from the person's engagements, newest first. */
  async externalIds(p: Person): Promise<ExternalId[]> {
    const names = await this.loaders.azIds.load(p.nativeId);
    return names.map((value) => Object.assign(new ExternalId(), { type: 'AZ', value, sourceSystem: SOURCE_SYSTEM }));
  }

  /** The person's engagements valid on `day`, primary first. */
  async engagementsOfPerson(uuid: string, day: string): Promise<Affiliation[]> {
    return (await this.loaders.engagementsByPerson.load({ uuid, at: day })).map((r) => mapEngagement(r, day));
  }

  /** `readAt`: the day the listed persons count as read for (the default of their `affiliations(at)`). */
  async listPersons(
    filter: PersonListFilter,
    first: number,
    after: string | null | undefined,
    withTotal: boolean,
    readAt: string | null,
  ): Promise<Connection<Person>> {
    const keyset = parseKeysetCursor(after);
    const q = this.loaders.queries;
    const [rows, total] = await Promise.all([
      q.listPersons(filter, keyset, first + 1),
      withTotal ? q.countPersons(filter) : Promise.resolve(null),
    ]);
    for (const sorted of rows) {
      const row: Omit<typeof sorted, '_sort'> & { _sort?: string } = { ...sorted };
      delete row._sort; // the keyset's sort key is no column of the person
      this.loaders.persons.prime(row.uuid, row);
    }
    return keysetPage(rows, first, (r) => mapPerson(r, readAt), total);
  }

  // ---- classes, facets, IT systems ---------------------------------------------------------------------

  /** A class by uuid, published or not (unpublished classes stay readable by id: spec "STAM files"). */
  async class(uuid: string | null | undefined): Promise<ClassType | null> {
    const id = uuid ? normaliseUuid(uuid) : undefined;
    if (!id) return null;
    const row = await this.loaders.classes.load(id);
    return row ? mapClass(row) : null;
  }

  /** Classes of one facet (or all, facet null) by title then uuid; unpublished ones only when asked for. */
  async classes(facet: string | null | undefined, includeUnpublished: boolean): Promise<ClassType[]> {
    const rows =
      facet != null ? await this.loaders.classesByFacet.load(facet) : await this.loaders.queries.allClasses();
    return rows.filter((r) => includeUnpublished || r.published).map(mapClass);
  }

  async facets(): Promise<Facet[]> {
    return (await this.loaders.queries.facetKeys()).map((userKey) => Object.assign(new Facet(), { userKey }));
  }

  /** Published IT systems, by name. */
  async itSystems(): Promise<ItSystem[]> {
    return (await this.loaders.queries.allItSystems()).filter((r) => r.published).map(mapItSystem);
  }

  // ---- global ids --------------------------------------------------------------------------------------

  /** node(id: "los:<uuid>"): a unit (as organisationUnit(id) would answer), person, class or IT system. */
  async node(uuid: string, today: string): Promise<OrganisationUnit | Person | ClassType | ItSystem | null> {
    const id = normaliseUuid(uuid);
    if (!id) return null;
    switch (await this.loaders.kinds.load(id)) {
      case 'unit':
        return this.unit(id, null, today);
      case 'person':
        return this.person(id);
      case 'class':
        return this.class(id);
      case 'itSystem': {
        const row = await this.loaders.itSystems.load(id);
        return row ? mapItSystem(row) : null;
      }
      default:
        return null;
    }
  }
}

/** The class with this user_key in a facet's list, a published one before an unpublished one. */
function pickByKey(rows: ClassRow[], userKey: string): ClassRow | undefined {
  return rows.find((r) => r.user_key === userKey && r.published) ?? rows.find((r) => r.user_key === userKey);
}
