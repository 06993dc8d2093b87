/**
 * Pass: fuel-gated yield points at every loop header of user code.
 *
 * Each function with loops gets a local fuel counter set to the yield interval on entry.
 * Every loop iteration decrements it; only when it runs out is the host's `control.yield`
 * called, which returns the next allowance. The counter is a local, not a global, so the
 * hot path is a register decrement and a branch; it is saved by Asyncify like any local,
 * so the count of yield points passed is a deterministic function of the program's run.
 *   addYieldPoints(m, { interval: 10000, include: (name) => !name.startsWith('~') });
 */
import binaryen from 'binaryen';
import { rewrite } from './ir.js';

import { YIELD_IMPORT, DEFAULT_YIELD_INTERVAL } from '../abi.js';
export { YIELD_IMPORT, DEFAULT_YIELD_INTERVAL };

export interface YieldPointOptions {
  interval: number;
  /** Which functions get yield points (by internal name). */
  include: (name: string) => boolean;
}

/** Returns the names of the functions that got yield points. */
export function addYieldPoints(m: binaryen.Module, opts: YieldPointOptions): string[] {
  m.addFunctionImport(YIELD_IMPORT.internal, YIELD_IMPORT.module, YIELD_IMPORT.base, binaryen.none, binaryen.i32);
  const changed: string[] = [];
  const b: any = binaryen;
  const names: string[] = [];
  for (let i = 0; i < m.getNumFunctions(); i++) names.push(binaryen.getFunctionInfo(m.getFunctionByIndex(i)).name);
  for (const name of names) {
    if (!opts.include(name)) continue;
    const info = binaryen.getFunctionInfo(m.getFunction(name));
    if (!info.body) continue;
    const fuel = binaryen.expandType(info.params).length + info.vars.length;
    let loops = 0;
    const body = rewrite(info.body, (e) => {
      if (binaryen.getExpressionId(e) !== b.LoopId) return e;
      // The loop becomes two: the original (hot) loop only counts fuel and leaves to an
      // outer loop when it runs out; the outer loop calls yield and re-enters. The hot
      // loop then holds no call that can unwind, so Asyncify leaves it uninstrumented.
      const again = `__weave_yield_${loops++}`;
      const fuelGet = () => m.local.get(fuel, binaryen.i32);
      const loopBody = b.Loop.getBody(e);
      b.Loop.setBody(e, m.block(null, [
        // Check before spending, so an allowance of 1 still runs one iteration per yield.
        m.br(again, m.i32.le_s(fuelGet(), m.i32.const(0))),
        m.local.set(fuel, m.i32.sub(fuelGet(), m.i32.const(1))),
        loopBody,
      ], binaryen.getExpressionType(loopBody)));
      const type = binaryen.getExpressionType(e);
      return m.loop(again, m.block(null, [
        m.if(m.i32.le_s(fuelGet(), m.i32.const(0)), m.local.set(fuel, m.call(YIELD_IMPORT.internal, [], binaryen.i32))),
        e,
      ], type));
    });
    if (!loops) continue;
    // Adding a local means re-creating the function; keep its exports pointing at it.
    const exports = exportsOf(m, name);
    for (const ex of exports) m.removeExport(ex);
    m.removeFunction(name);
    m.addFunction(name, info.params, info.results, [...info.vars, binaryen.i32],
      m.block(null, [m.local.set(fuel, m.i32.const(opts.interval)), body], info.results));
    for (const ex of exports) m.addFunctionExport(name, ex);
    changed.push(name);
  }
  return changed;
}

function exportsOf(m: binaryen.Module, internal: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < m.getNumExports(); i++) {
    const ex = binaryen.getExportInfo(m.getExportByIndex(i));
    if (ex.kind === binaryen.ExternalFunction && ex.value === internal) out.push(ex.name);
  }
  return out;
}
