/**
 * Stay or move, and what it learns from: the learned weaver moves a job off a hub that
 * turned slow without advertising it and leaves it between equal hubs (pure, and in the
 * simulator); where a job starts, a queue costs more the busier the cluster and the deeper
 * the queue; the fixed rule answers behind the same interface; measured history merges as
 * a join; a measurement log trains a weaver as the live run did; the exact oracle's
 * schedule is what the simulator runs; the families' worlds integrate exactly.
 * (How well the weaver does is measured in bench/policy.ts, never asserted here.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  LearnedWeaver, PaceHistory, clusterLoad, costModelPolicy, fixedReweavePolicy, mergeWeaverStates, paceHalfLife, parseMeasurementLog, formatMeasurement, trainWeaver,
  MeasurementLogError, HistoryError, type FragmentView, type HubView, type Measurement, type PartView, type RunView,
} from '../runtime/policy/index.js';
import {
  FAMILIES, ORACLE, exactSchedule, finishAt, makeCluster, makeInstance, simulate, standardWorld, workBetween, type Program, type SimHub, type World,
} from '../runtime/sim/index.js';

const test = suite('policy-weave');

const hub = (id: string, over: Partial<HubView> = {}): HubView => ({
  id, slots: 2, busy: 1, queue: 0, cpu: 0, speed: 1, caps: { avx2: false, gpu: false }, datasets: [], rttMs: 1, mbps: 1000, memTier: 2, ...over,
});
const part: PartView = { template: 'loop#1', estimate: 2000, calls: { simd: false, gpu: false } };
const rest = (at: string): FragmentView => ({ template: 'p@1', estimate: 2000, stateBytes: 1 << 18, calls: { simd: false, gpu: false }, requires: [], datasets: [], at, parts: [part] });

/** A weaver that has seen `part` run at 1 unit/ms on both hubs, and its total of 2000 units. */
function trained(): LearnedWeaver {
  const w = new LearnedWeaver({ seed: 4, moveEpsilon: 0, moveEpsilonMin: 0 });
  for (let i = 0; i < 200; i++) {
    for (const id of ['a', 'b']) w.observePace({ part, hub: hub(id), units: 500, ms: 500, t: i * 100, total: i % 10 === 0 ? 2000 : undefined });
  }
  return w;
}
/** A job with no state yet, placed by the queue-charge tests. */
const queuedJob: FragmentView = { template: 'q@0', estimate: 2000, stateBytes: 0, calls: { simd: false, gpu: false }, requires: [], datasets: [] };
const look = (recent: { units: number; ms: number }): RunView => ({ job: 'j', rest: rest('a'), done: 400, recent, sinceMs: 5000, movesLastMinute: 0 });

test('the learned weaver moves a job off a hub that turned slow without advertising it', () => {
  const w = trained();
  // Hub a advertises what it always did; the job's pace there just fell to a quarter.
  const first = w.reweave.consider(look({ units: 125, ms: 500 }), hub('a'), [hub('a'), hub('b', { busy: 0 })], 20_000);
  assert.is(first.to, undefined, 'one look leans, it does not move');
  assert.is(first.leaning, 'b');
  const d = w.reweave.consider(look({ units: 125, ms: 500 }), hub('a'), [hub('a'), hub('b', { busy: 0 })], 20_500);
  assert.is(d.to, 'b', 'the next look agrees: it moves');
  assert.ok(d.options![0].hub === 'b' && d.options![0].p > 0.9, `p(move to b) ${d.options![0].p}`);
  // Half a second at a quarter of the pace weighs 500 / (500 + 300) against the history.
  assert.ok(d.stayMs! > 2 * d.options![0].predictedMs, `stay ${d.stayMs} against move ${d.options![0].predictedMs}`);
});

test('it does not move a job between two equal hubs, nor past the safety limit', () => {
  const w = trained();
  const hubs = [hub('a'), hub('b', { busy: 0 })];
  for (let i = 0; i < 50; i++) {
    const d = w.reweave.consider(look({ units: 490 + (i % 3) * 10, ms: 500 }), hubs[0], hubs, 20_000 + i * 500);
    assert.is(d.to, undefined, `look ${i}: moved to ${d.to}`);
  }
  const slow = { ...look({ units: 125, ms: 500 }), movesLastMinute: 4 };
  assert.is(w.reweave.consider(slow, hubs[0], hubs, 50_000).to, undefined, 'four moves in the last minute: no fifth');
});

