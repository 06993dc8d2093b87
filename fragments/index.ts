/**
 * The build side of weave: AssemblyScript in, a woven bundle of fragments out.
 *   const { bundle, manifest } = await buildBundle('examples/matmul.ts', { granularity: 'loop' });
 *   await writeFile('build/matmul.wasm', bundle);
 *   const m = readManifest(new WebAssembly.Module(bundle));
 */
import { compileAssemblyScript, type CompileOptions } from './compile.js';
import { weaveBinary, type WeaveOptions, type WovenBundle } from './weave.js';

export { compileAssemblyScript, AS_RUNTIMES, type AsRuntime, type CompileOptions } from './compile.js';
export { weaveBinary, type WeaveOptions, type WovenBundle } from './weave.js';
export { readManifest, decodeManifest, MANIFEST_SECTION, type Manifest, type FragmentInfo, type EntryInfo, type ValType } from './manifest.js';
export { CompileError, WeaveBuildError, ManifestError } from './errors.js';
export { GRANULARITIES, type Granularity } from './passes/split-fragments.js';
export { DONE } from './passes/frame.js';
export { YIELD_IMPORT, DEFAULT_YIELD_INTERVAL } from './passes/yield-points.js';
export { SAVE_GLOBALS, LOAD_GLOBALS, GLOBAL_EXPORT_PREFIX } from './passes/export-state.js';
export { type StateLayout, RESERVED_BYTES, WASM_PAGE } from './layout.js';

/** Compile an AssemblyScript file and weave it. Throws CompileError or WeaveBuildError. */
export async function buildBundle(source: string, opts: WeaveOptions & CompileOptions = {}): Promise<WovenBundle> {
  const core = await compileAssemblyScript(source, opts);
  return weaveBinary(core, { ...opts, source });
}
