/**
 * Finding a WebGPU adapter through Dawn's Node binding (npm `webgpu`) and opening one
 * device on it per process and backend. Software adapters are refused unless asked for:
 * a hub must not advertise `gpu` for a CPU rasteriser.
 *
 *   const gpu = await detectGpu();
 *   console.log(gpu.available ? gpu.adapter.description : `no GPU: ${gpu.reason}`);
 *   await releaseGpu(); // before exit: a live device can keep the process running
 */
/// <reference types="@webgpu/types" />
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { messageOf } from './errors.js';

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

/** Both kernels run 256 invocations per workgroup (matmul 16 x 16, map 256 x 1). */
export const KERNEL_INVOCATIONS = 256;
/** The matmul kernels' two double-buffered tiles: the WebGPU default, core and compatibility. */
export const KERNEL_WORKGROUP_BYTES = 16384;

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
  if (l.maxComputeWorkgroupStorageSize < KERNEL_WORKGROUP_BYTES) {
    return { available: false, reason: `${describe(probed)} allows ${l.maxComputeWorkgroupStorageSize} bytes of workgroup memory; the matmul kernels need ${KERNEL_WORKGROUP_BYTES}` };
  }
  // Timestamps let bench/gpu.ts time the kernel alone; asking costs nothing when unused.
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredFeatures,
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
