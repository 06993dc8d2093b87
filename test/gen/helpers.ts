/**
 * Functions an expression or statement may call, made on demand so that every one is
 * reachable: plain helpers, self recursion, mutual recursion, tree recursion (two calls),
 * function references (call_indirect) and a generic function. Each knows the most yield
 * points one call may pass, and a call charges that to the caller's budget.
 *   callHelper(f, 'i64', 2)   // "r12((v3) & 3, <i64>0x5)" or null
 *   voidCall(f)               // a statement node, or null
 */
import type { FnCtx, Helper } from './context.js';
import { node, kept, type Node } from './tree.js';
import { expr, cond } from './expr.js';
import { statements } from './stmt.js';
import { isFloat, type Scalar } from './types.js';

/** Helpers call helpers at most this deep (exports are depth 0). */
const MAX_DEPTH = 2;
const PARAM_TYPES: readonly Scalar[] = ['i32', 'i32', 'i64', 'f64', 'f32', 'u32', 'bool'];

export function callHelper(f: FnCtx, t: Scalar, d: number): string | null {
  if (f.safe) return null;
  const m = f.mod;
  const r = m.rng;
  let options = m.helpers.filter((h) => h.ret === t && h.cost <= f.left);
  if ((!options.length || r.chance(0.25)) && canCreate(f)) {
    const h = newHelper(f, t);
    if (h && h.cost <= f.left) options = [h];
  }
  if (!options.length) return null;
  const h = r.pick(options);
  f.left -= h.cost;
  h.used?.();
  const args = h.params.map((p) => (p === 'bool' ? cond(f, d - 1) : expr(f, p, d - 1)));
  return h.call ? h.call(args) : `${h.name}(${args.join(', ')})`;
}

/** A call of a void helper (or a function reference re-pointed), as a statement. */
export function voidCall(f: FnCtx): Node | null {
  if (f.safe) return null;
  const m = f.mod;
  const r = m.rng;
  if (m.refGlobals.length && r.chance(0.3)) {
    const g = r.pick(m.refGlobals);
    m.use('func.ref');
    return node(`${g.name} = ${r.pick(g.targets)};`);
  }
  let options = m.voidHelpers.filter((h) => h.cost <= f.left);
  if ((!options.length || r.chance(0.25)) && canCreate(f)) {
    const h = plain(f, 'void');
    if (h.cost <= f.left) options = [h];
  }
  if (!options.length) return null;
  const h = r.pick(options);
  f.left -= h.cost;
  return node(`${h.name}(${h.params.map((p) => (p === 'bool' ? cond(f, 1) : expr(f, p, 2))).join(', ')});`);
}

function canCreate(f: FnCtx): boolean {
  return f.depth < MAX_DEPTH && f.mod.helpers.length + f.mod.voidHelpers.length < f.mod.opts.maxHelpers;
}

function newHelper(f: FnCtx, t: Scalar): Helper | null {
  const r = f.mod.rng;
  const numeric = t !== 'bool';
  switch (r.weighted({ plain: 4, rec: 1.3, mutual: 0.9, tree: numeric ? 0.6 : 0, ref: 1.1, generic: numeric ? 0.7 : 0 })) {
    case 'plain': return plain(f, t);
    case 'rec': return recursive(f, t);
    case 'mutual': return mutual(f, t);
    case 'tree': return tree(f, t);
    case 'ref': return refs(f, t);
    default: return generic(f, t);
  }
}

/** A budget for a new callee: some of what the caller has left. */
function share(f: FnCtx): number {
  const r = f.mod.rng;
  return r.int(0, Math.min(f.left, Math.floor(f.mod.opts.maxYields / 2)));
}

function signature(params: Array<{ name: string; t: Scalar }>): string {
  return params.map((p) => `${p.name}: ${p.t}`).join(', ');
}

