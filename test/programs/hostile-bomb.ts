// Hostile: a memory bomb (for the sandbox's memory limit). Allocates `mib` MiB, one MiB
// at a time, and keeps every chunk alive; 0 never stops.

/** Returns the MiB allocated; with mib = 0 grows until memory.grow is refused. */
export function bomb(mib: i32): i32 {
  const keep = new Array<ArrayBuffer>();
  let total = 0;
  while (mib == 0 || total < mib) {
    const chunk = new ArrayBuffer(1 << 20);
    store<u8>(changetype<usize>(chunk), <u8>total);
    keep.push(chunk);
    total++;
  }
  return total + <i32>load<u8>(changetype<usize>(keep[0]));
}
