/**
 * Chaos, Jepsen style: jobs over real hub processes while a killer SIGKILLs a random hub
 * every few seconds (and starts it again), and the NATS server restarts once mid-run.
 * `--stress N` keeps N CPU burners running the whole time (a saturated machine);
 * `--pause` also SIGSTOPs a random hub for 1-10 s now and then (then SIGCONT), as a
 * machine that stalls does; `--cluster` runs a 3-node NATS cluster and SIGKILLs one node
 * mid-run (back 5 s later) instead of restarting the one server.
 * Every event is recorded in a history (build/chaos-history.ndjson), then checked:
 *   - every job completes, and its result equals the reference (plain asc, no weave);
 *   - no result is delivered twice: one commit per job across every hub's log, one
 *     result per client;
 *   - lost work per failure is at most one checkpoint interval: each restart began from
 *     the newest checkpoint the engine had been told was stored (never an older one);
 *     lost_work_max is the most yield points between the newest state any hub reported
 *     (stored, or handed over) and the one a restart began from;
 *   - no false failovers: every recovery is of a hub that was killed or paused, or came
 *     within 15 s of a server restart or node kill.
 * Recovery time is from the kill (or pause) to the new attempt's start, as the engine reports it.
 *   npm run chaos -- --jobs 12 --hubs 4 --seconds 40
 *   npm run chaos -- --jobs 5 --seconds 16 --work 12-30   # longer jobs (millions of particle-steps each; default 8-20)
 * Exit 1 when a check fails. Last line:
 *   bench chaos: jobs=… completed=… wrong=… duplicated=… kills=… pauses=… server_restarts=… median_recovery_ms=… false_failovers=… p99_recovery_ms=… lost_work_max=…
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cases, plainResult, valueBytes } from '../test/helpers/programs.js';
import { runCli, startHubProcess, startNatsCluster, startNatsServer, type HubProcess } from '../test/helpers/nats-server.js';
import { rng } from '../runtime/sim/index.js';
import { sleep } from '../runtime/util/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULE = path.join(ROOT, 'build', 'chaos-particles.wasm');
const HISTORY = path.join(ROOT, 'build', 'chaos-history.ndjson');
/** Every hub process's log, one file per start, for a post-mortem. */
const LOGS = path.join(ROOT, 'build', 'chaos-logs');

interface Outcome {
  job?: string;
  status: number | null;
  result?: string;
  results: number;
  recoveries: Array<{ hub: string; detectedAt: number; resumedAt: number; fromYields: number; lastStoredYields: number; lastKnownYields?: number; code?: string; why?: string }>;
  stderr: string;
}

const { values: flags } = parseArgs({
  options: {
    jobs: { type: 'string', default: '12' },
    hubs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '40' },
    'kill-every-ms': { type: 'string', default: '4000' },
    'checkpoint-every': { type: 'string', default: '20000' },
    seed: { type: 'string', default: '7' },
    stress: { type: 'string', default: '0' },
    pause: { type: 'boolean', default: false },
    'pause-every-ms': { type: 'string', default: '5000' },
    cluster: { type: 'boolean', default: false },
    work: { type: 'string', default: '8-20' },
  },
});
const STRESS = Number(flags.stress);
const PAUSE_EVERY_MS = Number(flags['pause-every-ms']);
if (!Number.isInteger(STRESS) || STRESS < 0) throw new Error(`--stress must be a non-negative integer, got ${flags.stress}`);
const JOBS = Number(flags.jobs);
const HUBS = Number(flags.hubs);
const SECONDS = Number(flags.seconds);
const KILL_EVERY_MS = Number(flags['kill-every-ms']);
const CHECKPOINT_EVERY = Number(flags['checkpoint-every']);
/** Each job's work, millions of particle-steps, drawn from this range. */
const WORK = parseWork(flags.work ?? '');
for (const [k, v] of [['jobs', JOBS], ['hubs', HUBS], ['seconds', SECONDS], ['kill-every-ms', KILL_EVERY_MS], ['checkpoint-every', CHECKPOINT_EVERY]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);
}
if (HUBS < 2) throw new Error('--hubs must be at least 2: a killed hub needs somewhere for its jobs to go');

const t0 = Date.now();
const history: Array<Record<string, unknown>> = [];
const record = (type: string, fields: Record<string, unknown> = {}) => history.push({ t: Date.now() - t0, at: Date.now(), type, ...fields });
const submitted = () => history.filter((e) => e.type === 'job-submitted').length;
/** How long after the chaos a job may still take before it counts as stuck. */
const GRACE_MS = 90_000;
/** The longest the chaos waits for every client to submit its job. */
const SUBMIT_MS = 120_000;

