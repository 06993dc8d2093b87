/**
 * The host side of weave's ABI (wit/weave-host.wit): the calls a fragment may make for
 * control, io, vector kernels (native AVX2 where present), GPU compute and datasets.
 *   const imports = hostImports({ memory, reserved, services: { simd: simdKernels().kernels }, output, onYield });
 */
export { hostImports, type HostServices, type HostImportContext, type DataAccess, type GpuAccess } from './imports.js';
export { HOST_ABI, coreTypes, bindingName, type WitType, type WitFunction, type HostInterface } from './abi.js';
export { HostCallError } from './errors.js';
export { OutputBuffer, MAX_OUTPUT_BYTES } from './output.js';
export { simdKernels, type SimdKernels } from './native.js';
export { scalarKernels } from './simd-scalar.js';
export { detectGpu, gpuKernels, releaseGpu, type GpuKernels } from './gpu.js';
