/**
 * Shrinks a program that shows a mismatch to a small one that still does: delta debugging
 * (ddmin) over the statement tree, keeping only variants that asc still compiles and that
 * still mismatch in the same mode; then loops, ifs and cases are unwrapped into their
 * bodies where that keeps the mismatch. Stops at a deadline with the smallest so far.
 *   const small = await shrink(nodes, header, (src) => stillFails(src), { deadline: Date.now() + 300_000 });
 *   small.source; small.tests
 */
import { printProgram, removable, withoutNodes, replaceNode, innerStatements, termNodes, withTerms, type Node } from './tree.js';

/** Says whether a source still shows the mismatch (false when asc rejects it). */
export type Interesting = (source: string) => Promise<boolean>;

export interface ShrinkResult {
  nodes: Node[];
  source: string;
  /** Variants tried. */
  tests: number;
  /** Removable statements before and after. */
  before: number;
  after: number;
}

export interface ShrinkOptions {
  /** Date.now() after which the best so far is returned. */
  deadline: number;
  /** The export the mismatch is in: other exports go first. */
  keepExport?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

export async function shrink(nodes: Node[], header: string[], interesting: Interesting, opts: ShrinkOptions): Promise<ShrinkResult> {
  let tests = 0;
  const test = async (candidate: Node[]) => {
    tests++;
    return interesting(printProgram(candidate, header));
  };
  const before = removable(nodes).length;
  let best = nodes;
  const late = () => Date.now() > opts.deadline;

  // Other exports first, all at once: usually they have nothing to do with it.
  if (opts.keepExport) {
    const others = best.filter((n) => typeof n.parts[0] === 'string' && /^export function /.test(n.parts[0]) && !n.parts[0].startsWith(`export function ${opts.keepExport}(`));
    const without = withoutNodes(best, new Set(others));
    if (others.length && (await test(without))) best = without;
  }

  for (let round = 0; round < 4 && !late(); round++) {
    const size = removable(best).length;
    best = await terms(best, test, late);
    best = await ddmin(best, test, late);
    best = await unwrap(best, test, late);
    opts.log?.(`shrink round ${round + 1}: ${size} -> ${removable(best).length} statements, ${tests} variants tried`);
    if (removable(best).length === size) break;
  }
  return { nodes: best, source: printProgram(best, header), tests, before, after: removable(best).length };
}

/**
 * ddmin (Zeller): split the removable statements into n chunks; drop a chunk whenever the
 * rest still fails; refine n until single statements have been tried.
 */
async function ddmin(nodes: Node[], test: (c: Node[]) => Promise<boolean>, late: () => boolean): Promise<Node[]> {
  let best = nodes;
  let items = removable(best);
  let n = 2;
  while (items.length >= 1 && !late()) {
    const chunk = Math.ceil(items.length / n);
    let reduced = false;
    for (let i = 0; i < items.length && !late(); i += chunk) {
      const drop = new Set(items.slice(i, i + chunk));
      const candidate = withoutNodes(best, drop);
      if (await test(candidate)) {
        best = candidate;
        items = removable(best);
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunk <= 1) break;
      n = Math.min(items.length, n * 2);
    }
  }
  return best;
}

/** Drop terms of term-list statements (an export's digest), one at a time. */
async function terms(nodes: Node[], test: (c: Node[]) => Promise<boolean>, late: () => boolean): Promise<Node[]> {
  let best = nodes;
  for (let i = 0; !late(); i++) {
    const lists = termNodes(best);
    if (i >= lists.length) break;
    let target = lists[i];
    for (let k = target.list!.items.length - 1; k >= 0 && target.list!.items.length > 1 && !late(); k--) {
      const smaller = withTerms(target, target.list!.items.filter((_, j) => j !== k));
      const candidate = replaceNode(best, target, [smaller]);
      if (await test(candidate)) {
        best = candidate;
        target = smaller;
      }
    }
  }
  return best;
}

/** Headers whose bodies cannot stand on their own where the header stood. */
const DECLARATION = /^(export function|function|class|interface|case|default)\b/;

/** Replace compound statements (loops, ifs, cases, blocks) by their bodies, one at a time. */
async function unwrap(nodes: Node[], test: (c: Node[]) => Promise<boolean>, late: () => boolean): Promise<Node[]> {
  let best = nodes;
  for (let i = 0; !late(); i++) {
    const compound = removable(best).filter((x) => x.parts.some((p) => typeof p !== 'string') && !DECLARATION.test(String(x.parts[0])));
    if (i >= compound.length) break;
    const target = compound[i];
    const candidate = replaceNode(best, target, innerStatements(target));
    if (await test(candidate)) {
      best = candidate;
      i--;
    }
  }
  return best;
}
