/**
 * matmul-f32 and map-f32 on a device detectGpu opened: uploads, one dispatch per chunk,
 * readback, with buffers pooled, pipelines cached and inputs kept on the GPU while the
 * same bytes keep coming (resident.ts). Works on plain typed arrays; the host-call layer
 * copies between a fragment's memory and these.
 *
 *   const kernels = gpuKernels(await detectGpu());   // throws GpuError 'unavailable' without one
 *   const c = await kernels.matmulF32(a, b, m, n, k);
 *   await kernels.releaseCaches();                   // when the job ends (or after idleReleaseMs)
 */
/// <reference types="@webgpu/types" />
import { BufferPool } from './buffer-pool.js';
import type { GpuInfo } from './detect.js';
import { GpuError, messageOf } from './errors.js';
import { MAP_GROUP } from './map-shader.js';
import { planMatmul, type MatmulTile } from './matmul-shader.js';
import { mapPipeline, matmulBindGroup, matmulPipeline } from './pipelines.js';
import { checkMapArgs, checkMatmulArgs } from './reference.js';
import { ResidentInputs } from './resident.js';
import { BUFFER_USAGE, MAP_MODE_READ } from './webgpu-flags.js';

export interface GpuKernelsOptions {
  /**
   * Largest storage binding to use, below the device's maxStorageBufferBindingSize; tests
   * set it low to exercise splitting.
   * @default the device's limit
   */
  maxBindingBytes?: number;
  /**
   * Bytes of idle GPU buffers kept for later calls (one pool for storage, one for readback).
   * @default DEFAULT_POOL_BYTES
   */
  poolBytes?: number;
  /**
   * Bytes (GPU buffers and their host copies together) of inputs kept on the GPU so that
   * a later call with the same bytes skips the upload; 0 turns this off.
   * @default DEFAULT_RESIDENT_BYTES
   */
  residentBytes?: number;
  /**
   * Pooled buffers and resident inputs are released after this long without a call, so
   * that a hub between jobs holds no GPU memory; 0 keeps them until releaseCaches().
   * @default DEFAULT_IDLE_RELEASE_MS
   */
  idleReleaseMs?: number;
  /**
   * matmul tile side: 'auto' picks per call (matmul-shader.ts); tests and benchmarks force one.
   * @default 'auto'
   */
  matmulTile?: MatmulTile | 'auto';
}

export interface GpuKernelsStats {
  /** GPU buffers created by the pools so far. */
  buffersCreated: number;
  /** Idle bytes in the pools now. */
  pooledBytes: number;
  /** Bytes held by resident inputs now (GPU and host copies). */
  residentBytes: number;
  /** Inputs not uploaded because their bytes were resident. */
  uploadsSkipped: number;
  /** Bytes written to the GPU by calls so far. */
  bytesUploaded: number;
}

export const DEFAULT_POOL_BYTES = 256 * 1024 * 1024;
export const DEFAULT_RESIDENT_BYTES = 512 * 1024 * 1024;
export const DEFAULT_IDLE_RELEASE_MS = 5_000;

/** How long a failed call waits for device.lost before calling the failure its own. */
const LOST_GRACE_MS = 50;

const STORAGE_USAGE = BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_DST | BUFFER_USAGE.COPY_SRC;
const READBACK_USAGE = BUFFER_USAGE.MAP_READ | BUFFER_USAGE.COPY_DST;

// The last call queued on each device, whichever GpuKernels made it.
const deviceTails = new WeakMap<GPUDevice, Promise<unknown>>();
const kernelCache = new WeakMap<GPUDevice, GpuKernels>();

/** The kernels for a device detectGpu opened, created once per device. */
export function gpuKernels(info: GpuInfo): GpuKernels {
  if (!info.available) throw new GpuError(`no GPU: ${info.reason}`, { code: 'unavailable' });
  let k = kernelCache.get(info.device);
  if (!k) {
    k = new GpuKernels(info.device);
    kernelCache.set(info.device, k);
  }
  return k;
}

/**
 * The WebGPU typings accept only ArrayBuffer-backed views. Ours always are (hubs pass
 * copies made for the call); a SharedArrayBuffer-backed one is refused with a typed error.
 */
function plain(a: Float32Array): Float32Array<ArrayBuffer> {
  if (!(a.buffer instanceof ArrayBuffer)) throw new GpuError('gpu: inputs must not live in a SharedArrayBuffer; copy them first', { code: 'internal' });
  return a as Float32Array<ArrayBuffer>;
}

