import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Encoder } from 'cbor-x';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_HEADER_BYTES,
  CheckpointError,
  DIFF_PAGE_SIZE,
  checksumCheckpoint,
  decodeCheckpoint,
  encodeCheckpoint,
  type AnyCheckpoint,
  type Checkpoint,
  type CheckpointDiff,
  type CheckpointErrorCode,
} from '../runtime/snapshot/index.js';

const codec = suite('checkpoint codec');

const WASM_PAGE = 65536;
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

// The smallest legal checkpoints, so that exhaustive truncation and bit-flip sweeps stay
// fast. TINY_FULL has no pages at all; TINY_DIFF has two, so that its data is not empty.
const TINY_FULL = full(new Uint8Array(0));
const TINY_DIFF: CheckpointDiff = {
  kind: 'diff', id: 'fedcba9876543210', base: '0123456789abcdef', bundle: BUNDLE, entry: 'main',
  fragment: 0, paused: false, yields: 1, memoryLength: 65536, pageSize: 256,
  pages: [{ index: 2, bytes: patterned(256) }, { index: 255, bytes: new Uint8Array(256).fill(7) }],
};

/** The u32 little-endian byte string that `indices` holds; a Buffer, so cbor-x writes a bare byte string. */
function indexBytes(indices: number[]): Buffer {
  const out = Buffer.alloc(4 * indices.length);
  indices.forEach((index, i) => out.writeUInt32LE(index, 4 * i));
  return out;
}

/** Frames an arbitrary meta and data with correct lengths and CRC, so only the schema can object. */
function frame(meta: Uint8Array, data: Uint8Array = new Uint8Array(0), version = CHECKPOINT_FORMAT_VERSION): Uint8Array {
  const out = new Uint8Array(CHECKPOINT_HEADER_BYTES + meta.length + data.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('WVCP'), 0);
  view.setUint16(4, version);
  view.setUint32(6, meta.length);
  view.setUint32(10, data.length);
  view.setUint32(14, crc32(data, crc32(meta)));
  out.set(meta, CHECKPOINT_HEADER_BYTES);
  out.set(data, CHECKPOINT_HEADER_BYTES + meta.length);
  return out;
}

/** Splits an encoded checkpoint into its header fields, its decoded meta and its data. */
function parts(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaLength = view.getUint32(6);
  const dataLength = view.getUint32(10);
  const meta = bytes.subarray(CHECKPOINT_HEADER_BYTES, CHECKPOINT_HEADER_BYTES + metaLength);
  const data = bytes.subarray(CHECKPOINT_HEADER_BYTES + metaLength);
  return { view, metaLength, dataLength, meta, data, fields: cbor.decode(meta) as Record<string, unknown> };
}

function indicesOf(fields: Record<string, unknown>): number[] {
  const raw = fields.indices as Uint8Array;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.length / 4 }, (_, i) => view.getUint32(4 * i, true));
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
  // Pages that happen to lie side by side in one buffer are written as one run.
  const shared = patterned(3 * 256);
  const adjacent: CheckpointDiff = {
    ...TINY_DIFF,
    pages: [0, 1, 2].map((i) => ({ index: 10 + 2 * i, bytes: shared.subarray(256 * i, 256 * (i + 1)) })),
  };
  assertSameCheckpoint(decodeCheckpoint(encodeCheckpoint(adjacent)), adjacent);
});

codec('accepts Buffer memory and returns a plain Uint8Array that does not alias the input', () => {
  const cp = full(Buffer.from(patterned(65536)));
  const bytes = encodeCheckpoint(cp);
  assert.is(Object.getPrototypeOf(bytes), Uint8Array.prototype);
  const decoded = decodeCheckpoint(bytes) as Checkpoint;
  bytes.fill(0, CHECKPOINT_HEADER_BYTES);
  assert.is(Object.getPrototypeOf(decoded.memory), Uint8Array.prototype);
  assert.ok(Buffer.from(decoded.memory).equals(cp.memory));
});

