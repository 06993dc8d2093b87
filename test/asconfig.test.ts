/**
 * weave build reads asconfig.json as asc does: entries when no file is given, options,
 * targets and `extends`; weave's flags and asc options after `--` win over it; the
 * project's own asconfig.json builds every example into one bundle.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readManifest } from '../fragments/index.js';

const test = suite('asconfig');
const CLI = path.resolve('dist/cli/weave.js');
const weave = (cwd: string, ...argv: string[]) => spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', cwd });
const manifestOf = (file: string) => readManifest(new WebAssembly.Module(readFileSync(file)))!;

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-asconfig-'));
  mkdirSync(path.join(dir, 'assembly'));
  writeFileSync(path.join(dir, 'assembly/index.ts'), 'export function twice(n: i32): i32 { let s = 0; for (let i = 0; i < n; i++) s += 2; return s; }\n');
  writeFileSync(path.join(dir, 'assembly/extra.ts'), 'export function thrice(n: i32): i32 { return n * 3; }\n');
  writeFileSync(path.join(dir, 'base.json'), JSON.stringify({ options: { runtime: 'minimal' } }));
  writeFileSync(path.join(dir, 'asconfig.json'), JSON.stringify({
    extends: './base.json',
    entries: ['assembly/index.ts'],
    options: { runtime: 'stub' },
    targets: { release: { outFile: 'out/release.wasm' }, debug: { outFile: 'out/debug.wasm', runtime: 'incremental' } },
  }));
  return dir;
}

test('with no file, the config\'s entries, options and release target are built', () => {
  const dir = project();
  const r = weave(dir, 'build');
  assert.is(r.status, 0, r.stderr);
  const m = manifestOf(path.join(dir, 'out/release.wasm'));
  assert.is(m.runtime, 'stub', 'the config\'s runtime, over the runtime of the config it extends');
  assert.equal(m.entries.map((e) => e.name), ['twice']);
  const run = weave(dir, 'run', 'out/release.wasm', '21');
  assert.is(run.stdout, '42\n', run.stderr);
});

test('--target picks the target\'s options; flags and asc options after -- win over the config', () => {
  const dir = project();
  assert.is(weave(dir, 'build', '--target', 'debug').status, 0);
  assert.is(manifestOf(path.join(dir, 'out/debug.wasm')).runtime, 'incremental');
  assert.is(weave(dir, 'build', '--runtime', 'minimal', '-o', 'out/flag.wasm').status, 0);
  assert.is(manifestOf(path.join(dir, 'out/flag.wasm')).runtime, 'minimal');
  const passed = weave(dir, 'build', '-o', 'out/asc.wasm', '--', '--runtime', 'incremental', '-O2', '--noAssert');
  assert.is(passed.status, 0, passed.stderr);
  assert.is(manifestOf(path.join(dir, 'out/asc.wasm')).runtime, 'incremental');
});

test('a file on the command line replaces the config\'s entries but keeps its options', () => {
  const dir = project();
  const r = weave(dir, 'build', 'assembly/extra.ts');
  assert.is(r.status, 0, r.stderr);
  const m = manifestOf(path.join(dir, 'out/release.wasm'));
  assert.equal(m.entries.map((e) => e.name), ['thrice']);
  assert.is(m.runtime, 'stub');
});

test('an asc option asc does not know, or one given before --, is refused with what to write', () => {
  const dir = project();
  const r = weave(dir, 'build', '--', '--bogus');
  assert.is(r.status, 2);
  assert.match(r.stderr, /asc does not know the option '--bogus'/);
  const early = weave(dir, 'build', 'assembly/index.ts', '-O2');
  assert.is(early.status, 2);
  assert.match(early.stderr, /asc options go after --, e\.g\. weave build src\/main\.ts -- -O2/);
});

test('the project\'s asconfig.json builds every example into one bundle, each an entry', () => {
  const r = weave(process.cwd(), 'build', '-o', 'build/test/examples.wasm');
  assert.is(r.status, 0, r.stderr);
  const config = JSON.parse(readFileSync('asconfig.json', 'utf8')) as { entries: string[] };
  const m = manifestOf('build/test/examples.wasm');
  assert.is(m.entries.length >= config.entries.length, true, `${m.entries.length} entries from ${config.entries.length} files`);
  const run = weave(process.cwd(), 'run', 'build/test/examples.wasm', '16', '4', '--entry', 'matmul', '--hubs', '2', '--migrate-every', '1');
  assert.is(run.status, 0, run.stderr);
});

test.run();
