/**
 * THE list of sources (architecture.md). Adding a read-only source: its folder under datasources/ exporting a
 * SourceModule (./source-module.ts) and one line here. The server builds every module of this list whose
 * settings are present; the order is the order of their /readyz checks and of the default choices (persons()
 * without a source lists the first enabled source that lists persons by default).
 */
import type { SourceModule } from './source-module';
import { cerebrumModule } from './cerebrum/module';
import { fsModule } from './fs/module';
import { losModule } from './los/module';

export const defaultSources: readonly SourceModule[] = [cerebrumModule, fsModule, losModule];

export type * from './source-module';
export { RequestSources, warnSourceDisabled } from './source-module';
