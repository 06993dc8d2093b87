/**
 * Runs fragments of a woven bundle in one Wasm instance: start, run, pause at a yield
 * point, capture an exact checkpoint, restore one into a fresh instance and rewind.
 *
 * Usage:
 *   const x = await FragmentExecutor.create(moduleOrBytes, manifest);
 *   x.start('main', [10n]); let out = x.run(firstFragment, { pauseAtYield: (n) => n === 3 });
 *   const cp = x.capture(meta);  const y = await FragmentExecutor.create(...); y.restore(cp);
 */
import { FUEL_GLOBAL, GLOBAL_EXPORT_PREFIX, LOAD_GLOBALS, SAVE_GLOBALS, START_EXPORT, type BoundaryType, type Manifest, type EntryInfo } from '../../fragments/abi.js';
import type { Checkpoint } from '../snapshot/index.js';
import { FragmentTrap, ExecError } from './errors.js';
import { makeHostImports, type HostHooks } from './host.js';
import { OutputBuffer } from '../host/index.js';
import { valueSize } from './values.js';
import { decodeResult, liftResult, lowerArgs, resultType, type ArgValue, type InstanceAccess, type ResultValue } from './boundary.js';
import { DEFAULT_MAX_MEMORY_PAGES } from './limits.js';
import { copySparse, type DirtyRange } from './sparse-copy.js';

/** What one call into a fragment ended with. */
export type RunOutcome =
  /** The fragment finished and named the next one to run. */
  | { kind: 'next'; next: number }
  /** The entry function returned; read it with `result()`. */
  | { kind: 'done' }
  /** Paused at a yield point with the stack unwound into memory; capture now. */
  | { kind: 'paused'; fragment: number };

export interface RunOptions {
  /** Called at every yield point with the job's yield count; true pauses there. */
  pauseAtYield?: (yields: number) => boolean;
  /** performance.now() after which the run stops at its next yield point with ExecError 'deadline-exceeded'. */
  deadline?: number;
}

/** The sandbox limits the executor itself enforces (see SandboxLimits). */
export interface ExecutorLimits {
  /** The memory maximum the module was capped at (loadBundle): names the limit in errors. @default DEFAULT_MAX_MEMORY_PAGES */
  maxMemoryPages?: number;
  /** Asyncify stack bytes a pause may use. @default the layout's whole buffer */
  maxStackBytes?: number;
  /** Bytes a string or array result may have. @default DEFAULT_MAX_RESULT_BYTES */
  maxResultBytes?: number;
}

/** A result larger than this is refused: it would travel in one message to the engine. */
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024 * 1024;

// A trap with this much of the memory limit in use is taken for a refused memory.grow:
// AssemblyScript's allocators trap ('unreachable') when growing fails, and the engine
// reports nothing more precise. A grow is refused only near the limit.
const MEMORY_LIMIT_NEAR = 0.75;

/**
 * A module's instance as instantiation leaves it (memory with its globals spilled into
 * it, and whether the start function is still to run), kept per module so an instance can
 * be made fresh again for another job (`renew`) without instantiating. Only for modules
 * whose initial memory is at most FRESH_MAX_BYTES: each keeps its image.
 */
interface FreshImage { memory: Uint8Array; dirty: DirtyRange; startPending: boolean }
const freshImages = new WeakMap<WebAssembly.Module, FreshImage>();
const FRESH_MAX_BYTES = 1 << 20;

const ASYNCIFY_NORMAL = 0;
const ASYNCIFY_UNWINDING = 1;
const ASYNCIFY_REWINDING = 2;

