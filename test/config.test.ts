/**
 * One precedence for every setting: flags > environment > weave.config.json > defaults,
 * seen through what the built commands do (which NATS server they dial, how many hubs
 * run a job, whether it prints JSON); bad config files and values are named with file,
 * line and what to write; exit codes say the cause.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildModule } from './helpers/build-module.js';

const test = suite('config');
const root = process.cwd();
const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-config-'));
const wasm = path.join(root, 'build/test/config-matmul.wasm');
const cfg = path.join(dir, 'weave.config.json');

/** `weave …` run in `dir` (where weave.config.json is looked for), with only the env given plus PATH/HOME. */
function weave(argv: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(root, 'dist/cli/weave.js'), ...argv], {
    cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
}
const config = (doc: unknown) => writeFileSync(cfg, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));

test.before(async () => {
  mkdirSync(path.dirname(wasm), { recursive: true });
  // mesh, cli and trace build the same module: it is compiled once per test run (build-module.ts).
  const b = await buildModule(['examples/matmul.ts', '-o', wasm, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));
test.before.each(() => rmSync(cfg, { force: true }));

test('--nats: the flag beats NATS_URL, which beats the file; each is the one dialled (exit 7: unreachable)', () => {
  // Ports 1, 2 and 3 on loopback: nothing listens, so the error names the URL used.
  config({ nats: 'nats://127.0.0.1:3' });
  const env = { NATS_URL: 'nats://127.0.0.1:2' };
  const flag = weave(['hubs', '--wait', '0', '--nats', 'nats://127.0.0.1:1'], env);
  assert.is(flag.status, 7, flag.stderr);
  assert.match(flag.stderr, 'cannot connect to NATS at nats://127.0.0.1:1');
  const fromEnv = weave(['hubs', '--wait', '0'], env);
  assert.is(fromEnv.status, 7);
  assert.match(fromEnv.stderr, 'nats://127.0.0.1:2');
  const fromFile = weave(['hubs', '--wait', '0']);
  assert.is(fromFile.status, 7);
  assert.match(fromFile.stderr, 'nats://127.0.0.1:3');
});

test('a command section beats top-level keys; WEAVE_<FLAG> beats both; the flag beats all (hubs a job used)', () => {
  config({ json: false, 'weave run': { json: true, hubs: 2, 'migrate-every': 1 } });
  const hubsUsed = (r: ReturnType<typeof weave>) => {
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { placements: Array<{ hub: string }> };
    return new Set(out.placements.map((p) => p.hub)).size;
  };
  assert.is(hubsUsed(weave(['run', wasm, '16', '2'])), 2, 'from the file: 2 hubs, JSON from its section');
  assert.is(hubsUsed(weave(['run', wasm, '16', '2'], { WEAVE_HUBS: '3' })), 3, 'WEAVE_HUBS=3');
  assert.is(hubsUsed(weave(['run', wasm, '16', '2', '--hubs', '1'], { WEAVE_HUBS: '3' })), 1, '--hubs 1');
  // Off in the environment stays off: it does not fall through to the file's true.
  const plain = weave(['run', wasm, '16', '2'], { WEAVE_JSON: '0' });
  assert.is(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /^-?[\d.e+-]+\n$/);
});

test('weave config shows each setting with where it came from', () => {
  config({ nats: 'nats://10.0.0.5:4222', 'weave run': { 'checkpoint-every': ['20000', '2s'] }, 'hub start': { slots: 4 } });
  const r = weave(['config', 'run', '--json'], { WEAVE_POLICY: 'least-loaded' });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.settings.nats, { value: 'nats://10.0.0.5:4222', from: 'config', where: 'weave.config.json: nats' });
  assert.equal(out.settings['checkpoint-every'].value, ['20000', '2s']);
  assert.equal(out.settings.policy, { value: 'least-loaded', from: 'env', where: 'WEAVE_POLICY' });
  const hub = weave(['config', 'hub', 'start']);
  assert.match(hub.stdout, /--slots "4"\s+\(config: weave.config.json: "hub start": slots\)/);
});

test('a bad weave.config.json is named with line and column, exit 2, and --json gets the error as JSON', () => {
  config('{\n  "nats": "nats://127.0.0.1:4222",\n  "weave run": { "json": tru }\n}\n');
  const r = weave(['run', wasm, '16', '2', '--json']);
  assert.is(r.status, 2);
  assert.match(r.stderr, `${cfg}:3:29: not valid JSON`);
  const err = JSON.parse(r.stdout);
  assert.equal([err.kind, err.error.name, err.error.exit], ['error', 'ConfigError', 2]);

  config({ natz: 'nats://x' });
  const unknown = weave(['run', wasm, '16', '2']);
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, 'unknown key "natz"; top-level keys are flags without "--" (e.g. "nats"), or a command');

  config({ 'weave run': { hubs: [2] } });
  const typed = weave(['run', wasm, '16', '2']);
  assert.is(typed.status, 2);
  assert.match(typed.stderr, `${cfg}: "weave run": hubs must be a string or number, got [2]`);

  config({ 'weave run': { attach: '0123456789abcdef' } });
  assert.match(weave(['run', wasm, '16', '2']).stderr, '"weave run" has no setting "attach"');

  const env = weave(['run', wasm, '16', '2'], { WEAVE_JSON: 'maybe' });
  assert.is(env.status, 2);
  assert.match(env.stderr, 'WEAVE_JSON=maybe: --json is on or off; set WEAVE_JSON=1 or WEAVE_JSON=0');

  const missing = weave(['run', wasm, '16', '2'], { WEAVE_CONFIG: path.join(dir, 'nope.json') });
  assert.is(missing.status, 2);
  assert.match(missing.stderr, 'nope.json: no such file ($WEAVE_CONFIG names it)');
});

test('exit codes by cause: a trap 3, bad input 2', async () => {
  const trap = await buildModule(['test/programs/trap.ts', '-o', 'build/test/config-trap.wasm']);
  assert.is(trap.status, 0, trap.stderr);
  const r = weave(['run', path.join(root, 'build/test/config-trap.wasm'), '--json', '--', '-1000']);
  assert.is(r.status, 3, r.stderr);
  assert.equal(JSON.parse(r.stdout).error.code, 'trap');
  assert.is(weave(['run', path.join(dir, 'nope.wasm')]).status, 2);
});

test.run();
