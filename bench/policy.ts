/**
 * Placement policies on the cluster simulator's standard mixed workload: 64 hubs that
 * differ in speed, slots, AVX2 (60%), GPU (15%), links and datasets (8, two or three
 * copies each), with background load that switches on and off and hubs that fail; jobs
 * made of the fragments of the six examples as `weave build` describes them (costs, host
 * calls, memory), arriving every 20 ms on average: a load the cost model sustains with
 * flat completion times (at 15 ms mean job time more than doubles for every policy, the
 * oracle's too, and the comparison becomes one of how fast each falls behind).
 *
 * Every baseline, the learned scorer (alone and with its holdback), and the oracle run the
 * same jobs. The oracle knows every true duration and every queue's true contents; it is
 * the best of a few such schedulers (greedy earliest completion, and earliest completion
 * that also charges a fragment which would queue for the time it holds the hub). Beside
 * it, a proven lower bound (each job alone on the cluster). Mean job completion time
 * counts jobs after the first third (warm-up).
 * Also: decision latency of the learned scorer with 1,000 candidate hubs, and a run of
 * 1,000 hubs and 100,000 fragment placements (--quick: 10,000).
 *   npm run bench:policy          # or: node dist/bench/policy.js --quick
 * Writes build/bench-policy.json and build/bench-policy.svg (completion time against
 * decisions, every policy). Last line:
 *   bench policy: learned=… best_heuristic=… oracle=… decisions=… (ms)
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../fragments/index.js';
import type { Manifest } from '../fragments/abi.js';
import { BASELINES, LearnedPolicy, costModelPolicy, formatDecision, withHoldback, type HubView, type PlacementPolicy } from '../runtime/policy/index.js';
import { ORACLE, makeCluster, programsFromManifest, simulate, type SimResult } from '../runtime/sim/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');
const EXAMPLES = ['matmul', 'particles', 'wordfreq', 'simd', 'gpu', 'data'];
const MANIFESTS = path.join(ROOT, 'build', 'bench-policy-manifests.json');
/** The oracle's weights on the run time of a fragment that would queue; 0 is greedy. */
const ORACLE_EXTERNALITIES = [0, 1, 2, 3];

