// Bench program: a fragment over `kib` KiB that rewrites one 4 KiB stretch per step,
// walking through the buffer, so that between two pauses only a few pages change (issue
// 19's route diffs: what a hub that held the state some hops ago still needs). Returns a
// hash of the whole buffer, so a page that arrived stale anywhere changes the result.
export function walk(kib: i32, steps: i32): i32 {
  const words = (kib << 10) >> 2;
  const buf = new Int32Array(words);
  const stretches = words >> 10;
  for (let s = 0; s < steps; s++) {
    const at = (s % stretches) << 10;
    for (let i = 0; i < 1024; i++) buf[at + i] = buf[at + i] * 3 + s + i;
  }
  let h: i32 = 0x811c9dc5;
  for (let i = 0; i < words; i++) h = (h ^ buf[i]) * 0x01000193;
  return h;
}
