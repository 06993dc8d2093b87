/**
 * What this machine offers a fragment, as a hub advertises it. Only what was checked:
 * `avx2` only when the native AVX2 kernels loaded and passed their self-test (a CPU flag
 * alone is not enough: the addon may not have built); `gpu` is set by the hub after it
 * probes for a WebGPU adapter.
 *   const caps = detectCapabilities();   // { cores: 2, avx2: true, gpu: false, ... }
 */
import os from 'node:os';
import { simdKernels } from '../host/index.js';
import { scalarKernels } from '../host/index.js';

export interface Capabilities {
  cores: number; avx2: boolean; gpu: boolean; memoryMiB: number; node: string; arch: string;
  /** Relative CPU speed from a calibration run (1: the reference machine); see calibrateSpeed. */
  speed?: number;
}

export function detectCapabilities(): Capabilities {
  return {
    cores: os.availableParallelism(),
    avx2: simdKernels().kind === 'avx2',
    gpu: false,
    memoryMiB: Math.round(os.totalmem() / (1 << 20)),
    node: process.version,
    arch: process.arch,
  };
}

/** What the calibration kernel takes on the reference machine (2-vCPU VM, Node 20), ms. */
const REFERENCE_MS = 1.75;

/**
 * This machine's speed relative to the reference, for placement: the fastest of a few runs
 * of the scalar matmul kernel (96 x 96 x 96, plain JS, so neither AVX2 nor the addon
 * matters), divided by `throttle` (a hub told to act slower says so). The fastest, not the
 * median: other processes starting at the same time slow some runs, never speed one up.
 * Takes about 40 ms.
 */
export function calibrateSpeed(throttle = 1): number {
  const n = 96;
  const mem = new ArrayBuffer(3 * n * n * 4);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    scalarKernels.matmulF32(mem, 0, n * n * 4, 2 * n * n * 4, n, n, n);
    if (i >= 3) times.push(performance.now() - t0);
  }
  const ms = Math.min(...times);
  return Math.round((REFERENCE_MS / (ms * throttle)) * 100) / 100;
}
