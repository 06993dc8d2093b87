/**
 * Pass: one pruned module per entry (all of its fragments).
 *
 * Starts from the final woven binary, keeps only the entry's fragment exports plus the state
 * exports every fragment module shares, and removes what is unreachable. Function bodies
 * are not re-optimized, so Asyncify's saved stacks and the frames mean the same in every
 * module of the bundle, and a checkpoint moves between them freely.
 *   const bytes = pruneFor(finalBinary, '__weave_frag:main:2', sharedExports);
 */
import binaryen from 'binaryen';

export function pruneFor(finalBinary: Uint8Array, keep: Set<string>): Uint8Array {
  const m = binaryen.readBinary(finalBinary);
  try {
    const drop: string[] = [];
    for (let i = 0; i < m.getNumExports(); i++) {
      const ex = binaryen.getExportInfo(m.getExportByIndex(i));
      if (ex.kind === binaryen.ExternalFunction && !keep.has(ex.name)) drop.push(ex.name);
    }
    for (const name of drop) m.removeExport(name);
    m.runPasses(['remove-unused-module-elements']);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}
