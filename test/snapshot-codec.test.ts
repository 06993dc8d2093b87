import { createHash } from 'node:crypto';
import { Encoder } from 'cbor-x';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_HEADER_BYTES,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  type AnyCheckpoint,
  type Checkpoint,
  type CheckpointDiff,
  type CheckpointErrorCode,
} from '../runtime/snapshot/index.js';

const codec = suite('checkpoint codec');

const BUNDLE = createHash('sha256').update('test bundle').digest('hex');
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

function full(memory: Uint8Array): Checkpoint {
  return { kind: 'full', id: '0123456789abcdef', bundle: BUNDLE, entry: 'main', fragment: 3, paused: true, yields: 17, memory };
}

function patterned(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

// The smallest legal checkpoints, so that exhaustive truncation and bit-flip sweeps stay fast.
const TINY_FULL = full(new Uint8Array(0));
const TINY_DIFF: CheckpointDiff = {
  kind: 'diff', id: 'fedcba9876543210', base: '0123456789abcdef', bundle: BUNDLE, entry: 'main',
  fragment: 0, paused: false, yields: 1, memoryLength: 65536, pageSize: 256,
  pages: [{ index: 2, bytes: patterned(256) }, { index: 255, bytes: new Uint8Array(256).fill(7) }],
};

/** Frames an arbitrary payload with a correct checksum, so only the schema can object. */
function frame(payload: Uint8Array, version = CHECKPOINT_FORMAT_VERSION): Uint8Array {
  const out = new Uint8Array(CHECKPOINT_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('WVCP'), 0);
  view.setUint16(4, version);
  view.setUint32(6, payload.length);
  out.set(createHash('sha256').update(payload).digest(), 10);
  out.set(payload, CHECKPOINT_HEADER_BYTES);
  return out;
}

function expectError(fn: () => unknown, codes: CheckpointErrorCode[], message: RegExp): CheckpointError {
  try {
    fn();
  } catch (err) {
    assert.instance(err, CheckpointError);
    const e = err as CheckpointError;
    assert.is(e.name, 'CheckpointError');
    assert.ok(codes.includes(e.code), `code '${e.code}' not in ${codes.join(', ')}: ${e.message}`);
    assert.match(e.message, message);
    return e;
  }
  assert.unreachable('expected a CheckpointError');
  throw new Error('unreachable');
}

function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.is(Object.getPrototypeOf(actual), Uint8Array.prototype, `${what} is a plain Uint8Array`);
  assert.ok(Buffer.from(actual).equals(expected), `${what} is byte-identical`);
}

function assertSameCheckpoint(actual: AnyCheckpoint, expected: AnyCheckpoint): void {
  if (actual.kind === 'full' && expected.kind === 'full') {
    const { memory: am, ...aRest } = actual;
    const { memory: em, ...eRest } = expected;
    assert.equal(aRest, eRest);
    return assertSameBytes(am, em, 'memory');
  }
  assert.ok(actual.kind === 'diff' && expected.kind === 'diff', 'same kind');
  const { pages: ap, ...aRest } = actual as CheckpointDiff;
  const { pages: ep, ...eRest } = expected as CheckpointDiff;
  assert.equal(aRest, eRest);
  assert.equal(ap.map((p) => p.index), ep.map((p) => p.index));
  ap.forEach((p, i) => assertSameBytes(p.bytes, ep[i].bytes, `page ${p.index}`));
}

codec('round-trips a full checkpoint with every field and byte-identical memory', () => {
  const cp = full(patterned(3 * 65536));
  const decoded = decodeCheckpoint(encodeCheckpoint(cp));
  assertSameCheckpoint(decoded, cp);
});

codec('round-trips a diff checkpoint with every field and page', () => {
  assertSameCheckpoint(decodeCheckpoint(encodeCheckpoint(TINY_DIFF)), TINY_DIFF);
  const empty: CheckpointDiff = { ...TINY_DIFF, pages: [], pageSize: 4096 };
  assertSameCheckpoint(decodeCheckpoint(encodeCheckpoint(empty)), empty);
});

codec('accepts Buffer memory and returns a plain Uint8Array that does not alias the input', () => {
  const cp = full(Buffer.from(patterned(65536)));
  const bytes = encodeCheckpoint(cp);
  const decoded = decodeCheckpoint(bytes) as Checkpoint;
  bytes.fill(0, CHECKPOINT_HEADER_BYTES);
  assert.is(Object.getPrototypeOf(decoded.memory), Uint8Array.prototype);
  assert.ok(Buffer.from(decoded.memory).equals(cp.memory));
});

