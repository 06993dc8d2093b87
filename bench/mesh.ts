/**
 * What the NATS mesh costs, against raw NATS in the same script on the same server:
 *
 * - migrate: a fragment holding 1 MiB / 16 MiB of state, all of it rewritten between
 *   pauses, moves between two `hub start` processes at every pause. Pause-to-resume is the
 *   time from the pause on one hub to the restored fragment resuming on the other (both
 *   hubs stamp it; same machine, same clock). Ratio: its median over the median raw NATS
 *   request/reply carrying the same number of bytes to a responder in another process,
 *   the first WARMUP of each left out alike (since 2026-12-06; before, the raw loop left
 *   out its first three and the migrations none, and the first 16 MiB hand-overs run two
 *   to three times slower than the rest), and as many timed of each: 100 of 1 MiB, 30 of
 *   16 MiB (since the thirtieth session; 10 from the seventeenth, whose median put the
 *   ratio anywhere from 1.18 to 1.69 in runs minutes apart; before, 30 and 10 migrations
 *   against 20 raw round trips, and the raw loop's median keeps falling with more of them).
 * - dispatch: tiny one-loop jobs through the mesh, one after another, in fragments/s,
 *   against a raw request/reply loop of small messages in round trips/s (both over the
 *   loop's whole time, both after WARM_JOBS more of the same; `dispatch_ratio_first`: the
 *   first jobs' fragments/s, while V8 still optimizes, as the ratio was until 2026-12-07).
 * - diff: bytes sent for a migration after a one-word change in 16 MiB, against the first
 *   (full) checkpoint, which leaves out zero pages, and the 16 MiB of memory.
 * - memory: 3 jobs of 8 MiB at once; the base checkpoints a hub holds (one per job), and
 *   its resident memory, against an idle hub's.
 * - route diffs: a job that rewrites a few pages between pauses (bench/programs/walk.ts)
 *   moving round-robin over 4 hubs. `route_diff_ratio`: the median over its migrations
 *   (after the first round, when every hub holds a base) of the bytes sent, over the bytes
 *   of the pages changed since the receiving hub last held the state, which is what it
 *   lacks; `route_interval_ratio`: the same bytes over the pages changed since the
 *   previous pause alone. Both counted by replaying the job in this process (it is
 *   deterministic) and diffing its state at the same pauses.
 *
 * The server runs with max_payload 32 MiB so raw NATS can carry 16 MiB in one message.
 *   npm run bench              # overhead, then this
 *   node dist/bench/mesh.js --quick
 * Last line: `bench mesh: migrate1m_ratio=… migrate1m_ms=… migrate16m_ratio=… …`.
 */
