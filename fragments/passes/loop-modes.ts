/**
 * Part of the yield-points pass: which functions get yield points, which only count fuel.
 *
 * User code gets a yield point in every loop. AssemblyScript's standard library gets them
 * only in loops that do enough work an iteration to pay for one: a call that may yield,
 * an indirect call (the program's callbacks: a sort's comparator, an array's map), or
 * bulk memory work; splitting a 4.8 MB string into 600,000 words ran 255 ms between yield
 * points in examples/wordfreq.ts before. Its other loops (hashing, comparing, scanning
 * one string or buffer, a Map's bucket chain) only count: their length bounds a call, and
 * a yield point in each put Asyncify on every Map and string operation's path
 * (examples/wordfreq.ts went from 1.10 to 1.30 times plain asc, its build from 0.7 to
 * 1.3 s). The runtime's allocator and collector, and all they call, only count: the host
 * calls them between runs, where a yield point would pause a call that is not a run.
 *   const plan = planLoops(m, graph, (name) => (name.startsWith('~lib/') ? 'heavy' : 'yield'));
 */
import binaryen from 'binaryen';
import { walk, type Expr } from './ir.js';
import type { CallGraph } from './call-graph.js';
import { chargesFuel } from './memory-fuel.js';

const b: any = binaryen;

/**
 * How a function's loops are instrumented: `yield`, a yield point in every loop (user
 * code); `heavy`, yield points if some loop does enough work an iteration (see above),
 * else as `count` (the standard library); `count`, loops only count fuel, never yield
 * (the runtime's allocator and collector); `none`, nothing but the charge for bulk memory
 * work (top-level code, weave's own functions).
 */
export type LoopMode = 'yield' | 'heavy' | 'count' | 'none';

export interface LoopPlan {
  /** Functions whose loops get yield points. */
  yielding: Set<string>;
  /** Functions whose loops only count. */
  counting: Set<string>;
  /** Functions that charge a unit at entry and may yield there (user code on a call cycle). */
  charged: Set<string>;
  /** Functions that do bulk memory work (memory-fuel.ts charges it). */
  memory: Set<string>;
}

/** What one walk of a function finds. */
interface Facts {
  loops: boolean;
  memory: boolean;
  /** A loop holds an indirect call or bulk memory work. */
  heavy: boolean;
  /** Functions called directly inside its loops. */
  loopCallees: Set<string>;
}

function factsOf(body: Expr): Facts {
  const f: Facts = { loops: false, memory: false, heavy: false, loopCallees: new Set() };
  walk(body, (e) => {
    const id = binaryen.getExpressionId(e);
    if (chargesFuel(e)) f.memory = true;
    if (id !== b.LoopId) return;
    f.loops = true;
    walk(b.Loop.getBody(e), (x) => {
      const xid = binaryen.getExpressionId(x);
      const charges = chargesFuel(x);
      if (charges) f.memory = true;
      if (xid === b.CallId) f.loopCallees.add(b.Call.getTarget(x));
      else if (xid === b.CallIndirectId || (charges && xid !== b.MemoryGrowId)) f.heavy = true;
    });
    return false;
  });
  return f;
}

export function planLoops(m: binaryen.Module, graph: CallGraph, modeOf: (name: string) => LoopMode): LoopPlan {
  const names = [...graph.calls.keys()];
  // What a counting function calls must not yield either: it may run outside a run.
  const capped = graph.reachableFrom(names.filter((n) => modeOf(n) === 'count'));
  const plan: LoopPlan = { yielding: new Set(), counting: new Set(), charged: new Set(), memory: new Set() };
  const heavy = new Map<string, Facts>();
  for (const name of names) {
    const facts = factsOf(binaryen.getFunctionInfo(m.getFunction(name)).body);
    if (facts.memory) plan.memory.add(name);
    let mode = modeOf(name);
    if (mode !== 'none' && capped.has(name)) mode = 'count';
    if (mode === 'yield') {
      if (facts.loops) plan.yielding.add(name);
      if (graph.recursive.has(name)) plan.charged.add(name);
    } else if (mode === 'heavy' && facts.loops) heavy.set(name, facts);
    else if (mode === 'count' && facts.loops) plan.counting.add(name);
  }
  // A heavy function yields once a loop of it calls one that may: decided until nothing
  // changes, since what may yield grows with each function that does.
  for (let grew = true; grew;) {
    grew = false;
    const reach = graph.reaching(new Set([...plan.yielding, ...plan.charged]));
    for (const [name, facts] of heavy) {
      if (!facts.heavy && ![...facts.loopCallees].some((c) => reach.has(c))) continue;
      plan.yielding.add(name);
      heavy.delete(name);
      grew = true;
    }
  }
  for (const name of heavy.keys()) plan.counting.add(name);
  return plan;
}
