/**
 * Pass: split an exported function into fragments at loop and branch boundaries.
 *
 * The function body is cut into a sequence of regions (straight code merged with the loop
 * or branch that follows it). Each region becomes an exported function of no arguments
 * that loads the frame, runs the region, stores the frame and returns the id of the next
 * fragment (DONE when the function returned). Branches that leave a region to an enclosing
 * block become "next = what follows that block"; a branch to an enclosing loop (nested
 * granularity) becomes "next = the loop's first fragment". The original function stays as
 * it is for internal calls (recursion), so the module is still the whole program.
 *   const split = splitFunction(m, 'run', 'myExport', frameBase, framesEnd, 'loop', firstId);
 *   split.fragments[0].exportName // "__weave_frag:myExport:0"
 */
import binaryen from 'binaryen';
import { WeaveBuildError } from '../errors.js';
import { containsLoop, rewrite, type Expr } from './ir.js';
import { DONE, loadLocals, planFrame, storeAt, storeLocals, zeroOf, type FrameLayout } from './frame.js';

import type { Granularity, RegionKind } from '../manifest.js';
export type { RegionKind };
export { GRANULARITIES, type Granularity } from '../abi.js';

/** A forward reference to a fragment id, resolved once every region has been numbered. */
class Ref {
  private id: number | undefined;
  private alias: Ref | undefined;
  set(id: number) { this.id = id; }
  forward(to: Ref) { this.alias = to; }
  resolve(): number {
    const seen = new Set<Ref>();
    let r: Ref | undefined = this;
    while (r && r.id === undefined) {
      if (seen.has(r)) throw new WeaveBuildError('internal error: fragment continuation cycle');
      seen.add(r);
      r = r.alias;
    }
    if (!r) throw new WeaveBuildError('internal error: unresolved fragment continuation');
    return r.id!;
  }
}

/** An enclosing label a region may branch to, and where execution goes when it does. */
interface PathFrame {
  label: string | null;
  onBreak: Ref;
  /** Set on the function body frame when the function returns a value. */
  resultType?: number;
}


interface Region {
  index: number;
  kind: RegionKind;
  parts: Expr[];
  path: PathFrame[];
  exit: Ref;
  /** The last part is the function's value: store it as the result and finish. */
  valueLast: boolean;
  /** Branch head (nested granularity): choose the next fragment by a condition. */
  cond?: { expr: Expr; then: Ref; else: Ref };
  loopDepth: number;
}

export interface SplitFragment {
  /** Index within the function (0 is where a call starts). */
  index: number;
  kind: RegionKind;
  exportName: string;
  functionName: string;
  /** Possible next fragments as bundle-wide ids (firstId + index); DONE (-1) means returned. */
  next: number[];
  /** The region's code as it sits in the fragment function (for metadata). */
  parts: Expr[];
  loopDepth: number;
}

export interface SplitFunction {
  entry: string;
  internalName: string;
  frame: FrameLayout;
  argsExport: string;
  fragments: SplitFragment[];
}

const b: any = binaryen;

/**
 * Split `internalName` (exported as `exportName`) into fragment functions added to `m`.
 * `firstId` is the bundle-wide id of the entry's first fragment: fragment functions return
 * the id of the next fragment in the bundle's numbering, so the runtime never translates
 * ids (and an entry other than the first cannot jump into another entry's fragments).
 * Throws WeaveBuildError on tail calls or a frame that does not fit the frames area.
 */
