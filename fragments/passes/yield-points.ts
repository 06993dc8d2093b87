/**
 * Pass: fuel-gated yield points, with one fuel counter for the whole run.
 *
 * The counter is a mutable global (`__weave_fuel`), so it is part of every checkpoint and
 * spans calls: work spread over many short loops in many calls, or over recursion, reaches
 * a yield point after about the configured amount of work, like one long loop does.
 * Work is counted in loop iterations, calls of recursive user functions and bytes of bulk
 * memory work (memory-fuel.ts). Which loops get yield points and which only count is
 * loop-modes.ts's choice: all of user code's, the standard library's heavier ones.
 *
 * Hot loops must not pay for a global: a function with loops keeps the counter in a local
 * (loaded on entry, stored back on exit and around every call that may spend fuel), so
 * its loops only decrement a register and branch. When fuel runs out, control leaves the
 * loop to a wrapper loop that calls the host's `control.yield` (which returns the next
 * allowance) and re-enters. A loop nest with no call that may reach a yield point goes
 * further: it moves, whole, into a function of its own that Asyncify never instruments
 * (outline-nest.ts), since Asyncify's state checks around the wrapper of an inner loop
 * otherwise land in every outer loop's iterations. A lone loop (no loop inside) of a
 * recursive function stays: there the checks run once per entry, cheaper than a call.
 * A loop that only counts decrements the local, with no check. Functions on a call cycle
 * charge one unit at entry, and bulk memory work in any function, the runtime's included,
 * charges by size. The count of yield points passed is a deterministic function of the
 * program's run, so a restored run yields where the uninterrupted one does.
 *   addYieldPoints(m, { interval: 10000, mode: (name) => (name.startsWith('~') ? 'count' : 'yield') });
 */
import binaryen from 'binaryen';
import { childSlots, rewrite, walk, type Expr } from './ir.js';
import { CallGraph } from './call-graph.js';
import { outlineNest, NEST_LABEL_PREFIX } from './outline-nest.js';
import { memoryCharge, FUEL_FLOOR, type FuelAccess } from './memory-fuel.js';
import { planLoops, type LoopMode } from './loop-modes.js';
export type { LoopMode };

import { YIELD_IMPORT, DEFAULT_YIELD_INTERVAL, FUEL_GLOBAL } from '../abi.js';
export { YIELD_IMPORT, DEFAULT_YIELD_INTERVAL, FUEL_GLOBAL };

export interface YieldPointOptions {
  interval: number;
  /** Each function's mode, by internal name. */
  mode: (name: string) => LoopMode;
}

const b: any = binaryen;
const EXIT_LABEL = '__weave_fuel_exit';

/** Returns the names of the functions that got yield points or an entry charge. */
export function addYieldPoints(m: binaryen.Module, opts: YieldPointOptions): string[] {
  m.addFunctionImport(YIELD_IMPORT.internal, YIELD_IMPORT.module, YIELD_IMPORT.base, binaryen.none, binaryen.i32);
  m.addGlobal(FUEL_GLOBAL, binaryen.i32, true, m.i32.const(opts.interval));
  const graph = CallGraph.of(m);
  const names = [...graph.calls.keys()];
  const { yielding: withLoops, counting, charged, memory } = planLoops(m, graph, opts.mode);
  // Bulk memory work charges the global wherever the counter is not in a local (functions
  // with loops charge their local, in instrumentLoops).
  const global = { get: () => fuelGet(m), set: (v: Expr) => m.global.set(FUEL_GLOBAL, v) };
  const chargers = [...memory].filter((name) => !withLoops.has(name) && !counting.has(name));
  for (const name of chargers) chargeMemoryWork(m, name, global);
  // A call may yield only if it may reach a function with a yield point; it may change
  // the counter if it may reach one that counts. Both need the caller's local synced.
  const yielding = graph.reaching(new Set([...withLoops, ...charged]));
  const charging = graph.reaching(new Set([...yielding, ...chargers, ...counting]));
  const indirect = (set: Set<string>) => [...graph.tableFunctions].some((f) => set.has(f));
  const indirectYields = indirect(yielding);
  const indirectCharges = indirect(charging);
  const effects: CallEffects = {
    yields: (callee) => (callee === null ? indirectYields : yielding.has(callee)),
    charges: (callee) => (callee === null ? indirectCharges : charging.has(callee)),
  };
  const changed: string[] = [];
  for (const name of names) {
    if (withLoops.has(name)) {
      instrumentLoops(m, name, { charge: charged.has(name), yields: true }, effects);
      changed.push(name);
    } else if (counting.has(name)) {
      // A decrement per iteration and a load and store of the counter: nothing for
      // Binaryen to improve, so not listed for re-optimization (a build of
      // examples/wordfreq.ts spent 0.3 s re-optimizing the standard library).
      instrumentLoops(m, name, { charge: false, yields: false }, effects);
    } else if (charged.has(name)) {
      chargeEntry(m, name);
      changed.push(name);
    }
  }
  return changed;
}

