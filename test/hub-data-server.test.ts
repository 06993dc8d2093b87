/**
 * The data server alone (a temporary file): ranges of a dataset, clipped at its end and
 * at the largest read, refusals for bad requests, and the emulated link's delay.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_DATA_READ_BYTES, PROTOCOL_VERSION, decodeMessage, encodeMessage, parseMessage } from '../runtime/protocol/index.js';
import { DataServer } from '../runtime/hub/internal.js';
import { capturingLogger } from './helpers/stand-ins.js';

const test = suite('hub data server');
const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-data-'));
const file = path.join(dir, 'points.bin');
writeFileSync(file, new Uint8Array(1000).map((_, i) => i & 0xff));
const read = (offset: number, length: number) => encodeMessage({ kind: 'data-read', v: PROTOCOL_VERSION, name: 'points', offset, length });
const answer = async (s: DataServer, bytes: Uint8Array, name = 'points') => parseMessage(decodeMessage(await s.serve(name, bytes)), ['data-bytes', 'error']);

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a range comes back with the dataset\'s size, clipped at its end', async () => {
  const s = new DataServer({ points: file }, capturingLogger());
  const a = await answer(s, read(10, 5));
  assert.is(a.kind, 'data-bytes');
  if (a.kind === 'data-bytes') { assert.is(a.total, 1000); assert.equal([...a.bytes], [10, 11, 12, 13, 14]); }
  const end = await answer(s, read(995, 100));
  assert.is(end.kind === 'data-bytes' && end.bytes.byteLength, 5);
  const past = await answer(s, read(5000, 10));
  assert.is(past.kind === 'data-bytes' && past.bytes.byteLength, 0);
  assert.ok(MAX_DATA_READ_BYTES >= 1 << 20);
  await s.close();
});

test('a request that is not a data-read, or for a dataset not served here, gets an error reply', async () => {
  const log = capturingLogger();
  const s = new DataServer({ points: file }, log);
  const wrong = await answer(s, encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION }));
  assert.equal(wrong.kind === 'error' && [wrong.code, /does not take 'ping'/.test(wrong.message)], ['bad-message', true]);
  const negative = await answer(s, encodeMessage({ kind: 'data-read', v: PROTOCOL_VERSION, name: 'points', offset: -1, length: 4 }));
  assert.equal(negative.kind === 'error' && negative.code, 'bad-message');
  const other = await answer(s, read(0, 4), 'secret');
  assert.equal(other.kind === 'error' && other.code, 'bad-message');
  assert.is(log.lines.filter((l) => l.msg === 'rejected a request').length, 3);
  await s.close();
});

test('an emulated link delays each reply by its latency', async () => {
  const s = new DataServer({ points: file }, capturingLogger(), { delayMs: 60, mbps: 0 });
  const t0 = performance.now();
  await answer(s, read(0, 10));
  assert.ok(performance.now() - t0 >= 55, 'the reply waited for the emulated link');
  await s.close();
});

test.run();
