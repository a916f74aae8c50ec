/**
 * FS_SAMPLE with every person checked present. simulators/data/fs-sample.ts looks its persons up by key in a
 * Record<string, SampleHuman>, so under noUncheckedIndexedAccess each one is typed `SampleHuman | undefined`;
 * this checks them once, at load (a person fs-people.ts lost fails here by name), and types them as present.
 */
import { FS_SAMPLE as SAMPLE } from '../../simulators/fs';

type Present<T> = {
  readonly [K in keyof T]: T[K] extends readonly (infer E)[]
    ? readonly Exclude<E, undefined>[]
    : Exclude<T[K], undefined>;
};

for (const [key, value] of Object.entries(SAMPLE)) {
  if (value === undefined || (Array.isArray(value) && value.some((v: unknown) => v === undefined)))
    throw new Error(`FS_SAMPLE.${key} names a person simulators/data/fs-people.ts does not define`);
}

export const FS_SAMPLE = SAMPLE as Present<typeof SAMPLE>;
