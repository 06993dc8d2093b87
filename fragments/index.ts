/**
 * The build side of weave: AssemblyScript in, a woven bundle of fragments out.
 *   const { bundle, manifest } = await buildBundle('examples/matmul.ts', { granularity: 'loop' });
 *   await writeFile('build/matmul.wasm', bundle);
 *   const m = readManifest(new WebAssembly.Module(bundle));
 */
import { compileAssemblyScript, type CompileOptions } from './compile.js';
import { weaveBinary, type WeaveOptions, type WovenBundle } from './weave.js';

export * from './abi.js';
export { compileAssemblyScript, type CompileOptions } from './compile.js';
export { weaveBinary, type WeaveOptions, type WovenBundle } from './weave.js';
export { CompileError, WeaveBuildError } from './errors.js';

/** Compile an AssemblyScript file and weave it. Throws CompileError or WeaveBuildError. */
export async function buildBundle(source: string, opts: WeaveOptions & CompileOptions = {}): Promise<WovenBundle> {
  const core = await compileAssemblyScript(source, opts);
  return weaveBinary(core, { ...opts, source });
}
