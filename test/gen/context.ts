/**
 * What the generator knows while it writes one module: the names in scope and their
 * types, the heap objects, the helpers it may call and what each costs in yield points,
 * and the features used so far. Expression and statement generators read and extend it.
 *   const m = new ModuleCtx(new Rng(seed), options);
 *   const f = m.fn('i32', budget); f.declare({ name: 'a', t: 'i32', mutable: true });
 */
import type { Rng } from './rng.js';
import type { Node } from './tree.js';
import type { Scalar } from './types.js';
import type { Feature } from './features.js';
import type { AsRuntime } from '../../fragments/index.js';

// Type names, which a prefix and a number could spell; and export parameters' names
// (generate.ts: a0-a2), which a local array (`a` and the counter) spelled at seed 633659684
// of a fuzz:weave campaign, and asc refused the module (TS2451, redeclared).
const RESERVED = new Set(['i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'f32', 'f64', 'v128', 'a0', 'a1', 'a2']);

export interface GenOptions {
  /** Most yield points (loop iterations, recursive calls) one call of an export may pass. */
  maxYields: number;
  /** How many exports a module has, at least and at most. */
  exports: [number, number];
  /** Argument sets per export. */
  argSets: number;
  /** Largest constant loop bound. */
  maxLoop: number;
  /** Statements per block, at most (nested blocks get fewer). */
  maxStatements: number;
  /** Functions made for calls (each also costs build time). */
  maxHelpers: number;
  /** Class families per module, at most. */
  maxFamilies: number;
  /** Share of modules that allocate ('heap' profile). */
  heapShare: number;
  /** How many kinds of heap object one heap module uses (std library code is build time). */
  heapKinds: [number, number];
  /** AssemblyScript runtimes of heap modules, by weight. */
  runtimes: Partial<Record<AsRuntime, number>>;
}

/** Numbers worth keeping small: in the suite every yield point costs a restore. */
export const SUITE_OPTIONS: GenOptions = {
  maxYields: 10, exports: [3, 4], argSets: 3, maxLoop: 4, maxStatements: 3, maxHelpers: 3, maxFamilies: 1,
  // The runtimes with a collector (TLSF, GC) make a module several times slower to weave.
  heapShare: 0.27, heapKinds: [2, 3], runtimes: { stub: 5, minimal: 1, incremental: 1.5 },
};
/** fuzz:weave: longer runs, more of everything. */
export const FUZZ_OPTIONS: GenOptions = {
  maxYields: 60, exports: [2, 6], argSets: 5, maxLoop: 7, maxStatements: 4, maxHelpers: 10, maxFamilies: 2,
  heapShare: 0.5, heapKinds: [2, 5], runtimes: { incremental: 2, minimal: 1, stub: 1 },
};

/** 'numeric' modules allocate nothing (no runtime in the binary: fast to build); 'heap' ones do. */
export type Profile = 'numeric' | 'heap';

export interface Var {
  name: string;
  t: Scalar;
  /** False for loop counters and parameters the loop bound depends on. */
  mutable: boolean;
}

export type ArrayElem = 'i32' | 'i64' | 'f64';
export type TypedCtor = 'Int32Array' | 'Uint8Array' | 'Int64Array' | 'Float32Array' | 'Float64Array';
export const TYPED_ELEM: Record<TypedCtor, Scalar> = { Int32Array: 'i32', Uint8Array: 'u8', Int64Array: 'i64', Float32Array: 'f32', Float64Array: 'f64' };

export interface MethodInfo { name: string; ret: Scalar | 'void'; param: Scalar; cost: number }
export interface ClassInfo {
  name: string;
  fields: Array<{ name: string; t: Scalar }>;
  /** Methods callable on an instance (own and inherited), each `(param) => ret`. */
  methods: MethodInfo[];
  /** Constructor parameters, in order. */
  ctor: Scalar[];
  /** Classes whose instances a variable of this type may hold (itself included). */
  concrete: ClassInfo[];
  /** Set for an interface: it cannot be constructed. */
  isInterface?: boolean;
}

export type HeapKind =
  | { k: 'array'; elem: ArrayElem }
  | { k: 'typed'; ctor: TypedCtor; len: number }
  | { k: 'string' }
  | { k: 'map'; key: 'i32' | 'string'; val: ArrayElem }
  | { k: 'set'; elem: 'i32' | 'string' }
  | { k: 'obj'; cls: ClassInfo }
  | { k: 'box'; generic: string; t: 'i32' | 'f64' };

export interface HeapVar { name: string; kind: HeapKind }

/** A function expressions may call: name, parameter and result types, cost of one call. */
export interface Helper {
  name: string;
  params: Scalar[];
  ret: Scalar | 'void';
  cost: number;
  /** How to call it given argument sources (generic helpers add type arguments). */
  call?: (args: string[]) => string;
  /** Records the features a call uses. */
  used?: () => void;
}

/** One function being generated. */
export class FnCtx {
  vars: Var[] = [];
  heap: HeapVar[] = [];
  /** Enclosing loops, innermost last; `flag` set when an outer-loop break/continue may target it. */
  loops: Array<{ breakFlag?: string; continueFlag?: string; usedBreak?: boolean; usedContinue?: boolean }> = [];
  /** Yield points left for the code being generated (a loop body gets its share). */
  left: number;
  /** Blocks nested around the statement being generated. */
  nest = 0;
  /** Inside a switch case: `break` leaves the switch, not a loop. */
  inSwitch = false;
  /** memory.grow is used once per function at most. */
  grew = false;
  /** Top-level code: no calls and no traps, so the start function always completes. */
  get safe(): boolean { return this.topLevel; }

  constructor(readonly mod: ModuleCtx, readonly ret: Scalar | 'void', budget: number, readonly depth: number, readonly topLevel = false) {
    this.left = budget;
  }

  declare(v: Var): void { this.vars.push(v); }

  /** Variables of type t visible here, module globals included. */
  visible(t: Scalar, mutableOnly = false): Var[] {
    return [...this.mod.globals, ...this.vars].filter((v) => v.t === t && (!mutableOnly || v.mutable));
  }

  heapOf<K extends HeapKind['k']>(k: K): Array<HeapVar & { kind: Extract<HeapKind, { k: K }> }> {
    return [...this.mod.heapGlobals, ...this.heap].filter((h) => h.kind.k === k) as any;
  }

  /** Run `body` in a nested block: names it declares go out of scope after. */
  block<T>(body: () => T): T {
    const v = this.vars.length;
    const h = this.heap.length;
    try {
      return body();
    } finally {
      this.vars.length = v;
      this.heap.length = h;
    }
  }
}

export class ModuleCtx {
  features = new Set<Feature>();
  /** Module-level variables, initialized with constants: printed first. */
  globalDecls: Node[] = [];
  /** Classes, interfaces and functions. */
  decls: Node[] = [];
  /** Top-level statements: the module's start function. */
  top: Node[] = [];
  globals: Var[] = [];
  heapGlobals: HeapVar[] = [];
  helpers: Helper[] = [];
  voidHelpers: Helper[] = [];
  /** Module-level function references and the functions they may point at. */
  refGlobals: Array<{ name: string; targets: string[] }> = [];
  /** The generic function's name, once declared. */
  genericFn?: string;
  classes: ClassInfo[] = [];
  /** Class families declared so far (test/gen/classes.ts). */
  families: Array<{ base: ClassInfo; derived: ClassInfo; iface?: ClassInfo }> = [];
  buildingFamily = false;
  /** The generic class's name, once declared. */
  box?: string;
  /** Types the generic class and generic function were used at. */
  genericUses = new Map<string, Set<string>>();
  /** memory.data buffers: name and size in bytes. */
  buffers: Array<{ name: string; size: number }> = [];
  /** The kinds of heap object this module uses (none for 'numeric'). */
  heapKinds = new Set<HeapKind['k']>();
  private counter = 0;

  constructor(readonly rng: Rng, readonly opts: GenOptions, readonly profile: Profile) {
    if (profile === 'heap') {
      const kinds: Array<HeapKind['k']> = ['array', 'typed', 'string', 'map', 'set', 'obj', 'box'];
      for (let n = rng.int(opts.heapKinds[0], opts.heapKinds[1]); n > 0 && kinds.length; n--) {
        this.heapKinds.add(kinds.splice(rng.int(0, kinds.length - 1), 1)[0]);
      }
    }
  }

  allows(k: HeapKind['k']): boolean {
    return this.heapKinds.has(k);
  }

  /** A fresh name; never a RESERVED one. */
  name(prefix: string): string {
    for (;;) {
      const n = `${prefix}${this.counter++}`;
      if (!RESERVED.has(n)) return n;
    }
  }

  use(...f: Feature[]): void {
    for (const x of f) this.features.add(x);
  }

  fn(ret: Scalar | 'void', budget: number, depth: number, topLevel = false): FnCtx {
    return new FnCtx(this, ret, budget, depth, topLevel);
  }
}
