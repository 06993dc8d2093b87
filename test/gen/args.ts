/**
 * Arguments as each runner takes them: JS values for a call (i64 as BigInt), strings for
 * `weave run` and the regression files (parseArgs reads them back: NaN, -0, Infinity).
 *   jsArgs(['i64', 'f32'], [-1n, NaN])      // [-1n, NaN]
 *   cliArgs(['f64'], [-0])                   // ['-0']
 */
import { wasmType, type Scalar, type Value } from './types.js';

export function jsArgs(types: Scalar[], values: Value[]): Array<number | bigint> {
  return values.map((v, i) => {
    const w = wasmType(types[i]);
    if (w === 'i64') return BigInt.asIntN(64, BigInt(v as bigint));
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (w === 'i32') return Number(v) | 0;
    return Number(v);
  });
}

export function cliArgs(types: Scalar[], values: Value[]): string[] {
  return jsArgs(types, values).map((v) => (Object.is(v, -0) ? '-0' : String(v)));
}

/** Back from the strings: what a regression file holds. */
export function parseCliArgs(types: Scalar[], raw: string[]): Value[] {
  return raw.map((s, i) => (wasmType(types[i]) === 'i64' ? BigInt(s) : Number(s)));
}
