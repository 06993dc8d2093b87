/**
 * The differential check of one program: every case (an export and its arguments) runs on
 * the plain asc build, then on the woven build at each granularity, uninterrupted and
 * migrated at every yield point. Any outcome that differs from plain asc is a mismatch.
 *   const r = await checkProgram(source, 'incremental', cases, { dir, name: 'm1' });
 *   r.mismatches; r.runs; r.maxGapMs
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_YIELD_INTERVAL, RESERVED_BYTES, WASM_PAGE, type AsRuntime } from '../../fragments/index.js';
import { compileProgram, weaveAt, GRANULARITIES, type Granularity } from './build.js';
import { compilePlain, runPlain, type PlainProbe } from './run-plain.js';
import { runWoven, type WovenOptions } from './run-woven.js';
import { canonicalNaNs } from './canonical-nans.js';
import { cliArgs } from './args.js';
import { bothNaN, sameOutcome, type Outcome } from './outcome.js';
import type { ExportSig } from './generate.js';
import { DEFAULT_MAX_MEMORY_PAGES, type LoadedBundle } from '../../runtime/exec/index.js';
import type { Value } from './types.js';

/**
 * How a case runs: at a granularity, `whole` (uninterrupted, the default interval),
 * `yield-1` (uninterrupted, a yield point every iteration), `every-yield` (migrated at
 * every yield point and fragment boundary); `nats` across hub processes.
 */
export type Mode = `${Granularity}/${'whole' | 'yield-1' | 'every-yield'}` | 'nats';
// yield-1 first: its run compiles the module's functions (lazily, on first call), so the
// whole run's stretches between yield points measure the program, not the compiler.
export const LOCAL_MODES: Mode[] = GRANULARITIES.flatMap((g) => [`${g}/yield-1`, `${g}/whole`, `${g}/every-yield`] as Mode[]);

export interface Case { sig: ExportSig; args: Value[] }

export interface Mismatch {
  export: string;
  params: ExportSig['params'];
  result: ExportSig['result'];
  /** As `weave run` takes them. */
  args: string[];
  mode: Mode;
  expected: Outcome;
  got: Outcome;
}

export interface ProgramReport {
  /** asc's error when it rejected the program (a generator bug). */
  compileError?: string;
  runs: number;
  mismatches: Mismatch[];
  /** The plain build's outcome of each case, in order. */
  expected: Outcome[];
  /** Longest stretch between yield points in the uninterrupted runs (default interval). */
  maxGapMs: number;
  /** The run that gave it: `granularity export(args)`. */
  maxGapAt?: string;
  /** Restores done, and migrated runs spaced out (every k-th yield point, k > 1) by maxRestores. */
  restores: number;
  spaced: number;
  /** Yield points passed by the most yielding migrated run. */
  maxYields: number;
  /**
   * Woven NaNs whose bits differ from plain's first run, but that plain asc itself gave in
   * another fresh instance (plainCanGive), or that agree with plain once both builds make
   * every NaN canonical (canonicalJudge): the engine's choice, not weave's.
   */
  engineNaNs: number;
  /**
   * Woven runs stopped by the sandbox's memory limit where plain asc (which has none) used
   * more memory than the limit allows: the limit's doing, not weave's (see plainOverLimit).
   */
  limits: number;
  /** Plain runs that trapped, by kind of trap. */
  traps: Record<string, number>;
  ms: { compile: number; weave: number; run: number };
  /** Woven bundle bytes, for the granularities asked for in `keep`. */
  bundles: Partial<Record<Granularity, Uint8Array>>;
}

export interface CheckOptions {
  /** Where the source is written (asc reads a file). */
  dir: string;
  name: string;
  modes?: Mode[];
  keep?: Granularity[];
  /**
   * Yield points a migrated run restores at, at most: a run with more (an inlined std
   * library loop, say) migrates at every k-th one instead. @default Infinity
   */
  maxRestores?: number;
}

export function trapKind(o: Outcome): string | undefined {
  if (o.kind !== 'trap') return undefined;
  const m = o.message;
  if (/divide by zero|remainder by zero|unrepresentable/.test(m)) return 'div';
  if (/out of bounds/.test(m)) return 'memory';
  if (/Index out of range|Key does not exist|Array is empty|Invalid length/.test(m)) return 'bounds';
  if (/^gen: /.test(m)) return 'assert';
  if (/unreachable/.test(m)) return 'unreachable';
  return 'other';
}

