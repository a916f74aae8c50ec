import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeLosDelivery } from './data/los-sample';
import { startLosFtpSimulator } from './los-ftp';
import { startDarSimulator, type DarBookEntry } from './dar';
import { readCsv } from '../datasources/los/csv';
import { uuidV5 } from '../datasources/los/ids';

/** Namespace of the demo's DAR ids (any fixed UUID). */
const DAR_NS = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

/** Every PostAdresse text in the Org files of a delivery folder. */
export async function postAddressesIn(dir: string): Promise<Set<string>> {
  const texts = new Set<string>();
  for (const name of (await fs.readdir(dir)).filter((n) => n.startsWith('Org_'))) {
    for await (const row of readCsv(createReadStream(join(dir, name)), name, { columns: null })) {
      if (row.record.PostAdresse) texts.add(row.record.PostAdresse);
    }
  }
  return texts;
}

/** A DAR address book that knows every given text (kategori A), but the first `unknown` in sort order (C). */
export function darBookFor(texts: Iterable<string>, unknown = 0): Record<string, DarBookEntry> {
  const book: Record<string, DarBookEntry> = {};
  [...texts].sort().forEach((t, i) => {
    book[t] = { id: uuidV5(t, DAR_NS), betegnelse: t, kategori: i < unknown ? 'C' : 'A' };
  });
  return book;
}

/**
 * The demo's LOS side: a small municipality's delivery (written once under DATA_DIR/demo-los), served by the
 * FTP simulator, and a DAR simulator that knows its addresses (one left unknown, to show an issue).
 */
export async function startLosDemoSources(
  dataDir: string,
): Promise<{ ftpUrl: string; darUrl: string; stop(): Promise<void> }> {
  const dir = join(dataDir, 'demo-los');
  if (!existsSync(join(dir, '.complete'))) {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    await writeLosDelivery(dir, { units: 40, engagements: 150, managers: 15, days: 3 });
    await fs.writeFile(join(dir, '.complete'), new Date().toISOString());
  }
  const ftp = await startLosFtpSimulator({ root: dir });
  const dar = await startDarSimulator({ addresses: darBookFor(await postAddressesIn(dir), 1) });
  return {
    ftpUrl: ftp.url,
    darUrl: dar.url,
    async stop() {
      await ftp.stop();
      await dar.stop();
    },
  };
}