/** The examples' manifests (built once, then cached: building takes seconds each). */
async function manifests(): Promise<Record<string, Manifest>> {
  if (existsSync(MANIFESTS)) return JSON.parse(await readFile(MANIFESTS, 'utf8')) as Record<string, Manifest>;
  const out: Record<string, Manifest> = {};
  for (const name of EXAMPLES) {
    const { manifest } = await buildBundle(path.join(ROOT, 'examples', `${name}.ts`), {});
    out[name] = { ...manifest, modules: [] };
  }
  await mkdir(path.dirname(MANIFESTS), { recursive: true });
  await writeFile(MANIFESTS, JSON.stringify(out));
  return out;
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Completion time (moving mean over `window` jobs) against decisions, one line per policy. */
function chart(results: SimResult[], window: number): string {
  const W = 900, H = 480, L = 70, R = 170, T = 30, B = 50;
  const series = results.map((r) => {
    const pts: Array<[number, number]> = [];
    let sum = 0;
    r.completions.forEach((c, i) => {
      sum += c.ms;
      if (i >= window) sum -= r.completions[i - window].ms;
      if (i >= window - 1 && i % 10 === 0) pts.push([c.decision, sum / window / 1000]);
    });
    return { name: r.policy, pts };
  });
  // Scaled to the policies worth comparing; the others run off the top (their means are
  // in the table), and 'stay' replaces so often after failures that it makes more decisions.
  const close = series.filter((s) => ['cost-model', 'learned', 'learned+holdback', ORACLE].includes(s.name));
  const xMax = Math.max(...close.flatMap((s) => s.pts.map((p) => p[0])));
  const yMax = pct(close.flatMap((s) => s.pts.map((p) => p[1])), 0.99) * 1.5;
  const x = (v: number) => L + (v / xMax) * (W - L - R);
  const y = (v: number) => T + (1 - Math.min(v, yMax) / yMax) * (H - T - B);
  const colors = ['#888', '#bbb', '#999', '#e69f00', '#0072b2', '#d55e00', '#cc79a7', '#009e73'];
  const lines = series.map((s, i) => `<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="${s.name.startsWith('learned') || s.name === ORACLE ? 2 : 1.2}" points="${s.pts.filter(([a]) => a <= xMax).map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`
    + `<text x="${W - R + 10}" y="${T + 18 * i + 10}" fill="${colors[i % colors.length]}" font-size="13">${s.name}</text>`);
  const ticks = Array.from({ length: 6 }, (_, i) => (yMax * i) / 5).map((v) => `<text x="${L - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(1)}</text><line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
  const xt = Array.from({ length: 6 }, (_, i) => (xMax * i) / 5).map((v) => `<text x="${x(v)}" y="${H - B + 18}" text-anchor="middle" font-size="11">${Math.round(v)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${L}" y="18" font-size="14">Job completion time (s, mean of ${window} jobs) against placement decisions</text>
${ticks.join('\n')}
${xt.join('\n')}
<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle" font-size="12">decisions</text>
<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>
${lines.join('\n')}
</svg>
`;
}

/** p50 and p99 of one learned decision among `n` candidate hubs, µs. */
function decisionLatency(n: number, learned: LearnedPolicy): { p50: number; p99: number } {
  const hubs: HubView[] = Array.from({ length: n }, (_, i) => ({
    id: `h${i}`, slots: 1 + (i % 4), busy: i % 3, queue: i % 5, cpu: (i % 7) / 7, speed: 0.5 + (i % 4) / 2,
    caps: { avx2: i % 2 === 0, gpu: i % 9 === 0 }, datasets: i % 11 ? [] : ['ds1'], rttMs: 0.5 + (i % 5), mbps: i % 3 ? 1000 : 10000,
    // What the simulator's hubs advertise too: views of one shape, as in a real mesh.
    queuedWork: (i % 5) * 200, runningWork: (i % 3) * 100, linkMbps: i % 3 ? 1000 : 10000,
  }));
  const f = { template: 'simd#7', estimate: 8000, measuredMs: 300, stateBytes: 1 << 20, calls: { simd: true, gpu: false }, requires: [], datasets: [{ name: 'ds1', bytes: 64 << 20 }], at: 'h3' };
  const us: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    learned.choose(f, hubs);
    if (i >= 50) us.push((performance.now() - t0) * 1000);
  }
  return { p50: pct(us, 0.5), p99: pct(us, 0.99) };
}

async function main(): Promise<void> {
  const m = await manifests();
  await mkdir(path.join(ROOT, 'build'), { recursive: true });
  const programs = Object.entries(m).map(([name, man]) => programsFromManifest(man, name));
  const jobs = quick ? 1200 : 3000;
  const warm = Math.floor(jobs / 3);
  const cluster = makeCluster({ hubs: 64, seed: 3 });
  const opts = { cluster, programs, jobs, interarrivalMs: 20, seed: 5 };
  const policies: Array<[string, () => PlacementPolicy | typeof ORACLE]> = [
    ...Object.entries(BASELINES).map(([n, mk]) => [n, () => mk()] as [string, () => PlacementPolicy]),
    ['learned', () => new LearnedPolicy({ seed: 1 })],
    ['learned+holdback', () => withHoldback(new LearnedPolicy({ seed: 1 }), costModelPolicy())],
  ];
  const results: SimResult[] = [];
  const means: Record<string, number> = {};
  let learnedForLatency: LearnedPolicy | undefined;
  console.log(`standard mixed workload: 64 hubs, ${jobs} jobs (${programs.length} programs from the examples), warm-up ${warm} jobs`);
  for (const [name, make] of policies) {
    const p = make();
    if (p instanceof LearnedPolicy) learnedForLatency = p;
    // The cost model's placements, as a decision log for `weave policy train|eval`.
    const log = name === 'cost-model' ? createWriteStream(path.join(ROOT, 'build', 'policy-decisions.ndjson')) : undefined;
    const r = simulate(p, { ...opts, onOutcome: log && ((rec) => log.write(formatDecision(rec))) });
    if (log) await new Promise((done) => log.end(done));
    r.policy = name;
    results.push(r);
    means[name] = r.meanJobMsAfter(warm);
    console.log(`  ${name.padEnd(18)} mean job ${means[name].toFixed(0).padStart(9)} ms   decisions ${r.decisions}   restarts ${r.restarts}   (${(r.wallMs / 1000).toFixed(1)} s)`);
  }
  // The oracle: the best of a few full-knowledge schedulers (see oracleCost in
  // runtime/sim/simulate.ts), reported as one line; the lower bound beside it.
  let oracle: SimResult | undefined;
  for (const externality of ORACLE_EXTERNALITIES) {
    const r = simulate(ORACLE, { ...opts, oracleExternality: externality });
    const ms = r.meanJobMsAfter(warm);
    console.log(`  ${`oracle (x${externality})`.padEnd(18)} mean job ${ms.toFixed(0).padStart(9)} ms   decisions ${r.decisions}   restarts ${r.restarts}   (${(r.wallMs / 1000).toFixed(1)} s)`);
    if (!oracle || ms < means[ORACLE]) { oracle = r; means[ORACLE] = ms; }
  }
  oracle!.policy = ORACLE;
  results.push(oracle!);
  const bound = oracle!.lowerBoundMsAfter(warm);
  console.log(`  ${'lower bound'.padEnd(18)} mean job ${bound.toFixed(0).padStart(9)} ms   (each job alone on the cluster, best hub per fragment)`);
  const heuristics = Object.keys(BASELINES);
  const best = heuristics.reduce((a, b) => (means[a] <= means[b] ? a : b));
  const learned = means.learned;
  console.log(`  learned vs best heuristic (${best}): ${(100 * (1 - learned / means[best])).toFixed(1)}% shorter; vs oracle: ${(100 * (learned / means[ORACLE] - 1)).toFixed(1)}%; oracle vs best heuristic: ${(100 * (1 - means[ORACLE] / means[best])).toFixed(1)}% shorter`);

  const lat = decisionLatency(1000, learnedForLatency!);
  console.log(`decision latency, 1,000 candidate hubs: p50 ${(lat.p50 / 1000).toFixed(3)} ms, p99 ${(lat.p99 / 1000).toFixed(3)} ms`);

  // Scale: 1,000 hubs, about 100,000 placements (each job places about 7 fragments).
  const scaleJobs = quick ? 1_500 : 14_500;
  const big = simulate(new LearnedPolicy({ seed: 2 }), { cluster: makeCluster({ hubs: 1000, seed: 4, datasets: 64 }), programs, jobs: scaleJobs, interarrivalMs: 1.3, seed: 6 });
  console.log(`scale: 1,000 hubs, ${big.decisions} placements by the learned policy in ${(big.wallMs / 1000).toFixed(1)} s`);

  await mkdir(path.join(ROOT, 'build'), { recursive: true });
  await writeFile(path.join(ROOT, 'build', 'bench-policy.svg'), chart(results, quick ? 50 : 100));
  const summary = {
    learned, best_heuristic: means[best], best_heuristic_name: best, oracle: means[ORACLE], decisions: results.find((r) => r.policy === 'learned')!.decisions,
    lower_bound: bound, latency_p50_ms: lat.p50 / 1000, scale_decisions: big.decisions, scale_s: big.wallMs / 1000, means,
  };
  await writeFile(path.join(ROOT, 'build', 'bench-policy.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log('chart: build/bench-policy.svg');
  console.log(`bench policy: learned=${learned.toFixed(0)} best_heuristic=${means[best].toFixed(0)} oracle=${means[ORACLE].toFixed(0)} decisions=${summary.decisions}`);
}

main().catch((err: unknown) => {
  console.error(`bench policy failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
