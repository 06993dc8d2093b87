/**
 * Pass pair: hide the program's float arithmetic from Binaryen's optimizer, then put it back.
 *
 * The program's code was optimized by asc, and the plain build is that code. weave's
 * passes and Asyncify add control flow, locals and state checks that want -O3, but -O3
 * (and Asyncify's own optimizing, which runs Binaryen's function pipeline) also goes on
 * folding floating-point code where asc stopped: `x + NaN` becomes the canonical NaN,
 * operands of commutative float ops swap places. WebAssembly allows any NaN there, so
 * Binaryen may; but V8 on x86 computes another NaN (the sign set, or the first operand's
 * payload), and the woven build then returns bits the plain build does not (found by the
 * program generator, seed 46). Integer code has no such freedom, so every optimization of
 * it is exact.
 *
 * So while Binaryen optimizes, every float operation that can make a NaN (arithmetic,
 * min/max, sqrt, rounding, conversions, comparisons) is a call to an import of the same
 * signature: opaque to the optimizer, which can neither fold it, nor swap its operands,
 * nor merge it with a neighbour; it may only move it as a whole or drop it when it is
 * unreachable. Afterwards each call becomes its operation again, with its operands in
 * their order. Bit moves (loads, stores, reinterpret, select) stay as they are: exact.
 *   const unmask = maskFloats(m);  runAsyncify(m);  m.optimize();  unmask();
 */
import binaryen from 'binaryen';
import { rewrite } from './ir.js';

const b: any = binaryen;
const MASK_MODULE = 'weave:float-mask';
const FLOATS = new Set<number>([binaryen.f32, binaryen.f64]);
const REINTERPRETS = new Set<number>([b.ReinterpretFloat32, b.ReinterpretFloat64, b.ReinterpretInt32, b.ReinterpretInt64]);

function isFloatOp(e: number): 'binary' | 'unary' | null {
  const id = binaryen.getExpressionId(e);
  if (id === b.BinaryId) {
    return FLOATS.has(binaryen.getExpressionType(b.Binary.getLeft(e))) || FLOATS.has(binaryen.getExpressionType(e)) ? 'binary' : null;
  }
  if (id === b.UnaryId && !REINTERPRETS.has(b.Unary.getOp(e))) {
    return FLOATS.has(binaryen.getExpressionType(b.Unary.getValue(e))) || FLOATS.has(binaryen.getExpressionType(e)) ? 'unary' : null;
  }
  return null;
}

/**
 * Replace float operations with calls to opaque imports. Returns the function that puts
 * them back (and removes the imports); call it once Binaryen is done optimizing.
 */
export function maskFloats(m: binaryen.Module): () => void {
  const imports = new Map<string, { kind: 'binary' | 'unary'; op: number }>();
  const importFor = (kind: 'binary' | 'unary', op: number, params: number[], result: number): string => {
    const name = `__weave_fop_${kind[0]}${op}`;
    if (!imports.has(name)) {
      m.addFunctionImport(name, MASK_MODULE, name, binaryen.createType(params), result);
      imports.set(name, { kind, op });
    }
    return name;
  };
  const functions: string[] = [];
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
    if (!info.module) functions.push(info.name);
  }
  for (const name of functions) {
    const ref = m.getFunction(name);
    const body = binaryen.getFunctionInfo(ref).body;
    const masked = rewrite(body, (e) => {
      const kind = isFloatOp(e);
      if (!kind) return e;
      const type = binaryen.getExpressionType(e);
      // An operand that never returns makes the op unreachable: nothing to compute.
      if (type === binaryen.unreachable) return e;
      if (kind === 'binary') {
        const l = b.Binary.getLeft(e);
        const r = b.Binary.getRight(e);
        const callee = importFor(kind, b.Binary.getOp(e), [binaryen.getExpressionType(l), binaryen.getExpressionType(r)], type);
        return m.call(callee, [l, r], type);
      }
      const v = b.Unary.getValue(e);
      return m.call(importFor(kind, b.Unary.getOp(e), [binaryen.getExpressionType(v)], type), [v], type);
    });
    if (masked !== body) b.Function.setBody(ref, masked);
  }

  return () => {
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (info.module) continue;
      const ref = m.getFunctionByIndex(i);
      const restored = rewrite(info.body, (e) => {
        if (binaryen.getExpressionId(e) !== b.CallId) return e;
        const mask = imports.get(b.Call.getTarget(e));
        if (!mask) return e;
        return mask.kind === 'binary'
          ? b._BinaryenBinary(m.ptr, mask.op, b.Call.getOperandAt(e, 0), b.Call.getOperandAt(e, 1))
          : b._BinaryenUnary(m.ptr, mask.op, b.Call.getOperandAt(e, 0));
      });
      if (restored !== info.body) b.Function.setBody(ref, restored);
    }
    for (const name of imports.keys()) m.removeFunction(name);
  };
}