export function splitFunction(m: binaryen.Module, internalName: string, exportName: string,
  frameBase: number, framesEnd: number, granularity: Granularity, firstId: number): SplitFunction {
  const fnRef = m.getFunction(internalName);
  const info = binaryen.getFunctionInfo(fnRef);
  const frame = planFrame(info, frameBase);
  if (frame.base + frame.size > framesEnd) {
    throw new WeaveBuildError(`function '${exportName}' has too many locals for the frames area ` +
      `(${frame.size} bytes needed at ${frame.base}, area ends at ${framesEnd}); split it into smaller functions`);
  }
  const body = m.copyExpression(info.body);
  const regions: Region[] = [];
  const heavy = (e: Expr) => granularity !== 'function' && containsLoop(e);

  const emit = (r: Omit<Region, 'index' | 'exit'>, into: Ref): Region => {
    const region: Region = { ...r, index: regions.length, exit: new Ref() };
    regions.push(region);
    into.set(region.index);
    return region;
  };

  // Cut `children` into regions; returns a reference to the first one. `cont` is what runs
  // when the sequence finishes normally.
  const splitSeq = (children: Expr[], path: PathFrame[], cont: Ref, valueLast: boolean, depth: number): Ref => {
    const start = new Ref();
    let nextRef = start;
    let pending: Expr[] = [];
    const flush = (kind: RegionKind, last: boolean) => {
      if (!pending.length) return;
      const r = emit({ kind, parts: pending, path, valueLast: last, loopDepth: depth }, nextRef);
      nextRef = r.exit;
      pending = [];
    };
    children.forEach((c, i) => {
      const isLast = i === children.length - 1;
      const id = binaryen.getExpressionId(c);
      const type = binaryen.getExpressionType(c);
      if (!heavy(c)) { pending.push(c); return; }
      if (id === b.BlockId && type === binaryen.none) {
        flush('straight', false);
        const after = new Ref();
        const inner = splitSeq(b.Block.getChildren(c), [...path, { label: b.Block.getName(c), onBreak: after }], after, false, depth);
        nextRef.forward(inner);
        nextRef = after;
        return;
      }
      if (granularity === 'nested' && id === b.LoopId && type === binaryen.none) {
        flush('straight', false);
        const after = new Ref();
        const loopStart = new Ref();
        const inner = splitSeq([b.Loop.getBody(c)], [...path, { label: b.Loop.getName(c), onBreak: loopStart }], after, false, depth + 1);
        loopStart.forward(inner);
        nextRef.forward(inner);
        nextRef = after;
        return;
      }
      if (granularity === 'nested' && id === b.IfId && type === binaryen.none) {
        const after = new Ref();
        const head = emit({ kind: 'branch', parts: pending, path, valueLast: false, loopDepth: depth }, nextRef);
        pending = [];
        const thenStart = splitSeq([b.If.getIfTrue(c)], path, after, false, depth);
        const ifFalse = b.If.getIfFalse(c);
        const elseStart = ifFalse ? splitSeq([ifFalse], path, after, false, depth) : after;
        head.cond = { expr: b.If.getCondition(c), then: thenStart, else: elseStart };
        nextRef = after;
        return;
      }
      pending.push(c);
      flush(id === b.IfId ? 'branch' : 'loop', valueLast && isLast);
    });
    flush(granularity === 'function' ? 'function' : 'straight', valueLast);
    nextRef.forward(cont);
    return start;
  };

  const done = new Ref();
  done.set(DONE);
  const resultType = info.results;
  const bodyId = binaryen.getExpressionId(body);
  if (bodyId === b.BlockId && granularity !== 'function') {
    const typed = binaryen.getExpressionType(body) !== binaryen.none;
    splitSeq(b.Block.getChildren(body), [{ label: b.Block.getName(body), onBreak: done, resultType: typed ? resultType : undefined }],
      done, typed, 0);
  } else {
    splitSeq([body], [], done, resultType !== binaryen.none, 0);
  }
  if (regions.length === 0) {
    // An empty body still needs a fragment so a call has somewhere to start.
    regions.push({ index: 0, kind: 'straight', parts: [m.nop()], path: [], exit: done, valueLast: false, loopDepth: 0 });
  }

  const fragments = regions.map((r) => emitFragment(m, r, info, frame, exportName, firstId));
  const argsExport = `__weave_args:${exportName}`;
  addArgsSetter(m, argsExport, info, frame);
  return { entry: exportName, internalName, frame, argsExport, fragments };
}

