/**
 * A loaded bundle: its content hash, manifest, and compiled modules (compiled once, lazily).
 *
 * A plain `.wasm` without a manifest (built by asc directly) is woven here, at load time,
 * with the default options, so every module runs the same way.
 *   const b = await loadBundle(await readFile('out.wasm'));
 *   const mod = await b.fragmentModule(3);
 */
import { createHash } from 'node:crypto';
import { readManifest, type Manifest } from '../../fragments/abi.js';
import { ExecError } from './errors.js';

export interface LoadedBundle {
  /** Hex SHA-256 of the bundle bytes (after load-time weaving, if any). */
  hash: string;
  bytes: Uint8Array;
  manifest: Manifest;
  /** True when the module had no manifest and was woven at load time. */
  wovenAtLoad: boolean;
  whole(): Promise<WebAssembly.Module>;
  fragmentModule(id: number): Promise<WebAssembly.Module>;
}

/** Throws ExecError when the bytes are not a Wasm module weave can run. */
export async function loadBundle(bytes: Uint8Array, opts: { wovenAtLoad?: boolean } = {}): Promise<LoadedBundle> {
  let compiled: WebAssembly.Module;
  try {
    compiled = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (err) {
    throw new ExecError(`not a valid WebAssembly module: ${(err as Error).message}`, { cause: err });
  }
  let manifest = readManifest(compiled);
  let wovenAtLoad = opts.wovenAtLoad ?? false;
  if (!manifest) {
    // The compiler (Binaryen) loads only for plain modules: hubs running bundles never need it.
    const { weaveBinary } = await import('../../fragments/weave.js');
    const woven = weaveBinary(bytes, { source: 'load-time' });
    bytes = woven.bundle;
    manifest = woven.manifest;
    compiled = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    wovenAtLoad = true;
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  const cache = new Map<number, Promise<WebAssembly.Module>>();
  const m = manifest;
  return {
    hash,
    bytes,
    manifest: m,
    wovenAtLoad,
    whole: async () => compiled,
    fragmentModule(id: number) {
      const frag = m.fragments[id];
      if (!frag) throw new ExecError(`no fragment ${id}; the bundle has ${m.fragments.length}`);
      let p = cache.get(frag.module);
      if (!p) {
        p = WebAssembly.compile(m.modules[frag.module] as Uint8Array<ArrayBuffer>);
        cache.set(frag.module, p);
      }
      return p;
    },
  };
}
