// Map and Set from the standard library: a sliding count of pseudo-random
// keys in a Map<i32, i32>, a Set<string> of key names, and deletions, so
// the hash tables grow, rehash and shrink.

/** Feeds `n` pseudo-random keys in [0, range) through a Map and a Set; returns a digest. */
export function mapSet(n: i32, range: i32): i32 {
  const counts = new Map<i32, i32>();
  const names = new Set<string>();
  let x: u32 = 2463534242;
  let digest = 0;
  for (let i = 0; i < n; i++) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const key = <i32>(x % <u32>range);
    const c = counts.has(key) ? counts.get(key) + 1 : 1;
    if (c == 3) {
      counts.delete(key);
      names.delete("k" + key.toString());
    } else {
      counts.set(key, c);
      if (key % 4 == 0) names.add("k" + key.toString());
    }
    digest = digest * 31 + counts.size * 7 + names.size;
  }
  const keys = counts.keys();
  for (let i = 0; i < keys.length; i++) digest ^= keys[i] * counts.get(keys[i]);
  return digest;
}
