/**
 * What the runtime needs to know about woven modules, without loading the compiler:
 * export names, the yield import, the manifest reader. Importing this costs no Binaryen.
 *   import { readManifest, SAVE_GLOBALS } from '../../fragments/abi.js';
 */
export { readManifest, decodeManifest, MANIFEST_SECTION, CAPABILITIES, type Capability, type Manifest, type FragmentInfo, type EntryInfo, type ValType, type BoundaryType, type EntrySignature, type ScalarType, type Granularity, GRANULARITIES, type RegionKind, type GlobalSlot, type FragmentMetadata, type FreshInstance } from './manifest.js';
export { type StateLayout, RESERVED_BYTES, WASM_PAGE } from './layout.js';
export { ManifestError } from './errors.js';

/** Fragment functions return this when the entry function has returned. */
export const DONE = -1;
export const SAVE_GLOBALS = '__weave_save_globals';
/** The module's start function, moved out of the start section (passes/defer-start.ts). */
export const START_EXPORT = '__weave_start';
export const LOAD_GLOBALS = '__weave_load_globals';
export const GLOBAL_EXPORT_PREFIX = '__weave_global:';
/**
 * Exports asc's runtime adds (where an export passes strings or arrays, and for optional
 * parameters): never entries, kept in every fragment module, because the hub calls them
 * to pass strings and arrays.
 */
export const RUNTIME_EXPORTS = ['__new', '__pin', '__unpin', '__collect', '__setArgumentsLength'] as const;
/** The yield host call (wit/weave-host.wit, control.yield) that `weave build` inserts. */
export const YIELD_IMPORT = { module: 'weave:host/control', base: 'yield', internal: '__weave_import_yield' } as const;
/** Core modules import interface `<name>` of the host ABI (wit/) from `weave:host/<name>`. */
export const HOST_MODULE_PREFIX = 'weave:host/';
export const DEFAULT_YIELD_INTERVAL = 10_000;
/** The run's fuel counter: a mutable global, so it is checkpointed like program state. */
export const FUEL_GLOBAL = '__weave_fuel';


export type AsRuntime = 'incremental' | 'minimal' | 'stub';
export const AS_RUNTIMES: readonly AsRuntime[] = ['incremental', 'minimal', 'stub'];
