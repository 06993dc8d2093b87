/**
 * The program generator's fixed seed set, checked differentially (test/gen/): 240 random
 * AssemblyScript modules (300 until 2026-12-07: the suite's clean-clone run reached 9m39s
 * of its 10 minutes, and this file is a sixth of its CPU; `fuzz:weave` checks thousands
 * more per campaign), each export on several argument sets, run on plain asc and on
 * the woven build at the loop granularity and at function or nested by turns (fuzz:weave
 * checks every seed at all three), uninterrupted and migrated at every yield point;
 * a few modules also migrate at random points across hub processes over NATS. Results
 * must agree bit for bit (traps by message). Two worker processes share the seeds.
 *   WEAVE_CONFIG=none node node_modules/uvu/bin.js dist/test 'generated\.test\.js$'
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSeeds, type PoolResult } from './gen/pool.js';
import { SUITE_OPTIONS } from './gen/context.js';
import { FEATURE_TAGS, type Feature } from './gen/features.js';
import { formatOutcome, sameOutcome } from './gen/outcome.js';
import { NatsRig, natsOutcome } from './gen/nats-rig.js';
import { KNOWN_FAULTS, KNOWN_SUITE_SEEDS, type KnownFault, type KnownFaultId } from './gen/known.js';
import type { SeedResult } from './gen/check-module.js';
import type { Mismatch } from './gen/differential.js';
import { Rng } from './gen/rng.js';

const SEEDS = Array.from({ length: 240 }, (_, i) => i + 1);
/** Modules that also run over NATS (seeds divisible by this): a few, each export once. */
const NATS_EVERY = 60;
/** A migrated run restores at most this often (a run with more yield points migrates at every k-th). */
const MAX_RESTORES = 8;
const WORKERS = 2;

const test = suite('generated programs');
const results: SeedResult[] = [];
const failures: PoolResult[] = [];
let dir = '';
let wallMs = 0;
let cpuMs = 0;

test.before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'weave-gen-'));
});
test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const describe = (seed: number, m: Mismatch) =>
  `seed ${seed} ${m.export}(${m.args.join(', ')}) ${m.mode}: plain ${formatOutcome(m.expected)}, woven ${formatOutcome(m.got)}`;

test('the fixed seed set gives at least 240 modules and 800 exports, all accepted by asc', async () => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let workerCpuMs = 0;
  await checkSeeds(SEEDS, { options: SUITE_OPTIONS, dir, maxRestores: MAX_RESTORES, keepBundleEvery: NATS_EVERY, granularities: 'loop-and-one' }, WORKERS, (r) => {
    workerCpuMs += r.cpuMs ?? 0;
    if ('error' in r || r.result.report.compileError) failures.push(r);
    else results.push(r.result);
  });
  wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  cpuMs = (cpu.user + cpu.system) / 1000 + workerCpuMs;
  const exports = results.reduce((n, r) => n + r.exports.length, 0);
  const runs = results.reduce((n, r) => n + r.report.runs, 0);
  console.log(`  ${results.length} modules, ${exports} exports, ${runs} runs in ${(wallMs / 1000).toFixed(1)} s (${(cpuMs / 1000).toFixed(1)} s of CPU)`);
  assert.equal(failures.map((f) => ('error' in f ? `seed ${f.seed}: ${f.error}` : `seed ${f.seed}: ${f.result.report.compileError}`)), [], 'every generated program compiles (a program asc rejects is a generator bug)');
  assert.ok(results.length >= 240, `${results.length} modules`);
  assert.ok(exports >= 800, `${exports} exports`);
});

