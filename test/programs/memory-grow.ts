// Grows linear memory a lot: each round allocates `megabytes` MiB of
// Float64Array chunks, keeps them all alive until the round ends, fills and
// sums them. With the default runtime the previous round's chunks become
// garbage and memory stays near `megabytes` MiB; with --runtime stub nothing
// is freed, so memory use is about megabytes * rounds MiB.

const CHUNK_BYTES: i32 = 1 << 20;
const CHUNK_LEN: i32 = CHUNK_BYTES / 8;

/** Allocates `megabytes` MiB per round for `rounds` rounds; returns a checksum of the contents. */
export function growMemory(megabytes: i32, rounds: i32): f64 {
  let checksum: f64 = 0;
  for (let r = 0; r < rounds; r++) {
    const chunks = new Array<Float64Array>();
    for (let c = 0; c < megabytes; c++) {
      const chunk = new Float64Array(CHUNK_LEN);
      for (let i = 0; i < CHUNK_LEN; i++) {
        chunk[i] = <f64>(c * 3 + r) + <f64>(i & 1023) * 0.5;
      }
      chunks.push(chunk);
    }
    // Read everything back only once all chunks exist, so they are live together.
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c];
      for (let i = 0; i < CHUNK_LEN; i++) {
        checksum += chunk[i] * <f64>(c + 1);
      }
    }
  }
  return checksum;
}