codec('decodes diff pages as views of one fresh buffer that does not alias the input', () => {
  const bytes = Buffer.from(encodeCheckpoint(TINY_DIFF));
  const decoded = decodeCheckpoint(bytes) as CheckpointDiff;
  bytes.fill(0xee, CHECKPOINT_HEADER_BYTES);
  assertSameCheckpoint(decoded, TINY_DIFF);
  const [a, b] = decoded.pages.map((p) => p.bytes);
  assert.is.not(a.buffer, bytes.buffer);
  assert.is(a.buffer, b.buffer, 'one buffer for all pages');
  assert.is(b.byteOffset, a.byteOffset + a.byteLength);
});

codec('writes the documented header, a plain CBOR meta and the raw pages', () => {
  const memory = patterned(2 * 65536);
  memory.fill(0, DIFF_PAGE_SIZE, 3 * DIFF_PAGE_SIZE);
  const bytes = encodeCheckpoint(full(memory));
  const { view, metaLength, dataLength, meta, data, fields } = parts(bytes);
  assert.is(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'WVCP');
  assert.is(view.getUint16(4), CHECKPOINT_FORMAT_VERSION);
  assert.is(CHECKPOINT_FORMAT_VERSION, 2);
  assert.is(CHECKPOINT_HEADER_BYTES, 18);
  assert.is(CHECKPOINT_HEADER_BYTES + metaLength + dataLength, bytes.length);
  assert.is(view.getUint32(14), crc32(data, crc32(meta)));
  assert.equal(
    Object.keys(fields).sort(),
    ['bundle', 'entry', 'fragment', 'id', 'indices', 'kind', 'memoryLength', 'pageSize', 'paused', 'yields'],
  );
  assert.equal({ ...fields, indices: undefined }, {
    kind: 'full', id: '0123456789abcdef', bundle: BUNDLE, entry: 'main', fragment: 3, paused: true, yields: 17,
    memoryLength: 2 * 65536, pageSize: DIFF_PAGE_SIZE, indices: undefined,
  });
  // indices is a bare byte string (major type 2), not a tag 64 typed array.
  const pageCount = (2 * 65536) / DIFF_PAGE_SIZE;
  const at = Buffer.from(meta).indexOf(Buffer.from('indices'));
  assert.equal([meta[at + 7], meta[at + 8]], [0x58, 4 * (pageCount - 2)]);
  const listed = indicesOf(fields);
  assert.equal(listed, [0, ...Array.from({ length: pageCount - 3 }, (_, i) => 3 + i)]);
  // data is the listed pages, in order, byte for byte.
  const expected = Buffer.concat(listed.map((i) => memory.subarray(i * DIFF_PAGE_SIZE, (i + 1) * DIFF_PAGE_SIZE)));
  assert.ok(Buffer.from(data).equals(expected), 'data is the non-zero pages concatenated');

  const diff = parts(encodeCheckpoint(TINY_DIFF));
  assert.equal(Object.keys(diff.fields).sort(), [
    'base', 'bundle', 'entry', 'fragment', 'id', 'indices', 'kind', 'memoryLength', 'pageSize', 'paused', 'yields',
  ]);
  assert.equal(indicesOf(diff.fields), [2, 255]);
  assert.ok(Buffer.from(diff.data).equals(Buffer.concat(TINY_DIFF.pages.map((p) => p.bytes))));
});

codec('elides zero pages: a mostly-zero memory is small and round-trips exactly', () => {
  const memory = new Uint8Array(3 * 65536);
  memory[10] = 1;
  memory[100_000] = 2;
  const cp = full(memory);
  const bytes = encodeCheckpoint(cp);
  assert.ok(bytes.length < 10 * 1024, `${bytes.length} bytes`);
  const { dataLength, fields } = parts(bytes);
  assert.is(dataLength, 2 * DIFF_PAGE_SIZE);
  assert.equal(indicesOf(fields), [0, Math.floor(100_000 / DIFF_PAGE_SIZE)]);
  assertSameCheckpoint(decodeCheckpoint(bytes), cp);

  // All zeros: no data at all, yet the whole memory comes back.
  const zeros = full(new Uint8Array(16 << 20));
  const none = encodeCheckpoint(zeros);
  assert.is(parts(none).dataLength, 0);
  assert.ok(none.length < 256, `${none.length} bytes`);
  assertSameCheckpoint(decodeCheckpoint(none), zeros);

  // Non-zero bytes at both ends of the memory, and at every page edge of one page.
  const edges = new Uint8Array(65536);
  for (const at of [0, DIFF_PAGE_SIZE - 1, 5 * DIFF_PAGE_SIZE, 6 * DIFF_PAGE_SIZE - 1, edges.length - 1]) edges[at] = 0xff;
  const edgeBytes = encodeCheckpoint(full(edges));
  assert.equal(indicesOf(parts(edgeBytes).fields), [0, 5, 15]);
  assertSameCheckpoint(decodeCheckpoint(edgeBytes), full(edges));
});

