/**
 * Frames: where a split function keeps its locals between fragments.
 *
 * A frame is a fixed block in weave's reserved memory (physical addresses, below the
 * rebased program): the next-fragment word, the result, then every local in order. Each
 * fragment loads all locals on entry and stores them on exit, so between two fragments the
 * whole function state is in memory, and memory is the checkpoint.
 *   const frame = planFrame(m, fnRef, base);
 *   body = m.block(null, [...frame.loadAll(m), work, ...frame.storeAll(m)]);
 */
import binaryen from 'binaryen';

export { DONE } from '../abi.js';

export interface FrameLayout {
  base: number;
  size: number;
  resultOffset: number;
  /** Byte offset of each local (params first), relative to base. */
  localOffsets: number[];
  localTypes: number[];
  resultType: number;
}

const slotSize = (t: number) => (t === binaryen.v128 ? 16 : 8);

/** Lay out a frame for `fn` at `base`; 16-byte aligned so v128 slots stay aligned. */
export function planFrame(fn: binaryen.FunctionInfo, base: number): FrameLayout {
  const localTypes = [...binaryen.expandType(fn.params), ...fn.vars];
  // Word 0: unused header; bytes 16..32: the result (room for a v128); locals after.
  const resultOffset = 16;
  let offset = resultOffset + 16;
  const localOffsets: number[] = [];
  for (const t of localTypes) {
    const size = slotSize(t);
    offset = Math.ceil(offset / size) * size;
    localOffsets.push(offset);
    offset += size;
  }
  const size = Math.ceil(offset / 16) * 16;
  return { base, size, resultOffset, localOffsets, localTypes, resultType: fn.results };
}

const b: any = binaryen;

/**
 * A full-width integer load marked unsigned. binaryen.js builds `i32.load`/`i64.load`
 * with the signed flag set, which full-width loads ignore, but Binaryen's
 * optimize-instructions reads it when it folds `i64.extend_i32_u(i32.load)` into one
 * load, and made `i64.load32_s` of it: `<i64>(x: u32)` sign-extended in woven builds
 * whenever `x` came from a frame (found by the program generator, seed 246).
 */
function unsignedLoad(load: number): number {
  b.Load.setSigned(load, false);
  return load;
}

/** A load of type `t` from an absolute address (no rebasing: this is weave's memory). */
export function loadAt(m: binaryen.Module, t: number, addr: number): number {
  const p = m.i32.const(addr);
  switch (t) {
    case binaryen.i32: return unsignedLoad(m.i32.load(0, 4, p));
    case binaryen.i64: return unsignedLoad(m.i64.load(0, 8, p));
    case binaryen.f32: return m.f32.load(0, 4, p);
    case binaryen.f64: return m.f64.load(0, 8, p);
    case binaryen.v128: return m.v128.load(0, 16, p);
  }
  throw new Error(`type ${t} cannot live in a frame`);
}

export function storeAt(m: binaryen.Module, t: number, addr: number, value: number): number {
  const p = m.i32.const(addr);
  switch (t) {
    case binaryen.i32: return m.i32.store(0, 4, p, value);
    case binaryen.i64: return m.i64.store(0, 8, p, value);
    case binaryen.f32: return m.f32.store(0, 4, p, value);
    case binaryen.f64: return m.f64.store(0, 8, p, value);
    case binaryen.v128: return m.v128.store(0, 16, p, value);
  }
  throw new Error(`type ${t} cannot live in a frame`);
}

export function loadLocals(m: binaryen.Module, f: FrameLayout): number[] {
  return f.localTypes.map((t, i) => m.local.set(i, loadAt(m, t, f.base + f.localOffsets[i])));
}

export function storeLocals(m: binaryen.Module, f: FrameLayout): number[] {
  return f.localTypes.map((t, i) => storeAt(m, t, f.base + f.localOffsets[i], m.local.get(i, t)));
}

export function zeroOf(m: binaryen.Module, t: number): number {
  switch (t) {
    case binaryen.i32: return m.i32.const(0);
    case binaryen.i64: return m.i64.const(0n as any);
    case binaryen.f32: return m.f32.const(0);
    case binaryen.f64: return m.f64.const(0);
    case binaryen.v128: return m.v128.const(new Array(16).fill(0));
  }
  throw new Error(`no zero for type ${t}`);
}