import os from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../fragments/index.js';
import { FragmentExecutor, loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { changedPages, DIFF_PAGE_SIZE, nonZeroPages } from '../runtime/snapshot/index.js';
import { runJob, connectMesh, type NatsMesh } from '../runtime/engine/index.js';
import { startHubProcess, startNatsServer } from '../test/helpers/nats-server.js';
import { sleep } from '../runtime/util/index.js';
import { startEcho, type Echo } from './raw.js';
import { median } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS_FILE = path.join(ROOT, 'build', 'bench-mesh.json');
const quick = process.argv.includes('--quick');


/**
 * The first round trips, and the first migrations, warm up both processes (heaps, buffers
 * faulting in, the server's buffers) and are left out of both sides of a ratio alike.
 */
const WARMUP = 3;
/** Tiny jobs run between the first dispatch loop and the timed one (see main). */
const WARM_JOBS = 1000;

async function bundleOf(file: string, yieldInterval: number): Promise<LoadedBundle> {
  return loadBundle((await buildBundle(path.join(ROOT, file), { yieldInterval })).bundle);
}

async function migrate(mesh: NatsMesh, b: LoadedBundle, raw: { stock: Echo; presized: Echo }, kib: number, steps: number) {
  // One full rewrite of the buffer is kib*256 loop iterations: a pause after each.
  const every = Math.max(1, Math.round((kib * 256) / b.manifest.yieldInterval));
  const r = await runJob(mesh, b, { entry: 'hold', args: [kib, steps, 1], migrateEvery: every });
  const moved = r.placements.filter((p) => p.bytesIn > 0).map((p) => p.bytesIn);
  const bytes = median(moved);
  // As many raw round trips as timed migrations: both sides warm up alike (the raw loop's
  // median fell from 5.7-7.9 ms over 20 round trips of 1 MiB to 4.0-5.0 over 100).
  const n = Math.max(1, r.pauseToResumeMs.length - WARMUP);
  const rawMs = median(await raw.stock.roundTrips(Math.round(bytes), n, WARMUP));
  // The hubs gather large payloads presized (presize.ts), stock nats.js does not: the same
  // loop against a responder with that fix says how much of the ratio is that alone.
  const rawPresized = median(await raw.presized.roundTrips(Math.round(bytes), n, WARMUP));
  const ms = median(r.pauseToResumeMs.slice(WARMUP));
  const all = median(r.pauseToResumeMs);
  console.log(`migrate ${kib} KiB: ${r.pauseToResumeMs.length} migrations, median ${bytes} bytes each, pause-to-resume ${ms.toFixed(2)} ms after the first ${WARMUP} (${all.toFixed(2)} with them; the first ${r.pauseToResumeMs.slice(0, WARMUP).map((x) => x.toFixed(1)).join(', ')}), raw request/reply ${rawMs.toFixed(2)} ms, ratio ${(ms / rawMs).toFixed(2)}; raw with the presized receive ${rawPresized.toFixed(2)} ms, ratio ${(ms / rawPresized).toFixed(2)}`);
  return { kib, migrations: r.pauseToResumeMs.length, bytes, ms, rawMs, ratio: ms / rawMs, rawPresizedMs: rawPresized, ratioPresized: ms / rawPresized };
}

/**
 * K jobs of M KiB at once, moving between the two hubs: each hub should hold one base per
 * job (K x M) besides the live memory of the job it runs. Polls the adverts for the most
 * each hub reported holding, and its resident memory.
 */
async function holdMany(mesh: NatsMesh, b: LoadedBundle, jobs: number, kib: number, steps: number) {
  const every = Math.max(1, Math.round((kib * 256) / b.manifest.yieldInterval));
  let heldMiB = 0;
  let rssMiB = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      for (const a of await mesh.discover({ settleMs: 50 })) {
        heldMiB = Math.max(heldMiB, a.load.heldMiB);
        rssMiB = Math.max(rssMiB, a.load.rssMiB);
      }
      await sleep(200);
    }
  })();
  await Promise.all(Array.from({ length: jobs }, () => runJob(mesh, b, { entry: 'hold', args: [kib, steps, 1], migrateEvery: every })));
  polling = false;
  await poll;
  console.log(`memory: ${jobs} jobs of ${kib >> 10} MiB moving between 2 hubs: a hub held at most ${heldMiB} MiB of base checkpoints (${jobs} x ${kib >> 10} = ${jobs * (kib >> 10)}), resident memory at most ${rssMiB} MiB`);
  return { heldMiB, rssMiB };
}

/**
 * The walk job's memory at each pause (every `every` yield points) and at its end,
 * replayed in this process: the same states the hubs paused in.
 */
async function pauseStates(b: LoadedBundle, entry: string, args: number[], every: number): Promise<Uint8Array[]> {
  const x = await FragmentExecutor.create(await b.whole(), b.manifest, {});
  x.start(entry, args);
  const states: Uint8Array[] = [];
  let id = b.manifest.entries.find((e) => e.name === entry)!.fragments[0];
  for (;;) {
    const o = x.run(id, { pauseAtYield: (n) => n % every === 0 });
    if (o.kind === 'done') return states;
    if (o.kind === 'next') { id = o.next; continue; }
    states.push(x.capture({ id: 'replay', bundle: b.hash, entry, fragment: o.fragment, paused: true }).memory);
    x.resumeInPlace();
    id = o.fragment;
  }
}

/** Bytes of the pages that differ between two memories (and of those only the second has). */
const changedBytes = (a: Uint8Array, b: Uint8Array) => changedPages(a, b).length * DIFF_PAGE_SIZE;

