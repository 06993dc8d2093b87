/**
 * Arguments in from the command line and results out, exactly.
 *   parseArgs(['3', '2.5'], ['i32', 'f64'], 'main') // [3, 2.5]
 *   formatResult({ type: 'i64', value: 12n })        // "12"
 */
import type { ValType } from '../../fragments/abi.js';
import { ExecError } from './errors.js';

const INT = /^[+-]?\d+$/;

/** Throws ExecError naming the argument, its expected type and what to pass instead. */
export function parseArgs(raw: string[], types: ValType[], entry: string): Array<number | bigint> {
  if (raw.length !== types.length) {
    throw new ExecError(`'${entry}' takes ${types.length} argument(s) (${types.join(', ') || 'none'}), got ${raw.length}`);
  }
  return raw.map((s, i) => {
    const t = types[i];
    const bad = (why: string) => new ExecError(`argument ${i + 1} of '${entry}' is ${t}: '${s}' ${why}`);
    switch (t) {
      case 'i32': {
        if (!INT.test(s)) throw bad('is not an integer');
        const n = Number(s);
        if (n < -2147483648 || n > 4294967295) throw bad('is out of the i32 range');
        return n | 0;
      }
      case 'i64': {
        if (!INT.test(s)) throw bad('is not an integer');
        const n = BigInt(s);
        if (n < -(1n << 63n) || n >= 1n << 64n) throw bad('is out of the i64 range');
        return BigInt.asIntN(64, n);
      }
      case 'f32': case 'f64': {
        const n = Number(s);
        if (s.trim() === '' || (Number.isNaN(n) && s !== 'NaN')) throw bad('is not a number');
        return t === 'f32' ? Math.fround(n) : n;
      }
      default:
        throw bad('cannot be passed from the command line');
    }
  });
}

/** Bytes a value of `type` occupies in a frame slot or result. */
export function valueSize(type: ValType | 'none'): number {
  return type === 'none' ? 0 : type === 'v128' ? 16 : type === 'i64' || type === 'f64' ? 8 : 4;
}

/** Read a little-endian value exactly as the module stored it (v128 and none: undefined). */
export function decodeValue(type: ValType | 'none', bytes: Uint8Array): number | bigint | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'i32': return view.getInt32(0, true);
    case 'i64': return view.getBigInt64(0, true);
    case 'f32': return view.getFloat32(0, true);
    case 'f64': return view.getFloat64(0, true);
    default: return undefined;
  }
}

/** The printed form: i64 as a decimal integer, floats as JavaScript's String() prints them. */
export function formatResult(r: { type: string; value: number | bigint | undefined }): string {
  if (r.value === undefined) return '';
  return String(r.value);
}