codec('decodes full checkpoints with other page sizes', () => {
  const memory = new Uint8Array(2 * WASM_PAGE);
  memory.set(patterned(WASM_PAGE), WASM_PAGE);
  const meta = cbor.encode({
    kind: 'full', id: 'x', bundle: BUNDLE, entry: 'main', fragment: 0, paused: false, yields: 0,
    memoryLength: 2 * WASM_PAGE, pageSize: WASM_PAGE, indices: indexBytes([1]),
  });
  const decoded = decodeCheckpoint(frame(meta, memory.subarray(WASM_PAGE))) as Checkpoint;
  assertSameBytes(decoded.memory, memory, 'memory');
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
    version: /format version \d+ is not supported: this runtime reads version 2/,
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
  const { meta, data } = parts(encodeCheckpoint(TINY_DIFF));
  expectError(() => decodeCheckpoint(frame(meta, data, 3)), ['version'], /format version 3 is not supported: this runtime reads version 2;/);
  expectError(() => decodeCheckpoint(frame(meta, data, 0)), ['version'], /format version 0 is not supported/);
  // A version 1 checkpoint (42-byte header: SHA-256 of a CBOR payload) is refused by version.
  const v1 = new Uint8Array(42 + 9);
  v1.set(new TextEncoder().encode('WVCP'));
  new DataView(v1.buffer).setUint16(4, 1);
  new DataView(v1.buffer).setUint32(6, 9);
  expectError(() => decodeCheckpoint(v1), ['version'], /^checkpoint format version 1 is not supported: this runtime reads version 2; decode it with the weave release that wrote it/);
});

codec('rejects input over maxBytes before decoding it', () => {
  const bytes = encodeCheckpoint(full(patterned(65536)));
  expectError(() => decodeCheckpoint(bytes, { maxBytes: 1000 }), ['too-large'], /exceeds the limit of 1000 bytes; raise options.maxBytes/);
  assert.is(decodeCheckpoint(bytes, { maxBytes: bytes.length }).kind, 'full');
  expectError(() => decodeCheckpoint(bytes, { maxBytes: -1 }), ['malformed'], /options.maxBytes must be a non-negative number, got -1/);
});

codec('rejects a full checkpoint whose memory exceeds maxBytes, though its bytes do not', () => {
  const bytes = encodeCheckpoint(full(new Uint8Array(16 << 20)));
  expectError(() => decodeCheckpoint(bytes, { maxBytes: 1 << 20 }), ['too-large'], /^checkpoint memory of 16777216 bytes exceeds the limit of 1048576 bytes; raise options.maxBytes/);
  assert.is((decodeCheckpoint(bytes, { maxBytes: 16 << 20 }) as Checkpoint).memory.length, 16 << 20);
  // A diff allocates only its pages, so its memoryLength is not held against the limit.
  const diff = encodeCheckpoint({ ...TINY_DIFF, memoryLength: 16 << 20 });
  assert.is(decodeCheckpoint(diff, { maxBytes: diff.length }).kind, 'diff');
});

