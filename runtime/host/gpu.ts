/**
 * The `gpu` interface of the host ABI (wit/weave-host.wit) on WebGPU through Dawn's Node
 * binding (npm `webgpu`), plus the CPU reference that defines the results and the
 * tolerance a GPU result must meet. Works on plain typed arrays; the host-call layer
 * copies between a fragment's memory and these arrays.
 *
 *   const gpu = await detectGpu();
 *   if (gpu.available) c = await gpuKernels(gpu).matmulF32(a, b, m, n, k);
 *   else c = matmulF32Reference(a, b, m, n, k);
 *
 * Only the main thread should hold a device: hubs reach it through their channel.
 */
/// <reference types="@webgpu/types" />
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------
// Errors

/**
 * Why a GPU call failed. `unavailable`: no adapter that may be used (see `reason`);
 * `too-large`: the problem exceeds a device limit or GPU memory, split it or use the CPU;
 * `device-lost`: the device went away (driver reset, releaseGpu), detect again;
 * `bad-op`: map-f32 was given an op it does not know; `internal`: WebGPU rejected what
 * this module built, which is a bug here.
 */
export type GpuErrorCode = 'unavailable' | 'too-large' | 'device-lost' | 'bad-op' | 'internal';

export class GpuError extends Error {
  readonly code: GpuErrorCode;
  constructor(message: string, options?: ErrorOptions & { code?: GpuErrorCode }) {
    super(message, options);
    this.name = 'GpuError';
    this.code = options?.code ?? 'internal';
  }
}

// ---------------------------------------------------------------------------------------
// Detection

export interface DetectGpuOptions {
  /**
   * Accept software adapters (SwiftShader, llvmpipe, lavapipe, WARP, fallback adapters).
   * A hub must not advertise `gpu` for those: they are slower than the simd kernels.
   * @default true when env WEAVE_GPU_SOFTWARE=1, else false
   */
  allowSoftware?: boolean;
  /**
   * Dawn backend to use ('vulkan', 'metal', 'd3d12', 'opengl', 'opengles', ...), passed as
   * Dawn's `backend=` flag. The GL backends are only offered at WebGPU's compatibility
   * feature level, so asking for one requests that level.
   * @default env WEAVE_GPU_BACKEND, else Dawn's choice for the platform
   */
  backend?: string;
}

export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  /** The device name; for Mesa's software drivers this is where 'llvmpipe' shows up. */
  device: string;
  description: string;
  /** adapter.info.type where Dawn reports one (not in webgpu 0.6.2). */
  type?: string;
  /** A software rasteriser or fallback adapter (see DetectGpuOptions.allowSoftware). */
  software: boolean;
}

export type GpuInfo =
  | { available: true; adapter: GpuAdapterSummary; device: GPUDevice }
  | {
      available: false;
      /** One line, for logs and `weave hubs`. */
      reason: string;
      /** Dawn's own stderr from the probe, when it said anything. */
      diagnostics?: string;
    };

/** Matmul tiles are TILE x TILE invocations; map workgroups are MAP_GROUP wide. */
const TILE = 16;
const MAP_GROUP = 256;
const KERNEL_INVOCATIONS = Math.max(TILE * TILE, MAP_GROUP);

/** How long the adapter probe (a child process) may take: driver start-up can be slow. */
export const DEFAULT_PROBE_TIMEOUT_MS = 20_000;

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|basic render driver/i;

interface ProbedAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  type?: string;
  isFallbackAdapter: boolean;
}

type Probe = { ok: true; info: ProbedAdapter } | { ok: false; reason: string; diagnostics?: string };

interface Session {
  device: GPUDevice;
  info: GpuInfo & { available: true };
}

interface ResolvedDetectOptions {
  allowSoftware: boolean;
  backend: string | undefined;
}

// Keyed by backend ('' for Dawn's choice): one probe and at most one device per backend,
// whatever allowSoftware says; results keyed by both so repeated calls return one object.
const probes = new Map<string, Promise<Probe>>();
const sessions = new Map<string, Promise<Session | Extract<GpuInfo, { available: false }>>>();
const results = new Map<string, Promise<GpuInfo>>();
// Dawn instances are never let go: dropping the object create() returned has crashed
// dawn.node in a finalizer (node-webgpu issue 18), so releaseGpu destroys devices only.
const retainedInstances: GPU[] = [];

