/**
 * The checkpoint wire format: a fixed header followed by a CBOR payload.
 *
 * Layout (integers big-endian): magic "WVCP" (4 bytes), format version (u16), payload
 * length (u32), SHA-256 of the payload (32 bytes), then the payload: a CBOR map with the
 * checkpoint's fields. Usage:
 *   const bytes = encodeCheckpoint(executor.capture());
 *   const cp = decodeCheckpoint(bytes, { maxBytes: 64 << 20 });
 *   if (cp.kind === 'diff') full = applyDiff(previous, cp);
 */
import { createHash } from 'node:crypto';
import { Encoder } from 'cbor-x';
import { CheckpointError } from './errors.js';
import type { AnyCheckpoint, Checkpoint, CheckpointDiff } from './types.js';

export const CHECKPOINT_MAGIC = 'WVCP';
/** Bump on any change to the header or the payload schema; decoders reject other versions. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** magic (4) + version (2) + payload length (4) + SHA-256 (32). */
export const CHECKPOINT_HEADER_BYTES = 42;
/** 1 GiB: above any fragment memory we run, below what would exhaust a hub's heap. */
export const DEFAULT_MAX_CHECKPOINT_BYTES = 1 << 30;

export interface DecodeCheckpointOptions {
  /**
   * Reject inputs longer than this many bytes with code 'too-large', before any work.
   * @default DEFAULT_MAX_CHECKPOINT_BYTES (1 GiB)
   */
  maxBytes?: number;
}

const WASM_PAGE_BYTES = 65536;
// wasm32 addresses at most 65536 pages.
const MAX_MEMORY_BYTES = 65536 * WASM_PAGE_BYTES;
const MAGIC_BYTES = new TextEncoder().encode(CHECKPOINT_MAGIC);
const HEX_SHA256 = /^[0-9a-f]{64}$/;

// Records are a cbor-x extension with state shared between encoder and decoder; plain
// maps keep the payload readable by any CBOR tool and by other versions of cbor-x.
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

const FULL_KEYS = new Set(['kind', 'id', 'bundle', 'entry', 'fragment', 'paused', 'yields', 'memory']);
const DIFF_KEYS = new Set([
  'kind', 'id', 'base', 'bundle', 'entry', 'fragment', 'paused', 'yields',
  'memoryLength', 'pageSize', 'pages',
]);
const PAGE_KEYS = new Set(['index', 'bytes']);

/**
 * Serializes a full or differential checkpoint into the versioned, checksummed format.
 *
 * # Errors
 * CheckpointError 'malformed' if `cp` violates the schema that `decodeCheckpoint`
 * enforces (so nothing is written that could not be read back); 'too-large' if the
 * payload exceeds the u32 length field.
 */
export function encodeCheckpoint(cp: AnyCheckpoint): Uint8Array {
  validateCheckpoint(cp, 'cannot encode checkpoint', 'fix the checkpoint before encoding it');
  const payload = cbor.encode(toPayload(cp));
  if (payload.length > 0xffffffff) {
    throw new CheckpointError(
      'too-large',
      `cannot encode checkpoint: payload of ${payload.length} bytes exceeds the 4 GiB ` +
        'the format can describe; capture a smaller memory or use diffs',
    );
  }
  const out = new Uint8Array(CHECKPOINT_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC_BYTES, 0);
  view.setUint16(4, CHECKPOINT_FORMAT_VERSION);
  view.setUint32(6, payload.length);
  out.set(createHash('sha256').update(payload).digest(), 10);
  out.set(payload, CHECKPOINT_HEADER_BYTES);
  return out;
}

/**
 * Parses and fully validates bytes produced by `encodeCheckpoint`. The result owns its
 * memory and page bytes: nothing aliases `bytes`.
 *
 * # Errors
 * Only ever CheckpointError: 'too-large' (longer than `maxBytes`), 'truncated' (ends
 * before the header or the declared payload), 'version', 'checksum', or 'malformed'
 * (wrong magic, trailing bytes, undecodable CBOR, or a field out of schema, named in the
 * message; CBOR failures are attached as `cause`).
 */
