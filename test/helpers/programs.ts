/**
 * Test programs and their reference results: cases from test/programs/cases.json, built
 * woven (cached per file and options) and plain (asc -O3, the reference), run locally.
 *   const c = cases()[0]; const ref = await plainResult(c, c.small);
 *   const bundle = await woven(c.file, { yieldInterval: 1 });
 */
import { readFileSync } from 'node:fs';
import { type AsRuntime, type Granularity } from '../../fragments/index.js';
import { createHash } from 'node:crypto';
import { cachedBundle, cachedPlain, cachedValue } from './build-cache.js';
import { loadBundle, FragmentExecutor, type ArgValue, type LoadedBundle, type RunOptions } from '../../runtime/exec/index.js';
import { encodeCheckpoint, decodeCheckpoint, diffCheckpoint, applyDiff, newCheckpointId, type Checkpoint } from '../../runtime/snapshot/index.js';

export interface Case {
  file: string;
  entry: string;
  small: Array<number | string>;
  large: Array<number | string>;
  types: string[];
  result: string;
  traps?: boolean;
}

export function cases(): Case[] {
  return JSON.parse(readFileSync('test/programs/cases.json', 'utf8'));
}

export function args(c: Case, raw: Array<number | string>): Array<number | bigint> {
  return raw.map((a, i) => (c.types[i] === 'i64' ? BigInt(a) : Number(a)));
}

const builds = new Map<string, Promise<LoadedBundle>>();
/** The woven build of `file` (built once per option set across the suite: build-cache.ts). */
export function woven(file: string, opts: { yieldInterval?: number; granularity?: Granularity; runtime?: AsRuntime } = {}): Promise<LoadedBundle> {
  const key = JSON.stringify([file, opts]);
  let p = builds.get(key);
  if (!p) {
    p = cachedBundle(file, opts).then((b) => loadBundle(b));
    builds.set(key, p);
  }
  return p;
}

const plains = new Map<string, Promise<WebAssembly.Module>>();
/**
 * The reference: the plain asc -O3 build's return value, as bytes (little-endian). Kept
 * per binary, entry and input (build-cache.ts): the long jobs of the mesh tests would
 * otherwise each spend as long again computing it.
 */
export async function plainResult(c: Case, raw: Array<number | string>, runtime: AsRuntime = 'incremental'): Promise<Uint8Array> {
  const binary = await cachedPlain(c.file, runtime);
  const key = JSON.stringify([createHash('sha256').update(binary).digest('hex'), c.entry, c.types, c.result, raw]);
  return cachedValue(key, async () => {
    const pk = `${c.file}:${runtime}`;
    let p = plains.get(pk);
    if (!p) {
      p = WebAssembly.compile(binary as Uint8Array<ArrayBuffer>);
      plains.set(pk, p);
    }
    const inst = await WebAssembly.instantiate(await p, {
      env: { abort: () => { throw new Error('abort'); }, seed: () => 0x5eed, trace: () => {} },
    });
    const v = (inst.exports[c.entry] as Function)(...args(c, raw));
    return valueBytes(c.result, v);
  });
}

export function valueBytes(type: string, v: number | bigint): Uint8Array {
  const b = new Uint8Array(type === 'i64' || type === 'f64' ? 8 : 4);
  const view = new DataView(b.buffer);
  if (type === 'i32') view.setInt32(0, v as number, true);
  else if (type === 'i64') view.setBigInt64(0, v as bigint, true);
  else if (type === 'f32') view.setFloat32(0, v as number, true);
  else view.setFloat64(0, v as number, true);
  return b;
}

export interface RunReport {
  result: Uint8Array;
  yields: number;
  restores: number;
}

/**
 * Run a job in this thread. `pauseAt(n)` chooses the yield points at which the state is
 * captured, sent through the codec (alternating full and diff) and restored into a fresh
 * instance of the fragment's own pruned module; fragment boundaries always are.
 */
export async function runLocally(b: LoadedBundle, entry: string, a: ArgValue[], opts: { pauseAt?: (n: number) => boolean; fuel?: number; restoreAtBoundaries?: boolean } = {}): Promise<RunReport> {
  const info = b.manifest.entries.find((e) => e.name === entry)!;
  let x = await FragmentExecutor.create(await b.whole(), b.manifest, { fuel: opts.fuel });
  x.start(entry, a);
  let id = info.fragments[0];
  let restores = 0;
  let last: Checkpoint | undefined;
  const run: RunOptions = opts.pauseAt ? { pauseAtYield: opts.pauseAt } : {};
  for (;;) {
    const o = x.run(id, run);
    if (o.kind === 'done') return { result: x.result(entry).bytes, yields: x.yields, restores };
    id = o.kind === 'paused' ? o.fragment : o.next;
    // A pruned module holds only its own fragment: once restored into one, every boundary moves.
    if (o.kind === 'next' && !opts.restoreAtBoundaries && restores === 0) continue;
    const cp = x.capture({ id: newCheckpointId(), bundle: b.hash, entry, fragment: id, paused: o.kind === 'paused' });
    // Every other hop goes as a diff against the previous checkpoint.
    const wire = last && restores % 2 ? diffCheckpoint(last, cp) : cp;
    const decoded = decodeCheckpoint(encodeCheckpoint(wire));
    const restored = decoded.kind === 'diff' ? applyDiff(last!, decoded) : decoded;
    last = restored;
    x = await FragmentExecutor.create(await b.fragmentModule(id), b.manifest, { fuel: opts.fuel });
    x.restore(restored);
    restores++;
  }
}

/** Small deterministic PRNG (mulberry32) so "random points" are the same on every run. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integers in [0, bound) from `prng(seed)`: a failing seed replays. */
export function prngBelow(seed: number): (bound: number) => number {
  const next = prng(seed);
  return (bound) => Math.floor(next() * bound);
}

/**
 * The yield interval the mesh and cli tests build each example with: about a hundred
 * yield points on its small input, so migrating at each crosses hubs about a hundred
 * times. wordfreq spends most of its work in the standard library, which fuel counts
 * (its small input passes 1,236 yield points at 50, and 1,236 migrations cost those
 * tests about 20 s of CPU).
 */
export const SMALL_RUN_INTERVAL: Record<string, number> = { matmul: 50, particles: 50, wordfreq: 600 };
