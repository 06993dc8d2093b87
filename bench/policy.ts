/**
 * Placement and re-weaving policies on the cluster simulator, per workload family
 * (runtime/sim/families.ts): (a) accelerators whose gain differs by program and call
 * size, (b) noisy neighbours no advert shows, (c) memory-bound against compute-bound
 * work, (d) drift mid-run, and (e) the standard workload, where the cost model is about
 * right. Each family: 64 hubs (speed, slots, AVX2, GPU, links, datasets differ), jobs made
 * of the six examples' fragments as `weave build` describes them, arriving every 20 ms
 * on average, run as a NATS mesh runs them (a job starts where it is placed and stays
 * unless its holder moves it), hubs failing now and then.
 *
 * Every baseline (stay, random, round-robin, least-loaded, cost-model, and the cost model
 * with the fixed re-weave rule), the learned weaver, and the oracle run the same jobs. The
 * oracle knows every true duration, rate and queue; at scale it is the best of a few such
 * schedulers (earliest completion charging a queued job 1, 2 or 3 runs, or 2.5 per unit of
 * the cluster's load; with 2 and by load, also moving a job when that saves half its
 * time). Beside it, a proven lower bound (each job alone).
 * On small instances (5 hubs, 16 jobs) an exact branch and bound gives the optimum
 * without moves. Mean job completion counts jobs after the first third (warm-up).
 * Also: the learned weaver's decision latency with 1,000 candidate hubs.
 *   npm run bench:policy          # or: node dist/bench/policy.js --quick [--judge] [--noisy-windows] [--seeds N]
 * A cluster, a world and a job stream are one draw each: `--seeds N` also runs every
 * family on N - 1 more draws (the learned weaver, the baselines and the oracle; no charts,
 * logs or small instances) and prints the three figures over the mean of all N per family
 * (`bench policy seeds: …`), before the last line, which stays that of the first draw.
 * Writes build/bench-policy.json, build/bench-policy-<family>.svg (completion time against
 * decisions, every policy), build/policy-decisions.ndjson (the cost model's placements on
 * (e), for `weave policy train|eval`) and build/policy-measurements.ndjson (the learned
 * run's measurements on (e)). Last line:
 *   bench policy: families=… worst_gain=… worst_oracle_gap=… right_family_loss=… decisions=…
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../fragments/index.js';
import type { Manifest } from '../fragments/abi.js';
import {
  BASELINES, LearnedWeaver, PaceHistory, costModelPolicy, paceHalfLife, fixedReweavePolicy, formatDecision, formatMeasurement, type FragmentView, type HubView, type PlacementPolicy, type RunView,
} from '../runtime/policy/index.js';
import {
  BUSY_MACHINE, FAMILIES, ORACLE, exactSchedule, makeCluster, makeInstance, programsFromManifest, simulate, type Family, type OracleExternality, type Program, type SimOptions, type SimResult,
} from '../runtime/sim/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = path.join(ROOT, 'build');
const quick = process.argv.includes('--quick');
const SEEDS = seedsArg();

/** `--seeds N` (default 1): how many draws of cluster, world and jobs each family runs on. */
function seedsArg(): number {
  const at = process.argv.indexOf('--seeds');
  if (at < 0) return 1;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 32) {
    console.error(`bench policy: --seeds takes a whole number from 1 to 32, not '${process.argv[at + 1] ?? ''}'`);
    process.exit(2);
  }
  return n;
}
/** Also judge every stay-or-move probability the learned weaver gives against the truth (slower). */
const judging = process.argv.includes('--judge');
const EXAMPLES = ['matmul', 'particles', 'wordfreq', 'simd', 'gpu', 'data'];
const MANIFESTS = path.join(BUILD, 'bench-policy-manifests.json');
const JOBS = quick ? 1200 : 3000;
const WARM = Math.floor(JOBS / 3);
const INTERARRIVAL_MS = 20;
/**
 * The oracle schedulers whose best is the oracle: queue charge (runs, or growing with the
 * true load and the queue's depth as the learned weaver's does with what it sees), and
 * moves. A yardstick without the learned side's own rule would flatter it.
 */
