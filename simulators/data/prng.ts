/** mulberry32: a tiny, fast seeded PRNG, good enough for varied but reproducible sample data. Returns [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `xs[i]` for an index the caller knows is in range (a modulo of the length, a seeded pick from a fixed list);
 * a clear error if it is not, where a bare `xs[i]` would hand on `undefined`.
 */
export function itemAt<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new RangeError(`No item ${i} in a list of ${xs.length}`);
  return x;
}
