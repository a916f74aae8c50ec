import DataLoader from 'dataloader';
import { dataloaderBatchSize } from '../../core/metrics';
import type { FsClient, FsQueryOptions } from './client';
import { nodesOf, type RawConnection } from './client';
import {
  connectionAt,
  Q,
  stedkodeParts,
  toProfile,
  toStudent,
  toStudyRight,
  toUnit,
  type RawProfile,
  type RawStudent,
  type RawStudyRight,
  type RawUnit,
} from './queries';
import type { FsPersonProfile, FsStudent, FsStudyRight, FsUnit } from './types';

/**
 * Per-request DataLoaders over FS GraphQL (a fresh set per GraphQL request or job). Unlike Cerebrum, FS
 * takes lists: every load made in one tick becomes ONE GraphQL operation with the list of keys
 * (`personProfiler(filter: {personlopenumre: [...]})`, `studenterGittStudentnumre(studentnumre: [...])`,
 * `programStudieretter(filter: {personlopenumre: [...]})`), so 20 aliased `person(id: "fs:…")` fields cost
 * one FS call, not 20. Batches are capped at `maxBatch` keys (default 200) to keep variables and answers
 * reasonably sized; a larger tick becomes ⌈n/200⌉ calls.
 */
export interface FsLoaderOptions extends FsQueryOptions {
  /** FS `eierOrganisasjonskode` (the institution number, e.g. '185'). */
  institution: string;
  /** Most keys per FS call. Default 200. */
  maxBatch?: number;
}

export function createFsLoaders(client: FsClient, o: FsLoaderOptions) {
  const eier = o.institution;
  const q = { stats: o.stats, signal: o.signal };
  const opts = { maxBatchSize: o.maxBatch ?? 200 };

  /** Index answers by key; keys FS does not know resolve to null (FS leaves them out of the list). */
  const byKey = <V>(keys: readonly string[], values: V[], keyOf: (v: V) => string | null | undefined): (V | null)[] => {
    const map = new Map<string, V>();
    for (const v of values) {
      const k = keyOf(v);
      if (k != null && !map.has(k)) map.set(k, v);
    }
    return keys.map((k) => map.get(k) ?? null);
  };

  /** Every page of a list-filtered connection (normally one: `first` = number of keys). */
  const all = async <N>(name: string, doc: string, vars: Record<string, unknown>, field: string, pageSize: number) => {
    const out: N[] = [];
    for await (const n of client.paginate<N>(name, doc, vars, connectionAt<N>(field), { ...q, pageSize })) out.push(n);
    return out;
  };

  return {
    /** By personlopenummer. */
    person: new DataLoader<string, FsPersonProfile | null>(async (keys) => {
      dataloaderBatchSize.observe({ source: 'FS', loader: 'person' }, keys.length);
      const raw = await all<RawProfile>(
        Q.personsByNumber.name,
        Q.personsByNumber.doc,
        { eier, numbers: keys },
        'personProfiler',
        keys.length,
      );
      return byKey(keys, raw.map(toProfile), (p) => p.personNumber);
    }, opts),

    /** By fødselsnummer (11 digits). */
    personByNationalId: new DataLoader<string, FsPersonProfile | null>(async (keys) => {
      dataloaderBatchSize.observe({ source: 'FS', loader: 'personByNationalId' }, keys.length);
      const raw = await all<RawProfile>(
        Q.personsByNationalId.name,
        Q.personsByNationalId.doc,
        { eier, ids: keys },
        'personProfiler',
        keys.length,
      );
      return byKey(keys, raw.map(toProfile), (p) => p.nationalId);
    }, opts),

    /** By studentnummer: `studenterGittStudentnumre` takes the whole list and answers a plain list. */
    student: new DataLoader<string, FsStudent | null>(async (keys) => {
      dataloaderBatchSize.observe({ source: 'FS', loader: 'student' }, keys.length);
      const data = await client.query<{ studenterGittStudentnumre: RawStudent[] }>(
        Q.studentsByNumber.name,
        Q.studentsByNumber.doc,
        { eier, numbers: keys },
        q,
      );
      return byKey(keys, (data.studenterGittStudentnumre ?? []).map(toStudent), (s) => s.studentNumber);
    }, opts),

    /** Every study right (active or not) of a person, by personlopenummer. */
    studyRights: new DataLoader<string, FsStudyRight[]>(async (keys) => {
      dataloaderBatchSize.observe({ source: 'FS', loader: 'studyRights' }, keys.length);
      const raw = await all<RawStudyRight>(
        Q.studyRightsOfPersons.name,
        Q.studyRightsOfPersons.doc,
        { eier, numbers: keys },
        'programStudieretter',
        500,
      );
      const rights = raw.map(toStudyRight);
      return keys.map((k) => rights.filter((r) => r.personNumber === k));
    }, opts),

    /** An FS organisation unit by six-digit stedkode. */
    unit: new DataLoader<string, FsUnit | null>(async (keys) => {
      dataloaderBatchSize.observe({ source: 'FS', loader: 'unit' }, keys.length);
      const valid = keys.filter((k) => /^\d{6}$/.test(k));
      if (valid.length === 0) return keys.map(() => null);
      const data = await client.query<{ organisasjonsenheter: RawConnection<RawUnit> }>(
        Q.unitsByStedkode.name,
        Q.unitsByStedkode.doc,
        { eier, stedkoder: valid, first: valid.length },
        q,
      );
      return byKey(
        keys,
        nodesOf(data.organisasjonsenheter).map((u) => toUnit(u)!),
        (u) => u.stedkode,
      );
    }, opts),
  };
}

export type FsLoaders = ReturnType<typeof createFsLoaders>;

export { stedkodeParts };
