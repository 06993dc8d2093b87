/**
 * A bounded pool of GPU buffers of one usage, so that calls of similar sizes reuse
 * buffers instead of allocating (a driver allocation of a large buffer can cost more than
 * the kernel). Sizes are rounded up to classes of a quarter of a power of two, so that
 * near sizes share buffers and at most a quarter is wasted.
 *
 *   const pool = new BufferPool(device, 'weave gpu storage', STORAGE_USAGE, 256 << 20, device.limits.maxBufferSize);
 *   const buf = pool.take(bytes);   // size >= bytes
 *   pool.give(buf);                 // after the GPU is done with it; destroy() it instead after a failed call
 */
/// <reference types="@webgpu/types" />

/** The smallest buffer made: tiny calls share one class. */
export const MIN_BUFFER_BYTES = 1024;

/** The size `take(bytes)` allocates: a multiple of a quarter of the power of two below it. */
export function sizeClass(bytes: number, maxSize: number): number {
  const exact = Math.max(4, Math.ceil(bytes / 4) * 4);
  if (exact <= MIN_BUFFER_BYTES) return Math.min(MIN_BUFFER_BYTES, maxSize);
  const step = 2 ** (Math.ceil(Math.log2(exact)) - 3);
  const size = Math.ceil(exact / step) * step;
  return size <= maxSize ? size : exact;
}

export class BufferPool {
  /** Idle buffers, least recently given back first. */
  private readonly idle: GPUBuffer[] = [];
  private idleBytes = 0;
  /** Buffers this pool has created, for tests and stats. */
  created = 0;

  /**
   * @param budget most bytes kept idle; the least recently used go first, and a buffer
   * larger than the budget is destroyed as soon as it is given back.
   * @param maxSize the device's maxBufferSize; callers never take more than this.
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly label: string,
    private readonly usage: number,
    private readonly budget: number,
    private readonly maxSize: number,
  ) {}

  /** An idle buffer of bytes' size class, or a new one. */
  take(bytes: number): GPUBuffer {
    const size = sizeClass(bytes, this.maxSize);
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i].size === size) {
        const [b] = this.idle.splice(i, 1);
        this.idleBytes -= size;
        return b;
      }
    }
    this.created++;
    return this.device.createBuffer({ label: this.label, size, usage: this.usage });
  }

  /** Takes back a buffer no GPU work still uses. */
  give(b: GPUBuffer): void {
    if (b.size > this.budget) {
      b.destroy();
      return;
    }
    this.idle.push(b);
    this.idleBytes += b.size;
    while (this.idleBytes > this.budget) {
      const old = this.idle.shift()!;
      this.idleBytes -= old.size;
      old.destroy();
    }
  }

  /** Destroys every idle buffer. */
  clear(): void {
    for (const b of this.idle) b.destroy();
    this.idle.length = 0;
    this.idleBytes = 0;
  }

  /** Bytes held idle. */
  get bytes(): number {
    return this.idleBytes;
  }
}