/** Rewrites a function's memory work (it has some: LoopPlan.memory) to charge `fuel`. */
function chargeMemoryWork(m: binaryen.Module, name: string, fuel: FuelAccess): void {
  const ref = m.getFunction(name);
  b.Function.setBody(ref, rewrite(binaryen.getFunctionInfo(ref).body, memoryCharge(m, fuel, (t) => b._BinaryenFunctionAddVar(ref, t))));
}

const fuelGet = (m: binaryen.Module) => m.global.get(FUEL_GLOBAL, binaryen.i32);
const callYield = (m: binaryen.Module) => m.call(YIELD_IMPORT.internal, [], binaryen.i32);

/** A function without loops on a call cycle: one unit per call, on the global itself. */
function chargeEntry(m: binaryen.Module, name: string): void {
  const ref = m.getFunction(name);
  const info = binaryen.getFunctionInfo(ref);
  b.Function.setBody(ref, m.block(null, [
    m.global.set(FUEL_GLOBAL, m.i32.sub(fuelGet(m), m.i32.const(1))),
    m.if(m.i32.le_s(fuelGet(m), m.i32.const(0)), m.global.set(FUEL_GLOBAL, callYield(m))),
    info.body,
  ], info.results));
}

/** Whether a loop holds another loop (a nest, always worth a function of its own). */
function hasInnerLoop(loop: Expr): boolean {
  let found = false;
  walk(b.Loop.getBody(loop), (x) => { if (binaryen.getExpressionId(x) === b.LoopId) found = true; });
  return found;
}

/** For a call (callee name, null: indirect): may it reach a yield point; may it change the counter. */
interface CallEffects {
  yields: (callee: string | null) => boolean;
  charges: (callee: string | null) => boolean;
}

/**
 * A function with loops: the counter lives in a local while it runs. A call that may
 * change the counter gets the local written to the global before it and read back after.
 * `yields` false: its loops only count (a decrement, no check), and the counter it
 * stores back stops at FUEL_FLOOR, as charges do.
 */
