/**
 * Statements: declarations, assignments, if/else chains, loops of every shape (with
 * flag-form outer break/continue, since asc has no labels), switch with fall-through,
 * early returns, raw stores, memory.grow and traps. Every loop is bounded and charged to
 * the function's budget of yield points, so a call passes at most `maxYields` of them.
 *   const body = statements(fnCtx, 4);   // Node[]
 */
import type { FnCtx } from './context.js';
import { node, kept, type Node } from './tree.js';
import { expr, cond, leaf, lit, smallIndex, bufOffset } from './expr.js';
import { voidCall } from './helpers.js';
import { heapStatement, heapLocal } from './heap.js';
import { EDGES, literal, wasmType, isFloat, type Scalar } from './types.js';

const DECL_TYPES: readonly Scalar[] = ['i32', 'i32', 'i32', 'i64', 'i64', 'f64', 'f64', 'f32', 'u32', 'u64', 'u8', 'i16', 'bool'];
const MAX_NEST = 3;

export function statements(f: FnCtx, max: number): Node[] {
  const out: Node[] = [];
  const n = f.mod.rng.int(1, Math.max(1, max));
  if (max <= 0) return [];
  for (let i = 0; i < n; i++) out.push(...statement(f));
  return out;
}

function statement(f: FnCtx): Node[] {
  const r = f.mod.rng;
  const inLoop = f.loops.length > 0;
  const deep = f.nest >= MAX_NEST;
  const kind = r.weighted({
    decl: 3, assign: 3.5,
    if: deep ? 0 : 1.5,
    loop: deep || f.left < 1 ? 0 : 2.2,
    labelled: deep || f.left < 4 ? 0 : 0.5,
    switch: deep ? 0 : 0.8,
    break: inLoop && !f.inSwitch ? 0.6 : 0,
    continue: inLoop ? 0.5 : 0,
    return: f.topLevel ? 0 : inLoop ? 0.5 : 0.2,
    call: 0.9,
    heap: f.mod.profile === 'heap' ? 2.5 : 0,
    store: f.mod.buffers.length ? 0.8 : 0,
    grow: !inLoop && !f.grew && !f.topLevel ? 0.2 : 0,
    trap: f.topLevel ? 0 : 0.5,
  });
  switch (kind) {
    case 'decl': return declare(f);
    case 'assign': return [assign(f)];
    case 'if': return [ifChain(f)];
    case 'loop': return loop(f, pickLoop(f), () => statements(f, f.mod.opts.maxStatements - 1));
    case 'labelled': return labelled(f, r.chance(0.5) ? 'break' : 'continue');
    case 'switch': return [switchStmt(f)];
    case 'break': f.mod.use('loop.break'); return [node(`if (${cond(f, 1)}) break;`)];
    case 'continue': f.mod.use('loop.continue'); return [node(`if (${cond(f, 1)}) continue;`)];
    case 'return': return [earlyReturn(f)];
    case 'call': return [voidCall(f) ?? assign(f)];
    case 'heap': return heapStatement(f) ?? [decl(f)];
    case 'store': return [store(f)];
    case 'grow': return grow(f);
    case 'trap': return [trap(f)];
  }
  return [decl(f)];
}

/** A local: a number, or (in heap modules) sometimes a heap object. */
function declare(f: FnCtx): Node[] {
  if (f.mod.profile === 'heap' && f.mod.rng.chance(0.2)) {
    const h = heapLocal(f);
    if (h) return h;
  }
  return [decl(f)];
}

function decl(f: FnCtx): Node {
  const r = f.mod.rng;
  const t = r.pick(DECL_TYPES);
  const name = f.mod.name('v');
  const init = expr(f, t, 3);
  f.declare({ name, t, mutable: true });
  return node(`let ${name}: ${t} = ${init};`);
}

export function assign(f: FnCtx): Node {
  const r = f.mod.rng;
  const targets = [...f.mod.globals, ...f.vars].filter((v) => v.mutable);
  if (!targets.length) return decl(f);
  const v = r.pick(targets);
  if (v.t === 'bool') return node(`${v.name} = ${cond(f, 2)};`);
  const ops = isFloat(v.t) ? ['=', '+=', '-=', '*=', '/='] : ['=', '+=', '-=', '*=', '^=', '|=', '&=', '<<='];
  return node(`${v.name} ${r.pick(ops)} ${expr(f, v.t, 3)};`);
}

/** Run `gen` with the budget `budget`, then charge what it used times `times` (plus one a round). */
function charged<T>(f: FnCtx, budget: number, gen: () => T, times = 1, perRound = 0): T {
  const saved = f.left;
  f.left = budget;
  const out = gen();
  const used = budget - f.left;
  f.left = saved - times * (perRound + used);
  return out;
}

