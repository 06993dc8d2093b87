/**
 * Pass: drop what splitting replaced.
 *
 * Once an entry is split, the host runs it through its fragments and argument setter,
 * never through the export itself; its function stays only where other code still calls
 * it (one export calling another). So the entries' own exports go, and with them every
 * function nothing left can run, before the passes whose cost grows with the code they
 * see: yield points, Asyncify (which instrumented an entry's whole body because it can
 * reach a yield, 11.5 KB of wordfreq's 105 KB it instrumented), and the optimizer. The
 * prune pass stubbed these bodies at the end anyway; no kept function changes.
 *   dropReplaced(m, ['main', 'step']);   // after every entry is split
 */
import binaryen from 'binaryen';
import { CallGraph } from './call-graph.js';

export function dropReplaced(m: binaryen.Module, entryExports: string[]): void {
  for (const name of entryExports) m.removeExport(name);
  const graph = CallGraph.of(m);
  // What can still run: the remaining exports (fragments, argument setters, asc's runtime
  // for the host), the start function, and the table's functions (reached by call_indirect
  // and, should the table be exported, by the host).
  const roots = [...graph.tableFunctions];
  for (let i = 0; i < m.getNumExports(); i++) {
    const ex = binaryen.getExportInfo(m.getExportByIndex(i));
    if (ex.kind === binaryen.ExternalFunction) roots.push(ex.value);
  }
  const start = m.getStart();
  if (start) roots.push(binaryen.getFunctionInfo(start).name);
  const used = graph.usedFrom(roots);
  for (const name of graph.calls.keys()) if (!used.has(name)) m.removeFunction(name);
}
