/**
 * The host side of wit/weave-host.wit for one fragment instance: each interface
 * implemented at the WIT level (typed against the bindings jco generates from the WIT,
 * so a host that disagrees with it does not compile), then lowered to core Wasm imports
 * by the table in abi.ts.
 *
 * Every address a fragment passes is a program address: it is moved up past weave's
 * reserved area and checked against the memory before anything is read or written; a
 * bad range is a HostCallError, which traps the fragment with the call named.
 *   const imports = hostImports({ memory: () => mem, reserved, services, output, onYield });
 *   // imports['weave:host/simd']['dot-f32'](x, y, n)
 */
import type * as Control from './wit/interfaces/weave-host-control.js';
import type * as Io from './wit/interfaces/weave-host-io.js';
import type * as Simd from './wit/interfaces/weave-host-simd.js';
import type * as Gpu from './wit/interfaces/weave-host-gpu.js';
import type * as Data from './wit/interfaces/weave-host-data.js';
import { HOST_ABI, bindingName, type HostInterface, type WitType } from './abi.js';
import { HOST_MODULE_PREFIX } from '../../fragments/abi.js';
import type { SimdKernels } from './native.js';
import { HostCallError } from './errors.js';
import type { OutputBuffer } from './output.js';
// The CPU reference that defines map-f32 (gpu.ts loads WebGPU only when a GPU is probed).
import { MAP_OPS, mapF32Reference } from './gpu.js';

/** What a hub lends the fragments it runs. Only `simd` is required: the rest degrade. */
export interface HostServices {
  simd: SimdKernels;
  /** The job's input bytes (io.input-*). */
  input?: Uint8Array;
  /** Datasets, read synchronously (a hub's slot blocks while a remote range arrives). */
  data?: DataAccess;
  /** A GPU, called synchronously; absent: gpu calls run on the CPU kernels. */
  gpu?: GpuAccess;
  onProgress?: (done: number, total: number) => void;
  onLog?: (level: number, text: string) => void;
}

export interface DataAccess {
  /** Bytes in dataset `name`, or -1 when no hub serves it. */
  length(name: string): number;
  /** Copy from `offset` into `into` (up to its length); bytes copied, or -1 when no hub serves it. */
  read(name: string, offset: number, into: Uint8Array): number;
}

export interface GpuAccess {
  matmulF32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array;
  mapF32(op: number, x: Float32Array, y: Float32Array | undefined, n: number): Float32Array;
}

export interface HostImportContext {
  memory: () => WebAssembly.Memory;
  reserved: number;
  services: HostServices;
  output: OutputBuffer;
  onYield: () => number;
}