/** `function hK(params): ret { statements; return e; }` with `budget` yield points. */
function fnBody(f: FnCtx, ret: Scalar | 'void', budget: number, params: Array<{ name: string; t: Scalar; mutable?: boolean }>, first: Node[] = [], last?: (g: FnCtx) => string): { body: Node[]; cost: number } {
  const g = f.mod.fn(ret, budget, f.depth + 1);
  g.nest = 1; // helpers stay shallower than exports
  for (const p of params) g.declare({ name: p.name, t: p.t, mutable: p.mutable ?? true });
  const body = [...first, ...statements(g, f.mod.opts.maxStatements - 1)];
  if (ret !== 'void') body.push(kept(`return ${last ? last(g) : expr(g, ret, 3)};`));
  return { body, cost: budget - g.left };
}

function params(f: FnCtx, n: number): Array<{ name: string; t: Scalar }> {
  return Array.from({ length: n }, () => ({ name: f.mod.name('p'), t: f.mod.rng.pick(PARAM_TYPES) }));
}

function plain(f: FnCtx, ret: Scalar | 'void'): Helper {
  const m = f.mod;
  const name = m.name(ret === 'void' ? 'act' : 'h');
  const ps = params(f, m.rng.int(0, 3));
  const { body, cost } = fnBody(f, ret, share(f), ps);
  m.decls.push(node(`function ${name}(${signature(ps)}): ${ret} {`, body, '}'));
  const h: Helper = { name, params: ps.map((p) => p.t), ret, cost };
  (ret === 'void' ? m.voidHelpers : m.helpers).push(h);
  return h;
}

/** Largest mask 2^k - 1 (at most 7) with (mask + 1) * perCall <= budget; 0 when none fits. */
function depthMask(budget: number, perCall: (mask: number) => number): number {
  for (const mask of [7, 3, 1]) if (perCall(mask) <= budget) return mask;
  return 0;
}

function recursive(f: FnCtx, t: Scalar): Helper | null {
  const m = f.mod;
  const budget = share(f);
  const mask = depthMask(budget, (k) => k + 1);
  if (!mask) return null;
  const name = m.name('rec');
  const n = m.name('n');
  const acc = m.name('acc');
  const perCall = Math.floor(budget / (mask + 1)) - 1;
  const { body, cost } = fnBody(f, t, perCall, [{ name: n, t: 'i32', mutable: false }, { name: acc, t }],
    [kept(`if (${n} <= 0) return ${acc};`)], (g) => `${name}(${n} - 1, ${expr(g, t, 2)})`);
  m.decls.push(node(`function ${name}(${n}: i32, ${acc}: ${t}): ${t} {`, body, '}'));
  const h: Helper = { name, params: ['i32', t], ret: t, cost: (mask + 1) * (1 + cost), call: ([a, b]) => `${name}((${a}) & ${mask}, ${b})`, used: () => m.use('call.recursion') };
  m.helpers.push(h);
  return h;
}

function mutual(f: FnCtx, t: Scalar): Helper | null {
  const m = f.mod;
  const budget = share(f);
  const mask = depthMask(budget, (k) => k + 1);
  if (!mask) return null;
  const [p, q] = [m.name('ping'), m.name('pong')];
  const perCall = Math.floor(budget / (mask + 1)) - 1;
  let worst = 0;
  for (const [self, other] of [[p, q], [q, p]]) {
    const n = m.name('n');
    const v = m.name('v');
    const { body, cost } = fnBody(f, t, perCall, [{ name: n, t: 'i32', mutable: false }, { name: v, t }],
      [kept(`if (${n} <= 0) return ${v};`)], (g) => `${other}(${n} - 1, ${expr(g, t, 2)})`);
    worst = Math.max(worst, cost);
    m.decls.push(node(`function ${self}(${n}: i32, ${v}: ${t}): ${t} {`, body, '}'));
  }
  const h: Helper = { name: p, params: ['i32', t], ret: t, cost: (mask + 1) * (1 + worst), call: ([a, b]) => `${p}((${a}) & ${mask}, ${b})`, used: () => m.use('call.mutual-recursion', 'call.recursion') };
  m.helpers.push(h);
  return h;
}

