// SHA-256 (FIPS 180-4), written the way hash libraries are: a streaming hasher with
// module-level state (`reset` / `update` / `final`), plus one-shot helpers over byte
// buffers built inside the module. Top-level code sets the state up, so `update` or
// `final` called alone on a fresh instance hashes from the standard initial value, as
// a library does when its user forgets `reset`. Results are digest words (big-endian,
// as `sha256sum` prints them), so they can be checked against any SHA-256.
//
//   npx weave build examples/sha256.ts -o build/sha256.wasm
//   npx weave run build/sha256.wasm 97 1000 --entry digestOfRepeated   # sha256("a" * 1000), first word
//   npx weave run build/sha256.wasm 200 --entry hashChain              # sha256 applied 200 times
//   npx weave run build/sha256.wasm 40 7 0 --entry streamDigest        # reset, updates, final in one job

// Round constants: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes.
const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const IV: StaticArray<u32> = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** A streaming SHA-256: feed bytes with `write`, read the digest with `finish`. */
class Sha256 {
  h: StaticArray<u32> = new StaticArray<u32>(8);
  block: Uint8Array = new Uint8Array(64);
  w: StaticArray<u32> = new StaticArray<u32>(64);
  filled: i32 = 0;
  length: u64 = 0;
  digest: StaticArray<u32> = new StaticArray<u32>(8);

  constructor() {
    this.reset();
  }

  reset(): void {
    for (let i = 0; i < 8; i++) this.h[i] = IV[i];
    this.filled = 0;
    this.length = 0;
  }

  write(byte: u8): void {
    this.block[this.filled++] = byte;
    this.length++;
    if (this.filled == 64) {
      this.compress();
      this.filled = 0;
    }
  }

  writeAll(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.write(bytes[i]);
  }

  /** Pads, compresses the last block(s) and leaves the digest in `digest`; the hasher is reset. */
  finish(): StaticArray<u32> {
    const bits = this.length << 3;
    this.write(0x80);
    while (this.filled != 56) this.write(0);
    // The length goes in big-endian; `write` would count these bytes, so store them directly.
    for (let i = 7; i >= 0; i--) this.block[this.filled++] = <u8>(bits >> (<u64>i * 8));
    this.compress();
    for (let i = 0; i < 8; i++) this.digest[i] = this.h[i];
    this.reset();
    return this.digest;
  }

  private compress(): void {
    const w = this.w;
    const b = this.block;
    for (let t = 0; t < 16; t++) {
      const j = t * 4;
      w[t] = (<u32>b[j] << 24) | (<u32>b[j + 1] << 16) | (<u32>b[j + 2] << 8) | <u32>b[j + 3];
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15];
      const y = w[t - 2];
      const s0 = ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
      const s1 = ror(y, 17) ^ ror(y, 19) ^ (y >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    let a = this.h[0], c1 = this.h[1], c2 = this.h[2], d = this.h[3];
    let e = this.h[4], f = this.h[5], g = this.h[6], hh = this.h[7];
    for (let t = 0; t < 64; t++) {
      const t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
      const t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & c1) ^ (a & c2) ^ (c1 & c2));
      hh = g; g = f; f = e; e = d + t1;
      d = c2; c2 = c1; c1 = a; a = t1 + t2;
    }
    this.h[0] += a; this.h[1] += c1; this.h[2] += c2; this.h[3] += d;
    this.h[4] += e; this.h[5] += f; this.h[6] += g; this.h[7] += hh;
  }
}

// @inline keeps the rotation a single instruction in the hot loop, as a library would.
// @ts-ignore: decorator
@inline function ror(x: u32, n: u32): u32 {
  return rotr<u32>(x, n);
}

/** The streaming state `reset`/`update`/`final` share, ready to use before any `reset`. */
const stream = new Sha256();
let streamed: i64 = 0;

/** Starts a new stream (discards anything fed since the last `final`). */
export function reset(): void {
  stream.reset();
  streamed = 0;
}

/** Feeds `count` copies of `byte`; returns the bytes fed since the last `reset`/`final`. */
export function update(byte: u8, count: i32): i32 {
  for (let i = 0; i < count; i++) stream.write(byte);
  streamed += count;
  return <i32>streamed;
}

/** Finishes the stream; returns the digest's first word and starts a new stream. */
export function final(): u32 {
  streamed = 0;
  return stream.finish()[0];
}

/** One job doing reset, several updates and final: word `word` of sha256("ab" * pairs + "c" * tail). */
export function streamDigest(pairs: i32, tail: i32, word: i32): u32 {
  reset();
  for (let i = 0; i < pairs; i++) {
    update(0x61, 1);
    update(0x62, 1);
  }
  update(0x63, tail);
  final();
  return stream.digest[word & 7];
}

/** sha256 of `n` copies of `byte` (a buffer built here, hashed at once): the digest's first word. */
export function digestOfRepeated(byte: u8, n: i32): u32 {
  const data = new Uint8Array(n);
  data.fill(byte);
  const h = new Sha256();
  h.writeAll(data);
  return h.finish()[0];
}

/** sha256 of the bytes 0, 1, 2, … (mod 256), `n` of them: digest word `word` (0..7). */
export function digestOfCounting(n: i32, word: i32): u32 {
  const data = new StaticArray<u8>(n);
  for (let i = 0; i < n; i++) data[i] = <u8>i;
  const h = new Sha256();
  for (let i = 0; i < n; i++) h.write(data[i]);
  return h.finish()[word & 7];
}

/** Hashes the empty string, then its 32-byte digest, `rounds` times: the first 8 digest bytes. */
export function hashChain(rounds: i32): u64 {
  const h = new Sha256();
  let d = h.finish();
  const bytes = new Uint8Array(32);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 8; i++) {
      const v = d[i];
      bytes[i * 4] = <u8>(v >>> 24);
      bytes[i * 4 + 1] = <u8>(v >>> 16);
      bytes[i * 4 + 2] = <u8>(v >>> 8);
      bytes[i * 4 + 3] = <u8>v;
    }
    h.writeAll(bytes);
    d = h.finish();
  }
  return (<u64>d[0] << 32) | <u64>d[1];
}
