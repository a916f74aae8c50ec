import 'reflect-metadata';
import { openStore } from '../store/db';
import { runLosImport } from '../jobs/los-import/los-import';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';

/**
 * One LOS import in its own process (the "worker" of the benchmark), so its peak RSS is the import's alone.
 * Settings from the environment (LOS_FTP_URL, DAR_URL, DATABASE_URL or DATA_DIR, BENCH_SCHEMA); the result
 * goes back over IPC.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { mode: 'worker' });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: process.env.BENCH_SCHEMA,
  });
  if (process.env.BENCH_RESET_LOS) {
    // Forget the imported LOS data and the import mark, keep the DAR cache. CASCADE: tables of later issues
    // (UNI-Login local ids) reference the LOS persons.
    await store.query(`TRUNCATE los_managers, los_engagements, los_persons, los_org_units, los_classes, los_facets, los_it_systems,
      los_organisation, los_files CASCADE`);
    await store.query(`DELETE FROM sync_state WHERE key LIKE 'los.%'`);
  }
  let issues = 0;
  const t0 = performance.now();
  const out = await runLosImport({
    jobId: 'bench',
    kind: 'LOS_IMPORT',
    dryRun: false,
    params: {},
    attempt: 1,
    signal: new AbortController().signal,
    store,
    config,
    logger: createLogger('silent'),
    progress: () => undefined,
    issue: () => {
      issues++;
    },
  });
  const ms = performance.now() - t0;
  await store.close();
  const files = (out.result.details as { files: { rows: number }[] }).files;
  process.send!({
    ms,
    issues,
    rows: files.reduce((n, f) => n + f.rows, 0),
    files: files.length,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    result: out.result,
    darRequests: (out.result.details as any).dar?.requests ?? 0,
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
