/**
 * The incremental Cristin export's state as the store keeps it (store/cristin-snapshot.repo.ts), typed with the
 * Cristin file's records (datasources/cristin/document.ts): the store knows only a unit's stedkode.
 */
import {
  CristinSnapshotRepo as StoreCristinSnapshotRepo,
  type CristinSnapshot as StoreCristinSnapshot,
  type SnapshotPerson as StoreSnapshotPerson,
} from '../../store/cristin-snapshot.repo';
import type { CristinPerson, CristinUnit } from '../../datasources/cristin/document';

export { storeNow, type PendingChanges, type PendingType } from '../../store/cristin-snapshot.repo';

export type SnapshotPerson = StoreSnapshotPerson<CristinPerson>;
export type CristinSnapshot = StoreCristinSnapshot<CristinPerson, CristinUnit>;

export class CristinSnapshotRepo extends StoreCristinSnapshotRepo<CristinPerson, CristinUnit> {}
