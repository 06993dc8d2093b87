/**
 * Benchmark: `weave build` of each example against `asc -O3` alone on the same file, side
 * by side in one process (both loaded and warmed before either is timed). Prints per
 * example the ratio of weave build (asc with weave's options, then the fragmenter) to plain
 * asc, each side's median round (5 by default), and the fragmenter's stages (means); the
 * last line is the summary.
 *   node dist/bench/build.js [--rounds N]
 *   bench build: geomean=… max=… particles=… matmul=… wordfreq=… rounds=…
 */
import path from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileProgram, weaveBinary } from '../fragments/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = ['particles', 'matmul', 'wordfreq', 'simd', 'gpu', 'data'];
const roundsFlag = process.argv.indexOf('--rounds');
const ROUNDS = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** CPU time of this process, ms: less disturbed by other work on a busy machine than wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function plainAsc(file: string): Promise<void> {
  const asc = (await import('assemblyscript/asc')).default;
  // The project's asconfig.json would add every example; the examples import "weave" from lib/.
  const r = await asc.main([file, '--config', '.no-asconfig.json', '--path', path.join(ROOT, 'lib'), '--outFile', 'out.wasm', '--optimizeLevel', '3', '--shrinkLevel', '0', '--noColors'], {
    writeFile: () => {}, stdout: asc.createMemoryStream(), stderr: asc.createMemoryStream(),
  } as never);
  if (r.error) throw r.error;
}

async function weaveBuild(file: string, stages: Map<string, number>): Promise<void> {
  const t = cpuMs();
  const c = await compileProgram([file]);
  stages.set('asc', (stages.get('asc') ?? 0) + cpuMs() - t);
  weaveBinary(c.binary, { signatures: c.signatures, source: file, onStage: (s, ms) => stages.set(s, (stages.get(s) ?? 0) + ms) });
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  // Load and warm both sides before timing: asc, and weave's passes and Binaryen (whose
  // first build in a process paid for JIT warm-up that a `weave build` pays once too,
  // but that fell on whichever example came first).
  await plainAsc(path.join('examples', 'matmul.ts'));
  await weaveBuild(path.join('examples', 'matmul.ts'), new Map());
  const ratios: Record<string, number> = {};
  const rows: unknown[] = [];
  for (const name of EXAMPLES) {
    const file = path.join('examples', `${name}.ts`);
    const ascTimes: number[] = [];
    const wovenTimes: number[] = [];
    const stages = new Map<string, number>();
    // Interleaved, so a burst of load elsewhere hits both sides alike; each side's median
    // round, so that one burst (a collection, another process) does not decide the ratio.
    for (let r = 0; r < ROUNDS; r++) {
      let t = cpuMs();
      await plainAsc(file);
      ascTimes.push(cpuMs() - t);
      t = cpuMs();
      await weaveBuild(file, stages);
      wovenTimes.push(cpuMs() - t);
    }
    // Each side's median round; the stages are means over the rounds.
    const asc = Math.round(median(ascTimes));
    const woven = Math.round(median(wovenTimes));
    ratios[name] = median(wovenTimes) / median(ascTimes);
    const stageMeans = [...stages].map(([s, ms]) => [s, Math.round(ms / ROUNDS)] as const);
    const stageText = stageMeans.map(([s, ms]) => `${s}=${ms}`).join(' ');
    process.stderr.write(`${name}: asc ${asc} ms, weave build ${woven} ms (cpu), ratio ${ratios[name].toFixed(3)}; fragmenter ${stageText}\n`);
    rows.push({ name, ascMs: asc, weaveMs: woven, ratio: ratios[name], stages: Object.fromEntries(stageMeans) });
  }
  const values = Object.values(ratios);
  const geomean = Math.exp(values.reduce((a, r) => a + Math.log(r), 0) / values.length);
  mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  writeFileSync(path.join(ROOT, 'build', 'bench-build.json'), JSON.stringify({ rounds: ROUNDS, geomean, rows }, null, 2));
  const parts = Object.entries(ratios).map(([n, r]) => `${n}=${r.toFixed(3)}`).join(' ');
  process.stdout.write(`bench build: geomean=${geomean.toFixed(3)} max=${Math.max(...values).toFixed(3)} ${parts} rounds=${ROUNDS}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench build: ${err instanceof Error ? err.stack : err}\n`);
  process.exitCode = 1;
});
