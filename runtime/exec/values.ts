/**
 * Wasm values in frames: their sizes and their exact decoding (boundary.ts builds on it).
 *   decodeValue('i64', bytes)  // 12n
 */
import type { ValType } from '../../fragments/abi.js';


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
