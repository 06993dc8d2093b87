/**
 * Generic access to the children of a Binaryen expression, the one base every pass walks with.
 *
 * Binaryen.js exposes per-class getters and setters; this module turns them into uniform
 * "slots" so a pass can read or replace any child without a switch of its own.
 *   walk(body, (expr, replace) => { if (isLoop(expr)) replace(wrap(expr)); });
 *   for (const slot of childSlots(expr)) slot.set(rewrite(slot.get()));
 */
import binaryen from 'binaryen';

export type Expr = number;

/** One child position of an expression: read it, or put another expression there. */
export interface Slot {
  get(): Expr;
  set(child: Expr): void;
}

type Accessor = { get: (e: Expr) => Expr; set: (e: Expr, c: Expr) => void };

/**
 * The class's getter and setter of child `name`, looked up once rather than by a name
 * built at each call (walks read the children of every expression, several times a build).
 */
function field(cls: any, name: string): Accessor {
  const get = cls[`get${name}`] as (e: Expr) => Expr;
  const set = cls[`set${name}`] as (e: Expr, c: Expr) => void;
  return { get: (e) => get.call(cls, e), set: (e, c) => set.call(cls, e, c) };
}

const b: any = binaryen;

/** Fixed-arity children by expression id; the order is evaluation order. */
const FIXED: Map<number, Accessor[]> = new Map([
  [b.IfId, [field(b.If, 'Condition'), field(b.If, 'IfTrue'), field(b.If, 'IfFalse')]],
  [b.LoopId, [field(b.Loop, 'Body')]],
  [b.BreakId, [field(b.Break, 'Value'), field(b.Break, 'Condition')]],
  [b.SwitchId, [field(b.Switch, 'Value'), field(b.Switch, 'Condition')]],
  [b.LocalSetId, [field(b.LocalSet, 'Value')]],
  [b.GlobalSetId, [field(b.GlobalSet, 'Value')]],
  [b.LoadId, [field(b.Load, 'Ptr')]],
  [b.StoreId, [field(b.Store, 'Ptr'), field(b.Store, 'Value')]],
  [b.UnaryId, [field(b.Unary, 'Value')]],
  [b.BinaryId, [field(b.Binary, 'Left'), field(b.Binary, 'Right')]],
  [b.SelectId, [field(b.Select, 'IfTrue'), field(b.Select, 'IfFalse'), field(b.Select, 'Condition')]],
  [b.DropId, [field(b.Drop, 'Value')]],
  [b.ReturnId, [field(b.Return, 'Value')]],
  [b.MemoryGrowId, [field(b.MemoryGrow, 'Delta')]],
  [b.MemoryCopyId, [field(b.MemoryCopy, 'Dest'), field(b.MemoryCopy, 'Source'), field(b.MemoryCopy, 'Size')]],
  [b.MemoryFillId, [field(b.MemoryFill, 'Dest'), field(b.MemoryFill, 'Value'), field(b.MemoryFill, 'Size')]],
  [b.MemoryInitId, [field(b.MemoryInit, 'Dest'), field(b.MemoryInit, 'Offset'), field(b.MemoryInit, 'Size')]],
  [b.SIMDLoadId, [field(b.SIMDLoad, 'Ptr')]],
  [b.SIMDLoadStoreLaneId, [field(b.SIMDLoadStoreLane, 'Ptr'), field(b.SIMDLoadStoreLane, 'Vec')]],
  [b.SIMDExtractId, [field(b.SIMDExtract, 'Vec')]],
  [b.SIMDReplaceId, [field(b.SIMDReplace, 'Vec'), field(b.SIMDReplace, 'Value')]],
  [b.SIMDShuffleId, [field(b.SIMDShuffle, 'Left'), field(b.SIMDShuffle, 'Right')]],
  [b.SIMDTernaryId, [field(b.SIMDTernary, 'A'), field(b.SIMDTernary, 'B'), field(b.SIMDTernary, 'C')]],
  [b.SIMDShiftId, [field(b.SIMDShift, 'Vec'), field(b.SIMDShift, 'Shift')]],
  [b.AtomicRMWId, [field(b.AtomicRMW, 'Ptr'), field(b.AtomicRMW, 'Value')]],
  [b.AtomicCmpxchgId, [field(b.AtomicCmpxchg, 'Ptr'), field(b.AtomicCmpxchg, 'Expected'), field(b.AtomicCmpxchg, 'Replacement')]],
  [b.AtomicWaitId, [field(b.AtomicWait, 'Ptr'), field(b.AtomicWait, 'Expected'), field(b.AtomicWait, 'Timeout')]],
  [b.AtomicNotifyId, [field(b.AtomicNotify, 'Ptr'), field(b.AtomicNotify, 'NotifyCount')]],
  [b.TupleExtractId, [field(b.TupleExtract, 'Tuple')]],
  [b.RefIsNullId, [field(b.RefIsNull, 'Value')]],
  [b.RefAsId, [field(b.RefAs, 'Value')]],
  [b.RefEqId, [field(b.RefEq, 'Left'), field(b.RefEq, 'Right')]],
  [b.TableGetId, [field(b.TableGet, 'Index')]],
  [b.TableSetId, [field(b.TableSet, 'Index'), field(b.TableSet, 'Value')]],
  [b.TableGrowId, [field(b.TableGrow, 'Value'), field(b.TableGrow, 'Delta')]],
]);

