/**
 * Part of the yield-points pass: an innermost counted loop of a nest (outline-nest.ts)
 * runs the iterations its fuel covers without a check in each.
 *
 * Each loop of a nest checks its fuel and takes one unit at every entry of its body. For
 * a loop that counts a local up by one to a bound the loop cannot change
 * (`for (let i = a; i < n; i++)`, `<=`, `!=`, unsigned, do-while, and the shapes asc -O3
 * makes of them; the bound constants, locals the loop does not write and arithmetic that
 * cannot trap), how many entries are left is known at the loop's start. So the loop
 * first runs as a copy without the check and the decrement, up to `limit`: the bound, or
 * as far as the fuel goes if that is nearer, the fuel charged those entries up front.
 * Then the checked loop goes on from there: with the fuel spent it leaves at once for a
 * yield, as it would have alone after those entries; otherwise it makes the loop's last
 * entry (the failing check), or none (a do-while that reached its bound). A `break` that
 * leaves the copy's body ends the loop without the checked loop, which would run the body
 * again. The yield points of a run are those of the checked loop alone, except after such
 * a break: the copy was charged entries it did not make (still a deterministic function
 * of the run's state, still bounded). Calls are allowed: one in a nest neither yields nor
 * charges fuel (a call that charges is synced through the fuel local, which disqualifies
 * the loop).
 *
 * An int64 loop's fuel check and decrement were 9-14% of its time, examples/particles.ts's
 * inner loops (asc's `i + 1 < n` form) about 4% of its (docs/benchmarks.md). Counters
 * that step by more than one stay checked: a copy for them (a division at the start, and
 * a guard against the step past the bound wrapping) measured nothing gained on a strided
 * i64 loop and the sieve's `j += i` 1-4% slower.
 *   const counted = countedLoop(m, loop, { fuel, local, label });   // before instrumenting `loop`
 *   replacement = counted ? counted(checkedLoop) : checkedLoop;
 */
import binaryen from 'binaryen';
import { walk, type Expr } from './ir.js';

const b: any = binaryen;
const { i32, none } = binaryen;

/** Expressions in a loop (a copy doubles them): larger loops stay checked only. */
const MAX_NODES = 600;

export interface CountedContext {
  /** The nest's fuel local. */
  fuel: number;
  /** An i32 local of the nest, by key: the same local for the same key. */
  local: (key: 'limit' | 'taken') => number;
  /** A label new to the function, for this loop. */
  label: (suffix: string) => string;
}

/** Builds the replacement of the loop from its checked version. */
export type CountedLoop = (checked: Expr) => Expr;

/** How the loop's bound compares with its counter. */
type Compare = 'lt_s' | 'lt_u' | 'le_s' | 'le_u' | 'ne';

interface Shape {
  counter: number;
  /** The check reads `counter + offset` (wrapping as i32 does). */
  offset: number;
  /** The comparison with the bound, and which of its operands is the bound. */
  test: Expr;
  boundIsLeft: boolean;
  bound: Expr;
  compare: Compare;
  /** The increment of the counter (the one write of it the loop may hold, but see `carried`). */
  step: Expr;
  /**
   * The check tees `counter + offset` into this local and the step, the last statement
   * before the way back, copies it to the counter (`i = t`: asc's `i + 1 < n` loops). The
   * counter may then be written in between (asc reuses its local), as the step undoes it.
   */
  carried?: number;
  /** The loop's one way back to its header. */
  back: Expr;
  /** True when the bound is checked before the body (`loop { if (i < n) { …; i++; br loop } }`). */
  checkFirst: boolean;
  /** That check's `if` (check first only). */
  guard?: Expr;
}

/**
 * `loop` (an innermost loop of a nest, not yet instrumented) as a counted loop, or null
 * when it is not one.
 */
