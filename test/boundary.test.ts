/**
 * Strings, arrays and typed arrays at the boundary: an export's arguments are lowered into
 * the instance and its result lifted out as asc's own JS bindings do, so weave prints what
 * the plain asc build called through its bindings returns, resumed at every yield point
 * too; and what weave cannot pass is refused at build time with file:line.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBundle, CompileError } from '../fragments/index.js';
import { decodeResult, loadBundle, parseArgs, resultType, type ArgValue, type LoadedBundle } from '../runtime/exec/index.js';
import { runLocally } from './helpers/programs.js';

const test = suite('boundary');
const FILE = 'test/programs/boundary.ts';
const weave = (...argv: string[]) => spawnSync(process.execPath, ['dist/cli/weave.js', ...argv], { encoding: 'utf8' });
mkdirSync('build/test', { recursive: true });

let bundle: Promise<LoadedBundle> | undefined;
const woven = () => (bundle ??= buildBundle(FILE, { yieldInterval: 1 }).then((b) => loadBundle(b.bundle)));

/** The plain asc build with asc's raw JS bindings: a fresh instance per call. */
let plain: Promise<{ mod: WebAssembly.Module; instantiate: (m: WebAssembly.Module, i: object) => Promise<Record<string, Function>> }> | undefined;
function plainBuild() {
  return (plain ??= (async () => {
    const asc = (await import('assemblyscript/asc')).default;
    const out = 'build/test/boundary-plain';
    // --config: the project's asconfig.json would add every example to this build.
    const r = await asc.main([FILE, '--config', '.no-asconfig.json', '--outFile', `${out}.wasm`, '--bindings', 'raw', '--optimizeLevel', '3', '--shrinkLevel', '0', '--exportRuntime']);
    if (r.error) throw r.error;
    const { instantiate } = await import(pathToFileURL(path.resolve(`${out}.js`)).href);
    return { mod: await WebAssembly.compile(readFileSync(`${out}.wasm`)), instantiate };
  })());
}

async function viaBindings(entry: string, args: unknown[]): Promise<unknown> {
  const p = await plainBuild();
  const exports = await p.instantiate(p.mod, { env: { seed: () => 0x5eed, trace: () => {}, abort: () => { throw new Error('abort'); } } });
  // asc's raw bindings leave an export with optional parameters as Wasm exports it: the
  // caller says how many arguments it passes, as asc's generated ESM wrapper does.
  exports.__setArgumentsLength?.(args.length);
  const v = exports[entry](...args);
  return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v instanceof ArrayBuffer ? Array.from(new Uint8Array(v)) : v;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ===
  JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

// Each call: the command-line arguments weave takes, and the JS values asc's bindings take.
const calls: Array<{ entry: string; cli: string[]; js: unknown[] }> = [
  { entry: 'count', cli: ['some words  here'], js: ['some words  here'] },
  { entry: 'count', cli: [''], js: [''] },
  { entry: 'shout', cli: ['héllo wörld, ☃ 𝄞'], js: ['héllo wörld, ☃ 𝄞'] },
  { entry: 'sum', cli: ['[1, -2, 9007199254740993, -9223372036854775808]'], js: [[1n, -2n, 9007199254740993n, -9223372036854775808n]] },
  { entry: 'scale', cli: ['[1.5, -0, NaN, 1e308]', '2'], js: [new Float64Array([1.5, -0, NaN, 1e308]), 2] },
  { entry: 'fnv', cli: ['[1,2,3,255]'], js: [new Uint8Array([1, 2, 3, 255])] },
  { entry: 'isNull', cli: ['null'], js: [null] },
  { entry: 'isNull', cli: ['text'], js: ['text'] },
  { entry: 'times', cli: ['3'], js: [3] },
  { entry: 'times', cli: ['3', '4'], js: [3, 4] },
  { entry: 'squares', cli: ['40'], js: [40] },
  { entry: 'ramp', cli: ['70'], js: [70] },
  { entry: 'reversed', cli: ['[1,2,3,4,5]'], js: [new Uint8Array([1, 2, 3, 4, 5]).buffer] },
  { entry: 'big', cli: ['3'], js: [3] },
  { entry: 'nothing', cli: ['1'], js: [1] },
  { entry: 'nothing', cli: ['0'], js: [0] },
];

for (const c of calls) {
  test(`${c.entry}(${c.cli.join(', ')}) gives what asc's bindings give, and the same at every yield point`, async () => {
    const b = await woven();
    const info = b.manifest.entries.find((e) => e.name === c.entry)!;
    const args: ArgValue[] = parseArgs(c.cli, info);
    const want = await viaBindings(c.entry, c.js);
    const whole = await runLocally(b, c.entry, args);
    const got = decodeResult(resultType(info), whole.result);
    assert.ok(same(got, want), `weave ${String(got)} vs asc bindings ${String(want)}`);
    const every = await runLocally(b, c.entry, args, { fuel: Math.max(1, Math.ceil(whole.yields / 100)), pauseAt: () => true, restoreAtBoundaries: true });
    assert.is(Buffer.from(every.result).toString('hex'), Buffer.from(whole.result).toString('hex'));
  });
}

test('weave run passes a string and prints arrays as JSON, migrating across hubs', () => {
  const out = 'build/test/boundary.wasm';
  assert.is(weave('build', FILE, '-o', out).status, 0);
  const r = weave('run', out, 'some text here', '--entry', 'count', '--hubs', '2', '--migrate-every', '1');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '3\n');
  const a = weave('run', out, '5', '--entry', 'squares', '--hubs', '2', '--migrate-every', '1');
  assert.is(a.stdout, '[0,1,4,9,16]\n');
  const j = weave('run', out, '[1.5,2]', '3', '--entry', 'scale', '--json');
  assert.is(JSON.parse(j.stdout).result, '[4.5,6]');
  writeFileSync('build/test/boundary-bytes.bin', Buffer.from([9, 8, 7]));
  const f = weave('run', out, '@build/test/boundary-bytes.bin', '--entry', 'reversed');
  assert.is(f.stdout, '[7,8,9]\n');
  const bad = weave('run', out, '[1,x]', '--entry', 'sum');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /argument 1 \(a\) of 'sum' is Array<i64>: '\[1,x\]' has element 1 'x' that is not an integer/);
});

test('an export weave cannot pass is refused at build time, naming the export, the type and the line', async () => {
  const src = 'build/test/boundary-refused.ts';
  writeFileSync(src, 'class Vec { x: f64 = 0 }\nexport function ok(n: i32): i32 { return n; }\nexport function make(n: i32): Vec { const v = new Vec(); v.x = n; return v; }\n');
  try {
    await buildBundle(src);
    assert.unreachable('should be refused');
  } catch (err) {
    assert.instance(err, CompileError);
    assert.match((err as Error).message, /boundary-refused\.ts:3:1: error: export 'make' returns build\/test\/boundary-refused\/Vec, which weave cannot pass back/);
  }
});

test.run();