function ifChain(f: FnCtx): Node {
  const r = f.mod.rng;
  const branches = r.int(1, 3);
  const parts: Array<string | Node[]> = [];
  const saved = f.left;
  let worst = 0;
  const branch = () => {
    f.left = saved;
    f.nest++;
    const b = f.block(() => statements(f, f.mod.opts.maxStatements - 1));
    f.nest--;
    worst = Math.max(worst, saved - f.left);
    return b;
  };
  parts.push(`if (${cond(f, 2)}) {`, branch());
  for (let i = 1; i < branches; i++) {
    f.mod.use('if.chain');
    parts.push(`} else if (${cond(f, 2)}) {`, branch());
  }
  if (r.chance(0.6)) parts.push('} else {', branch());
  parts.push('}');
  f.left = saved - worst;
  return node(...parts);
}

export type LoopKind = 'for' | 'for-down' | 'while' | 'do-while';
export function pickLoop(f: FnCtx): LoopKind {
  return f.mod.rng.weighted({ for: 3, 'for-down': 1, while: 2, 'do-while': 1.5 });
}

export interface LoopOptions {
  /** Most iterations (also capped by the budget and maxLoop). */
  maxN?: number;
  /** A further condition on the counter (a for loop over an array's elements). */
  also?: (counter: string) => string;
}

/**
 * A bounded loop of `kind` whose body `gen(counter)` writes. The bound is a constant or a
 * value in scope masked small; every iteration costs one yield point plus its body's cost.
 */
export function loop(f: FnCtx, kind: LoopKind, gen: (counter: string) => Node[], opts: LoopOptions = {}): Node[] {
  const r = f.mod.rng;
  const maxN = Math.min(f.mod.opts.maxLoop, f.left, opts.maxN ?? Infinity);
  if (maxN < 1) return [decl(f)];
  if (f.loops.length) f.mod.use('loop.nested');
  let n = r.int(1, maxN);
  let bound = String(n);
  const mask = (1 << Math.floor(Math.log2(maxN + 1))) - 1;
  const ints = f.visible('i32');
  if (r.chance(0.35) && mask >= 1 && ints.length) {
    n = mask;
    bound = `(${r.pick(ints).name} & ${mask})`;
  }
  const counter = f.mod.name(kind === 'while' ? 'w' : kind === 'do-while' ? 'd' : 'i');
  const also = opts.also ? ` && ${opts.also(counter)}` : '';
  const body = () => charged(f, Math.floor(f.left / n) - 1, () => f.block(() => {
    f.declare({ name: counter, t: 'i32', mutable: false });
    f.loops.push({});
    f.nest++;
    const inSwitch = f.inSwitch;
    f.inSwitch = false;
    try { return gen(counter); } finally { f.nest--; f.loops.pop(); f.inSwitch = inSwitch; }
  }), n, 1);
  switch (kind) {
    case 'for': {
      f.mod.use('loop.for');
      // Spellings of the same count that weave's counted loops (fragments/passes/counted-loop.ts)
      // tell apart. `!=` with a constant bound only: the body may write a masked bound's
      // variable below the counter, and `!=` would then run until the counter wraps.
      // `i + 1 < n + 1` gives asc's carried form when the body reads `i + 1` too, and
      // `n != i` puts the counter on the right.
      const forms = [
        `${counter} < ${bound}`, `${counter} <= ${bound} - 1`, `${counter} + 1 < ${bound} + 1`,
        ...(bound === String(n) ? [`${counter} != ${bound}`, `${bound} != ${counter}`] : []),
      ];
      const test = r.pick(forms);
      // Sometimes a stride: a constant, or a local set from a value in scope (a sieve's
      // `j += i`); with `<` or `<=`, whose count a stride only shortens. weave keeps such
      // loops checked; these make sure the counted-loop shapes never take one.
      if (r.chance(0.2)) {
        const strided = `${r.pick(forms.slice(0, 2))}${also}`;
        if (!ints.length || r.chance(0.5)) return [node(`for (let ${counter}: i32 = 0; ${strided}; ${counter} += ${r.int(2, 5)}) {`, body(), '}')];
        const stride = f.mod.name('s');
        return [
          node(`const ${stride}: i32 = (${r.pick(ints).name} & 3) + 1;`),
          node(`for (let ${counter}: i32 = 0; ${strided}; ${counter} += ${stride}) {`, body(), '}'),
        ];
      }
      return [node(`for (let ${counter}: i32 = 0; ${test}${also}; ${counter}++) {`, body(), '}')];
    }
    case 'for-down':
      f.mod.use('loop.for');
      return [node(`for (let ${counter}: i32 = ${bound}; ${counter} > 0${also}; ${counter}--) {`, body(), '}')];
    case 'while':
      f.mod.use('loop.while');
      // The counter steps first, so a `continue` in the body cannot skip it.
      return [node(`let ${counter}: i32 = 0;`, `while (${counter} < ${bound}${also}) {`, [kept(`${counter}++;`), ...body()], '}')];
    case 'do-while': {
      f.mod.use('loop.do-while');
      const b = [kept(`${counter}++;`), ...body()];
      const extra = also || (r.chance(0.4) ? ` && ${cond(f, 0)}` : '');
      return [node(`let ${counter}: i32 = 0;`, 'do {', b, `} while (${counter} < ${bound}${extra});`)];
    }
  }
}