/** Build the fragment function for one region and export it. */
function emitFragment(m: binaryen.Module, r: Region, fn: binaryen.FunctionInfo, frame: FrameLayout, exportName: string, firstId: number): SplitFragment {
  const next = new Set<number>();
  const leave = (index: number) => {
    const target = index === DONE ? DONE : firstId + index;
    next.add(target);
    return m.block(null, [...storeLocals(m, frame), m.return(m.i32.const(target))], binaryen.unreachable);
  };
  const storeResult = (value: Expr) => storeAt(m, frame.resultType, frame.base + frame.resultOffset, value);

  // A `return` inside the region ends the whole function: keep its value in the frame.
  // Also one in a branch head's condition: asc's optimizer moves code that may return into
  // the condition of the `if` after it (a block that ends in the comparison).
  const returns = (p: Expr) => rewrite(p, (e) => {
    const id = binaryen.getExpressionId(e);
    if (id === b.CallId || id === b.CallIndirectId) {
      const cls = id === b.CallId ? b.Call : b.CallIndirect;
      if (cls.isReturn(e)) throw new WeaveBuildError(`tail calls are not supported (in '${exportName}')`);
    }
    if (id !== b.ReturnId) return e;
    const value = b.Return.getValue(e);
    next.add(DONE);
    return value
      ? m.block(null, [storeResult(value), m.return(m.i32.const(DONE))], binaryen.unreachable)
      : m.return(m.i32.const(DONE));
  });
  const parts = r.parts.map(returns);

  let inner: Expr;
  if (r.cond) {
    inner = m.block(null, [...parts, m.if(returns(r.cond.expr), leave(r.cond.then.resolve()), leave(r.cond.else.resolve()))], binaryen.unreachable);
  } else if (r.valueLast && fn.results !== binaryen.none) {
    const last = parts.pop()!;
    next.add(DONE);
    inner = m.block(null, [...parts, storeResult(last), m.return(m.i32.const(DONE))], binaryen.unreachable);
  } else {
    inner = m.block(null, [...parts, leave(r.exit.resolve())], binaryen.unreachable);
  }
  // Re-create every enclosing label so branches out of the region stay valid.
  for (let i = r.path.length - 1; i >= 0; i--) {
    const p = r.path[i];
    if (!p.label) continue;
    if (p.resultType !== undefined && p.resultType !== binaryen.none) {
      next.add(DONE);
      inner = m.block(null, [storeResult(m.block(p.label, [inner], p.resultType)), m.return(m.i32.const(DONE))], binaryen.unreachable);
    } else {
      const target = p.onBreak.resolve();
      inner = m.block(null, [m.block(p.label, [inner], binaryen.none), leave(target)], binaryen.unreachable);
    }
  }
  const functionName = `__weave_frag:${exportName}:${r.index}`;
  const body = m.block(null, [...loadLocals(m, frame), inner], binaryen.i32);
  m.addFunction(functionName, binaryen.none, binaryen.i32, frame.localTypes, body);
  m.addFunctionExport(functionName, functionName);
  return {
    index: r.index, kind: r.kind, exportName: functionName, functionName,
    next: [...next].sort((a, b2) => a - b2), parts, loopDepth: r.loopDepth,
  };
}

/** `__weave_args:<entry>(params…)`: write the arguments into a zeroed frame. */
function addArgsSetter(m: binaryen.Module, name: string, fn: binaryen.FunctionInfo, frame: FrameLayout): void {
  const params = binaryen.expandType(fn.params);
  const stores = frame.localTypes.map((t, i) => storeAt(m, t, frame.base + frame.localOffsets[i],
    i < params.length ? m.local.get(i, t) : zeroOf(m, t)));
  if (frame.resultType !== binaryen.none) stores.push(storeAt(m, frame.resultType, frame.base + frame.resultOffset, zeroOf(m, frame.resultType)));
  m.addFunction(name, fn.params, binaryen.none, [], m.block(null, stores, binaryen.none));
  m.addFunctionExport(name, name);
}