codec('rejects oversized declared lengths without allocating them', () => {
  const before = process.memoryUsage().arrayBuffers;
  // Header lengths are checked against the bytes present.
  const { meta, data } = parts(encodeCheckpoint(TINY_DIFF));
  for (const [at, value] of [[6, 0xffffffff], [10, 0xffffffff], [10, 0x80000000]] as const) {
    const bytes = frame(meta, data);
    new DataView(bytes.buffer).setUint32(at, value);
    expectError(() => decodeCheckpoint(bytes), ['truncated'], new RegExp(`the header declares .*${value}.* but only ${meta.length + data.length} bytes follow`));
  }
  // The largest memory the format can describe, declared by a 200-byte checkpoint, is
  // refused by the default limit before anything is allocated.
  const huge = cbor.encode({
    kind: 'full', id: 'x', bundle: BUNDLE, entry: 'main', fragment: 0, paused: false, yields: 0,
    memoryLength: 2 ** 32, pageSize: WASM_PAGE, indices: indexBytes([65535]),
  });
  const lastPage = new Uint8Array(WASM_PAGE).fill(1);
  expectError(() => decodeCheckpoint(frame(huge, lastPage)), ['too-large'], /^checkpoint memory of 4294967296 bytes exceeds the limit of 1073741824 bytes/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 << 20, 'nothing large was allocated');
});

codec('rejects foreign data, trailing bytes and non-byte input as malformed', () => {
  expectError(() => decodeCheckpoint(new TextEncoder().encode('{"kind":"full"}')), ['malformed'], /not a weave checkpoint: .*magic "WVCP"/);
  const bytes = encodeCheckpoint(TINY_FULL);
  const longer = new Uint8Array(bytes.length + 3);
  longer.set(bytes);
  expectError(() => decodeCheckpoint(longer), ['malformed'], /3 unexpected bytes after its \d+ bytes of meta and data/);
  expectError(() => decodeCheckpoint('WVCP' as unknown as Uint8Array), ['malformed'], /expects a Uint8Array, got "WVCP"/);
});

codec('wraps undecodable CBOR with a correct checksum as malformed with a cause', () => {
  const err = expectError(() => decodeCheckpoint(frame(new Uint8Array([0xff, 0x01]))), ['malformed'], /meta is not valid CBOR/);
  assert.instance(err.cause, Error);
  expectError(() => decodeCheckpoint(frame(new Uint8Array(0))), ['malformed'], /not valid CBOR/);
});

codec('throws only CheckpointError for random meta and data with correct checksums', () => {
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const prefixes = [[], [0xaa], [0xab], [0x82], [0xa1, 0x64], [0xb9, 0x00, 0x0a]];
  for (let n = 0; n < 2000; n++) {
    const meta = [...prefixes[n % prefixes.length]];
    for (let i = next() % 40; i > 0; i--) meta.push(next());
    const data = new Uint8Array(next() % 3 === 0 ? next() * 4 : 0);
    expectError(() => decodeCheckpoint(frame(new Uint8Array(meta), data)), ['malformed'], /malformed checkpoint|not valid CBOR/);
  }
});