export function countedLoop(m: binaryen.Module, loop: Expr, ctx: CountedContext): CountedLoop | null {
  const name: string | null = b.Loop.getName(loop);
  if (!name || binaryen.getExpressionType(loop) !== none) return null;
  const shape = whileShape(name, b.Loop.getBody(loop)) ?? doWhileShape(name, b.Loop.getBody(loop));
  if (!shape || !onlyCounts(loop, name, shape, ctx.fuel)) return null;
  const limit = ctx.local('limit');
  const taken = ctx.local('taken');
  const get = (i: number) => m.local.get(i, i32);
  const n = () => m.copyExpression(shape.bound);
  // What the check compares with the bound, as the loop starts: the counter, or the
  // counter plus a constant. It moves up by one a step as the counter does, and the copy
  // stops it at `limit`, at most the bound, so it cannot wrap in the copy either.
  const i0 = () => (shape.offset ? m.i32.add(get(shape.counter), m.i32.const(shape.offset)) : get(shape.counter));
  // The copy counts to `limit` instead of the bound.
  const setBound = (x: Expr) => (shape.boundIsLeft ? b.Binary.setLeft(shape.test, x) : b.Binary.setRight(shape.test, x));
  setBound(get(limit));
  const clean = m.copyExpression(loop);
  setBound(shape.bound);
  renameLabels(clean, ctx.label('copy'));
  const copied = (shape.checkFirst ? whileShape : doWhileShape)(b.Loop.getName(clean), b.Loop.getBody(clean))!;
  // The copy ends in one of three ways. Reaching `limit` goes on at `more`: the checked
  // loop runs from there (a do-while that reached the bound is done instead). A branch out
  // of the nest leaves it. Falling out of the loop any other way is a `break` that left the
  // body: the loop is over, and the checked loop must not run the body again.
  const skip = ctx.label('skip');
  const more = ctx.label('more');
  if (shape.checkFirst) {
    b.If.setIfFalse(copied.guard, m.br(more));
    b.Expression.finalize(copied.guard);
  } else {
    const end = m.block(null, [copied.back, m.br(skip, m.i32.eq(get(limit), n())), m.br(more)], binaryen.unreachable);
    const body = b.Loop.getBody(clean);
    if (binaryen.getExpressionId(body) === b.BlockId && body !== copied.back) b.Block.setChildAt(body, b.Block.getNumChildren(body) - 1, end);
    else b.Loop.setBody(clean, end);
  }
  // The counter starts before the bound: it then passes the check `span` times (n - i0,
  // mod 2^32 for `ne`; one more for `<=`) without wrapping. From at or past the bound the
  // checked loop runs alone, and so does `i <= n` with n the largest value (it never ends).
  const inclusive = shape.compare === 'le_s' || shape.compare === 'le_u';
  const cmp = { lt_s: m.i32.lt_s, lt_u: m.i32.lt_u, le_s: m.i32.le_s, le_u: m.i32.le_u, ne: m.i32.ne }[shape.compare];
  let before = cmp(i0(), n());
  if (inclusive) before = m.i32.and(before, m.i32.ne(n(), m.i32.const(shape.compare === 'le_s' ? 0x7fffffff : -1)));
  const span = () => (inclusive ? m.i32.add(m.i32.sub(n(), i0()), m.i32.const(1)) : m.i32.sub(n(), i0()));
  const go = m.i32.and(m.i32.gt_s(get(ctx.fuel), m.i32.const(0)), before);
  const start = m.block(null, [
    // Steps the copy takes: to the bound, or as many as the fuel covers (fuel > 0 here).
    m.local.set(taken, m.select(m.i32.lt_u(span(), get(ctx.fuel)), span(), get(ctx.fuel))),
    // The copy's bound: the first value it does not run (the last it runs, for `<=`).
    m.local.set(limit, m.i32.add(i0(), inclusive ? m.i32.sub(get(taken), m.i32.const(1)) : get(taken))),
    m.local.set(ctx.fuel, m.i32.sub(get(ctx.fuel), get(taken))),
    clean,
    m.br(skip),
  ], binaryen.unreachable);
  // After the copy reached `limit`, the checked loop makes the loop's last entry (the
  // failing check), or leaves at once for a yield when the copy spent the fuel.
  return (checked) => m.block(skip, [m.block(more, [m.if(go, start)], none), checked], none);
}

