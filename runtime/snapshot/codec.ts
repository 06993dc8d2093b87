/**
 * The checkpoint wire format: a fixed header, a small CBOR `meta` map, then raw page bytes.
 *
 * Layout (integers big-endian; docs/checkpoint-format.md has it byte by byte): magic
 * "WVCP" (4 bytes), format version (u16), meta length (u32), data length (u32), CRC-32 of
 * meta then data (u32), then `meta` (a CBOR map with the checkpoint's fields and the u32
 * little-endian indices of the pages carried), then `data` (those pages, concatenated).
 * A full checkpoint carries only its non-zero pages; a diff carries its changed pages.
 * Usage:
 *   const bytes = encodeCheckpoint(executor.capture());
 *   const cp = decodeCheckpoint(bytes, { maxBytes: 64 << 20 });
 *   if (cp.kind === 'diff') full = applyDiff(previous, cp);
 */
import { crc32 } from 'node:zlib';
import { Encoder } from 'cbor-x';
import { CheckpointError } from './errors.js';
import type { AnyCheckpoint, Checkpoint, CheckpointDiff } from './types.js';
import { DIFF_PAGE_SIZE, describe, pageLength, validateCheckpoint, validateMeta, type Meta } from './schema.js';

export const CHECKPOINT_MAGIC = 'WVCP';
/** Bump on any change to the header or the meta schema; decoders reject other versions. */
export const CHECKPOINT_FORMAT_VERSION = 2;
/** magic (4) + version (2) + meta length (4) + data length (4) + CRC-32 (4). */
export const CHECKPOINT_HEADER_BYTES = 18;
/** 1 GiB: above any fragment memory we run, below what would exhaust a hub's heap. */
export const DEFAULT_MAX_CHECKPOINT_BYTES = 1 << 30;

// Defined with the schema, which checks page steps by it too.
export { DIFF_PAGE_SIZE };

export interface DecodeCheckpointOptions {
  /**
   * Reject inputs longer than this many bytes with code 'too-large', before any work;
   * likewise a full checkpoint whose memory is longer, before allocating it (zero pages
   * are not carried, so a small input can describe a large memory).
   * @default DEFAULT_MAX_CHECKPOINT_BYTES (1 GiB)
   */
  maxBytes?: number;
  /**
   * Let a diff's pages be views of `bytes` instead of one copy: for a caller that owns
   * `bytes` and keeps it unchanged while it uses the diff. @default false
   */
  share?: boolean;
  /**
   * Skip the CRC-32: the bytes were just authenticated by something stronger (an AEAD
   * tag, runtime/net/seal.ts), so corruption is already ruled out. Every structural check
   * still runs. @default false
   */
  authenticated?: boolean;
}

const MAGIC_BYTES = new TextEncoder().encode(CHECKPOINT_MAGIC);
// Header offsets.
const VERSION_AT = 4;
const META_LENGTH_AT = 6;
const DATA_LENGTH_AT = 10;
const CRC_AT = 14;

// Records are a cbor-x extension with state shared between encoder and decoder; plain
// maps keep the meta readable by any CBOR tool and by other versions of cbor-x.
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

// Compared against, never written: Buffer#compare against it is a native memcmp, far
// faster than looking at the bytes from JS.
const ZERO_PAGE = Buffer.alloc(DIFF_PAGE_SIZE);


/**
 * Serializes a full or differential checkpoint into the versioned, checksummed format.
 * The memory is never CBOR-encoded: each carried page is copied once, straight into the
 * output, which is allocated once at its final size.
 *
 * # Errors
 * CheckpointError 'malformed' if `cp` violates the schema that `decodeCheckpoint`
 * enforces (so nothing is written that could not be read back); 'too-large' if the
 * data exceeds the u32 length field, or the checkpoint would be longer than `maxBytes`.
 */
