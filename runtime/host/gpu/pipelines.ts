/**
 * Compiled compute pipelines, one per shader variant and device, kept for the device's
 * life: compiling a matmul variant takes milliseconds to a second, a dispatch far less.
 *
 *   const pipeline = await matmulPipeline(device, planMatmul(m, n, k).variant);
 *   const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
 */
/// <reference types="@webgpu/types" />
import { MAP_WGSL } from './map-shader.js';
import { matmulKey, matmulWgsl, type MatmulVariant } from './matmul-shader.js';

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

function pipelineFor(device: GPUDevice, label: string, code: () => string): Promise<GPUComputePipeline> {
  let perDevice = cache.get(device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(device, perDevice);
  }
  let p = perDevice.get(label);
  if (!p) {
    const made = device.createComputePipelineAsync({
      label: `weave ${label}`,
      layout: 'auto',
      compute: { module: device.createShaderModule({ label: `weave ${label}`, code: code() }), entryPoint: 'main' },
    });
    // A failed compile is a bug, but it must not poison every later call: forget it.
    made.catch(() => {
      if (perDevice.get(label) === made) perDevice.delete(label);
    });
    perDevice.set(label, made);
    p = made;
  }
  return p;
}

export function matmulPipeline(device: GPUDevice, variant: MatmulVariant): Promise<GPUComputePipeline> {
  return pipelineFor(device, matmulKey(variant), () => matmulWgsl(variant));
}

export function mapPipeline(device: GPUDevice): Promise<GPUComputePipeline> {
  return pipelineFor(device, 'map-f32', () => MAP_WGSL);
}

/** The buffers of one matmul dispatch; sizes in bytes, each at offset 0. */
export interface MatmulBindings {
  a: GPUBuffer;
  aBytes: number;
  b: GPUBuffer;
  bBytes: number;
  c: GPUBuffer;
  cBytes: number;
  /** 16 bytes holding the plan's dims. */
  dims: GPUBuffer;
}

export function matmulBindGroup(device: GPUDevice, pipeline: GPUComputePipeline, x: MatmulBindings): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: x.a, size: x.aBytes } },
      { binding: 1, resource: { buffer: x.b, size: x.bBytes } },
      { binding: 2, resource: { buffer: x.c, size: x.cBytes } },
      { binding: 3, resource: { buffer: x.dims, size: 16 } },
    ],
  });
}