/** A block's children, or the expression alone. */
function statements(e: Expr): Expr[] {
  if (binaryen.getExpressionId(e) !== b.BlockId) return [e];
  return b.Block.getChildren(e);
}

/** An if without an else. */
function isIfThen(e: Expr): boolean {
  return binaryen.getExpressionId(e) === b.IfId && !b.If.getIfFalse(e);
}

/** An unnamed block of one statement, seen through. */
function unwrap(e: Expr): Expr {
  while (binaryen.getExpressionId(e) === b.BlockId && !b.Block.getName(e) && b.Block.getNumChildren(e) === 1) e = b.Block.getChildAt(e, 0);
  return e;
}

/**
 * `loop $L { if (i < n) { …; i += 1; …; br $L } }`, or
 * `loop $L { if ((local.tee $t (i + 1)) < n) { …; i = t; br $L } }`. The way back may
 * sit in ifs without an else at the end of the body (asc's `if (x) break; …`): an if
 * that fails there falls out of the loop, a `break`.
 */
function whileShape(name: string, body: Expr): Shape | null {
  const e = unwrap(body);
  if (binaryen.getExpressionId(e) !== b.IfId || b.If.getIfFalse(e)) return null;
  let list = statements(b.If.getIfTrue(e));
  for (let last = list.at(-1); last && isIfThen(unwrap(last)); last = list.at(-1)) list = statements(b.If.getIfTrue(unwrap(last)));
  const back = list.at(-1);
  if (!back || !isBranch(back, name, false)) return null;
  for (const cmp of comparison(b.If.getCondition(e))) {
    const shape = steppedBy(cmp, list);
    if (shape) return { ...cmp, ...shape, back, checkFirst: true, guard: e };
  }
  return null;
}

/** How the counter of `cmp` steps in `list` (the statements that end in the way back), or null. */
function steppedBy(cmp: Comparison, list: Expr[]): Pick<Shape, 'counter' | 'offset' | 'step' | 'carried'> | null {
  const tee = binaryen.getExpressionId(cmp.i) === b.LocalSetId ? cmp.i : null;
  const read = counterRead(tee ? b.LocalSet.getValue(tee) : cmp.i);
  if (!read) return null;
  if (tee) {
    // `i = t` right before the way back: each entry's check reads the last one's plus one.
    const carried = b.LocalSet.getIndex(tee);
    const step = list[list.length - 2];
    if (!step || carried === read.counter || read.offset !== 1 || !copies(step, read.counter, carried)) return null;
    return { ...read, step, carried };
  }
  const step = list.find((e) => isIncrement(e, read.counter));
  return step ? { ...read, step } : null;
}

/** `loop $L { …; i += 1; br_if $L (i < n) }`, or with `(local.tee $i (i + 1)) < n`. */
function doWhileShape(name: string, body: Expr): Shape | null {
  const list = statements(body);
  const back = list.at(-1);
  if (!back || !isBranch(back, name, true)) return null;
  for (const cmp of comparison(b.Break.getCondition(back))) {
    const id = binaryen.getExpressionId(cmp.i);
    if (id === b.LocalSetId && isIncrement(cmp.i, b.LocalSet.getIndex(cmp.i))) {
      return { ...cmp, counter: b.LocalSet.getIndex(cmp.i), offset: 0, step: cmp.i, back, checkFirst: false };
    }
    const read = counterRead(cmp.i);
    const step = read && list.find((s) => isIncrement(s, read.counter));
    if (read && step) return { ...cmp, ...read, step, back, checkFirst: false };
  }
  return null;
}