export interface EncodeCheckpointOptions {
  /**
   * Free bytes to leave in the output's buffer before the checkpoint (the result is a
   * view at this offset), so a caller can frame it in place instead of copying it into a
   * message. @default 0
   */
  headroom?: number;
  /**
   * Free bytes to leave after the checkpoint in its buffer, so a seal's tag fits there and
   * it can be sealed where it lies (seal.ts, `consume`). @default 0
   */
  tailroom?: number;
  /**
   * A buffer to write into when it is large enough (its bytes are overwritten; the result
   * is a view of it), else a new one is made. A fresh buffer of a large checkpoint's size
   * costs more in page faults than the encoding does: a caller that has one to spare (a
   * slot, the buffer the state came in) saves that. @default a new buffer
   */
  into?: ArrayBuffer;
  /**
   * Refuse ('too-large') to write a checkpoint longer than this, before allocating it: a
   * hub captures no more than it would accept (SandboxLimits.maxCheckpointBytes).
   * @default no limit beyond the format's
   */
  maxBytes?: number;
  /**
   * Compute the CRC-32 of meta and data (a pass over every byte: 7 ms per 16 MiB on this
   * project's CI machine). false leaves the field 0: only for bytes that will travel
   * AEAD-sealed and be decoded `authenticated`, or be checksummed first
   * (`checksumCheckpoint`); any other decode refuses them ('checksum'). @default true
   */
  checksum?: boolean;
}

export function encodeCheckpoint(cp: AnyCheckpoint, opts: EncodeCheckpointOptions = {}): Uint8Array {
  validateCheckpoint(cp, 'cannot encode checkpoint', 'fix the checkpoint before encoding it');
  // Runs of bytes to write to `data`, in order; adjacent pages are merged into one run
  // so that a dense memory is copied by a few large `set` calls, not thousands.
  const runs: Uint8Array[] = [];
  let indices: Buffer;
  let dataLength = 0;
  let memoryLength: number;
  let pageSize: number;
  if (cp.kind === 'full') {
    memoryLength = cp.memory.length;
    pageSize = DIFF_PAGE_SIZE;
    const found = nonZeroPages(cp.memory);
    indices = Buffer.alloc(4 * found.length);
    let runStart = 0;
    let runEnd = 0;
    for (let i = 0; i < found.length; i++) {
      const start = found[i] * pageSize;
      indices.writeUInt32LE(found[i], 4 * i);
      if (start !== runEnd) {
        if (runEnd > runStart) runs.push(cp.memory.subarray(runStart, runEnd));
        runStart = start;
      }
      runEnd = Math.min(start + pageSize, memoryLength);
      dataLength += runEnd - start;
    }
    if (runEnd > runStart) runs.push(cp.memory.subarray(runStart, runEnd));
  } else {
    memoryLength = cp.memoryLength;
    pageSize = cp.pageSize;
    indices = Buffer.alloc(4 * cp.pages.length);
    // diffCheckpoint (in 64 KiB slabs) and decodeCheckpoint (in one buffer) lay a diff's
    // pages side by side.
    let run: Uint8Array | undefined;
    let runLength = 0;
    const flush = () => {
      if (run) runs.push(new Uint8Array(run.buffer, run.byteOffset, runLength));
    };
    for (let i = 0; i < cp.pages.length; i++) {
      const { index, bytes } = cp.pages[i];
      indices.writeUInt32LE(index, 4 * i);
      dataLength += bytes.length;
      if (run && bytes.buffer === run.buffer && bytes.byteOffset === run.byteOffset + runLength) {
        runLength += bytes.length;
      } else {
        flush();
        run = bytes;
        runLength = bytes.length;
      }
    }
    flush();
  }
  if (dataLength > 0xffffffff) {
    throw new CheckpointError(
      'too-large',
      `cannot encode checkpoint: ${dataLength} bytes of pages exceed the 4 GiB ` +
        'the format can describe; capture a smaller memory or use diffs',
    );
  }
  const meta: Record<string, unknown> = {
    kind: cp.kind, id: cp.id,
    ...(cp.kind === 'diff' ? { base: cp.base } : {}),
    bundle: cp.bundle, entry: cp.entry,
    fragment: cp.fragment, paused: cp.paused, yields: cp.yields,
    // cbor-x tags a plain Uint8Array as a typed array (tag 64) but writes a Buffer as a
    // bare byte string, which every CBOR reader understands.
    memoryLength, pageSize, indices,
    ...(cp.output?.byteLength ? { output: asBuffer(cp.output) } : {}),
    ...(cp.kind === 'diff' && cp.steps ? { since: cp.since, steps: u32le(cp.steps) } : {}),
    ...(cp.kind === 'full' && cp.steps ? { steps: u32le(cp.steps) } : {}),
  };
  const metaBytes = cbor.encode(meta);
  const total = CHECKPOINT_HEADER_BYTES + metaBytes.length + dataLength;
  if (opts.maxBytes !== undefined && total > opts.maxBytes) {
    throw new CheckpointError('too-large', `cannot encode checkpoint: it would be ${total} bytes, above the limit of ${opts.maxBytes} bytes; raise maxBytes (the sandbox's maxCheckpointBytes) if this size is expected`);
  }
  const headroom = opts.headroom ?? 0;
  const size = headroom + total + (opts.tailroom ?? 0);
  const out = (opts.into && opts.into.byteLength >= size ? new Uint8Array(opts.into, 0, size) : uninitialized(size)).subarray(headroom, headroom + total);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out.set(MAGIC_BYTES, 0);
  view.setUint16(VERSION_AT, CHECKPOINT_FORMAT_VERSION);
  view.setUint32(META_LENGTH_AT, metaBytes.length);
  view.setUint32(DATA_LENGTH_AT, dataLength);
  out.set(metaBytes, CHECKPOINT_HEADER_BYTES);
  let at = CHECKPOINT_HEADER_BYTES + metaBytes.length;
  for (const run of runs) {
    out.set(run, at);
    at += run.length;
  }
  if (opts.checksum === false) view.setUint32(CRC_AT, 0);
  else checksumCheckpoint(out);
  return out;
}

