import { benchCerebrum } from './cerebrum';
import { benchLosImport } from './los-import';
import { benchFsImport } from './fs-import';
import { benchCristinExport } from './cristin-export';
import { benchUniLoginExport } from './unilogin-export';
import { benchFederation } from './federation';
import { benchEvents } from './events';
import { benchCristinIncremental } from './cristin-incremental';
import { benchMemory } from './memory';

/** `npm run bench`: every benchmark in turn, each printing its table beside its baseline. */
async function main(): Promise<void> {
  const only = process.argv[2];
  const benches: Record<string, () => Promise<unknown>> = {
    cerebrum: benchCerebrum,
    'los-import': benchLosImport,
    'cristin-export': benchCristinExport,
    'fs-import': benchFsImport,
    'unilogin-export': benchUniLoginExport,
    federation: benchFederation,
    events: benchEvents,
    'cristin-incremental': benchCristinIncremental,
    memory: benchMemory,
  };
  for (const [name, run] of Object.entries(benches)) {
    if (only && only !== name) continue;
    await run();
  }
}

main().catch((e) => {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exit(1);
});
