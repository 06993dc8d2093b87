/**
 * Pass: Asyncify, restricted to what can be on the stack at a yield point.
 *
 * Binaryen's Asyncify instruments functions that can reach an import listed in
 * `asyncify-imports` (here just the host's `control.yield`), and, not knowing where an
 * indirect call goes, every function that makes one and all their callers. weave's call
 * graph knows more: an indirect call can only reach table functions of its own signature
 * (anything else traps). So Asyncify gets the exact list of functions that can be on the
 * stack at a yield point (`asyncify-onlylist`): fewer functions instrumented means a
 * faster build and faster code, with the same pauses. The unwind buffer lives in weave's
 * reserved area (layout.asyncifyStart..asyncifyEnd), which the AssemblyScript allocator
 * can never touch. Usage:
 *   runAsyncify(m);   // adds asyncify_start_unwind / stop_unwind / start_rewind / stop_rewind
 */
import binaryen from 'binaryen';
import { YIELD_IMPORT } from './yield-points.js';
import { CallGraph } from './call-graph.js';

export const ASYNCIFY_EXPORTS = ['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind', 'asyncify_get_state'];

/**
 * Returns the functions Asyncify may have instrumented: those that can be on the stack at
 * a yield point, or undefined when Asyncify's own analysis chose (a name the list cannot
 * hold), which may instrument more.
 */
export function runAsyncify(m: binaryen.Module): Set<string> | undefined {
  const graph = CallGraph.of(m);
  const onStack = graph.reaching(new Set([YIELD_IMPORT.internal]));
  onStack.delete(YIELD_IMPORT.internal);
  // A name with a comma (asc's generics: `Map<i32,u8>#set`) cannot be told apart in the
  // list; should one be on the stack, Asyncify's own (wider) analysis decides instead.
  const listable = [...onStack].every((n) => !n.includes(',') && !n.includes('\n'));
  binaryen.setPassArgument('asyncify-imports', `${YIELD_IMPORT.module}.${YIELD_IMPORT.base}`);
  // Nothing can be on the stack at a yield point (no loops, no recursion): then no
  // indirect call can reach one either, and Asyncify only adds its exports.
  if (!onStack.size) binaryen.setPassArgument('asyncify-ignore-indirect', 'true');
  else if (listable) binaryen.setPassArgument('asyncify-onlylist', [...onStack].join(','));
  try {
    m.runPasses(['asyncify']);
  } finally {
    binaryen.setPassArgument('asyncify-imports', null);
    binaryen.setPassArgument('asyncify-onlylist', null);
    binaryen.setPassArgument('asyncify-ignore-indirect', null);
  }
  return !onStack.size || listable ? onStack : undefined;
}