/** `i` or `i + c` (a constant `c`: `for (let i = 0; i + 1 < n; i++)`) compared with the bound. */
function counterRead(e: Expr): { counter: number; offset: number } | null {
  const id = binaryen.getExpressionId(e);
  if (id === b.LocalGetId && binaryen.getExpressionType(e) === i32) return { counter: b.LocalGet.getIndex(e), offset: 0 };
  if (id !== b.BinaryId || b.Binary.getOp(e) !== b.AddInt32) return null;
  const [l, r] = [b.Binary.getLeft(e), b.Binary.getRight(e)];
  const [get, c] = binaryen.getExpressionId(l) === b.ConstId ? [r, l] : [l, r];
  if (binaryen.getExpressionId(get) !== b.LocalGetId || binaryen.getExpressionId(c) !== b.ConstId) return null;
  return { counter: b.LocalGet.getIndex(get), offset: b.Const.getValueI32(c) };
}

/** `br $name` (or `br_if` when `conditional`), carrying no value. */
function isBranch(e: Expr, name: string, conditional: boolean): boolean {
  return binaryen.getExpressionId(e) === b.BreakId && b.Break.getName(e) === name && !b.Break.getValue(e) && !!b.Break.getCondition(e) === conditional;
}

/** `local.set $i (i + 1)` or `local.tee`, with i32 `$i`. */
function isIncrement(e: Expr, counter: number): boolean {
  if (binaryen.getExpressionId(e) !== b.LocalSetId || b.LocalSet.getIndex(e) !== counter) return false;
  const read = counterRead(b.LocalSet.getValue(e));
  return read?.counter === counter && read.offset === 1;
}

/** `local.set $to (local.get $from)`. */
function copies(e: Expr, to: number, from: number): boolean {
  if (binaryen.getExpressionId(e) !== b.LocalSetId || b.LocalSet.getIndex(e) !== to || binaryen.getExpressionType(e) !== none) return false;
  const v = b.LocalSet.getValue(e);
  return binaryen.getExpressionId(v) === b.LocalGetId && b.LocalGet.getIndex(v) === from;
}

interface Comparison { i: Expr; bound: Expr; compare: Compare; test: Expr; boundIsLeft: boolean }

/**
 * `i < n` in any of its spellings (`<=`, `!=`), with `n` a pure bound (boundLocals); `i`
 * as written. Each reading of it (`i != n` has two; the shape picks the one it steps).
 */
function comparison(e: Expr): Comparison[] {
  if (binaryen.getExpressionId(e) !== b.BinaryId) return [];
  const op = b.Binary.getOp(e);
  const [l, r] = [b.Binary.getLeft(e), b.Binary.getRight(e)];
  const pick = (boundIsLeft: boolean, compare: Compare): Comparison[] => {
    const [i, bound] = boundIsLeft ? [r, l] : [l, r];
    return boundLocals(bound) ? [{ i, bound, compare, test: e, boundIsLeft }] : [];
  };
  const ops: Array<[number, boolean, Compare]> = [
    [b.LtSInt32, false, 'lt_s'], [b.LtUInt32, false, 'lt_u'], [b.GtSInt32, true, 'lt_s'], [b.GtUInt32, true, 'lt_u'],
    [b.LeSInt32, false, 'le_s'], [b.LeUInt32, false, 'le_u'], [b.GeSInt32, true, 'le_s'], [b.GeUInt32, true, 'le_u'],
  ];
  for (const [o, boundIsLeft, compare] of ops) if (op === o) return pick(boundIsLeft, compare);
  // `i != n` or `n != i`: asc writes either; the counter is the side the loop steps.
  if (op === b.NeInt32) return [...pick(false, 'ne'), ...pick(true, 'ne')];
  return [];
}

/** i32 arithmetic that cannot trap: a bound made of it is read at the loop's start as well as at each check. */
const PURE_OPS = new Set<number>([b.AddInt32, b.SubInt32, b.MulInt32, b.AndInt32, b.OrInt32, b.XorInt32, b.ShlInt32, b.ShrSInt32, b.ShrUInt32]);

