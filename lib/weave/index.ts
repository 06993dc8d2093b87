// The AssemblyScript side of weave's host ABI (wit/weave-host.wit).
//
//   import { simd, gpu, data, io, control } from "weave";
//   const d = simd.dot(xs, ys);                 // native AVX2 on hubs that have it
//
// `weave build` resolves "weave" to this file. Every call is deterministic across hubs
// (see the WIT for the exact order of operations), so a fragment may move between
// machines with different hardware and still finish bit-exactly. The raw imports below
// follow the core-module ABI: WIT u32 -> usize/u32, u64 -> u64, string -> (ptr, len).

// @ts-nocheck: decorators and `declare function` imports are AssemblyScript, not TypeScript.

@external("weave:host/control", "progress") declare function __progress(done: f64, total: f64): void;
@external("weave:host/control", "log") declare function __log(level: u32, ptr: usize, len: u32): void;

@external("weave:host/io", "input-length") declare function __input_length(): u64;
@external("weave:host/io", "input-read") declare function __input_read(offset: u64, dst: usize, len: u32): u32;
@external("weave:host/io", "output-write") declare function __output_write(src: usize, len: u32): void;

@external("weave:host/simd", "dot-f32") declare function __dot_f32(x: usize, y: usize, n: u32): f32;
@external("weave:host/simd", "dot-f64") declare function __dot_f64(x: usize, y: usize, n: u32): f64;
@external("weave:host/simd", "sum-f32") declare function __sum_f32(x: usize, n: u32): f32;
@external("weave:host/simd", "sum-f64") declare function __sum_f64(x: usize, n: u32): f64;
@external("weave:host/simd", "axpy-f32") declare function __axpy_f32(a: f32, x: usize, y: usize, n: u32): void;
@external("weave:host/simd", "axpy-f64") declare function __axpy_f64(a: f64, x: usize, y: usize, n: u32): void;
@external("weave:host/simd", "matmul-f32") declare function __matmul_f32(a: usize, b: usize, c: usize, m: u32, n: u32, k: u32): void;
@external("weave:host/simd", "matmul-f64") declare function __matmul_f64(a: usize, b: usize, c: usize, m: u32, n: u32, k: u32): void;

@external("weave:host/gpu", "matmul-f32") declare function __gpu_matmul_f32(a: usize, b: usize, c: usize, m: u32, n: u32, k: u32): void;
@external("weave:host/gpu", "map-f32") declare function __gpu_map_f32(op: u32, x: usize, y: usize, out: usize, n: u32): bool;

@external("weave:host/data", "length") declare function __data_length(ptr: usize, len: u32): i64;
@external("weave:host/data", "read") declare function __data_read(ptr: usize, len: u32, offset: u64, dst: usize, n: u32): i64;

function sameLength(a: i32, b: i32): void {
  if (a != b) throw new RangeError("weave: arrays of different lengths");
}

function shape(a: i32, b: i32, c: i32, m: i32, n: i32, k: i32): void {
  if (m < 0 || n < 0 || k < 0 || a < m * k || b < k * n || c < m * n) throw new RangeError("weave: matmul arrays are smaller than m x k, k x n, m x n");
}

/** Cooperation with the scheduler. */
export namespace control {
  /** Report `done` of `total` units of work (shown by `weave run`). */
  export function progress(done: f64, total: f64): void {
    __progress(done, total);
  }
  /** A line in the job's log; level 0 debug, 1 info, 2 warn, 3 error. */
  export function log(text: string, level: u32 = 1): void {
    __log(level, changetype<usize>(text), <u32>text.length);
  }
}

