#!/usr/bin/env node
/**
 * The test runner behind `npm test`: every test file (dist/test/*.test.js, uvu, one suite
 * each) in a process of its own, independent files side by side, longest first (by the
 * times the last run wrote to build/test-times.json, else those checked in as
 * test/times.json), as many at once as the cores can run by each file's last CPU load
 * (LOAD_CAP), so that the files that mostly wait (on nats-server, hub processes, timers)
 * fill the time the CPU-bound ones need. Each file's output is printed whole when it ends,
 * then a table of every file: result, tests passed, seconds.
 *
 *   node scripts/test.mjs                 # all files, WEAVE_TEST_JOBS (default 3) at a time
 *   node scripts/test.mjs --slow          # also the cases marked slow (test/helpers/slow.ts); CI runs so
 *   node scripts/test.mjs --jobs 1 mesh   # only files whose name contains 'mesh', one at a time
 *
 * Exits 1 when a file fails or times out (WEAVE_TEST_TIMEOUT_S per file, default 600: the
 * longest file takes about 270 s on 2 cores, and a file that hangs should not hold CI for 20 min).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'dist', 'test');
const TIMES = path.join(ROOT, 'build', 'test-times.json');
/** Modules built for test setup, shared by the files of this run (test/helpers/build-module.ts). */
const BUILD_CACHE = path.join(ROOT, 'build', 'test', `cache-${process.pid}`);

/**
 * How many cores the files running at once may keep busy, by the CPU seconds per second
 * each took last time (its `load`): the runner starts the longest waiting file that fits.
 * Half a core over the machine's: a file's load is an average, and most files wait on
 * processes, servers and timers for much of their run. Before, CPU-bound files (asc,
 * binaryen, programs) ran strictly one at a time, and the suite's last 150 s on 2 cores
 * were such files one after another with the second core idle (585 s in all, for 1,028
 * CPU seconds); a replay of that run's times under this rule, slowing every file when the
 * loads exceed the cores, ends at about 520 s.
 */
const CORES = os.availableParallelism();
const LOAD_CAP = CORES + 0.5;
/** Load of a file with no recorded CPU time: one core. */
const UNKNOWN_LOAD = 1;
/** GNU time, when there is one: each file's CPU seconds (user + system, its processes included). */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** Seconds a file with no recorded time is assumed to take (so it starts early). */
const UNKNOWN_S = 120;

const argv = process.argv.slice(2);
const flag = (name) => { const i = argv.indexOf(name); if (i < 0) return undefined; argv.splice(i, 1); return true; };
const option = (name) => { const i = argv.indexOf(name); if (i < 0) return undefined; const v = argv[i + 1]; argv.splice(i, 2); return v; };
const slow = flag('--slow') || process.env.WEAVE_TEST_SLOW === '1';
const jobs = Number(option('--jobs') ?? process.env.WEAVE_TEST_JOBS ?? 3);
const timeoutS = Number(process.env.WEAVE_TEST_TIMEOUT_S ?? 600);
const filters = argv;
if (!Number.isInteger(jobs) || jobs < 1) { console.error(`--jobs must be a positive integer, got ${jobs}`); process.exit(2); }
if (!existsSync(DIR)) { console.error(`${DIR} does not exist: build first (npm run build)`); process.exit(2); }

const names = readdirSync(DIR).filter((f) => f.endsWith('.test.js')).map((f) => f.slice(0, -'.test.js'.length))
  .filter((n) => !filters.length || filters.some((p) => n.includes(p))).sort();
/**
 * What each file took last time here (seconds, CPU seconds); a clean clone starts from the
 * times checked in (test/times.json). An entry is `{ s, cpu }`, or a number of seconds.
 */
const SEED_TIMES = path.join(ROOT, 'test', 'times.json');
const last = JSON.parse(readFileSync(existsSync(TIMES) ? TIMES : SEED_TIMES, 'utf8'));
const seconds = (n) => (typeof last[n] === 'number' ? last[n] : last[n]?.s) ?? UNKNOWN_S;
const load = (n) => {
  const e = last[n];
  return e && typeof e === 'object' && e.cpu !== undefined && e.s > 0 ? Math.min(e.cpu / e.s, CORES) : UNKNOWN_LOAD;
};
const queue = [...names].sort((a, b) => seconds(b) - seconds(a));
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Process groups of the files running now: a runner stopped by a signal stops them too (they are detached). */
const groups = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const pid of groups) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone already */ } }
    process.exit(130);
  });
}

