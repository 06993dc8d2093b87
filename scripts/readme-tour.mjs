#!/usr/bin/env node
/**
 * Runs README.md's "A short tour" as written, in one bash shell (so `export`, `&` and
 * `%1` mean what they mean to a reader), on ports of its own (4222 and 9464 in the text
 * become free ones: a nats-server the tour starts, not one already running), and checks
 * what each step printed. A step this script has no check for fails it: the README and
 * the checks change together. Needs `npm run build`, nats-server and curl; CI runs it
 * after the tests.
 *   node scripts/readme-tour.mjs        # exit 0: every step did what the README says
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const out = 'build/tour';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** The tour's command lines: every ```sh block of the section, comments dropped. */
function tourLines(readme) {
  const at = readme.indexOf('\n## A short tour');
  if (at < 0) throw new Error("README.md has no '## A short tour' section");
  const end = readme.indexOf('\n## ', at + 1);
  const section = readme.slice(at, end < 0 ? undefined : end);
  const lines = [];
  for (const m of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of m[1].split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      if (line) lines.push(line);
    }
  }
  return lines;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const natsPort = await freePort();
const metricsPort = await freePort();
const metricsPort2 = await freePort();
const lines = tourLines(readFileSync('README.md', 'utf8'))
  .map((l) => l.replace(/\b4222\b/g, String(natsPort)).replace(/\b9464\b/g, String(metricsPort)).replace(/\b9465\b/g, String(metricsPort2)));
const pidFiles = lines.flatMap((l) => [...l.matchAll(/--pid-file (\S+)/g)].map((m) => m[1]));
for (const f of pidFiles) rmSync(f, { force: true });

// Each foreground step's stdout, stderr, exit status and time go to build/tour/N.*;
// background steps (`… &`) run as written.
const script = ['set +e', `cd ${JSON.stringify(root)}`];
lines.forEach((line, i) => {
  if (/&$/.test(line)) {
    script.push(line);
    return;
  }
  script.push(`t0=$(date +%s%N)`, `{ ${line}\n} >${out}/${i}.out 2>${out}/${i}.err`, `echo $? >${out}/${i}.rc`, `echo $(( ($(date +%s%N) - t0) / 1000000 )) >${out}/${i}.ms`);
});
// Whatever the steps did, leave nothing running: the background jobs, and any hub whose
// pid file is still there (killing npx would leave the hub).
script.push(`for f in ${pidFiles.join(' ')}; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; kill $(jobs -p) 2>/dev/null; wait`);
writeFileSync(`${out}/tour.sh`, script.join('\n') + '\n');

const t0 = Date.now();
const rc = await new Promise((resolve) => {
  const p = spawn('bash', [`${out}/tour.sh`], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, WEAVE_CONFIG: 'none', NO_COLOR: '1' } });
  // A step that hangs must not hang CI.
  const timer = setTimeout(() => { console.error('tour: still running after 300 s; stopped'); p.kill('SIGTERM'); }, 300_000);
  p.on('exit', (code) => { clearTimeout(timer); resolve(code); });
});
const wallS = (Date.now() - t0) / 1000;

