/**
 * Workloads for the simulator from real bundles: a program is the fragments of a bundle's
 * entry in order, with loop fragments repeated (a long loop is placed again at each
 * checkpoint), carrying weave build's cost estimate, memory size, host calls and required
 * capabilities.
 *   const p = programsFromManifest(manifest, 'matmul', { loopRepeats: 3 });
 */
import type { Manifest } from '../../fragments/abi.js';
import type { Program } from './model.js';

export interface WorkloadOptions {
  /** Times each loop fragment is placed (one checkpoint between placements). @default 3 */
  loopRepeats?: number;
  /** Bytes a fragment that calls data.read reads. @default 64 MiB */
  dataBytes?: number;
  /**
   * Scale the static estimates so that one run of the program totals this many units.
   * Static estimates count a loop body once whatever its trip count, so across programs
   * they are only relative; jobs in one workload should be of one order of magnitude.
   * @default 40000 (2 s of work at the simulator's default 0.05 ms per unit)
   */
  totalEstimate?: number;
}

export function programsFromManifest(manifest: Manifest, name: string, opts: WorkloadOptions = {}): Program {
  const entry = manifest.entries[0];
  const repeats = opts.loopRepeats ?? 3;
  const fragments = [];
  for (const id of entry.fragments) {
    const f = manifest.fragments[id];
    const calls = f.meta.capabilities;
    const t = {
      template: `${name}#${id}`,
      estimate: f.meta.cost.estimate,
      memoryBytes: f.memoryPages * 65536,
      simd: calls.some((c) => c.startsWith('weave:host/simd.')),
      gpu: calls.some((c) => c.startsWith('weave:host/gpu.')),
      data: calls.some((c) => c.startsWith('weave:host/data.')),
      dataBytes: opts.dataBytes ?? 64 << 20,
      requires: [...(manifest.requires ?? [])],
    };
    const n = f.kind === 'loop' ? repeats : 1;
    for (let i = 0; i < n; i++) fragments.push(t);
  }
  const total = fragments.reduce((n, f) => n + f.estimate, 0);
  const scale = (opts.totalEstimate ?? 40_000) / Math.max(1, total);
  const scaled = new Map(fragments.map((f) => [f, { ...f, estimate: f.estimate * scale }]));
  return { name, fragments: fragments.map((f) => scaled.get(f)!) };
}