/**
 * A stretch between yield points is the program's work plus whatever stopped this thread
 * meanwhile (a GC of the harness's own garbage, another process). The work is the same on
 * every run, so a long stretch is measured again and the shorter taken.
 */
const GAP_RECHECK_MS = 10;
async function programGap(bundle: LoadedBundle, c: Case, measured: number): Promise<number> {
  if (measured <= GAP_RECHECK_MS) return measured;
  const again = await runWoven(bundle, c.sig, c.args, { fuel: DEFAULT_YIELD_INTERVAL, migrate: false });
  return Math.min(measured, again.maxGapMs);
}

/**
 * WebAssembly lets an operation on NaNs return any NaN, and V8 does not always return the
 * same one: on x86 the payload of one operand or the other, or the default NaN, by which
 * tier compiled the code and how it allocated registers, and code tiers up mid-run on a
 * background thread. Plain asc's own result can so differ between fresh instances (seed
 * 5100078's e2(16777217, -715313172): 0xffc00000 in 153 of 300 plain runs, 0xffc00686 in
 * 147: Liftoff's code gives the one, TurboFan's the other, and the second comes once V8 has
 * tiered the function up, after some hundred calls). A woven NaN with other bits is
 * weave's fault only if plain never gives those bits: plain runs again, in fresh instances
 * of its module (which tiers up as they run), until it does, for at most PLAIN_RETRIES
 * runs or PLAIN_RETRY_MS.
 */
const PLAIN_RETRIES = 1000;
const PLAIN_RETRY_MS = 5000;
async function plainCanGive(plain: WebAssembly.Module, c: Case, expected: Outcome, got: Outcome): Promise<boolean> {
  if (!bothNaN(expected, got)) return false;
  const until = performance.now() + PLAIN_RETRY_MS;
  for (let i = 0; i < PLAIN_RETRIES && performance.now() < until; i++) if (sameOutcome(await runPlain(plain, c.sig, c.args), got)) return true;
  return false;
}

/**
 * Two NaNs with other bits where plain's code never gives the woven ones: the builds of
 * the program with every float operation's NaN made canonical (canonical-nans.ts), built
 * the same way, run the case again; if they agree the engine's choice of an operand's
 * payload made the difference (seed 5403621: an add of two NaNs), if not, weave did. Built
 * on the first such case only: they are rare.
 */
export function canonicalJudge(core: Uint8Array, weave: (canon: Uint8Array, g: Granularity) => Promise<LoadedBundle>) {
  let canon: Uint8Array | undefined;
  let plain: Promise<WebAssembly.Module> | undefined;
  const woven = new Map<Granularity, Promise<LoadedBundle>>();
  return {
    async agree(g: Granularity, c: Case, expected: Outcome, got: Outcome, how: WovenOptions): Promise<boolean> {
      if (!bothNaN(expected, got)) return false;
      try {
        canon ??= canonicalNaNs(core);
        plain ??= compilePlain(canon);
        if (!woven.has(g)) woven.set(g, weave(canon, g));
        const want = await runPlain(await plain, c.sig, c.args);
        return sameOutcome(want, (await runWoven(await woven.get(g)!, c.sig, c.args, how)).outcome);
      } catch {
        // A canonical build that cannot be made or run judges nothing: the case stays a
        // mismatch, reported with the original outcomes.
        return false;
      }
    },
  };
}

/**
 * Hubs run a job in at most DEFAULT_MAX_MEMORY_PAGES of memory (weave's reserved area
 * included); plain asc may grow to 4 GiB. A woven run stopped at that limit is the limit's
 * doing when the plain run of the same call ended holding more than the limit allows (seed
 * 5400453: strings doubled in a loop until asc's allocator refused one of 1 GiB).
 */
async function plainOverLimit(plain: WebAssembly.Module, c: Case, got: Outcome): Promise<boolean> {
  if (got.kind !== 'error' || !got.message.startsWith('memory-limit:')) return false;
  const probe: PlainProbe = { memoryBytes: 0 };
  await runPlain(plain, c.sig, c.args, probe);
  return probe.memoryBytes + RESERVED_BYTES > DEFAULT_MAX_MEMORY_PAGES * WASM_PAGE;
}