/** The lifted (WIT-level) implementation of every interface, for one instance. */
function lifted(ctx: HostImportContext) {
  const { reserved, services } = ctx;
  const buffer = () => ctx.memory().buffer;
  /** Real byte offset of [ptr, ptr + bytes), checked. */
  const at = (where: string, ptr: number, bytes: number): number => {
    const size = buffer().byteLength;
    const real = reserved + ptr;
    if (!(bytes >= 0) || real + bytes > size) {
      throw new HostCallError(`${where}: bytes ${ptr}..${ptr + bytes} are outside the program's memory (${size - reserved} bytes)`);
    }
    return real;
  };
  const f32s = (where: string, ptr: number, n: number) => {
    const real = at(where, ptr, n * 4);
    if (real % 4) throw new HostCallError(`${where}: address ${ptr} is not 4-byte aligned`);
    return new Float32Array(buffer(), real, n);
  };
  const disjoint = (where: string, c: [number, number], ...others: Array<[number, number]>) => {
    for (const [start, len] of others) {
      if (c[0] < start + len && start < c[0] + c[1]) throw new HostCallError(`${where}: the output overlaps an input; use a separate buffer`);
    }
  };

  const control: typeof Control = {
    yield: () => ctx.onYield(),
    progress: (done, total) => services.onProgress?.(done, total),
    log: (level, text) => services.onLog?.(level, text),
  };

  const io: typeof Io = {
    inputLength: () => BigInt(services.input?.byteLength ?? 0),
    inputRead: (offset, dst, len) => {
      const input = services.input ?? new Uint8Array(0);
      const from = Number(offset > BigInt(input.byteLength) ? BigInt(input.byteLength) : offset);
      const n = Math.min(len, input.byteLength - from);
      const real = at('io.input-read', dst, n);
      new Uint8Array(buffer(), real, n).set(input.subarray(from, from + n));
      return n;
    },
    outputWrite: (src, len) => {
      const real = at('io.output-write', src, len);
      ctx.output.append(new Uint8Array(buffer(), real, len));
    },
  };

  // The kernels are looked up at each call, not kept: a renewed instance's services are
  // read through (runtime/exec/host.ts).
  const simd: typeof Simd = {
    dotF32: (x, y, n) => services.simd.dotF32(buffer(), at('simd.dot-f32', x, n * 4), at('simd.dot-f32', y, n * 4), n),
    dotF64: (x, y, n) => services.simd.dotF64(buffer(), at('simd.dot-f64', x, n * 8), at('simd.dot-f64', y, n * 8), n),
    sumF32: (x, n) => services.simd.sumF32(buffer(), at('simd.sum-f32', x, n * 4), n),
    sumF64: (x, n) => services.simd.sumF64(buffer(), at('simd.sum-f64', x, n * 8), n),
    axpyF32: (a, x, y, n) => services.simd.axpyF32(buffer(), a, at('simd.axpy-f32', x, n * 4), at('simd.axpy-f32', y, n * 4), n),
    axpyF64: (a, x, y, n) => services.simd.axpyF64(buffer(), a, at('simd.axpy-f64', x, n * 8), at('simd.axpy-f64', y, n * 8), n),
    matmulF32: (a, b, c, m, n, kk) => matmul('simd.matmul-f32', 4, a, b, c, m, n, kk, (...r) => services.simd.matmulF32(buffer(), ...r)),
    matmulF64: (a, b, c, m, n, kk) => matmul('simd.matmul-f64', 8, a, b, c, m, n, kk, (...r) => services.simd.matmulF64(buffer(), ...r)),
  };
  function matmul(where: string, size: number, a: number, b: number, c: number, m: number, n: number, kk: number,
    run: (a: number, b: number, c: number, m: number, n: number, k: number) => void): void {
    const ra = at(where, a, m * kk * size);
    const rb = at(where, b, kk * n * size);
    const rc = at(where, c, m * n * size);
    disjoint(where, [rc, m * n * size], [ra, m * kk * size], [rb, kk * n * size]);
    run(ra, rb, rc, m, n, kk);
  }

  const gpu: typeof Gpu = {
    matmulF32: (a, b, c, m, n, kk) => {
      if (!services.gpu) return simd.matmulF32(a, b, c, m, n, kk);
      const where = 'gpu.matmul-f32';
      const va = f32s(where, a, m * kk);
      const vb = f32s(where, b, kk * n);
      const vc = f32s(where, c, m * n);
      disjoint(where, [vc.byteOffset, vc.byteLength], [va.byteOffset, va.byteLength], [vb.byteOffset, vb.byteLength]);
      // The fragment is blocked in this call, so its memory cannot grow under the views.
      vc.set(services.gpu.matmulF32(va, vb, m, n, kk));
    },
    mapF32: (op, x, y, out, n) => {
      if (!Number.isInteger(op) || op < 0 || op >= MAP_OPS.length) return false;
      const where = 'gpu.map-f32';
      const vx = f32s(where, x, n);
      const vy = op === 5 ? undefined : f32s(where, y, n);
      const vo = f32s(where, out, n);
      // Both paths compute into a new array first, so `out` may alias `x` or `y`.
      vo.set(services.gpu ? services.gpu.mapF32(op, vx, vy, n) : mapF32Reference(op, vx, vy, n));
      return true;
    },
  };

  const data: typeof Data = {
    length: (name) => BigInt(services.data ? services.data.length(name) : -1),
    read: (name, offset, dst, len) => {
      if (!services.data) return -1n;
      const real = at('data.read', dst, len);
      return BigInt(services.data.read(name, Number(offset), new Uint8Array(buffer(), real, len)));
    },
  };

  return { control, io, simd, gpu, data };
}

/**
 * Core imports for every function of the host ABI, keyed by module
 * (`weave:host/<interface>`) and WIT name. Arguments arrive lowered: a string is an
 * address and a length in UTF-16 code units, u32 and u64 may arrive negative.
 */
export function hostImports(ctx: HostImportContext): Record<string, Record<string, Function>> {
  const impls = lifted(ctx) as unknown as Record<HostInterface, Record<string, Function>>;
  const readString = (where: string, ptr: number, len: number): string => {
    const real = ctx.reserved + ptr;
    const buf = ctx.memory().buffer;
    if (real + len * 2 > buf.byteLength) throw new HostCallError(`${where}: the string at ${ptr} (${len} code units) is outside the program's memory`);
    return Buffer.from(buf, real, len * 2).toString('utf16le');
  };
  const out: Record<string, Record<string, Function>> = {};
  for (const [iface, fns] of Object.entries(HOST_ABI) as Array<[HostInterface, Record<string, { params: readonly WitType[]; result?: WitType }>]>) {
    const mod: Record<string, Function> = (out[HOST_MODULE_PREFIX + iface] = {});
    for (const [name, sig] of Object.entries(fns)) {
      const fn = impls[iface][bindingName(name)];
      const where = `${iface}.${name}`;
      const params = sig.params;
      const lift = (core: unknown[]): unknown[] => {
        const args: unknown[] = [];
        for (let i = 0, j = 0; i < params.length; i++) {
          const t = params[i];
          if (t === 'string') { args.push(readString(where, (core[j] as number) >>> 0, (core[j + 1] as number) >>> 0)); j += 2; }
          else if (t === 'u32') args.push((core[j++] as number) >>> 0);
          else if (t === 'u64') args.push(BigInt.asUintN(64, core[j++] as bigint));
          else if (t === 'bool') args.push((core[j++] as number) !== 0);
          else args.push(core[j++]);
        }
        return args;
      };
      mod[name] = sig.result === 'bool'
        ? (...core: unknown[]) => (fn(...lift(core)) ? 1 : 0)
        : params.length === 0 ? fn : (...core: unknown[]) => fn(...lift(core));
    }
  }
  return out;
}
