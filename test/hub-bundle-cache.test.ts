/**
 * The bundle cache alone (a stand-in for the client that serves bundles): one fetch however
 * many ask, only bytes that match their hash kept, the job store when the client is gone.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { PROTOCOL_VERSION, TransportError, decodeMessage, encodeMessage, parseMessage, type ExecRequest } from '../runtime/protocol/index.js';
import { BundleCache } from '../runtime/hub/internal.js';
import { capturingLogger } from './helpers/stand-ins.js';

const test = suite('hub bundle cache');
const bytes = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
const hash = createHash('sha256').update(bytes).digest('hex');
const exec = (extra: Partial<ExecRequest> = {}): ExecRequest => ({
  kind: 'exec', v: PROTOCOL_VERSION, job: 'j.0', bundle: hash, entry: 'main', fragment: 0, migrateEvery: 0, args: [], origin: 'weave.client.c1.bundle', ...extra,
});

test('concurrent requests for a bundle fetch it once, from the origin, asking as this hub', async () => {
  const asked: Array<{ subject: string; hub?: string }> = [];
  const cache = new BundleCache('a', {
    ask: async (subject, req) => {
      const m = parseMessage(decodeMessage(req), ['bundle']);
      asked.push({ subject, hub: m.hub });
      await new Promise((r) => setTimeout(r, 20));
      return encodeMessage({ kind: 'bundle-bytes', v: PROTOCOL_VERSION, hash, bytes });
    },
    fromRecords: async () => undefined, open: (_, b) => b,
  }, capturingLogger());
  const got = await Promise.all([cache.get(exec()), cache.get(exec()), cache.get(exec())]);
  assert.equal(asked, [{ subject: 'weave.client.c1.bundle', hub: 'a' }]);
  assert.ok(got.every((b) => b === got[0]));
  assert.equal([...got[0]], [...bytes]);
  await cache.get(exec());
  assert.is(asked.length, 1, 'cached');
});

test('bytes that do not match the hash are refused, and nothing is cached', async () => {
  let asks = 0;
  const cache = new BundleCache('a', {
    ask: async () => { asks++; return encodeMessage({ kind: 'bundle-bytes', v: PROTOCOL_VERSION, hash, bytes: new Uint8Array(10) }); },
    fromRecords: async () => undefined, open: (_, b) => b,
  }, capturingLogger());
  try {
    await cache.get(exec());
    assert.unreachable('a wrong bundle was taken');
  } catch (e) {
    assert.instance(e, TransportError);
    assert.match((e as Error).message, /hashes to/);
  }
  await cache.get(exec()).catch(() => undefined);
  assert.is(asks, 2, 'asked again: the bad bytes were not kept');
});

test('a job with a record gets its bundle from the job store when its client is gone', async () => {
  const cache = new BundleCache('a', {
    ask: async () => { throw new TransportError('nobody listens', { code: 'no-responders' }); },
    fromRecords: async (h) => (h === hash ? bytes : undefined), open: (_, b) => b,
  }, capturingLogger());
  assert.equal([...await cache.get(exec({ record: 'j', attempt: 0 }))], [...bytes]);
  try {
    await cache.get(exec({ bundle: 'cd'.repeat(32), record: 'j' }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, TransportError);
    assert.match((e as Error).message, /cannot be fetched: origin weave\.client\.c1\.bundle: nobody listens/);
  }
});

test('a job store that fails (a NATS TIMEOUT mid-election) is a transport failure that says so, not a raw error', async () => {
  const cache = new BundleCache('a', {
    ask: async () => { throw new TransportError('no reply', { code: 'timeout' }); },
    fromRecords: async () => { throw new Error('TIMEOUT'); }, open: (_, b) => b,
  }, capturingLogger());
  try {
    await cache.get(exec({ record: 'j' }));
    assert.unreachable('it fetched nothing');
  } catch (e) {
    assert.instance(e, TransportError);
    assert.match((e as Error).message, /origin weave\.client\.c1\.bundle: no reply; the job store: TIMEOUT/);
  }
});

test('a client that refuses says why in the error', async () => {
  const cache = new BundleCache('a', {
    ask: async () => encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code: 'not-yours', message: 'hub a was given no job of bundle x' }),
    fromRecords: async () => undefined, open: (_, b) => b,
  }, capturingLogger());
  try {
    await cache.get(exec({ record: 'j' }));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /did not send it: hub a was given no job/);
  }
});

test.run();
