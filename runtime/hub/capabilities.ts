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
  const mem = new ArrayBuffer(3 * N * N * 4);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    calibrationKernel(mem);
    if (i >= 3) times.push(performance.now() - t0);
  }
  const ms = Math.min(...times);
  return Math.round((REFERENCE_MS / (ms * throttle)) * 100) / 100;
}

const N = 96;

function calibrationKernel(mem: ArrayBuffer): void {
  scalarKernels.matmulF32(mem, 0, N * N * 4, 2 * N * N * 4, N, N, N);
}

/** Hard bound on one timed calibration (TimedCalibration): a hub's slot is held while it runs. */
export const MAX_CALIBRATION_MS = 100;

/** A calibration run timed now: `units` of the reference's work (ms of it) in `ms`. */
export interface TimedCalibration { units: number; ms: number }

/**
 * The calibration kernel run for about `budgetMs` (at most MAX_CALIBRATION_MS) and timed
 * as a whole, the way the hub is doing now: units / ms is the speed calibrateSpeed would
 * give if every run took the mean (not the fastest: a co-tenant that takes the core now
 * and then must show). An emulated `throttle` counts as it does for fragments (the time
 * run times the factor) without the wait being served.
 */
export function timeCalibration(budgetMs: number, throttle = 1): TimedCalibration {
  const budget = Math.min(MAX_CALIBRATION_MS, Math.max(1, budgetMs));
  const mem = new ArrayBuffer(3 * N * N * 4);
  // One run first, untimed: the kernel's code and this buffer warm.
  calibrationKernel(mem);
  let runs = 0;
  const t0 = performance.now();
  let ms = 0;
  do {
    calibrationKernel(mem);
    runs++;
    ms = performance.now() - t0;
  } while (ms < budget);
  return { units: runs * REFERENCE_MS, ms: ms * Math.max(1, throttle) };
}
