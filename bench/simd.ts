/**
 * The `simd` host kernels against the same kernels compiled to Wasm: for each kernel, the
 * host's path (the AVX2 addon, or the TypeScript reference when there is none) against the
 * AssemblyScript versions in bench/programs/simd-kernels.ts, plain scalar Wasm and Wasm SIMD
 * (v128), all in this process on the same bytes of one WebAssembly.Memory.
 *
 * First every Wasm version is checked against the host on small odd sizes with special
 * values (NaN, ±Inf, -0, subnormals), then on the timed data; all must give identical
 * bytes. Each variant is warmed up, then the variants alternate for R rounds and the
 * medians are compared. speedup = the faster Wasm version's time / the host's time.
 *
 *   npm run bench:simd                      # build, then 7 rounds
 *   node dist/bench/simd.js --quick         # 3 rounds
 *   WEAVE_NO_NATIVE=1 node dist/bench/simd.js   # the scalar fallback instead of AVX2
 * The last line is `bench simd: matmul512_speedup=… dot_speedup=… axpy_speedup=…` (f32,
 * matmul 512 x 512 x 512, dot and axpy over 2^20 elements); all figures also go to
 * build/bench-simd.json. Exits 1 when a Wasm version disagrees with the host.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { prng, simdKernels, type SimdKernels } from '../runtime/host/native.js';
import { median } from './stats.js';

const DEFAULT_ROUNDS = 7;
const QUICK_ROUNDS = 3;
const WARMUP_RUNS = 2;
/** Elements of the dot, sum and axpy inputs. */
const VECTOR_N = 1 << 20;
/** matmul is MATMUL_N x MATMUL_N times MATMUL_N x MATMUL_N. */
const MATMUL_N = 512;
/** Repository root: this file runs from dist/bench/. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROGRAM = path.join(ROOT, 'bench', 'programs', 'simd-kernels.ts');
const RESULTS_FILE = path.join(ROOT, 'build', 'bench-simd.json');

type Elem = 'f32' | 'f64';
type Op = 'dot' | 'sum' | 'axpy' | 'matmul';
type KernelName = keyof SimdKernels;
type WasmFn = (...args: number[]) => number | undefined;

interface Layout { x: number; y: number; a: number; b: number; c: number; end: number }

interface Result {
  kernel: KernelName;
  size: string;
  hostMs: number;
  asScalarMs: number;
  asSimdMs: number;
  speedup: number;
}


/** asc with Wasm SIMD enabled, through its API (no temp files); throws with the diagnostics. */
async function compileKernels(): Promise<Uint8Array> {
  const asc = (await import('assemblyscript/asc')).default;
  let binary: Uint8Array | undefined;
  const errors: string[] = [];
  const result = await asc.main([
    path.relative(process.cwd(), PROGRAM), '--outFile', 'out.wasm', '--optimizeLevel', '3', '--shrinkLevel', '0',
    '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--noColors',
  ], {
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
    reportDiagnostic: (d: { message: string; category: number; range: { start: number; source: { normalizedPath: string } } | null }) => {
      // Category 3 is ERROR in asc's DiagnosticCategory.
      if (d.category === 3) errors.push(`${d.range ? d.range.source.normalizedPath : PROGRAM}: error: ${d.message}`);
    },
  } as never);
  if (errors.length) throw new Error(errors.join('\n'));
  if (result.error) throw result.error;
  if (!binary) throw new Error(`${PROGRAM}: asc produced no binary`);
  return binary;
}


/** Ordinary values in [-1, 1), or with `special` about one in eight NaN/±Inf/±0/subnormal. */
function fill(mem: ArrayBuffer, off: number, count: number, elem: Elem, seed: number, special = false): void {
  const rand = prng(seed);
  const dv = new DataView(mem, off, count * (elem === 'f32' ? 4 : 8));
  for (let i = 0; i < count; i++) {
    const r = rand();
    const kind = special ? r & 7 : 7;
    const v = [NaN, -Infinity, Infinity, -0, elem === 'f32' ? 1e-40 : 1e-310, -(elem === 'f32' ? 1e-41 : 1e-320)][kind]
      ?? (r / 2 ** 31 - 1);
    if (elem === 'f32') dv.setFloat32(4 * i, v, true);
    else dv.setFloat64(8 * i, v, true);
  }
}

/** The bytes a kernel may write (y for axpy, c for matmul), for comparing runs. */
function written(mem: ArrayBuffer, op: Op, elem: Elem, L: Layout, n: number, m = 0): Uint8Array {
  const size = elem === 'f32' ? 4 : 8;
  if (op === 'axpy') return new Uint8Array(mem, L.y, n * size).slice();
  if (op === 'matmul') return new Uint8Array(mem, L.c, m * n * size).slice();
  return new Uint8Array(0);
}