export function decodeCheckpoint(bytes: Uint8Array, options?: DecodeCheckpointOptions): AnyCheckpoint {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_CHECKPOINT_BYTES;
  if (typeof maxBytes !== 'number' || !(maxBytes >= 0)) {
    throw new CheckpointError('malformed', `decodeCheckpoint: options.maxBytes must be a non-negative number, got ${describe(maxBytes)}`);
  }
  if (!(bytes instanceof Uint8Array)) {
    throw new CheckpointError('malformed', `decodeCheckpoint expects a Uint8Array, got ${describe(bytes)}; pass the bytes encodeCheckpoint produced`);
  }
  if (bytes.length > maxBytes) {
    throw new CheckpointError(
      'too-large',
      `checkpoint of ${bytes.length} bytes exceeds the limit of ${maxBytes} bytes; ` +
        'raise options.maxBytes if this size is expected',
    );
  }
  // Compare whatever prefix of the magic is present, so that foreign data is called
  // foreign rather than short.
  for (let i = 0; i < Math.min(bytes.length, MAGIC_BYTES.length); i++) {
    if (bytes[i] !== MAGIC_BYTES[i]) {
      throw new CheckpointError('malformed', `not a weave checkpoint: the bytes do not start with the magic "${CHECKPOINT_MAGIC}"; check that the right data was passed`);
    }
  }
  if (bytes.length < CHECKPOINT_HEADER_BYTES) {
    throw new CheckpointError('truncated', `checkpoint truncated: ${bytes.length} bytes is shorter than the ${CHECKPOINT_HEADER_BYTES}-byte header; fetch the checkpoint again`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      'version',
      `checkpoint format version ${version} is not supported: this runtime reads version ` +
        `${CHECKPOINT_FORMAT_VERSION}; decode it with the weave release that wrote it or capture it again`,
    );
  }
  const declared = view.getUint32(6);
  const available = bytes.length - CHECKPOINT_HEADER_BYTES;
  if (declared > available) {
    throw new CheckpointError('truncated', `checkpoint truncated: the header declares a ${declared}-byte payload but only ${available} bytes follow; fetch the checkpoint again`);
  }
  if (declared < available) {
    throw new CheckpointError('malformed', `checkpoint has ${available - declared} unexpected bytes after its ${declared}-byte payload; pass exactly one encoded checkpoint`);
  }
  const payload = bytes.subarray(CHECKPOINT_HEADER_BYTES);
  const digest = createHash('sha256').update(payload).digest();
  if (Buffer.compare(digest, bytes.subarray(10, CHECKPOINT_HEADER_BYTES)) !== 0) {
    throw new CheckpointError('checksum', 'checkpoint checksum mismatch: the payload does not match its SHA-256, so the bytes were corrupted; fetch the checkpoint again');
  }
  let value: unknown;
  try {
    value = cbor.decode(payload);
  } catch (err) {
    throw new CheckpointError('malformed', `checkpoint payload is not valid CBOR (${(err as Error)?.message ?? err}); it was written by a faulty encoder, capture it again`, { cause: err });
  }
  const where = 'malformed checkpoint';
  const remedy = 'it was written by a faulty or foreign encoder; capture it again';
  validateCheckpoint(value, where, remedy);
  rejectUnknownKeys(value, where, remedy);
  return fromPayload(value);
}

/**
 * Checks every field of a (possibly untrusted) checkpoint; `where` and `remedy` frame the
 * message. Shared with diff.ts so that hand-built inputs fail the same way decoded ones do.
 *
 * # Errors
 * CheckpointError 'malformed' naming the first offending field.
 */