export async function checkProgram(source: string, runtime: AsRuntime, cases: Case[], opts: CheckOptions): Promise<ProgramReport> {
  const modes = opts.modes ?? LOCAL_MODES;
  const report: ProgramReport = { runs: 0, mismatches: [], expected: [], engineNaNs: 0, limits: 0, maxGapMs: 0, restores: 0, spaced: 0, maxYields: 0, traps: {}, ms: { compile: 0, weave: 0, run: 0 }, bundles: {} };
  const file = path.join(opts.dir, `${opts.name}.ts`);
  writeFileSync(file, source);
  let t = performance.now();
  let core: Uint8Array;
  try {
    core = await compileProgram(file, runtime);
  } catch (err) {
    report.compileError = (err as Error).message;
    return report;
  }
  const plain = await compilePlain(core);
  report.ms.compile = performance.now() - t;

  t = performance.now();
  for (const c of cases) {
    const o = await runPlain(plain, c.sig, c.args);
    report.expected.push(o);
    const k = trapKind(o);
    if (k) report.traps[k] = (report.traps[k] ?? 0) + 1;
    report.runs++;
  }
  report.ms.run += performance.now() - t;

  const mismatch = (c: Case, mode: Mode, expected: Outcome, got: Outcome) =>
    report.mismatches.push({ export: c.sig.name, params: c.sig.params, result: c.sig.result, args: cliArgs(c.sig.params, c.args), mode, expected, got });

  const canonical = canonicalJudge(core, async (canon, g) => (await weaveAt(canon, g, file, runtime)).bundle);
  for (const g of GRANULARITIES) {
    const own = modes.filter((m) => m.startsWith(`${g}/`));
    if (!own.length && !opts.keep?.includes(g)) continue;
    t = performance.now();
    let bundle: LoadedBundle;
    try {
      const w = await weaveAt(core, g, file, runtime);
      bundle = w.bundle;
      if (opts.keep?.includes(g)) report.bundles[g] = w.bytes;
    } catch (err) {
      const got: Outcome = { kind: 'error', message: `weave --granularity ${g}: ${(err as Error).message}` };
      cases.forEach((c, i) => own.forEach((m) => mismatch(c, m, report.expected[i], got)));
      continue;
    } finally {
      report.ms.weave += performance.now() - t;
    }
    t = performance.now();
    for (const [i, c] of cases.entries()) {
      // Yield points at interval 1, counted by an uninterrupted run: they space migrations.
      let yields: number | undefined;
      for (const mode of own) {
        const kind = mode.slice(g.length + 1);
        let every = 1;
        if (kind === 'every-yield') {
          yields ??= (await runWoven(bundle, c.sig, c.args, { fuel: 1, migrate: false })).yields;
          every = Math.max(1, Math.ceil(yields / (opts.maxRestores ?? Infinity)));
          if (every > 1) report.spaced++;
        }
        const how = { fuel: kind === 'whole' ? DEFAULT_YIELD_INTERVAL : 1, migrate: kind === 'every-yield', every };
        const r = await runWoven(bundle, c.sig, c.args, how);
        report.runs++;
        if (kind === 'yield-1') yields = r.yields;
        if (kind === 'every-yield') report.restores += r.restores;
        if (kind !== 'whole') report.maxYields = Math.max(report.maxYields, r.yields);
        else {
          const gap = await programGap(bundle, c, r.maxGapMs);
          if (gap > report.maxGapMs) [report.maxGapMs, report.maxGapAt] = [gap, `${g} ${c.sig.name}(${cliArgs(c.sig.params, c.args).join(', ')})`];
        }
        if (sameOutcome(report.expected[i], r.outcome)) continue;
        if (await plainCanGive(plain, c, report.expected[i], r.outcome) || await canonical.agree(g, c, report.expected[i], r.outcome, how)) report.engineNaNs++;
        else if (await plainOverLimit(plain, c, r.outcome)) report.limits++;
        else mismatch(c, mode, report.expected[i], r.outcome);
      }
    }
    report.ms.run += performance.now() - t;
  }
  return report;
}
