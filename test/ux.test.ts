/**
 * What a new user meets on the way in, through the real binaries: the first command's
 * output, closed pipes, --version, help and "did you mean", --no-X over the environment,
 * source given to weave run, the woven-module cache, the trace page beside its trace,
 * tables on a terminal, shell completion, a hub stopped through its pid file, the progress
 * line on both meshes, and hub logs pretty on a terminal, JSON elsewhere.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHubProcess, startNatsServer } from './helpers/nats-server.js';

const test = suite('ux');
mkdirSync('build/test', { recursive: true });
const cli = (bin: string, argv: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [`dist/cli/${bin}.js`, ...argv], { encoding: 'utf8', env, timeout: 120_000 });
const weave = (...argv: string[]) => cli('weave', argv);
const hasScript = !spawnSync('script', ['--version']).error;

test('the first command (npm run example) prints the result and one summary line, not kilobytes of JSON', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { example: string } };
  // The script as written, minus the TypeScript build the suite has already done.
  const steps = pkg.scripts.example.replace(/^npm run build && /, '');
  const r = spawnSync('sh', ['-c', steps], { encoding: 'utf8', timeout: 180_000 });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\n$/, 'stdout is the result alone');
  assert.match(r.stderr, /weave: simulate\(64, 200\) on 2 hubs .*: \d+ fragment runs, \d+ migrations \([\d.]+ [kM]B moved\), \d+ yields, [\d.]+ s/);
  assert.ok(r.stdout.length + r.stderr.length < 1024, `${r.stdout.length + r.stderr.length} bytes printed`);
});

test('output piped into a reader that closes after one byte ends quietly, with no EPIPE crash', async () => {
  const p = spawn(process.execPath, ['dist/cli/weave.js', 'run', 'build/particles.wasm', '64', '200', '--migrate-every', '1', '--jsonl', '--hubs', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => { stderr += d; });
  await new Promise<void>((resolve) => p.stdout.once('data', () => { p.stdout.destroy(); resolve(); }));
  const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
  assert.not.match(stderr, /EPIPE|Unhandled/, stderr);
  assert.is(code, 0);
});

test('--version on weave and hub; help CMD; did you mean for a command and a flag', () => {
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
  assert.match(weave('--version').stdout, new RegExp(`^weave ${version.replace(/\./g, '\\.')} \\(node `));
  assert.match(cli('hub', ['--version']).stdout, new RegExp(`^hub ${version.replace(/\./g, '\\.')} `));
  assert.match(weave('help', 'build').stdout, /^usage: weave build/);
  const typo = weave('biuld', 'x.ts');
  assert.is(typo.status, 2);
  assert.match(typo.stderr, /unknown command 'biuld'; did you mean 'weave build'\?/);
  const flag = weave('run', 'build/particles.wasm', '1', '1', '--jsno');
  assert.is(flag.status, 2);
  assert.match(flag.stderr, /Unknown option '--jsno'.*did you mean --json\?/s);
});

test('a boolean setting the environment turns on, a --no- flag turns off', () => {
  const env = { ...process.env, WEAVE_JSON: '1' };
  const on = cli('weave', ['run', 'build/particles.wasm', '8', '3'], env);
  assert.ok(on.stdout.startsWith('{'), on.stdout);
  const off = cli('weave', ['run', 'build/particles.wasm', '8', '3', '--no-json'], env);
  assert.match(off.stdout, /^[\d.]+\n$/);
});

test('source given to weave run is named as source, with the build command to use', () => {
  const r = weave('run', 'test/programs/fib.ts', '10');
  assert.is(r.status, 2);
  assert.match(r.stderr, /test\/programs\/fib\.ts is AssemblyScript source, not a module: build it first, weave build test\/programs\/fib\.ts/);
});

test('a plain asc module is woven once: the next run takes the woven bundle from the cache', async () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'weave-cache-'));
  const { compileAssemblyScript } = await import('../fragments/index.js');
  writeFileSync('build/test/ux-plain.wasm', await compileAssemblyScript('test/programs/fib.ts'));
  const env = { ...process.env, WEAVE_CACHE_DIR: cache };
  const first = cli('weave', ['run', 'build/test/ux-plain.wasm', '20'], env);
  assert.is(first.stdout, '6765\n', first.stderr);
  const entries = readdirSync(path.join(cache, 'woven'));
  assert.is(entries.length, 1, 'one woven bundle cached');
  const second = cli('weave', ['run', 'build/test/ux-plain.wasm', '20'], env);
  assert.is(second.stdout, '6765\n');
  assert.equal(readdirSync(path.join(cache, 'woven')), entries, 'the second run used the cached bundle');
  rmSync(cache, { recursive: true, force: true });
});

test('weave trace FILE writes FILE.html beside it and says where', () => {
  const r = weave('run', 'build/particles.wasm', '8', '3', '--hubs', '2', '--migrate-every', '1', '--trace', 'build/test/ux.trace');
  assert.is(r.status, 0, r.stderr);
  rmSync('build/test/ux.trace.html', { force: true });
  const t = weave('trace', 'build/test/ux.trace');
  assert.is(t.status, 0, t.stderr);
  assert.is(t.stdout, '', 'nothing poured into the terminal');
  assert.match(t.stderr, /wrote build\/test\/ux\.trace\.html/);
  assert.match(readFileSync('build/test/ux.trace.html', 'utf8'), /<svg/);
});

test('weave completion prints a bash script that completes commands and flags', () => {
  const r = weave('completion', 'bash');
  assert.is(r.status, 0);
  writeFileSync('build/test/ux-completion.sh', r.stdout);
  const out = spawnSync('bash', ['-c', 'source build/test/ux-completion.sh; COMP_WORDS=(weave bu); COMP_CWORD=1; _weave_complete; echo "${COMPREPLY[@]}"; COMP_WORDS=(weave run --migr); COMP_CWORD=2; _weave_complete; echo "${COMPREPLY[@]}"'], { encoding: 'utf8' });
  assert.is(out.stdout, 'build\n--migrate-every\n');
});

test('a hub started with --pid-file is stopped through it; weave hubs colours the table on a terminal only', async () => {
  const ns = await startNatsServer();
  const pidFile = 'build/test/ux-hub.pid';
  rmSync(pidFile, { force: true });
  const hub = spawn(process.execPath, ['dist/cli/hub.js', 'start', '--nats', ns.url, '--name', 'ux-hub', '--slots', '1', '--no-gpu', '--pid-file', pidFile], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    assert.is(Number(readFileSync(pidFile, 'utf8')), hub.pid, 'the file holds the hub\'s own pid');
    const piped = weave('hubs', '--nats', ns.url, '--wait', '10000', '--expect', '1');
    assert.is(piped.status, 0, piped.stderr);
    assert.match(piped.stdout, /^HUB +STATE +SPEED/);
    const short = weave('hubs', '--nats', ns.url, '--wait', '1500', '--expect', '2');
    assert.is(short.status, 4, 'fewer hubs than expected: exit 4');
    assert.match(short.stdout, /^ux-hub +ready /m, 'the table still shows the one there is');
    assert.match(short.stderr, /weave hubs: 1 of the 2 hubs expected are ready after 1500 ms/);
    assert.not.match(piped.stdout, /\x1b\[/, 'no colour codes in a pipe');
    if (hasScript) {
      const tty = spawnSync('script', ['-qfec', `${process.execPath} dist/cli/weave.js hubs --nats ${ns.url}`, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
      assert.match(tty.stdout, /\x1b\[1mHUB/, 'bold header on a terminal');
      const plain = spawnSync('script', ['-qfec', `${process.execPath} dist/cli/weave.js hubs --nats ${ns.url}`, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
      assert.not.match(plain.stdout, /\x1b\[1m/, 'NO_COLOR is honoured');
    } else {
      console.log('  ux: terminal colour check skipped: no `script` (util-linux) to give weave hubs a terminal');
    }
    const exited = new Promise((r) => hub.once('exit', r));
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    await exited;
    assert.is(hub.exitCode, 0, 'drained and exited cleanly');
    assert.not.ok(existsSync(pidFile), 'the pid file is removed');
  } finally {
    hub.kill('SIGKILL');
    await ns.stop();
  }
});

/** The progress lines of a `weave run --progress` into a pipe, as numbers. */
function progressLines(stderr: string) {
  return [...stderr.matchAll(/^weave: [0-9a-f]{8} on (\S+) · fragment (\d+)\/(\d+) · (\d+) yields? · (\d+) checkpoints? · (\d+) migrations?(?: · \d+ retr(?:y|ies))? · [\d.]+ s$/gm)]
    .map((m) => ({ hub: m[1], fragment: Number(m[2]), fragments: Number(m[3]), yields: Number(m[4]), checkpoints: Number(m[5]), migrations: Number(m[6]) }));
}

