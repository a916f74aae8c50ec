/** FS (Felles studentsystem) as a source module (../source-module.ts): one GraphQL client, one FsSource per request. */
import type { Config } from '../../core/config';
import { badInput } from '../../core/errors';
import { parseGlobalId } from '../../core/ids';
import { Source } from '../../schema/enums';
import type { SourceInstance, SourceModule } from '../source-module';
import { FsClient } from './client';
import { FsSource } from './source';
import { FsRequestReader } from './reader';

export interface FsInstance extends SourceInstance {
  client: FsClient;
}

export const fsModule: SourceModule<NonNullable<Config['fs']>, FsInstance> = {
  name: 'FS',
  prefix: 'fs',
  source: Source.FS,
  setting: 'FS_URL',
  settings: (config) => config.fs,
  create(settings, { logger }) {
    const client = new FsClient({
      url: settings.url,
      username: settings.username,
      password: settings.password,
      logger: logger.child({ source: 'FS' }),
    });
    return {
      client,
      reader: (req) => new FsRequestReader(new FsSource(client, { signal: req.signal })),
      readiness: [
        {
          name: 'fs',
          setting: 'FS_URL',
          check: async () => void (await client.query('FsPing', 'query FsPing { __typename }')),
        },
      ],
      close: () => client.close(),
    };
  },
  ids: { person: [''], unit: ['ou'], node: ['', 'ou'] },
  linkedByNationalId: ['cerebrum'],
  // FS keys persons by the 11-digit fødselsnummer.
  holdsNationalId: (nid) => nid.length === 11,
  /** A unit filter is an FS unit (its stedkode) or a Cerebrum unit (read for its stedkode). */
  checkPersonFilter(filter) {
    if (filter?.organisationUnit == null) return;
    const parsed = parseGlobalId(filter.organisationUnit);
    if (parsed.source === 'fs' && parsed.type === 'ou' && /^\d{6}$/.test(parsed.nativeId)) return;
    if (parsed.source === 'cerebrum' && parsed.type === 'ou') return;
    throw badInput(
      `organisationUnit "${filter.organisationUnit}" is neither a Cerebrum unit ("cerebrum:ou:<id>") nor an FS unit ("fs:ou:<stedkode>")`,
    );
  },
};