/**
 * The walk job moving round-robin over the mesh's hubs, every `every` yield points: bytes
 * sent at each migration against what the receiving hub lacked (the pages changed since it
 * last held the state) and against the pages changed since the last pause.
 */
async function routeDiffs(mesh: NatsMesh, b: LoadedBundle, hubs: number, every: number) {
  const args = [2048, 600];
  const r = await runJob(mesh, b, { entry: 'walk', args, migrateEvery: every, reweave: false });
  const states = await pauseStates(b, 'walk', args, every);
  // Placement i starts from the state of pause i (i >= 1) and leaves the state of pause i + 1.
  const ps = r.placements;
  if (ps.length !== states.length + 1) throw new Error(`route diffs: ${ps.length} placements but ${states.length} pauses replayed; the job did not pause where the replay did`);
  const need: number[] = [];
  const interval: number[] = [];
  for (let i = 1; i < ps.length; i++) {
    const state = states[i - 1];
    let j = i - 1;
    while (j >= 0 && ps[j].hub !== ps[i].hub) j--;
    if (j < 0) continue; // the first round: the hub holds no base, the state goes whole
    const lacked = j + 1 < i ? changedBytes(states[j], state) : 0;
    const last = i >= 2 ? changedBytes(states[i - 2], state) : nonZeroPages(state).length * DIFF_PAGE_SIZE;
    if (lacked > 0) need.push(ps[i].bytesIn / lacked);
    if (last > 0) interval.push(ps[i].bytesIn / last);
  }
  const sent = ps.slice(hubs).map((p) => p.bytesIn);
  console.log(`route diffs: ${ps.length - 1} migrations round-robin over ${hubs} hubs, ${r.bytesMoved} bytes in all, median ${median(sent)} bytes each after the first round; ` +
    `median ratio to the pages the receiver lacked ${median(need).toFixed(2)} (${need.length} migrations), to the pages changed since the last pause ${median(interval).toFixed(2)}; result ${r.value}`);
  return { needRatio: median(need), intervalRatio: median(interval), bytes: median(sent), migrations: ps.length - 1 };
}

