/**
 * The `gpu` host calls of a slot, on its hub's GPU: the inputs go to the main thread
 * (which alone holds the WebGPU device) and the slot blocks until the result is written
 * back (see blocking.ts). A failure on the GPU traps the fragment with the reason; the
 * fragment's own code decides nothing here.
 *   services.gpu = mainThreadGpu(parentPort);
 */
import type { MessagePort } from 'node:worker_threads';
import { HostCallError, type GpuAccess } from '../../host/index.js';
import { callMain } from './blocking.js';

export function mainThreadGpu(port: MessagePort): GpuAccess {
  const run = (what: string, call: Parameters<typeof callMain>[1], out: Float32Array): Float32Array => {
    const r = callMain(port, call, new Uint8Array(out.buffer));
    if (r.status !== out.byteLength) throw new HostCallError(`${what}: the hub's GPU failed (status ${r.status})`);
    return out;
  };
  return {
    // Copies: the views are into the fragment's memory, which cannot cross threads.
    matmulF32: (a, b, m, n, k) => run('gpu.matmul-f32', { kind: 'gpu-matmul', a: a.slice(), b: b.slice(), m, n, k }, new Float32Array(m * n)),
    mapF32: (op, x, y, n) => run('gpu.map-f32', { kind: 'gpu-map', op, x: x.slice(), y: y?.slice(), n }, new Float32Array(n)),
  };
}
