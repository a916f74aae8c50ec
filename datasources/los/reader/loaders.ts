import DataLoader from 'dataloader';
import type { Queryable } from '../../../store/db';
import { LosQueries } from './queries';
import type { ClassRow, DatedKey, EngagementRow, ItSystemRow, LosKind, ManagerRow, PersonRow, UnitRow } from './rows';

/**
 * Per-request DataLoaders over the stored LOS data (a fresh set per GraphQL request: the DataLoader README's
 * pattern, architecture.md convention 3). Every `load` made while one level of the answer resolves is
 * collected into one SQL statement (queries.ts), so a query costs one statement per level and loader, not
 * one per row.
 *
 * A key holds everything that changes the answer: the uuid, and for the dated look-ups the day (`uuid|at`).
 * `unitVersions` is keyed by uuid alone because it answers every version of the unit; which version is wanted
 * on a day is picked from that list (versions.ts) without another query.
 */
export function createLosLoaders(db: Queryable) {
  const q = new LosQueries(db);
  const dated = { cacheKeyFn: (k: DatedKey) => `${k.uuid}|${k.at}` };
  const classes = new DataLoader<string, ClassRow | null>((uuids) => q.classes(uuids));
  return {
    queries: q,
    unitVersions: new DataLoader<string, UnitRow[]>((uuids) => q.unitVersions(uuids)),
    children: new DataLoader<DatedKey, UnitRow[], string>((keys) => q.childrenAt(keys), dated),
    engagementsByUnit: new DataLoader<DatedKey, EngagementRow[], string>((keys) => q.engagementsByUnitAt(keys), dated),
    engagementsByPerson: new DataLoader<DatedKey, EngagementRow[], string>(
      (keys) => q.engagementsByPersonAt(keys),
      dated,
    ),
    managersByUnit: new DataLoader<DatedKey, ManagerRow[], string>((keys) => q.managersByUnitAt(keys), dated),
    persons: new DataLoader<string, PersonRow | null>((uuids) => q.persons(uuids)),
    azIds: new DataLoader<string, string[]>((uuids) => q.azIds(uuids)),
    classes,
    /** Every class of a facet, unpublished ones included; the rows also fill the by-uuid loader. */
    classesByFacet: new DataLoader<string, ClassRow[]>(async (facets) => {
      const lists = await q.classesByFacet(facets);
      for (const row of lists.flat()) classes.prime(row.uuid, row);
      return lists;
    }),
    itSystems: new DataLoader<string, ItSystemRow | null>((uuids) => q.itSystems(uuids)),
    kinds: new DataLoader<string, LosKind | null>((uuids) => q.kinds(uuids)),
  };
}

export type LosLoaders = ReturnType<typeof createLosLoaders>;