function instrumentLoops(m: binaryen.Module, name: string, how: { charge: boolean; yields: boolean }, effects: CallEffects): void {
  const { charge, yields } = how;
  const ref = m.getFunction(name);
  const info = binaryen.getFunctionInfo(ref);
  const types = [...binaryen.expandType(info.params), ...info.vars];
  const addVar = (t: number): number => {
    types.push(t);
    return b._BinaryenFunctionAddVar(ref, t);
  };
  const fuel = addVar(binaryen.i32);
  const temps = new Map<number, number>();
  const temp = (t: number) => {
    let i = temps.get(t);
    if (i === undefined) { i = addVar(t); temps.set(t, i); }
    return i;
  };
  const local = () => m.local.get(fuel, binaryen.i32);
  const store = () => m.global.set(FUEL_GLOBAL, yields ? local() : m.select(m.i32.gt_s(local(), m.i32.const(FUEL_FLOOR)), local(), m.i32.const(FUEL_FLOOR)));
  const load = () => m.local.set(fuel, fuelGet(m));
  const synced = (call: Expr): Expr => {
    const type = binaryen.getExpressionType(call);
    if (type === binaryen.none || type === binaryen.unreachable) return m.block(null, [store(), call, load()], binaryen.none);
    const t = temp(type);
    return m.block(null, [store(), m.local.set(t, call), load(), m.local.get(t, type)], type);
  };

  // First the work that changes the counter without yielding: memory work charges the
  // local, and calls that only charge are synced. Both may sit in a loop nest that is
  // outlined next: the nest takes the fuel local with it.
  const charges = memoryCharge(m, { get: local, set: (v) => m.local.set(fuel, v) }, addVar);
  const charging = rewrite(info.body, (e) => {
    const id = binaryen.getExpressionId(e);
    if (id === b.CallId || id === b.CallIndirectId) {
      const direct = id === b.CallId;
      if (direct ? b.Call.isReturn(e) : b.CallIndirect.isReturn(e)) return e;
      const callee = direct ? b.Call.getTarget(e) : null;
      return effects.charges(callee) && !effects.yields(callee) ? synced(e) : e;
    }
    return charges(e);
  });
  let loops = 0;

  // Loop nests that cannot reach a yield point leave the function first (outline-nest.ts
  // says why); the loops left are those around such calls, or inside expressions.
  let nests = 0;
  let resume: number | undefined;
  const nestContext = {
    fuel, spends: effects.yields, addVar, typeOf: (i: number) => types[i], results: info.results,
    resumeLocal: () => (resume ??= addVar(binaryen.i32)), yieldCall: () => callYield(m),
  };
  const outline = (e: Expr): Expr => {
    // In a function on a call cycle a lone loop (none inside it) stays: each call of such
    // a function does a share of the recursion's work, so its loops are short and entered
    // often, and a call with a tuple back per entry cost more than Asyncify's checks, which
    // run once per entry of the loop, not per iteration (a string compare asc inlined into
    // a recursive function: bench/programs/string-recursion.ts 1.15-1.17 -> 1.08-1.10
    // times plain asc). Elsewhere lone loops leave too: particles' long single loops in `step` ran
    // about 2.5% slower left in place (examples/particles.ts 1.075 against 1.045).
    if (binaryen.getExpressionId(e) === b.LoopId && (!charge || hasInnerLoop(e))) {
      const wrapper = outlineNest(m, `__weave_nest:${name}:${nests}`, e, nestContext);
      if (wrapper) { nests++; return wrapper; }
    }
    for (const slot of childSlots(e)) {
      const before = slot.get();
      const after = outline(before);
      if (after !== before) slot.set(after);
    }
    return e;
  };
  const outlined = yields ? outline(charging) : charging;

  const body = rewrite(outlined, (e) => {
    const id = binaryen.getExpressionId(e);
    if (id === b.ReturnId) {
      // Every way out passes the epilogue that stores the counter back.
      const value = b.Return.getValue(e);
      return m.br(EXIT_LABEL, undefined, value || undefined);
    }
    if (id === b.CallId || id === b.CallIndirectId) {
      const direct = id === b.CallId;
      if ((direct ? b.Call.isReturn(e) : b.CallIndirect.isReturn(e))) return e; // refused by the split pass
      return effects.yields(direct ? b.Call.getTarget(e) : null) ? synced(e) : e;
    }
    if (id !== b.LoopId || b.Loop.getName(e)?.startsWith(NEST_LABEL_PREFIX)) return e;
    if (!yields) {
      const loopBody = b.Loop.getBody(e);
      b.Loop.setBody(e, m.block(null, [m.local.set(fuel, m.i32.sub(local(), m.i32.const(1))), loopBody], binaryen.getExpressionType(loopBody)));
      return e;
    }
    // The loop becomes two: the original (hot) loop only counts fuel and leaves to an
    // outer loop when it runs out; the outer loop calls yield and re-enters. The hot
    // loop then holds no call that can unwind, so Asyncify leaves it uninstrumented.
    const again = `__weave_yield_${loops++}`;
    const loopBody = b.Loop.getBody(e);
    b.Loop.setBody(e, m.block(null, [
      // Check before spending, so an allowance of 1 still runs one iteration per yield.
      m.br(again, m.i32.le_s(local(), m.i32.const(0))),
      m.local.set(fuel, m.i32.sub(local(), m.i32.const(1))),
      loopBody,
    ], binaryen.getExpressionType(loopBody)));
    const type = binaryen.getExpressionType(e);
    return m.loop(again, m.block(null, [
      m.if(m.i32.le_s(local(), m.i32.const(0)), m.local.set(fuel, callYield(m))),
      e,
    ], type));
  });

  const results = info.results;
  const prologue = charge
    ? [m.local.set(fuel, m.i32.sub(fuelGet(m), m.i32.const(1))), m.if(m.i32.le_s(local(), m.i32.const(0)), m.local.set(fuel, callYield(m)))]
    : [load()];
  const exit = m.block(EXIT_LABEL, [body], results);
  let out: Expr;
  if (results === binaryen.none) {
    out = m.block(null, [...prologue, exit, store()], binaryen.none);
  } else {
    const r = temp(results);
    out = m.block(null, [...prologue, m.local.set(r, exit), store(), m.local.get(r, results)], results);
  }
  b.Function.setBody(ref, out);
}