test('where a job starts: it joins a fast hub\'s short queue on a quiet cluster, and takes a free slower slot on a loaded one', () => {
  // Hub f runs the job 4x faster than s but is full, a slot freeing in one run of the job
  // there; s has a slot free. Twenty crawling hubs (never worth it) are idle, or each full
  // with two queued. Joining f's queue costs the fragments after it more on the loaded
  // cluster (loadScaledCharge): 2.5 runs of f against 4 on s when quiet, 5 when loaded.
  const w = new LearnedWeaver({ seed: 2, epsilon: 0, epsilonMin: 0 });
  const crawl = (i: number, loaded: boolean) => hub(`c${i}`, { speed: 0.05, busy: loaded ? 2 : 0, queue: loaded ? 2 : 0 });
  const runOnF = w.placement.choose(queuedJob, [hub('f', { speed: 4, busy: 0 })]).predictedMs!;
  const f = hub('f', { speed: 4, busy: 2, freeInMs: runOnF });
  const s = hub('s', { speed: 1, busy: 0 });
  const cluster = (loaded: boolean) => [f, s, ...Array.from({ length: 20 }, (_, i) => crawl(i, loaded))];
  assert.ok(clusterLoad(cluster(false)) < 0.1 && clusterLoad(cluster(true)) > 1.5, `loads ${clusterLoad(cluster(false))}, ${clusterLoad(cluster(true))}`);
  assert.is(w.placement.choose(queuedJob, cluster(false)).hub, 'f', 'quiet: waits one run for the fast hub');
  assert.is(w.placement.choose(queuedJob, cluster(true)).hub, 's', 'loaded: takes the free slot');
});

test('where a job starts: behind a queue it charges more the deeper the queue, at the same wait', () => {
  // Hub f runs the job 4x faster than s and is full, its next slot free in one run of the
  // job there; s has a slot free; twenty hubs of the same speed as s each run one job (load
  // about 0.5). With nobody waiting at f, one run's wait there is worth it (f's score 1 + 1 +
  // 1.25 runs of f against 4 on s). With two waiting, what joining costs the fragments after
  // it is three times that (queueDepthCharge, at most 3 runs): 5 runs of f against 4.
  const pick = (queued: number, chargePerQueued?: number) => {
    const w = new LearnedWeaver({ seed: 2, epsilon: 0, epsilonMin: 0, ...(chargePerQueued === undefined ? {} : { chargePerQueued }) });
    const runOnF = w.placement.choose(queuedJob, [hub('f', { speed: 4, busy: 0 })]).predictedMs!;
    const f = hub('f', { speed: 4, busy: 2, queue: queued, freeInMs: runOnF });
    const others = Array.from({ length: 20 }, (_, i) => hub(`o${i}`, { speed: 1, busy: 1 }));
    return w.placement.choose(queuedJob, [f, hub('s', { speed: 1, busy: 0 }), ...others]).hub;
  };
  assert.is(pick(0), 'f', 'nobody waiting: it joins');
  assert.is(pick(2), 's', 'two waiting: it takes the free slot');
  assert.is(pick(2, 0), 'f', 'with the depth not charged, as before: it joins');
});

test('one starved window between steady ones moves nothing: a move needs two looks in a row that agree', () => {
  const w = trained();
  const hubs = [hub('a'), hub('b', { busy: 0 })];
  for (let i = 0; i < 40; i++) {
    // Every fourth window the machine starved the slot: a tenth of the pace, then back.
    const d = w.reweave.consider(look({ units: i % 4 === 1 ? 50 : 500, ms: 500 }), hubs[0], hubs, 20_000 + i * 500);
    assert.is(d.to, undefined, `look ${i}: moved to ${d.to}`);
    if (i % 4 === 1) assert.is(d.leaning, 'b', `look ${i}: that window alone says move`);
  }
  // Another job's lean is not this one's confirmation.
  assert.is(w.reweave.consider({ ...look({ units: 50, ms: 500 }), job: 'k' }, hubs[0], hubs, 45_000).to, undefined);
  assert.is(w.reweave.consider(look({ units: 50, ms: 500 }), hubs[0], hubs, 45_500).to, undefined, 'j\'s look before was steady');
  // A lean from long ago (the job left and came back) confirms nothing.
  assert.is(w.reweave.consider(look({ units: 50, ms: 500 }), hubs[0], hubs, 90_000).to, undefined, 'a lean 44.5 s old');
  assert.is(w.reweave.consider(look({ units: 50, ms: 500 }), hubs[0], hubs, 90_500).to, 'b', 'and the look after it agrees');
});

