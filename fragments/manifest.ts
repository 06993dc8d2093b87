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
import type { GlobalSlot } from './passes/export-state.js';
import type { FragmentMetadata } from './passes/metadata.js';
import type { Granularity, RegionKind } from './passes/split-fragments.js';
import { ManifestError } from './errors.js';

export const MANIFEST_SECTION = 'weave.manifest';
export const MANIFEST_VERSION = 1;

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

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
  if (!value || typeof value !== 'object' || value.version !== MANIFEST_VERSION) {
    throw new ManifestError(`manifest version ${value?.version} is not supported (this weave reads version ${MANIFEST_VERSION}); rebuild with this weave`);
  }
  for (const key of ['entries', 'fragments', 'modules', 'globals']) {
    if (!Array.isArray(value[key])) throw new ManifestError(`manifest field '${key}' is missing; rebuild the module`);
  }
  value.modules = value.modules.map((x: Uint8Array) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  return value as Manifest;
}

/** The manifest of a compiled module, or null when it has none (a plain asc build). */
export function readManifest(module: WebAssembly.Module): Manifest | null {
  const sections = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  if (!sections.length) return null;
  return decodeManifest(new Uint8Array(sections[0]));
}
