/**
 * Copy a checkpoint's memory into an instance whose memory above `from` is known to be
 * zero (pages the restore just grew, or a prefault filled with zeros), writing only the
 * 4 KiB pages (DIFF_PAGE_SIZE) of that range that hold a non-zero byte.
 *
 * Why: the first write to a fresh page of Wasm memory is a page fault, and on the virtual
 * machines hubs run on a fault costs more than copying the page (measured here: copying
 * 16 MiB into fresh memory took 47-59 ms; scanning it for zero pages 1-2 ms). Heaps are
 * mostly zero (the codec leaves such pages out of the wire), so a restore into a fresh
 * instance writes only what the program wrote.
 *   copySparse(new Uint8Array(mem.buffer), cp.memory, sizeBeforeGrow);
 */
import { DIFF_PAGE_SIZE, nonZeroPages } from '../snapshot/index.js';

export function copySparse(dst: Uint8Array, src: Uint8Array, from: number): void {
  // Below `from` the instance holds its data segments and start function's writes: copy all.
  const head = Math.min(from, src.byteLength);
  dst.set(head === src.byteLength ? src : src.subarray(0, head));
  if (head === src.byteLength) return;
  // Above it, the pages the codec would carry (its own zero-page test, a native compare).
  const tail = src.subarray(head);
  for (const page of nonZeroPages(tail)) {
    const at = page * DIFF_PAGE_SIZE;
    dst.set(tail.subarray(at, at + DIFF_PAGE_SIZE), head + at);
  }
}
