/**
 * The fragmenter pipeline: a compiled Wasm module in, a woven bundle out.
 *
 * Runs the passes in order (rebase memory, split entries into fragments, yield points,
 * export state, Asyncify, optimize, defer the start function), then prunes one module per
 * entry and stores everything in the bundle's `weave.manifest` section.
 *   const { bundle, manifest } = weaveBinary(coreWasm, { granularity: 'loop' });
 *   await fs.writeFile('out.wasm', bundle);
 */
import binaryen from 'binaryen';
import { defaultLayout } from './layout.js';
import { WeaveBuildError } from './errors.js';
import { encodeManifest, MANIFEST_SECTION, MANIFEST_VERSION, type Capability, type EntryInfo, type EntrySignature, type FragmentInfo, type Manifest, type ValType } from './manifest.js';
import { RUNTIME_EXPORTS, START_EXPORT } from './abi.js';
import { rebaseMemory } from './passes/rebase-memory.js';
import { splitFunction, type Granularity } from './passes/split-fragments.js';
import { addYieldPoints, DEFAULT_YIELD_INTERVAL, type LoopMode } from './passes/yield-points.js';
import { exportState, LOAD_GLOBALS, SAVE_GLOBALS } from './passes/export-state.js';
import { runAsyncify, ASYNCIFY_EXPORTS } from './passes/asyncify.js';
import { MetadataAnalyzer } from './passes/metadata.js';
import { pruneEach } from './passes/prune.js';
import { dropReplaced } from './passes/drop-replaced.js';
import { maskFloats } from './passes/float-mask.js';
import { deferStart } from './passes/defer-start.js';

export interface WeaveOptions {
  /** Where fragment boundaries go. @default 'loop' */
  granularity?: Granularity;
  /** Loop iterations (per frame) between calls to the host's yield. @default 10000 */
  yieldInterval?: number;
  /** Recorded in the manifest. @default 'unknown' */
  source?: string;
  /** Recorded in the manifest. @default 'incremental' */
  runtime?: string;
  /** Hub capabilities every placement needs (recorded in the manifest). */
  requires?: Capability[];
  /** The exports' AssemblyScript signatures (compileProgram): recorded per entry, so
   *  hubs pass strings and arrays. Without them entries take and return plain numbers. */
  signatures?: Map<string, EntrySignature>;
  /** Told how long each stage took, in ms (for `npm run bench`'s build part). */
  onStage?: (stage: string, ms: number) => void;
}

export interface WovenBundle {
  bundle: Uint8Array;
  manifest: Manifest;
}

const F = binaryen.Features;
const FEATURES = F.MVP | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | (F as any).BulkMemoryOpt | F.SIMD128 | F.Multivalue;

const VAL_TYPES = new Map<number, ValType>([
  [binaryen.i32, 'i32'], [binaryen.i64, 'i64'], [binaryen.f32, 'f32'], [binaryen.f64, 'f64'], [binaryen.v128, 'v128'],
]);

function valType(t: number, where: string): ValType {
  const v = VAL_TYPES.get(t);
  if (!v) throw new WeaveBuildError(`${where}: type ${binaryen.expandType(t).length > 1 ? 'tuple' : t} is not supported at an entry point (use i32, i64, f32, f64)`);
  return v;
}

/**
 * Weave a compiled module. Throws WeaveBuildError when the module cannot be woven (no
 * exported functions, unsupported features) and names the construct at fault.
 */
export function weaveBinary(core: Uint8Array, opts: WeaveOptions = {}): WovenBundle {
  // Binaryen's options are process-wide, and asc sets them: after an in-process asc build
  // with --debug, emitBinary would write a name section, and the same module woven at load
  // would hash differently here than on a hub. Woven bytes depend on the input only.
  const debugInfo = binaryen.getDebugInfo();
  binaryen.setDebugInfo(false);
  try {
    return weaveModule(core, opts);
  } finally {
    binaryen.setDebugInfo(debugInfo);
  }
}

