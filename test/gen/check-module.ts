/**
 * One seed, end to end: generate the module, then check every export on its argument
 * sets in every local mode (test/gen/differential.ts). What the suite and fuzz:weave ask
 * of a worker; the result is plain data (it crosses a worker boundary).
 *   const r = await checkSeed(42, { options: SUITE_OPTIONS, dir: '/tmp/x', maxRestores: 40 });
 *   r.report.mismatches; r.features; r.loopBundle (seeds divisible by keepBundleEvery)
 */
import { generateModule, type ExportSig, type GenModule } from './generate.js';
import { checkProgram, LOCAL_MODES, type Mode, type ProgramReport } from './differential.js';
import { cliArgs } from './args.js';
import type { GenOptions } from './context.js';
import type { Feature } from './features.js';
import type { Outcome } from './outcome.js';

export interface SeedJob {
  options: GenOptions;
  /** Where sources are written. */
  dir: string;
  maxRestores: number;
  /** Keep the loop-granularity bundle of every seed divisible by this (for runs over NATS); 0: none. */
  keepBundleEvery?: number;
  /**
   * Granularities each seed is woven and checked at: `every` (all three, what fuzz:weave
   * does), or `loop-and-one` (loop, the default, and function or nested by turns: odd
   * seeds function, even nested), which halves the weaving of the suite's fixed seed set
   * and still checks each granularity on a hundred-odd modules. @default 'every'
   */
  granularities?: 'every' | 'loop-and-one';
}

/** The local modes a seed runs in (SeedJob.granularities). */
export function seedModes(seed: number, granularities: SeedJob['granularities'] = 'every'): Mode[] {
  if (granularities === 'every') return LOCAL_MODES;
  const other = seed % 2 ? 'function/' : 'nested/';
  return LOCAL_MODES.filter((m) => m.startsWith('loop/') || m.startsWith(other));
}

export interface SeedResult {
  seed: number;
  profile: GenModule['profile'];
  runtime: GenModule['runtime'];
  exports: ExportSig[];
  features: Feature[];
  report: Omit<ProgramReport, 'bundles'>;
  /** Every case with plain asc's outcome, arguments as `weave run` takes them. */
  cases: Array<{ sig: ExportSig; args: string[]; expected: Outcome }>;
  loopBundle?: Uint8Array;
  ms: number;
}

export async function checkSeed(seed: number, job: SeedJob): Promise<SeedResult> {
  const t0 = performance.now();
  const gen = generateModule(seed, job.options);
  const cases = gen.exports.flatMap((sig) => gen.argSets[sig.name].map((args) => ({ sig, args })));
  const { bundles, ...report } = await checkProgram(gen.source, gen.runtime, cases, { dir: job.dir, name: `seed${seed}`, modes: seedModes(seed, job.granularities), maxRestores: job.maxRestores, keep: job.keepBundleEvery && seed % job.keepBundleEvery === 0 ? ['loop'] : [] });
  return {
    seed, profile: gen.profile, runtime: gen.runtime, exports: gen.exports, features: gen.features, report,
    cases: report.expected.map((expected, i) => ({ sig: cases[i].sig, args: cliArgs(cases[i].sig.params, cases[i].args), expected })),
    loopBundle: bundles.loop,
    ms: performance.now() - t0,
  };
}