async function main(): Promise<void> {
  mkdirSync(path.dirname(MODULE), { recursive: true });
  const b = await runCli('weave', ['build', path.join(ROOT, 'examples', 'particles.ts'), '-o', MODULE, '--yield-interval', '50']);
  if (b.status !== 0) throw new Error(`weave build failed:\n${b.stderr}`);
  const particles = cases().find((c) => c.file === 'examples/particles.ts')!;
  const random = rng(Number(flags.seed));
  // Jobs of --work millions of particle-steps (particles costs about 0.23 us each here: the
  // default 8-20 M is 2-4.5 s of work), long enough to be caught by a kill; 30 of them keep
  // 4 one-slot hubs busy for about the 90 s of the issue's run. They were 15-60 M (3.4 to
  // 13.5 s) before: 30 of them, about 230 CPU-s, could not finish on 2 cores shared with
  // --stress 2 in the time the bench allows, whatever the failures did.
  const specs = Array.from({ length: JOBS }, () => {
    const steps = 5_000 + Math.floor(random() * 5_000);
    const work = (WORK[0] + random() * (WORK[1] - WORK[0])) * 1e6;
    return [Math.max(1, Math.round(work / steps)), steps];
  });
  const refs = await Promise.all(specs.map(async (raw) => Buffer.from(await plainResult(particles, raw)).toString('hex')));

  const cluster = flags.cluster ? await startNatsCluster(3, { jetstream: true }) : undefined;
  const single = cluster ? undefined : await startNatsServer({ jetstream: true });
  const ns = { url: cluster ? cluster.urls : single!.url };
  const names = Array.from({ length: HUBS }, (_, i) => `chaos-${i}`);
  const live = new Map<string, HubProcess>();
  const logs: string[] = [];
  let starts = 0;
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  const startHub = async (name: string) => {
    const h = await startHubProcess(ns.url, name, ['--slots', '1', '--no-gpu']);
    const file = path.join(LOGS, `${name}.${starts++}.log`);
    h.proc.stderr!.on('data', (d: Buffer) => appendFileSync(file, d));
    appendFileSync(file, h.log());
    live.set(name, h);
    record('hub-started', { hub: name, log: path.relative(ROOT, file) });
  };
  await Promise.all(names.map(startHub));
  // A hub that does not get ready (a machine this loaded can take more than 30 s) is started again.
  // Restarts still under way when the run ends are awaited and their hubs stopped: a hub
  // started after the clean-up would keep this process (and CI's test of it) alive for ever.
  let stopping = false;
  const restarts = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    restarts.add(p);
    void p.finally(() => restarts.delete(p));
  };
  const restartHub = async (name: string) => {
    for (let tries = 0; tries < 5 && !stopping; tries++) {
      try { return await startHub(name); } catch (e) { record('hub-start-failed', { hub: name, error: (e as Error).message.split('\n')[0] }); }
    }
  };
  // The burners run from the jobs' submission to the end, not while the references are computed.
  const burners = Array.from({ length: STRESS }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  // Ctrl-C ends the bench through the test helpers' exit (which stop servers and hubs):
  // burners and clients go too (left running, they once burned two cores for an hour).
  process.on('exit', () => { for (const c of [...burners, ...clients]) c.kill('SIGKILL'); });
  record('stress', { burners: STRESS });

  const outcomes: Outcome[] = [];
  // A job still not done long after the chaos ends is stuck: it is killed and counted as not
  // completed. Its client may take SUBMIT_MS to start on a loaded machine.
  // Until the chaos ends, at the latest when it would have: then GRACE_MS from its real end.
  let giveUpAt = Date.now() + SUBMIT_MS + SECONDS * 1000 + GRACE_MS;
  const running = specs.map((raw, i) => submit(ns.url, raw, () => giveUpAt, i).then((o) => { outcomes[i] = o; record('job-exit', { job: o.job, status: o.status, result: o.result }); }));
  let kills = 0;
  let serverRestarts = 0;
  let allDone = false;
  void Promise.all(running).then(() => { allDone = true; });
  // The chaos starts once every client has submitted its job (30 clients starting on 2 busy cores take a while).
  for (const until = Date.now() + SUBMIT_MS; submitted() < JOBS && !allDone && Date.now() < until;) await sleep(200);
  record('chaos-start', { submitted: submitted() });

  // The pauser: now and then one hub stops (SIGSTOP) for 1-10 s, then goes on (SIGCONT).
  const paused = new Set<string>();
  let pauses = 0;
  const pauser = (async () => {
    if (!flags.pause) return;
    const until = Date.now() + SECONDS * 1000;
    while (!allDone && Date.now() < until) {
      await Promise.race([sleep(PAUSE_EVERY_MS / 2 + random() * PAUSE_EVERY_MS), Promise.all(running)]);
      if (allDone || Date.now() >= until) break;
      // Never the last hub that is neither paused nor being killed: jobs need somewhere to go.
      const up = [...live.keys()].filter((n) => !paused.has(n));
      if (up.length < 2) continue;
      const name = up[Math.floor(random() * up.length)];
      const h = live.get(name)!;
      const ms = 1000 + Math.floor(random() * 9000);
      paused.add(name);
      record('pause', { hub: name, ms });
      h.proc.kill('SIGSTOP');
      pauses++;
      void sleep(ms).then(() => { h.proc.kill('SIGCONT'); paused.delete(name); record('resume', { hub: name }); });
    }
  })();

  // The killer: one hub every KILL_EVERY_MS, back a second later; the server once, early.
  const deadline = Date.now() + SECONDS * 1000;
  // The server restarts at the killer's second turn (or halfway, in a run too short for
  // two), so that a short run, whose jobs may all end before its halfway, still has it.
  const restartAt = Date.now() + Math.min((SECONDS * 1000) / 2, KILL_EVERY_MS * 1.5);
  let restarted = false;
  while (!allDone && Date.now() < deadline) {
    await Promise.race([sleep(KILL_EVERY_MS), Promise.all(running)]);
    if (allDone || Date.now() >= deadline) break;
    // Not before every job's client is connected and submitted: a `weave run` that cannot
    // reach the server at its start fails at once (exit 7), by design, and on a loaded
    // machine clients can take seconds to start.
    if (!restarted && Date.now() >= restartAt && submitted() === JOBS) {
      record('server-restart');
      if (cluster) {
        const node = cluster.nodes[Math.floor(random() * cluster.nodes.length)];
        await node.stop('SIGKILL');
        track(sleep(5000).then(() => node.restart()).then(() => record('server-up', { node: node.name }), (e) => record('server-start-failed', { error: (e as Error).message })));
      } else {
        await single!.restart();
        record('server-up');
      }
      serverRestarts++;
      restarted = true;
      continue;
    }
    const up = [...live.keys()].filter((n) => !paused.has(n));
    if (up.length < 2) continue;
    const victim = up[Math.floor(random() * up.length)];
    const h = live.get(victim)!;
    live.delete(victim);
    record('kill', { hub: victim });
    await h.stop('SIGKILL');
    logs.push(h.log());
    kills++;
    track(sleep(1000).then(() => restartHub(victim)));
  }
  giveUpAt = Math.min(giveUpAt, Date.now() + GRACE_MS);
  await Promise.all(running);
  await pauser;
  await sleep(200);
  stopping = true;
  while (restarts.size > 0) await Promise.all([...restarts]);
  for (const h of live.values()) { h.proc.kill('SIGCONT'); logs.push(h.log()); await h.stop('SIGKILL'); }
  for (const b of burners) b.kill('SIGKILL');
  await (cluster ?? single!).stop();

  // Checks.
  let completed = 0;
  let wrong = 0;
  let duplicated = 0;
  let staleRestarts = 0;
  const recoveryMs: number[] = [];
  /** The slowest recoveries, with what they were made of (printed: where p99 goes). */
  const slowest: Array<{ ms: number; line: string }> = [];
  const kills_ = history.filter((e) => e.type === 'kill') as Array<{ at: number; hub: string }>;
  const starts_ = history.filter((e) => e.type === 'hub-started') as Array<{ at: number; hub: string }>;
  const pauses_ = history.filter((e) => e.type === 'pause') as Array<{ at: number; hub: string; ms: number }>;
  const restarts_ = history.filter((e) => e.type === 'server-restart') as Array<{ at: number }>;
  let falseFailovers = 0;
  let lostWorkMax = 0;
  let mostLost = '';
  /** Of each recovery's time, the part until the engine found the hub lost (the rest is resuming). */
  const detectMs: number[] = [];
  const allLogs = logs.join('\n');
  outcomes.forEach((o, i) => {
    if (o.status !== 0 || o.result === undefined) {
      process.stderr.write(`job ${i} (${o.job}) failed with exit ${o.status}:\n${o.stderr.slice(-2000)}\n`);
      return;
    }
    completed++;
    const got = Buffer.from(valueBytes(particles.result, Number(o.result))).toString('hex');
    if (got !== refs[i]) { wrong++; process.stderr.write(`job ${i} (${o.job}): ${o.result}, want the bits ${refs[i]}\n`); }
    const commits = allLogs.split('\n').filter((l) => l.includes('"msg":"result committed"') && l.includes(`"job":"${o.job}"`)).length;
    if (commits > 1 || o.results > 1) { duplicated++; process.stderr.write(`job ${i} (${o.job}): ${commits} commits, ${o.results} results\n`); }
    for (const r of o.recoveries) {
      if (r.fromYields < r.lastStoredYields) {
        staleRestarts++;
        process.stderr.write(`job ${i} (${o.job}): restarted after losing ${r.hub} at t=${r.detectedAt - t0} ms from yield ${r.fromYields}, though a checkpoint at yield ${r.lastStoredYields} was stored (${r.code}: ${r.why})\n`);
      }
      const lost = (r.lastKnownYields ?? r.lastStoredYields) - r.fromYields;
      if (lost > lostWorkMax) mostLost = `job ${i} lost ${r.hub} at t=${r.detectedAt - t0} ms: restarted from yield ${r.fromYields}; newest stored ${r.lastStoredYields}, newest reported ${r.lastKnownYields} (${r.code}: ${r.why})`;
      lostWorkMax = Math.max(lostWorkMax, lost);
      // What caused it: the newest kill or pause of its hub before it was detected. A kill
      // explains only a loss found before (or just after) the hub's next process started:
      // a job placed on the new process and lost later is not the old one's.
      const startedAfter = (k: { at: number; hub: string }) => starts_.some((st) => st.hub === k.hub && st.at > k.at && st.at < r.detectedAt - 5000);
      const kill = kills_.filter((k) => k.hub === r.hub && k.at <= r.detectedAt && r.detectedAt - k.at <= 20_000 && !startedAfter(k)).pop();
      const pause = pauses_.filter((p) => p.hub === r.hub && p.at <= r.detectedAt && r.detectedAt <= p.at + p.ms + 3000).pop();
      const cause = [kill, pause].filter((c) => c !== undefined).sort((a, b) => b!.at - a!.at)[0];
      if (cause) {
        // Counted from the kill or pause, or from when the job reached the hub, if later:
        // a job sent to a dead hub (on an advert still fresh) was not with it when it died.
        const from = Math.round(Math.max(cause.at, holderSince(i, r.hub, r.detectedAt)));
        recoveryMs.push(r.resumedAt - from);
        detectMs.push(r.detectedAt - from);
        const what = (cause === kill ? 'kill' : 'pause') + (from > cause.at ? `, the job sent there ${from - cause.at} ms after` : '');
        slowest.push({ ms: r.resumedAt - from, line: `job ${i} ${r.hub} ${what} at t=${cause.at - t0}: detected +${r.detectedAt - from} ms, resumed +${r.resumedAt - r.detectedAt} ms later (${r.code})` });
      }
      else if (!restarts_.some((x) => x.at <= r.detectedAt && r.detectedAt - x.at <= 15_000)) {
        falseFailovers++;
        process.stderr.write(`job ${i} (${o.job}): false failover of ${r.hub} at t=${r.detectedAt - t0} ms (neither killed nor paused): ${r.code}: ${r.why}\n`);
        // The hubs' warnings and errors of the seconds before it: what they saw.
        for (const l of allLogs.split('\n')) {
          const at = Date.parse(/"time":"([^"]+)"/.exec(l)?.[1] ?? '');
          if (/"level":"(warn|error|fatal)"/.test(l) && at >= r.detectedAt - 5000 && at <= r.detectedAt + 1000) process.stderr.write(`  ${l.slice(0, 400)}\n`);
        }
      }
    }
  });
  recoveryMs.sort((a, b) => a - b);
  slowest.sort((a, b) => b.ms - a.ms);
  for (const r of slowest.slice(0, 5)) process.stderr.write(`slow recovery ${r.ms} ms: ${r.line}\n`);
  detectMs.sort((a, b) => a - b);
  if (detectMs.length) process.stderr.write(`detection: median ${detectMs[detectMs.length >> 1]} ms, p90 ${detectMs[Math.floor(detectMs.length * 0.9)]} ms (the rest of a recovery is resuming)\n`);
  if (mostLost) process.stderr.write(`most work lost: ${mostLost}\n`);
  const median = recoveryMs.length ? recoveryMs[Math.floor(recoveryMs.length / 2)] : 0;
  const p99 = recoveryMs.length ? recoveryMs[Math.min(recoveryMs.length - 1, Math.ceil(recoveryMs.length * 0.99) - 1)] : 0;
  writeFileSync(HISTORY, history.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const ok = completed === JOBS && wrong === 0 && duplicated === 0 && staleRestarts === 0 && falseFailovers === 0;
  process.stdout.write(`recoveries=${recoveryMs.length} stale_restarts=${staleRestarts} history=${path.relative(ROOT, HISTORY)} wall_s=${((Date.now() - t0) / 1000).toFixed(1)}\n`);
  process.stdout.write(`bench chaos: jobs=${JOBS} completed=${completed} wrong=${wrong} duplicated=${duplicated} kills=${kills} pauses=${pauses} server_restarts=${serverRestarts} median_recovery_ms=${median} false_failovers=${falseFailovers} p99_recovery_ms=${p99} lost_work_max=${lostWorkMax}\n`);
  process.exitCode = ok ? 0 : 1;
}