codec('writes the documented header and plain CBOR byte strings', () => {
  const cp = full(patterned(65536));
  const bytes = encodeCheckpoint(cp);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.is(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'WVCP');
  assert.is(view.getUint16(4), CHECKPOINT_FORMAT_VERSION);
  assert.is(view.getUint32(6), bytes.length - CHECKPOINT_HEADER_BYTES);
  const payload = bytes.subarray(CHECKPOINT_HEADER_BYTES);
  assert.ok(createHash('sha256').update(payload).digest().equals(bytes.subarray(10, 42)));
  // A byte string of 65536 bytes (major type 2, 4-byte length), not tag 64 typed array.
  const at = Buffer.from(payload).indexOf(Buffer.from([0x5a, 0, 1, 0, 0]));
  assert.ok(at > 0, 'memory is a CBOR byte string');
  assert.not.equal([payload[at - 2], payload[at - 1]], [0xd8, 0x40]);
  const plain = cbor.decode(payload) as Record<string, unknown>;
  assert.equal(Object.keys(plain).sort(), ['bundle', 'entry', 'fragment', 'id', 'kind', 'memory', 'paused', 'yields']);
});

codec('rejects every truncation of an encoded checkpoint as truncated', () => {
  for (const cp of [TINY_FULL, TINY_DIFF]) {
    const bytes = encodeCheckpoint(cp);
    for (let length = 0; length < bytes.length; length++) {
      expectError(() => decodeCheckpoint(bytes.slice(0, length)), ['truncated'], /^checkpoint truncated: .*fetch the checkpoint again$/);
    }
  }
});

codec('rejects every single-bit flip of an encoded checkpoint', () => {
  const messages: Record<CheckpointErrorCode, RegExp> = {
    checksum: /checksum mismatch: .*corrupted/,
    version: /format version \d+ is not supported: this runtime reads version 1/,
    truncated: /checkpoint truncated: the header declares/,
    malformed: /magic "WVCP"|unexpected bytes after/,
    'base-mismatch': /^$/,
    'too-large': /^$/,
  };
  for (const cp of [TINY_FULL, TINY_DIFF]) {
    const bytes = encodeCheckpoint(cp);
    const seen = new Set<string>();
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      let code: CheckpointErrorCode | undefined;
      try {
        decodeCheckpoint(flipped);
      } catch (err) {
        assert.instance(err, CheckpointError);
        code = (err as CheckpointError).code;
        assert.ok(['checksum', 'version', 'truncated', 'malformed'].includes(code), `bit ${bit}: ${code}`);
        assert.match((err as CheckpointError).message, messages[code]);
      }
      assert.ok(code, `flipping bit ${bit} was not detected`);
      seen.add(code!);
    }
    assert.equal([...seen].sort(), ['checksum', 'malformed', 'truncated', 'version']);
  }
});

codec('rejects another format version naming both versions', () => {
  const payload = encodeCheckpoint(TINY_FULL).subarray(CHECKPOINT_HEADER_BYTES);
  expectError(() => decodeCheckpoint(frame(payload, 2)), ['version'], /format version 2 is not supported: this runtime reads version 1;/);
  expectError(() => decodeCheckpoint(frame(payload, 0)), ['version'], /format version 0 is not supported/);
});

codec('rejects input over maxBytes before decoding it', () => {
  const bytes = encodeCheckpoint(full(patterned(65536)));
  expectError(() => decodeCheckpoint(bytes, { maxBytes: 1000 }), ['too-large'], /exceeds the limit of 1000 bytes; raise options.maxBytes/);
  assert.is(decodeCheckpoint(bytes, { maxBytes: bytes.length }).kind, 'full');
});

codec('rejects foreign data, trailing bytes and non-byte input as malformed', () => {
  expectError(() => decodeCheckpoint(new TextEncoder().encode('{"kind":"full"}')), ['malformed'], /not a weave checkpoint: .*magic "WVCP"/);
  const bytes = encodeCheckpoint(TINY_FULL);
  const longer = new Uint8Array(bytes.length + 3);
  longer.set(bytes);
  expectError(() => decodeCheckpoint(longer), ['malformed'], /3 unexpected bytes after its \d+-byte payload/);
  expectError(() => decodeCheckpoint('WVCP' as unknown as Uint8Array), ['malformed'], /expects a Uint8Array, got "WVCP"/);
});

codec('wraps undecodable CBOR with a correct checksum as malformed with a cause', () => {
  const err = expectError(() => decodeCheckpoint(frame(new Uint8Array([0xff, 0x01]))), ['malformed'], /payload is not valid CBOR/);
  assert.instance(err.cause, Error);
  expectError(() => decodeCheckpoint(frame(new Uint8Array(0))), ['malformed'], /not valid CBOR/);
});

