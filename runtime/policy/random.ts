/**
 * Seeded uniform numbers in [0, 1) (xorshift32): policies and the simulator take a seed so
 * that a run, and so a comparison between policies, can be repeated exactly.
 *   const r = uniform(7);  r();  // 0.0000...
 */
export function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}
