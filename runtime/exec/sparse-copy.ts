/**
 * Copy a checkpoint's memory into an instance whose memory above `from` is known to be
 * zero (pages the restore just grew, or a prefault filled with zeros), writing only the
 * 4 KiB blocks of that range that hold a non-zero byte.
 *
 * Why: the first write to a fresh page of Wasm memory is a page fault, and on the virtual
 * machines hubs run on a fault costs more than copying the page (measured here: copying
 * 16 MiB into fresh memory took 47-59 ms; scanning it for zero blocks 2 ms). Heaps are
 * mostly zero (the codec leaves such pages out of the wire), so a restore into a fresh
 * instance writes only what the program wrote.
 *   copySparse(new Uint8Array(mem.buffer), cp.memory, sizeBeforeGrow);
 */
const BLOCK = 4096;

export function copySparse(dst: Uint8Array, src: Uint8Array, from: number): void {
  // Below `from` the instance holds its data segments and start function's writes: copy all.
  const head = Math.min(from, src.byteLength);
  dst.set(head === src.byteLength ? src : src.subarray(0, head));
  if (head === src.byteLength) return;
  if (src.byteOffset % 4 !== 0 || head % BLOCK !== 0 || src.byteLength % BLOCK !== 0) {
    dst.set(src.subarray(head), head);
    return;
  }
  const words = new Int32Array(src.buffer, src.byteOffset, src.byteLength >>> 2);
  for (let off = head; off < src.byteLength; off += BLOCK) {
    if (!zeroWords(words, off >>> 2, (off + BLOCK) >>> 2)) dst.set(src.subarray(off, off + BLOCK), off);
  }
}

function zeroWords(w: Int32Array, i: number, e: number): boolean {
  // Four words an iteration: the scan runs at memory speed only when unrolled.
  for (; i + 4 <= e; i += 4) if ((w[i]! | w[i + 1]! | w[i + 2]! | w[i + 3]!) !== 0) return false;
  for (; i < e; i++) if (w[i] !== 0) return false;
  return true;
}
