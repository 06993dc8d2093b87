/**
 * Seeded pseudo-random numbers (xorshift32), the one generator the runtime uses: the
 * same sequence every run, so a policy comparison or a failed self-test can be repeated.
 *   const u = xorshift32(7);  u();  // a u32
 *   const r = uniform(7);     r();  // in [0, 1)
 */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

export function uniform(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 4294967296;
}
