/**
 * From a mismatch to a kept regression: regenerate the seed's program, shrink it while the
 * mismatch stays (same export, arguments and mode), and write it to test/regressions/
 * marked `known` until someone fixes the fault and removes the mark.
 *   const kept = await keepMismatch(seed, FUZZ_OPTIONS, mismatch, { dir, regressions, deadline });
 *   kept.name  // test/regressions/<name>.ts and .json
 */
import { GenError } from './errors.js';
import { generateModule, header } from './generate.js';
import { checkProgram, LOCAL_MODES, type Mismatch, type Mode } from './differential.js';
import { shrink } from './shrink.js';
import { saveRegression, SOURCE_HEADER } from './regressions.js';
import { parseCliArgs } from './args.js';
import { printProgram } from './tree.js';
import type { GenOptions } from './context.js';

export interface KeepOptions {
  /** Scratch folder for sources. */
  dir: string;
  /** Where regressions go (test/regressions). */
  regressions: string;
  /** Date.now() by which shrinking stops. */
  deadline: number;
  maxRestores: number;
  log?: (line: string) => void;
}

export interface Kept {
  name: string;
  mode: Mode;
  /** Removable statements before and after shrinking; variants tried. */
  before: number;
  after: number;
  tests: number;
}

export async function keepMismatch(seed: number, options: GenOptions, m: Mismatch, opts: KeepOptions): Promise<Kept> {
  const gen = generateModule(seed, options);
  const sig = gen.exports.find((e) => e.name === m.export);
  if (!sig) throw new GenError(`seed ${seed} has no export '${m.export}'; exports are: ${gen.exports.map((e) => e.name).join(', ')}`);
  const args = parseCliArgs(sig.params, m.args);
  const head = [SOURCE_HEADER, ...header(seed, gen.profile, gen.runtime)];
  const cases = [{ sig, args }];
  const differs = async (source: string, mode: Mode) => {
    const r = await checkProgram(source, gen.runtime, cases, { dir: opts.dir, name: `shrink${seed}`, modes: [mode], maxRestores: opts.maxRestores });
    // The reference must have run: a variant without the export "differs" for no reason.
    return r.compileError || r.expected[0]?.kind === 'error' ? undefined : r.mismatches.find((x) => x.mode === mode);
  };
  // A mismatch seen over NATS is shrunk in the local mode that shows it too, if one does.
  let mode = m.mode;
  if (mode === 'nats') {
    const full = printProgram(gen.nodes, head);
    for (const local of LOCAL_MODES) if (await differs(full, local)) { mode = local; break; }
  }
  const found = mode === 'nats'
    ? { nodes: gen.nodes, source: printProgram(gen.nodes, head), tests: 0, before: 0, after: 0 }
    : await shrink(gen.nodes, head, async (src) => !!(await differs(src, mode)), { deadline: opts.deadline, keepExport: m.export, log: opts.log });
  const last = mode === 'nats' ? m : (await differs(found.source, mode)) ?? m;
  const name = saveRegression(opts.regressions, found.source, {
    runtime: gen.runtime, export: m.export, params: sig.params, result: sig.result, args: m.args,
    expected: last.expected, mode, got: last.got, seed,
    known: 'found by the program generator; not diagnosed yet',
  });
  return { name, mode, before: found.before, after: found.after, tests: found.tests };
}