function weaveModule(core: Uint8Array, opts: WeaveOptions): WovenBundle {
  const granularity = opts.granularity ?? 'loop';
  const yieldInterval = opts.yieldInterval ?? DEFAULT_YIELD_INTERVAL;
  if (!Number.isInteger(yieldInterval) || yieldInterval < 1 || yieldInterval > 0x7fffffff) {
    throw new WeaveBuildError(`--yield-interval must be an integer from 1 to 2147483647, got ${yieldInterval}`);
  }
  const layout = defaultLayout();
  let m: binaryen.Module;
  try {
    m = binaryen.readBinary(core);
  } catch (err) {
    throw new WeaveBuildError('not a valid WebAssembly module', { cause: err });
  }
  try {
    m.setFeatures(FEATURES);
    const entries = exportedFunctions(m);
    if (!entries.length) throw new WeaveBuildError('the module exports no functions; export the function to run (`export function main(...)`)');

    let mark = performance.now();
    const stage = (name: string) => {
      const now = performance.now();
      opts.onStage?.(name, now - mark);
      mark = now;
    };
    rebaseMemory(m, layout.reserved);

    const analyzer = new MetadataAnalyzer(m, layout.reserved);
    const memoryPages = m.getMemoryInfo().initial;
    const entryInfos: EntryInfo[] = [];
    const fragments: FragmentInfo[] = [];
    let frameBase = layout.framesStart;
    for (const { exportName, internal } of entries) {
      const fn = binaryen.getFunctionInfo(m.getFunction(internal));
      const firstId = fragments.length;
      // The entry's module: one per entry, in entry order (see the prune below).
      const moduleIndex = entryInfos.length;
      const split = splitFunction(m, internal, exportName, frameBase, layout.framesEnd, granularity, firstId);
      frameBase += split.frame.size;
      const names = localNames(m, internal);
      const localName = (i: number) => names[i];
      for (const frag of split.fragments) {
        fragments.push({
          id: firstId + frag.index,
          entry: exportName,
          index: frag.index,
          kind: frag.kind,
          exportName: frag.exportName,
          next: frag.next,
          module: moduleIndex,
          memoryPages,
          meta: analyzer.fragment(frag.parts, localName, frag.loopDepth),
        });
      }
      entryInfos.push({
        name: exportName,
        params: binaryen.expandType(fn.params).map((t, i) => valType(t, `${exportName} parameter ${i}`)),
        result: fn.results === binaryen.none ? 'none' : valType(fn.results, `${exportName} result`),
        argsExport: split.argsExport,
        frameBase: split.frame.base,
        resultOffset: split.frame.resultOffset,
        fragments: split.fragments.map((f) => firstId + f.index),
        ...(opts.signatures?.has(exportName) ? { signature: opts.signatures.get(exportName)! } : {}),
      });
    }

    dropReplaced(m, entries.map((e) => e.exportName));
    stage('split');
    const fueled = addYieldPoints(m, { interval: yieldInterval, mode: loopMode });
    const globals = exportState(m, layout);
    stage('yield-points');
    // Binaryen optimizes what weave and Asyncify added, never the program's float code
    // (float-mask.ts says why).
    const unmask = maskFloats(m);
    binaryen.setOptimizeLevel(3);
    binaryen.setShrinkLevel(0);
    const instrumented = runAsyncify(m);
    stage('asyncify');
    optimizeChanged(m, instrumented && new Set([...fueled, ...instrumented, ...entries.map((e) => e.internal)]), instrumented);
    unmask();
    stage('optimize');
    const instance = deferStart(m);
    const final = m.emitBinary();
    stage('emit');
    // V8's validator, the one every hub applies when it loads the bundle, is native and
    // takes well under a millisecond; Binaryen's took 4-10 ms a build. Binaryen's runs only
    // to say why (it prints the failing expressions) when V8 refuses the module.
    if (!WebAssembly.validate(final as Uint8Array<ArrayBuffer>)) {
      m.validate();
      throw new WeaveBuildError('internal error: the woven module does not validate');
    }
    stage('validate');

    const shared = [SAVE_GLOBALS, LOAD_GLOBALS, START_EXPORT, ...ASYNCIFY_EXPORTS, ...RUNTIME_EXPORTS];
    // One module per entry, holding all of that entry's fragments: the fragments of one
    // function share nearly all their callees, so a module per fragment repeated them, and
    // both the bundle and the build grew as fragments x module size (a 30 KB module of 56
    // exports made a 1.7 MB bundle in 6.5 s at --granularity loop). The manifest's
    // `module` index per fragment is what lets them share.
    const modules = pruneEach(m, final, entryInfos.map((entry) =>
      new Set([...entry.fragments.map((id) => fragments[id].exportName), entry.argsExport, ...shared])));
    stage('prune');
    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      source: opts.source ?? 'unknown',
      runtime: opts.runtime ?? 'incremental',
      granularity,
      yieldInterval,
      layout,
      globals,
      entries: entryInfos,
      fragments,
      modules,
      instance,
      ...(opts.requires?.length ? { requires: [...new Set(opts.requires)].sort() } : {}),
    };
    const out = { bundle: appendCustomSection(final, MANIFEST_SECTION, encodeManifest(manifest)), manifest };
    stage('manifest');
    return out;
  } finally {
    m.dispose();
  }
}

