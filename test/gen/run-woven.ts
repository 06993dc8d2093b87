/**
 * A woven bundle run in this thread: uninterrupted, or migrated at every yield point (and
 * every fragment boundary) into a fresh instance of the fragment's own pruned module, the
 * state passing through the checkpoint codec each time: a full checkpoint first and every
 * FULL_EVERY-th time, a diff against the previous one otherwise (as a hub's base).
 *   const r = await runWoven(bundle, sig, args, { fuel: 1, migrate: true });   // every: 1
 *   r.outcome; r.yields; r.restores; r.maxGapMs
 */
import { FragmentExecutor, FragmentTrap, ExecError, type LoadedBundle, type RunOptions } from '../../runtime/exec/index.js';
import { encodeCheckpoint, decodeCheckpoint, diffCheckpoint, applyDiff, newCheckpointId, type Checkpoint } from '../../runtime/snapshot/index.js';
import { jsArgs } from './args.js';
import { valueOutcome, trapOutcome, type Outcome } from './outcome.js';
import { wasmType, type Value } from './types.js';
import type { ExportSig } from './generate.js';

export interface WovenOptions {
  /** Loop iterations granted at each yield point (1: a yield point every iteration). */
  fuel: number;
  /** Capture and restore at every yield point and fragment boundary. */
  migrate: boolean;
  /**
   * Migrate at every `every`-th yield point only (fragment boundaries always): for runs
   * with more yield points than restores are affordable. @default 1
   */
  every?: number;
}

export interface WovenRun {
  outcome: Outcome;
  yields: number;
  restores: number;
  /** The longest stretch between yield points in any instance of the run (FragmentExecutor.maxYieldGapMs). */
  maxGapMs: number;
}

const quiet = { trace: () => {} };
/** A full checkpoint costs a few times a diff (CRC and copy of every page). */
const FULL_EVERY = 8;

export async function runWoven(b: LoadedBundle, sig: ExportSig, args: Value[], opts: WovenOptions): Promise<WovenRun> {
  const hooks = { ...quiet, fuel: opts.fuel };
  const every = opts.every ?? 1;
  const entry = b.manifest.entries.find((e) => e.name === sig.name);
  if (!entry) return { outcome: { kind: 'error', message: `no entry '${sig.name}' in the bundle` }, yields: 0, restores: 0, maxGapMs: 0 };
  let restores = 0;
  let maxGapMs = 0;
  let last: Checkpoint | undefined;
  let x: FragmentExecutor | undefined;
  const done = (outcome: Outcome): WovenRun => ({ outcome, yields: x?.yields ?? 0, restores, maxGapMs: Math.max(maxGapMs, x?.maxYieldGapMs ?? 0) });
  try {
    x = await FragmentExecutor.create(await b.whole(), b.manifest, hooks);
    x.start(sig.name, jsArgs(sig.params, args));
    let id = entry.fragments[0];
    const run: RunOptions = opts.migrate ? { pauseAtYield: (n) => n % every === 0 } : {};
    for (;;) {
      const o = x.run(id, run);
      if (o.kind === 'done') {
        const r = x.result(sig.name);
        const t = wasmType(sig.result);
        return done(valueOutcome(t, r.bytes));
      }
      id = o.kind === 'paused' ? o.fragment : o.next;
      if (!opts.migrate) continue;
      // A view, as a hub captures: this instance is dropped next, so its memory stays put,
      // and a copy of a fresh instance's pages costs a page fault each on this VM (~11 us).
      const cp = x.capture({ id: newCheckpointId(), bundle: b.hash, entry: sig.name, fragment: id, paused: o.kind === 'paused' }, { view: true });
      const wire = last && restores % FULL_EVERY ? diffCheckpoint(last, cp) : cp;
      const decoded = decodeCheckpoint(encodeCheckpoint(wire));
      const restored = decoded.kind === 'diff' ? applyDiff(last!, decoded) : decoded;
      last = restored;
      maxGapMs = Math.max(maxGapMs, x.maxYieldGapMs);
      x = await FragmentExecutor.create(await b.fragmentModule(id), b.manifest, hooks);
      x.restore(restored);
      restores++;
    }
  } catch (err) {
    // A start function that traps is the program's doing, as in the plain build.
    if (err instanceof FragmentTrap || (err instanceof ExecError && err.code === 'start-trap')) return done(trapOutcome(err));
    if (err instanceof ExecError) return done({ kind: 'error', message: `${err.code ?? 'exec'}: ${err.message}` });
    return done({ kind: 'error', message: `harness: ${(err as Error)?.stack ?? err}` });
  }
}
