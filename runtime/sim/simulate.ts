/**
 * A discrete-event simulation of a weave cluster: jobs arrive, each runs its program's
 * fragments one after another, and policies decide from the same views a live engine and
 * a live hub build. Hubs run `slots` jobs at once and queue the rest (first in, first
 * out). How fast work goes is the World's (world.ts): exact, piecewise-constant rates.
 *
 * Two ways to run, as the two live meshes do:
 * - `stepwise` (the embedded engine): every fragment is placed by the placement policy;
 * - `routed` (a NATS mesh): a job is placed where it starts and runs its fragments there,
 *   keeping its slot, unless the holder moves it.
 * Either way, with a re-weave policy, the hub holding a running job asks it every
 * `everyMs` of running whether to move (pause, send the state, restore, cold caches), at
 * most `movesPerMinute` times per job per minute.
 *   const r = simulate(costModelPolicy(), { cluster, programs, jobs: 2000, interarrivalMs: 20, mode: 'routed' });
 *   r.meanJobMsAfter(600)
 */
import { DEFAULT_MOVES_PER_MINUTE, MS_PER_ESTIMATE_UNIT, estimatedWorkMs } from '../policy/index.js';
import type { Decision, FragmentView, HubView, PaceLearner, PaceSample, PartView, PlacementPolicy, ReadSample, ReweaveDecision } from '../policy/index.js';
import { LOCAL_READ_BYTES_PER_MS, linkMs, type FragmentTemplate, type SimHub } from './model.js';
import { makeInstance } from './instance.js';
import { finishAt, standardWorld, workBetween } from './world.js';
import { exactFutures } from './futures.js';
import { Events } from './events.js';
import { freeIn } from './free-in.js';
import { windowFactors } from './window-noise.js';
import { completionMeans, lowerBound } from './bound.js';
import { ADVERT_MS, MOVE_COST, ORACLE, PROBE, PROBE_PART, shareTimes, type Event, type HubState, type Job, type SimOptions, type SimResult, type Task } from './sim-types.js';