function resolveDetectOptions(opts: DetectGpuOptions = {}): ResolvedDetectOptions {
  const env = process.env;
  return {
    allowSoftware: opts.allowSoftware ?? env.WEAVE_GPU_SOFTWARE === '1',
    backend: opts.backend ?? (env.WEAVE_GPU_BACKEND || undefined),
  };
}

/**
 * Finds a WebGPU adapter and opens a device on it, once per process (per backend).
 *
 * Never throws: every failure (no `webgpu` package, no prebuilt Dawn for the platform, no
 * driver, only a software adapter, requestDevice failing) is `{ available: false, reason }`.
 * The adapter is first looked for in a child process, so that a machine without a GPU
 * gets no Dawn warnings on its stderr and a driver that crashes takes only the probe down.
 * After a device is lost, the next call detects afresh.
 */
export function detectGpu(opts?: DetectGpuOptions): Promise<GpuInfo> {
  const o = resolveDetectOptions(opts);
  const key = `${o.backend ?? ''}\u0000${o.allowSoftware}`;
  let result = results.get(key);
  if (!result) {
    result = detect(o);
    results.set(key, result);
  }
  return result;
}

async function detect(o: ResolvedDetectOptions): Promise<GpuInfo> {
  try {
    const backendKey = o.backend ?? '';
    let probe = probes.get(backendKey);
    if (!probe) {
      probe = probeAdapter(o.backend);
      probes.set(backendKey, probe);
    }
    const p = await probe;
    if (!p.ok) return { available: false, reason: p.reason, ...(p.diagnostics ? { diagnostics: p.diagnostics } : {}) };
    if (isSoftware(p.info) && !o.allowSoftware) {
      return {
        available: false,
        reason: `only a software adapter (${describe(p.info)}); not advertised as gpu (WEAVE_GPU_SOFTWARE=1 allows it for testing)`,
      };
    }
    let session = sessions.get(backendKey);
    if (!session) {
      const mine = openSession(o.backend);
      sessions.set(backendKey, mine);
      session = mine;
      // After a loss the next detectGpu opens a new device (a driver reset may recover).
      void mine.then((s) => {
        if (!('device' in s)) return;
        void s.device.lost.then(() => {
          if (sessions.get(backendKey) !== mine) return;
          sessions.delete(backendKey);
          for (const k of [...results.keys()]) if (k.startsWith(`${backendKey}\u0000`)) results.delete(k);
        });
      });
    }
    const s = await session;
    if (!('device' in s)) return s;
    // The probe and this process may in principle see different adapters; judge the one in hand.
    if (s.info.adapter.software && !o.allowSoftware) {
      return { available: false, reason: `only a software adapter (${describe(s.info.adapter)}); not advertised as gpu` };
    }
    return s.info;
  } catch (err) {
    return { available: false, reason: `GPU detection failed: ${messageOf(err)}` };
  }
}

/**
 * Destroys every device detectGpu opened and forgets all cached results, so that the
 * process can exit and a later detectGpu starts afresh. In-flight kernel calls fail with
 * GpuError 'device-lost'.
 */
export async function releaseGpu(): Promise<void> {
  const open = [...sessions.values()];
  sessions.clear();
  results.clear();
  probes.clear();
  for (const s of await Promise.all(open)) {
    if ('device' in s) s.device.destroy();
  }
}

function isSoftware(info: ProbedAdapter | GpuAdapterSummary): boolean {
  if ('software' in info && info.software) return true;
  if ('isFallbackAdapter' in info && info.isFallbackAdapter) return true;
  if (info.type === 'cpu') return true;
  return SOFTWARE_ADAPTER.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

function describe(info: { vendor: string; architecture: string; device: string; description: string }): string {
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s.length > 0);
  return parts.length > 0 ? parts.join(' / ') : 'unnamed adapter';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function featureLevelFor(backend: string | undefined): 'core' | 'compatibility' {
  return backend === 'opengl' || backend === 'opengles' ? 'compatibility' : 'core';
}

function dawnFlags(backend: string | undefined): string[] {
  return backend ? [`backend=${backend}`] : [];
}

function resolveWebgpu(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return undefined;
  }
}

