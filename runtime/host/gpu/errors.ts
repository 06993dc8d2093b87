/**
 * The one error class of the gpu host interface, with a code that says what the caller
 * can do about it.
 *
 *   try { c = await kernels.matmulF32(a, b, m, n, k); }
 *   catch (e) { if (e instanceof GpuError && e.code === 'too-large') c = matmulF32Reference(a, b, m, n, k); else throw e; }
 */

/**
 * Why a GPU call failed. `unavailable`: no adapter that may be used (see `reason`);
 * `too-large`: the problem exceeds a device limit or GPU memory, split it or use the CPU;
 * `device-lost`: the device went away (driver reset, releaseGpu), detect again;
 * `bad-op`: map-f32 was given an op it does not know; `internal`: WebGPU rejected what
 * this module built, which is a bug here.
 */
export type GpuErrorCode = 'unavailable' | 'too-large' | 'device-lost' | 'bad-op' | 'internal';

export class GpuError extends Error {
  readonly code: GpuErrorCode;
  constructor(message: string, options?: ErrorOptions & { code?: GpuErrorCode }) {
    super(message, options);
    this.name = 'GpuError';
    this.code = options?.code ?? 'internal';
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