/** Run one file; resolves with its outcome. */
function runFile(name) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const env = { ...process.env, WEAVE_CONFIG: 'none', WEAVE_TEST_BUILD_CACHE: BUILD_CACHE, ...(slow ? { WEAVE_TEST_SLOW: '1' } : {}) };
    const argv = [process.execPath, path.join(ROOT, 'node_modules/uvu/bin.js'), 'dist/test', `^${name.replace(/[.-]/g, '\\$&')}\\.test\\.js$`];
    if (TIME) argv.unshift(TIME, '-f', '\ncpu-seconds %U %S');
    // A process group of its own: a file that times out is killed with everything it
    // started (GNU time's child, its hubs and servers). Killing only the direct child left
    // the test process holding the output pipes, and the runner waiting on them for ever.
    const p = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    groups.add(p.pid);
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => {
      out += `\n(killed: still running after ${timeoutS} s)\n`;
      try { process.kill(-p.pid, 'SIGKILL'); } catch { p.kill('SIGKILL'); }
    }, timeoutS * 1000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      groups.delete(p.pid);
      let text = strip(out);
      const num = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
      const total = num('Total');
      const passed = num('Passed');
      // uvu 0.5 swallows an error thrown by a `before` hook (a `return` in its `finally`) and
      // exits 0 with no test run: a file counts as passing only when every test it has did.
      const skipped = num('Skipped');
      const cpu = /cpu-seconds ([\d.]+) ([\d.]+)/.exec(text);
      const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined;
      text = text.replace(/\ncpu-seconds [\d.]+ [\d.]+\n?/, '\n');
      const ok = code === 0 && (total > 0 || skipped > 0) && passed === total;
      if (code === 0 && !ok) text += `\n(${passed} of ${total} tests passed: a before hook failed, or a test never ran)\n`;
      resolve({ name, ok, code: code ?? signal, seconds: (Date.now() - t0) / 1000, cpuSeconds, total, passed, skipped, out: text });
    });
  });
}

const t0 = Date.now();
const results = [];
const running = new Set();
await new Promise((done) => {
  const next = () => {
    if (!queue.length && !running.size) return done();
    while (running.size < jobs && queue.length) {
      const busy = [...running].reduce((n, r) => n + load(r), 0);
      // The longest file whose load fits beside the running ones (any, when none runs).
      const i = queue.findIndex((n) => !running.size || busy + load(n) <= LOAD_CAP);
      if (i < 0) break;
      const [name] = queue.splice(i, 1);
      running.add(name);
      process.stdout.write(`start ${name} (load ${load(name).toFixed(2)}, ${(busy + load(name)).toFixed(2)} running)\n`);
      void runFile(name).then((r) => {
        running.delete(name);
        results.push(r);
        process.stdout.write(`\n===== ${name}: ${r.ok ? 'ok' : `FAILED (${r.code})`} in ${r.seconds.toFixed(1)} s =====\n${r.out.trim()}\n\n`);
        next();
      });
    }
  };
  next();
});

results.sort((a, b) => a.name.localeCompare(b.name));
const width = Math.max(...results.map((r) => r.name.length), 4);
process.stdout.write(`${'file'.padEnd(width)}  result  passed  skipped  seconds  cpu s\n`);
for (const r of results) {
  const cpu = r.cpuSeconds === undefined ? '' : r.cpuSeconds.toFixed(1).padStart(6);
  process.stdout.write(`${r.name.padEnd(width)}  ${(r.ok ? 'ok' : 'FAIL').padEnd(6)}  ${`${r.passed}/${r.total}`.padStart(6)}  ${String(r.skipped).padStart(7)}  ${r.seconds.toFixed(1).padStart(7)}  ${cpu}\n`);
}
const cpuTotal = results.reduce((n, r) => n + (r.cpuSeconds ?? 0), 0);
const failed = results.filter((r) => !r.ok);
const wall = (Date.now() - t0) / 1000;
process.stdout.write(`${results.length} files, ${results.reduce((n, r) => n + r.passed, 0)} tests passed, ${failed.length} files failed, ${wall.toFixed(1)} s with ${jobs} at a time${slow ? ' (slow cases on)' : ''}\n`);
if (TIME) process.stdout.write(`CPU: ${cpuTotal.toFixed(0)} s in all (${CORES} cores, at most ${LOAD_CAP} kept busy by the files' last loads)\n`);
rmSync(BUILD_CACHE, { recursive: true, force: true });
mkdirSync(path.dirname(TIMES), { recursive: true });
writeFileSync(TIMES, JSON.stringify({ ...last, ...Object.fromEntries(results.map((r) => [r.name, { s: Math.round(r.seconds), ...(r.cpuSeconds !== undefined ? { cpu: Math.round(r.cpuSeconds) } : {}) }])) }, null, 1) + '\n');
process.exit(failed.length ? 1 : 0);