/** Fill in the CRC-32 of a checkpoint encoded with `checksum: false` (its bytes, as encodeCheckpoint returned them). */
export function checksumCheckpoint(bytes: Uint8Array): void {
  // meta and data lie back to back, so one pass covers both.
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(CRC_AT, crc32(bytes.subarray(CHECKPOINT_HEADER_BYTES)));
}

/**
 * Parses and fully validates bytes produced by `encodeCheckpoint`. The result owns its
 * memory and page bytes: nothing aliases `bytes`. A diff's pages are views into one
 * fresh buffer holding all of them.
 *
 * # Errors
 * Only ever CheckpointError: 'too-large' (longer than `maxBytes`, or a full checkpoint
 * whose memory is), 'truncated' (ends before the header or the declared sections),
 * 'version', 'checksum', or 'malformed' (wrong magic, trailing bytes, undecodable CBOR,
 * or a field out of schema, named in the message; CBOR failures are attached as `cause`).
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
  const version = view.getUint16(VERSION_AT);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      'version',
      `checkpoint format version ${version} is not supported: this runtime reads version ` +
        `${CHECKPOINT_FORMAT_VERSION}; decode it with the weave release that wrote it or capture it again`,
    );
  }
  // The lengths are only compared with the bytes actually present (the sum of two u32s is
  // exact in a double); nothing is allocated from them.
  const metaLength = view.getUint32(META_LENGTH_AT);
  const dataLength = view.getUint32(DATA_LENGTH_AT);
  const declared = metaLength + dataLength;
  const available = bytes.length - CHECKPOINT_HEADER_BYTES;
  if (declared > available) {
    throw new CheckpointError(
      'truncated',
      `checkpoint truncated: the header declares a ${metaLength}-byte meta and ${dataLength} bytes of data ` +
        `but only ${available} bytes follow; fetch the checkpoint again`,
    );
  }
  if (declared < available) {
    throw new CheckpointError('malformed', `checkpoint has ${available - declared} unexpected bytes after its ${declared} bytes of meta and data; pass exactly one encoded checkpoint`);
  }
  if (!options?.authenticated && crc32(bytes.subarray(CHECKPOINT_HEADER_BYTES)) !== view.getUint32(CRC_AT)) {
    throw new CheckpointError('checksum', 'checkpoint checksum mismatch: the meta and data do not match their CRC-32, so the bytes were corrupted; fetch the checkpoint again');
  }
  const metaStart = CHECKPOINT_HEADER_BYTES;
  const dataStart = metaStart + metaLength;
  let value: unknown;
  try {
    value = cbor.decode(bytes.subarray(metaStart, dataStart));
  } catch (err) {
    throw new CheckpointError('malformed', `checkpoint meta is not valid CBOR (${(err as Error)?.message ?? err}); it was written by a faulty encoder, capture it again`, { cause: err });
  }
  const meta = validateMeta(value, dataLength, 'malformed checkpoint', 'it was written by a faulty or foreign encoder; capture it again');
  if (meta.kind === 'full' && meta.memoryLength > maxBytes) {
    throw new CheckpointError(
      'too-large',
      `checkpoint memory of ${meta.memoryLength} bytes exceeds the limit of ${maxBytes} bytes; ` +
        'raise options.maxBytes if this size is expected',
    );
  }
  return fromMeta(meta, bytes.subarray(dataStart), options?.share ?? false);
}


/** Builds the checkpoint that a validated meta and its data describe; copies `data`. */
function fromMeta(meta: Meta, data: Uint8Array, share: boolean): AnyCheckpoint {
  const common = {
    id: meta.id, bundle: meta.bundle, entry: meta.entry,
    fragment: meta.fragment, paused: meta.paused, yields: meta.yields,
    // Its own copy: the meta is a view of the input bytes.
    ...(meta.output?.byteLength ? { output: new Uint8Array(meta.output) } : {}),
  };
  const { memoryLength, pageSize, indices } = meta;
  const count = indices.length / 4;
  const list = new DataView(indices.buffer, indices.byteOffset, indices.byteLength);
  if (meta.kind === 'full') {
    let memory: Uint8Array;
    if (data.length === memoryLength) {
      // Every page is listed, so data is the memory itself: no page needs zeroing.
      memory = uninitialized(memoryLength);
      memory.set(data);
    } else {
      memory = new Uint8Array(memoryLength);
      // Copy runs of consecutive pages at once; they lie side by side in data too.
      let from = 0;
      for (let i = 0; i < count;) {
        const first = list.getUint32(4 * i, true);
        let last = first;
        while (++i < count && list.getUint32(4 * i, true) === last + 1) last++;
        const to = Math.min((last + 1) * pageSize, memoryLength);
        const length = to - first * pageSize;
        memory.set(data.subarray(from, from + length), first * pageSize);
        from += length;
      }
    }
    const full: Checkpoint = { kind: 'full', ...common, memory };
    if (meta.steps) full.steps = u32s(meta.steps);
    return full;
  }
  // One copy for all pages, so that nothing aliases the input and no page costs an
  // allocation of its own.
  let own = data;
  if (!share) {
    own = uninitialized(data.length);
    own.set(data);
  }
  const pages: CheckpointDiff['pages'] = new Array(count);
  let from = 0;
  for (let i = 0; i < count; i++) {
    const index = list.getUint32(4 * i, true);
    const length = pageLength(index, pageSize, memoryLength);
    pages[i] = { index, bytes: own.subarray(from, from + length) };
    from += length;
  }
  const diff: CheckpointDiff = {
    kind: 'diff',
    ...common,
    base: meta.base as string,
    memoryLength,
    pageSize,
    pages,
  };
  if (meta.steps) {
    diff.since = meta.since;
    diff.steps = u32s(meta.steps);
  }
  return diff;
}

