/**
 * The load an engine sees of a live hub: its advert, plus what this engine placed there
 * since (and minus what left), until the next advert replaces both. A real hub process
 * with one slot. (Hubs no longer advertise estimated work totals: placement stopped
 * reading them, docs/policy.md.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectMesh } from '../runtime/engine/index.js';
import { startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';

const test = suite('live load');
let ns: NatsServer;
let hub: HubProcess;

test.before(async () => {
  ns = await startNatsServer();
  hub = await startHubProcess(ns.url, 'one', ['--slots', '1', '--no-gpu']);
});

test.after(async () => {
  await hub?.stop('SIGKILL');
  await ns?.stop();
});

test('between adverts, an engine counts the jobs it placed in the hub\'s load; the next advert replaces them', async () => {
  const mesh = await connectMesh({ nats: ns.url });
  try {
    await mesh.discover({ settleMs: 50 });
    const load = () => mesh.hubs().find((h) => h.id === 'one')!.load!;
    assert.equal([load().busy, load().queue], [0, 0]);
    const left = mesh.placed('one');
    mesh.placed('one');
    assert.equal([load().busy, load().queue], [1, 1], 'one runs, one waits');
    left();
    assert.equal([load().busy, load().queue], [1, 0], 'the first left: the other runs');
    await mesh.discover({ settleMs: 50 });
    assert.equal([load().busy, load().queue], [0, 0], 'the advert is the truth again');
  } finally {
    await mesh.close();
  }
});

test.run();
