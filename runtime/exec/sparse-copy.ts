/**
 * Copy a checkpoint's memory into an instance whose memory is known to be zero outside
 * the byte range `dirty` (a fresh instance's data segments; or all it had before the
 * restore grew it), writing outside that range only the 4 KiB pages (DIFF_PAGE_SIZE) that
 * hold a non-zero byte.
 *
 * Why: the first touch of a fresh page of Wasm memory, read or write, is a page fault, and
 * on the virtual machines hubs run on a fault costs more than copying the page (measured
 * here: copying 16 MiB into fresh memory took 47-59 ms; scanning it for zero pages 1-2 ms;
 * reading each page of a fresh 256 KiB before writing it cost as much as writing it all).
 * Heaps and weave's reserved area are mostly zero (the codec leaves such pages out of the
 * wire), so a restore into a fresh instance writes only what the program wrote.
 *   copySparse(new Uint8Array(mem.buffer), cp.memory, { start: dataStart, end: dataEnd });
 */
import { DIFF_PAGE_SIZE, nonZeroPages } from '../snapshot/index.js';

/** Bytes [start, end) of an instance's memory that may be non-zero. */
export interface DirtyRange { start: number; end: number }

export function copySparse(dst: Uint8Array, src: Uint8Array, dirty: DirtyRange): void {
  const start = Math.min(dirty.start, src.byteLength);
  const end = Math.max(start, Math.min(dirty.end, src.byteLength));
  // Inside the range the instance holds bytes of its own (data segments): copy all of it.
  if (end > start) dst.set(src.subarray(start, end), start);
  // Outside it, the pages the codec would carry (its own zero-page test, a native compare).
  copyNonZero(dst, src, 0, start);
  copyNonZero(dst, src, end, src.byteLength);
}

function copyNonZero(dst: Uint8Array, src: Uint8Array, from: number, to: number): void {
  if (to <= from) return;
  const part = src.subarray(from, to);
  for (const page of nonZeroPages(part)) {
    const at = page * DIFF_PAGE_SIZE;
    dst.set(part.subarray(at, at + DIFF_PAGE_SIZE), from + at);
  }
}