/** Calls made by tree(n): 1 + calls(n - 1) + calls(n - 2), one for n < 2. */
function treeCalls(n: number): number {
  return n < 2 ? 1 : 1 + treeCalls(n - 1) + treeCalls(n - 2);
}

function tree(f: FnCtx, t: Scalar): Helper | null {
  const m = f.mod;
  const budget = share(f);
  const mask = [7, 3].find((k) => treeCalls(k) <= budget);
  if (!mask) return null;
  const name = m.name('tree');
  const n = m.name('n');
  const v = m.name('v');
  const g = m.fn(t, 0, f.depth + 1);
  g.declare({ name: n, t: 'i32', mutable: false });
  g.declare({ name: v, t, mutable: true });
  const op = isFloat(t) ? m.rng.pick(['+', '*', '-']) : m.rng.pick(['+', '^', '-', '|']);
  m.decls.push(node(`function ${name}(${n}: i32, ${v}: ${t}): ${t} {`, [
    kept(`if (${n} < 2) return ${v};`),
    kept(`return ${name}(${n} - 1, ${expr(g, t, 2)}) ${op} ${name}(${n} - 2, ${expr(g, t, 2)});`),
  ], '}'));
  const h: Helper = { name, params: ['i32', t], ret: t, cost: treeCalls(mask), call: ([a, b]) => `${name}((${a}) & ${mask}, ${b})`, used: () => m.use('call.recursion') };
  m.helpers.push(h);
  return h;
}

/** Two or three functions of one type `(x: t) => t`, called through a reference. */
function refs(f: FnCtx, t: Scalar): Helper {
  const m = f.mod;
  const r = m.rng;
  const budget = share(f);
  const targets: string[] = [];
  let worst = 0;
  for (let i = r.int(2, 3); i > 0; i--) {
    const name = m.name('fn');
    const x = m.name('x');
    const { body, cost } = fnBody(f, t, budget, [{ name: x, t }]);
    worst = Math.max(worst, cost);
    m.decls.push(node(`function ${name}(${x}: ${t}): ${t} {`, body, '}'));
    targets.push(name);
  }
  const type = `(x: ${t}) => ${t}`;
  const form = r.pick(['select', 'apply', 'global'] as const);
  let call: (args: string[]) => string;
  if (form === 'global') {
    const g = m.name('gfn');
    m.globalDecls.push(node(`let ${g}: ${type} = ${targets[0]};`));
    m.refGlobals.push({ name: g, targets });
    call = ([, x]) => `${g}(${x})`;
  } else if (form === 'apply') {
    const ap = m.name('apply');
    m.decls.push(node(`function ${ap}(fn: ${type}, v: ${t}): ${t} {`, [kept('return fn(v);')], '}'));
    call = ([c, x]) => `${ap}(${c} ? ${targets[0]} : ${targets[1]}, ${x})`;
  } else {
    call = ([c, x]) => `(${c} ? ${targets[0]} : ${r.pick(targets.slice(1))})(${x})`;
  }
  const h: Helper = { name: targets[0], params: ['bool', t], ret: t, cost: worst, call, used: () => m.use('func.ref') };
  m.helpers.push(h);
  return h;
}

/** The module's generic function, instantiated at `t`. */
function generic(f: FnCtx, t: Scalar): Helper {
  const m = f.mod;
  if (!m.genericFn) {
    m.genericFn = m.name('gen');
    m.decls.push(node(`function ${m.genericFn}<T>(c: bool, a: T, b: T): T {`, [
      kept('if (c) return a;'),
      kept('return a + b;'),
    ], '}'));
  }
  const name = m.genericFn;
  const h: Helper = {
    name, params: ['bool', t, t], ret: t, cost: 0,
    call: (args) => `${name}<${t}>(${args.join(', ')})`,
    used: () => {
      const uses = m.genericUses.get('fn') ?? new Set<string>();
      uses.add(t);
      m.genericUses.set('fn', uses);
      if (uses.size >= 2) m.use('generic.function');
    },
  };
  m.helpers.push(h);
  return h;
}