/** A world where hub h0 turns 4x slower at `at` (unadvertised), and nothing else changes. */
function turnsSlow(at: number): World {
  const base = standardWorld();
  return {
    ...base, name: 'turns-slow',
    timeFactor: (h, t) => (h.id === 'h0' && t >= at ? 0.25 : 1),
    nextChange: (h, t) => (h.id === 'h0' && t < at ? at : Infinity),
    maxTimeFactor: () => 1,
    advertisedLoad: () => 0,
  };
}
const twoHubs = (): { hubs: SimHub[]; datasets: string[] } => {
  const c = makeCluster({ hubs: 2, seed: 1, mtbfMs: Infinity });
  for (const h of c.hubs) Object.assign(h, { speed: 1, slots: 1, avx2: false, gpu: false, memSpeed: 1, memTier: 2, latencyMs: 0.5, mbps: 1000, load: { base: 0, amp: 0, periodMs: 1, phase: 0 } });
  return c;
};
const long: Program[] = [{ name: 'long', fragments: [{ template: 'long#0', estimate: 100_000, memoryBytes: 1 << 18, simd: false, gpu: false, data: false, dataBytes: 0, requires: [] }] }];

test('in the simulator, the learned re-weave takes a job off a hub that turned slow, and never moves between equal hubs', () => {
  // Jobs one at a time (5 s of work, one every 20 s), so the only question is stay or move.
  const opts = { cluster: twoHubs(), programs: long, jobs: 12, interarrivalMs: 20_000, seed: 3, estimateSigma: 0, sizeSigma: 0, failures: false, mode: 'routed' as const };
  const run = (world: World, reweave: boolean) => {
    const w = new LearnedWeaver({ seed: 2, moveEpsilon: 0, moveEpsilonMin: 0, epsilon: 0, epsilonMin: 0 });
    const moves: Array<{ job: number; from: string; to: string }> = [];
    const r = simulate(w.placement, { ...opts, world, reweave: reweave ? w.reweave : undefined, learners: [w], predictor: w, onMove: (job, from, to) => moves.push({ job, from, to }) });
    return { r, moves };
  };
  const equal = run(standardWorld(), true);
  assert.is(equal.r.jobs, 12);
  assert.is(equal.moves.length, 0, 'equal hubs: no move');
  // h0 turns 4x slower a second into the last job that starts there.
  const lastOnH0 = (() => {
    const w = new LearnedWeaver({ seed: 2, epsilon: 0, epsilonMin: 0 });
    let job = -1, at = 0;
    simulate(w.placement, { ...opts, learners: [w], onOutcome: (rec) => { if (rec.hub.id === 'h0') { job++; at = rec.t - rec.ms; } } });
    return at;
  })();
  const slow = turnsSlow(lastOnH0 + 1000);
  const stay = run(slow, false);
  const moved = run(slow, true);
  assert.ok(moved.moves.some((m) => m.from === 'h0' && m.to === 'h1'), `moved off h0: ${JSON.stringify(moved.moves)}`);
  assert.ok(moved.r.meanJobMs < stay.r.meanJobMs, `with moves ${moved.r.meanJobMs.toFixed(0)} ms, without ${stay.r.meanJobMs.toFixed(0)} ms`);
});

