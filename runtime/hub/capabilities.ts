/**
 * What this machine offers a fragment, as a hub advertises it. Only what was checked:
 * `avx2` only when the native AVX2 kernels loaded and passed their self-test (a CPU flag
 * alone is not enough: the addon may not have built); `gpu` is set by the hub after it
 * probes for a WebGPU adapter.
 *   const caps = detectCapabilities();   // { cores: 2, avx2: true, gpu: false, ... }
 */
import os from 'node:os';
import { simdKernels } from '../host/index.js';

export interface Capabilities { cores: number; avx2: boolean; gpu: boolean; memoryMiB: number; node: string; arch: string }

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
