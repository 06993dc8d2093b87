/**
 * Builds a generated program: one asc compile (the plain reference) and one weave of that
 * same binary at each granularity, with a yield point at every loop iteration.
 *   const core = await compileProgram('m.ts', 'incremental');
 *   const bundles = await weaveAll(core, 'm.ts', 'incremental');   // by granularity
 */
import { compileAssemblyScript, weaveBinary, type AsRuntime } from '../../fragments/index.js';
import { loadBundle, type LoadedBundle } from '../../runtime/exec/index.js';

export const GRANULARITIES = ['function', 'loop', 'nested'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/**
 * The one place generated programs meet the compiler: asc -O3 with the project's options.
 * The compile API is changing (asconfig, export signatures); this is the line to adapt.
 * Throws CompileError when asc rejects the program.
 */
export async function compileProgram(file: string, runtime: AsRuntime): Promise<Uint8Array> {
  return compileAssemblyScript(file, { runtime });
}

/** Weave `core` at one granularity, `--yield-interval 1`. Throws WeaveBuildError. */
export async function weaveAt(core: Uint8Array, granularity: Granularity, source: string, runtime: AsRuntime): Promise<{ bytes: Uint8Array; bundle: LoadedBundle }> {
  const { bundle } = weaveBinary(core, { granularity, yieldInterval: 1, source, runtime });
  return { bytes: bundle, bundle: await loadBundle(bundle) };
}
