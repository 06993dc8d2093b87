/**
 * The built `weave` binary, run as users run it: build, run on the embedded mesh (with
 * migrations across hubs), inspect, and the errors users see.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { compileAssemblyScript } from '../fragments/index.js';
import { cases, plainResult, valueBytes, SMALL_RUN_INTERVAL } from './helpers/programs.js';
import { buildModule } from './helpers/build-module.js';

const test = suite('weave cli');
const weave = (...argv: string[]) => spawnSync(process.execPath, ['dist/cli/weave.js', ...argv], { encoding: 'utf8' });
mkdirSync('build/test', { recursive: true });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

for (const name of ['matmul', 'particles', 'wordfreq']) {
  test(`${name}: weave run with --migrate-every 1 across 3 hubs prints the plain asc result`, async () => {
    const c = cases().find((x) => x.file === `examples/${name}.ts`)!;
    // The same build as mesh's: one of the two compiles it, the other copies it (build-module.ts).
    const b = await buildModule([c.file, '-o', `build/test/${name}.wasm`, '--yield-interval', String(SMALL_RUN_INTERVAL[name])]);
    assert.is(b.status, 0, b.stderr);
    const r = weave('run', `build/test/${name}.wasm`, ...c.small.map(String), '--migrate-every', '1', '--hubs', '3', '--json');
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const ref = await plainResult(c, c.small);
    const value = c.result === 'i64' ? BigInt(out.result) : Number(out.result);
    assert.is(hex(valueBytes(c.result, value)), hex(ref));
    assert.ok(out.migrations > 1, `migrated ${out.migrations} times`);
    // Every placement but the last hands back a checkpoint; the last returns the result only.
    assert.is(out.placements.length, out.checkpoints + 1);
    const plain = weave('run', `build/test/${name}.wasm`, ...c.small.map(String), '--hubs', '2');
    assert.is(plain.stdout.trim(), out.result);
  });
}

test('a plain asc module (no weave build) runs, woven at load time', async () => {
  const c = cases().find((x) => x.entry === 'fib')!;
  writeFileSync('build/test/plain-fib.wasm', await compileAssemblyScript(c.file));
  const r = weave('run', 'build/test/plain-fib.wasm', '15');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '610\n');
});

test('a trap exits 3 naming the fragment and the source line; a wrong entry lists the exports', async () => {
  const b = await buildModule(['test/programs/trap.ts', '-o', 'build/test/trap.wasm']);
  assert.is(b.status, 0, b.stderr);
  const r = weave('run', 'build/test/trap.wasm', '--', '-1000');
  assert.is(r.status, 3);
  assert.match(r.stderr, /trap in fragment \d+ of 'checked': bad input at test\/programs\/trap\.ts:13:7/);
  const e = weave('run', 'build/test/trap.wasm', '5', '--entry', 'nope');
  assert.is(e.status, 2);
  assert.match(e.stderr, /no export 'nope'; exports are: checked/);
});

test('top-level code that traps is the program\'s trap (exit 3, as plain asc traps at instantiation), not a hub error', async () => {
  // A start function traps on every hub alike: the job fails as a trap, named as such,
  // and no hub is blamed (it used to come back as HubError 'start-trap', 'hub embedded-0: …').
  writeFileSync('build/test/start-trap.ts', 'let zero: i32 = 0;\nconst ten: i32 = 10 / zero;\nexport function f(n: i32): i32 { return n + ten; }\n');
  const b = await buildModule(['build/test/start-trap.ts', '-o', 'build/test/start-trap.wasm']);
  assert.is(b.status, 0, b.stderr);
  const r = weave('run', 'build/test/start-trap.wasm', '1', '--json');
  assert.is(r.status, 3, r.stderr);
  const e = JSON.parse(r.stdout).error;
  assert.is(e.name, 'FragmentTrap');
  assert.is(e.code, 'trap');
  assert.match(e.message, /^the module's start function trapped: divide by zero/);
  const plain = weave('run', 'build/test/start-trap.wasm', '1');
  assert.is(plain.status, 3);
  assert.is(plain.stderr.trim(), "weave run: the module's start function trapped: divide by zero");
});

test('a finished command ends its process within the grace even with something left open, and at once without', () => {
  const main = new URL('../cli/main.js', import.meta.url).href;
  const run = (keepOpen: boolean) => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const { exitWithinGrace } = await import(${JSON.stringify(main)}); ${keepOpen ? 'setInterval(() => {}, 1000);' : ''} process.exitCode = 3; exitWithinGrace();`], { encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, ms: Date.now() - t0, stderr: r.stderr };
  };
  const stuck = run(true);
  assert.is(stuck.status, 3, stuck.stderr);
  assert.ok(stuck.ms >= 4000 && stuck.ms < 20_000, `held open: exited after ${stuck.ms} ms, with its exit code`);
  const idle = run(false);
  assert.is(idle.status, 3, idle.stderr);
  assert.ok(idle.ms < 4000, `nothing open: exited after ${idle.ms} ms, the grace timer keeping nothing up`);
});

test('a compile error names file:line:column and exits 2', () => {
  writeFileSync('build/test/bad.ts', 'export function f(x: i32): i32 {\n  return x + missing;\n}\n');
  const r = weave('build', 'build/test/bad.ts', '-o', 'build/test/bad.wasm');
  assert.is(r.status, 2);
  assert.match(r.stderr, /build\/test\/bad\.ts:2:14: error TS2304: Cannot find name 'missing'/);
  // asc's code frame, as asc prints it
  assert.match(r.stderr, /2 │ +return x \+ missing;\n.*~~~~~~~/);
});

test('inspect prints fragments with their control flow and metadata', () => {
  const r = weave('inspect', 'build/test/matmul.wasm');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /entry matmul\(n: i32, reps: i32\) -> f64/);
  assert.match(r.stdout, /fragment \d+ \[loop\] -> /);
  const j = JSON.parse(weave('inspect', 'build/test/matmul.wasm', '--json').stdout);
  assert.ok(j.fragments.length >= 2 && j.fragments.every((f: any) => f.meta.cost.weight > 0));
});

test.run();
