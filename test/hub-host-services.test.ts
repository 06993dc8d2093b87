/**
 * Host services alone (a stand-in for the hubs serving datasets): a slot's dataset range
 * from another hub, counted; failures fail the call (status -1), never the hub; GPU calls
 * without a GPU are refused.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROTOCOL_VERSION, TransportError, decodeMessage, encodeMessage, parseMessage } from '../runtime/protocol/index.js';
import { HostServices } from '../runtime/hub/internal.js';
import { capturingLogger } from './helpers/stand-ins.js';

const test = suite('hub host services');
const runOn = () => ({ job: 'j.0', fragment: 1 });

test('a range of a dataset held elsewhere comes from its servers, and its bytes are counted', async () => {
  const asked: string[] = [];
  const host = new HostServices({
    gpu: undefined, log: capturingLogger(), runOn,
    ask: async (subject, bytes) => {
      const m = parseMessage(decodeMessage(bytes), ['data-read']);
      asked.push(`${subject} ${m.offset}+${m.length}`);
      return encodeMessage({ kind: 'data-bytes', v: PROTOCOL_VERSION, total: 1000, bytes: new Uint8Array(m.length).fill(9) });
    },
  });
  const a = await host.call({ kind: 'data-read', name: 'points', offset: 100, length: 64 }, 0);
  assert.equal([a.status, a.total, a.bytes?.byteLength], [64, 1000, 64]);
  assert.equal(asked, ['weave.data.points 100+64']);
  assert.is(host.dataRemoteBytes, 64);
});

test('nobody serving the dataset fails the call quietly; other failures are logged with the run', async () => {
  const log = capturingLogger();
  let fail: Error = new TransportError('no responders', { code: 'no-responders' });
  const host = new HostServices({ gpu: undefined, log, runOn, ask: async () => { throw fail; } });
  assert.is((await host.call({ kind: 'data-read', name: 'points', offset: 0, length: 8 }, 0)).status, -1);
  assert.is(log.lines.length, 0);
  fail = new TransportError('no reply within 30000 ms', { code: 'timeout' });
  assert.is((await host.call({ kind: 'data-read', name: 'points', offset: 0, length: 8 }, 0)).status, -1);
  assert.equal(log.lines.map((l) => [l.msg, l.job, l.fragment, l.dataset]), [['remote dataset read failed', 'j.0', 1, 'points']]);
  assert.is((await host.call({ kind: 'data-read', name: 'no/such', offset: 0, length: 8 }, 0)).status, -1, 'a name that is no subject token is not asked for');
});

test('a gpu call on a hub without a GPU fails the call', async () => {
  const host = new HostServices({ gpu: undefined, log: capturingLogger(), runOn, ask: async () => new Uint8Array() });
  const a = await host.call({ kind: 'gpu-map', op: 0, x: new Float32Array(4), n: 4 }, 0);
  assert.is(a.status, -1);
  assert.is(host.gpuCalls, 0);
});

test.run();
