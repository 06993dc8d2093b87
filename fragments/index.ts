/**
 * The build side of weave: AssemblyScript in, a woven bundle of fragments out.
 *   const { bundle, manifest } = await buildBundle('examples/matmul.ts', { granularity: 'loop' });
 *   await writeFile('build/matmul.wasm', bundle);
 *   const m = readManifest(new WebAssembly.Module(bundle));
 */
import { compileProgram, type CompileOptions, type CompiledProgram } from './compile.js';
import { weaveBinary, type WeaveOptions, type WovenBundle } from './weave.js';

export * from './abi.js';
export { compileAssemblyScript, compileProgram, type CompileOptions, type CompiledProgram } from './compile.js';
export { weaveBinary, type WeaveOptions, type WovenBundle } from './weave.js';
export { CompileError, WeaveBuildError } from './errors.js';
export { fragmenterFingerprint } from './fingerprint.js';

/** Compile an AssemblyScript file and weave it. Throws CompileError or WeaveBuildError. */
export async function buildBundle(source: string, opts: WeaveOptions & CompileOptions = {}): Promise<WovenBundle> {
  return (await buildProgram([source], opts)).woven;
}

/**
 * Compile AssemblyScript entry files (none: asconfig.json's entries) and weave the module.
 * Throws CompileError or WeaveBuildError.
 */
export async function buildProgram(files: string[], opts: WeaveOptions & CompileOptions = {}): Promise<{ compiled: CompiledProgram; woven: WovenBundle }> {
  const compiled = await compileProgram(files, opts);
  const woven = weaveBinary(compiled.binary, {
    ...opts, source: opts.source ?? compiled.entries.join(', '), runtime: compiled.runtime, signatures: compiled.signatures,
  });
  return { compiled, woven };
}
