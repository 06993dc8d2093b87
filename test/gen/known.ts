/**
 * Faults the program generator found that are not fixed yet, and the seeds of the suite's
 * fixed set that show them. The suite tolerates mismatches only at these seeds (and says
 * so); when a fault is fixed, its seeds pass again and their entries go.
 *   KNOWN_SUITE_SEEDS.get(20)    // 'extend-u-load'
 *   KNOWN_FAULTS['extend-u-load'].regression
 */
import type { Mismatch } from './differential.js';

export interface KnownFault {
  /** The kept regression (test/regressions/NAME.ts) that shows it smallest. */
  regression: string;
  why: string;
  /** What a mismatch of this fault must look like, where that can be told from the outcomes. */
  fits?: (m: Mismatch) => boolean;
}

export const KNOWN_FAULTS: Record<string, KnownFault> = {
  // Fixed (their regressions in test/regressions/ run as ordinary tests now):
  // extend-u-load: frame loads built signed by binaryen.js (fragments/passes/frame.ts);
  // nan-fold: weave's -O3 folding float code (fragments/passes/float-mask.ts).
};

export type KnownFaultId = string;

/**
 * Seeds of the suite's fixed set (SUITE_OPTIONS) whose mismatches are a known fault. Found
 * by running the set, and attributed: extend-u-load seeds pass with the frame loads built
 * unsigned; nan-fold seeds differ only in NaN bits.
 */
export const KNOWN_SUITE_SEEDS = new Map<number, KnownFaultId>([]);
