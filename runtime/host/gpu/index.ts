/**
 * The `gpu` interface of the host ABI (wit/weave-host.wit) on WebGPU through Dawn's Node
 * binding (npm `webgpu`), plus the CPU reference that defines the results and the
 * tolerance a GPU result must meet. docs/gpu.md explains the design.
 *
 *   const gpu = await detectGpu();
 *   if (gpu.available) c = await gpuKernels(gpu).matmulF32(a, b, m, n, k);
 *   else c = matmulF32Reference(a, b, m, n, k);
 *
 * Only the main thread should hold a device: hubs reach it through their channel.
 * planMatmul, matmulPipeline and matmulBindGroup are the pieces GpuKernels dispatches
 * with, exported so that bench/gpu.ts can time exactly that dispatch.
 */
export { GpuError, type GpuErrorCode } from './errors.js';
export {
  DEFAULT_PROBE_TIMEOUT_MS,
  detectGpu,
  releaseGpu,
  type DetectGpuOptions,
  type GpuAdapterSummary,
  type GpuInfo,
} from './detect.js';
export { MAP_OPS, mapF32Reference, matmulF32Reference, matmulF32ReferenceAt, type MapOp } from './reference.js';
export { gpuTolerance, type ToleranceReport } from './tolerance.js';
export {
  DEFAULT_IDLE_RELEASE_MS,
  DEFAULT_POOL_BYTES,
  DEFAULT_RESIDENT_BYTES,
  GpuKernels,
  gpuKernels,
  type GpuKernelsOptions,
  type GpuKernelsStats,
} from './kernels.js';
export { MIN_WORKGROUPS_FOR_TILE_128, planMatmul, matmulWgsl, type MatmulPlan, type MatmulTile, type MatmulVariant } from './matmul-shader.js';
export { matmulBindGroup, matmulPipeline, type MatmulBindings } from './pipelines.js';
export { BUFFER_USAGE, MAP_MODE_READ } from './webgpu-flags.js';
