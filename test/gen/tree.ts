/**
 * A generated program as a tree of statements, so the shrinker can remove whole
 * statements (and everything nested in them) and print what is left.
 *   const loop = node('for (let i = 0; i < 3; i++) {', [node('s += i;')], '}');
 *   printProgram([loop]);                 // indented AssemblyScript source
 *   printProgram(withoutNodes(nodes, dropped));
 */

/** One statement or declaration: lines, and blocks of nested statements printed indented. */
export interface Node {
  parts: Array<string | Node[]>;
  /** The shrinker never removes it (a function's final return, a loop counter's step). */
  keep?: boolean;
  /**
   * A one-line statement made of terms (`return a ^ b ^ c;`): printed instead of `parts`,
   * and the shrinker may drop terms, keeping at least one.
   */
  list?: TermList;
}

export interface TermList {
  before: string;
  items: string[];
  sep: string;
  after: string;
}

/** A kept statement whose terms the shrinker may drop: `return t1 ^ t2 ^ t3;`. */
export function termList(before: string, items: string[], sep: string, after: string): Node {
  const list = { before, items, sep, after };
  return { parts: [line(list)], keep: true, list };
}

function line(l: TermList): string {
  return `${l.before}${l.items.join(l.sep)}${l.after}`;
}

/** The same node with fewer terms. */
export function withTerms(n: Node, items: string[]): Node {
  const list = { ...n.list!, items };
  return { ...n, list, parts: [line(list)] };
}

/** Every node with a term list of more than one term. */
export function termNodes(nodes: Node[]): Node[] {
  const out: Node[] = [];
  const walk = (list: Node[]) => {
    for (const n of list) {
      if (n.list && n.list.items.length > 1) out.push(n);
      for (const p of n.parts) if (typeof p !== 'string') walk(p);
    }
  };
  walk(nodes);
  return out;
}

export function node(...parts: Array<string | Node[]>): Node {
  return { parts };
}

export function kept(...parts: Array<string | Node[]>): Node {
  return { parts, keep: true };
}

export function printProgram(nodes: Node[], header: string[] = []): string {
  const out: string[] = [...header];
  const walk = (list: Node[], indent: string) => {
    for (const n of list) {
      for (const p of n.parts) {
        if (typeof p === 'string') out.push(indent + p);
        else walk(p, indent + '  ');
      }
    }
  };
  walk(nodes, '');
  return out.join('\n') + '\n';
}

/** Every removable node, parents before their children (depth-first, in source order). */
export function removable(nodes: Node[]): Node[] {
  const out: Node[] = [];
  const walk = (list: Node[]) => {
    for (const n of list) {
      if (!n.keep) out.push(n);
      for (const p of n.parts) if (typeof p !== 'string') walk(p);
    }
  };
  walk(nodes);
  return out;
}

/** A copy of the tree without the nodes in `drop` (and so without their children). */
export function withoutNodes(nodes: Node[], drop: ReadonlySet<Node>): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    if (drop.has(n)) continue;
    out.push({ ...n, parts: n.parts.map((p) => (typeof p === 'string' ? p : withoutNodes(p, drop))) });
  }
  return out;
}

/** Replace one node by others (its own nested statements, say), everywhere it occurs. */
export function replaceNode(nodes: Node[], target: Node, by: Node[]): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    if (n === target) { out.push(...by); continue; }
    out.push({ ...n, parts: n.parts.map((p) => (typeof p === 'string' ? p : replaceNode(p, target, by))) });
  }
  return out;
}

/** The blocks nested directly in a node, flattened: what it could be replaced by. */
export function innerStatements(n: Node): Node[] {
  return n.parts.flatMap((p) => (typeof p === 'string' ? [] : p));
}
