/**
 * Part of the yield-points pass: a whole loop nest moved into a function of its own, out
 * of Asyncify's reach.
 *
 * Asyncify instruments every function that can be on the stack at a yield point: it
 * flattens it and guards each stretch of code between calls with a check of its state
 * global. When the yield call sits in a wrapper around an inner loop, every outer loop
 * around that wrapper pays those checks on each iteration (a sieve's outer loop ran 1.4x
 * slower for it). So a loop nest that holds no call which may reach a yield point moves,
 * whole, into `__weave_nest:<fn>:<k>(resume, locals…)`, which Asyncify never sees. Its
 * loops count fuel as before; when fuel runs out at the header of loop `j`, it returns
 * why it stopped (fuel out at `j`, fell through, a branch out of the nest, a return) and
 * the locals it wrote, as a tuple. The function it came from keeps a small wrapper: call
 * the nest; on "fuel out at j" yield, then call it again with `resume = j + 1`. The nest
 * then goes straight to loop j's header: code before the path to it is guarded by
 * `resume == 0` and `if`s on the path take the arm that holds it. Those guards are a
 * compare of a local per outer iteration; innermost loops get none.
 *   const wrapper = outlineNest(m, '__weave_nest:main:0', loop, ctx);  // null: leave the loop where it is
 */
import binaryen from 'binaryen';
import { childSlots, rewrite, type Expr } from './ir.js';
import { countedLoop } from './counted-loop.js';

const b: any = binaryen;
const { i32, none } = binaryen;

export interface NestContext {
  /** The function's fuel local. */
  fuel: number;
  /** True when a call (callee name, null: indirect) may reach a yield point. */
  spends: (callee: string | null) => boolean;
  /** Adds a local to the function the nest comes from; returns its index. */
  addVar: (type: number) => number;
  /** The declared type of a local of that function. */
  typeOf: (index: number) => number;
  /** That function's result type. */
  results: number;
  /** A local of that function the wrapper keeps its resume point in. */
  resumeLocal: () => number;
  /** The call to the host's yield (returns the next allowance). */
  yieldCall: () => Expr;
}

/** Labels of weave's own; user labels never start with `__weave`. */
export const NEST_LABEL_PREFIX = '__weave_nest_';
const OUT = `${NEST_LABEL_PREFIX}out`;
const FELL_THROUGH = 0;

/** A rejected nest: the loop stays where it is and its inner loops are tried instead. */
class NotOutlinable extends Error {}

interface Scan {
  /** Loops in pre-order; index = loop number. */
  loops: Expr[];
  /** For each expression holding loops: the range of loop numbers under it. */
  range: Map<Expr, [number, number]>;
  /** Labels defined inside the nest. */
  inside: Set<string>;
  /** Labels outside the nest that it branches to (no value), in first-seen order. */
  exits: string[];
  returns: boolean;
  /** Locals used, with their types; and those written. */
  locals: Map<number, number>;
  written: Set<number>;
}

function scan(root: Expr, ctx: NestContext): Scan {
  const s: Scan = { loops: [], range: new Map(), inside: new Set(), exits: [], returns: false, locals: new Map(), written: new Set() };
  const breaks: Expr[] = [];
  const visit = (e: Expr): void => {
    const id = binaryen.getExpressionId(e);
    const isLoop = id === b.LoopId;
    if (isLoop) s.loops.push(e);
    const first = s.loops.length - (isLoop ? 1 : 0);
    if (id === b.BlockId || isLoop) {
      const name = (isLoop ? b.Loop : b.Block).getName(e);
      if (name) s.inside.add(name);
    } else if (id === b.CallId) {
      if (b.Call.isReturn(e) || ctx.spends(b.Call.getTarget(e))) throw new NotOutlinable('call ' + b.Call.getTarget(e));
    } else if (id === b.CallIndirectId) {
      if (b.CallIndirect.isReturn(e) || ctx.spends(null)) throw new NotOutlinable('call_indirect');
    } else if (id === b.ReturnId) s.returns = true;
    else if (id === b.BreakId || id === b.SwitchId) breaks.push(e);
    else if (id === b.PopId || id === b.TryId || id === b.ThrowId) throw new NotOutlinable('exceptions');
    else if (id === b.LocalGetId) s.locals.set(b.LocalGet.getIndex(e), ctx.typeOf(b.LocalGet.getIndex(e)));
    else if (id === b.LocalSetId) {
      const i = b.LocalSet.getIndex(e);
      s.written.add(i);
      s.locals.set(i, ctx.typeOf(i));
    }
    for (const slot of childSlots(e)) visit(slot.get());
    if (s.loops.length === first) return;
    s.range.set(e, [first, s.loops.length - 1]);
    // Only statement-shaped code may lead to a loop: resuming skips or enters it.
    const type = binaryen.getExpressionType(e);
    if ((type !== none && type !== binaryen.unreachable) || (id !== b.LoopId && id !== b.BlockId && id !== b.IfId)) throw new NotOutlinable(`loop under id ${id} type ${type}`);
    if (id === b.IfId && s.range.has(b.If.getCondition(e))) throw new NotOutlinable('loop in condition');
  };
  visit(root);
  // Labels are checked once every label defined inside is known.
  for (const e of breaks) {
    if (binaryen.getExpressionId(e) === b.SwitchId) {
      const names: string[] = [b.Switch.getDefaultName(e), ...b.Switch.getNames(e)];
      if (names.some((n) => !s.inside.has(n))) throw new NotOutlinable('br_table out');
      continue;
    }
    const name = b.Break.getName(e);
    if (s.inside.has(name)) continue;
    if (b.Break.getValue(e)) throw new NotOutlinable('br with value out');
    if (!s.exits.includes(name)) s.exits.push(name);
  }
  return s;
}