codec('throws only CheckpointError for random payloads with correct checksums', () => {
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const prefixes = [[], [0xa8], [0xab], [0x82], [0xa1, 0x64]];
  for (let n = 0; n < 2000; n++) {
    const payload = [...prefixes[n % prefixes.length]];
    for (let i = next() % 40; i > 0; i--) payload.push(next());
    expectError(() => decodeCheckpoint(frame(new Uint8Array(payload))), ['malformed'], /malformed checkpoint|not valid CBOR/);
  }
});

const fullFields = { kind: 'full', id: 'abc', bundle: BUNDLE, entry: 'main', fragment: 0, paused: false, yields: 0, memory: new Uint8Array(65536) };
const diffFields = { ...TINY_DIFF } as Record<string, unknown>;
const page = (index: number, length = 256) => ({ index, bytes: new Uint8Array(length) });
const schemaCases: Array<[string, Record<string, unknown> | unknown, RegExp]> = [
  ['a root that is not a map', [1, 2, 3], /field '\(root\)' must be a map/],
  ['an unknown kind', { ...fullFields, kind: 'partial' }, /field 'kind' must be 'full' or 'diff', got "partial"/],
  ['a numeric id', { ...fullFields, id: 5 }, /field 'id' must be a non-empty string, got 5/],
  ['a bundle that is not a sha-256', { ...fullFields, bundle: 'xyz' }, /field 'bundle' must be a lowercase hex SHA-256/],
  ['a missing entry', { ...fullFields, entry: undefined }, /field 'entry' must be a non-empty string, got undefined/],
  ['a negative fragment', { ...fullFields, fragment: -1 }, /field 'fragment' must be a non-negative integer, got -1/],
  ['a fractional fragment', { ...fullFields, fragment: 1.5 }, /field 'fragment' must be a non-negative integer, got 1.5/],
  ['a 64-bit yield count', { ...fullFields, yields: 2n ** 64n - 1n }, /field 'yields' must be a non-negative integer, got 18446744073709551615n/],
  ['a string paused flag', { ...fullFields, paused: 'yes' }, /field 'paused' must be a boolean/],
  ['memory of a partial wasm page', { ...fullFields, memory: new Uint8Array(1000) }, /field 'memory' must be bytes whose length is a multiple of 65536, got 1000 bytes/],
  ['memory given as a string', { ...fullFields, memory: 'AAAA' }, /field 'memory' must be a Uint8Array/],
  ['memory given as Uint16Array', { ...fullFields, memory: new Uint16Array(32768) }, /field 'memory' must be a Uint8Array, got Uint16Array/],
  ['an unknown field', { ...fullFields, extra: 1 }, /unknown field 'extra'/],
  ['a diff without base', { ...diffFields, base: undefined }, /field 'base' must be a non-empty string/],
  ['a memoryLength of a partial wasm page', { ...diffFields, memoryLength: 1000 }, /field 'memoryLength' must be a multiple of 65536/],
  ['a page size that is not a power of two', { ...diffFields, pageSize: 300 }, /field 'pageSize' must be a power of two between 256 and 65536, got 300/],
  ['a page size below 256', { ...diffFields, pageSize: 128 }, /field 'pageSize' must be a power of two/],
  ['pages out of order', { ...diffFields, pages: [page(3), page(2)] }, /field 'pages\[1\]\.index' must be greater than the previous index 3/],
  ['a duplicate page', { ...diffFields, pages: [page(3), page(3)] }, /field 'pages\[1\]\.index' must be greater than the previous index 3/],
  ['a page beyond the memory end', { ...diffFields, pages: [page(256)] }, /field 'pages\[0\]\.index' must be an integer in \[0, 256\), got 256/],
  ['a short page', { ...diffFields, pages: [page(1, 255)] }, /field 'pages\[0\]\.bytes' must be a Uint8Array of 256 bytes, got 255 bytes/],
  ['a page with an unknown field', { ...diffFields, pages: [{ ...page(1), crc: 0 }] }, /unknown field 'pages\[0\]\.crc'/],
];

codec('rejects schema violations behind a valid checksum, naming the field', () => {
  for (const [, payload, message] of schemaCases) {
    const bytes = frame(cbor.encode(payload));
    expectError(() => decodeCheckpoint(bytes), ['malformed'], new RegExp(`^malformed checkpoint: ${message.source}.*capture it again$`));
  }
});

codec('refuses to encode a checkpoint it could not decode', () => {
  expectError(() => encodeCheckpoint(full(new Uint8Array(100))), ['malformed'], /^cannot encode checkpoint: field 'memory' must be bytes whose length is a multiple of 65536/);
  expectError(() => encodeCheckpoint({ ...TINY_DIFF, pages: [page(9), page(4)] }), ['malformed'], /^cannot encode checkpoint: field 'pages\[1\]\.index'/);
});

codec.run();