// Runs in the child: loads Dawn, asks for an adapter, prints one JSON line, and exits
// explicitly because a live Dawn instance may keep the event loop running.
const PROBE_SCRIPT = `
const input = JSON.parse(process.env.WEAVE_GPU_PROBE_INPUT);
let out;
try {
  const { create } = await import(input.url);
  const gpu = create(input.flags);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', featureLevel: input.featureLevel });
  if (!adapter) {
    out = { ok: false, reason: 'no WebGPU adapter' };
  } else {
    const i = adapter.info ?? {};
    out = { ok: true, info: {
      vendor: String(i.vendor ?? ''), architecture: String(i.architecture ?? ''),
      device: String(i.device ?? ''), description: String(i.description ?? ''),
      type: i.type === undefined ? undefined : String(i.type),
      isFallbackAdapter: Boolean(i.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false) } };
  }
} catch (e) {
  out = { ok: false, reason: 'Dawn failed: ' + String(e && e.message ? e.message : e).split('\\n')[0] };
}
process.stdout.write('\\n' + JSON.stringify(out) + '\\n', () => process.exit(0));
`;

/** Dawn's stderr as one short clause: its first lines without source locations. */
function summarise(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('at ') && !/XDG_RUNTIME_DIR/.test(l));
  const text = lines.slice(0, 3).join(' ').replace(/\s+/g, ' ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function probeAdapter(backend: string | undefined): Promise<Probe> {
  const entry = resolveWebgpu();
  if (!entry) return Promise.resolve({ ok: false, reason: "the 'webgpu' package (Dawn for Node) is not installed" });
  const input = { url: pathToFileURL(entry).href, flags: dawnFlags(backend), featureLevel: featureLevelFor(backend) };
  return new Promise<Probe>((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE_SCRIPT], {
      env: { ...process.env, WEAVE_GPU_PROBE_INPUT: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, DEFAULT_PROBE_TIMEOUT_MS);
    const diagnostics = () => (stderr.trim() ? { diagnostics: stderr.trim() } : {});
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not start the adapter probe: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      let parsed: Probe | undefined;
      try {
        parsed = JSON.parse(last) as Probe;
      } catch {
        parsed = undefined;
      }
      if (parsed && typeof parsed === 'object' && 'ok' in parsed) {
        if (parsed.ok) return resolve(parsed);
        const said = summarise(stderr);
        return resolve({ ok: false, reason: said ? `${parsed.reason} (Dawn: ${said})` : parsed.reason, ...diagnostics() });
      }
      const how = timedOut ? `timed out after ${DEFAULT_PROBE_TIMEOUT_MS} ms` : signal ? `crashed (${signal})` : `exited with status ${code}`;
      const said = summarise(stderr);
      resolve({ ok: false, reason: `the adapter probe ${how}${said ? ` (Dawn: ${said})` : ''}`, ...diagnostics() });
    });
  });
}

async function openSession(backend: string | undefined): Promise<Session | Extract<GpuInfo, { available: false }>> {
  try {
    return await openSessionOrThrow(backend);
  } catch (err) {
    return { available: false, reason: `could not open a GPU device: ${messageOf(err).split('\n')[0]}` };
  }
}

async function openSessionOrThrow(backend: string | undefined): Promise<Session | Extract<GpuInfo, { available: false }>> {
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (err) {
    return { available: false, reason: `could not load Dawn (webgpu): ${messageOf(err).split('\n')[0]}` };
  }
  const gpu = webgpu.create(dawnFlags(backend));
  retainedInstances.push(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', featureLevel: featureLevelFor(backend) });
  if (!adapter) return { available: false, reason: 'the probe found an adapter but this process got none' };
  const info = adapter.info as GPUAdapterInfo & { type?: string; isFallbackAdapter?: boolean };
  const probed: ProbedAdapter = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    ...(info.type !== undefined ? { type: String(info.type) } : {}),
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false),
  };
  const summary: GpuAdapterSummary = {
    vendor: probed.vendor,
    architecture: probed.architecture,
    device: probed.device,
    description: probed.description,
    ...(probed.type !== undefined ? { type: probed.type } : {}),
    software: isSoftware(probed),
  };
  const l = adapter.limits;
  // Both kernels use 256 invocations per workgroup: the core default, but compatibility
  // adapters default to 128, so it is asked for explicitly.
  if (l.maxComputeInvocationsPerWorkgroup < KERNEL_INVOCATIONS || l.maxComputeWorkgroupSizeX < KERNEL_INVOCATIONS) {
    return { available: false, reason: `${describe(probed)} allows ${l.maxComputeInvocationsPerWorkgroup} invocations per workgroup; the kernels need ${KERNEL_INVOCATIONS}` };
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        // The defaults (128 MiB bindings) would cap matrices far below what the hardware takes.
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        maxComputeInvocationsPerWorkgroup: KERNEL_INVOCATIONS,
        maxComputeWorkgroupSizeX: KERNEL_INVOCATIONS,
      },
    });
  } catch (err) {
    return { available: false, reason: `requestDevice failed on ${describe(probed)}: ${messageOf(err)}` };
  }
  const session: Session = { device, info: { available: true, adapter: summary, device } };
  return session;
}

