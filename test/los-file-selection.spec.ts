/**
 * LOS file selection by the files met, not by a clock (issue 10 item 4), through the FTP simulator (ftp-srv)
 * with modification times set in the past, on PGlite: a delivery whose times lie before the last run (a server
 * clock behind ours, `rsync -t`, `scp -p`) is still applied; a file dated before files already applied is refused
 * with an error issue, once, and changes nothing.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { runLosImport } from '../jobs/los-import/los-import';
import type { Db } from '../store/db';
import { fakeRun, losSnapshot, memoryStore, startLosBed, type LosBed } from './helpers/los-delivery';
import { nth } from './helpers/defined';

describe('LOS file selection through FTP, with modification times in the past', () => {
  let bed: LosBed;
  let db: Db;
  beforeAll(async () => {
    bed = await startLosBed({ days: 3 });
    db = await memoryStore();
  });
  afterAll(async () => {
    await db?.close();
    await bed?.stop();
  });

  const run = () => {
    const r = fakeRun(db, { LOS_FTP_URL: bed.ftp.url, DAR_URL: bed.dar.url });
    return runLosImport(r.ctx).then((out) => ({ ...out, issues: r.issues }));
  };
  /** Delivers a day's files and gives them a modification time long before any run (as `rsync -t` may). */
  const deliverBackdated = async (day: number) => {
    await bed.deliver(day);
    const past = new Date('2001-02-03T04:05:06Z');
    for (const name of nth(bed.manifest.days, day).files) await fs.utimes(join(bed.root, name), past, past);
  };
  const recorded = async () =>
    (await db.query('SELECT name, size, outcome, reason FROM los_files ORDER BY name')).rows as {
      name: string;
      size: string | number | null;
      outcome: string;
      reason: string | null;
    }[];
  const appliedNames = (out: { result: { details?: Record<string, unknown> } }) =>
    (out.result.details as { files: { name: string }[] }).files.map((f) => f.name);

  it('applies a day whose files carry times before the last run, and records each file with its size', async () => {
    await bed.deliver(0);
    await run();
    await deliverBackdated(1);
    const out = await run();
    expect(appliedNames(out).sort()).toEqual([...nth(bed.manifest.days, 1).files].sort());
    const rows = await recorded();
    for (const name of nth(bed.manifest.days, 1).files) {
      const size = (await fs.stat(join(bed.root, name))).size;
      expect(rows.find((r) => r.name === name)).toEqual({
        name,
        size: expect.anything(),
        outcome: 'applied',
        reason: null,
      });
      expect(Number(rows.find((r) => r.name === name)!.size)).toBe(size);
    }
    // Met once: the next run reads nothing.
    expect((await run()).message).toBe('No new LOS files since the last import.');
  });

  it('refuses a day delivered after a later one was applied, with an error naming the files, once; nothing changes', async () => {
    await bed.deliver(3);
    const day3 = await run();
    expect(appliedNames(day3).sort()).toEqual([...nth(bed.manifest.days, 3).files].sort());
    const before = await losSnapshot(db);

    await deliverBackdated(2); // day 2 turns up late
    const late = await run();
    const day2 = [...nth(bed.manifest.days, 2).files].sort();
    expect(appliedNames(late)).toEqual([]);
    expect(late.message).toBe(`No LOS file applied: ${day2.length} new file(s) refused (see issues).`);
    expect((late.result.details as { refused: string[] }).refused.sort()).toEqual(day2);
    const errors = late.issues.filter((i) => i.severity === 'ERROR');
    expect(errors.map((i) => i.file).sort()).toEqual(day2);
    for (const e of errors) {
      expect(e.message).toMatch(
        /^File not applied: it is dated \d{4}-\d{2}-\d{2} \(stamp \d{14}\) and comes before \S+\.csv, which is already applied; .*Have its changes delivered again in a new file dated after \d{4}-\d{2}-\d{2}\.$/,
      );
    }
    expect(await losSnapshot(db)).toBe(before);
    expect(
      (await recorded())
        .filter((r) => r.outcome === 'refused')
        .map((r) => r.name)
        .sort(),
    ).toEqual(day2);

    // Reported once: the next run has nothing to say about them.
    const next = await run();
    expect(next.message).toBe('No new LOS files since the last import.');
    expect(next.issues.filter((i) => i.severity === 'ERROR')).toEqual([]);
  });
});