const read = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
let jobId = '';
/** What each step must print, by the command it is. Each returns a problem, or nothing. */
const CHECKS = [
  [/weave build examples\/particles\.ts/, (s) => s.rc === 0 && /built build\/particles\.wasm .*simulate: \d+ fragments/.test(s.out + s.err) ? '' : 'no "built build/particles.wasm … simulate: N fragments"'],
  [/weave inspect build\/particles\.wasm/, (s) => s.rc === 0 && /simulate/.test(s.out) && /fragment/i.test(s.out) ? '' : 'no fragments of simulate listed'],
  [/weave run build\/particles\.wasm \d+ \d+ --hubs \d+ --migrate-every \d+ --trace (\S+)/, (s, m) => s.rc === 0 && /^-?\d+(\.\d+)?(e[+-]?\d+)?\n$/.test(s.out) && read(m[1]).includes('"kind":"migration"') ? '' : `no result alone on stdout, or no migration in ${m[1]}`],
  [/weave run build\/particles\.wasm \d+ \d+ --checkpoint-every \S+ --json/, (s) => {
    let r;
    try { r = JSON.parse(s.out); } catch { return `stdout is not one JSON object: ${s.out.slice(0, 200)}`; }
    jobId = r.job;
    if (s.rc !== 0 || typeof r.result !== 'string' || !(r.yields > 0)) return 'no result, or no yields';
    return new RegExp(`^weave: job ${r.job}\\n`, 'm').test(s.err) ? '' : `the job id ${r.job} is not on stderr`;
  }],
  [/weave run build\/particles\.wasm \d+ \d+$/, (s) => s.rc === 0 && /^-?\d+(\.\d+)?(e[+-]?\d+)?\n$/.test(s.out) ? '' : 'stdout is not the result alone'],
  [/weave trace (\S+) -o (\S+)/, (s, m) => s.rc === 0 && /<svg/.test(read(m[2])) && /class="startup"/.test(read(m[2])) && new RegExp(`wrote ${m[2]}`).test(s.err) ? '' : `${m[2]} has no timeline with start-ups drawn`],
  [/^export NATS_URL=/, (s) => (s.rc === 0 ? '' : 'failed')],
  [/weave hubs --expect (\d+)/, (s) => s.rc === 0 && /^HUB +STATE +SPEED/.test(s.out) && /^fast +ready /m.test(s.out) && /^slow +ready /m.test(s.out) ? '' : 'not both hubs ready in the table'],
  [/weave jobs$/, (s) => s.rc === 0 && jobId && new RegExp(`^${jobId} +done +\\d+ +(fast|slow) +simulate\\(`, 'm').test(s.out) ? '' : `no line 'JOBID done … simulate(…)' for job ${jobId}`],
  [/curl -s .*\/metrics .*\| grep '\^weave_fragment_runs_total'/, (s) => s.rc === 0 && /^weave_fragment_runs_total\{[^}]*\} [1-9]\d*$/m.test(s.out) ? '' : 'no weave_fragment_runs_total counter above 0'],
  [/WEAVE_POLICY=learned npx weave config run/, (s) => s.rc === 0 && /--policy "learned"\s+\(env: WEAVE_POLICY\)/.test(s.out + s.err) ? '' : 'the policy and where it came from are not shown'],
  [/weave hubs drain (.+); kill %1$/, (s, m) => {
    if (s.rc !== 0) return `exit status ${s.rc}`;
    if (!new RegExp(`^weave hubs: stopped ${m[1].split(' ').join(', ')}$`, 'm').test(s.err)) return `no 'weave hubs: stopped ${m[1]}' on stderr`;
    const left = pidFiles.filter((f) => existsSync(f));
    if (left.length) return `pid files left: ${left.join(', ')} (a hub did not stop)`;
    const logs = lines.flatMap((l) => [...l.matchAll(/hub start .*2>(\S+)/g)].map((m) => m[1]));
    const quiet = logs.filter((f) => !/"msg":"stopped"/.test(read(f)));
    return quiet.length ? `no 'stopped' line in ${quiet.join(', ')}` : '';
  }],
];

let failed = 0;
lines.forEach((line, i) => {
  if (/&$/.test(line)) return;
  const s = { rc: Number(read(`${out}/${i}.rc`) || NaN), out: read(`${out}/${i}.out`), err: read(`${out}/${i}.err`), ms: Number(read(`${out}/${i}.ms`) || 0) };
  const check = CHECKS.map(([re, fn]) => [re.exec(line), fn]).find(([m]) => m);
  const problem = Number.isNaN(s.rc) ? 'did not run' : !check ? 'this script has no check for this step: add one' : check[1](s, check[0]);
  if (problem) failed++;
  console.log(`${problem ? 'FAIL' : 'ok  '} ${(s.ms / 1000).toFixed(1).padStart(5)} s  ${line}${problem ? `\n       ${problem}\n       stderr: ${s.err.trim().split('\n').slice(-3).join('\n               ')}` : ''}`);
});
console.log(`readme tour: steps=${lines.length} failed=${failed} wall_s=${wallS.toFixed(1)} (bash exit ${rc}; outputs in ${out}/)`);
process.exit(failed ? 1 : 0);