/** Ids with no children at all. */
const LEAVES = new Set<number>([
  b.NopId, b.UnreachableId, b.LocalGetId, b.GlobalGetId, b.ConstId, b.MemorySizeId, b.DataDropId,
  b.RefNullId, b.RefFuncId, b.TableSizeId, b.AtomicFenceId, b.PopId, b.RethrowId,
]);

/** Thrown for IR this toolchain does not understand (GC proposal, exceptions with catches). */
export class UnsupportedIrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedIrError';
  }
}

/** A list of children (operands) by expression id: its length, and child i read and written. */
interface ListAccessor { count(e: Expr): number; get(e: Expr, i: number): Expr; set(e: Expr, i: number, c: Expr): void }

function list(cls: any, count: string, item: string): ListAccessor {
  const n = cls[`get${count}`] as (e: Expr) => number;
  const get = cls[`get${item}At`] as (e: Expr, i: number) => Expr;
  const set = cls[`set${item}At`] as (e: Expr, i: number, c: Expr) => void;
  return { count: (e) => n.call(cls, e), get: (e, i) => get.call(cls, e, i), set: (e, i, c) => set.call(cls, e, i, c) };
}

/** Variable-arity children by expression id, in evaluation order (call_indirect's target follows them: TRAILING). */
const LISTS: Map<number, ListAccessor> = new Map([
  [b.BlockId, list(b.Block, 'NumChildren', 'Child')],
  [b.CallId, list(b.Call, 'NumOperands', 'Operand')],
  [b.CallIndirectId, list(b.CallIndirect, 'NumOperands', 'Operand')],
  [b.TupleMakeId, list(b.TupleMake, 'NumOperands', 'Operand')],
  [b.ThrowId, list(b.Throw, 'NumOperands', 'Operand')],
]);
/** A child after the list: call_indirect's table index. */
const TRAILING: Map<number, Accessor> = new Map([[b.CallIndirectId, field(b.CallIndirect, 'Target')]]);

function unsupported(id: number): UnsupportedIrError {
  return new UnsupportedIrError(`unsupported Wasm expression kind ${id}: weave handles MVP, SIMD and bulk-memory code`);
}

/**
 * The child slots of `e`, in evaluation order; empty (null) optional children are skipped.
 * Throws UnsupportedIrError for expression kinds outside Wasm MVP + SIMD + bulk memory.
 */
export function childSlots(e: Expr): Slot[] {
  const id = binaryen.getExpressionId(e);
  if (LEAVES.has(id)) return [];
  const out: Slot[] = [];
  const fixed = FIXED.get(id);
  if (fixed) {
    for (const acc of fixed) if (acc.get(e) !== 0) out.push({ get: () => acc.get(e), set: (c: Expr) => acc.set(e, c) });
    return out;
  }
  const items = LISTS.get(id);
  if (!items) throw unsupported(id);
  for (let i = 0, n = items.count(e); i < n; i++) out.push({ get: () => items.get(e, i), set: (c) => items.set(e, i, c) });
  const last = TRAILING.get(id);
  if (last) out.push({ get: () => last.get(e), set: (c) => last.set(e, c) });
  return out;
}

/**
 * Visit every expression under `root` in pre-order. `visit` may return false to skip the
 * children of that expression. Uses an explicit stack: optimized AS code nests deeply.
 */
export function walk(root: Expr, visit: (e: Expr) => boolean | void): void {
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    if (visit(e) === false) continue;
    pushChildren(e, stack);
  }
}

/**
 * Pushes the children of `e` onto `stack` last first (so they pop in evaluation order),
 * empty optional ones skipped: what childSlots gives, read from the same tables, without
 * a slot object per child (walks read every expression of a module, several times a build).
 */
function pushChildren(e: Expr, stack: Expr[]): void {
  const id = binaryen.getExpressionId(e);
  if (LEAVES.has(id)) return;
  const fixed = FIXED.get(id);
  if (fixed) {
    for (let i = fixed.length - 1; i >= 0; i--) {
      const c = fixed[i].get(e);
      if (c !== 0) stack.push(c);
    }
    return;
  }
  const items = LISTS.get(id);
  if (!items) throw unsupported(id);
  const last = TRAILING.get(id);
  if (last) stack.push(last.get(e));
  for (let i = items.count(e) - 1; i >= 0; i--) stack.push(items.get(e, i));
}

/**
 * Rewrite bottom-up: `fn` receives each expression after its children were rewritten and
 * returns the expression to put in its place (or the same one).
 */
export function rewrite(root: Expr, fn: (e: Expr) => Expr): Expr {
  for (const slot of childSlots(root)) {
    const before = slot.get();
    const after = rewrite(before, fn);
    if (after !== before) slot.set(after);
  }
  return fn(root);
}

export const isId = (e: Expr, id: number) => binaryen.getExpressionId(e) === id;

/** True when a loop occurs anywhere under `e` (including `e` itself). */
export function containsLoop(e: Expr): boolean {
  let found = false;
  walk(e, (x) => {
    if (found) return false;
    if (binaryen.getExpressionId(x) === b.LoopId) found = true;
    return !found;
  });
  return found;
}