export function simulate(policyOrOracle: PlacementPolicy | typeof ORACLE, opts: SimOptions): SimResult {
  const wall0 = performance.now();
  const inst = makeInstance({ ...opts, datasets: opts.cluster.datasets });
  const r = inst.rand;
  const latencyEvery = opts.latencyEvery ?? 97;
  const world = opts.world ?? standardWorld();
  const routed = opts.mode === 'routed';
  const reweave = opts.reweave;
  const movesPerMinute = opts.movesPerMinute ?? DEFAULT_MOVES_PER_MINUTE;
  const learners = opts.learners ?? [];
  const measuring = learners.length > 0 || opts.onMeasurement !== undefined;
  const windowFactor = windowFactors(opts.windowNoise, opts.seed ?? 1);
  const lookEvery = reweave === undefined ? (measuring ? 500 : 0) : reweave === ORACLE ? 500 : reweave.everyMs;
  // Per template: measured compute time per unit of hub speed (what an engine learns).
  const measured = new Map<string, number>();

  const hubs: HubState[] = opts.cluster.hubs.map((h) => ({ h, up: true, running: new Set(), queue: [], cpu: world.advertisedLoad(h, 0), epoch: 0 }));
  const events = new Events<Event>();
  let now = 0;
  let placements = 0, looks = 0, moves = 0, restarts = 0;
  const decisionUs: number[] = [];
  const reweaveUs: number[] = [];
  const completions: SimResult['completions'] = [];
  // Measurements wait here for the next advert, as hubs share theirs every 2 s.
  let samples: PaceSample[] = [];
  let moveSamples: Array<Parameters<NonNullable<PaceLearner['observeMove']>>[0]> = [];
  let readSamples: ReadSample[] = [];

  const work = inst.work;
  const dataMs = (job: Job, f: FragmentTemplate, h: SimHub) => {
    if (!f.data || !job.dataset) return 0;
    if (h.datasets.includes(job.dataset)) return f.dataBytes / LOCAL_READ_BYTES_PER_MS;
    let best = Infinity;
    for (const s of hubs) if (s.up && s.h.datasets.includes(job.dataset)) best = Math.min(best, linkMs(f.dataBytes, s.h, h));
    return best === Infinity ? linkMs(f.dataBytes, undefined, h) * 4 : best; // nobody up: a slow archive
  };
  const capable = (f: FragmentTemplate, s: HubState) => f.requires.every((c) => (c === 'gpu' ? s.h.gpu : s.h.avx2));
  const lastFragment = (job: Job) => (routed ? job.program.fragments.length - 1 : job.next);

  const partOf = (job: Job, f: FragmentTemplate): PartView => ({
    template: f.template, estimate: f.estimate * job.size, calls: { simd: f.simd, gpu: f.gpu },
    measuredMs: measured.has(f.template) ? measured.get(f.template)! * job.size : undefined,
  });
  /** What a decision about `job` now covers: its current fragment, and in routed mode the rest. */
  const viewOf = (job: Job, at = job.at): FragmentView => {
    const parts: PartView[] = [];
    let estimate = 0, anyMeasured = false, work = 0, simd = false, gpu = false, reads = 0;
    for (let i = job.next; i <= lastFragment(job); i++) {
      const f = job.program.fragments[i];
      const p = partOf(job, f);
      parts.push(p);
      estimate += p.estimate;
      anyMeasured ||= p.measuredMs !== undefined;
      work += p.measuredMs ?? p.estimate * MS_PER_ESTIMATE_UNIT;
      simd ||= f.simd; gpu ||= f.gpu;
      // Every run of a fragment that reads, reads (a loop placed three times reads three
      // times); the running one has read already.
      if (f.data && (i > job.next || job.fresh)) reads += f.dataBytes;
    }
    const f0 = job.program.fragments[job.next];
    return {
      template: routed ? `${job.program.name}@${job.next}` : f0.template, estimate, measuredMs: anyMeasured ? work : undefined,
      stateBytes: f0.memoryBytes, calls: { simd, gpu }, requires: f0.requires,
      datasets: reads && job.dataset ? [{ name: job.dataset, bytes: reads }] : [], at: at?.h.id, parts,
    };
  };
  // What a hub advertises about its queue: the engine's own estimates of what is in it
  // (never true work), and for what runs, what is left of that after the time it has run.
  const queuedWork = (s: HubState) => {
    let n = 0;
    for (const q of s.queue) n += estimatedWorkMs(q.view);
    return n;
  };
  const runningWork = (s: HubState) => {
    let n = 0;
    for (const t of s.running) n += Math.max(0, estimatedWorkMs(t.view) - ((now - t.placedAt) * s.h.speed) / (1 + s.cpu));
    return n;
  };
  const predictor = opts.predictor?.predictMs ? opts.predictor : undefined;
  const loadNow = (s: HubState) => world.advertisedLoad(s.h, now) + ((s.running.size + s.queue.length) / s.h.slots) * 0.1; // what an advert now would say
  // A hub sees itself as it is now (its samples, its own runs; live hubs read their load
  // when they describe themselves), the others as their last advert said (ADVERT_MS).
  const hubViewOf = (from: HubState | undefined, s: HubState): HubView => ({
    id: s.h.id, slots: s.h.slots, busy: s.running.size, queue: s.queue.length, cpu: from === s ? loadNow(s) : s.cpu, speed: s.h.speed,
    caps: { avx2: s.h.avx2, gpu: s.h.gpu }, datasets: s.h.datasets,
    rttMs: 2 * ((from ? from.h.latencyMs : 0.2) + s.h.latencyMs), mbps: Math.min(from ? from.h.mbps : 10_000, s.h.mbps),
    queuedWork: queuedWork(s), runningWork: runningWork(s), linkMbps: s.h.mbps, memTier: s.h.memTier,
    freeInMs: predictor ? freeIn(s, now) : undefined,
  });
  /** The hub's prediction of what `task` has left from now (`recent`: the pace just measured). */
  const predict = (task: Task, recent = { units: 0, ms: 0 }) => {
    if (!predictor) return;
    const job = task.job;
    task.predMs = predictor.predictMs!({ rest: viewOf(job, task.hub), done: work(job, job.program.fragments[job.next]) - job.left, recent }, hubViewOf(task.hub, task.hub)) + Math.max(0, task.computeFrom - now);
    task.predAt = now;
  };

  // ---- exact futures (the oracle's knowledge) ----
  const { endIfStarted, freesAt, oraclePlace, endAfterQueue } = exactFutures({
    world, work, dataMs, lastFragment, hubs, now: () => now, externality: opts.oracleExternality ?? 0,
  });

  const placement: PlacementPolicy = policyOrOracle === ORACLE
    ? { name: ORACLE, choose: () => { throw new Error('oracle decisions are made by the simulator'); } }
    : policyOrOracle;

  // ---- running ----
  const pushLook = (task: Task, t: number) => { if (lookEvery > 0) events.push({ t, kind: 'look', task, seq: task.seq }); };
  const startFragment = (task: Task, t: number) => {
    const job = task.job;
    const s = task.hub;
    const f = job.program.fragments[job.next];
    const read = job.fresh ? dataMs(job, f, s.h) : 0;
    if (read > 0 && measuring) readSamples.push({ dataset: job.dataset!, bytes: f.dataBytes, ms: read, local: s.h.datasets.includes(job.dataset!), hub: hubViewOf(s, s), t: t + read });
    const delay = (job.at && job.at !== s ? linkMs(f.memoryBytes, job.at.h, s.h) : 0) + read + job.pending;
    job.at = s;
    job.fresh = false;
    job.pending = 0;
    task.rate = world.baseRate(job, f, s.h);
    task.computeFrom = task.fragComputeStart = t + delay;
    task.endsAt = finishAt(world, job.left, task.rate, s.h, task.computeFrom);
    task.freesAt = NaN;
    events.push({ t: task.endsAt, kind: 'finish', task, seq: task.seq });
    predict(task);
  };
  const startTask = (task: Task) => {
    task.hub.running.add(task);
    task.lastLook = now;
    startFragment(task, now);
    pushLook(task, now + lookEvery);
  };
  const release = (task: Task) => {
    const s = task.hub;
    s.running.delete(task);
    task.seq++;
    const next = s.queue.shift();
    if (next) startTask(next);
  };
  const enqueue = (task: Task) => {
    if (task.hub.running.size < task.hub.h.slots) startTask(task);
    else {
      predict(task);
      task.hub.queue.push(task);
    }
  };
  /** Units done since the last count; counts job.left down. */
  const progress = (task: Task): number => {
    if (now <= task.computeFrom) return 0;
    const done = workBetween(world, task.rate, task.hub.h, task.computeFrom, now);
    task.job.left -= done;
    task.computeFrom = now;
    return done;
  };
  /** A pace measurement of the units just done (since the last look, or since compute began). */
  const sample = (task: Task, units: number, total?: number): number => {
    const ms = now - Math.max(task.lastLook, task.fragComputeStart);
    task.lastLook = now;
    if (measuring && ms > 0 && units > 0) {
      const job = task.job;
      samples.push({ part: partOf(job, job.program.fragments[job.next]), hub: hubViewOf(task.hub, task.hub), units, ms, t: now, total });
    }
    return ms;
  };

  const place = (job: Job) => {
    const f = job.program.fragments[job.next];
    const able = hubs.filter((s) => s.up && capable(f, s));
    if (!able.length) { events.push({ t: now + 1000, kind: 'retry', job }); return; }
    const view = viewOf(job);
    const views = able.map((s) => hubViewOf(job.at, s));
    placements++;
    const timed = placements % latencyEvery === 0;
    const t0 = timed ? performance.now() : 0;
    let decision: Decision;
    if (policyOrOracle === ORACLE) {
      const { index, ms } = oraclePlace(job, able);
      decision = { hub: views[index].id, policy: ORACLE, predictedMs: ms };
    } else {
      decision = placement.choose(view, views);
    }
    if (timed) decisionUs.push((performance.now() - t0) * 1000);
    const i = views.findIndex((v) => v.id === decision.hub);
    if (i < 0) throw new Error(`${placement.name} chose '${decision.hub}', not a candidate`);
    const s = able[i];
    enqueue({ job, hub: s, seq: 0, epoch: s.epoch, view, hubView: views[i], decision, candidates: views.length, placedAt: now, rate: 0, computeFrom: 0, fragComputeStart: 0, endsAt: 0, freesAt: NaN, lastLook: now, predMs: 0, predAt: now });
  };

  /** Stay or move, at a yield point of a running job. */
  const look = (task: Task) => {
    const { job, hub: s } = task;
    const done = progress(task) * windowFactor();
    const ms = sample(task, done);
    if (now >= task.computeFrom) predict(task, { units: done, ms: Math.max(0, ms) });
    if (reweave === undefined || now < task.computeFrom) return;
    while (job.moves.length && job.moves[0] <= now - 60_000) job.moves.shift();
    if (job.moves.length >= movesPerMinute) return;
    const f = job.program.fragments[job.next];
    looks++;
    const timed = looks % latencyEvery === 0;
    const t0 = timed ? performance.now() : 0;
    let to: HubState | undefined;
    let d: ReweaveDecision;
    if (reweave === ORACLE) {
      // Full knowledge: move where it finishes soonest, if that beats staying, counting
      // only hubs with a slot free now (moving into a queue never paid in trials).
      const stayEnd = freesAt(task);
      let best = now + (stayEnd - now) * (1 - (opts.oracleMoveGain ?? 0.5));
      for (const c of hubs) {
        if (c === s || !c.up || c.queue.length || c.running.size >= c.h.slots || !capable(f, c)) continue;
        const arrive = now + MOVE_COST.pauseMs + linkMs(f.memoryBytes, s.h, c.h);
        const end = endIfStarted(job, c, arrive, { at: c, fresh: false, pending: restoreMs(f.memoryBytes), left: job.left });
        if (end < best - 1e-6) { best = end; to = c; }
      }
      d = { to: to?.h.id, policy: ORACLE };
    } else {
      const able = hubs.filter((c) => c.up && capable(f, c));
      const views = able.map((c) => hubViewOf(s, c));
      const run = {
        job: String(job.id), rest: viewOf(job, s), done: work(job, f) - job.left,
        recent: { units: done, ms: Math.max(0, ms) }, sinceMs: now - job.sinceMove, movesLastMinute: job.moves.length,
      };
      d = reweave.consider(run, hubViewOf(s, s), views, now);
      if (d.to !== undefined && d.to !== s.h.id) {
        to = able.find((c) => c.h.id === d.to);
        if (!to) throw new Error(`${reweave.name} moved a job to '${d.to}', not a candidate`);
      }
    }
    if (timed) reweaveUs.push((performance.now() - t0) * 1000);
    if (opts.judge && d.options) {
      const stay = freesAt(task) - now;
      for (const o of d.options) {
        const c = hubs.find((x) => x.h.id === o.hub);
        if (!c || !Number.isFinite(o.p)) continue;
        const arrive = now + MOVE_COST.pauseMs + linkMs(f.memoryBytes, s.h, c.h);
        const moved = endAfterQueue(job, c, arrive, { at: c, fresh: false, pending: restoreMs(f.memoryBytes), left: job.left }) - now;
        opts.judge({ p: o.p, better: moved < stay, stayMs: stay, moveMs: moved, moved: o.hub === d.to });
      }
    }
    if (!to) return;
    // Pause, send the state, restore there (its queue permitting), then cold caches.
    moves++;
    job.moves.push(now);
    job.sinceMove = now;
    job.movedDuring = job.next;
    release(task);
    job.at = to;
    job.pending = restoreMs(f.memoryBytes);
    events.push({ t: now + MOVE_COST.pauseMs + linkMs(f.memoryBytes, s.h, to.h), kind: 'land', job, hub: to, seq: job.landing, from: s.h.id, d, movedAt: now });
  };

  const allJobs: Job[] = inst.jobs.map((spec) => {
    const job: Job = { ...spec, next: 0, left: 0, fresh: true, pending: 0, moves: [], sinceMove: spec.arrival, landing: 0, movedDuring: -1 };
    job.left = work(job, spec.program.fragments[0]);
    events.push({ t: spec.arrival, kind: 'arrive', job });
    return job;
  });
  const horizon = inst.horizon;
  for (const at of shareTimes(opts, horizon * 3 + 600_000)) events.push({ t: at, kind: 'share' });
  if (opts.failures ?? true) {
    for (const s of hubs) if (Number.isFinite(s.h.mtbfMs)) events.push({ t: -Math.log(1 - r()) * s.h.mtbfMs, kind: 'fail', hub: s });
  }

  const restart = (job: Job) => {
    restarts++;
    // Its state died with the hub: the fragment starts again from the engine's copy.
    job.at = undefined;
    job.left = work(job, job.program.fragments[job.next]);
    job.fresh = true;
    job.pending = 0;
    job.landing++;
    place(job);
  };

  let finished = 0;
  while (events.size && finished < opts.jobs) {
    const e = events.pop();
    now = e.t;
    switch (e.kind) {
      case 'arrive': case 'retry': place(e.job); break;
      case 'share': {
        // Every ADVERT_MS of the share times is an advert too: load, and idle hubs' probes.
        const advert = now % ADVERT_MS === 0;
        if (advert) for (const s of hubs) s.cpu = loadNow(s);
        if (opts.probeMs && measuring && advert) {
          // Idle hubs time a short calibration run (what they ran at start) and record its pace.
          for (const s of hubs) {
            if (!s.up || s.running.size) continue;
            const units = workBetween(world, world.baseRate({ size: 1 }, PROBE, s.h), s.h, now - opts.probeMs, now) * windowFactor(); // a short window, as noisy
            samples.push({ part: PROBE_PART, hub: hubViewOf(s, s), units, ms: opts.probeMs, t: now, weight: 0.5 });
          }
        }
        for (const l of learners) {
          for (const x of samples) l.observePace(x);
          if (l.observeMove) for (const m of moveSamples) l.observeMove(m);
          if (l.observeRead) for (const x of readSamples) l.observeRead(x);
        }
        if (opts.onMeasurement) {
          for (const x of samples) opts.onMeasurement({ kind: 'pace', ...x });
          for (const x of moveSamples) opts.onMeasurement({ kind: 'move', ...x });
          for (const x of readSamples) opts.onMeasurement({ kind: 'read', ...x });
        }
        samples = [];
        moveSamples = [];
        readSamples = [];
        break;
      }
      case 'fail': {
        const s = e.hub;
        s.up = false;
        s.epoch++;
        const lost = [...s.running, ...s.queue];
        for (const task of lost) task.seq++;
        s.running.clear();
        s.queue = [];
        for (const task of lost) restart(task.job);
        events.push({ t: now + 10_000 + r() * 20_000, kind: 'recover', hub: s });
        break;
      }
      case 'recover': {
        e.hub.up = true;
        events.push({ t: now + -Math.log(1 - r()) * e.hub.h.mtbfMs, kind: 'fail', hub: e.hub });
        break;
      }
      case 'land': {
        const job = e.job;
        if (e.seq !== job.landing) break;
        if (!e.hub.up) { restart(job); break; }
        const view = viewOf(job);
        // The hub measures the move from the pause to the first yield after the restore
        // (cold caches included): it lands now, and pays `pending` before running again.
        moveSamples.push({ from: e.from, to: hubViewOf(e.hub, e.hub), stateBytes: view.stateBytes, ms: now - e.movedAt + job.pending, t: now });
        const task: Task = { job, hub: e.hub, seq: 0, epoch: e.hub.epoch, view, hubView: hubViewOf(e.hub, e.hub), candidates: 0, placedAt: now, rate: 0, computeFrom: 0, fragComputeStart: 0, endsAt: 0, freesAt: NaN, lastLook: now, predMs: 0, predAt: now };
        opts.onMove?.(job.id, e.from, e.hub.h.id, e.d);
        enqueue(task);
        break;
      }
      case 'look': {
        const task = e.task;
        if (e.seq !== task.seq || task.epoch !== task.hub.epoch) break;
        look(task);
        if (e.seq === task.seq) pushLook(task, now + lookEvery);
        break;
      }
      case 'finish': {
        const task = e.task;
        const s = task.hub;
        if (e.seq !== task.seq || task.epoch !== s.epoch) break;
        const job = task.job;
        const f = job.program.fragments[job.next];
        const done = progress(task);
        sample(task, done, work(job, f));
        if (job.movedDuring !== job.next) {
          // The engine's measure: compute time times the hub's speed, per unit of size (it
          // mixes in acceleration and load: what a live engine measures).
          const compute = ((now - task.fragComputeStart) * s.h.speed) / job.size;
          const m = measured.get(f.template);
          measured.set(f.template, m === undefined ? compute : m * 0.9 + compute * 0.1);
        }
        const last = job.next === job.program.fragments.length - 1;
        if (!routed || last) {
          const ms = now - task.placedAt;
          if (task.decision) {
            placement.observe?.(task.view, task.hubView, ms, task.decision);
            opts.onOutcome?.({ t: now, policy: task.decision.policy, fragment: task.view, hub: task.hubView, candidates: task.candidates, predictedMs: task.decision.predictedMs, ms });
          }
        }
        job.next++;
        if (last) {
          release(task);
          finished++;
          completions.push({ job: job.id, ms: now - job.arrival, decision: placements + looks, program: job.program.name });
          break;
        }
        job.left = work(job, job.program.fragments[job.next]);
        job.fresh = true;
        if (routed) {
          task.lastLook = now;
          startFragment(task, now);
        } else {
          release(task);
          place(job);
        }
        break;
      }
    }
  }

  function restoreMs(bytes: number): number {
    return MOVE_COST.restoreMs + bytes / MOVE_COST.restoreBytesPerMs + MOVE_COST.coldMs;
  }

  const { meanAfter, boundAfter } = completionMeans(completions, allJobs, (j, reads) => lowerBound(world, opts.cluster.hubs, j, j.program.fragments.map((f) => work(j, f)), j.dataset, reads));
  return {
    policy: placement.name, jobs: completions.length, decisions: placements + looks, placements, moves,
    meanJobMs: meanAfter(0), meanJobMsAfter: meanAfter, lowerBoundMsAfter: boundAfter,
    completions, decisionUs, reweaveUs, restarts, wallMs: performance.now() - wall0,
  };
}
