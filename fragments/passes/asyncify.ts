/**
 * Pass: Asyncify, restricted to what can be on the stack at a yield point.
 *
 * Binaryen's Asyncify instruments only functions that can reach an import listed in
 * `asyncify-imports` (here just the host's `control.yield`) through the call graph, plus indirect calls.
 * The unwind buffer lives in weave's reserved area (layout.asyncifyStart..asyncifyEnd),
 * which the AssemblyScript allocator can never touch. Usage:
 *   runAsyncify(m);   // adds asyncify_start_unwind / stop_unwind / start_rewind / stop_rewind
 */
import binaryen from 'binaryen';
import { YIELD_IMPORT } from './yield-points.js';

export const ASYNCIFY_EXPORTS = ['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind', 'asyncify_get_state'];

export function runAsyncify(m: binaryen.Module): void {
  binaryen.setPassArgument('asyncify-imports', `${YIELD_IMPORT.module}.${YIELD_IMPORT.base}`);
  try {
    m.runPasses(['asyncify']);
  } finally {
    binaryen.setPassArgument('asyncify-imports', null);
  }
}
