/**
 * Part of the yield-points pass: fuel charged for bulk memory work.
 *
 * Fuel counts loop iterations of user code, but a program can spend most of its time in
 * AssemblyScript's runtime: building and cutting strings, growing arrays, copying buffers.
 * A generated module whose 36 loop iterations each built strings of 16,384 characters ran
 * 57 ms between two yield points under the stub runtime, every byte of it copied into
 * fresh memory by the runtime. The runtime's own loops get no yield point (a yield there
 * would unwind through code weave does not own), but its bulk work goes through
 * `memory.copy`, `memory.fill` and `memory.grow`, whose sizes are known when they run. So
 * each of them charges the counter: one unit per 64 bytes copied or filled (about what a
 * loop iteration costs), 1,024 units per page grown (a fresh page is paid for when first
 * written, about 11 us per 4 KiB on a VM).
 *
 * A copy or fill of a constant size is charged that constant, and one under 64 bytes not at
 * all: AssemblyScript zeroes a shadow-stack frame larger than 16 bytes with a
 * `memory.fill` of its size (9 of examples/wordfreq.ts's 10 fills), and each such function
 * held a charge of nothing, was a function that charges (its callers synced their fuel
 * local around every call of it) and made a loop around it `heavy` (loop-modes.ts).
 *
 * A charge only lowers the counter, never yields: the next check in user code does, and
 * since checks are `fuel <= 0`, a large charge cannot step over one. The counter stops at
 * -2^30 so that no run of charges between two checks can wrap it (one charge is at most
 * 2^26). Charges depend only on the program's own values, so a restored run yields where
 * the uninterrupted one does.
 *   body = rewrite(body, memoryCharge(m, { get, set }, addVar));
 */
import binaryen from 'binaryen';
import type { Expr } from './ir.js';

const b: any = binaryen;
const { i32 } = binaryen;

/** Where the counter is read and written: the global, or a function's fuel local. */
export interface FuelAccess {
  get(): Expr;
  set(value: Expr): Expr;
}

/** Bytes per unit for copies and fills, as a shift. */
const COPY_SHIFT = 6;
/** Units per 64 KiB page grown, as a shift (the delta is capped at 65,536 pages first). */
const GROW_SHIFT = 10;
const MAX_PAGES = 65536;
/** The lowest the counter goes (see above). */
export const FUEL_FLOOR = -(2 ** 30);

/** binaryen.js's class of a copy or fill, for its size. */
const sized = (e: Expr) => (binaryen.getExpressionId(e) === b.MemoryCopyId ? b.MemoryCopy : b.MemoryFill);

/** The constant size of a copy or fill, or null when it is computed. */
function constantSize(e: Expr): number | null {
  const size = sized(e).getSize(e);
  return binaryen.getExpressionId(size) === b.ConstId ? b.Const.getValueI32(size) >>> 0 : null;
}

/** Whether `e` is memory work that charges fuel: a grow, or a copy or fill of 64 bytes or more, or of a computed size. */
export function chargesFuel(e: Expr): boolean {
  const id = binaryen.getExpressionId(e);
  if (id === b.MemoryGrowId) return true;
  if (id !== b.MemoryCopyId && id !== b.MemoryFillId) return false;
  const size = constantSize(e);
  return size === null || size >>> COPY_SHIFT > 0;
}

/**
 * A rewriter for `rewrite()`: returns the charging form of each memory.copy, memory.fill
 * and memory.grow, and any other expression as it is. `addVar` adds an i32 local to the
 * function being rewritten (called at most twice, on the first charge that needs it).
 */
export function memoryCharge(m: binaryen.Module, fuel: FuelAccess, addVar: (type: number) => number): (e: Expr) => Expr {
  let size: number | undefined;
  let result: number | undefined;
  const sizeLocal = () => (size ??= addVar(i32));
  // The charge reads the size right after the instruction that used it, so one local
  // serves every site, nested ones included: an inner site is done before the outer tee.
  const charge = (units: () => Expr) => fuel.set(m.select(
    m.i32.gt_s(fuel.get(), m.i32.add(m.i32.const(FUEL_FLOOR), units())),
    m.i32.sub(fuel.get(), units()),
    m.i32.const(FUEL_FLOOR),
  ));
  const copyUnits = () => m.i32.shr_u(m.local.get(sizeLocal(), i32), m.i32.const(COPY_SHIFT));
  const growUnits = () => m.i32.shl(m.select(
    m.i32.lt_u(m.local.get(sizeLocal(), i32), m.i32.const(MAX_PAGES)),
    m.local.get(sizeLocal(), i32),
    m.i32.const(MAX_PAGES),
  ), m.i32.const(GROW_SHIFT));

  return (e) => {
    const id = binaryen.getExpressionId(e);
    if (id === b.MemoryCopyId || id === b.MemoryFillId) {
      const known = constantSize(e);
      if (known !== null) {
        const units = known >>> COPY_SHIFT;
        return units ? m.block(null, [e, charge(() => m.i32.const(units))], binaryen.none) : e;
      }
      const cls = sized(e);
      cls.setSize(e, m.local.tee(sizeLocal(), cls.getSize(e), i32));
      return m.block(null, [e, charge(copyUnits)], binaryen.none);
    }
    if (id === b.MemoryGrowId) {
      b.MemoryGrow.setDelta(e, m.local.tee(sizeLocal(), b.MemoryGrow.getDelta(e), i32));
      result ??= addVar(i32);
      return m.block(null, [m.local.set(result, e), charge(growUnits), m.local.get(result, i32)], i32);
    }
    return e;
  };
}