interface Exports {
  memory: WebAssembly.Memory;
  asyncify_start_unwind(addr: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(addr: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
  [name: string]: any;
}

export class FragmentExecutor {
  /** Yield points passed in this job (carried across checkpoints). */
  yields = 0;
  /**
   * The longest stretch of this instance's runs between two yield points (or a run's
   * start or end and its nearest yield point), in ms: how long a pause or a drain may
   * have to wait. Not state: it measures this instance only.
   */
  maxYieldGapMs = 0;
  private lastMark = 0;
  private exports!: Exports;
  private pauseAtYield: ((n: number) => boolean) | undefined;
  private deadline = Infinity;
  private pausedFlag = false;
  private rewindPending = false;
  /** The job's output (io.output-write): state, captured and restored with memory. */
  private output = new OutputBuffer();
  /**
   * The bytes of memory that may be non-zero; all others are (restore writes only a
   * checkpoint's non-zero pages there): a fresh instance's data segments when weave
   * deferred the start function (manifest.instance), else all it has.
   */
  private dirty: DirtyRange = { start: 0, end: Infinity };
  /** The module's deferred start function, not yet called (see start()). */
  private startPending = false;
  /** Running the start function: its yield points pause nothing and count no yields. */
  private inStart = false;

  /** How instantiation left this instance's module (see freshImages); undefined: not kept. */
  private fresh: FreshImage | undefined;

  private constructor(readonly manifest: Manifest, private hooks: HostHooks, private readonly limits: ExecutorLimits) {}

  /**
   * Instantiate one module of the bundle (the whole bundle or a fragment's pruned module).
   * Throws ExecError 'import-denied' when the module asks for imports weave does not
   * offer, 'start-trap' (or 'stack-limit') when its start function traps.
   */
  static async create(module: WebAssembly.Module, manifest: Manifest, hooks: HostHooks = {}, limits: ExecutorLimits = {}): Promise<FragmentExecutor> {
    const x = new FragmentExecutor(manifest, hooks, limits);
    const imports = makeHostImports(module, {
      memory: () => x.exports.memory,
      reserved: manifest.layout.reserved,
      onYield: () => x.onYield(),
      output: () => x.output,
      // Read at each call: renew() gives the instance another job's hooks.
      hooks: () => x.hooks,
    });
    let instance: WebAssembly.Instance;
    try {
      // Synchronously: the module is compiled already, and the promise's trip through the
      // event loop cost as much again as instantiating (a create took 0.46-0.65 ms, now
      // 0.23-0.40, scratch/inst-cost.mjs, quiet); every restore makes an instance.
      instance = new WebAssembly.Instance(module, imports);
    } catch (err) {
      throw startError(err);
    }
    x.exports = instance.exports as unknown as Exports;
    const fresh = manifest.instance;
    x.dirty = fresh ? { start: fresh.dataStart, end: fresh.dataEnd } : { start: 0, end: x.exports.memory.buffer.byteLength };
    x.startPending = fresh?.startExport === START_EXPORT && typeof x.exports[START_EXPORT] === 'function';
    x.fresh = freshImages.get(module);
    const bytes = x.exports.memory.buffer.byteLength;
    if (!x.fresh && bytes <= FRESH_MAX_BYTES && typeof x.exports[SAVE_GLOBALS] === 'function') {
      x.exports[SAVE_GLOBALS]();
      // The spill wrote weave's reserved area, which `dirty` (the data segments) may not
      // cover: a restore must overwrite it too, here and in every instance renewed from it.
      x.dirty = { start: 0, end: Math.max(x.dirty.end, manifest.layout.reserved) };
      x.fresh = { memory: new Uint8Array(x.exports.memory.buffer).slice(), dirty: { ...x.dirty }, startPending: x.startPending };
      freshImages.set(module, x.fresh);
    }
    return x;
  }

  /**
   * This instance, made exactly as a fresh instance of its module is, for a new job under
   * `hooks`: memory and globals as instantiation left them, the start function pending
   * again where it was deferred, no output, no yields, no pause. Instantiating costs a
   * tiny job more than it runs (an instance, its imports, a Wasm memory that the slot
   * thread's GC then has to reclaim: about 0.1-0.2 ms a job). False, and nothing changed,
   * when it cannot be: its memory grew (it cannot shrink), no image of the module was kept
   * (a large initial memory), or its stack is not at rest (it trapped or paused).
   * A hub renews an instance only for the same client's next job (slot/core.ts).
   */
  renew(hooks: HostHooks): boolean {
    const fresh = this.fresh;
    const mem = this.exports.memory;
    if (!fresh || mem.buffer.byteLength !== fresh.memory.byteLength || this.exports.asyncify_get_state() !== ASYNCIFY_NORMAL) return false;
    // The whole memory, not the pages that differ: at most FRESH_MAX_BYTES, and nothing of
    // the last job can be left behind.
    new Uint8Array(mem.buffer).set(fresh.memory);
    this.exports[LOAD_GLOBALS]();
    this.hooks = hooks;
    this.dirty = { ...fresh.dirty };
    this.startPending = fresh.startPending;
    this.inStart = false;
    this.rewindPending = false;
    this.pausedFlag = false;
    this.yields = 0;
    this.maxYieldGapMs = 0;
    this.output = new OutputBuffer();
    return true;
  }

  entry(name: string): EntryInfo {
    const e = this.manifest.entries.find((x) => x.name === name);
    if (!e) throw new ExecError(`no export '${name}'; exports are: ${this.manifest.entries.map((x) => x.name).join(', ')}`);
    return e;
  }

  /**
   * Write the arguments of a new call to `entry` into its frame; strings and arrays are
   * allocated in the instance first (runtime/exec/boundary.ts). Throws ExecError for an
   * argument that does not fit its parameter.
   */
  start(entry: string, args: readonly ArgValue[]): void {
    const e = this.entry(entry);
    this.runStart();
    // A call starts with a whole allowance, whatever the module's start function spent.
    const fuel = this.exports[GLOBAL_EXPORT_PREFIX + FUEL_GLOBAL] as WebAssembly.Global | undefined;
    if (fuel) fuel.value = this.hooks.fuel ?? this.manifest.yieldInterval;
    const { values, release } = lowerArgs(this.access(), e, [...args]);
    try {
      this.exports[e.argsExport](...values);
    } finally {
      release();
    }
  }

  /**
   * The module's start function, deferred by weave to here: a job's first call, never a
   * restore (the checkpoint holds its effects). Throws ExecError 'start-trap' or
   * 'stack-limit' as an instantiation that ran it did.
   */
  private runStart(): void {
    this.dirty = { start: 0, end: Infinity };
    if (!this.startPending) return;
    this.startPending = false;
    this.inStart = true;
    try {
      this.exports[START_EXPORT]();
    } catch (err) {
      throw startError(err);
    } finally {
      this.inStart = false;
    }
  }

  private access(): InstanceAccess {
    return { memory: () => this.exports.memory, reserved: this.manifest.layout.reserved, exports: this.exports };
  }

  /** Run fragment `id` from its start, or resume it when the state was restored paused. */
  run(id: number, opts: RunOptions = {}): RunOutcome {
    const frag = this.manifest.fragments[id];
    if (!frag) throw new ExecError(`no fragment ${id}; the bundle has ${this.manifest.fragments.length}`);
    const fn = this.exports[frag.exportName];
    if (typeof fn !== 'function') throw new ExecError(`fragment ${id} is not in this module (export '${frag.exportName}' missing)`);
    this.pauseAtYield = opts.pauseAtYield;
    this.deadline = opts.deadline ?? Infinity;
    this.pausedFlag = false;
    if (this.rewindPending) {
      this.exports.asyncify_start_rewind(this.manifest.layout.asyncifyHeader);
    }
    let next: number;
    this.lastMark = performance.now();
    try {
      next = fn();
    } catch (err) {
      throw this.classify(err, id, frag.entry);
    } finally {
      this.pauseAtYield = undefined;
      this.deadline = Infinity;
      this.markGap();
    }
    if (this.rewindPending) {
      throw new ExecError(`fragment ${id} did not reach its yield point while resuming: the checkpoint does not match this bundle`);
    }
    if (this.pausedFlag) {
      try {
        // Asyncify checks here that the saved stack fit its buffer.
        this.exports.asyncify_stop_unwind();
      } catch (err) {
        throw this.classify(err, id, frag.entry);
      }
      return { kind: 'paused', fragment: id };
    }
    if (next === -1) return { kind: 'done' };
    // A fragment may only continue where the manifest says it can: a wrong id would run
    // another entry's code on this entry's frame and give a wrong result with no error.
    if (!frag.next.includes(next)) {
      throw new ExecError(`fragment ${id} of '${frag.entry}' continued at fragment ${next}, which its manifest does not list (${frag.next.join(', ')}); rebuild the bundle with this weave`, { code: 'bad-module' });
    }
    return { kind: 'next', next };
  }

  /** Called by the module at a yield point (fuel ran out). Returns the next allowance. */
  private onYield(): number {
    const interval = this.hooks.fuel ?? this.manifest.yieldInterval;
    // A yield point in the start function (run at instantiation or deferred): nothing to pause yet.
    if (!this.exports || this.inStart) return interval;
    if (this.exports.asyncify_get_state() === ASYNCIFY_REWINDING) {
      // Back at the yield point we paused in: the stack is rebuilt, continue normally.
      this.exports.asyncify_stop_rewind();
      this.rewindPending = false;
      return interval;
    }
    // The clock every 256 yield points, and only under a deadline: a read costs about as
    // much as a short stretch between two yield points.
    if (this.deadline !== Infinity && (this.yields & 255) === 0 && performance.now() > this.deadline) {
      // Unwinds the Wasm stack like a trap: the instance is not used again.
      throw new ExecError(`the run passed its wall-clock deadline (deadlineMs) at yield point ${this.yields}; it was stopped there`, { code: 'deadline-exceeded' });
    }
    this.yields++;
    this.markGap();
    this.hooks.onYield?.(this.yields);
    if (this.pauseAtYield?.(this.yields)) {
      const { asyncifyHeader, asyncifyStart, asyncifyEnd } = this.manifest.layout;
      const view = new DataView(this.exports.memory.buffer);
      view.setUint32(asyncifyHeader, asyncifyStart, true);
      const max = this.limits.maxStackBytes;
      view.setUint32(asyncifyHeader + 4, max ? Math.min(asyncifyEnd, asyncifyStart + max) : asyncifyEnd, true);
      this.exports.asyncify_start_unwind(asyncifyHeader);
      this.pausedFlag = true;
    }
    return interval;
  }

  private markGap(): void {
    const now = performance.now();
    if (now - this.lastMark > this.maxYieldGapMs) this.maxYieldGapMs = now - this.lastMark;
    this.lastMark = now;
  }

  /** A sandbox limit hit during a run becomes its ExecError; anything else a FragmentTrap. */
  private classify(err: unknown, id: number, entry: string): Error {
    if (err instanceof ExecError || err instanceof FragmentTrap) return err;
    const where = `in fragment ${id} of '${entry}'`;
    if (isStackOverflow(err)) {
      return new ExecError(`runaway recursion ${where}: the call stack overflowed (${(err as Error).message})`, { cause: err, code: 'stack-limit' });
    }
    if (this.pausedFlag && this.unwindOverflowed()) {
      const { asyncifyStart, asyncifyEnd } = this.manifest.layout;
      const bytes = Math.min(asyncifyEnd - asyncifyStart, this.limits.maxStackBytes ?? Infinity);
      return new ExecError(`the call stack ${where} at yield point ${this.yields} is deeper than the ${bytes}-byte Asyncify stack (maxStackBytes) it must be saved in`, { cause: err, code: 'stack-limit' });
    }
    const pages = this.limits.maxMemoryPages ?? DEFAULT_MAX_MEMORY_PAGES;
    const used = this.exports.memory.buffer.byteLength / 65536;
    if (err instanceof WebAssembly.RuntimeError && /unreachable/.test(err.message) && used >= pages * MEMORY_LIMIT_NEAR) {
      return new ExecError(`the program ran out of memory ${where}: it holds ${used} of the ${pages} pages the sandbox allows (maxMemoryPages, ${pages * 64} KiB) and a memory.grow was refused`, { cause: err, code: 'memory-limit' });
    }
    return FragmentTrap.from(err, id, entry);
  }

  /** The Asyncify data header says the saved stack ran past its end (checked at stop_unwind). */
  private unwindOverflowed(): boolean {
    if (this.exports.asyncify_get_state() === ASYNCIFY_UNWINDING) return true;
    const view = new DataView(this.exports.memory.buffer);
    const at = this.manifest.layout.asyncifyHeader;
    return view.getUint32(at, true) > view.getUint32(at + 4, true);
  }

  /**
   * An exact copy of the state: memory with globals spilled into it. With `view`, the
   * memory is the instance's own (no copy), valid only until the instance runs again.
   */
  capture(meta: Omit<Checkpoint, 'kind' | 'memory' | 'paused' | 'yields' | 'fragment'> & { fragment: number; paused: boolean }, opts: { view?: boolean } = {}): Checkpoint {
    if (this.exports.asyncify_get_state() !== ASYNCIFY_NORMAL) throw new ExecError('cannot capture while the stack is unwinding or rewinding');
    this.exports[SAVE_GLOBALS]();
    const memory = new Uint8Array(this.exports.memory.buffer);
    const output = this.output.byteLength ? { output: this.output.bytes() } : {};
    return { kind: 'full', ...meta, yields: this.yields, memory: opts.view ? memory : memory.slice(), ...output };
  }

  /**
   * This instance, made ready for `restore` as a fresh one is, for a job that paused in it
   * and may come back (a hub keeps it as its spare): its memory's pages are mapped
   * already, which a fresh memory's are not. Every byte of memory may be non-zero now, so
   * restore writes all of it; the per-instance measure (maxYieldGapMs) starts again. Its
   * table and imports are the module's and the job's, as a fresh instance's would be;
   * everything else the program sees (memory, globals, output, yields, where it paused)
   * is what restore sets, and run() resets its own flags.
   */
  recycled(): this {
    if (this.exports.asyncify_get_state() !== ASYNCIFY_NORMAL) throw new ExecError('cannot recycle an instance while the stack is unwinding or rewinding');
    this.dirty = { start: 0, end: Infinity };
    this.maxYieldGapMs = 0;
    return this;
  }

  /**
   * Make this (fresh or recycled) instance's state the checkpoint's. A paused checkpoint is resumed by
   * the next `run(cp.fragment)`. Throws ExecError when the memory cannot hold it.
   */
  restore(cp: Checkpoint): void {
    const from = this.growFor(cp);
    copySparse(new Uint8Array(this.exports.memory.buffer), cp.memory, { start: this.dirty.start, end: Math.min(from, this.dirty.end) });
    this.resumeFrom(cp);
  }

  /**
   * `restore` into an instance whose memory already holds `cp`'s bytes outside the byte
   * ranges `changed`, up to its current length (the instance the job paused in here, and a
   * diff against the state it paused with): only those ranges are written, and whatever
   * the memory grows by. Throws ExecError as restore.
   */
  restoreOver(cp: Checkpoint, changed: ReadonlyArray<readonly [number, number]>): void {
    const from = this.growFor(cp);
    const dst = new Uint8Array(this.exports.memory.buffer);
    for (const [start, end] of changed) dst.set(cp.memory.subarray(start, end), start);
    if (cp.memory.byteLength > from) dst.set(cp.memory.subarray(from), from);
    this.resumeFrom(cp);
  }

  /**
   * `restoreOver`, the bytes to write given as (offset, bytes) instead of ranges of
   * `cp.memory`, which is not read (a diff held apart from its base: snapshot/pending.ts).
   * The memory must be `cp`'s length already (nothing to grow: what it would grow by is
   * in no write). Throws ExecError as restore.
   */
  restoreWrites(cp: Checkpoint, writes: ReadonlyArray<readonly [number, Uint8Array]>): void {
    const have = this.exports.memory.buffer.byteLength;
    if (have !== cp.memory.byteLength) throw new ExecError(`cannot restore ${cp.memory.byteLength} bytes of memory over ${have}: restore the state whole`);
    const dst = new Uint8Array(this.exports.memory.buffer);
    for (const [at, bytes] of writes) dst.set(bytes, at);
    this.resumeFrom(cp);
  }

  /** The memory grown to `cp`'s length; returns its length before. */
  private growFor(cp: Checkpoint): number {
    const mem = this.exports.memory;
    const pages = this.limits.maxMemoryPages ?? DEFAULT_MAX_MEMORY_PAGES;
    if (cp.memory.byteLength > pages * 65536) {
      throw new ExecError(`checkpoint memory of ${cp.memory.byteLength} bytes exceeds the sandbox limit of ${pages} pages (maxMemoryPages, ${pages * 65536} bytes)`, { code: 'memory-limit' });
    }
    const from = mem.buffer.byteLength;
    const need = cp.memory.byteLength - from;
    if (need < 0) throw new ExecError(`checkpoint memory (${cp.memory.byteLength} bytes) is smaller than the module's initial memory; it is not from this bundle`);
    if (need > 0) {
      try {
        mem.grow(need / 65536);
      } catch (err) {
        throw new ExecError(`cannot grow memory to ${cp.memory.byteLength} bytes to restore the checkpoint`, { cause: err });
      }
    }
    return from;
  }

  /** The rest of a restore, once the memory holds cp's bytes. */
  private resumeFrom(cp: Checkpoint): void {
    this.startPending = false;
    this.exports[LOAD_GLOBALS]();
    this.yields = cp.yields;
    this.output = new OutputBuffer(cp.output);
    this.rewindPending = cp.paused;
  }

  /**
   * After a pause and a capture, go on in this same instance: the next `run` of the paused
   * fragment rewinds to the yield point it paused at. Capture changes nothing the program
   * sees (it only spills globals into weave's reserved area), so the run continues exactly
   * as if it had never paused. For periodic checkpoints that do not move the fragment.
   */
  resumeInPlace(): void {
    if (this.exports.asyncify_get_state() !== ASYNCIFY_NORMAL) throw new ExecError('cannot resume while the stack is unwinding or rewinding');
    this.rewindPending = true;
  }

  /**
   * The entry's return value, read bit-exactly from its frame (and, for a string or an
   * array, from the object it points to: see liftResult).
   */
  result(entry: string): { type: BoundaryType; value: ResultValue; bytes: Uint8Array } {
    const e = this.entry(entry);
    const addr = e.frameBase + e.resultOffset;
    const type = resultType(e);
    const slot = new Uint8Array(this.exports.memory.buffer, addr, valueSize(e.result)).slice();
    const bytes = liftResult(this.access(), type, slot, this.limits.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES);
    return { type, value: decodeResult(type, bytes), bytes };
  }

  /** The job's output so far (io.output-write). */
  outputBytes(): Uint8Array {
    return this.output.bytes();
  }

  /**
   * Call `entry` start to finish in this instance, fragment after fragment, never pausing.
   * Throws FragmentTrap when the program traps.
   */
  call(entry: string, args: readonly ArgValue[]): { type: BoundaryType; value: ResultValue; bytes: Uint8Array } {
    this.start(entry, args);
    let id = this.entry(entry).fragments[0];
    for (let o = this.run(id); o.kind !== 'done'; o = this.run(id)) {
      id = o.kind === 'next' ? o.next : o.fragment;
    }
    return this.result(entry);
  }
}

/** A start function's failure, at instantiation (version 1 bundles) or deferred: one wording, one code. */
function startError(err: unknown): ExecError {
  if (isStackOverflow(err)) return new ExecError(`the module's start function overflowed the call stack: ${(err as Error).message}`, { cause: err, code: 'stack-limit' });
  return new ExecError(`the module's start function trapped: ${(err as Error)?.message ?? err}`, { cause: err, code: 'start-trap' });
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}
