/**
 * Opens the embedded store of CHILD_DATA_DIR the way `npm run serve` does (openStore, production settings), and
 * sends {rssMB, settings}: this process's resident memory once the store is open and migrated, and the PostgreSQL
 * memory settings PGlite runs with. Forked by test/pglite-memory.spec.ts.
 */
import { openStore } from '../../store/db';

const SETTINGS = ['shared_buffers', 'wal_buffers', 'work_mem', 'maintenance_work_mem', 'temp_buffers'];

async function main(): Promise<void> {
  const db = await openStore({ dataDir: process.env.CHILD_DATA_DIR });
  const settings: Record<string, string> = {};
  for (const name of SETTINGS) settings[name] = (await db.query(`SELECT current_setting($1) AS v`, [name])).rows[0].v;
  const rssMB = process.memoryUsage().rss / 1048576;
  await db.close();
  process.send!({ rssMB, settings }, () => process.exit(0));
}

main().catch((err) => {
  process.send!({ error: (err as Error).message }, () => process.exit(1));
});
