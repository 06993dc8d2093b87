/**
 * Calls an export of the plain build from Wasm, not from JavaScript, and keeps its result
 * as bytes: a float result never passes through a JS number, so its NaN payload is the
 * one the program produced, as the woven build's frame holds it.
 *   const call = exactCaller(['i32', 'f64'], 'f64');
 *   const bytes = callExactly(call, instance.exports.e0, [3, NaN]);
 */
import binaryen from 'binaryen';
import type { WasmType } from './types.js';

const cache = new Map<string, WebAssembly.Module>();

const typeOf = (t: WasmType): number => ({ i32: binaryen.i32, i64: binaryen.i64, f32: binaryen.f32, f64: binaryen.f64 })[t];

/** A module importing `m.f` with this signature and exporting `call`, which stores f's result at 0. */
export function exactCaller(params: WasmType[], result: WasmType): WebAssembly.Module {
  const key = `${params.join(',')}->${result}`;
  let mod = cache.get(key);
  if (mod) return mod;
  const m = new binaryen.Module();
  try {
    const p = binaryen.createType(params.map(typeOf));
    m.addFunctionImport('f', 'm', 'f', p, typeOf(result));
    m.setMemory(1, 1, 'mem');
    const call = m.call('f', params.map((t, i) => m.local.get(i, typeOf(t))), typeOf(result));
    const at = m.i32.const(0);
    const store = result === 'i32' ? m.i32.store(0, 4, at, call) : result === 'i64' ? m.i64.store(0, 8, at, call) : result === 'f32' ? m.f32.store(0, 4, at, call) : m.f64.store(0, 8, at, call);
    m.addFunction('call', p, binaryen.none, [], store);
    m.addFunctionExport('call', 'call');
    mod = new WebAssembly.Module(m.emitBinary() as Uint8Array<ArrayBuffer>);
  } finally {
    m.dispose();
  }
  cache.set(key, mod);
  return mod;
}

/** Call `fn` (a Wasm export) with `args` through `caller`; returns the result's bytes. Throws what fn throws. */
export function callExactly(caller: WebAssembly.Module, fn: Function, args: Array<number | bigint>, size: number): Uint8Array {
  const inst = new WebAssembly.Instance(caller, { m: { f: fn as any } });
  (inst.exports.call as Function)(...args);
  return new Uint8Array((inst.exports.mem as WebAssembly.Memory).buffer, 0, size).slice();
}