export function validateCheckpoint(value: unknown, where: string, remedy: string): asserts value is AnyCheckpoint {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new CheckpointError('malformed', `${where}: field '${field}' must be ${expected}, got ${describe(got)}; ${remedy}`);
  };
  if (!isRecord(value)) fail('(root)', 'a map of checkpoint fields', value);
  const cp = value as Record<string, unknown>;
  if (cp.kind !== 'full' && cp.kind !== 'diff') fail('kind', "'full' or 'diff'", cp.kind);
  if (typeof cp.id !== 'string' || cp.id === '') fail('id', 'a non-empty string', cp.id);
  if (typeof cp.bundle !== 'string' || !HEX_SHA256.test(cp.bundle)) fail('bundle', 'a lowercase hex SHA-256 (64 characters)', cp.bundle);
  if (typeof cp.entry !== 'string' || cp.entry === '') fail('entry', 'a non-empty string', cp.entry);
  if (!isCount(cp.fragment)) fail('fragment', 'a non-negative integer', cp.fragment);
  if (typeof cp.paused !== 'boolean') fail('paused', 'a boolean', cp.paused);
  if (!isCount(cp.yields)) fail('yields', 'a non-negative integer', cp.yields);

  if (cp.kind === 'full') {
    const memory = cp.memory;
    if (!(memory instanceof Uint8Array)) return fail('memory', 'a Uint8Array', memory);
    if (!isMemoryLength(memory.length)) fail('memory', `bytes whose length is a multiple of ${WASM_PAGE_BYTES}`, memory);
    return;
  }

  if (typeof cp.base !== 'string' || cp.base === '') fail('base', 'a non-empty string', cp.base);
  const memoryLength = cp.memoryLength;
  if (!isMemoryLength(memoryLength)) fail('memoryLength', `a multiple of ${WASM_PAGE_BYTES} up to 4 GiB`, memoryLength);
  const pageSize = cp.pageSize;
  if (!isCount(pageSize) || pageSize < 256 || pageSize > WASM_PAGE_BYTES || (pageSize & (pageSize - 1)) !== 0) {
    fail('pageSize', `a power of two between 256 and ${WASM_PAGE_BYTES}`, pageSize);
  }
  const pages = cp.pages;
  if (!Array.isArray(pages)) return fail('pages', 'an array', pages);
  const size = pageSize as number;
  const length = memoryLength as number;
  const pageCount = Math.ceil(length / size);
  let previous = -1;
  for (let i = 0; i < pages.length; i++) {
    const page: unknown = pages[i];
    if (!isRecord(page)) fail(`pages[${i}]`, 'a map with index and bytes', page);
    const { index, bytes } = page as Record<string, unknown>;
    if (!isCount(index) || index >= pageCount) fail(`pages[${i}].index`, `an integer in [0, ${pageCount})`, index);
    if ((index as number) <= previous) fail(`pages[${i}].index`, `greater than the previous index ${previous} (sorted, unique)`, index);
    previous = index as number;
    // The last page may be short only if the memory ends inside it.
    const expected = Math.min(size, length - previous * size);
    if (!(bytes instanceof Uint8Array) || bytes.length !== expected) fail(`pages[${i}].bytes`, `a Uint8Array of ${expected} bytes`, bytes);
  }
}

function rejectUnknownKeys(cp: AnyCheckpoint, where: string, remedy: string): void {
  const check = (obj: object, allowed: Set<string>, prefix: string) => {
    for (const key of Object.keys(obj)) {
      if (!allowed.has(key)) {
        throw new CheckpointError('malformed', `${where}: unknown field '${prefix}${key}'; ${remedy}`);
      }
    }
  };
  if (cp.kind === 'full') return check(cp, FULL_KEYS, '');
  check(cp, DIFF_KEYS, '');
  cp.pages.forEach((page, i) => check(page, PAGE_KEYS, `pages[${i}].`));
}

function toPayload(cp: AnyCheckpoint): Record<string, unknown> {
  // cbor-x tags a plain Uint8Array as a typed array (tag 64) but writes a Buffer as a
  // bare byte string, which every CBOR reader understands. The views do not copy.
  const bstr = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const common = {
    kind: cp.kind, id: cp.id, bundle: cp.bundle, entry: cp.entry,
    fragment: cp.fragment, paused: cp.paused, yields: cp.yields,
  };
  if (cp.kind === 'full') return { ...common, memory: bstr(cp.memory) };
  return {
    ...common,
    base: cp.base,
    memoryLength: cp.memoryLength,
    pageSize: cp.pageSize,
    pages: cp.pages.map((p) => ({ index: p.index, bytes: bstr(p.bytes) })),
  };
}

// Decoded byte strings are views into the input (and possibly Buffers); copying them
// into plain Uint8Arrays gives the caller sole ownership of the state.
function fromPayload(cp: AnyCheckpoint): AnyCheckpoint {
  const common = {
    id: cp.id, bundle: cp.bundle, entry: cp.entry,
    fragment: cp.fragment, paused: cp.paused, yields: cp.yields,
  };
  if (cp.kind === 'full') {
    const full: Checkpoint = { kind: 'full', ...common, memory: new Uint8Array(cp.memory) };
    return full;
  }
  const diff: CheckpointDiff = {
    kind: 'diff',
    ...common,
    base: cp.base,
    memoryLength: cp.memoryLength,
    pageSize: cp.pageSize,
    pages: cp.pages.map((p) => ({ index: p.index, bytes: new Uint8Array(p.bytes) })),
  };
  return diff;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isMemoryLength(value: unknown): value is number {
  return isCount(value) && value % WASM_PAGE_BYTES === 0 && value <= MAX_MEMORY_BYTES;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}