/**
 * Optimize what weave and Asyncify wrote: the functions they changed (`changed`), and
 * every function weave added (`__weave…`, `asyncify_…`). asc has optimized the rest
 * already, and the whole module's -O3 was half of weave's own build time (56-142 ms of
 * 100-260 on the examples) for no measured speed (bench overhead, same day: geomean
 * 1.065-1.108 whole module, 1.016-1.057 these functions only). Undefined `changed`
 * (Asyncify chose its own set): the whole module. Not the functions in `optimized`:
 * Asyncify at optimize level 3 ran the default function passes on what it instrumented,
 * last of all, and a third run here was about half of this stage for the same code.
 */
function optimizeChanged(m: binaryen.Module, changed: Set<string> | undefined, optimized: Set<string> | undefined): void {
  if (!changed) {
    m.optimize();
    return;
  }
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
    if (f.module || optimized?.has(f.name)) continue;
    if (changed.has(f.name) || f.name.startsWith('__weave') || f.name.startsWith('asyncify_')) m.optimizeFunction(f.name);
  }
}

/** User code: the program's own functions and the fragments cut from them. */
function isUserFunction(name: string): boolean {
  if (name.startsWith('__weave_frag:')) return true;
  return !name.startsWith('~') && !name.startsWith('__weave_') && !name.startsWith('asyncify_');
}

/**
 * Where yield points go (loop-modes.ts says why): every loop of user code; the standard
 * library's heavier loops (its others only count); the runtime's allocator and collector
 * only count, since the host calls them between runs. Top-level code (`~start`, run
 * once) and weave's own functions get none.
 */
function loopMode(name: string): LoopMode {
  if (isUserFunction(name)) return 'yield';
  if (name.startsWith('~lib/rt/')) return 'count';
  if (name.startsWith('~lib/')) return 'heavy';
  return 'none';
}

function exportedFunctions(m: binaryen.Module): Array<{ exportName: string; internal: string }> {
  const out: Array<{ exportName: string; internal: string }> = [];
  for (let i = 0; i < m.getNumExports(); i++) {
    const ex = binaryen.getExportInfo(m.getExportByIndex(i));
    if (ex.kind !== binaryen.ExternalFunction) continue;
    const fn = binaryen.getFunctionInfo(m.getFunction(ex.value));
    if (fn.module) continue; // a re-exported import has no body to split
    if ((RUNTIME_EXPORTS as readonly string[]).includes(ex.name)) continue; // asc's runtime, for the hub
    if (ex.name.startsWith('__weave') || ex.name.startsWith('asyncify_')) {
      throw new WeaveBuildError(`export '${ex.name}' uses a name reserved by weave; this module looks woven already`);
    }
    out.push({ exportName: ex.name, internal: ex.value });
  }
  return out;
}

/** Names of a function's locals from the name section, or `$i` where it has none. */
function localNames(m: binaryen.Module, fn: string): string[] {
  const ref = m.getFunction(fn);
  const F2: any = (binaryen as any).Function;
  return Array.from({ length: F2.getNumLocals(ref) }, (_, i) => (F2.hasLocalName(ref, i) ? F2.getLocalName(ref, i) : `$${i}`));
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** Append a custom section without touching the bytes before it. */
export function appendCustomSection(wasm: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb(nameBytes.length), ...nameBytes];
  const size = leb(body.length + payload.length);
  const out = new Uint8Array(wasm.length + 1 + size.length + body.length + payload.length);
  let o = 0;
  out.set(wasm, o); o += wasm.length;
  out[o++] = 0;
  out.set(size, o); o += size.length;
  out.set(body, o); o += body.length;
  out.set(payload, o);
  return out;
}