const ORACLES: Array<{ x: OracleExternality; moves: boolean }> = [
  { x: 1, moves: false }, { x: 2, moves: false }, { x: 3, moves: false }, { x: 2, moves: true }, { x: 'load', moves: false }, { x: 'load', moves: true },
  { x: 'load-queue', moves: false }, { x: 'load-queue', moves: true },
];
/** Small instances per family, for the exact oracle. */
const SMALL = { hubs: 5, jobs: 16, warmup: 200, clusters: quick ? [21] : [21, 22, 23] };
const HEURISTICS = [...Object.keys(BASELINES), 'cost-model+reweave'];
/**
 * What hubs running the learned weaver do besides deciding: idle ones time a 20 ms
 * calibration run at each advert, and they share what they measured every 0.5 s (live
 * hubs put a delta of their history that often, shared-history.ts). With --noisy-windows
 * what they measure is noisy, as on a busy machine (the fixed rule and the cost model
 * read adverts only: no noise reaches them).
 */
const LEARNED_HUBS: Partial<SimOptions> = { probeMs: 20, shareMs: 500, windowNoise: process.argv.includes('--noisy-windows') ? BUSY_MACHINE : undefined };

/** The examples' manifests (built once, then cached: building takes seconds each). */
async function manifests(): Promise<Record<string, Manifest>> {
  if (existsSync(MANIFESTS)) return JSON.parse(await readFile(MANIFESTS, 'utf8')) as Record<string, Manifest>;
  const out: Record<string, Manifest> = {};
  for (const name of EXAMPLES) {
    const { manifest } = await buildBundle(path.join(ROOT, 'examples', `${name}.ts`), {});
    out[name] = { ...manifest, modules: [] };
  }
  await mkdir(BUILD, { recursive: true });
  await writeFile(MANIFESTS, JSON.stringify(out));
  return out;
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const share = (x: number) => `${(100 * x).toFixed(1)}%`;

interface FamilyResult {
  family: Family;
  means: Record<string, number>;
  results: SimResult[];
  best: string;
  learned: number;
  oracle: number;
  oracleName: string;
  bound: number;
  decisions: number;
  moves: number;
  gain: number;
  oracleGap: number;
  weaver: LearnedWeaver;
}

/**
 * Every policy on one family's jobs. `draw` 0 is the bench's cluster, world and job
 * stream; each other draw moves all three seeds by it (and writes no logs).
 */
async function runFamily(fam: Family, programs: Program[], draw = 0): Promise<FamilyResult> {
  const cluster = makeCluster({ hubs: 64, seed: 3 + draw });
  const world = fam.world(cluster, { seed: 11 + draw, horizonMs: JOBS * INTERARRIVAL_MS });
  const base: SimOptions = { cluster, programs, jobs: JOBS, interarrivalMs: INTERARRIVAL_MS, seed: 5 + draw, world, mode: 'routed', sizeSigma: fam.sizeSigma };
  console.log(`family (${fam.key}) ${fam.name}${draw ? `, draw ${draw}` : ''}: ${fam.summary}`);
  const means: Record<string, number> = {};
  const results: SimResult[] = [];
  const line = (name: string, r: SimResult) => {
    r.policy = name;
    results.push(r);
    means[name] = r.meanJobMsAfter(WARM);
    console.log(`  ${name.padEnd(20)} mean job ${means[name].toFixed(0).padStart(9)} ms   decisions ${String(r.decisions).padStart(6)}   moves ${String(r.moves).padStart(4)}   restarts ${r.restarts}   (${(r.wallMs / 1000).toFixed(1)} s)`);
  };
  for (const [name, make] of Object.entries(BASELINES)) {
    // The cost model's placements on (e), as a decision log for `weave policy train|eval`.
    const log = name === 'cost-model' && fam.key === 'e' && draw === 0 ? createWriteStream(path.join(BUILD, 'policy-decisions.ndjson')) : undefined;
    line(name, simulate((make as () => PlacementPolicy)(), { ...base, onOutcome: log && ((rec) => log.write(formatDecision(rec))) }));
    if (log) await new Promise((done) => log.end(done));
  }
  line('cost-model+reweave', simulate(costModelPolicy(), { ...base, reweave: fixedReweavePolicy() }));
  const weaver = new LearnedWeaver({ seed: 1 });
  const mlog = fam.key === 'e' && draw === 0 ? createWriteStream(path.join(BUILD, 'policy-measurements.ndjson')) : undefined;
  // Calibration: for each tenth of probability, how often moving there was really faster.
  const bins = Array.from({ length: 10 }, () => ({ n: 0, better: 0 }));
  let moved = 0, movedBetter = 0;
  const judge = judging ? (j: { p: number; better: boolean; moved: boolean }) => {
    const b = bins[Math.min(9, Math.floor(j.p * 10))];
    b.n++; if (j.better) b.better++;
    if (j.moved) { moved++; if (j.better) movedBetter++; }
  } : undefined;
  line('learned', simulate(weaver.placement, { ...base, ...LEARNED_HUBS, reweave: weaver.reweave, learners: [weaver], predictor: weaver, judge, onMeasurement: mlog && ((m) => mlog.write(formatMeasurement(m))) }));
  if (mlog) await new Promise((done) => mlog.end(done));
  if (judge) {
    console.log(`  ${''.padEnd(20)} its moves really faster: ${movedBetter}/${moved}; p(move faster) by tenths, share really faster: ${bins.map((b, i) => `${i / 10}: ${b.n ? (b.better / b.n).toFixed(2) : '-'}`).join(', ')}`);
  }
  let oracle: SimResult | undefined;
  let oracleName = '';
  for (const o of ORACLES) {
    const name = `oracle (${o.x === 'load' ? 'by load' : o.x === 'load-queue' ? 'by load, queue' : `x${o.x}`}${o.moves ? ', moves' : ''})`;
    const r = simulate(ORACLE, { ...base, oracleExternality: o.x, reweave: o.moves ? ORACLE : undefined });
    line(name, r);
    if (!oracle || means[name] < means[oracleName]) { oracle = r; oracleName = name; }
  }
  const bound = oracle!.lowerBoundMsAfter(WARM);
  console.log(`  ${'lower bound'.padEnd(20)} mean job ${bound.toFixed(0).padStart(9)} ms   (each job alone on the cluster, best hub per fragment at its best moment)`);
  const best = HEURISTICS.reduce((a, b) => (means[a] <= means[b] ? a : b));
  const learned = means.learned;
  const r = results.find((x) => x.policy === 'learned')!;
  const out: FamilyResult = {
    family: fam, means, results, best, learned, oracle: means[oracleName], oracleName, bound, weaver,
    decisions: r.decisions, moves: r.moves, gain: (means[best] - learned) / means[best], oracleGap: (learned - means[oracleName]) / means[oracleName],
  };
  console.log(`  learned vs best heuristic (${best}): ${share(out.gain)} shorter; vs oracle (${oracleName}): ${share(out.oracleGap)} longer; oracle vs best heuristic: ${share(1 - out.oracle / means[best])} shorter`);
  return out;
}

interface SmallResult { cluster: number; optimal: boolean; nodes: number; exact: number; bound: number; oracle: number; learned: number; best: number; bestName: string }

/**
 * Small instances of a family: a warm-up stream on 5 hubs (the learned weaver learns from
 * it), a pause long enough for every hub to empty, then 16 jobs that the exact oracle
 * schedules; every policy runs the whole stream and is scored on those 16.
 */
function smallInstances(fam: Family, programs: Program[]): SmallResult[] {
  const out: SmallResult[] = [];
  for (const seed of SMALL.clusters) {
    const cluster = makeCluster({ hubs: SMALL.hubs, seed, gpuShare: 0.25 });
    // About 60% busy: the standard family's load for this cluster's capacity.
    const capacity = cluster.hubs.reduce((n, h) => n + h.slots * h.speed, 0);
    const interarrivalMs = 2000 / (0.6 * capacity);
    const pauseAfter = { jobs: SMALL.warmup, ms: 120_000 };
    const stream = { cluster, programs, jobs: SMALL.warmup + SMALL.jobs, interarrivalMs, seed: 7, sizeSigma: fam.sizeSigma, pauseAfter };
    const inst = makeInstance({ ...stream, datasets: cluster.datasets });
    const start = inst.jobs[SMALL.warmup].arrival;
    // Drift (and every episode) placed so that it falls inside the instance.
    const world = fam.world(cluster, { seed: 11, horizonMs: (start + (inst.horizon - start) / 3) / 0.4 });
    const base: SimOptions = { ...stream, world, mode: 'routed', failures: false };
    const exact = exactSchedule({ hubs: cluster.hubs, world, jobs: inst.jobs.slice(SMALL.warmup), work: inst.work, nodeLimit: 200_000 });
    const score = (r: SimResult) => r.meanJobMsAfter(SMALL.warmup);
    let oracle = Infinity;
    for (const o of ORACLES) oracle = Math.min(oracle, score(simulate(ORACLE, { ...base, oracleExternality: o.x, reweave: o.moves ? ORACLE : undefined })));
    let best = Infinity, bestName = '';
    for (const [name, make] of Object.entries(BASELINES)) {
      const ms = score(simulate((make as () => PlacementPolicy)(), base));
      if (ms < best) { best = ms; bestName = name; }
    }
    const fixed = score(simulate(costModelPolicy(), { ...base, reweave: fixedReweavePolicy() }));
    if (fixed < best) { best = fixed; bestName = 'cost-model+reweave'; }
    const w = new LearnedWeaver({ seed: 1 });
    const learned = score(simulate(w.placement, { ...base, ...LEARNED_HUBS, reweave: w.reweave, learners: [w], predictor: w }));
    out.push({ cluster: seed, optimal: exact.optimal, nodes: exact.nodes, exact: exact.meanMs, bound: exact.boundMs, oracle, learned, best, bestName });
  }
  return out;
}

/** Completion time (moving mean over `window` jobs) against placement decisions, one line per policy. */
function chart(title: string, results: SimResult[], window: number): string {
  const W = 900, H = 480, L = 70, R = 190, T = 30, B = 50;
  const series = results.map((r) => {
    const pts: Array<[number, number]> = [];
    let sum = 0;
    // Against placements (one per job here), so that every policy shares the axis: the
    // learned weaver's and the oracle's stay-or-move looks would stretch only theirs.
    r.completions.forEach((c, i) => {
      sum += c.ms;
      if (i >= window) sum -= r.completions[i - window].ms;
      if (i >= window - 1 && i % 10 === 0) pts.push([i + 1, sum / window / 1000]);
    });
    return { name: r.policy, pts };
  });
  // Scaled to the policies worth comparing; stay, random, round-robin and least-loaded
  // run off the top (their means are in the table).
  const close = series.filter((s) => !['stay', 'random', 'round-robin', 'least-loaded'].includes(s.name));
  const xMax = Math.max(...close.flatMap((s) => s.pts.map((p) => p[0])));
  const yMax = pct(close.flatMap((s) => s.pts.map((p) => p[1])), 0.99) * 1.3;
  const x = (v: number) => L + (v / xMax) * (W - L - R);
  const y = (v: number) => T + (1 - Math.min(v, yMax) / yMax) * (H - T - B);
  const colors = ['#888', '#bbb', '#999', '#e69f00', '#56b4e9', '#0072b2', '#d55e00', '#cc79a7', '#009e73', '#f0e442', '#000'];
  const lines = series.map((s, i) => `<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="${s.name === 'learned' || s.name.startsWith('oracle') ? 2 : 1.2}" points="${s.pts.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`
    + `<text x="${W - R + 10}" y="${T + 18 * i + 10}" fill="${colors[i % colors.length]}" font-size="13">${s.name}</text>`);
  const ticks = Array.from({ length: 6 }, (_, i) => (yMax * i) / 5).map((v) => `<text x="${L - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(1)}</text><line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
  const xt = Array.from({ length: 6 }, (_, i) => (xMax * i) / 5).map((v) => `<text x="${x(v)}" y="${H - B + 18}" text-anchor="middle" font-size="11">${Math.round(v)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${L}" y="18" font-size="14">${title}: job completion time (s, mean of ${window} jobs) against placement decisions</text>
${ticks.join('\n')}
${xt.join('\n')}
<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle" font-size="12">placement decisions (jobs placed)</text>
<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>
${lines.join('\n')}
</svg>
`;
}

/**
 * p50 and p99 of the learned weaver's decisions among `n` candidate hubs, ms: where a job
 * starts, and stay-or-move for a running one. Between decisions it learns from a few
 * measurements, as a busy hub does, and every fiftieth decision a merge of another hub's
 * history makes it rebuild its index of hub terms.
 */
function decisionLatency(n: number, w: LearnedWeaver): { place: { p50: number; p99: number }; move: { p50: number; p99: number } } {
  const hubs: HubView[] = Array.from({ length: n }, (_, i) => ({
    id: `h${i % 64}-${i}`, slots: 1 + (i % 4), busy: i % 3, queue: i % 5, cpu: (i % 7) / 7, speed: 0.5 + (i % 4) / 2,
    caps: { avx2: i % 2 === 0, gpu: i % 9 === 0 }, datasets: i % 11 ? [] : ['ds1'], rttMs: 0.5 + (i % 5), mbps: i % 3 ? 1000 : 10000,
    queuedWork: (i % 5) * 200, runningWork: (i % 3) * 100, linkMbps: i % 3 ? 1000 : 10000, memTier: i % 5, freeInMs: (i % 3) * 150,
  }));
  const parts = ['simd#0', 'simd#1', 'simd#1', 'simd#1', 'simd#2', 'simd#3', 'simd#3', 'simd#3', 'simd#4', 'simd#5'].map((template, k) => ({ template, estimate: 400 + k * 300, calls: { simd: template === 'simd#3', gpu: false } }));
  const f: FragmentView = { template: 'simd@0', estimate: 8000, measuredMs: 300, stateBytes: 1 << 20, calls: { simd: true, gpu: false }, requires: [], datasets: [{ name: 'ds1', bytes: 64 << 20 }], parts };
  const run: RunView = { job: 'j1', rest: { ...f, at: hubs[3].id }, done: 100, recent: { units: 150, ms: 500 }, sinceMs: 2000, movesLastMinute: 0 };
  const place: number[] = [], move: number[] = [];
  const other = new PaceHistory(paceHalfLife);
  for (let i = 0; i < 400; i++) {
    for (let k = 0; k < 3; k++) {
      const h = hubs[(i * 7 + k * 131) % n];
      w.observePace({ part: parts[(i + k) % parts.length], hub: h, units: 100 + (i % 13), ms: 500, t: w.model.now + 5 });
    }
    if (i % 50 === 0) {
      other.record(`peer${i}`, `h|${hubs[i % n].id}`, -0.3, w.model.now);
      w.model.merge(other.snapshot());
    }
    const t0 = performance.now();
    w.placement.choose(f, hubs);
    const t1 = performance.now();
    w.reweave.consider(run, hubs[3], hubs, w.model.now);
    const t2 = performance.now();
    if (i >= 50) { place.push((t1 - t0)); move.push((t2 - t1)); }
  }
  return { place: { p50: pct(place, 0.5), p99: pct(place, 0.99) }, move: { p50: pct(move, 0.5), p99: pct(move, 0.99) } };
}

/** The three figures the goals are set on, from each family's gain and oracle gap. */
function goals(fams: Array<{ key: string; gain: number; oracleGap: number }>): { worstGain: number; worstGap: number; rightLoss: number } {
  const wrong = fams.filter((f) => f.key !== 'e');
  const e = fams.find((f) => f.key === 'e')!;
  return { worstGain: Math.min(...wrong.map((f) => f.gain)), worstGap: Math.max(...wrong.map((f) => f.oracleGap)), rightLoss: -e.gain };
}

/**
 * With --seeds N: every family on draws 1 … N-1 too, and per family the gain and oracle
 * gap of each draw and their means (draw 0 is `first`); undefined with one draw.
 */
async function moreDraws(programs: Program[], first: FamilyResult[]) {
  if (SEEDS < 2) return undefined;
  const per: Record<string, { gains: number[]; gaps: number[] }> = {};
  for (const f of first) per[f.family.key] = { gains: [f.gain], gaps: [f.oracleGap] };
  for (let draw = 1; draw < SEEDS; draw++) {
    for (const fam of FAMILIES) {
      const r = await runFamily(fam, programs, draw);
      per[fam.key].gains.push(r.gain);
      per[fam.key].gaps.push(r.oracleGap);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const families = Object.fromEntries(Object.entries(per).map(([key, v]) => [key, { gains: v.gains, oracle_gaps: v.gaps, gain: mean(v.gains), oracle_gap: mean(v.gaps) }]));
  console.log(`over ${SEEDS} draws (cluster, world and job seeds moved together), per family:`);
  for (const [key, v] of Object.entries(families)) {
    console.log(`  (${key}) gain ${v.gains.map(share).join(' / ')}, mean ${share(v.gain)}; oracle gap ${v.oracle_gaps.map(share).join(' / ')}, mean ${share(v.oracle_gap)}`);
  }
  return { count: SEEDS, families, goals: goals(Object.entries(families).map(([key, v]) => ({ key, gain: v.gain, oracleGap: v.oracle_gap }))) };
}

async function main(): Promise<void> {
  const m = await manifests();
  await mkdir(BUILD, { recursive: true });
  const programs = Object.entries(m).map(([name, man]) => programsFromManifest(man, name));
  console.log(`${JOBS} jobs per family (${programs.length} programs from the examples), 64 hubs, warm-up ${WARM} jobs, routed`);
  const fams: FamilyResult[] = [];
  for (const fam of FAMILIES) {
    const r = await runFamily(fam, programs);
    fams.push(r);
    await writeFile(path.join(BUILD, `bench-policy-${fam.key}.svg`), chart(`(${fam.key}) ${fam.name}`, r.results, quick ? 50 : 100));
  }

  console.log(`small instances (${SMALL.hubs} hubs, ${SMALL.jobs} jobs after a ${SMALL.warmup}-job warm-up; exact = branch and bound, no moves):`);
  const small: Record<string, SmallResult[]> = {};
  for (const fam of FAMILIES) {
    small[fam.key] = smallInstances(fam, programs);
    for (const s of small[fam.key]) {
      console.log(`  (${fam.key}) cluster ${s.cluster}: exact ${s.exact.toFixed(0)} ms (${s.optimal ? 'optimal' : `bound ${s.bound.toFixed(0)}`}, ${s.nodes} nodes)   best-of oracle ${s.oracle.toFixed(0)} (${share(s.oracle / s.exact - 1)})   learned ${s.learned.toFixed(0)} (${share(s.learned / s.exact - 1)})   best heuristic ${s.best.toFixed(0)} (${s.bestName}, ${share(s.best / s.exact - 1)})`);
    }
  }

  const e = fams.find((f) => f.family.key === 'e')!;
  const lat = decisionLatency(1000, e.weaver);
  console.log(`decision latency, 1,000 candidate hubs: placement p50 ${lat.place.p50.toFixed(3)} ms, p99 ${lat.place.p99.toFixed(3)} ms; stay-or-move p50 ${lat.move.p50.toFixed(3)} ms, p99 ${lat.move.p99.toFixed(3)} ms`);

  const { worstGain, worstGap, rightLoss } = goals(fams.map((f) => ({ key: f.family.key, gain: f.gain, oracleGap: f.oracleGap })));
  const draws = await moreDraws(programs, fams);
  const decisions = fams.reduce((n, f) => n + f.decisions, 0);
  console.log('summary (mean job, ms):');
  console.log(`  ${'family'.padEnd(20)} ${'best heuristic'.padEnd(32)} learned   oracle   bound   gain    oracle gap`);
  for (const f of fams) {
    console.log(`  ${`(${f.family.key}) ${f.family.name}`.padEnd(20)} ${`${f.means[f.best].toFixed(0)} (${f.best})`.padEnd(32)} ${f.learned.toFixed(0).padStart(7)} ${f.oracle.toFixed(0).padStart(8)} ${f.bound.toFixed(0).padStart(7)}   ${share(f.gain).padStart(6)}  ${share(f.oracleGap).padStart(6)}`);
  }
  const summary = {
    jobs: JOBS, warmup: WARM, worst_gain: worstGain, worst_oracle_gap: worstGap, right_family_loss: rightLoss, decisions,
    latency_ms: lat,
    families: Object.fromEntries(fams.map((f) => [f.family.key, {
      name: f.family.name, summary: f.family.summary, means: f.means, best_heuristic: f.best, learned: f.learned, oracle: f.oracle, oracle_name: f.oracleName,
      lower_bound: f.bound, gain: f.gain, oracle_gap: f.oracleGap, decisions: f.decisions, moves: f.moves, small: small[f.family.key],
    }])),
    ...(draws ? { draws } : {}),
  };
  await writeFile(path.join(BUILD, 'bench-policy.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log('charts: build/bench-policy-{a,b,c,d,e}.svg');
  if (draws) {
    const g = draws.goals;
    console.log(`bench policy seeds: draws=${SEEDS} worst_gain=${g.worstGain.toFixed(3)} worst_oracle_gap=${g.worstGap.toFixed(3)} right_family_loss=${g.rightLoss.toFixed(3)} (of each family's mean over the draws)`);
  }
  console.log(`bench policy: families=${fams.map((f) => f.family.key).join(',')} worst_gain=${worstGain.toFixed(3)} worst_oracle_gap=${worstGap.toFixed(3)} right_family_loss=${rightLoss.toFixed(3)} decisions=${decisions}`);
}

main().catch((err: unknown) => {
  console.error(`bench policy failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