test('every feature the generator knows occurs in the seed set', () => {
  const counts = new Map<Feature, number>(FEATURE_TAGS.map((t) => [t, 0]));
  for (const r of results) for (const f of r.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  console.log(`  modules per feature: ${[...counts].map(([t, n]) => `${t} ${n}`).join(', ')}`);
  assert.equal([...counts].filter(([, n]) => n === 0).map(([t]) => t), [], 'features no module has');
});

test('plain runs trap in every way the programs can: assert, bounds, division, memory, unreachable', () => {
  const traps: Record<string, number> = {};
  for (const r of results) for (const [k, n] of Object.entries(r.report.traps)) traps[k] = (traps[k] ?? 0) + n;
  console.log(`  trapping runs by kind: ${JSON.stringify(traps)}`);
  for (const k of ['assert', 'bounds', 'div', 'memory', 'unreachable']) assert.ok(traps[k] > 0, `no run trapped by ${k}`);
});

test('every export gives plain asc\'s result bit for bit, woven at loop and at function or nested, whole and migrated at every yield point', () => {
  const restores = results.reduce((n, r) => n + r.report.restores, 0);
  const spaced = results.reduce((n, r) => n + r.report.spaced, 0);
  const engineNaNs = results.reduce((n, r) => n + r.report.engineNaNs, 0);
  const widest = results.reduce((a, b) => (b.report.maxGapMs > a.report.maxGapMs ? b : a));
  console.log(`  ${restores} restores; ${spaced} migrated runs spaced out (more than ${MAX_RESTORES} yield points); longest stretch between yield points at the default interval ${widest.report.maxGapMs.toFixed(1)} ms (seed ${widest.seed}); ${engineNaNs} woven NaNs whose bits plain asc also gave in another instance`);
  const unexpected: string[] = [];
  const known = new Map<KnownFaultId, number>();
  const passing: number[] = [];
  const unknownSeeds: number[] = [];
  for (const r of results) {
    const fault = KNOWN_SUITE_SEEDS.get(r.seed);
    if (!r.report.mismatches.length) {
      if (fault) passing.push(r.seed);
      continue;
    }
    const fits = fault && ((KNOWN_FAULTS[fault] as KnownFault).fits ?? (() => true));
    const other = r.report.mismatches.filter((m) => !fits || !fits(m));
    if (fault && r.report.mismatches.length > other.length) known.set(fault, (known.get(fault) ?? 0) + 1);
    unexpected.push(...other.slice(0, 3).map((m) => describe(r.seed, m)));
    if (other.length) unknownSeeds.push(r.seed);
  }
  for (const [fault, n] of known) console.log(`  known fault ${fault} (test/regressions/${KNOWN_FAULTS[fault].regression}.ts): ${n} modules mismatch, tolerated until it is fixed`);
  if (passing.length) console.log(`  seeds listed as known faults that now pass (take them out of test/gen/known.ts): ${passing.join(', ')}`);
  if (unknownSeeds.length) console.log(`  seeds with mismatches no known fault explains: ${unknownSeeds.join(', ')}`);
  assert.equal(unexpected, [], 'mismatches');
});

test('a few modules migrate at random points across hub processes over NATS and agree with plain asc', async () => {
  const picked = results.filter((r) => r.loopBundle);
  assert.ok(picked.length >= 3, `${picked.length} modules for NATS`);
  const rig = await NatsRig.start(2);
  try {
    const wrong: string[] = [];
    let runs = 0;
    for (const r of picked) {
      const rng = new Rng(r.seed);
      for (const sig of r.exports) {
        const c = rng.pick(r.cases.filter((x) => x.sig.name === sig.name));
        const got = natsOutcome(await rig.run(r.loopBundle!, sig, c.args, rng.int(1, 6)));
        runs++;
        if (!sameOutcome(c.expected, got) && !KNOWN_SUITE_SEEDS.has(r.seed)) wrong.push(`seed ${r.seed} ${sig.name}(${c.args.join(', ')}) nats: plain ${formatOutcome(c.expected)}, weave run ${formatOutcome(got)}`);
      }
    }
    console.log(`  ${runs} runs over NATS across ${rig.hubCount} hub processes`);
    assert.equal(wrong, []);
    assert.is(rig.alive(), rig.hubCount, 'a hub process died');
  } finally {
    await rig.stop();
  }
});

test.run();