/** The buffers one call uses, returned to the pools (or destroyed) when it ends. */
interface CallBuffers {
  /** A buffer holding `data` (all of it), uploaded unless resident or already uploaded in this call. */
  input(data: Float32Array): GPUBuffer;
  /** A storage buffer of at least `bytes`, for this call only. */
  take(bytes: number): GPUBuffer;
  /** A readback buffer of at least `bytes`, for this call only. */
  staging(bytes: number): GPUBuffer;
}

/**
 * matmul-f32 and map-f32 on one device. Calls are queued per device, one at a time: they
 * share buffers, the device has one queue anyway, and error scopes are per device, so
 * interleaved calls would see each other's errors. (Other code that uses the same device
 * meanwhile can still land errors in these scopes.)
 */
export class GpuKernels {
  private readonly maxBindingBytes: number;
  private readonly maxGroups: number;
  private readonly tile: MatmulTile | 'auto';
  private readonly idleReleaseMs: number;
  private readonly storage: BufferPool;
  private readonly readback: BufferPool;
  private readonly resident: ResidentInputs;
  private readonly uniform: GPUBuffer;
  private idleTimer: NodeJS.Timeout | undefined;
  private uploaded = 0;
  private lost: string | undefined;

  /** Never throws; on a device that is lost, every call fails with GpuError 'device-lost'. */
  constructor(
    readonly device: GPUDevice,
    options: GpuKernelsOptions = {},
  ) {
    const l = device.limits;
    const deviceMax = Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize);
    this.maxBindingBytes = Math.floor(Math.min(deviceMax, options.maxBindingBytes ?? deviceMax) / 4) * 4;
    this.maxGroups = l.maxComputeWorkgroupsPerDimension;
    this.tile = options.matmulTile ?? 'auto';
    this.idleReleaseMs = options.idleReleaseMs ?? DEFAULT_IDLE_RELEASE_MS;
    const poolBytes = options.poolBytes ?? DEFAULT_POOL_BYTES;
    this.storage = new BufferPool(device, 'weave gpu storage', STORAGE_USAGE, poolBytes, l.maxBufferSize);
    this.readback = new BufferPool(device, 'weave gpu readback', READBACK_USAGE, poolBytes, l.maxBufferSize);
    this.resident = new ResidentInputs(options.residentBytes ?? DEFAULT_RESIDENT_BYTES, (b) => this.storage.give(b));
    this.uniform = device.createBuffer({ label: 'weave gpu dims', size: 16, usage: BUFFER_USAGE.UNIFORM | BUFFER_USAGE.COPY_DST });
    void device.lost.then((info) => {
      this.lost = info.reason === 'destroyed' ? 'the GPU device was destroyed (releaseGpu); detect again' : `the GPU device was lost: ${info.message || info.reason}`;
      this.dispose();
    });
  }

  /**
   * c = a * b, a m x k and b k x n row-major, on the GPU; within gpuTolerance of
   * matmulF32Reference. Rows of a and c are split across several dispatches when they
   * exceed a binding; b must fit in one.
   * @throws RangeError for bad dimensions; GpuError 'too-large' when b (k x n) exceeds the
   * device's largest storage binding, n needs more workgroups across than the device
   * allows, or GPU memory runs out; 'device-lost'; 'internal'.
   */
  async matmulF32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    checkMatmulArgs(a, b, m, n, k);
    // Empty sums are +0; WebGPU rejects zero-sized bindings, so these never reach it.
    if (m === 0 || n === 0 || k === 0) return new Float32Array(m * n);
    const bBytes = k * n * 4;
    if (bBytes > this.maxBindingBytes) throw this.tooLarge(`b is ${k} x ${n} (${bBytes} bytes)`);
    const whole = planMatmul(m, n, k, this.tile);
    const tile = whole.variant.tile;
    if (whole.groupsX > this.maxGroups) {
      throw new GpuError(`matmul-f32 with n = ${n} needs ${whole.groupsX} workgroups across; this device allows ${this.maxGroups}`, { code: 'too-large' });
    }
    const rowsPer = Math.min(m, Math.floor(this.maxBindingBytes / (4 * k)), Math.floor(this.maxBindingBytes / (4 * n)), this.maxGroups * tile);
    if (rowsPer < 1) throw this.tooLarge(`one row of a (${k} floats) or of c (${n} floats)`);
    return this.exclusive(async (call) => {
      const pipeline = await matmulPipeline(this.device, whole.variant);
      const out = new Float32Array(m * n);
      const q = this.device.queue;
      const bufB = call.input(b.subarray(0, k * n));
      const oneChunk = rowsPer === m;
      const bufA = oneChunk ? call.input(a.subarray(0, m * k)) : call.take(rowsPer * k * 4);
      const bufC = call.take(rowsPer * n * 4);
      const staging = call.staging(rowsPer * n * 4);
      for (let r0 = 0; r0 < m; r0 += rowsPer) {
        const rows = Math.min(rowsPer, m - r0);
        if (!oneChunk) {
          q.writeBuffer(bufA, 0, plain(a), r0 * k, rows * k);
          this.uploaded += rows * k * 4;
        }
        const plan = planMatmul(rows, n, k, tile);
        q.writeBuffer(this.uniform, 0, plan.dims);
        const group = matmulBindGroup(this.device, pipeline, { a: bufA, aBytes: rows * k * 4, b: bufB, bBytes, c: bufC, cBytes: rows * n * 4, dims: this.uniform });
        await this.dispatch(pipeline, group, plan.groupsX, plan.groupsY, bufC, staging, rows * n, out, r0 * n);
      }
      return out;
    });
  }

  /**
   * out[i] = op(x[i], y[i]) for i < n on the GPU (op: 0 add, 1 sub, 2 mul, 3 max, 4 min,
   * 5 relu, y unused); equal to mapF32Reference except that subnormal results may be 0.
   * @throws GpuError 'bad-op' for an unknown op (before any GPU work); RangeError when x or
   * y is too short; 'too-large' when GPU memory runs out; 'device-lost'; 'internal'.
   */
  async mapF32(op: number, x: Float32Array, y: Float32Array | undefined, n: number): Promise<Float32Array> {
    checkMapArgs(op, x, y, n);
    if (n === 0) return new Float32Array(0);
    const perChunk = Math.min(n, this.maxBindingBytes / 4);
    return this.exclusive(async (call) => {
      const pipeline = await mapPipeline(this.device);
      const out = new Float32Array(n);
      const q = this.device.queue;
      const bytes = perChunk * 4;
      const oneChunk = perChunk === n;
      const bufX = oneChunk ? call.input(x.subarray(0, n)) : call.take(bytes);
      // relu ignores y; binding x twice (both read-only) saves a buffer.
      const bufY = op === 5 ? bufX : oneChunk ? call.input(y!.subarray(0, n)) : call.take(bytes);
      const bufOut = call.take(bytes);
      const staging = call.staging(bytes);
      for (let i0 = 0; i0 < n; i0 += perChunk) {
        const len = Math.min(perChunk, n - i0);
        const groups = Math.ceil(len / MAP_GROUP);
        const gx = Math.min(groups, this.maxGroups);
        const gy = Math.ceil(groups / gx);
        if (gy > this.maxGroups) throw this.tooLarge(`map-f32 over ${len} elements`);
        if (!oneChunk) {
          q.writeBuffer(bufX, 0, plain(x), i0, len);
          if (op !== 5) q.writeBuffer(bufY, 0, plain(y!), i0, len);
          this.uploaded += (op === 5 ? 1 : 2) * len * 4;
        }
        q.writeBuffer(this.uniform, 0, Uint32Array.of(op, len, gx, 0));
        const group = this.device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: bufX, size: len * 4 } },
            { binding: 1, resource: { buffer: bufY, size: len * 4 } },
            { binding: 2, resource: { buffer: bufOut, size: len * 4 } },
            { binding: 3, resource: { buffer: this.uniform } },
          ],
        });
        await this.dispatch(pipeline, group, gx, gy, bufOut, staging, len, out, i0);
      }
      return out;
    });
  }

  /**
   * Lets go of pooled buffers and resident inputs once the calls queued before it have
   * finished; a hub calls this when a job ends. Later calls work, allocating afresh.
   */
  releaseCaches(): Promise<void> {
    return this.serial(async () => this.dispose());
  }

  /**
   * Destroys pooled buffers and resident inputs now; the device stays open. Only when no
   * call is in flight (tests' own GpuKernels); otherwise use releaseCaches().
   */
  dispose(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.resident.clear();
    this.storage.clear();
    this.readback.clear();
  }

  stats(): GpuKernelsStats {
    return {
      buffersCreated: this.storage.created + this.readback.created,
      pooledBytes: this.storage.bytes + this.readback.bytes,
      residentBytes: this.resident.bytes,
      uploadsSkipped: this.resident.hits,
      bytesUploaded: this.uploaded,
    };
  }

  private tooLarge(what: string): GpuError {
    return new GpuError(`${what} exceeds this device's largest storage binding of ${this.maxBindingBytes} bytes; split the problem or use the CPU kernels`, { code: 'too-large' });
  }

  /** Runs `fn` after everything queued on this device before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = (deviceTails.get(this.device) ?? Promise.resolve()).then(fn, fn);
    deviceTails.set(this.device, p.catch(() => undefined));
    return p;
  }

  /**
   * Runs `work` after every earlier call, inside error scopes. Its buffers go back to the
   * pools (inputs to the resident set) when it succeeds, and are destroyed when it fails.
   */
  private exclusive<T>(work: (call: CallBuffers) => Promise<T>): Promise<T> {
    return this.serial(async (): Promise<T> => {
      if (this.lost) throw new GpuError(this.lost, { code: 'device-lost' });
      clearTimeout(this.idleTimer);
      const taken: GPUBuffer[] = [];
      const staged: GPUBuffer[] = [];
      const uploads: { data: Float32Array; fingerprint: number; buffer: GPUBuffer }[] = [];
      const call: CallBuffers = {
        input: (data) => {
          const found = this.resident.find(data);
          if (found.buffer) return found.buffer;
          const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
          const same = uploads.find((u) => u.data.byteLength === data.byteLength && u.fingerprint === found.fingerprint && bytes.equals(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength)));
          if (same) return same.buffer;
          const buffer = this.storage.take(data.byteLength);
          taken.push(buffer);
          this.device.queue.writeBuffer(buffer, 0, plain(data));
          this.uploaded += data.byteLength;
          uploads.push({ data, fingerprint: found.fingerprint, buffer });
          return buffer;
        },
        take: (bytes) => {
          const buffer = this.storage.take(bytes);
          taken.push(buffer);
          return buffer;
        },
        staging: (bytes) => {
          const buffer = this.readback.take(bytes);
          staged.push(buffer);
          return buffer;
        },
      };
      this.device.pushErrorScope('out-of-memory');
      this.device.pushErrorScope('validation');
      let result: T | undefined;
      let failure: unknown;
      try {
        result = await work(call);
      } catch (err) {
        failure = err;
      }
      // Always pop both, so the device's scope stack stays balanced for the next call.
      const validation = await this.device.popErrorScope().catch(() => null);
      const oom = await this.device.popErrorScope().catch(() => null);
      const ok = failure === undefined && !validation && !oom && !this.lost;
      if (ok) {
        const kept = new Set(uploads.filter((u) => this.resident.offer(u.data, u.fingerprint, u.buffer)).map((u) => u.buffer));
        for (const b of taken) if (!kept.has(b)) this.storage.give(b);
        for (const b of staged) this.readback.give(b);
        this.armIdleRelease();
        return result as T;
      }
      // A buffer used by a failed call may be invalid; so may any made in a failed scope.
      for (const b of [...taken, ...staged]) b.destroy();
      if (oom || validation) this.dispose();
      if (failure !== undefined && !this.lost) {
        // A mapAsync aborted by a lost device can reject before device.lost has resolved.
        await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, LOST_GRACE_MS))]);
      }
      if (this.lost) throw new GpuError(this.lost, { code: 'device-lost', cause: failure });
      if (oom) throw new GpuError(`the GPU ran out of memory: ${oom.message}`, { code: 'too-large', cause: failure });
      if (validation) throw new GpuError(`WebGPU rejected a weave kernel call: ${validation.message}`, { code: 'internal', cause: failure });
      if (failure instanceof GpuError || failure instanceof RangeError) throw failure;
      throw new GpuError(`GPU call failed: ${messageOf(failure)}`, { code: 'internal', cause: failure });
    });
  }

  private armIdleRelease(): void {
    if (!(this.idleReleaseMs > 0) || !Number.isFinite(this.idleReleaseMs)) return;
    clearTimeout(this.idleTimer);
    // unref: a pending release must not keep a finished process alive.
    this.idleTimer = setTimeout(() => void this.releaseCaches(), this.idleReleaseMs).unref();
  }

  /** One dispatch, then `count` floats of `result` copied back into out[at..]. */
  private async dispatch(
    pipeline: GPUComputePipeline,
    group: GPUBindGroup,
    gx: number,
    gy: number,
    result: GPUBuffer,
    staging: GPUBuffer,
    count: number,
    out: Float32Array,
    at: number,
  ): Promise<void> {
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    enc.copyBufferToBuffer(result, 0, staging, 0, count * 4);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(MAP_MODE_READ, 0, count * 4);
    try {
      out.set(new Float32Array(staging.getMappedRange(0, count * 4)), at);
    } finally {
      staging.unmap();
    }
  }
}