function sameBits(a: unknown, b: unknown): boolean {
  return Object.is(a, b);
}

class SimdBench {
  private mismatches: string[] = [];
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly host: SimdKernels,
    private readonly wasm: Record<string, WasmFn>,
    private readonly L: Layout,
  ) {}

  private get mem(): ArrayBuffer { return this.memory.buffer; }

  /** The three variants of one kernel as closures over the layout. */
  variants(op: Op, elem: Elem, n: number): Array<{ name: string; run: () => unknown }> {
    const { L, host } = this;
    const suffix = elem === 'f32' ? 'F32' : 'F64';
    const kernel = `${op}${suffix}` as KernelName;
    const args = op === 'dot' ? [L.x, L.y, n] : op === 'sum' ? [L.x, n] : op === 'axpy' ? [0.5, L.x, L.y, n] : [L.a, L.b, L.c, n, n, n];
    const hostFn = host[kernel] as (mem: ArrayBuffer, ...a: number[]) => unknown;
    const scalar = this.wasm[`${kernel}Scalar`];
    const simd = this.wasm[`${kernel}Simd`];
    return [
      { name: 'host', run: () => hostFn(this.mem, ...args) },
      { name: 'AS scalar', run: () => scalar(...args) },
      { name: 'AS v128', run: () => simd(...args) },
    ];
  }

  /** Resets the inputs, runs each variant once and reports any that differs from the host. */
  check(op: Op, elem: Elem, n: number, label: string, init: () => void, extra?: { m: number; k: number; variants: Array<{ name: string; run: () => unknown }> }): void {
    const vs = extra?.variants ?? this.variants(op, elem, n);
    let want: { value: unknown; bytes: Uint8Array } | undefined;
    for (const v of vs) {
      init();
      const value = v.run();
      const bytes = written(this.mem, op, elem, this.L, n, extra?.m ?? n);
      if (!want) { want = { value, bytes }; continue; }
      if (!sameBits(value, want.value) || Buffer.compare(bytes, want.bytes) !== 0) {
        let at = -1;
        for (let i = 0; i < bytes.length; i++) if (bytes[i] !== want.bytes[i]) { at = i; break; }
        this.mismatches.push(`MISMATCH ${op}${elem.toUpperCase()} ${label}: ${v.name} differs from host` +
          (at >= 0 ? ` (first differing byte ${at})` : ` (returned ${String(value)}, host ${String(want.value)})`));
      }
    }
  }

  /** Small, odd sizes with special values: the exact order, tails and NaN handling. */
  verifySmall(): void {
    const { L } = this;
    for (const elem of ['f32', 'f64'] as const) {
      const size = elem === 'f32' ? 4 : 8;
      const sizes = [...Array.from({ length: 41 }, (_, i) => i), 63, 100, 1001];
      for (const n of sizes) {
        for (const special of [true, false]) {
          const init = () => {
            fill(this.mem, L.x, n, elem, 1000 + n, special);
            fill(this.mem, L.y, n, elem, 2000 + n, special);
          };
          for (const op of ['dot', 'sum', 'axpy'] as const) this.check(op, elem, n, `n=${n}${special ? ' with specials' : ''}`, init);
        }
      }
      const suffix = elem === 'f32' ? 'F32' : 'F64';
      for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [4, 8, 3], [5, 9, 4], [7, 13, 11], [9, 1, 2], [4, 4, 0], [5, 9, 0], [8, 24, 40], [5, 19, 300], [6, 16, 513]]) {
        const args = [L.a, L.b, L.c, m, n, k];
        const hostFn = this.host[`matmul${suffix}`];
        const variants = [
          { name: 'host', run: () => hostFn(this.mem, L.a, L.b, L.c, m, n, k) },
          { name: 'AS scalar', run: () => this.wasm[`matmul${suffix}Scalar`](...args) },
          { name: 'AS v128', run: () => this.wasm[`matmul${suffix}Simd`](...args) },
        ];
        const init = () => {
          fill(this.mem, L.a, m * k, elem, 3000 + m, true);
          fill(this.mem, L.b, k * n, elem, 4000 + n, true);
          new Uint8Array(this.mem, L.c, m * n * size).fill(0xa5);
        };
        this.check('matmul', elem, n, `${m}x${n}x${k}`, init, { m, k, variants });
      }
    }
  }

  /** Times one kernel: data filled once, each variant checked, warmed up and timed. */
  time(op: Op, elem: Elem, n: number, reps: number, rounds: number): Result {
    const { L } = this;
    const size = elem === 'f32' ? 4 : 8;
    const count = op === 'matmul' ? n * n : n;
    const inputs = op === 'matmul' ? [L.a, L.b] : [L.x, L.y];
    inputs.forEach((off, i) => fill(this.mem, off, count, elem, 17 + i));
    const y0 = op === 'axpy' ? new Uint8Array(this.mem, L.y, n * size).slice() : undefined;
    // axpy starts from the same y each round; matmul's c is scribbled over, so a variant
    // that left an element unwritten could not pass the check on another's result.
    const reset = () => {
      if (y0) new Uint8Array(this.mem, L.y, y0.length).set(y0);
      if (op === 'matmul') new Uint8Array(this.mem, L.c, n * n * size).fill(0xa5);
    };
    const label = op === 'matmul' ? `${n}^3` : `n=${n}`;
    this.check(op, elem, n, label, reset);

    const vs = this.variants(op, elem, n);
    for (const v of vs) for (let w = 0; w < WARMUP_RUNS; w++) { reset(); v.run(); }
    const samples = vs.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      vs.forEach((v, i) => {
        reset();
        const t0 = performance.now();
        for (let j = 0; j < reps; j++) v.run();
        samples[i].push((performance.now() - t0) / reps);
      });
    }
    const [hostMs, asScalarMs, asSimdMs] = samples.map(median);
    return {
      kernel: `${op}${elem === 'f32' ? 'F32' : 'F64'}` as KernelName,
      size: op === 'matmul' ? `${n}x${n}x${n}` : `${n}`,
      hostMs, asScalarMs, asSimdMs,
      speedup: Math.min(asScalarMs, asSimdMs) / hostMs,
    };
  }

  get problems(): string[] { return this.mismatches; }
}

