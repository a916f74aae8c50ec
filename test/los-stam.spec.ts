/**
 * STAM files and the first run's placeholders (issue 10 item 5; seed 000's table of placeholder classes and its
 * AZ IT system): a STAM delivery that lacks them never unpublishes them. Through the FTP simulator, on PGlite.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { runLosImport } from '../jobs/los-import/los-import';
import { SEED_IT_SYSTEM } from '../jobs/los-import/los-seed';
import { seedUuid } from '../datasources/los/ids';
import type { Db } from '../store/db';
import { fakeRun, memoryStore, startLosBed, type LosBed } from './helpers/los-delivery';
import { first } from './helpers/defined';

describe('LOS STAM files and the seed placeholders', () => {
  let bed: LosBed;
  let db: Db;
  beforeAll(async () => {
    bed = await startLosBed({ days: 1 });
    db = await memoryStore();
  });
  afterAll(async () => {
    await db?.close();
    await bed?.stop();
  });

  const published = async (table: 'los_classes' | 'los_it_systems', uuid: string) =>
    (await db.query(`SELECT published FROM ${table} WHERE uuid = $1`, [uuid])).rows[0]?.published as
      boolean | undefined;
  const placeholder = seedUuid('class', 'association_type/Tilknytningsrolle');

  it('a STAM_UUID_Tilknytningsrolle.csv without the placeholder unpublishes the class it dropped, not the placeholder; AZ stays too', async () => {
    await bed.deliver(0);
    await runLosImport(fakeRun(db, { LOS_FTP_URL: bed.ftp.url, DAR_URL: bed.dar.url }).ctx);
    expect(await published('los_classes', placeholder)).toBe(true);
    expect(await published('los_classes', seedUuid('class', 'role_type/Rolletype'))).toBe(true);
    expect(await published('los_classes', seedUuid('class', 'leave_type/Orlovsrolle'))).toBe(true);
    expect(await published('los_it_systems', SEED_IT_SYSTEM)).toBe(true);

    // A new Tilknytningsrolle file: its last class dropped (and, as always, no placeholder); a new IT system file
    // with only its first system (never AZ, which is the seed's).
    const shorten = async (name: string, keep: number) => {
      const path = join(bed.root, name);
      const lines = (await fs.readFile(path, 'utf8')).split(/\r?\n/).filter(Boolean);
      const dropped = lines.slice(keep + 1);
      await fs.writeFile(path, `${lines.slice(0, keep + 1).join('\r\n')}\r\n`);
      const later = new Date(Date.now() + 60_000);
      await fs.utimes(path, later, later);
      expect(dropped).toHaveLength(1);
      return /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(first(dropped))![0].toLowerCase();
    };
    const droppedRole = await shorten('STAM_UUID_Tilknytningsrolle.csv', 2);
    const droppedSystem = await shorten('STAM_UUID_ITSystem.csv', 2);

    const run = fakeRun(db, { LOS_FTP_URL: bed.ftp.url, DAR_URL: bed.dar.url });
    const out = await runLosImport(run.ctx);
    expect(out.result.details).toMatchObject({
      files: expect.arrayContaining([expect.objectContaining({ name: 'STAM_UUID_Tilknytningsrolle.csv' })]),
    });
    expect(await published('los_classes', droppedRole)).toBe(false);
    expect(await published('los_it_systems', droppedSystem)).toBe(false);
    expect(out.result.terminated).toBe(2);
    // The seed's stay.
    expect(await published('los_classes', placeholder)).toBe(true);
    expect(await published('los_it_systems', SEED_IT_SYSTEM)).toBe(true);
  });
});
