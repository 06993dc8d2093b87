/**
 * The differential runner's judge for NaNs that differ: the same program with every NaN a
 * float operation makes replaced by the canonical one (0x7fc00000, 0x7ff8000000000000),
 * as Wasm's deterministic profile and Wasmtime's NaN canonicalization define it.
 *
 * Wasm lets an arithmetic operation on NaN operands return any NaN, and V8 on x86 returns
 * the payload of whichever operand its compiled code happens to hold first: plain asc's
 * function and the woven copy of it, compiled apart, may pick different operands of one
 * `f32.add` of two NaNs (seed 5403621: plain 0x7fc00000, woven 0x7fc004fa), and plain's
 * own code may never give the woven bits in any tier, which plainCanGive looks for. With
 * both builds canonicalized the engine has no choice left: if they then agree, the
 * difference was the engine's; if not, weave changed what the program computes.
 * Scalar f32 and f64 operations only: the generator writes no v128 code, and a SIMD lane's
 * NaN left alone can only keep a difference a mismatch, never hide one.
 *   const canon = canonicalNaNs(core);   // a new binary; weave it like the original
 */
import binaryen from 'binaryen';
import { rewrite } from '../../fragments/passes/ir.js';

const b: any = binaryen;
/** Operations whose NaN result Wasm leaves to the engine. Sign operations (neg, abs,
 *  copysign), reinterprets, loads and stores move bits exactly and are left alone. */
const BINARY = new Set<number>([
  b.AddFloat32, b.SubFloat32, b.MulFloat32, b.DivFloat32, b.MinFloat32, b.MaxFloat32,
  b.AddFloat64, b.SubFloat64, b.MulFloat64, b.DivFloat64, b.MinFloat64, b.MaxFloat64,
]);
const UNARY = new Set<number>([
  b.SqrtFloat32, b.CeilFloat32, b.FloorFloat32, b.TruncFloat32, b.NearestFloat32, b.DemoteFloat64,
  b.SqrtFloat64, b.CeilFloat64, b.FloorFloat64, b.TruncFloat64, b.NearestFloat64, b.PromoteFloat32,
]);
const CANON = { f32: '__canon_nan_f32', f64: '__canon_nan_f64' };

/** `core` with each NaN-making float operation's result passed through a canonicalizer. */
export function canonicalNaNs(core: Uint8Array): Uint8Array {
  const m = binaryen.readBinary(core);
  try {
    m.setFeatures(binaryen.Features.All);
    const functions: string[] = [];
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (!info.module) functions.push(info.name);
    }
    // x != x only for a NaN: then the canonical bits, else x itself.
    const x = (t: number) => m.local.get(0, t);
    m.addFunction(CANON.f32, binaryen.f32, binaryen.f32, [], m.select(m.f32.ne(x(binaryen.f32), x(binaryen.f32)),
      m.f32.reinterpret(m.i32.const(0x7fc00000)), x(binaryen.f32)));
    m.addFunction(CANON.f64, binaryen.f64, binaryen.f64, [], m.select(m.f64.ne(x(binaryen.f64), x(binaryen.f64)),
      m.f64.reinterpret(m.i64.const(0x7ff8000000000000n)), x(binaryen.f64)));
    for (const name of functions) {
      const ref = m.getFunction(name);
      const body = binaryen.getFunctionInfo(ref).body;
      const out = rewrite(body, (e) => {
        const id = binaryen.getExpressionId(e);
        const type = binaryen.getExpressionType(e);
        if (type !== binaryen.f32 && type !== binaryen.f64) return e;
        const makes = (id === b.BinaryId && BINARY.has(b.Binary.getOp(e))) || (id === b.UnaryId && UNARY.has(b.Unary.getOp(e)));
        return makes ? m.call(type === binaryen.f32 ? CANON.f32 : CANON.f64, [e], type) : e;
      });
      if (out !== body) b.Function.setBody(ref, out);
    }
    if (!m.validate()) throw new Error('canonicalNaNs made an invalid module');
    // Not optimized: Binaryen's optimizer assumes any NaN will do, which is what this undoes.
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}