/**
 * The locals an i32 bound reads, when it is only constants, locals and arithmetic that
 * cannot trap (the loop must not write those locals: onlyCounts); null otherwise.
 */
function boundLocals(e: Expr): number[] | null {
  if (binaryen.getExpressionType(e) !== i32) return null;
  const id = binaryen.getExpressionId(e);
  if (id === b.ConstId) return [];
  if (id === b.LocalGetId) return [b.LocalGet.getIndex(e)];
  if (id !== b.BinaryId || !PURE_OPS.has(b.Binary.getOp(e))) return null;
  const l = boundLocals(b.Binary.getLeft(e));
  const r = l && boundLocals(b.Binary.getRight(e));
  return l && r ? [...l, ...r] : null;
}

/**
 * True when nothing in the loop but `shape.step` writes the counter (or, carried, nothing
 * but the check's tee writes `carried`), nothing writes the bound's locals, nothing but
 * `shape.back` branches to the header, and the loop holds no inner loop, no use of the
 * fuel local, and not too much code to copy.
 */
function onlyCounts(loop: Expr, name: string, shape: Shape, fuel: number): boolean {
  // Locals the loop must not write: the bound's.
  const fixed = new Set(boundLocals(shape.bound));
  const carried = shape.carried;
  if (fixed.has(shape.counter) || fixed.has(fuel) || shape.counter === fuel) return false;
  if (carried !== undefined && (fixed.has(carried) || carried === fuel)) return false;
  // The tee of `carried` in the check (carried shape only).
  const tee = carried !== undefined ? (shape.boundIsLeft ? b.Binary.getRight(shape.test) : b.Binary.getLeft(shape.test)) : null;
  let ok = true;
  let nodes = 0;
  walk(b.Loop.getBody(loop), (e) => {
    if (!ok) return false;
    if (++nodes > MAX_NODES) { ok = false; return false; }
    const id = binaryen.getExpressionId(e);
    if (id === b.LoopId) ok = false;
    else if (id === b.LocalSetId) {
      const i = b.LocalSet.getIndex(e);
      if (i === fuel || fixed.has(i)) ok = false;
      // With `i = t` last, writes of the counter before it are undone; else the step is the one.
      else if (i === shape.counter && e !== shape.step && carried === undefined) ok = false;
      else if (i === carried && e !== tee) ok = false;
    } else if (id === b.LocalGetId) {
      if (b.LocalGet.getIndex(e) === fuel) ok = false;
    } else if (id === b.BreakId) {
      if (b.Break.getName(e) === name && e !== shape.back) ok = false;
    } else if (id === b.SwitchId) {
      if (b.Switch.getDefaultName(e) === name || b.Switch.getNames(e).includes(name)) ok = false;
    }
    return ok;
  });
  return ok;
}

/** Gives every label defined under `root` (itself included) a new name, and the branches to it. */
function renameLabels(root: Expr, prefix: string): void {
  const renamed = new Map<string, string>();
  walk(root, (e) => {
    const id = binaryen.getExpressionId(e);
    const cls = id === b.LoopId ? b.Loop : id === b.BlockId ? b.Block : null;
    const name = cls?.getName(e);
    if (name) {
      const fresh = `${prefix}_${renamed.size}`;
      renamed.set(name, fresh);
      cls.setName(e, fresh);
    }
  });
  walk(root, (e) => {
    const id = binaryen.getExpressionId(e);
    if (id === b.BreakId) {
      const to = renamed.get(b.Break.getName(e));
      if (to) b.Break.setName(e, to);
    } else if (id === b.SwitchId) {
      const to = (n: string) => renamed.get(n) ?? n;
      b.Switch.setDefaultName(e, to(b.Switch.getDefaultName(e)));
      b.Switch.setNames(e, b.Switch.getNames(e).map(to));
    }
  });
}
