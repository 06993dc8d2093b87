/**
 * The simulated cluster's ground truth: hubs that differ in speed, slots, AVX2, GPU,
 * datasets and links, background load that changes over time, and failures; and fragment
 * templates taken from real `weave build` metadata. Policies never see this module's
 * hidden quantities (true work, true acceleration, current background load): only the
 * views a live engine would have.
 *   const cluster = makeCluster({ hubs: 64, seed: 1 });
 */
import type { Capability } from '../../fragments/abi.js';
import { uniform } from '../util/index.js';

export interface SimHub {
  id: string;
  speed: number;
  slots: number;
  avx2: boolean;
  gpu: boolean;
  datasets: string[];
  /** One-way latency to the network core (ms) and link rate (Mbit/s). */
  latencyMs: number;
  mbps: number;
  /** Background load: base + amp while a square wave of `periodMs` is high. */
  load: { base: number; amp: number; periodMs: number; phase: number };
  /** Mean time between failures, ms (Infinity: never fails). */
  mtbfMs: number;
  /**
   * Memory bandwidth per slot relative to the reference machine (hidden; only the
   * memory-bound family makes time depend on it). Independent of `speed`: a many-core
   * server shares its bandwidth among more cores than a desktop does.
   */
  memSpeed: number;
  /** What a hub measures of it at start (a streaming calibration), in half-octaves: 0 (a quarter) to 4 (4x), 2 the reference. */
  memTier: number;
}

/** A fragment of a real bundle, as weave build describes it. */
export interface FragmentTemplate {
  template: string;
  estimate: number;
  memoryBytes: number;
  simd: boolean;
  gpu: boolean;
  /** Reads one dataset (the job picks which), `dataBytes` of it. */
  data: boolean;
  dataBytes: number;
  requires: Capability[];
}

/** A program: its fragments in the order a job runs them (loops repeated). */
export interface Program { name: string; fragments: FragmentTemplate[] }

export interface ClusterOptions {
  hubs: number;
  seed?: number;
  datasets?: number;
  /** Share of hubs with AVX2 and with a GPU. */
  avx2Share?: number;
  gpuShare?: number;
  /** Mean time between failures per hub, ms. @default 20 minutes */
  mtbfMs?: number;
}

/** Memory bandwidth per slot, relative (see SimHub.memSpeed). */
const MEM_SPEEDS = [0.5, 0.75, 1, 1.5, 2];

/** A measured memory bandwidth (relative) as a tier: half-octaves from a quarter (0) to 4x (4). */
export function memTierOf(memSpeed: number): number {
  return Math.max(0, Math.min(4, Math.round(2 * Math.log2(memSpeed)) + 2));
}

/** Seeded uniform [0, 1), shared with the policies so runs repeat exactly. */
export const rng = uniform;

export function makeCluster(opts: ClusterOptions): { hubs: SimHub[]; datasets: string[] } {
  const r = rng(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const datasets = Array.from({ length: opts.datasets ?? 8 }, (_, i) => `ds${i}`);
  const hubs: SimHub[] = Array.from({ length: opts.hubs }, (_, i) => ({
    id: `h${i}`,
    speed: pick([0.5, 0.75, 1, 1, 1.5, 2]),
    slots: pick([1, 2, 2, 4]),
    avx2: r() < (opts.avx2Share ?? 0.6),
    gpu: r() < (opts.gpuShare ?? 0.15),
    datasets: [],
    latencyMs: pick([0.2, 0.5, 1, 2, 5]),
    mbps: pick([100, 1000, 1000, 10000]),
    load: { base: r() * 0.4, amp: r() < 0.5 ? r() * 2 : 0, periodMs: 20_000 + r() * 100_000, phase: r() },
    mtbfMs: opts.mtbfMs ?? 20 * 60_000,
    memSpeed: 1,
    memTier: 2,
  }));
  // Memory bandwidth from a stream of its own, so adding it changed no other hub property.
  const rm = rng((opts.seed ?? 1) + 0x51ed);
  for (const h of hubs) {
    h.memSpeed = MEM_SPEEDS[Math.floor(rm() * MEM_SPEEDS.length)];
    h.memTier = memTierOf(h.memSpeed);
  }
  // Each dataset on two or three hubs.
  for (const d of datasets) {
    const copies = 2 + Math.floor(r() * 2);
    for (let c = 0; c < copies; c++) {
      const h = pick(hubs);
      if (!h.datasets.includes(d)) h.datasets.push(d);
    }
  }
  return { hubs, datasets };
}

/** The hub's background load at time t (ms). */
export function loadAt(h: SimHub, t: number): number {
  const phase = (t / h.load.periodMs + h.load.phase) % 1;
  return h.load.base + (phase < 0.5 ? h.load.amp : 0);
}

/** Time to move `bytes` between two hubs (or from the engine: `from` undefined). */
export function linkMs(bytes: number, from: SimHub | undefined, to: SimHub): number {
  if (bytes === 0 || from === to) return 0;
  const lat = (from ? from.latencyMs : 0.2) + to.latencyMs;
  const mbps = Math.min(from ? from.mbps : 10_000, to.mbps);
  return 2 * lat + (bytes * 8) / (mbps * 1000);
}

/** Local dataset reads: from the page cache / local disk, 2 GB/s. */
export const LOCAL_READ_BYTES_PER_MS = 2e6;
