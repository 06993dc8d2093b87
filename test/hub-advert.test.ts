/**
 * Adverts alone: what a hub says about itself is a valid `advert` by the protocol's own
 * schema, from the figures it reads when it speaks, and a failure to publish is logged.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createIdentity } from '../runtime/net/index.js';
import { decodeMessage, parseMessage, type HubState } from '../runtime/protocol/index.js';
import { Advertiser, detectCapabilities, makeAdvert, type AdvertSource } from '../runtime/hub/internal.js';
import { capturingLogger } from './helpers/stand-ins.js';

const test = suite('hub adverts');

function source(state: { now: HubState }): AdvertSource {
  return {
    id: 'a', state: () => state.now, caps: { ...detectCapabilities(), speed: 1.25 }, slots: () => ({ slots: 2, running: 1, queued: 3 }),
    jobs: () => 4, heldBytes: () => 5 << 20, running: () => ['j.0', 'k.1'], counters: () => ({ dataRemoteBytes: 12, gpuCalls: 0 }),
    datasets: ['points'], labels: { zone: 'eu' }, keys: createIdentity().public, everyMs: 2000, startedAt: Date.now(), boot: '0a1b2c3d4e5f',
  };
}

test('an advert carries the hub\'s state, load and keys, and passes the advert schema', () => {
  const state = { now: 'ready' as HubState };
  const a = parseMessage(decodeMessage(new Advertiser(source(state), () => {}, capturingLogger()).encoded()), ['advert']);
  assert.equal([a.id, a.state, a.load.busy, a.load.queue, a.load.jobs, a.load.heldMiB, a.caps.speed], ['a', 'ready', 1, 3, 4, 5, 1.25]);
  assert.equal(a.running, ['j.0', 'k.1']);
  assert.is(a.keys?.seal.byteLength, 32);
  state.now = 'draining';
  assert.is(makeAdvert(source(state)).state, 'draining', 'read when made');
});

test('publishing now and every interval; a failure to publish is logged, not thrown', () => {
  const sent: Uint8Array[] = [];
  const log = capturingLogger();
  let broken = false;
  const ads = new Advertiser({ ...source({ now: 'ready' }), everyMs: 10_000 }, (b) => { if (broken) throw new Error('connection draining'); sent.push(b); }, log);
  ads.start();
  assert.is(sent.length, 1);
  broken = true;
  ads.publish();
  ads.stop();
  assert.equal(log.lines.map((l) => l.msg), ['cannot publish advert']);
});

test.run();
