/**
 * A loaded bundle: its content hash, manifest, and compiled modules (compiled once, lazily).
 *
 * A plain `.wasm` without a manifest (built by asc directly) is woven here, at load time,
 * with the default options, so every module runs the same way. Every module compiled is
 * capped at the sandbox's memory limit and checked against the imports weave offers.
 *   const b = await loadBundle(await readFile('out.wasm'));
 *   const mod = await b.fragmentModule(3);
 */
import { createHash } from 'node:crypto';
import { readManifest, type Manifest } from '../../fragments/abi.js';
import { ExecError } from './errors.js';
import { checkImports } from './host.js';
import { capMemory } from './memory-limit.js';
import { DEFAULT_MAX_MEMORY_PAGES } from './limits.js';

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

export interface LoadBundleOptions {
  /** Set by callers that already know the bundle was woven at load. @default false */
  wovenAtLoad?: boolean;
  /** Memory maximum written into every module (SandboxLimits). @default DEFAULT_MAX_MEMORY_PAGES */
  maxMemoryPages?: number;
}

/**
 * # Errors
 * ExecError 'bad-module' when the bytes are not a Wasm module weave can run (or its
 * manifest is unreadable, or load-time weaving fails); 'import-denied' when a module
 * imports anything wit/weave-host.wit does not declare; 'memory-limit' when its initial
 * memory is above `maxMemoryPages`.
 */
export async function loadBundle(bytes: Uint8Array, opts: LoadBundleOptions = {}): Promise<LoadedBundle> {
  const maxPages = opts.maxMemoryPages ?? DEFAULT_MAX_MEMORY_PAGES;
  let compiled = await compileCapped(bytes, maxPages, 'bundle');
  let manifest: Manifest | null;
  try {
    manifest = readManifest(compiled);
  } catch (err) {
    throw new ExecError(`the bundle's weave.manifest section is unreadable: ${(err as Error)?.message ?? err}`, { cause: err, code: 'bad-module' });
  }
  let wovenAtLoad = opts.wovenAtLoad ?? false;
  if (!manifest) {
    // The compiler (Binaryen) loads only for plain modules: hubs running bundles never need it.
    const { weaveBinary } = await import('../../fragments/weave.js');
    let woven;
    try {
      woven = weaveBinary(bytes, { source: 'load-time' });
    } catch (err) {
      throw new ExecError(`cannot weave the module at load: ${(err as Error)?.message ?? err}`, { cause: err, code: 'bad-module' });
    }
    bytes = woven.bundle;
    manifest = woven.manifest;
    compiled = await compileCapped(bytes, maxPages, 'woven bundle');
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
        const bytes = m.modules[frag.module];
        p = bytes ? compileCapped(bytes, maxPages, `module ${frag.module}`) : Promise.reject(new ExecError(`fragment ${id} names module ${frag.module}; the bundle has ${m.modules.length}`, { code: 'bad-module' }));
        cache.set(frag.module, p);
      }
      return p;
    },
  };
}

async function compileCapped(bytes: Uint8Array, maxPages: number, what: string): Promise<WebAssembly.Module> {
  let compiled: WebAssembly.Module;
  try {
    compiled = await WebAssembly.compile(capMemory(bytes, maxPages) as Uint8Array<ArrayBuffer>);
  } catch (err) {
    if (err instanceof ExecError) throw err;
    throw new ExecError(`${what}: not a valid WebAssembly module: ${(err as Error)?.message ?? err}`, { cause: err, code: 'bad-module' });
  }
  checkImports(compiled);
  return compiled;
}
