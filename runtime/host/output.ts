/**
 * A job's output bytes (io.output-write), appended in place. It is part of the fragment's
 * state: captured into every checkpoint and restored with it, so output written before a
 * migration is neither lost nor written twice.
 *   const out = new OutputBuffer();  out.append(bytes);  cp.output = out.bytes();
 */
import { HostCallError } from './errors.js';

/** Output a job may produce; beyond it io.output-write traps (checkpoints carry all of it). */
export const MAX_OUTPUT_BYTES = 64 << 20;

export class OutputBuffer {
  private buf: Uint8Array;
  private length = 0;

  constructor(initial?: Uint8Array) {
    this.buf = new Uint8Array(Math.max(256, initial?.byteLength ?? 0));
    if (initial) this.append(initial);
  }

  append(bytes: Uint8Array): void {
    const need = this.length + bytes.byteLength;
    if (need > MAX_OUTPUT_BYTES) throw new HostCallError(`io.output-write: the job's output would exceed ${MAX_OUTPUT_BYTES} bytes`);
    if (need > this.buf.byteLength) {
      const grown = new Uint8Array(Math.min(MAX_OUTPUT_BYTES, Math.max(need, this.buf.byteLength * 2)));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(bytes, this.length);
    this.length = need;
  }

  /** The output so far (a copy). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  get byteLength(): number {
    return this.length;
  }
}
