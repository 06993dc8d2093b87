/**
 * The module's call graph: who calls whom, directly or through the function table.
 *
 * An indirect call may reach any function in a table whose signature matches, so those
 * are its edges. Passes use it to find recursion (functions on a cycle) and which
 * functions can reach a given set (for instance, those that touch the fuel counter).
 *   const g = CallGraph.of(m);
 *   g.recursive.has('fib');  g.reaching(new Set(['work'])).has('main');
 */
import binaryen from 'binaryen';
import { walk } from './ir.js';

const b: any = binaryen;

export class CallGraph {
  /** Callees of each defined function (imports have no entry). */
  readonly calls = new Map<string, Set<string>>();
  /** Functions on a call cycle (recursion, direct, mutual or through the table). */
  readonly recursive = new Set<string>();
  /** Functions that make an indirect call. */
  readonly indirectCallers = new Set<string>();
  /** Every function an indirect call may reach. */
  readonly tableFunctions = new Set<string>();
  /** The functions each function names with `ref.func` (a use, not a call). */
  readonly refs = new Map<string, Set<string>>();

  private constructor() {}

  static of(m: binaryen.Module): CallGraph {
    const g = new CallGraph();
    const bySig = new Map<string, string[]>();
    const sig = (params: number, results: number) => `${params}:${results}`;
    for (let i = 0; i < m.getNumElementSegments(); i++) {
      for (const name of binaryen.getElementSegmentInfo(m.getElementSegmentByIndex(i)).data) {
        const f = binaryen.getFunctionInfo(m.getFunction(name));
        g.tableFunctions.add(name);
        const key = sig(f.params, f.results);
        const list = bySig.get(key) ?? [];
        list.push(name);
        bySig.set(key, list);
      }
    }
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (f.module) continue;
      const out = new Set<string>();
      walk(f.body, (e) => {
        const id = binaryen.getExpressionId(e);
        if (id === b.CallId) out.add(b.Call.getTarget(e));
        else if (id === b.CallIndirectId) {
          g.indirectCallers.add(f.name);
          for (const t of bySig.get(sig(b.CallIndirect.getParams(e), b.CallIndirect.getResults(e))) ?? []) out.add(t);
        } else if (id === b.RefFuncId) {
          const named = g.refs.get(f.name) ?? new Set<string>();
          named.add(b.RefFunc.getFunc(e));
          g.refs.set(f.name, named);
        }
      });
      g.calls.set(f.name, out);
    }
    g.findCycles();
    return g;
  }

  /** The functions that can reach one of `targets` through calls (targets included). */
  reaching(targets: Set<string>): Set<string> {
    const callers = new Map<string, string[]>();
    for (const [from, tos] of this.calls) {
      for (const to of tos) {
        const list = callers.get(to) ?? [];
        list.push(from);
        callers.set(to, list);
      }
    }
    return closure(targets, (n) => callers.get(n));
  }

  /** The functions `roots` can reach through calls (roots included). */
  reachableFrom(roots: Iterable<string>): Set<string> {
    return closure(roots, (n) => this.calls.get(n));
  }

  /** The functions `roots` can reach through calls or `ref.func` (roots included): all that can ever run. */
  usedFrom(roots: Iterable<string>): Set<string> {
    return closure(roots, (n) => [...(this.calls.get(n) ?? []), ...(this.refs.get(n) ?? [])]);
  }

  /** Tarjan's strongly connected components, iteratively (call graphs can be deep). */
  private findCycles(): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    let next = 0;
    for (const root of this.calls.keys()) {
      if (index.has(root)) continue;
      const work: Array<{ v: string; it: Iterator<string> }> = [];
      const enter = (v: string) => {
        index.set(v, next); low.set(v, next); next++;
        stack.push(v); onStack.add(v);
        work.push({ v, it: (this.calls.get(v) ?? new Set<string>()).values() });
      };
      enter(root);
      while (work.length) {
        const top = work[work.length - 1];
        const step = top.it.next();
        if (!step.done) {
          const w = step.value;
          if (!this.calls.has(w)) continue; // an import
          if (!index.has(w)) enter(w);
          else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
          continue;
        }
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1].v;
          low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
        }
        if (low.get(top.v) === index.get(top.v)) {
          const scc: string[] = [];
          let w: string;
          do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== top.v);
          if (scc.length > 1 || this.calls.get(top.v)!.has(top.v)) for (const x of scc) this.recursive.add(x);
        }
      }
    }
  }
}

/** `start` and everything `next` leads to from it, transitively. */
function closure(start: Iterable<string>, next: (name: string) => Iterable<string> | undefined): Set<string> {
  const out = new Set(start);
  const stack = [...out];
  while (stack.length) {
    for (const c of next(stack.pop()!) ?? []) {
      if (!out.has(c)) { out.add(c); stack.push(c); }
    }
  }
  return out;
}