/**
 * `outer: loop { … loop { … break outer / continue outer … } … }` in the form asc
 * accepts: a flag set before the inner `break`, tested right after the inner loop.
 */
function labelled(f: FnCtx, which: 'break' | 'continue'): Node[] {
  const r = f.mod.rng;
  const flag = f.mod.name(which === 'break' ? 'stop' : 'skip');
  const few = () => (r.chance(0.5) ? statements(f, 2) : []);
  let inner = false;
  // At most half the budget a round, so the inner loop gets at least one iteration.
  const outer = loop(f, pickLoop(f), () => [
    ...(which === 'continue' ? [node(`let ${flag}: bool = false;`)] : []),
    ...few(),
    ...loop(f, pickLoop(f), () => {
      inner = true;
      return [...few(), node(`if (${cond(f, 1)}) {`, [node(`${flag} = true;`)], '  break;', '}'), ...few()];
    }),
    node(`if (${flag}) ${which};`),
    ...few(),
  ], { maxN: Math.floor(f.left / 3) });
  if (inner) f.mod.use(which === 'break' ? 'loop.break-outer' : 'loop.continue-outer', 'loop.nested');
  return which === 'break' ? [node(`let ${flag}: bool = false;`), ...outer] : outer;
}

function switchStmt(f: FnCtx): Node {
  const r = f.mod.rng;
  const values = [0, 1, 2, 3, 4, 5, 6, 7].filter(() => r.chance(0.45)).slice(0, 4);
  if (!values.length) values.push(r.int(0, 7));
  const cases: Node[] = [];
  const wasInSwitch = f.inSwitch;
  f.inSwitch = true;
  f.nest++;
  const body = () => f.block(() => statements(f, f.mod.opts.maxStatements - 2));
  values.forEach((v, i) => {
    cases.push(node(`case ${v}: {`, body(), '}'));
    // A case without break falls into the next one.
    if (r.chance(0.55) || i === values.length - 1) cases.push(node('break;'));
    else f.mod.use('switch.fallthrough');
  });
  if (r.chance(0.6)) cases.push(node('default: {', body(), '}'));
  f.nest--;
  f.inSwitch = wasInSwitch;
  return node(`switch (${smallIndex(f, 7)}) {`, cases, '}');
}

function earlyReturn(f: FnCtx): Node {
  if (f.loops.length) f.mod.use('loop.early-return');
  const value = f.ret === 'void' ? '' : ` ${expr(f, f.ret, 2)}`;
  return node(`if (${cond(f, 1)}) return${value};`);
}

/** A raw store into a static buffer, sometimes through the offset immediate. */
function store(f: FnCtx): Node {
  const r = f.mod.rng;
  const b = r.pick(f.mod.buffers);
  const t = r.pick(['i32', 'i64', 'f32', 'f64', 'u8'] as Scalar[]);
  f.mod.use('mem.load-store');
  if (r.chance(0.3)) return node(`store<${t}>(${b.name}, ${expr(f, t, 2)}, ${r.int(0, b.size / 8 - 1) * 8});`);
  return node(`store<${t}>(${b.name} + ${bufOffset(f, b.size, 2)}, ${expr(f, t, 2)});`);
}

/** memory.grow by a page (once per function), then a write into the new page. */
function grow(f: FnCtx): Node[] {
  f.grew = true;
  f.mod.use('mem.grow');
  const t = f.mod.rng.pick(['i32', 'f64', 'i64'] as Scalar[]);
  const name = f.mod.name('pg');
  f.declare({ name, t: 'i32', mutable: false });
  return [
    node(`let ${name}: i32 = <i32>memory.grow(${f.mod.rng.int(0, 1)});`),
    node(`if (${name} > 0) store<${t}>(<usize>${name} << 16, ${expr(f, t, 2)});`),
  ];
}

/** A trap that fires for some arguments: a value in scope compared with an edge value. */
function trap(f: FnCtx): Node {
  const r = f.mod.rng;
  const t = r.pick(['i32', 'i32', 'i64', 'f64', 'u32'] as Scalar[]);
  const v = leaf(f, t);
  const edge = literal(t, r.pick(EDGES[wasmType(t)]));
  switch (r.weighted({ assert: 3, unreachable: 1, throw: f.mod.allows('string') ? 1 : 0 })) {
    case 'assert':
      f.mod.use('trap.assert');
      return node(`assert(${v} != ${edge}, "gen: ${v.replace(/[^\w]/g, '')} hit an edge");`);
    case 'unreachable':
      f.mod.use('trap.unreachable');
      return node(`if (${v} == ${edge}) unreachable();`);
    default:
      f.mod.use('trap.assert');
      return node(`if (${v} == ${edge}) throw new Error("gen: thrown at " + (${expr(f, 'i32', 1)}).toString());`);
  }
}
