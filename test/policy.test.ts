/**
 * Placement policies and the cluster simulator: the baselines do what their names say,
 * the learned scorer learns a cost the hand-tuned model gets wrong and then places by it,
 * the holdback falls back from a policy that does worse, and the simulator is
 * deterministic, finishes every job and never offers a hub that lacks a required
 * capability. (Speed is measured in bench/policy.ts, never asserted here.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  FEATURE_COUNT, LearnedPolicy, PaceModel, costModelMs, costModelPolicy, expectedWaitMs, features, leastLoadedPolicy, stayPolicy, withHoldback,
  type FragmentView, type HubView, type PlacementPolicy,
} from '../runtime/policy/index.js';
import { makeCluster, simulate, ORACLE, type Program } from '../runtime/sim/index.js';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { runCli, startHubProcess, startNatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { connect } from 'nats';

const test = suite('policy');

const hub = (id: string, over: Partial<HubView> = {}): HubView => ({
  id, slots: 2, busy: 0, queue: 0, cpu: 0, speed: 1, caps: { avx2: false, gpu: false }, datasets: [], rttMs: 1, mbps: 1000, ...over,
});
const frag = (over: Partial<FragmentView> = {}): FragmentView => ({
  template: 't', estimate: 100_000, stateBytes: 1 << 20, calls: { simd: false, gpu: false }, requires: [], datasets: [], ...over,
});

test('baselines: stay keeps the state where it is, least-loaded takes the freest hub', () => {
  const hubs = [hub('a', { busy: 2, queue: 1 }), hub('b', { busy: 1 }), hub('c', { busy: 2 })];
  assert.is(stayPolicy().choose(frag({ at: 'c' }), hubs).hub, 'c');
  assert.is(leastLoadedPolicy().choose(frag(), hubs).hub, 'b');
});

test('the cost model goes to the data when reading it remotely costs more than a faster hub saves', () => {
  const f = frag({ datasets: [{ name: 'points', bytes: 512 << 20 }] });
  const hubs = [hub('fast', { speed: 2 }), hub('holder', { datasets: ['points'] })];
  assert.is(costModelPolicy().choose(f, hubs).hub, 'holder');
  assert.ok(costModelMs(f, hubs[0]) > costModelMs(f, hubs[1]));
});

test('features and the cost model see what a queue holds, not just its length', () => {
  const f = frag({ measuredMs: 100 });
  // Both full, one fragment queued on each: one is a long fragment, the other a short one.
  const long = hub('long', { busy: 2, queue: 1, queuedWork: 5000, runningWork: 400 });
  const short = hub('short', { busy: 2, queue: 1, queuedWork: 50, runningWork: 40 });
  assert.is(expectedWaitMs(long, 100), 2700, '(5000 + 400) ms of work over 2 slots');
  assert.is(expectedWaitMs(short, 100), 45);
  assert.is(costModelPolicy().choose(f, [long, short]).hub, 'short');
  const [xl, xs] = [features(f, long), features(f, short)];
  assert.is(xl.length, FEATURE_COUNT);
  assert.is(xl[6], xs[6], 'same queue length');
  assert.ok(xl[14] > xs[14] && xl[15] > xs[15], 'more work ahead, a longer expected wait');
  // A hub that says nothing of its queue: one run of this fragment per fragment ahead.
  assert.is(expectedWaitMs(hub('quiet', { busy: 2, queue: 1 }), 100), 200);
  assert.is(features(f, hub('quiet', { busy: 2, queue: 1 }))[14], 0);
});

test("the hub's own link is a feature; the cost model reads remote data at the path's bandwidth", () => {
  const f = frag({ datasets: [{ name: 'points', bytes: 64 << 20 }] });
  const thin = hub('thin', { mbps: 100, linkMbps: 100 });
  const wide = hub('wide', { mbps: 100, linkMbps: 10_000 });
  // The path from the state limits both alike (the hub the data comes from is unknown).
  assert.is(costModelMs(f, thin), costModelMs(f, wide));
  assert.ok(costModelMs(f, thin) > costModelMs(f, hub('fast-path', { mbps: 10_000 })) + 4000, '64 MiB at 100 Mbit/s is over 5 s');
  const [xt, xw] = [features(f, thin), features(f, wide)];
  assert.ok(xt[16] > 0 && xt[16] < xw[16], 'the network sees the difference');
  assert.is(features(f, hub('unknown'))[16], 0);
});

test('a saved learned policy with another feature count is refused, not misread', () => {
  const state = new LearnedPolicy({ seed: 1 }).toJSON();
  const net = state.net as { sizes: number[]; layers: Array<Record<string, unknown>> };
  net.sizes = [14, ...net.sizes.slice(1)];
  assert.throws(() => LearnedPolicy.fromJSON(state), /has 14 features, this weave has 19: train it again/);
});

test('the learned scorer learns what the cost model gets wrong, then places by it', () => {
  // Truth: simd code runs 4x faster with AVX2 (the cost model guesses 1.3x), and hub
  // 'avx' is half as fast otherwise, so the model prefers 'plain'; the truth is 'avx'.
  const f = frag({ calls: { simd: true, gpu: false } });
  const hubs = [hub('plain', { speed: 1 }), hub('avx', { speed: 0.5, caps: { avx2: true, gpu: false } })];
  const truth = (h: HubView) => (100 / h.speed) / (h.caps.avx2 ? 4 : 1);
  assert.is(costModelPolicy().choose(f, hubs).hub, 'plain', 'the hand-tuned model is wrong here');
  const p = new LearnedPolicy({ seed: 3, warmup: 50 });
  for (let i = 0; i < 3000; i++) {
    const d = p.choose(f, hubs);
    const h = hubs.find((x) => x.id === d.hub)!;
    p.observe(f, h, truth(h));
    // Outcomes of the hub it did not pick, now and then (in a cluster, other jobs' and
    // its own exploration's placements provide them).
    const other = hubs.find((x) => x.id !== d.hub)!;
    if (i % 10 === 0) p.observe(f, other, truth(other));
  }
  for (const h of hubs) {
    const err = Math.abs(p.predictMs(f, h) / truth(h) - 1);
    assert.ok(err < 0.3, `prediction for ${h.id} within 30%: ${p.predictMs(f, h).toFixed(1)} vs ${truth(h)}`);
  }
  const picks = Array.from({ length: 100 }, () => p.choose(f, hubs).hub);
  assert.ok(picks.filter((x) => x === 'avx').length >= 90, `picks avx: ${picks.filter((x) => x === 'avx').length}/100`);
  // A saved policy predicts the same.
  const again = LearnedPolicy.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
  for (const h of hubs) assert.is(again.predictMs(f, h).toFixed(6), p.predictMs(f, h).toFixed(6));
});

test('the pace model learns a template that runs slower on one hub than its kind and that hub say', () => {
  // Two hubs of one kind and speed; a compute-bound template runs alike on both, a
  // memory-bound one at half the pace on h2 (slow memory the adverts do not show). Kind
  // and hub terms add up in ln pace, so they cannot hold both; the pair term can.
  const m = new PaceModel();
  const h1 = hub('h1'), h2 = hub('h2');
  const compute = { template: 'compute', estimate: 5_000, calls: { simd: false, gpu: false } };
  const memory = { template: 'memory', estimate: 5_000, calls: { simd: false, gpu: false } };
  const pace = (t: string, h: string) => (t === 'memory' && h === 'h2' ? 5 : 10);
  for (let i = 0; i < 300; i++) {
    for (const part of [compute, memory]) {
      for (const h of [h1, h2]) m.observe({ part, hub: h, units: pace(part.template, h.id) * 500, ms: 500, t: i * 250 });
    }
  }
  const near = (part: typeof compute, h: HubView) => {
    const got = Math.exp(m.logPace(part, h));
    assert.ok(Math.abs(Math.log(got / pace(part.template, h.id))) < 0.1, `${part.template} on ${h.id}: ${got.toFixed(2)} units/ms, not ${pace(part.template, h.id)}`);
  };
  near(memory, h2);
  near(memory, h1);
  near(compute, h2);
  near(compute, h1);
  assert.ok(m.pairTerm('memory', 'h2') - m.pairTerm('compute', 'h2') < -0.3, 'the difference is held by the pair terms');
});

test('the pace model reads a size it never ran at from the sizes around it', () => {
  // GPU code gains with the size of its calls: measured at three sizes, each half an
  // e-fold larger, at paces 1, 2 and 4. The next size up was never run; read as the mean
  // over all sizes (as before) it would look slower than the largest measured one.
  const m = new PaceModel();
  const g = hub('g', { caps: { avx2: false, gpu: true } });
  const at = (bucket: number) => ({ template: 'gpu-kernel', estimate: 1, measuredMs: Math.exp(bucket / 2), calls: { simd: false, gpu: true } });
  for (let i = 0; i < 200; i++) {
    for (const b of [0, 1, 2]) m.observe({ part: at(b), hub: g, units: 2 ** b * 500, ms: 500, t: i * 250 });
  }
  for (const b of [0, 1, 2, 3]) assert.is(PaceModel.sizeBucket(m.units(at(b))), b);
  const pace = (b: number) => Math.exp(m.logPace(at(b), g));
  for (const b of [0, 1, 2]) assert.ok(Math.abs(Math.log(pace(b) / 2 ** b)) < 0.15, `size ${b}: ${pace(b).toFixed(2)} units/ms, not ${2 ** b}`);
  assert.ok(pace(3) > 1.4 * pace(2), `the unmeasured size reads ${pace(3).toFixed(2)} units/ms against ${pace(2).toFixed(2)} at the largest measured`);
  assert.ok(pace(3) < 2.2 * pace(2), `…but not beyond the trend: ${pace(3).toFixed(2)}`);
});

test('the holdback hands every decision to the baseline when the learned side does worse', () => {
  const hubs = [hub('good'), hub('bad')];
  const truth = (id: string) => (id === 'good' ? 10 : 100);
  const wrong: PlacementPolicy = { name: 'learned', choose: () => ({ hub: 'bad', policy: 'learned' }) };
  const baseline: PlacementPolicy = { name: 'cost-model', choose: () => ({ hub: 'good', policy: 'cost-model' }) };
  const p = withHoldback(wrong, baseline, { share: 0.2, minSamples: 20, seed: 5 });
  assert.is(p.inCharge, 'learned');
  for (let i = 0; i < 2000; i++) {
    const f = frag({ template: `t${i % 3}` });
    const d = p.choose(f, hubs);
    p.observe!(f, hubs.find((h) => h.id === d.hub)!, truth(d.hub), d);
  }
  assert.is(p.inCharge, 'baseline');
  assert.ok(p.scores().learned > p.scores().baseline);
});

const programs: Program[] = [
  { name: 'cpu', fragments: [{ template: 'cpu#0', estimate: 20_000, memoryBytes: 1 << 20, simd: true, gpu: false, data: false, dataBytes: 0, requires: [] }] },
  { name: 'data', fragments: [{ template: 'data#0', estimate: 10_000, memoryBytes: 1 << 19, simd: false, gpu: false, data: true, dataBytes: 32 << 20, requires: [] }] },
  { name: 'gpu', fragments: [{ template: 'gpu#0', estimate: 30_000, memoryBytes: 1 << 20, simd: false, gpu: true, data: false, dataBytes: 0, requires: ['gpu'] }] },
];

test('the simulator is deterministic, finishes every job, and offers only capable hubs', () => {
  const cluster = makeCluster({ hubs: 16, seed: 9, gpuShare: 0.3 });
  const gpuHubs = new Set(cluster.hubs.filter((h) => h.gpu).map((h) => h.id));
  assert.ok(gpuHubs.size > 0 && gpuHubs.size < 16);
  let offeredNonGpu = 0;
  const watching: PlacementPolicy = {
    name: 'watch',
    choose: (f, hubs) => {
      if (f.requires.includes('gpu')) offeredNonGpu += hubs.filter((h) => !gpuHubs.has(h.id)).length;
      return costModelPolicy().choose(f, hubs);
    },
  };
  const opts = { cluster, programs, jobs: 400, interarrivalMs: 30, seed: 2 };
  const a = simulate(watching, opts);
  const b = simulate(costModelPolicy(), opts);
  assert.is(a.jobs, 400);
  assert.is(offeredNonGpu, 0);
  assert.is(a.meanJobMs, b.meanJobMs, 'same seed, same decisions, same result');
  const o = simulate(ORACLE, opts);
  assert.is(o.jobs, 400);
  const l = simulate(new LearnedPolicy({ seed: 1 }), opts);
  assert.is(l.jobs, 400);
});

test('the oracle knows true durations exactly, and sits between the lower bound and every baseline', () => {
  const cluster = makeCluster({ hubs: 12, seed: 4, gpuShare: 0.3 });
  const gpuHubs = new Set(cluster.hubs.filter((h) => h.gpu).map((h) => h.id));
  const opts = { cluster, programs, jobs: 300, interarrivalMs: 40, seed: 3, failures: false };
  let placed = 0, onIncapable = 0, mispredicted = 0;
  const oracles = [0, 2].map((oracleExternality) => simulate(ORACLE, {
    ...opts, oracleExternality,
    onOutcome: (rec) => {
      placed++;
      if (rec.fragment.requires.includes('gpu') && !gpuHubs.has(rec.hub.id)) onIncapable++;
      // Without failures nothing it does not know can happen: its prediction is the outcome.
      if (Math.abs(rec.ms - rec.predictedMs!) > 1e-6 * rec.ms) mispredicted++;
    },
  }));
  assert.ok(placed >= 600);
  assert.is(onIncapable, 0, 'never on a hub without a required GPU');
  assert.is(mispredicted, 0, 'true completion times, replaying every queue');
  const oracle = Math.min(...oracles.map((r) => r.meanJobMsAfter(100)));
  const bound = oracles[0].lowerBoundMsAfter(100);
  assert.ok(bound > 0 && bound <= oracle, `lower bound ${bound.toFixed(0)} <= oracle ${oracle.toFixed(0)}`);
  for (const p of [costModelPolicy(), leastLoadedPolicy(), stayPolicy()]) {
    const r = simulate(p, opts);
    assert.is(r.lowerBoundMsAfter(100), bound, 'the bound depends on the jobs, not on the policy');
    assert.ok(oracle <= r.meanJobMsAfter(100), `oracle ${oracle.toFixed(0)} <= ${p.name} ${r.meanJobMsAfter(100).toFixed(0)}`);
  }
});

test('weave run --policy with a decision log, weave policy train and eval, then --policy-file', async () => {
  mkdirSync('build/test', { recursive: true });
  const log = 'build/test/decisions.ndjson';
  const saved = 'build/test/policy.json';
  rmSync(log, { force: true });
  rmSync(saved, { force: true });
  // hetero builds the same module: compiled once per test run (build-module.ts).
  const b = await buildModule(['examples/simd.ts', '-o', 'build/test/policy-simd.wasm', '--yield-interval', '100']);
  assert.is(b.status, 0, b.stderr);
  const first = await runCli('weave', ['run', 'build/test/policy-simd.wasm', '48', '8', '--migrate-every', '2', '--policy', 'cost-model', '--decision-log', log]);
  assert.is(first.status, 0, first.stderr);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 4, `${lines.length} placements logged`);
  assert.is(JSON.parse(lines[0]).policy, 'cost-model');
  const train = await runCli('weave', ['policy', 'train', log, '-o', saved]);
  assert.is(train.status, 0, train.stderr);
  assert.ok(existsSync(saved));
  const again = await runCli('weave', ['run', 'build/test/policy-simd.wasm', '48', '8', '--migrate-every', '2', '--policy-file', saved, '--decision-log', log]);
  assert.is(again.status, 0, again.stderr);
  assert.is(again.stdout, first.stdout, 'placement never changes the result');
  assert.ok(readFileSync(log, 'utf8').includes('"policy":"learned"'));
  const evalRun = await runCli('weave', ['policy', 'eval', log, '--policy-file', saved, '--json']);
  assert.is(evalRun.status, 0, evalRun.stderr);
  const e = JSON.parse(evalRun.stdout) as { records: number; learned: { median: number }; costModel: { median: number } };
  assert.ok(e.records > lines.length && Number.isFinite(e.learned.median) && Number.isFinite(e.costModel.median));
  const bad = await runCli('weave', ['policy', 'eval', 'README.md', '--policy-file', saved]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /README\.md:1: not JSON/);
  // A decision log is not a measurement log: the line, and what each line must be.
  const notMeasured = await runCli('weave', ['policy', 'train', '--weaver', log]);
  assert.is(notMeasured.status, 2);
  assert.match(notMeasured.stderr, /:1: 't' must be a number|:1: 'kind' must be 'pace', 'move' or 'read'/);
});

test('--policy-shared keeps the learned policy in JetStream, where the next job finds it; --policy weaver reads the hubs\' shared history', async () => {
  const ns = await startNatsServer({ jetstream: true });
  const hubs = await Promise.all(['p', 'q'].map((n) => startHubProcess(ns.url, n, ['--slots', '1', '--no-gpu'])));
  try {
    const seen: number[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await runCli('weave', ['run', 'build/test/policy-simd.wasm', '48', '8', '--nats', ns.url, '--policy-shared']);
      assert.is(r.status, 0, r.stderr);
      const nc = await connect({ servers: ns.url });
      const kv = await nc.jetstream().views.kv('weave-policy');
      const e = await kv.get('learned');
      seen.push((JSON.parse(new TextDecoder().decode(e!.value)) as { seen: number }).seen);
      await nc.close();
    }
    assert.ok(seen[1] > seen[0], `the second job continued from the first's policy: ${seen.join(' -> ')}`);
    const noNats = await runCli('weave', ['run', 'build/test/policy-simd.wasm', '4', '1', '--policy-shared'], { ...process.env, NATS_URL: '' });
    assert.is(noNats.status, 2);
    assert.match(noNats.stderr, /--policy-shared keeps the policy on the NATS server/);
    // The learned weaver's placement reads what hubs measured (none here measure: its prior).
    const weaver = await runCli('weave', ['run', 'build/test/policy-simd.wasm', '48', '8', '--nats', ns.url, '--policy', 'weaver', '--json']);
    assert.is(weaver.status, 0, weaver.stderr);
    assert.ok(['p', 'q'].includes(JSON.parse(weaver.stdout).placements[0].hub), weaver.stdout);
    const weaverAlone = await runCli('weave', ['run', 'build/test/policy-simd.wasm', '4', '1', '--policy', 'weaver'], { ...process.env, NATS_URL: '' });
    assert.is(weaverAlone.status, 2);
    assert.match(weaverAlone.stderr, /--policy weaver places from what hubs measured \(hub start --reweave learned\)/);
  } finally {
    await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
    await ns.stop();
  }
});

test.run();
