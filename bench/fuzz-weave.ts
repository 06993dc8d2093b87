/**
 * `npm run fuzz:weave -- --seconds N`: the program generator (test/gen/) on new seeds until
 * the time is up. Each module's exports run on plain asc and woven at every granularity,
 * whole and migrated at every yield point; every Nth module also across hub processes
 * over NATS, migrating at random points. A mismatch is shrunk and kept in test/regressions/
 * (marked `known` until fixed). Progress on stderr; the last stdout line is the summary.
 * A woven NaN whose bits plain asc also gives in another fresh instance, or that agrees with
 * plain once both builds make every NaN canonical, is V8's choice (differential.ts,
 * plainCanGive, canonicalJudge), counted as `engine_nans`, not as a mismatch; a woven run
 * stopped by the sandbox's memory limit where plain asc held more than that limit, as
 * `memory_limits` (differential.ts, plainOverLimit).
 * Exits 1 on any mismatch or crash (a program asc rejects, a harness error). Ctrl-C stops
 * it early the same way: the modules in hand finish, then the summary line.
 *   node dist/bench/fuzz-weave.js --seconds 600 [--seed S] [--count N] [--workers N]   # N: one process per core by default
 *     [--nats-every 8] [--max-shrinks 3] [--shrink-seconds 240] [--regressions DIR]
 *     [--exports MIN-MAX]   # exports per module (default 2-6); more amortise each build
 *     [--arg-sets N] [--heap-share F]   # argument sets per export (5), share of allocating modules (0.5)
 *     [--seed-timeout S]   # a module still running after S seconds (600) is given up and
 *                          # counted in `timeouts` (a woven run that never ends, or a slow one)
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSeeds } from '../test/gen/pool.js';
import { FUZZ_OPTIONS, type GenOptions } from '../test/gen/context.js';
import { NatsRig, natsOutcome } from '../test/gen/nats-rig.js';
import { keepMismatch } from '../test/gen/faults.js';
import { REGRESSIONS_DIR } from '../test/gen/regressions.js';
import { bothNaN, formatOutcome, sameOutcome, type Outcome } from '../test/gen/outcome.js';
import { Rng } from '../test/gen/rng.js';
import type { SeedResult } from '../test/gen/check-module.js';
import type { Mismatch } from '../test/gen/differential.js';

const { values } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h' },
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    count: { type: 'string' },
    // Processes (test/gen/pool.ts): one per core checks about as many seeds more.
    workers: { type: 'string', default: String(os.availableParallelism()) },
    'nats-every': { type: 'string', default: '8' },
    'max-shrinks': { type: 'string', default: '3' },
    'shrink-seconds': { type: 'string', default: '240' },
    'max-restores': { type: 'string', default: '100' },
    regressions: { type: 'string', default: REGRESSIONS_DIR },
    exports: { type: 'string' },
    'arg-sets': { type: 'string' },
    'heap-share': { type: 'string' },
    'seed-timeout': { type: 'string', default: '600' },
  },
});
if (values.help) {
  process.stdout.write(`npm run fuzz:weave -- [options]: generated AssemblyScript modules, each export run plain and woven
(every granularity, whole and migrated at every yield point; every Nth module over NATS), compared bit for bit.
  --seconds N          run new seeds for N seconds (60)
  --seed S --count N   start at seed S (default: from the clock); stop after N modules
  --workers N          processes checking seeds (one per core)
  --exports MIN-MAX    exports per module (2-6); more amortise each build
  --arg-sets N         argument sets per export (5)
  --heap-share F       share of modules that allocate (0.5)
  --nats-every N       every Nth module also across hub processes over NATS (8; 0: none)
  --max-shrinks N      mismatches shrunk and kept under --regressions (3), --shrink-seconds S each (240)
  --max-restores N     restores per migrated run at most (100); more yield points are spaced
  --seed-timeout S     give up a module still running after S seconds (600)
Last stdout line: bench fuzz-weave: modules=… exports=… runs=… mismatches=… crashes=… …; exit 1 on a mismatch or crash.
`);
  process.exit(0);
}
const num = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${values[name]}'`);
  return n;
};
const seconds = num('seconds');
const firstSeed = values.seed !== undefined ? num('seed') : Date.now() % 1_000_000_000;
const count = values.count !== undefined ? num('count') : Infinity;
const natsEvery = num('nats-every');
const options: GenOptions = {
  ...FUZZ_OPTIONS,
  exports: exportRange(values.exports),
  ...(values['arg-sets'] !== undefined ? { argSets: Math.max(1, Math.round(num('arg-sets'))) } : {}),
  ...(values['heap-share'] !== undefined ? { heapShare: Math.min(1, num('heap-share')) } : {}),
};

/** `--exports 20-40`: the generator's export count per module (a long campaign builds less per export). */
function exportRange(v: string | undefined): [number, number] {
  if (v === undefined) return FUZZ_OPTIONS.exports;
  const m = /^(\d+)(?:-(\d+))?$/.exec(v);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(lo >= 1 && hi >= lo && hi <= 200)) throw new Error(`--exports takes MIN-MAX with 1 <= MIN <= MAX <= 200, e.g. 20-40; got '${v}'`);
  return [lo, hi];
}
const t0 = Date.now();
const deadline = t0 + seconds * 1000;
const log = (line: string) => process.stderr.write(`fuzz-weave ${((Date.now() - t0) / 1000).toFixed(0)}s: ${line}\n`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-fuzz-'));
const totals = { modules: 0, exports: 0, runs: 0, mismatches: 0, crashes: 0, gap: 0, restores: 0, engineNaNs: 0, limits: 0, timeouts: 0 };
const timedOut: number[] = [];
const found: Array<{ seed: number; m: Mismatch }> = [];
/** Where the longest stretch between yield points was: the run to replay when it is long. */
let gapAt = '';

let rig: NatsRig | undefined;
if (natsEvery > 0) {
  try {
    rig = await NatsRig.start(2);
  } catch (err) {
    log(`no NATS runs: ${(err as Error).message.split('\n')[0]}`);
  }
}
let natsQueue = Promise.resolve();
/** Modules queued for their NATS runs and not done: the local checks run ahead of them. */
let natsPending = 0;

// Ctrl-C (or SIGTERM) ends a campaign as its time limit does: no new seeds, the modules in
// hand finish, then the shrinks and the summary line. A second one quits at once.
let stopping = false;
// (In place of the test helpers' handlers, which exit at once; their 'exit' hook still
// stops the servers and hubs they started.)
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(sig);
  process.on(sig, () => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${sig}: no new seeds; finishing the modules in hand, then the summary (again to quit at once)`);
  });
}

function* seeds(): Generator<number> {
  for (let s = firstSeed, n = 0; n < count && Date.now() < deadline && !stopping; s++, n++) yield s;
}

/** Each export once over NATS, on one of its argument sets, moved every 1-12 yield points. */
async function overNats(r: SeedResult): Promise<void> {
  const rng = new Rng(r.seed ^ 0x5eed);
  for (const sig of r.exports) {
    const c = rng.pick(r.cases.filter((x) => x.sig.name === sig.name));
    const got: Outcome = natsOutcome(await rig!.run(r.loopBundle!, sig, c.args, rng.int(1, 12)));
    totals.runs++;
    if (!sameOutcome(c.expected, got)) {
      const m: Mismatch = { export: sig.name, params: sig.params, result: sig.result, args: c.args, mode: 'nats', expected: c.expected, got };
      totals.mismatches++;
      found.push({ seed: r.seed, m });
      log(`MISMATCH seed ${r.seed} ${sig.name}(${c.args.join(', ')}) nats: plain ${formatOutcome(c.expected)}, weave run ${formatOutcome(got)}`);
    }
  }
}

log(`seeds from ${firstSeed}, ${values.workers} worker(s), NATS every ${natsEvery || '-'} modules${rig ? '' : ' (off)'}`);
await checkSeeds(seeds(), { options, dir, maxRestores: num('max-restores'), keepBundleEvery: rig ? natsEvery : 0 }, num('workers'), (p) => {
  if ('error' in p && p.timedOut) {
    totals.timeouts++;
    timedOut.push(p.seed);
    log(`TIMEOUT seed ${p.seed}: ${p.error}`);
    return;
  }
  if ('error' in p) {
    totals.crashes++;
    log(`CRASH seed ${p.seed}: ${p.error.split('\n').slice(0, 3).join(' | ')}`);
    return;
  }
  const r = p.result;
  if (r.report.compileError) {
    totals.crashes++;
    log(`CRASH seed ${r.seed}: asc rejected the generated program: ${r.report.compileError.split('\n')[0]}`);
    return;
  }
  totals.modules++;
  totals.exports += r.exports.length;
  totals.runs += r.report.runs;
  totals.restores += r.report.restores;
  if (r.report.maxGapMs > totals.gap) [totals.gap, gapAt] = [r.report.maxGapMs, `seed ${r.seed} ${r.report.maxGapAt}`];
  totals.mismatches += r.report.mismatches.length;
  totals.engineNaNs += r.report.engineNaNs;
  totals.limits += r.report.limits;
  for (const m of r.report.mismatches) found.push({ seed: r.seed, m });
  for (const m of r.report.mismatches.slice(0, 3)) log(`MISMATCH seed ${r.seed} ${m.export}(${m.args.join(', ')}) ${m.mode}: plain ${formatOutcome(m.expected)}, woven ${formatOutcome(m.got)}`);
  if (rig && r.loopBundle) {
    natsPending++;
    natsQueue = natsQueue.then(() => overNats(r))
      .catch((err) => { totals.crashes++; log(`CRASH seed ${r.seed} over NATS: ${(err as Error).message}`); })
      .finally(() => { natsPending--; });
  }
  const { ms } = r.report;
  log(`seed ${r.seed} (${r.profile}/${r.runtime}, ${r.exports.length} exports): ${r.report.runs} runs, ${r.report.restores} restores, gap ${r.report.maxGapMs.toFixed(1)} ms, asc ${ms.compile.toFixed(0)} ms, weave ${ms.weave.toFixed(0)} ms, runs ${ms.run.toFixed(0)} ms, ${r.report.mismatches.length} mismatches${r.report.engineNaNs ? `, ${r.report.engineNaNs} NaNs the engine chose (plain asc gives them too, or the canonical builds agree)` : ''}${r.report.limits ? `, ${r.report.limits} stopped by the sandbox's memory limit (plain asc used more)` : ''} | ${totals.modules} modules, ${totals.runs} runs, ${totals.mismatches} mismatches, ${totals.crashes} crashes`);
}, { seedTimeoutMs: num('seed-timeout') * 1000 });
// Each NATS run is a `weave run` process, slower than the local checks: the queue drains
// after the deadline, and the campaign would look idle meanwhile.
if (natsPending > 0) log(`local checks done; draining ${natsPending} module(s) queued for NATS runs (a weave run per export) before the summary`);
await natsQueue;
if (rig) {
  // A terminal's Ctrl-C reaches the rig's hub processes too: not a crash then.
  if (rig.alive() < rig.hubCount && !stopping) { totals.crashes++; log('CRASH: a hub process died'); }
  await rig.stop();
}

// One shrink per kind of difference, up to --max-shrinks: the same fault tends to show
// at many seeds, and each shrink takes minutes.
const kinds = new Map<string, number>();
const shrunk = new Set<number>();
for (const { seed, m } of found) {
  const kind = differenceKind(m);
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  if (kinds.get(kind)! > 1 || shrunk.size >= num('max-shrinks')) continue;
  shrunk.add(seed);
  log(`shrinking seed ${seed} ${m.export} ${m.mode} (${kind})`);
  try {
    const k = await keepMismatch(seed, options, m, { dir, regressions: values.regressions!, deadline: Date.now() + num('shrink-seconds') * 1000, maxRestores: num('max-restores'), log });
    log(`kept ${path.join(values.regressions!, k.name)}.ts: ${k.before} -> ${k.after} statements in ${k.tests} variants (${k.mode})`);
  } catch (err) {
    totals.crashes++;
    log(`CRASH shrinking seed ${seed}: ${(err as Error).stack}`);
  }
}
if (found.length) log(`mismatching runs by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
const unshrunk = [...new Set(found.map((f) => f.seed))].filter((s) => !shrunk.has(s));
if (unshrunk.length) log(`seeds not shrunk (replay one with --seed S --count 1): ${unshrunk.join(', ')}`);
rmSync(dir, { recursive: true, force: true });
if (timedOut.length) log(`seeds given up after --seed-timeout (replay one with --seed S --count 1): ${timedOut.join(', ')}`);
if (gapAt) log(`longest stretch between yield points (default interval): ${totals.gap.toFixed(1)} ms, ${gapAt}`);

console.log(`bench fuzz-weave: modules=${totals.modules} exports=${totals.exports} runs=${totals.runs} mismatches=${totals.mismatches} crashes=${totals.crashes} max_yield_gap_ms=${totals.gap.toFixed(1)} engine_nans=${totals.engineNaNs} memory_limits=${totals.limits} timeouts=${totals.timeouts}`);
process.exit(totals.mismatches || totals.crashes || totals.timeouts ? 1 : 0);

/** How plain and woven differ, coarsely: NaN bits only, a value, a trap for a value… */
function differenceKind(m: Mismatch): string {
  const e = m.expected;
  const g = m.got;
  if (bothNaN(e, g)) return 'nan-payload';
  return e.kind === g.kind ? `${e.kind}-differs` : `${e.kind}-vs-${g.kind}`;
}
