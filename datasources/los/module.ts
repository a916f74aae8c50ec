/**
 * LOS (Aarhus) as a source module (../source-module.ts). Reads come from the store, which the LOS import
 * (jobs/los-import/, over ./ftp.ts and ./csv.ts) fills: the source is enabled whenever the process has a store.
 */
import { Source } from '../../schema/enums';
import type { Db } from '../../store/db';
import type { SourceModule } from '../source-module';
import { LosStoreSource } from './reader/source';
import { LosRequestReader, losUnitUuid } from './reader/request';

export const losModule: SourceModule<Db> = {
  name: 'LOS',
  prefix: 'los',
  source: Source.LOS,
  setting: 'the store',
  settings: (_config, { store }) => store,
  create: (store) => ({
    reader: (req) => new LosRequestReader(new LosStoreSource(store), req.today),
    // The store's own /readyz check is the server's (it serves more than LOS).
  }),
  ids: { person: [''], unit: [''], node: [''] },
  holdsNationalId: (nid) => nid.length === 10,
  nationalIdFirst: true,
  defaultPersonList: true,
  listsUnits: true,
  servesClasses: true,
  checkPersonFilter(filter) {
    if (filter?.organisationUnit != null) losUnitUuid(filter.organisationUnit, 'organisationUnit');
  },
  checkUnitFilter(filter) {
    if (filter?.parent != null) losUnitUuid(filter.parent, 'filter.parent');
  },
};