codec('throws only CheckpointError for corrupted meta behind a recomputed checksum', () => {
  // Bytes of a real meta changed at random, so that the CBOR stays mostly well formed and
  // the field checks, not the CBOR decoder, have to catch the damage.
  let seed = 777;
  const next = (bound: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % bound;
  for (const cp of [TINY_FULL, TINY_DIFF, full(patterned(65536))]) {
    const { meta, data } = parts(encodeCheckpoint(cp));
    for (let n = 0; n < 1500; n++) {
      const bad = meta.slice();
      for (let k = 1 + next(3); k > 0; k--) bad[next(bad.length)] = next(256);
      try {
        decodeCheckpoint(frame(bad, data));
      } catch (err) {
        assert.instance(err, CheckpointError, `mutation ${n}: ${(err as Error)?.stack}`);
        assert.ok(['malformed', 'too-large'].includes((err as CheckpointError).code));
      }
    }
  }
});

const common = { id: 'abc', bundle: BUNDLE, entry: 'main', fragment: 0, paused: false, yields: 0 };
const fullMeta = { kind: 'full', ...common, memoryLength: 65536, pageSize: 4096, indices: indexBytes([]) };
const diffMeta = {
  kind: 'diff', ...common, base: 'def', memoryLength: 65536, pageSize: 256, indices: indexBytes([2, 255]),
};
const twoPages = new Uint8Array(512);
const schemaCases: Array<[string, unknown, RegExp, Uint8Array?]> = [
  ['a root that is not a map', [1, 2, 3], /field '\(root\)' must be a map/],
  ['an unknown kind', { ...fullMeta, kind: 'partial' }, /field 'kind' must be 'full' or 'diff', got "partial"/],
  ['a numeric id', { ...fullMeta, id: 5 }, /field 'id' must be a non-empty string, got 5/],
  ['a bundle that is not a sha-256', { ...fullMeta, bundle: 'xyz' }, /field 'bundle' must be a lowercase hex SHA-256/],
  ['a missing entry', { ...fullMeta, entry: undefined }, /field 'entry' must be a non-empty string, got undefined/],
  ['a negative fragment', { ...fullMeta, fragment: -1 }, /field 'fragment' must be a non-negative integer, got -1/],
  ['a fractional fragment', { ...fullMeta, fragment: 1.5 }, /field 'fragment' must be a non-negative integer, got 1.5/],
  ['a 64-bit yield count', { ...fullMeta, yields: 2n ** 64n - 1n }, /field 'yields' must be a non-negative integer, got 18446744073709551615n/],
  ['a string paused flag', { ...fullMeta, paused: 'yes' }, /field 'paused' must be a boolean/],
  ['a memoryLength of a partial wasm page', { ...fullMeta, memoryLength: 1000 }, /field 'memoryLength' must be a multiple of 65536 up to 4 GiB, got 1000/],
  ['a memoryLength over 4 GiB', { ...fullMeta, memoryLength: 2 ** 32 + 65536 }, /field 'memoryLength' must be a multiple of 65536 up to 4 GiB, got 4295032832/],
  ['a full checkpoint without pageSize', { ...fullMeta, pageSize: undefined }, /field 'pageSize' must be a power of two between 256 and 65536, got undefined/],
  ['a page size that is not a power of two', { ...diffMeta, pageSize: 300 }, /field 'pageSize' must be a power of two between 256 and 65536, got 300/],
  ['a page size below 256', { ...diffMeta, pageSize: 128 }, /field 'pageSize' must be a power of two/],
  ['a page size above 65536', { ...fullMeta, pageSize: 131072 }, /field 'pageSize' must be a power of two/],
  ['an unknown field', { ...fullMeta, extra: 1 }, /unknown field 'extra'/],
  ['a full checkpoint with a base', { ...fullMeta, base: 'def' }, /unknown field 'base'/],
  ['a full checkpoint carrying its memory', { ...fullMeta, memory: Buffer.alloc(0) }, /unknown field 'memory'/],
  ['a diff without base', { ...diffMeta, base: undefined }, /field 'base' must be a non-empty string/],
  ['missing indices', { ...fullMeta, indices: undefined }, /field 'indices' must be a byte string of u32 little-endian page indices .*, got undefined/],
  ['indices as an array', { ...fullMeta, indices: [0, 1] }, /field 'indices' must be a byte string .*, got an array/],
  ['indices as 32-bit typed array', { ...fullMeta, indices: new Uint32Array([0]) }, /field 'indices' must be a byte string .*, got Uint32Array/],
  ['indices of a partial u32', { ...fullMeta, indices: Buffer.alloc(6) }, /field 'indices' must be a byte string .*\(a multiple of 4 bytes\), got 6 bytes/],
  ['indices out of order', { ...diffMeta, indices: indexBytes([3, 2]) }, /field 'indices\[1\]' must be greater than the previous index 3 \(sorted, unique\), got 2/, twoPages],
  ['a duplicate index', { ...diffMeta, indices: indexBytes([3, 3]) }, /field 'indices\[1\]' must be greater than the previous index 3 \(sorted, unique\), got 3/, twoPages],
  ['an index beyond the memory end', { ...diffMeta, indices: indexBytes([256]) }, /field 'indices\[0\]' must be an integer in \[0, 256\), got 256/, twoPages],
  ['the largest u32 index', { ...fullMeta, indices: indexBytes([0xffffffff]) }, /field 'indices\[0\]' must be an integer in \[0, 16\), got 4294967295/],
  ['data shorter than the listed pages', diffMeta, /the data section holds 511 bytes but the 2 pages in 'indices' need 512/, new Uint8Array(511)],
  ['data longer than the listed pages', diffMeta, /the data section holds 513 bytes but the 2 pages in 'indices' need 512/, new Uint8Array(513)],
  ['data where no page is listed', fullMeta, /the data section holds 4096 bytes but the 0 pages in 'indices' need 0/, new Uint8Array(4096)],
];

codec('rejects schema violations behind a valid checksum, naming the field', () => {
  for (const [what, meta, message, data] of schemaCases) {
    // Unless a case says otherwise, the data fits the pages its base meta lists.
    const pages = data ?? ((meta as { kind?: string })?.kind === 'diff' ? twoPages : new Uint8Array(0));
    const bytes = frame(cbor.encode(meta), pages);
    try {
      decodeCheckpoint(bytes);
    } catch (err) {
      assert.instance(err, CheckpointError, what);
      assert.is((err as CheckpointError).code, 'malformed', what);
      assert.match((err as CheckpointError).message, new RegExp(`^malformed checkpoint: ${message.source}.*capture it again$`), what);
      continue;
    }
    assert.unreachable(`${what} was accepted`);
  }
  // The well-formed bases of those cases decode, so each case fails for its own reason.
  assert.is(decodeCheckpoint(frame(cbor.encode(fullMeta))).kind, 'full');
  assert.is(decodeCheckpoint(frame(cbor.encode(diffMeta), twoPages)).kind, 'diff');
});

codec('refuses to encode a checkpoint it could not decode', () => {
  const page = (index: number) => ({ index, bytes: new Uint8Array(256) });
  expectError(() => encodeCheckpoint(full(new Uint8Array(100))), ['malformed'], /^cannot encode checkpoint: field 'memory' must be bytes whose length is a multiple of 65536/);
  expectError(() => encodeCheckpoint(full('AAAA' as unknown as Uint8Array)), ['malformed'], /^cannot encode checkpoint: field 'memory' must be a Uint8Array/);
  expectError(() => encodeCheckpoint(full(new Uint16Array(32768) as unknown as Uint8Array)), ['malformed'], /field 'memory' must be a Uint8Array, got Uint16Array/);
  expectError(() => encodeCheckpoint({ ...TINY_DIFF, pages: [page(9), page(4)] }), ['malformed'], /^cannot encode checkpoint: field 'pages\[1\]\.index' must be greater than the previous index 9/);
  expectError(() => encodeCheckpoint({ ...TINY_DIFF, pages: [page(3), page(3)] }), ['malformed'], /field 'pages\[1\]\.index' must be greater than the previous index 3/);
  expectError(() => encodeCheckpoint({ ...TINY_DIFF, pages: [page(256)] }), ['malformed'], /field 'pages\[0\]\.index' must be an integer in \[0, 256\), got 256/);
  expectError(() => encodeCheckpoint({ ...TINY_DIFF, pages: [{ index: 1, bytes: new Uint8Array(255) }] }), ['malformed'], /field 'pages\[0\]\.bytes' must be a Uint8Array of 256 bytes, got 255 bytes/);
  expectError(() => encodeCheckpoint({ ...TINY_DIFF, pages: [null as unknown as CheckpointDiff['pages'][0]] }), ['malformed'], /field 'pages\[0\]' must be a map with index and bytes/);
  expectError(() => encodeCheckpoint({ ...TINY_DIFF, pageSize: 300 }), ['malformed'], /field 'pageSize' must be a power of two/);
});

codec('without a checksum (bytes that travel sealed): only an authenticated decode takes them, until checksumCheckpoint fills it in', () => {
  for (const cp of [TINY_DIFF, full(patterned(3 * WASM_PAGE))]) {
    const checked = encodeCheckpoint(cp);
    const bytes = encodeCheckpoint(cp, { checksum: false });
    assert.is(new DataView(bytes.buffer, bytes.byteOffset).getUint32(14), 0, 'the CRC field is left 0');
    assert.equal(bytes.subarray(CHECKPOINT_HEADER_BYTES), checked.subarray(CHECKPOINT_HEADER_BYTES), 'meta and data are the same bytes');
    expectError(() => decodeCheckpoint(bytes), ['checksum'], /checksum mismatch/);
    assert.equal(decodeCheckpoint(bytes, { authenticated: true }), decodeCheckpoint(checked));
    checksumCheckpoint(bytes);
    assert.equal(bytes, checked, 'checksummed after, byte for byte what encodeCheckpoint writes');
  }
});

codec.run();