/** Little-endian u32 bytes as values. */
function u32s(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(4 * i, true));
}

/** u32 values as little-endian bytes (a Buffer: cbor-x writes it as a plain byte string). */
function u32le(values: Uint32Array): Buffer {
  const out = Buffer.alloc(4 * values.length);
  for (let i = 0; i < values.length; i++) out.writeUInt32LE(values[i], 4 * i);
  return out;
}

/** Indices of the DIFF_PAGE_SIZE pages of `memory` that hold any non-zero byte. */
export function nonZeroPages(memory: Uint8Array): number[] {
  const bytes = asBuffer(memory);
  const found: number[] = [];
  for (let start = 0, index = 0; start < bytes.length; start += DIFF_PAGE_SIZE, index++) {
    const end = Math.min(start + DIFF_PAGE_SIZE, bytes.length);
    if (ZERO_PAGE.compare(bytes, start, end, 0, end - start) !== 0) found.push(index);
  }
  return found;
}

/**
 * A plain Uint8Array of `length` bytes whose contents are left as the allocator found
 * them: callers overwrite every byte. Skipping the zero fill saves a pass over memory
 * that large checkpoints would otherwise pay twice.
 */
export function uninitialized(length: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}

/** A Buffer view of `bytes` (no copy), for its native compare. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