test('the fixed rule answers behind the same interface: two views in a row, then a move', () => {
  const rule = fixedReweavePolicy();
  const holder = hub('a', { slots: 1, busy: 1 });
  const hubs = [holder, hub('fast', { speed: 2, busy: 0 })];
  const run = look({ units: 500, ms: 500 });
  assert.is(rule.consider(run, holder, hubs, 0).to, undefined, 'first view');
  assert.is(rule.consider(run, holder, hubs, 1000).to, 'fast', 'second view');
  assert.is(rule.consider({ ...run, sinceMs: 100 }, holder, hubs, 2000).to, undefined, 'just moved: cooldown');
  assert.is(rule.consider(run, holder, [holder, hub('same', { busy: 0 })], 3000).to, undefined, 'not 1.5x faster');
});

test('measured history merges as a join: both writers count, any order, stale cells lose', () => {
  const key = 'h|x';
  const a = new PaceHistory(paceHalfLife), b = new PaceHistory(paceHalfLife);
  a.record('hub-a', key, 1, 1000);
  b.record('hub-b', key, 3, 1000);
  const ab = new PaceHistory(paceHalfLife), ba = new PaceHistory(paceHalfLife);
  ab.merge(a.snapshot()); ab.merge(b.snapshot());
  ba.merge(b.snapshot()); ba.merge(a.snapshot()); ba.merge(a.snapshot());
  assert.equal(ab.snapshot(), ba.snapshot(), 'order and repetition do not matter');
  assert.is(ab.stat(key, 1000)!.mean, 2, 'both measurements count (last writer wins would keep one)');
  const old = a.snapshot('hub-a');
  a.record('hub-a', key, 5, 2000);
  const before = a.stat(key, 2000)!.mean;
  assert.is(a.merge(old), 0, 'an older cell of the same writer is not taken');
  assert.is(a.stat(key, 2000)!.mean, before);
  assert.throws(() => a.merge({ version: 2 } as never), (e: Error) => e instanceof HistoryError && /not a weave pace-history snapshot/.test(e.message));
});

test('a measurement log trains a weaver to what the online one learned; replicas merge', () => {
  const cluster = makeCluster({ hubs: 6, seed: 2 });
  const log: Measurement[] = [];
  // Without the network: its minibatches draw from the same stream as the online run's
  // exploration, so only the history is the same measurement for measurement.
  const online = new LearnedWeaver({ seed: 5, net: false });
  simulate(online.placement, {
    cluster, programs: long, jobs: 30, interarrivalMs: 400, seed: 1, mode: 'routed', reweave: online.reweave, learners: [online], predictor: online,
    onMeasurement: (m) => log.push(m),
  });
  const text = log.map(formatMeasurement).join('');
  const offline = new LearnedWeaver({ seed: 5, net: false });
  assert.is(trainWeaver(offline, parseMeasurementLog(text, 'm.ndjson')), log.length);
  assert.equal(offline.model.history.snapshot(), online.model.history.snapshot());
  const h = hub(cluster.hubs[0].id, { speed: cluster.hubs[0].speed, caps: { avx2: cluster.hubs[0].avx2, gpu: cluster.hubs[0].gpu }, memTier: cluster.hubs[0].memTier });
  const f = { ...rest(h.id), parts: [{ template: 'long#0', estimate: 100_000, calls: { simd: false, gpu: false } }] };
  const q = { rest: f, done: 0, recent: { units: 0, ms: 0 } };
  assert.is(offline.predictMs(q, h).toFixed(6), online.predictMs(q, h).toFixed(6));
  assert.throws(() => parseMeasurementLog('{"kind":"pace","t":1}\n', 'm.ndjson'), (e: Error) => e instanceof MeasurementLogError && /m\.ndjson:1: a pace measurement needs|'part' is not a part view/.test(e.message));
  // Two replicas' states: the merged one holds both histories.
  const other = new LearnedWeaver({ seed: 6 });
  // Two samples: a template's first one teaches its own terms only, not the hub's (pace-model.ts).
  other.observePace({ part, hub: hub('elsewhere'), units: 10, ms: 100, t: 5 });
  other.observePace({ part, hub: hub('elsewhere'), units: 10, ms: 100, t: 6 });
  const merged = LearnedWeaver.fromJSON(mergeWeaverStates(online.toJSON(), other.toJSON()));
  const keys = Object.keys(merged.model.history.snapshot().cells);
  for (const k of [...Object.keys(online.model.history.snapshot().cells), 'h|elsewhere']) assert.ok(keys.includes(k), `merged holds ${k}`);
  assert.is(LearnedWeaver.fromJSON(JSON.parse(JSON.stringify(online.toJSON()))).predictMs(q, h).toFixed(6), online.predictMs(q, h).toFixed(6));
});

