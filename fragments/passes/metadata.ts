/**
 * Pass (analysis only): per-fragment metadata for placement.
 *
 * Static cost (expression count weighted by loop nesting), data dependencies (locals and
 * globals read and written, globals through callees too), host capabilities called
 * (imports reached through the call graph) and datasets read.
 *   const analyzer = new MetadataAnalyzer(m);
 *   const meta = analyzer.fragment(parts, localNames);
 */
import binaryen from 'binaryen';
import { childSlots, walk, type Expr } from './ir.js';

import type { FragmentMetadata } from '../manifest.js';
export type { FragmentMetadata };

interface FunctionSummary {
  globalsRead: Set<string>;
  globalsWritten: Set<string>;
  calls: Set<string>;
  indirect: boolean;
  /** Dataset names passed as constants to the data host calls. */
  datasets: Set<string>;
}

const b: any = binaryen;

/** Host imports that are weave's plumbing, not capabilities a hub must have. */
const PLUMBING = new Set(['weave:host/control.yield', 'weave:host/control.progress', 'weave:host/control.log', 'env.abort', 'env.trace', 'env.seed']);

export class MetadataAnalyzer {
  private summaries = new Map<string, FunctionSummary>();
  private imports = new Map<string, string>();
  private closure = new Map<string, FunctionSummary>();

  private segments: Array<{ offset: number; data: Uint8Array }> = [];

  /** @param reserved bytes weave's rebase moved the program's memory up by (program addresses + reserved = real). */
  constructor(private m: binaryen.Module, private readonly reserved = 0) {
    for (let i = 0; i < (m as any).getNumDataSegments(); i++) {
      const seg = (m as any).getDataSegmentInfo((m as any).getDataSegmentByIndex(i));
      if (!seg.passive && typeof seg.offset === 'number') this.segments.push({ offset: seg.offset, data: new Uint8Array(seg.data) });
    }
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (f.module) this.imports.set(f.name, `${f.module}.${f.base}`);
    }
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (!f.module) this.summaries.set(f.name, summarizeMany([f.body], (e) => this.datasetOf(e)));
    }
  }

  /**
   * The dataset a call names, when it is a data host call whose name is a string constant
   * (AssemblyScript keeps literals in data segments and passes their address and length).
   * A name computed at run time is not known here; the engine learns it when it is read.
   */
  private datasetOf(call: Expr): string | undefined {
    const imp = this.imports.get(b.Call.getTarget(call));
    if (imp !== 'weave:host/data.read' && imp !== 'weave:host/data.length') return undefined;
    const ptr = ((binaryen.getExpressionInfo(call) as any).operands as Expr[])[0];
    if (binaryen.getExpressionId(ptr) !== b.ConstId) return undefined;
    // The length operand is read from the string's header at run time (`name.length`),
    // so take it from the header in the segment: its byte length, in the u32 before it.
    const at = (b.Const.getValueI32(ptr) >>> 0) + this.reserved;
    const seg = this.segments.find((s) => s.offset + 4 <= at && at <= s.offset + s.data.byteLength);
    if (!seg) return undefined;
    const bytes = new DataView(seg.data.buffer, seg.data.byteOffset).getUint32(at - 4 - seg.offset, true);
    if (bytes > 128 || bytes % 2) return undefined;
    // Binaryen drops trailing zero bytes from segments (the high byte of a last ASCII
    // character): what is missing reads as zero, as it would in memory.
    const text = new Uint8Array(bytes);
    text.set(seg.data.subarray(at - seg.offset, at - seg.offset + bytes));
    const name = Buffer.from(text).toString('utf16le');
    return /^[A-Za-z0-9_-]{1,64}$/.test(name) ? name : undefined;
  }

  /** Metadata of a region made of `parts`; `localName(i)` names local i for the report. */
  fragment(parts: Expr[], localName: (i: number) => string, loopDepthBase: number): FragmentMetadata {
    const own = summarizeMany(parts, (e) => this.datasetOf(e));
    const localsRead = new Set<string>();
    const localsWritten = new Set<string>();
    let weight = 0;
    let maxDepth = 0;
    let estimate = 0;
    for (const p of parts) {
      walkDepth(p, 0, (e, depth) => {
        weight++;
        estimate += 10 ** Math.min(depth, 6);
        if (depth > maxDepth) maxDepth = depth;
        const id = binaryen.getExpressionId(e);
        if (id === b.LocalGetId) localsRead.add(localName(b.LocalGet.getIndex(e)));
        else if (id === b.LocalSetId) localsWritten.add(localName(b.LocalSet.getIndex(e)));
      });
    }
    const reach = this.reach(own);
    const caps = [...reach.calls].map((c) => this.imports.get(c)).filter((x): x is string => !!x && !PLUMBING.has(x));
    return {
      cost: { weight, loopDepth: maxDepth + loopDepthBase, estimate },
      reads: { locals: [...localsRead].sort(), globals: [...reach.globalsRead].sort() },
      writes: { locals: [...localsWritten].sort(), globals: [...reach.globalsWritten].sort() },
      capabilities: [...new Set(caps)].sort(),
      datasets: [...reach.datasets].sort(),
      indirectCalls: reach.indirect,
    };
  }

  /** Everything reachable from a summary through direct calls. */
  private reach(start: FunctionSummary): FunctionSummary {
    const out: FunctionSummary = { globalsRead: new Set(start.globalsRead), globalsWritten: new Set(start.globalsWritten), calls: new Set(), indirect: start.indirect, datasets: new Set(start.datasets) };
    const queue = [...start.calls];
    while (queue.length) {
      const name = queue.pop()!;
      if (out.calls.has(name)) continue;
      out.calls.add(name);
      const s = this.summaries.get(name);
      if (!s) continue;
      s.globalsRead.forEach((g) => out.globalsRead.add(g));
      s.globalsWritten.forEach((g) => out.globalsWritten.add(g));
      s.datasets.forEach((d) => out.datasets.add(d));
      if (s.indirect) out.indirect = true;
      queue.push(...s.calls);
    }
    return out;
  }
}

function summarizeMany(parts: Expr[], datasetOf: (call: Expr) => string | undefined): FunctionSummary {
  const s: FunctionSummary = { globalsRead: new Set(), globalsWritten: new Set(), calls: new Set(), indirect: false, datasets: new Set() };
  for (const p of parts) {
    walk(p, (e) => {
      switch (binaryen.getExpressionId(e)) {
        case b.GlobalGetId: s.globalsRead.add(b.GlobalGet.getName(e)); break;
        case b.GlobalSetId: s.globalsWritten.add(b.GlobalSet.getName(e)); break;
        case b.CallId: {
          s.calls.add(b.Call.getTarget(e));
          const d = datasetOf(e);
          if (d) s.datasets.add(d);
          break;
        }
        case b.CallIndirectId: s.indirect = true; break;
      }
    });
  }
  return s;
}

function walkDepth(root: Expr, depth: number, visit: (e: Expr, depth: number) => void): void {
  const stack: Array<[Expr, number]> = [[root, depth]];
  while (stack.length) {
    const [e, d] = stack.pop()!;
    visit(e, d);
    const inner = binaryen.getExpressionId(e) === b.LoopId ? d + 1 : d;
    for (const slot of childSlots(e)) stack.push([slot.get(), inner]);
  }
}