/**
 * The wrapper to put where `loop` was, or null when the nest must stay where it is (a call
 * inside may reach a yield point, a loop sits inside an expression, a branch carries a
 * value out). Adds the nest's function to `m`.
 */
export function outlineNest(m: binaryen.Module, nest: string, loop: Expr, ctx: NestContext): Expr | null {
  // The wrapper falls through when the nest does; one that never did stays unreachable.
  const rootType = binaryen.getExpressionType(loop);
  let s: Scan;
  try {
    s = scan(loop, ctx);
  } catch (err) {
    if (err instanceof NotOutlinable) return null;
    throw err;
  }
  s.locals.set(ctx.fuel, i32);
  s.written.add(ctx.fuel);
  const used = [...s.locals.keys()].sort((x, y) => x - y);
  const outs = used.filter((i) => s.written.has(i));
  // Param 0 is where to resume (0: from the start, j + 1: at loop j's header).
  const index = new Map(used.map((l, i) => [l, i + 1]));
  const resume = 0;
  const code = used.length + 1;
  const ret = used.length + 2;
  const retType = s.returns ? ctx.results : none;
  const vars = s.returns && retType !== none ? [i32, retType] : [i32];
  const resultTypes = [i32, ...outs.map((l) => s.locals.get(l)!), ...(s.returns && retType !== none ? [retType] : [])];
  const tupleType = binaryen.createType(resultTypes);
  const exitCode = (label: string) => 1 + s.exits.indexOf(label);
  const retCode = 1 + s.exits.length;
  const fuelBase = retCode + 1;

  // Locals the counted loops share (counted-loop.ts), added after the others as asked for.
  const shared = new Map<string, number>();
  const extraLocal = (key: string): number => {
    let i = shared.get(key);
    if (i === undefined) { i = used.length + 1 + vars.length; vars.push(i32); shared.set(key, i); }
    return i;
  };
  const leave = (c: number, extra: Expr[] = []) => m.block(null, [...extra, m.local.set(code, m.i32.const(c)), m.br(OUT)], binaryen.unreachable);
  const resumeIs0 = () => m.i32.eqz(m.local.get(resume, i32));
  const fuel = index.get(ctx.fuel)!;

  // Renumber locals, turn branches out of the nest and returns into exit codes. Loops
  // are rewritten below; `rewrite` mutates in place, so the scan's maps stay valid.
  rewrite(loop, (e) => {
    const id = binaryen.getExpressionId(e);
    if (id === b.LocalGetId) { b.LocalGet.setIndex(e, index.get(b.LocalGet.getIndex(e))); return e; }
    if (id === b.LocalSetId) { b.LocalSet.setIndex(e, index.get(b.LocalSet.getIndex(e))); return e; }
    if (id === b.ReturnId) {
      const v = b.Return.getValue(e);
      return leave(retCode, v ? [m.local.set(ret, v)] : []);
    }
    if (id !== b.BreakId || s.inside.has(b.Break.getName(e))) return e;
    const cond = b.Break.getCondition(e);
    const out = leave(exitCode(b.Break.getName(e)));
    return cond ? m.if(cond, out) : out;
  });

  // Statements of a block (or a loop's body) that lead to loops: guard what comes before
  // the path to the resume point, and the children that hold later resume points.
  const statements = (list: Expr[]): Expr[] => {
    const out: Expr[] = [];
    let pending: Expr[] = [];
    const targets = list.filter((c) => s.range.has(c));
    for (const c of list) {
      const r = s.range.get(c);
      if (!r) { pending.push(c); continue; }
      if (pending.length) out.push(m.if(resumeIs0(), m.block(null, pending, none)));
      pending = [];
      const t = resumable(c);
      // Resuming, execution only gets here when the target is in this child or a later one.
      out.push(c === targets[targets.length - 1] ? t : m.if(m.i32.le_u(m.local.get(resume, i32), m.i32.const(r[1] + 1)), t));
    }
    // After the last child that holds loops, resuming is over: run the rest as is.
    out.push(...pending);
    return out;
  };
  const childrenOf = (e: Expr): Expr[] => {
    if (binaryen.getExpressionId(e) === b.BlockId && !b.Block.getName(e)) {
      return b.Block.getChildren(e);
    }
    return [e];
  };
  const resumable = (e: Expr): Expr => {
    const id = binaryen.getExpressionId(e);
    if (id === b.LoopId) {
      const k = s.loops.indexOf(e);
      const body = b.Loop.getBody(e);
      // An innermost loop that counts to a bound: a copy without the check below runs when
      // the fuel covers it (counted-loop.ts). Taken before the check goes in.
      const counted = s.range.has(body) ? null : countedLoop(m, e, { fuel, local: extraLocal, label: (x) => `${NEST_LABEL_PREFIX}counted${k}_${x}` });
      const check = [
        // Check before spending, so an allowance of 1 still runs one iteration per call.
        m.if(m.i32.le_s(m.local.get(fuel, i32), m.i32.const(0)), leave(fuelBase + k)),
        m.local.set(fuel, m.i32.sub(m.local.get(fuel, i32), m.i32.const(1))),
      ];
      const inner = s.range.has(body) ? statements([...check, ...childrenOf(body)]) : [...check, body];
      b.Loop.setBody(e, m.block(null, inner, none));
      // A loop that never fell through may now (a guard skips its end): retype it.
      b.Expression.finalize(e);
      const entry = counted ? counted(e) : e;
      return m.block(null, [m.if(m.i32.eq(m.local.get(resume, i32), m.i32.const(k + 1)), m.local.set(resume, m.i32.const(0))), entry], none);
    }
    if (id === b.BlockId) {
      const kids: Expr[] = b.Block.getChildren(e);
      return m.block(b.Block.getName(e), statements(kids), binaryen.auto);
    }
    // An if on the path: resuming, take the arm that holds the resume point.
    const yes = b.If.getIfTrue(e);
    const no = b.If.getIfFalse(e);
    const ry = s.range.get(yes);
    const rn = no ? s.range.get(no) : undefined;
    const pick = ry && rn ? m.i32.le_u(m.local.get(resume, i32), m.i32.const(ry[1] + 1)) : m.i32.const(ry ? 1 : 0);
    b.If.setCondition(e, m.if(m.local.get(resume, i32), pick, b.If.getCondition(e)));
    if (ry) b.If.setIfTrue(e, resumable(yes));
    if (rn) b.If.setIfFalse(e, resumable(no));
    b.Expression.finalize(e);
    return e;
  };

  const nestBody = resumable(loop);
  m.addFunction(nest, binaryen.createType([i32, ...used.map((l) => s.locals.get(l)!)]), tupleType, vars, m.block(null, [
    m.block(OUT, [nestBody, m.local.set(code, m.i32.const(FELL_THROUGH))], none),
    m.tuple.make([m.local.get(code, i32), ...outs.map((l) => m.local.get(index.get(l)!, s.locals.get(l)!)), ...(s.returns && retType !== none ? [m.local.get(ret, retType)] : [])]),
  ], tupleType));

  // The wrapper in the function the nest came from.
  const tup = ctx.addVar(tupleType);
  const c = ctx.addVar(i32);
  const r = ctx.resumeLocal();
  const again = `${NEST_LABEL_PREFIX}${nest}`;
  const part = (i: number) => m.tuple.extract(m.local.get(tup, tupleType), i);
  const codeIs = (x: number) => m.i32.eq(m.local.get(c, i32), m.i32.const(x));
  const dispatch: Expr[] = s.exits.map((label) => m.br(label, codeIs(exitCode(label))));
  if (s.returns) dispatch.push(m.if(codeIs(retCode), m.return(retType !== none ? part(resultTypes.length - 1) : undefined)));
  return m.block(null, [
    m.local.set(r, m.i32.const(0)),
    m.loop(again, m.block(null, [
      m.if(m.i32.le_s(m.local.get(ctx.fuel, i32), m.i32.const(0)), m.local.set(ctx.fuel, ctx.yieldCall())),
      m.local.set(tup, m.call(nest, [m.local.get(r, i32), ...used.map((l) => m.local.get(l, s.locals.get(l)!))], tupleType)),
      m.local.set(c, part(0)),
      ...outs.map((l, i) => m.local.set(l, part(i + 1))),
      m.if(m.i32.ge_u(m.local.get(c, i32), m.i32.const(fuelBase)), m.block(null, [
        m.local.set(r, m.i32.sub(m.local.get(c, i32), m.i32.const(fuelBase - 1))),
        m.br(again),
      ], binaryen.unreachable)),
      ...dispatch,
    ], none)),
    ...(rootType === binaryen.unreachable ? [m.unreachable()] : []),
  ], rootType === binaryen.unreachable ? binaryen.unreachable : none);
}