async function main(): Promise<void> {
  const ns = await startNatsServer({ maxPayload: 32 << 20 });
  const hubs = await Promise.all(['bench-1', 'bench-2'].map((n) => startHubProcess(ns.url, n, ['--slots', '1'])));
  const [stock, presized] = await Promise.all([startEcho(ns.url, 'bench.echo', { presize: false }), startEcho(ns.url, 'bench.echo.presized', { presize: true })]);
  const raw = { stock, presized };
  const mesh = await connectMesh({ nats: ns.url });
  try {
    const idleRssMiB = Math.max(...(await mesh.discover({ settleMs: 100 })).map((a) => a.load.rssMiB));
    const hold = await bundleOf('bench/programs/hold.ts', 1 << 18);
    // 100 timed 1 MiB migrations (a median over 30 swung by a third between runs), 30 of
    // 16 MiB (over 10: 1.18 to 1.69 minutes apart; 30 add about 3 s).
    const m1 = await migrate(mesh, hold, raw, 1024, quick ? 8 : 103);
    const m16 = await migrate(mesh, hold, raw, 16 * 1024, quick ? 6 : 33);
    const mem = await holdMany(mesh, hold, 3, 8 * 1024, quick ? 4 : 8);

    const tiny = await bundleOf('bench/programs/tiny.ts', 1 << 20);
    const jobs = quick ? 100 : 400;
    const tinyJobs = async (n: number) => {
      let fragments = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fragments += (await runJob(mesh, tiny, { args: [100] })).fragments;
      return { fragments, fps: fragments / ((performance.now() - t0) / 1000) };
    };
    await tinyJobs(20);
    // Until the twenty-seventh session the ratio was this first loop's, after 20 jobs. V8
    // still optimizes the engine's and the hubs' code then: in 2,000 jobs after 200, the
    // engine alone spent 490 ms compiling on its helper threads (--trace-opt), about 0.25
    // ms a job on the two cores the jobs run on, and a job took 1.70, 1.57, 1.35, 1.34 ms
    // in its first four blocks of 200 and 1.21-1.25 after 1,200. A fixed cost of dispatch is
    // what a hub and an engine that have run a while pay, so the ratio is the warm loop's
    // (after WARM_JOBS), and the first loop's is printed beside it.
    const cold = await tinyJobs(jobs);
    await tinyJobs(quick ? 0 : WARM_JOBS);
    const { fragments, fps } = await tinyJobs(jobs);
    // Throughput against throughput: round trips over the loop's whole time, as the jobs
    // are counted (since the eighteenth session; before, over the median round trip, which
    // runs 10-20% under the mean here and made the ratio that much lower). Warmed alike.
    const rtts = await stock.roundTrips(64, jobs, quick ? WARMUP : WARM_JOBS);
    const rawRps = (1000 * rtts.length) / rtts.reduce((a, b) => a + b, 0);
    const byMedian = fps / (1000 / median(rtts));
    console.log(`dispatch: ${fragments} tiny fragments at ${fps.toFixed(0)}/s after ${20 + jobs + (quick ? 0 : WARM_JOBS)} jobs (${cold.fps.toFixed(0)}/s after 20); raw request/reply ${rawRps.toFixed(0)}/s; ratio ${(fps / rawRps).toFixed(2)} (${(cold.fps / rawRps).toFixed(2)} after 20; ${byMedian.toFixed(2)} over the median round trip)`);

    const small = await bundleOf('bench/programs/hold.ts', 2000);
    const d = await runJob(mesh, small, { entry: 'hold', args: [16 * 1024, 40_000, 0], migrateEvery: 1 });
    const sent = d.placements.filter((p) => p.bytesIn > 0).map((p) => p.bytesIn);
    const full = Math.max(...sent);
    const diff = median(sent.filter((x) => x < full / 2));
    console.log(`diff: ${sent.length} migrations after one-word changes in 16 MiB: median ${diff} bytes each, the first (full, zero pages left out) ${full} bytes, memory ${16 << 20} bytes`);

    // Two more hubs for the route part alone: the parts above measure two.
    hubs.push(...await Promise.all(['bench-3', 'bench-4'].map((n) => startHubProcess(ns.url, n, ['--slots', '1']))));
    await mesh.discover({ settleMs: 500 });
    const walk = await bundleOf('bench/programs/walk.ts', 1024);
    const route = await routeDiffs(mesh, walk, hubs.length, 4);

    const summary = {
      migrate1m_ratio: m1.ratio, migrate1m_ms: m1.ms, migrate16m_ratio: m16.ratio, migrate16m_ms: m16.ms,
      migrate1m_ratio_presized_raw: m1.ratioPresized, migrate16m_ratio_presized_raw: m16.ratioPresized,
      dispatch_ratio: fps / rawRps, dispatch_fps: fps, dispatch_ratio_first: cold.fps / rawRps, diff_bytes: diff, full_bytes: full, memory_bytes: 16 << 20,
      hub_held_mib: mem.heldMiB, hub_rss_mib: mem.rssMiB, hub_idle_rss_mib: idleRssMiB,
      route_diff_ratio: route.needRatio, route_interval_ratio: route.intervalRatio, route_diff_bytes: route.bytes,
      // dispatch_ratio's goal holds "on any machine": say which.
      cores: os.availableParallelism(),
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, JSON.stringify({ ...summary, migrate: [m1, m16], goals: { migrate_ratio: 1.5, migrate1m_ms: 2, dispatch_ratio: 0.5, route_diff_ratio: 2 } }, null, 2) + '\n');
    const fmt = (k: string, v: number) => `${k}=${Number.isInteger(v) ? v : v.toFixed(k.endsWith('fps') ? 0 : 3)}`;
    console.log(`bench mesh: ${Object.entries(summary).map(([k, v]) => fmt(k, v)).join(' ')}`);
  } finally {
    await mesh.close();
    stock.stop();
    presized.stop();
    await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
    await ns.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench mesh failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
