/**
 * The program generator: a seed in, a valid AssemblyScript module out, with several
 * numeric exports, module-level state set up by top-level code, argument sets for each
 * export, and the feature tags of everything it wrote. Same seed, same module.
 *   const m = generateModule(42, SUITE_OPTIONS);
 *   writeFileSync('m.ts', m.source); m.exports[0].name; m.argSets.e0; m.features;
 */
import { Rng } from './rng.js';
import { ModuleCtx, SUITE_OPTIONS, type GenOptions, type Profile } from './context.js';
import { node, kept, printProgram, termList, type Node } from './tree.js';
import { digest, lit } from './expr.js';
import { statements, assign } from './stmt.js';
import { heapGlobal } from './heap.js';
import { EXPORT_TYPES, randomValue, type Scalar, type Value } from './types.js';
import type { Feature } from './features.js';
import type { AsRuntime } from '../../fragments/index.js';

export interface ExportSig {
  name: string;
  params: Scalar[];
  result: Scalar;
}

export interface GenModule {
  seed: number;
  profile: Profile;
  runtime: AsRuntime;
  /** The program as a statement tree (what the shrinker works on). */
  nodes: Node[];
  source: string;
  exports: ExportSig[];
  /** Argument sets by export name. */
  argSets: Record<string, Value[][]>;
  features: Feature[];
}

const GLOBAL_TYPES: readonly Scalar[] = ['i32', 'i64', 'f64', 'f32', 'u32', 'u8', 'bool'];
/** Top-level code runs in the start function, which has no yield points: keep it short. */
const TOP_BUDGET = 12;

export function generateModule(seed: number, opts: GenOptions = SUITE_OPTIONS): GenModule {
  const rng = new Rng(seed);
  const profile: Profile = rng.chance(opts.heapShare) ? 'heap' : 'numeric';
  // A module that allocates nothing has no runtime in its binary; the runtime is chosen
  // for the ones that do.
  const runtime: AsRuntime = profile === 'numeric' ? 'incremental' : rng.weighted(opts.runtimes);
  const mod = new ModuleCtx(rng, opts, profile);
  const top = mod.fn('void', TOP_BUDGET, 1, true);

  for (let i = rng.int(1, 4); i > 0; i--) {
    const name = mod.name('g');
    const t = rng.pick(GLOBAL_TYPES);
    mod.globalDecls.push(node(`let ${name}: ${t} = ${lit(top, t)};`));
    mod.globals.push({ name, t, mutable: true });
  }
  for (let i = rng.int(0, 2); i > 0; i--) {
    const name = mod.name('buf');
    mod.globalDecls.push(node(`const ${name} = memory.data(64);`));
    mod.buffers.push({ name, size: 64 });
  }
  if (profile === 'heap') for (let i = rng.int(1, 3); i > 0; i--) mod.globalDecls.push(...heapGlobal(mod, top));

  const exports: ExportSig[] = [];
  const exportNodes: Node[] = [];
  for (let i = rng.int(opts.exports[0], opts.exports[1]); i > 0; i--) {
    const sig: ExportSig = { name: `e${exports.length}`, params: [], result: rng.pick(EXPORT_TYPES) };
    const f = mod.fn(sig.result, opts.maxYields, 0);
    // At most 3 parameters, a0-a2: context.ts reserves those names.
    const arity = Number(rng.weighted({ 0: 1, 1: 3, 2: 4, 3: 2 }));
    const params = Array.from({ length: arity }, (_, k) => {
      const t = rng.pick(EXPORT_TYPES);
      sig.params.push(t);
      f.declare({ name: `a${k}`, t, mutable: true });
      return `a${k}: ${t}`;
    });
    const body = statements(f, opts.maxStatements + 1);
    const d = digest(f, sig.result);
    body.push(termList('return ', d.terms, d.sep, ';'));
    exportNodes.push(node(`export function ${sig.name}(${params.join(', ')}): ${sig.result} {`, body, '}'));
    exports.push(sig);
  }
  if (exports.length >= 2) mod.use('module.exports');

  // Top-level code sets module state up: it runs once per instance, before any export.
  const topNodes = [assign(top), ...statements(top, 3)];
  mod.use('module.toplevel');

  const nodes = [...mod.globalDecls, ...mod.decls, ...exportNodes, ...topNodes];
  const argSets: Record<string, Value[][]> = {};
  for (const e of exports) argSets[e.name] = argumentSets(rng, e.params, opts.argSets);
  return {
    seed, profile, runtime, nodes,
    source: printProgram(nodes, header(seed, profile, runtime)),
    exports, argSets, features: [...mod.features].sort(),
  };
}

export function header(seed: number, profile: Profile, runtime: AsRuntime): string[] {
  return [`// weave program generator: seed ${seed}, ${profile} profile, runtime ${runtime}`];
}

/** The first set is small, ordinary values; the others lean on edge values. */
function argumentSets(rng: Rng, params: Scalar[], n: number): Value[][] {
  const small = params.map((t): Value => {
    if (t === 'bool') return true;
    if (t === 'i64') return BigInt(rng.int(0, 9));
    if (t === 'f32' || t === 'f64') return rng.int(-8, 8) / 2;
    return rng.int(0, 9);
  });
  const sets = [small];
  for (let i = 1; i < n; i++) sets.push(params.map((t) => randomValue(t, rng)));
  // The same call again checks nothing new (an export without parameters had n copies of
  // one call: seed 5400453's e0 ran 5 times at 6 s each). Drawn first, so the values of
  // every other set and what follows are as before.
  const seen = new Set<string>();
  return sets.filter((set) => {
    const key = set.map((v) => `${typeof v}:${String(v)}`).join(',');
    return !seen.has(key) && seen.add(key);
  });
}
