/**
 * Failure detection per running job, and what a recovery starts from. A hub's heartbeat
 * thread beats whatever its fragments and event loop do; a SIGSTOPped hub stops beating,
 * and the engine resumes its job elsewhere, exactly. A hand-over is a checkpoint: a hub
 * killed right after taking a job over costs no work done before the hand-over. Real
 * nats-server (JetStream), real hub processes, real SIGSTOP and SIGKILL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cases, plainResult, valueBytes } from './helpers/programs.js';
import { hubWhere, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { slowCases } from './helpers/slow.js';

const test = suite('heartbeat');
const slow = slowCases(test);
let ns: NatsServer;
let hubs: HubProcess[] = [];
const MODULE = 'build/test/heartbeat-particles.wasm';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const env = { ...process.env, WEAVE_CONFIG: 'none' };
type Event = { kind: string; reason?: string; hub?: string; from?: string; to?: string; code?: string; message?: string; yields?: number; stored?: boolean; fromYields?: number; fromStore?: boolean; result?: string };

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  hubs = await Promise.all(['b1', 'b2'].map((n) => startHubProcess(ns.url, n, ['--slots', '1', '--no-gpu'])));
  const b = await buildModule(['examples/particles.ts', '-o', MODULE, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});

test.after(async () => {
  for (const h of hubs) h.proc.kill('SIGCONT');
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

/** `weave run … --jsonl`: its events as they come, and its exit. */
function run(args: string[]) {
  const p = spawn(process.execPath, ['dist/cli/weave.js', 'run', MODULE, ...args, '--nats', ns.url, '--jsonl'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => p.once('exit', r));
  const events = (): Event[] => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event);
  return { exited, events, err: () => err };
}

async function expectExact(raw: number[], events: Event[]): Promise<void> {
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  const result = events.find((e) => e.kind === 'result');
  assert.ok(result, JSON.stringify(events.slice(-3)));
  assert.is(hex(valueBytes(c.result, Number(result.result))), hex(await plainResult(c, raw)), `result ${result.result}`);
}

slow('a SIGSTOPped hub misses its heartbeats; its job resumes on another hub and ends exactly', async () => {
  const raw = [2000, 20_000];
  const j = run(raw.map(String));
  const busy = await hubWhere(ns.url, (a) => a.load.busy > 0);
  assert.ok(busy, 'a hub advertised the running job');
  const victim = hubs.find((h) => h.name === busy)!;
  victim.proc.kill('SIGSTOP');
  try {
    assert.is(await j.exited, 0, j.err());
  } finally {
    victim.proc.kill('SIGCONT');
  }
  const events = j.events();
  const retry = events.find((e) => e.kind === 'retry');
  assert.is(retry?.hub, busy);
  assert.is(retry?.code, 'hub-lost');
  assert.match(retry?.message ?? '', /missed \d+ heartbeats/);
  assert.ok(events.some((e) => e.kind === 'recovery' && e.hub === busy), 'no recovery event');
  await expectExact(raw, events);
});

slow('a hub killed right after a hand-over: the recovery starts from the handed-over state, not before it', async () => {
  const raw = [2000, 20_000];
  const j = run([...raw.map(String), '--migrate-every', '600000']);
  let handedAt = -1;
  let to: string | undefined;
  for (let i = 0; i < 6000 && !to; i++) {
    await new Promise((r) => setTimeout(r, 10));
    const ev = j.events();
    const m = ev.findIndex((e) => e.kind === 'migration' && e.reason !== 'recovery');
    if (m < 0) continue;
    to = ev[m].to;
    handedAt = ev.slice(0, m).reverse().find((e) => e.kind === 'checkpoint' && e.stored === false)?.yields ?? -1;
  }
  assert.ok(to && handedAt > 0, `no hand-over seen:\n${j.err()}`);
  const victim = hubs.find((h) => h.name === to)!;
  await victim.stop('SIGKILL');
  hubs = hubs.filter((h) => h !== victim);
  assert.is(await j.exited, 0, j.err());
  const events = j.events();
  const rec = events.find((e) => e.kind === 'recovery');
  assert.ok(rec, 'no recovery');
  assert.is(rec.hub, to);
  assert.ok(rec.fromStore, 'the recovery did not start from a stored state');
  assert.ok((rec.fromYields ?? 0) >= handedAt, `recovered from ${rec.fromYields} yields, the hand-over was at ${handedAt}`);
  await expectExact(raw, events);
});

test.run();
