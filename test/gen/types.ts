/**
 * The scalar types generated programs compute with, how to write their literals in
 * AssemblyScript, and the edge values (NaN, -0, overflow bounds) literals and arguments
 * are drawn from.
 *   literal('i64', -1n)      // "<i64>0xffffffffffffffff"
 *   wasmType('u8')           // 'i32'
 *   EXPORT_TYPES             // what an entry's parameters and result may be
 */
export type Scalar = 'i32' | 'i64' | 'f32' | 'f64' | 'u32' | 'u64' | 'u8' | 'i16' | 'bool';
export type WasmType = 'i32' | 'i64' | 'f32' | 'f64';

export const SCALARS: readonly Scalar[] = ['i32', 'i64', 'f32', 'f64', 'u32', 'u64', 'u8', 'i16', 'bool'];
/** Parameters and results of exports: every Wasm number type, and small ints and bool (i32 in Wasm). */
export const EXPORT_TYPES: readonly Scalar[] = ['i32', 'i64', 'f32', 'f64', 'u32', 'u8', 'bool'];

export function wasmType(t: Scalar): WasmType {
  if (t === 'i64' || t === 'u64') return 'i64';
  if (t === 'f32' || t === 'f64') return t;
  return 'i32';
}

export const isFloat = (t: Scalar): boolean => t === 'f32' || t === 'f64';
export const isInt = (t: Scalar): boolean => !isFloat(t) && t !== 'bool';
export const isSigned = (t: Scalar): boolean => t === 'i32' || t === 'i64' || t === 'i16';
export const is64 = (t: Scalar): boolean => t === 'i64' || t === 'u64';
export const bitsOf = (t: Scalar): number => (t === 'u8' ? 8 : t === 'i16' ? 16 : is64(t) || t === 'f64' ? 64 : 32);

/** A value of a type, as the generator holds it: bigint for 64-bit ints, number otherwise. */
export type Value = number | bigint | boolean;

/** Values worth trying: zero, ones, the bounds and their neighbours, NaN, infinities, -0. */
export const EDGES: Record<WasmType, readonly Value[]> = {
  i32: [0, 1, -1, 2, 7, 31, 32, 255, 256, -2147483648, 2147483647, -2147483647, 65535, -65536],
  i64: [0n, 1n, -1n, 63n, 64n, -9223372036854775808n, 9223372036854775807n, 4294967295n, 4294967296n, -4294967296n],
  f32: [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, 16777217, -2147483648],
  f64: [0, -0, 1, -1, 0.1, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 9007199254740993, 2147483648, -9.223372036854776e18],
};

/** AssemblyScript source for a constant of type `t`, explicit about its type. */
export function literal(t: Scalar, v: Value): string {
  if (t === 'bool') return v ? 'true' : 'false';
  if (t === 'i64' || t === 'u64') {
    const u = BigInt.asUintN(64, BigInt(v as bigint));
    return `<${t}>0x${u.toString(16)}`;
  }
  if (t === 'f32' || t === 'f64') {
    const n = Number(v);
    if (Number.isNaN(n)) return `${t}.NaN`;
    if (n === Infinity) return `${t}.POSITIVE_INFINITY`;
    if (n === -Infinity) return `${t}.NEGATIVE_INFINITY`;
    if (Object.is(n, -0)) return `<${t}>(-0.0)`;
    // Exponent form keeps every digit a double needs; f32 constants are rounded by asc.
    return `<${t}>(${n.toExponential()})`;
  }
  const n = Number(v);
  const masked = t === 'u8' ? n & 0xff : t === 'i16' ? (n << 16) >> 16 : t === 'u32' ? n >>> 0 : n | 0;
  if (t === 'i32' && masked === -2147483648) return 'i32.MIN_VALUE';
  return masked < 0 ? `<${t}>(${masked})` : `<${t}>${masked}`;
}

/** A random value of `t`, edge values often. */
export function randomValue(t: Scalar, r: { next(): number; int(lo: number, hi: number): number; bits32(): number; pick<T>(x: readonly T[]): T; chance(p: number): boolean }): Value {
  if (t === 'bool') return r.chance(0.5);
  const w = wasmType(t);
  if (r.chance(0.45)) return r.pick(EDGES[w]);
  switch (w) {
    case 'i32': return r.chance(0.5) ? r.int(-20, 40) : r.bits32();
    case 'i64': return r.chance(0.5) ? BigInt(r.int(-20, 40)) : BigInt.asIntN(64, (BigInt(r.bits32() >>> 0) << 32n) | BigInt(r.bits32() >>> 0));
    case 'f32': return Math.fround(r.chance(0.5) ? r.int(-40, 40) / 4 : (r.next() - 0.5) * 10 ** r.int(-10, 30));
    case 'f64': return r.chance(0.5) ? r.int(-40, 40) / 8 : (r.next() - 0.5) * 10 ** r.int(-300, 300);
  }
}