test('the embedded mesh shows progress while one long run goes on: the yields climb before the result', () => {
  // One fragment run of some 100,000 yield points and no migration: before, the engine said
  // nothing between the start and the result.
  const r = weave('run', 'build/particles.wasm', '2000', '1000', '--hubs', '1', '--progress', '--json');
  assert.is(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { yields: number };
  const lines = progressLines(r.stderr);
  assert.ok(lines.length >= 2, r.stderr);
  assert.ok(lines.every((l) => l.hub === 'embedded-0' && l.fragments === 2), r.stderr);
  const last = lines[lines.length - 1];
  assert.ok(last.yields > 0 && last.yields <= result.yields, `last line ${last.yields} yields, the job ${result.yields}`);
  assert.ok(lines.every((l, i) => i === 0 || l.yields >= lines[i - 1].yields), 'yields never go back');
});

test('on the embedded mesh a job without --migrate-every stays on one hub across its fragments; --timeout still stops it mid-run', () => {
  // Before, each fragment went to the next hub in turn, the state through the engine:
  // particles at --granularity nested made 3,002 moves (14 s against 0.5 s).
  const r = weave('run', 'build/particles.wasm', '64', '200', '--hubs', '2', '--json');
  assert.is(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { fragments: number; migrations: number; placements: Array<{ hub: string }> };
  assert.equal([o.fragments, o.migrations, o.placements.length], [2, 0, 1]);
  const t0 = Date.now();
  const long = weave('run', 'build/particles.wasm', '2000', '400000', '--hubs', '1', '--timeout', '1s');
  assert.is(long.status, 5, long.stderr);
  assert.match(long.stderr, /the job's --timeout \(1\.0 s\) passed while it ran/);
  assert.ok(Date.now() - t0 < 15_000, `stopped after ${Date.now() - t0} ms; the job alone runs for minutes`);
});

test('over NATS the progress line counts the yields of hand-overs; hub logs are JSON in a pipe, pretty with --log-format pretty; weave hubs drain NAME stops a hub', async () => {
  const ns = await startNatsServer();
  const json = await startHubProcess(ns.url, 'ux-json', ['--slots', '1', '--no-gpu']);
  const pretty = spawn(process.execPath, ['dist/cli/hub.js', 'start', '--nats', ns.url, '--name', 'ux-pretty', '--slots', '1', '--no-gpu', '--log-format', 'pretty'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let prettyLog = '';
  pretty.stderr.on('data', (d) => { prettyLog += d; });
  try {
    await new Promise<void>((resolve, reject) => {
      pretty.stderr.on('data', () => { if (/ ux-pretty {2}ready {2}/.test(prettyLog)) resolve(); });
      pretty.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${prettyLog}`)));
    });
    assert.match(json.log(), /^\{"level":"info","time":"[^"]+","hub":"ux-json","msg":"ready"/m, 'JSON lines in a pipe by default');
    assert.match(prettyLog, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}ux-pretty {2}ready {2}slots=1 caps=\{/m);
    assert.not.match(prettyLog, /\x1b\[|"msg"/, 'no JSON, no colour codes in a pipe');
    const r = cli('weave', ['run', 'build/particles.wasm', '300', '2000', '--nats', ns.url, '--wait-hubs', '10000', '--migrate-every', '5000', '--progress', '--json']);
    assert.is(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { yields: number; migrations: number };
    assert.ok(result.migrations >= 2, r.stdout);
    const lines = progressLines(r.stderr);
    const moved = lines.filter((l) => l.checkpoints > 0);
    assert.ok(moved.length >= 1, r.stderr);
    assert.ok(moved.every((l) => l.yields >= 5000 && l.yields <= result.yields), `yields while checkpoints climb:\n${r.stderr}`);
    // A hub stopped by name, over NATS: it drains, says so, and exits cleanly.
    const nope = weave('hubs', 'drain', 'ux-nope', '--nats', ns.url);
    assert.is(nope.status, 2);
    assert.match(nope.stderr, /no hub 'ux-nope' on this server; live hubs are: ux-json, ux-pretty/);
    const exited = new Promise<number | null>((resolve) => json.proc.once('exit', resolve));
    const drained = weave('hubs', 'drain', 'ux-json', '--nats', ns.url);
    assert.is(drained.status, 0, drained.stderr);
    assert.match(drained.stderr, /weave hubs: ux-json is draining\nweave hubs: stopped ux-json\n/);
    assert.is(await exited, 0);
    assert.match(json.log(), /"msg":"drain asked"[\s\S]*"msg":"stopped"/);
  } finally {
    // Each hub drains before the server goes: a hub left draining without its server
    // would keep this process (its stderr reader) alive.
    if (pretty.exitCode === null && pretty.signalCode === null) {
      const gone = new Promise((r) => pretty.once('exit', r));
      pretty.kill('SIGTERM');
      await gone;
    }
    await json.stop();
    await ns.stop();
  }
});

test('hub logs are pretty on a terminal, with the level coloured unless NO_COLOR', async () => {
  if (!hasScript) {
    console.log('  ux: terminal log check skipped: no `script` (util-linux) to give hub start a terminal');
    return;
  }
  const ns = await startNatsServer();
  try {
    // Stopped through its pid file once ready: it drains and says so.
    const run = async (env: NodeJS.ProcessEnv) => {
      const pidFile = 'build/test/ux-tty.pid';
      rmSync(pidFile, { force: true });
      const p = spawn('script', ['-qfec', `${process.execPath} dist/cli/hub.js start --nats ${ns.url} --name ux-tty --slots 1 --no-gpu --pid-file ${pidFile}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'ignore'], env });
      let out = '';
      p.stdout.on('data', (d) => { out += d; });
      const closed = new Promise((r) => p.once('close', r));
      // The pid file is written once the hub is up, after its 'ready' line.
      while (!(/ ux-tty {2}ready/.test(out) && existsSync(pidFile))) {
        if (p.exitCode !== null) throw new Error(`hub start under script exited: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      await closed;
      return out;
    };
    const tty = await run(process.env);
    assert.match(tty, /\d\d:\d\d:\d\d\.\d{3} \x1b\[32mINFO \x1b\[0m ux-tty {2}ready {2}slots=1/);
    assert.match(tty, / ux-tty {2}stopped/, 'drained and said so');
    assert.not.match(tty, /"msg"/, 'no JSON on a terminal');
    const plain = await run({ ...process.env, NO_COLOR: '1' });
    assert.match(plain, /\d\d:\d\d:\d\d\.\d{3} INFO {2}ux-tty {2}ready/);
  } finally {
    await ns.stop();
  }
});

test('docs/cli.md lists every command of both binaries, and exit codes exactly as the code has them', async () => {
  const doc = readFileSync('docs/cli.md', 'utf8');
  const { WEAVE_COMMANDS, HUB_COMMANDS } = await import('../cli/commands/index.js');
  const { EXIT } = await import('../cli/exit-codes.js');
  for (const c of WEAVE_COMMANDS) assert.match(doc, new RegExp(`^\\| \`weave ${c.name}[ \`]`, 'm'), `weave ${c.name} has a row`);
  for (const c of HUB_COMMANDS) assert.match(doc, new RegExp(`^\\| \`hub ${c.name}[ \`]`, 'm'), `hub ${c.name} has a row`);
  const listed = weave('--help').stdout.match(/^ {2}(\S+) /gm)!.map((l) => l.trim());
  assert.equal(listed, WEAVE_COMMANDS.map((c) => c.name), 'weave --help lists the same commands');
  const table = doc.slice(doc.indexOf('## Exit codes'), doc.indexOf('\n## ', doc.indexOf('## Exit codes') + 1));
  const codes = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
  assert.equal(codes, [...new Set(Object.values(EXIT))].sort((a, b) => a - b));
});

test('weave run --help says one thing about where a job starts: best fit over NATS, in turn embedded', () => {
  const help = weave('run', '--help').stdout.replace(/\s+/g, ' ');
  assert.not.match(help, /next hub in round-robin order/);
  assert.match(help, /a job starts on the capable hub that fits it best/);
  assert.match(help, /default: round-robin on the embedded mesh; over NATS the best- fitting hub, equals in turn/);
});

test.run();