// ---------------------------------------------------------------------------------------
// CPU reference: the results the gpu interface is defined by, and the fallback.

/** map-f32 ops, by their ABI number. */
export const MAP_OPS = ['add', 'sub', 'mul', 'max', 'min', 'relu'] as const;
export type MapOp = (typeof MAP_OPS)[number];

function checkOp(op: number): void {
  if (!Number.isInteger(op) || op < 0 || op >= MAP_OPS.length) {
    throw new GpuError(`unknown map-f32 op ${op}; ops are: ${MAP_OPS.map((n, i) => `${i} ${n}`).join(', ')}`, { code: 'bad-op' });
  }
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${name} must be a u32, got ${v}`);
}

function checkMatmulArgs(a: Float32Array, b: Float32Array, m: number, n: number, k: number): void {
  checkCount('m', m);
  checkCount('n', n);
  checkCount('k', k);
  if (a.length < m * k) throw new RangeError(`a holds ${a.length} floats, m x k = ${m} x ${k} needs ${m * k}`);
  if (b.length < k * n) throw new RangeError(`b holds ${b.length} floats, k x n = ${k} x ${n} needs ${k * n}`);
}

function checkMapArgs(op: number, x: Float32Array, y: Float32Array | undefined, n: number): void {
  checkOp(op);
  checkCount('n', n);
  if (x.length < n) throw new RangeError(`x holds ${x.length} floats, n = ${n}`);
  if (op !== 5 && (!y || y.length < n)) throw new RangeError(`y holds ${y?.length ?? 0} floats, n = ${n} (op ${MAP_OPS[op]} needs y)`);
}

/**
 * c = a * b (a m x k, b k x n, row-major) in the ABI's order: c[i][j] =
 * ((0 + a[i][0]*b[0][j]) + a[i][1]*b[1][j]) + ..., each product and each sum rounded to
 * f32. (An f32 product or sum computed in f64 and then rounded is the correctly rounded
 * f32 result, so Math.fround gives exactly what f32 hardware without FMA gives.)
 * @throws RangeError when a or b is shorter than the dimensions say.
 */
export function matmulF32Reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array {
  checkMatmulArgs(a, b, m, n, k);
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s = Math.fround(s + Math.fround(a[i * k + p] * b[p * n + j]));
      c[i * n + j] = s;
    }
  }
  return c;
}

/**
 * out[i] = op(x[i], y[i]) for i < n, with Wasm's semantics: max and min return NaN when
 * either input is NaN and order -0 below +0; relu(x) = max(x, +0) (y unused).
 * @throws GpuError 'bad-op' for an op outside 0..5; RangeError when x or y is too short.
 */
export function mapF32Reference(op: number, x: Float32Array, y: Float32Array | undefined, n: number): Float32Array {
  checkMapArgs(op, x, y, n);
  const out = new Float32Array(n);
  const f = [
    (a: number, b: number) => a + b,
    (a: number, b: number) => a - b,
    (a: number, b: number) => a * b,
    Math.max, // NaN-propagating and -0 < +0, as Wasm's f32.max
    Math.min,
    (a: number) => Math.max(a, 0),
  ][op];
  const yy = y ?? x;
  for (let i = 0; i < n; i++) out[i] = f(x[i], yy[i]);
  return out;
}

// ---------------------------------------------------------------------------------------
// Tolerance

export type ToleranceReport =
  | { ok: true; checked: number }
  | { ok: false; checked: number; index: number; got: number; expected: number; bound: number; message: string };

const MIN_NORMAL_F32 = 2 ** -126;

/**
 * The gpu interface's tolerance (wit/weave-host.wit), for tests and for anyone comparing a
 * GPU result with the CPU reference.
 */
export const gpuTolerance = {
  /** Relative factor of the matmul bound: |c - ref| <= k * MATMUL_EPS * sum_p |a[i][p] b[p][j]|. */
  MATMUL_EPS: 2 ** -22,

  /**
   * Checks a GPU matmul result: per element, NaN where the reference is NaN, the same
   * infinity where it is infinite, else within k * 2^-22 * sum_p |a[i][p] * b[p][j]|.
   * Reports the first element that fails.
   */
  checkMatmul(a: Float32Array, b: Float32Array, m: number, n: number, k: number, got: Float32Array): ToleranceReport {
    const ref = matmulF32Reference(a, b, m, n, k);
    if (got.length !== m * n) {
      return { ok: false, checked: 0, index: -1, got: got.length, expected: m * n, bound: 0, message: `result has ${got.length} elements, expected ${m * n}` };
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const at = i * n + j;
        let abs = 0;
        for (let p = 0; p < k; p++) abs += Math.abs(a[i * k + p] * b[p * n + j]);
        const bound = k * gpuTolerance.MATMUL_EPS * abs;
        const e = ref[at];
        const g = got[at];
        const ok = Number.isNaN(e) ? Number.isNaN(g) : !Number.isFinite(e) ? g === e : Math.abs(g - e) <= bound;
        if (!ok) {
          return { ok: false, checked: at, index: at, got: g, expected: e, bound, message: `c[${i}][${j}] = ${g}, reference ${e}, allowed ±${bound} (m=${m} n=${n} k=${k})` };
        }
      }
    }
    return { ok: true, checked: m * n };
  },

  /**
   * Checks a GPU map result: equal to the reference (any NaN matches any NaN, and -0 is
   * not +0), except that where the reference is subnormal the result may be ±0.
   */
  checkMap(op: number, x: Float32Array, y: Float32Array | undefined, n: number, got: Float32Array): ToleranceReport {
    const ref = mapF32Reference(op, x, y, n);
    if (got.length !== n) {
      return { ok: false, checked: 0, index: -1, got: got.length, expected: n, bound: 0, message: `result has ${got.length} elements, expected ${n}` };
    }
    for (let i = 0; i < n; i++) {
      const e = ref[i];
      const g = got[i];
      const flushed = e !== 0 && Math.abs(e) < MIN_NORMAL_F32 && g === 0;
      if (!Object.is(g, e) && !flushed) {
        const yi = y && op !== 5 ? `, ${y[i]}` : '';
        return { ok: false, checked: i, index: i, got: g, expected: e, bound: 0, message: `${MAP_OPS[op]}(${x[i]}${yi}) = ${Object.is(g, -0) ? '-0' : g} at [${i}], reference ${Object.is(e, -0) ? '-0' : e}` };
      }
    }
    return { ok: true, checked: n };
  },
};

// ---------------------------------------------------------------------------------------
// Kernels


// Spec values of GPUBufferUsage and GPUMapMode, so that Dawn's globals need not be
// installed on globalThis.
const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;
const USAGE_UNIFORM = 0x0040;
const USAGE_STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

/**
 * One 16x16 tile of c per workgroup; a and b pass through workgroup memory 16 columns /
 * rows at a time. Each invocation sums its products in p order, like the reference, so the
 * only difference from it is a fused multiply-add the GPU compiler may choose. Padding
 * beyond k is 0 in both tiles at the same p, so it adds +0 (never Inf * 0).
 */
const MATMUL_WGSL = /* wgsl */ `
struct Dims { m: u32, n: u32, k: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

var<workgroup> ta: array<array<f32, ${TILE}>, ${TILE}>;
var<workgroup> tb: array<array<f32, ${TILE}>, ${TILE}>;

@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row = wg.y * ${TILE}u + lid.y;
  let col = wg.x * ${TILE}u + lid.x;
  var acc = 0.0;
  let tiles = (dims.k + ${TILE - 1}u) / ${TILE}u;
  for (var t = 0u; t < tiles; t++) {
    let ac = t * ${TILE}u + lid.x;
    let br = t * ${TILE}u + lid.y;
    var av = 0.0;
    if (row < dims.m && ac < dims.k) { av = a[row * dims.k + ac]; }
    var bv = 0.0;
    if (br < dims.k && col < dims.n) { bv = b[br * dims.n + col]; }
    ta[lid.y][lid.x] = av;
    tb[lid.y][lid.x] = bv;
    workgroupBarrier();
    for (var p = 0u; p < ${TILE}u; p++) {
      acc = acc + ta[lid.y][p] * tb[p][lid.x];
    }
    workgroupBarrier();
  }
  if (row < dims.m && col < dims.n) { c[row * dims.n + col] = acc; }
}
`;

/**
 * WGSL lets a compiler assume there are no NaNs or infinities, so max and min are done on
 * the bits: NaN is found with integer tests, and the order is the integer order of a key
 * that puts -0 below +0. Both return one of their inputs unchanged.
 */
const MAP_WGSL = /* wgsl */ `
struct Params { op: u32, n: u32, groupsX: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn orderKey(v: f32) -> u32 {
  let u = bitcast<u32>(v);
  return select(u | 0x80000000u, ~u, (u & 0x80000000u) != 0u);
}
fn wasmMax(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return select(b, a, orderKey(a) > orderKey(b));
}
fn wasmMin(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return select(b, a, orderKey(a) < orderKey(b));
}

@compute @workgroup_size(${MAP_GROUP})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * params.groupsX + wg.x) * ${MAP_GROUP}u + li;
  if (i >= params.n) { return; }
  let a = x[i];
  var r: f32;
  switch params.op {
    case 0u: { r = a + y[i]; }
    case 1u: { r = a - y[i]; }
    case 2u: { r = a * y[i]; }
    case 3u: { r = wasmMax(a, y[i]); }
    case 4u: { r = wasmMin(a, y[i]); }
    default: { r = wasmMax(a, 0.0); }
  }
  out[i] = r;
}
`;

interface Pipelines {
  matmul: GPUComputePipeline;
  map: GPUComputePipeline;
}

const pipelineCache = new WeakMap<GPUDevice, Promise<Pipelines>>();
// The last call queued on each device, whichever GpuKernels made it.
const deviceTails = new WeakMap<GPUDevice, Promise<unknown>>();
const kernelCache = new WeakMap<GPUDevice, GpuKernels>();

function pipelinesFor(device: GPUDevice): Promise<Pipelines> {
  let p = pipelineCache.get(device);
  if (!p) {
    const make = (label: string, code: string) =>
      device.createComputePipelineAsync({ label, layout: 'auto', compute: { module: device.createShaderModule({ label, code }), entryPoint: 'main' } });
    p = Promise.all([make('weave matmul-f32', MATMUL_WGSL), make('weave map-f32', MAP_WGSL)]).then(([matmul, map]) => ({ matmul, map }));
    // A failed compile is not cached: it is a bug, but a retry must not be poisoned by it.
    p.catch(() => pipelineCache.delete(device));
    pipelineCache.set(device, p);
  }
  return p;
}

export interface GpuKernelsOptions {
  /**
   * Largest storage binding to use, below the device's maxStorageBufferBindingSize; tests
   * set it low to exercise splitting.
   * @default the device's limit
   */
  maxBindingBytes?: number;
  /**
   * Buffers up to this size are kept between calls (one per role); larger ones are
   * created for the call and destroyed after it.
   * @default DEFAULT_KEEP_BUFFER_BYTES
   */
  keepBufferBytes?: number;
}

/**
 * The WebGPU typings accept only ArrayBuffer-backed views. Ours always are (hubs pass
 * copies made for the call); a SharedArrayBuffer-backed one is refused with a typed error.
 */
function plain(a: Float32Array): Float32Array<ArrayBuffer> {
  if (!(a.buffer instanceof ArrayBuffer)) throw new GpuError('gpu: inputs must not live in a SharedArrayBuffer; copy them first', { code: 'internal' });
  return a as Float32Array<ArrayBuffer>;
}

export const DEFAULT_KEEP_BUFFER_BYTES = 16 * 1024 * 1024;

/** How long a failed call waits for device.lost before calling the failure its own. */
const LOST_GRACE_MS = 50;

type BufferRole = 'in0' | 'in1' | 'out' | 'read';
const ROLE_USAGE: Record<BufferRole, number> = {
  in0: USAGE_STORAGE | USAGE_COPY_DST,
  in1: USAGE_STORAGE | USAGE_COPY_DST,
  out: USAGE_STORAGE | USAGE_COPY_SRC,
  read: USAGE_MAP_READ | USAGE_COPY_DST,
};

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
 * matmul-f32 and map-f32 on one device. Calls are queued per device, one at a time: they
 * share buffers, the device has one queue anyway, and error scopes are per device, so
 * interleaved calls would see each other's errors. (Other code that uses the same device
 * meanwhile can still land errors in these scopes.)
 */
export class GpuKernels {
  private readonly maxBindingBytes: number;
  private readonly maxGroups: number;
  private readonly keepBytes: number;
  private readonly kept = new Map<BufferRole, GPUBuffer>();
  private readonly uniform: GPUBuffer;
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
    this.keepBytes = Math.floor(Math.min(options.keepBufferBytes ?? DEFAULT_KEEP_BUFFER_BYTES, l.maxBufferSize) / 4) * 4;
    this.uniform = device.createBuffer({ label: 'weave gpu dims', size: 16, usage: USAGE_UNIFORM | USAGE_COPY_DST });
    void device.lost.then((info) => {
      this.lost = info.reason === 'destroyed' ? 'the GPU device was destroyed (releaseGpu); detect again' : `the GPU device was lost: ${info.message || info.reason}`;
    });
  }

  /**
   * c = a * b, a m x k and b k x n row-major, on the GPU; within gpuTolerance of
   * matmulF32Reference. Rows of a and c are split across several dispatches when they
   * exceed a binding; b must fit in one.
   * @throws RangeError for bad dimensions; GpuError 'too-large' when b (k x n) exceeds the
   * device's largest storage binding, n exceeds 16 x maxComputeWorkgroupsPerDimension, or
   * GPU memory runs out; 'device-lost'; 'internal'.
   */
  async matmulF32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    checkMatmulArgs(a, b, m, n, k);
    // Empty sums are +0; WebGPU rejects zero-sized bindings, so these never reach it.
    if (m === 0 || n === 0 || k === 0) return new Float32Array(m * n);
    const bBytes = k * n * 4;
    if (bBytes > this.maxBindingBytes) throw this.tooLarge(`b is ${k} x ${n} (${bBytes} bytes)`);
    const groupsX = Math.ceil(n / TILE);
    if (groupsX > this.maxGroups) {
      throw new GpuError(`matmul-f32 with n = ${n} needs ${groupsX} workgroups across; this device allows ${this.maxGroups}`, { code: 'too-large' });
    }
    const rowsPer = Math.min(m, Math.floor(this.maxBindingBytes / (4 * k)), Math.floor(this.maxBindingBytes / (4 * n)), this.maxGroups * TILE);
    if (rowsPer < 1) throw this.tooLarge(`one row of a (${k} floats) or of c (${n} floats)`);
    return this.exclusive(async (temps) => {
      const { matmul } = await pipelinesFor(this.device);
      const out = new Float32Array(m * n);
      const q = this.device.queue;
      const bufB = this.buffer('in1', bBytes, temps);
      q.writeBuffer(bufB, 0, plain(b), 0, k * n);
      const bufA = this.buffer('in0', rowsPer * k * 4, temps);
      const bufC = this.buffer('out', rowsPer * n * 4, temps);
      const staging = this.buffer('read', rowsPer * n * 4, temps);
      for (let r0 = 0; r0 < m; r0 += rowsPer) {
        const rows = Math.min(rowsPer, m - r0);
        q.writeBuffer(bufA, 0, plain(a), r0 * k, rows * k);
        q.writeBuffer(this.uniform, 0, Uint32Array.of(rows, n, k, 0));
        const group = this.device.createBindGroup({
          layout: matmul.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: bufA, size: rows * k * 4 } },
            { binding: 1, resource: { buffer: bufB, size: bBytes } },
            { binding: 2, resource: { buffer: bufC, size: rows * n * 4 } },
            { binding: 3, resource: { buffer: this.uniform } },
          ],
        });
        await this.dispatch(matmul, group, groupsX, Math.ceil(rows / TILE), bufC, staging, rows * n, out, r0 * n);
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
    return this.exclusive(async (temps) => {
      const { map } = await pipelinesFor(this.device);
      const out = new Float32Array(n);
      const q = this.device.queue;
      const bytes = perChunk * 4;
      const bufX = this.buffer('in0', bytes, temps);
      // relu ignores y; binding x twice (both read-only) saves a buffer.
      const bufY = op === 5 ? bufX : this.buffer('in1', bytes, temps);
      const bufOut = this.buffer('out', bytes, temps);
      const staging = this.buffer('read', bytes, temps);
      for (let i0 = 0; i0 < n; i0 += perChunk) {
        const len = Math.min(perChunk, n - i0);
        const groups = Math.ceil(len / MAP_GROUP);
        const gx = Math.min(groups, this.maxGroups);
        const gy = Math.ceil(groups / gx);
        if (gy > this.maxGroups) throw this.tooLarge(`map-f32 over ${len} elements`);
        q.writeBuffer(bufX, 0, plain(x), i0, len);
        if (op !== 5) q.writeBuffer(bufY, 0, plain(y!), i0, len);
        q.writeBuffer(this.uniform, 0, Uint32Array.of(op, len, gx, 0));
        const group = this.device.createBindGroup({
          layout: map.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: bufX, size: len * 4 } },
            { binding: 1, resource: { buffer: bufY, size: len * 4 } },
            { binding: 2, resource: { buffer: bufOut, size: len * 4 } },
            { binding: 3, resource: { buffer: this.uniform } },
          ],
        });
        await this.dispatch(map, group, gx, gy, bufOut, staging, len, out, i0);
      }
      return out;
    });
  }

  /** Destroys the buffers this instance keeps; the device stays open. */
  dispose(): void {
    for (const b of this.kept.values()) b.destroy();
    this.kept.clear();
  }

  private tooLarge(what: string): GpuError {
    return new GpuError(`${what} exceeds this device's largest storage binding of ${this.maxBindingBytes} bytes; split the problem or use the CPU kernels`, { code: 'too-large' });
  }

  /** Runs `work` after every earlier call, inside error scopes, destroying its temporaries after. */
  private exclusive<T>(work: (temps: GPUBuffer[]) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.lost) throw new GpuError(this.lost, { code: 'device-lost' });
      const temps: GPUBuffer[] = [];
      this.device.pushErrorScope('out-of-memory');
      this.device.pushErrorScope('validation');
      let result: T | undefined;
      let failure: unknown;
      try {
        result = await work(temps);
      } catch (err) {
        failure = err;
      }
      // Always pop both, so the device's scope stack stays balanced for the next call.
      const validation = await this.device.popErrorScope().catch(() => null);
      const oom = await this.device.popErrorScope().catch(() => null);
      for (const b of temps) b.destroy();
      if (failure !== undefined && !this.lost) {
        // A mapAsync aborted by a lost device can reject before device.lost has resolved.
        await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, LOST_GRACE_MS))]);
      }
      if (this.lost) throw new GpuError(this.lost, { code: 'device-lost', cause: failure });
      // A buffer created in a failed scope may be invalid; the next call makes new ones.
      if (oom || validation) this.dispose();
      if (oom) throw new GpuError(`the GPU ran out of memory: ${oom.message}`, { code: 'too-large', cause: failure });
      if (validation) throw new GpuError(`WebGPU rejected a weave kernel call: ${validation.message}`, { code: 'internal', cause: failure });
      if (failure !== undefined) {
        if (failure instanceof GpuError || failure instanceof RangeError) throw failure;
        throw new GpuError(`GPU call failed: ${messageOf(failure)}`, { code: 'internal', cause: failure });
      }
      return result as T;
    };
    const p = (deviceTails.get(this.device) ?? Promise.resolve()).then(run, run);
    deviceTails.set(this.device, p.catch(() => undefined));
    return p;
  }

  /**
   * A buffer of at least `bytes` for `role`: the kept one when big enough, else a new one,
   * kept (rounded up to a power of two) when small, a temporary of `temps` when large.
   */
  private buffer(role: BufferRole, bytes: number, temps: GPUBuffer[]): GPUBuffer {
    const usage = ROLE_USAGE[role];
    if (bytes > this.keepBytes) {
      const b = this.device.createBuffer({ label: `weave gpu ${role} (temporary)`, size: bytes, usage });
      temps.push(b);
      return b;
    }
    const have = this.kept.get(role);
    if (have && have.size >= bytes) return have;
    have?.destroy();
    const size = Math.min(this.keepBytes, Math.max(4096, 2 ** Math.ceil(Math.log2(bytes))));
    const b = this.device.createBuffer({ label: `weave gpu ${role}`, size: Math.max(size, bytes), usage });
    this.kept.set(role, b);
    return b;
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
