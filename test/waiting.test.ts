/**
 * A routed job with no capable hub waits for one instead of failing: submitted before any
 * hub exists, it finishes once one starts; with `--timeout` it ends with exit 4 when none
 * came, and with exit 5 when the deadline passes while it runs (the run is stopped). Real
 * nats-server (JetStream), real hub processes, the built CLI.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cases, plainResult, valueBytes } from './helpers/programs.js';
import { hubWhere, runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { connectNats, openJobStore } from '../runtime/net/index.js';

const test = suite('waiting');
let ns: NatsServer;
const hubs: HubProcess[] = [];
const MODULE = 'build/test/waiting-particles.wasm';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const env = { ...process.env, WEAVE_CONFIG: 'none' };

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  const b = await buildModule(['examples/particles.ts', '-o', MODULE, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

test('--timeout with no hub at all: the job waits, says why, and exits 4 when the deadline passes', async () => {
  const r = await runCli('weave', ['run', MODULE, '10', '10', '--nats', ns.url, '--wait-hubs', '0', '--timeout', '1500ms', '--jsonl'], env);
  assert.is(r.status, 4, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; code?: string; message?: string });
  const waiting = events.find((e) => e.kind === 'waiting');
  assert.ok(waiting, r.stdout);
  assert.is(waiting.code, 'no-hubs');
  const failed = events.find((e) => e.kind === 'failed');
  assert.is(failed?.code, 'no-hubs', r.stdout);
  assert.match(r.stderr, /waits: no hubs are available/);
  assert.match(r.stderr, /--timeout \(1\.5 s\) passed while it waited: no hubs are available/);
});

test('WEAVE_TIMEOUT sets the deadline as --timeout does', async () => {
  const r = await runCli('weave', ['run', MODULE, '10', '10', '--nats', ns.url, '--wait-hubs', '0'], { ...env, WEAVE_TIMEOUT: '1s' });
  assert.is(r.status, 4, r.stderr);
  assert.match(r.stderr, /--timeout \(1\.0 s\) passed while it waited/);
});

test('a job submitted before any hub exists finishes, exactly, once one starts', async () => {
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  const raw = [200, 300];
  const p = spawn(process.execPath, ['dist/cli/weave.js', 'run', MODULE, ...raw.map(String), '--nats', ns.url, '--wait-hubs', '0', '--jsonl'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => p.once('exit', r));
  // The job has said it waits before there is any hub to take it.
  for (let i = 0; i < 300 && !out.includes('"kind":"waiting"'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(out.includes('"kind":"waiting"'), `no waiting event:\n${out}\n${err}`);
  hubs.push(await startHubProcess(ns.url, 'late', ['--slots', '1', '--no-gpu']));
  assert.is(await exited, 0, err);
  const result = out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; result?: string }).find((e) => e.kind === 'result')!;
  assert.is(hex(valueBytes(c.result, Number(result.result))), hex(await plainResult(c, raw)), `result ${result.result}`);
});

test('the deadline passing while the job runs stops it: exit 5, the record failed with timeout, the hub drops the run', async () => {
  const r = await runCli('weave', ['run', MODULE, '2000', '400000', '--nats', ns.url, '--timeout', '3s', '--json'], env);
  assert.is(r.status, 5, r.stderr);
  const job = /weave: job ([0-9a-f]{16})/.exec(r.stderr)?.[1];
  assert.ok(job, r.stderr);
  const nc = await connectNats(ns.url, { name: 'waiting test' });
  try {
    const rec = await (await openJobStore(nc)).get(job);
    assert.is(rec?.state, 'failed');
    assert.is(rec?.error?.code, 'timeout');
  } finally {
    await nc.close();
  }
  // The hub stops the fenced run at its next yield point: it advertises nothing running.
  assert.ok(await hubWhere(ns.url, (a) => a.id === 'late' && !a.running?.length), 'the hub still runs the job');
});

test.run();