test("the exact oracle's schedule is what the simulator runs, and no scheduler without moves beats it", () => {
  const cluster = makeCluster({ hubs: 4, seed: 21, gpuShare: 0.25 });
  const programs: Program[] = [
    long[0],
    { name: 'pair', fragments: [{ template: 'pair#0', estimate: 20_000, memoryBytes: 1 << 18, simd: true, gpu: false, data: false, dataBytes: 0, requires: [] }, { template: 'pair#1', estimate: 30_000, memoryBytes: 1 << 18, simd: false, gpu: true, data: false, dataBytes: 0, requires: [] }] },
  ];
  const stream = { cluster, programs, jobs: 40, interarrivalMs: 300, seed: 4, pauseAfter: { jobs: 30, ms: 300_000 } };
  const inst = makeInstance({ ...stream, datasets: cluster.datasets });
  const world = FAMILIES.find((f) => f.key === 'b')!.world(cluster, { seed: 3, horizonMs: inst.horizon });
  const exact = exactSchedule({ hubs: cluster.hubs, world, jobs: inst.jobs.slice(30), work: inst.work });
  assert.ok(exact.optimal, `proved optimal (${exact.nodes} nodes)`);
  const base = { ...stream, world, mode: 'routed' as const, failures: false };
  let k = 0;
  const replay = { name: 'replay', choose: (f: FragmentView, hubs: readonly HubView[]) => (k++ < 30 ? costModelPolicy().choose(f, hubs) : { hub: exact.assignment[k - 31], policy: 'replay' }) };
  const r = simulate(replay, base);
  assert.is(r.meanJobMsAfter(30).toFixed(6), exact.meanMs.toFixed(6));
  for (const x of [0, 1, 2]) {
    const o = simulate(ORACLE, { ...base, oracleExternality: x }).meanJobMsAfter(30);
    assert.ok(o >= exact.meanMs * (1 - 1e-9), `oracle x${x} ${o.toFixed(1)} >= optimum ${exact.meanMs.toFixed(1)}`);
  }
  assert.ok(exact.meanMs >= simulate(costModelPolicy(), base).lowerBoundMsAfter(30) - 1e-6, 'the lower bound is below the optimum');
});

test("each family's world integrates exactly, and its hubs advertise only the standard load", () => {
  const cluster = makeCluster({ hubs: 8, seed: 5 });
  const f = long[0].fragments[0];
  for (const fam of FAMILIES) {
    const w = fam.world(cluster, { seed: 1, horizonMs: 60_000 });
    for (const h of cluster.hubs) {
      const rate = w.baseRate({ size: 1 }, f, h);
      const end = finishAt(w, 5000, rate, h, 10_000);
      assert.ok(Math.abs(workBetween(w, rate, h, 10_000, end) - 5000) < 1e-6, `${fam.name} ${h.id}: work done by the end is the work`);
      assert.is(w.advertisedLoad(h, 12_345), standardWorld().advertisedLoad(h, 12_345), `${fam.name}: adverts show only what the standard world shows`);
    }
  }
});

test('routed, without failures or moves, the oracle predicts every job exactly', () => {
  const cluster = makeCluster({ hubs: 8, seed: 4, gpuShare: 0.3 });
  const world = FAMILIES.find((f) => f.key === 'd')!.world(cluster, { seed: 2, horizonMs: 12_000 });
  let off = 0, n = 0;
  simulate(ORACLE, {
    cluster, programs: long, jobs: 60, interarrivalMs: 200, seed: 3, failures: false, mode: 'routed', world, oracleExternality: 2,
    onOutcome: (rec) => { n++; if (Math.abs(rec.ms - rec.predictedMs!) > 1e-6 * rec.ms) off++; },
  });
  assert.is(n, 60);
  assert.is(off, 0);
});

test.run();
