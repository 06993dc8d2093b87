/**
 * Pass: fuel-gated yield points, with one fuel counter for the whole run.
 *
 * The counter is a mutable global (`__weave_fuel`), so it is part of every checkpoint and
 * spans calls: work spread over many short loops in many calls, or over recursion, reaches
 * a yield point after about the configured amount of work, like one long loop does.
 * Work is counted in loop iterations of user code and calls of recursive user functions.
 *
 * Hot loops must not pay for a global: a function with loops keeps the counter in a local
 * (loaded on entry, stored back on exit and around every call that may spend fuel), so
 * its loops only decrement a register and branch. When fuel runs out, control leaves the
 * loop to a wrapper loop that calls the host's `control.yield` (which returns the next
 * allowance) and re-enters. A loop nest with no call that may reach a yield point goes
 * further: it moves, whole, into a function of its own that Asyncify never instruments
 * (outline-nest.ts), since Asyncify's state checks around the wrapper of an inner loop
 * otherwise land in every outer loop's iterations.
 * Functions on a call cycle charge one unit at entry. The count of yield points passed is
 * a deterministic function of the program's run, so a restored run yields where the
 * uninterrupted one does.
 *   addYieldPoints(m, { interval: 10000, include: (name) => !name.startsWith('~') });
 */
import binaryen from 'binaryen';
import { childSlots, containsLoop, rewrite, type Expr } from './ir.js';
import { CallGraph } from './call-graph.js';
import { outlineNest, NEST_LABEL_PREFIX } from './outline-nest.js';

import { YIELD_IMPORT, DEFAULT_YIELD_INTERVAL, FUEL_GLOBAL } from '../abi.js';
export { YIELD_IMPORT, DEFAULT_YIELD_INTERVAL, FUEL_GLOBAL };

export interface YieldPointOptions {
  interval: number;
  /** Which functions get yield points (by internal name). */
  include: (name: string) => boolean;
}

const b: any = binaryen;
const EXIT_LABEL = '__weave_fuel_exit';

/** Returns the names of the functions that got yield points or an entry charge. */
export function addYieldPoints(m: binaryen.Module, opts: YieldPointOptions): string[] {
  m.addFunctionImport(YIELD_IMPORT.internal, YIELD_IMPORT.module, YIELD_IMPORT.base, binaryen.none, binaryen.i32);
  m.addGlobal(FUEL_GLOBAL, binaryen.i32, true, m.i32.const(opts.interval));
  const graph = CallGraph.of(m);
  const withLoops = new Set<string>();
  const charged = new Set<string>();
  for (const name of graph.calls.keys()) {
    if (!opts.include(name)) continue;
    if (containsLoop(binaryen.getFunctionInfo(m.getFunction(name)).body)) withLoops.add(name);
    if (graph.recursive.has(name)) charged.add(name);
  }
  // A call can change the counter only if it may reach a function that spends fuel.
  const spenders = graph.reaching(new Set([...withLoops, ...charged]));
  const indirectSpends = [...graph.tableFunctions].some((f) => spenders.has(f));
  const changed: string[] = [];
  for (const name of graph.calls.keys()) {
    if (withLoops.has(name)) {
      instrumentLoops(m, name, charged.has(name), (callee) => (callee === null ? indirectSpends : spenders.has(callee)));
      changed.push(name);
    } else if (charged.has(name)) {
      chargeEntry(m, name);
      changed.push(name);
    }
  }
  return changed;
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

/**
 * A function with loops: the counter lives in a local while it runs. `syncs(callee)`
 * (null for an indirect call) says whether a call may spend fuel, and so needs the local
 * written to the global before it and read back after it.
 */
function instrumentLoops(m: binaryen.Module, name: string, charge: boolean, syncs: (callee: string | null) => boolean): void {
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
  const store = () => m.global.set(FUEL_GLOBAL, local());
  const load = () => m.local.set(fuel, fuelGet(m));
  let loops = 0;

  // Loop nests that cannot reach a yield point leave the function first (outline-nest.ts
  // says why); the loops left are those around such calls, or inside expressions.
  let nests = 0;
  let resume: number | undefined;
  const nestContext = {
    fuel, spends: syncs, addVar, typeOf: (i: number) => types[i], results: info.results,
    resumeLocal: () => (resume ??= addVar(binaryen.i32)), yieldCall: () => callYield(m),
  };
  const outline = (e: Expr): Expr => {
    if (binaryen.getExpressionId(e) === b.LoopId) {
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
  const outlined = outline(info.body);

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
      if (!syncs(direct ? b.Call.getTarget(e) : null)) return e;
      const type = binaryen.getExpressionType(e);
      if (type === binaryen.none || type === binaryen.unreachable) {
        return m.block(null, [store(), e, load()], binaryen.none);
      }
      const t = temp(type);
      return m.block(null, [store(), m.local.set(t, e), load(), m.local.get(t, type)], type);
    }
    if (id !== b.LoopId || b.Loop.getName(e)?.startsWith(NEST_LABEL_PREFIX)) return e;
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
