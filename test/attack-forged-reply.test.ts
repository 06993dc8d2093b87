/**
 * Issue 20: a forged reply must not take hubs out of a job. A peer on the bus answers
 * first on a hub's exec subject, once per attempt, with an unsigned `done` claiming to be
 * from a hub outside the attempt, or from the real hub itself. Anyone can publish on a
 * reply subject under any hub id, so the refusal says nothing about the hub that holds
 * the attempt: with one hub, the job must still finish there with the real result.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { Wire, connectNats, execSubject } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage } from '../runtime/protocol/index.js';

const test = suite('attack forged reply');
const MODULE = 'build/test/attack-forged-particles.wasm';
/**
 * About 0.4 s on the hub, so the ghost's instant forgery comes before the real reply even
 * when the test process is slow to answer: with 5 ms (64 400) the real reply can win the
 * race on a loaded machine, as it once did in attack.test.ts in CI.
 */
const ARGS = ['64', '100000'];
let ns: NatsServer;
let hub: HubProcess;
let embedded = '';

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  const [built] = await Promise.all([
    buildModule(['examples/particles.ts', '-o', MODULE, '--yield-interval', '50']),
    (async () => { hub = await startHubProcess(ns.url, 'only', ['--slots', '2', '--no-gpu']); })(),
  ]);
  assert.is(built.status, 0, built.stderr);
  const r = await runCli('weave', ['run', MODULE, ...ARGS]);
  assert.is(r.status, 0, r.stderr);
  embedded = r.stdout.trim();
});

test.after(async () => {
  await hub?.stop('SIGKILL');
  await ns?.stop();
});

for (const as of ['ghost', 'only']) {
  test(`one unsigned result per attempt, as '${as}', neither fails the job nor takes its only hub out of it`, async () => {
    const nc = await connectNats(ns.url, { name: 'ghost' });
    const wire = new Wire(nc);
    const attempts = new Set<string>();
    const sub = wire.serve(execSubject('only'), async (bytes) => {
      const m = decodeMessage(bytes) as { kind: string; job?: string };
      // The engine's first exec of each attempt only (its job key names the attempt).
      if (m.kind !== 'exec' || !m.job || attempts.has(m.job) || attempts.size >= 3) return undefined;
      attempts.add(m.job);
      return encodeMessage({ kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, result: new Uint8Array(8).fill(0x41), execMs: 1, yields: 1, hub: as, committed: false });
    });
    try {
      await nc.flush();
      const r = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', ns.url, '--json']);
      assert.ok(attempts.size >= 1, `the forgery as '${as}' was sent`);
      assert.is(r.status, 0, `the job failed after ${attempts.size} forged replies: ${r.stderr}`);
      const out = JSON.parse(r.stdout);
      assert.is(out.result, embedded, 'the real result');
      assert.ok(out.retries >= 1, `the forged reply took the place of the real one and was refused: ${out.retries} retries`);
    } finally {
      sub.unsubscribe();
      wire.close();
      await nc.close();
    }
  });
}

test.run();