/** When job `i`'s trace last put it on `hub` (an attempt started there, or a move to it) before `t`; 0 if never. */
function holderSince(i: number, hub: string, t: number): number {
  let since = 0;
  // Trace lines carry the hubs' own times and may come out of order: every line is looked at.
  for (const e of traceOf(i)) {
    if (e.t <= t && e.t > since && ((e.kind === 'fragment-start' && e.hub === hub) || (e.kind === 'migration' && e.to === hub))) since = e.t;
  }
  return since;
}

type TraceEvent = { t: number; kind: string; hub?: string; to?: string };
const traces = new Map<number, TraceEvent[]>();
/** Job `i`'s trace events, read once (every recovery of the job looks at them). */
function traceOf(i: number): TraceEvent[] {
  let events = traces.get(i);
  if (!events) {
    events = [];
    let text = '';
    try { text = readFileSync(path.join(LOGS, `job-${i}.trace`), 'utf8'); } catch { /* no trace: from the cause */ }
    for (const l of text.split('\n')) {
      try { events.push(JSON.parse(l) as TraceEvent); } catch { /* a torn last line */ }
    }
    traces.set(i, events);
  }
  return events;
}

/** The `weave run` processes still running. */
const clients = new Set<ChildProcess>();

/** One job as a user submits it: its own `weave run` process, killed at `giveUpAt`. */
function submit(url: string, raw: number[], giveUpAt: () => number, i: number): Promise<Outcome> {
  return new Promise((resolve) => {
    // Each job's events as they happen (weave run --trace): a stuck one's say where it got.
    const trace = path.join(LOGS, `job-${i}.trace`);
    const p = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli', 'weave.js'), 'run', MODULE, ...raw.map(String),
      '--nats', url, '--checkpoint-every', String(CHECKPOINT_EVERY), '--wait-hubs', '20000', '--json', '--trace', trace], { cwd: ROOT });
    clients.add(p);
    p.on('close', () => clients.delete(p));
    const stuck = setInterval(() => {
      if (Date.now() < giveUpAt()) return;
      clearInterval(stuck);
      const events = (() => { try { return readFileSync(trace, 'utf8').trim().split('\n'); } catch { return []; } })();
      record('job-stuck', { job, lastEvents: events.slice(-8) });
      process.stderr.write(`job ${i} (${job}) is stuck; its last events:\n${events.slice(-8).map((l) => `  ${l.slice(0, 300)}`).join('\n')}\n`);
      p.kill('SIGKILL');
    }, 500);
    let out = '';
    let err = '';
    let job: string | undefined;
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => {
      err += d;
      const m = job ? undefined : /weave: job ([0-9a-f]{16})/.exec(err);
      if (m) { job = m[1]; record('job-submitted', { job, args: raw }); }
    });
    p.on('close', (status) => {
      clearInterval(stuck);
      const lines = out.split('\n').filter((l) => l.startsWith('{'));
      let parsed: { result?: string; recoveries?: Outcome['recoveries'] } = {};
      try { parsed = lines.length ? JSON.parse(lines[lines.length - 1]) : {}; } catch { /* counted as not completed */ }
      resolve({ job, status, result: parsed.result, results: lines.length, recoveries: parsed.recoveries ?? [], stderr: err });
    });
  });
}

main().catch((e) => {
  process.stderr.write(`chaos: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});

/** `--work LO-HI`: millions of particle-steps per job. */
function parseWork(text: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const [lo, hi] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (lo < 1 || hi < lo) throw new Error(`--work must be a range of millions of particle-steps, LO-HI (e.g. 8-20), got ${text}`);
  return [lo, hi];
}