/** The job's input and output bytes. */
export namespace io {
  export function inputLength(): u64 {
    return __input_length();
  }
  /** Fill `dst` from the input at `offset`; returns the bytes copied. */
  export function read(offset: u64, dst: Uint8Array): u32 {
    return __input_read(offset, dst.dataStart, <u32>dst.length);
  }
  /** Append bytes to the job's output (kept in every checkpoint). */
  export function write(bytes: Uint8Array): void {
    __output_write(bytes.dataStart, <u32>bytes.length);
  }
  /** Append a string, as UTF-8, to the job's output. */
  export function writeString(text: string): void {
    const utf8 = String.UTF8.encode(text);
    __output_write(changetype<usize>(utf8), <u32>utf8.byteLength);
  }
}

/** Vector kernels, bit-identical on every hub (native AVX2 where present). */
export namespace simd {
  export function dot(x: Float32Array, y: Float32Array): f32 {
    sameLength(x.length, y.length);
    return __dot_f32(x.dataStart, y.dataStart, <u32>x.length);
  }
  export function dot64(x: Float64Array, y: Float64Array): f64 {
    sameLength(x.length, y.length);
    return __dot_f64(x.dataStart, y.dataStart, <u32>x.length);
  }
  export function sum(x: Float32Array): f32 {
    return __sum_f32(x.dataStart, <u32>x.length);
  }
  export function sum64(x: Float64Array): f64 {
    return __sum_f64(x.dataStart, <u32>x.length);
  }
  /** y += a * x */
  export function axpy(a: f32, x: Float32Array, y: Float32Array): void {
    sameLength(x.length, y.length);
    __axpy_f32(a, x.dataStart, y.dataStart, <u32>x.length);
  }
  export function axpy64(a: f64, x: Float64Array, y: Float64Array): void {
    sameLength(x.length, y.length);
    __axpy_f64(a, x.dataStart, y.dataStart, <u32>x.length);
  }
  /** c = a * b; a is m x k, b is k x n, c is m x n, row-major. */
  export function matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: i32, n: i32, k: i32): void {
    shape(a.length, b.length, c.length, m, n, k);
    __matmul_f32(a.dataStart, b.dataStart, c.dataStart, <u32>m, <u32>n, <u32>k);
  }
  export function matmul64(a: Float64Array, b: Float64Array, c: Float64Array, m: i32, n: i32, k: i32): void {
    shape(a.length, b.length, c.length, m, n, k);
    __matmul_f64(a.dataStart, b.dataStart, c.dataStart, <u32>m, <u32>n, <u32>k);
  }
}

/** GPU compute where the hub has it; the same results (within the WIT's tolerance) elsewhere. */
export namespace gpu {
  export const ADD: u32 = 0;
  export const SUB: u32 = 1;
  export const MUL: u32 = 2;
  export const MAX: u32 = 3;
  export const MIN: u32 = 4;
  export const RELU: u32 = 5;
  export function matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: i32, n: i32, k: i32): void {
    shape(a.length, b.length, c.length, m, n, k);
    __gpu_matmul_f32(a.dataStart, b.dataStart, c.dataStart, <u32>m, <u32>n, <u32>k);
  }
  /** out[i] = op(x[i], y[i]); for RELU, y is not read. */
  export function map(op: u32, x: Float32Array, y: Float32Array, out: Float32Array): void {
    sameLength(x.length, out.length);
    if (op != RELU) sameLength(x.length, y.length);
    if (!__gpu_map_f32(op, x.dataStart, y.dataStart, out.dataStart, <u32>x.length)) throw new RangeError("weave: unknown gpu.map op");
  }
}

/** Named datasets served by hubs (`hub start --data NAME=PATH`). */
export namespace data {
  /** Bytes in dataset `name`, or -1 when no hub serves it. */
  export function length(name: string): i64 {
    return __data_length(changetype<usize>(name), <u32>name.length);
  }
  /** Fill `dst` from dataset `name` at `offset`; bytes copied, or -1 when no hub serves it. */
  export function read(name: string, offset: u64, dst: Uint8Array): i64 {
    return __data_read(changetype<usize>(name), <u32>name.length, offset, dst.dataStart, <u32>dst.length);
  }
}