async function main(): Promise<void> {
  const rounds = process.argv.includes('--quick') ? QUICK_ROUNDS : DEFAULT_ROUNDS;
  const selection = simdKernels();
  const hostLabel = selection.kind === 'avx2' ? 'host: native AVX2 addon' : `host: scalar TypeScript (${selection.reason})`;
  console.log(hostLabel);

  const module = await WebAssembly.compile((await compileKernels()) as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, { env: { abort() { throw new Error('abort'); } } });
  const exports = instance.exports as Record<string, unknown>;
  const memory = exports.memory as WebAssembly.Memory;
  const heapBase = (exports.heapBase as () => number)();

  // Arrays sized for f64; the f32 kernels use the first half of each.
  const align = (v: number) => Math.ceil(v / 64) * 64;
  const x = align(heapBase);
  const y = x + VECTOR_N * 8;
  const a = y + VECTOR_N * 8;
  const b = a + MATMUL_N * MATMUL_N * 8;
  const c = b + MATMUL_N * MATMUL_N * 8;
  const L: Layout = { x, y, a, b, c, end: c + MATMUL_N * MATMUL_N * 8 };
  const pages = Math.ceil(L.end / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);

  const bench = new SimdBench(memory, selection.kernels, exports as Record<string, WasmFn>, L);
  bench.verifySmall();

  const results: Result[] = [];
  for (const elem of ['f32', 'f64'] as const) {
    results.push(bench.time('matmul', elem, MATMUL_N, 1, rounds));
    for (const op of ['dot', 'sum', 'axpy'] as const) results.push(bench.time(op, elem, VECTOR_N, 20, rounds));
  }

  for (const p of bench.problems) console.log(p);
  const hostCol = selection.kind === 'avx2' ? 'native AVX2' : 'host scalar';
  const header = ['kernel', 'size', hostCol, 'AS scalar', 'AS v128', 'speedup'];
  const rows = results.map((r) => [r.kernel, r.size, `${r.hostMs.toFixed(3)} ms`, `${r.asScalarMs.toFixed(3)} ms`, `${r.asSimdMs.toFixed(3)} ms`, `${r.speedup.toFixed(2)}x`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((s, i) => (i < 2 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const mm = results.find((r) => r.kernel === 'matmulF32')!;
  const gflops = (2 * MATMUL_N ** 3) / (mm.hostMs * 1e6);
  console.log(`(median of ${rounds} rounds; speedup = faster AS version / host; matmulF32 host ${gflops.toFixed(1)} GFLOP/s)`);

  const speedup = (k: KernelName) => results.find((r) => r.kernel === k)!.speedup;
  const summary = { matmul512_speedup: speedup('matmulF32'), dot_speedup: speedup('dotF32'), axpy_speedup: speedup('axpyF32') };
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, JSON.stringify({
    host: selection.kind, reason: selection.reason, rounds, goal: { matmul512_speedup: 2 },
    ...summary, mismatches: bench.problems, kernels: results,
  }, null, 2) + '\n');
  if (bench.problems.length) process.exitCode = 1;
  console.log(`bench simd: matmul512_speedup=${summary.matmul512_speedup.toFixed(2)} dot_speedup=${summary.dot_speedup.toFixed(2)} axpy_speedup=${summary.axpy_speedup.toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(`bench simd failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
