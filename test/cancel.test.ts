/**
 * Cancelling a job: `weave jobs cancel JOBID` from another process, or Ctrl-C twice on
 * the `weave run` that submitted it. The run stops at its hub's next yield point, the
 * record says cancelled, the checkpoints stored for it are deleted, and no result is ever
 * printed (exit 8). Real nats-server (JetStream), real hub processes, the built CLI.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { hubWhere, runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { checkpointStore, connectNats, openJobStore } from '../runtime/net/index.js';

const test = suite('cancel');
let ns: NatsServer;
let hubs: HubProcess[] = [];
const MODULE = 'build/test/cancel-particles.wasm';
const env = { ...process.env, WEAVE_CONFIG: 'none' };

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  hubs = await Promise.all(['c1', 'c2'].map((n) => startHubProcess(ns.url, n, ['--slots', '1', '--no-gpu'])));
  const b = await buildModule(['examples/particles.ts', '-o', MODULE, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

/** A long job with stored checkpoints, its events on stdout; resolves once one checkpoint is stored. */
async function longJob() {
  const p = spawn(process.execPath, ['dist/cli/weave.js', 'run', MODULE, '2000', '400000', '--nats', ns.url, '--checkpoint-every', '100', '--jsonl'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => p.once('exit', r));
  for (let i = 0; i < 600 && !out.includes('"stored":true'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(out.includes('"stored":true'), `no stored checkpoint:\n${out}\n${err}`);
  const job = /weave: job ([0-9a-f]{16})/.exec(err)?.[1];
  assert.ok(job, err);
  return { p, job, exited, out: () => out, err: () => err };
}

/** The record's state, and whether any checkpoint of the job's attempts is still stored. */
async function leftOf(job: string): Promise<{ state?: string; stored: boolean }> {
  const nc = await connectNats(ns.url, { name: 'cancel test' });
  try {
    const rec = await (await openJobStore(nc)).get(job);
    const store = await checkpointStore(nc);
    let stored = false;
    for (let n = 0; n <= (rec?.attempt ?? 0); n++) if ((await store.get(`${job}.${n}`)) || (await store.get(`${job}.${n}.diff`))) stored = true;
    return { state: rec?.state, stored };
  } finally {
    await nc.close();
  }
}

test('weave jobs cancel: the run stops, the record says cancelled, checkpoints are gone, no result', async () => {
  const j = await longJob();
  const c = await runCli('weave', ['jobs', 'cancel', j.job, '--nats', ns.url], env);
  assert.is(c.status, 0, c.stderr);
  assert.match(c.stdout, new RegExp(`job ${j.job}: cancelled`));
  assert.is(await j.exited, 8, j.err());
  assert.not.ok(j.out().includes('"kind":"result"'), 'a result was delivered');
  assert.ok(j.out().includes('"kind":"cancelled"'), j.out());
  assert.match(j.err(), /was cancelled \(its record says so/);
  assert.equal(await leftOf(j.job), { state: 'cancelled', stored: false });
  assert.ok(await hubWhere(ns.url, (a) => a.id === 'c1' && !a.running?.some((k) => k.startsWith(j.job))), 'c1 still runs it');
  assert.ok(await hubWhere(ns.url, (a) => a.id === 'c2' && !a.running?.some((k) => k.startsWith(j.job))), 'c2 still runs it');
  const again = await runCli('weave', ['jobs', 'cancel', j.job, '--nats', ns.url], env);
  assert.is(again.status, 0);
  assert.match(again.stdout, /is cancelled already/);
});

test('Ctrl-C twice on weave run cancels the job after saying so; once would have detached', async () => {
  const j = await longJob();
  j.p.kill('SIGINT');
  for (let i = 0; i < 100 && !j.err().includes('Ctrl-C again'); i++) await new Promise((r) => setTimeout(r, 20));
  j.p.kill('SIGINT');
  assert.is(await j.exited, 8, j.err());
  assert.match(j.err(), /detached; job/);
  assert.match(j.err(), /cancelling job/);
  assert.not.ok(j.out().includes('"kind":"result"'));
  assert.equal(await leftOf(j.job), { state: 'cancelled', stored: false });
});

test('cancelling a job id the server does not know is bad input (exit 2)', async () => {
  const r = await runCli('weave', ['jobs', 'cancel', '0123456789abcdef', '--nats', ns.url], env);
  assert.is(r.status, 2);
  assert.match(r.stderr, /no job 0123456789abcdef/);
});

test.run();
