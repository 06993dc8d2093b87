/**
 * The gpu host interface: this path is kept for its importers (hub daemon, host imports,
 * tests); the code lives in runtime/host/gpu/, one file per purpose.
 *
 *   import { detectGpu, gpuKernels, matmulF32Reference } from '../host/gpu.js';
 *   const gpu = await detectGpu();
 *   const c = gpu.available ? await gpuKernels(gpu).matmulF32(a, b, m, n, k) : matmulF32Reference(a, b, m, n, k);
 */
export * from './gpu/index.js';
