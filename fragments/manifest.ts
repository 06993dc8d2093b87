/**
 * The bundle manifest: what `weave build` knows about a woven module, stored in it.
 *
 * A custom section `weave.manifest` holds versioned CBOR: the state layout, the split entry
 * points, every fragment with its control flow and metadata, and the pruned module of each
 * fragment. Custom sections are ignored by engines, so the bundle still runs as a plain
 * module. Usage:
 *   const manifest = readManifest(bytes);          // throws ManifestError
 *   const section = encodeManifest(manifest);      // CBOR for the custom section
 */
import { Encoder } from 'cbor-x';
import type { StateLayout } from './layout.js';
import { ManifestError } from './errors.js';

export const MANIFEST_SECTION = 'weave.manifest';
/**
 * 2: the start function is deferred (`instance`); a weave that reads only 1 would
 * instantiate such a bundle without its top-level code and give wrong results, so it
 * refuses the bundle instead. This weave still reads 1 (the start runs at instantiation).
 */
export const MANIFEST_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

/** Where fragment boundaries go: whole function, each top-level loop/branch, inner loops too. */
export type Granularity = 'function' | 'loop' | 'nested';
export const GRANULARITIES: readonly Granularity[] = ['function', 'loop', 'nested'];

/** What a fragment's region is: straight code, a loop, a branch, or a whole function. */
export type RegionKind = 'straight' | 'loop' | 'branch' | 'function';

/** A mutable global's place in the reserved area, where captures spill it. */
export interface GlobalSlot {
  name: string;
  type: 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
  offset: number;
}

/** What placement knows about a fragment (fragments/passes/metadata.ts computes it). */
export interface FragmentMetadata {
  cost: { weight: number; loopDepth: number; estimate: number };
  reads: { locals: string[]; globals: string[] };
  writes: { locals: string[]; globals: string[] };
  /** Host imports this fragment can reach, as "module.name" (affinity). */
  capabilities: string[];
  /** Named datasets read through the data host calls (locality). */
  datasets: string[];
  /** True when it can reach an indirect call (its callees are not all known). */
  indirectCalls: boolean;
}

/** AssemblyScript's number types (bool included), as a value or an array element. */
export type ScalarType = 'bool' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64' | 'isize' | 'usize';

/**
 * How a parameter or result crosses the boundary between weave and the program: numbers
 * as Wasm values; strings and arrays as objects the hub allocates in the instance
 * (`__new`) before the call and reads out after it, as asc's JS bindings do. `id` is the
 * class's runtime id in this build.
 */
export type BoundaryType =
  | { kind: 'void' }
  | { kind: 'scalar'; type: ScalarType }
  | { kind: 'string'; nullable: boolean }
  | { kind: 'arraybuffer'; nullable: boolean }
  | { kind: 'array' | 'staticarray' | 'typedarray'; elem: ScalarType; id: number; name: string; nullable: boolean };

export interface EntrySignature {
  params: BoundaryType[];
  result: BoundaryType;
  /** Parameters without a default value: a call may leave out the ones after these. */
  required: number;
  /** Parameter names, as declared. */
  names: string[];
}

export interface EntryInfo {
  /** The exported function's name, as users call it. */
  name: string;
  params: ValType[];
  result: ValType | 'none';
  /** Export that writes the arguments into the frame. */
  argsExport: string;
  frameBase: number;
  resultOffset: number;
  /** Fragment ids of this entry; the first is where a call starts. */
  fragments: number[];
  /** The export's AssemblyScript signature, when it was built from source; absent for a
   *  plain .wasm woven at load, whose parameters and result are plain numbers. */
  signature?: EntrySignature;
}

export interface FragmentInfo {
  id: number;
  entry: string;
  /** Position within the entry (control flow below refers to ids). */
  index: number;
  kind: RegionKind;
  exportName: string;
  /** Fragment ids that may run next; -1 means the entry returned. */
  next: number[];
  /** Index into `modules`: this fragment's pruned module. */
  module: number;
  memoryPages: number;
  meta: FragmentMetadata;
}

export interface Manifest {
  version: number;
  source: string;
  runtime: string;
  granularity: Granularity;
  yieldInterval: number;
  layout: StateLayout;
  globals: GlobalSlot[];
  entries: EntryInfo[];
  fragments: FragmentInfo[];
  modules: Uint8Array[];
  /** Hub capabilities the job cannot run without (`weave build --require gpu`): placement
   *  goes only to hubs that advertise them. Absent in bundles built before it existed. */
  requires?: Capability[];
  /** What a fresh instance of the bundle's modules holds (fragments/passes/defer-start.ts).
   *  Absent in bundles built before it existed: their start function runs at instantiation. */
  instance?: FreshInstance;
}

/**
 * A fresh instance, before a job starts in it or a checkpoint is restored into it: its
 * memory holds the active data segments, [dataStart, dataEnd), and is zero elsewhere; the module's start
 * function, if it has one, is the export `startExport`, for the executor to call when a
 * job starts (never before a restore, whose memory and globals the checkpoint replaces).
 */
export interface FreshInstance {
  dataStart: number;
  dataEnd: number;
  startExport?: string;
}

/** Hardware a hub may advertise and a job may require or prefer. */
export type Capability = 'avx2' | 'gpu';
export const CAPABILITIES: readonly Capability[] = ['avx2', 'gpu'];

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true });

export function encodeManifest(m: Manifest): Uint8Array {
  return encoder.encode(m);
}

/** Decode the manifest section payload. Throws ManifestError when it is not one we can use. */
export function decodeManifest(bytes: Uint8Array): Manifest {
  let value: any;
  try {
    value = encoder.decode(bytes);
  } catch (err) {
    throw new ManifestError('the weave.manifest section is corrupt; rebuild the module with `weave build`', { cause: err });
  }
  if (!value || typeof value !== 'object' || !READABLE_VERSIONS.includes(value.version)) {
    throw new ManifestError(`manifest version ${value?.version} is not supported (this weave reads versions ${READABLE_VERSIONS.join(' and ')}); rebuild with this weave`);
  }
  for (const key of ['entries', 'fragments', 'modules', 'globals']) {
    if (!Array.isArray(value[key])) throw new ManifestError(`manifest field '${key}' is missing; rebuild the module`);
  }
  value.modules = value.modules.map((x: Uint8Array) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  // Restores trust it to say which bytes a fresh instance may hold: a wrong range would
  // leave bytes of the module's own behind in a restored job.
  const fresh = value.instance;
  if (value.version >= 2 || fresh !== undefined) {
    const byteOffset = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
    if (!fresh || typeof fresh !== 'object' || !byteOffset(fresh.dataStart) || !byteOffset(fresh.dataEnd) || fresh.dataStart > fresh.dataEnd
      || (fresh.startExport !== undefined && typeof fresh.startExport !== 'string')) {
      throw new ManifestError("manifest field 'instance' is missing or malformed (it needs dataStart <= dataEnd, byte offsets); rebuild the module with `weave build`");
    }
  }
  return value as Manifest;
}

/** The manifest of a compiled module, or null when it has none (a plain asc build). */
export function readManifest(module: WebAssembly.Module): Manifest | null {
  const sections = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  if (!sections.length) return null;
  return decodeManifest(new Uint8Array(sections[0]));
}
