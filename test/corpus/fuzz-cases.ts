/**
 * Property fuzzing of the two decoders that read bytes from the network: the checkpoint
 * codec and the protocol message decoder. Each case is valid bytes put through 1-3 seeded
 * mutations (truncation, bit flips, byte insert/delete, length-field corruption, random
 * CBOR in place of the map); the property is that decoding returns a valid value within
 * the size bound or throws the part's typed error, and nothing else.
 *   const report = fuzzCheckpoints(10_000, 1);
 *   if (report.failures.length) throw new Error(report.failures[0].error);
 * A failure names its seed and case; `caseBytes(target, seed, i)` rebuilds that input.
 */
import { crc32 } from 'node:zlib';
import { Encoder } from 'cbor-x';
import { rng } from '../../runtime/sim/index.js';
import { decodeCheckpoint, encodeCheckpoint, CheckpointError, type AnyCheckpoint } from '../../runtime/snapshot/index.js';
import { decodeMessage, encodeMessage, ProtocolError, MESSAGE_KINDS, PROTOCOL_VERSION } from '../../runtime/protocol/index.js';

export type FuzzTarget = 'checkpoint' | 'message';

export interface FuzzReport {
  target: FuzzTarget;
  cases: number;
  /** Inputs that decoded to a valid value (mutations can leave the bytes valid). */
  decoded: number;
  /** Typed rejections, by code. */
  rejected: Record<string, number>;
  /** The slowest single decode, in ms. */
  maxMs: number;
  failures: Array<{ seed: number; index: number; error: string }>;
}

/** What a decoded checkpoint may hold: a full checkpoint's memory is at most this. */
export const FUZZ_MAX_BYTES = 4 << 20;

const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });
type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

function checkpointSeeds(): Uint8Array[] {
  const memory = new Uint8Array(4 * 65536);
  for (let i = 0; i < memory.length; i += 4099) memory[i] = i & 0xff;
  const common = { id: '0123456789abcdef', bundle: 'b'.repeat(64), entry: 'main', fragment: 2, paused: true, yields: 77 };
  const diff: AnyCheckpoint = {
    kind: 'diff', ...common, base: 'fedcba9876543210', memoryLength: 2 * 65536, pageSize: 4096,
    pages: [{ index: 0, bytes: new Uint8Array(4096).fill(3) }, { index: 31, bytes: new Uint8Array(4096).fill(4) }],
  };
  return [
    encodeCheckpoint({ kind: 'full', ...common, memory }),
    encodeCheckpoint({ kind: 'full', ...common, memory: new Uint8Array(65536), output: new TextEncoder().encode('hello') }),
    encodeCheckpoint(diff),
  ];
}

function messageSeeds(): Uint8Array[] {
  return [
    encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION }),
    encodeMessage({ kind: 'exec', v: PROTOCOL_VERSION, job: 'j1', bundle: 'c'.repeat(64), entry: 'main', fragment: 0, migrateEvery: 5, args: [1, 2.5], checkpoint: checkpointSeeds()[1] }),
    encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code: 'trap', message: 'boom', fragment: 3, entry: 'main' }),
    encodeMessage({ kind: 'advert', v: PROTOCOL_VERSION, id: 'h', state: 'ready', caps: { cores: 4, avx2: true }, load: { slots: 2, busy: [1, 2] }, datasets: ['a'], labels: { zone: 'eu' } }),
    encodeMessage({ kind: 'bundle-bytes', v: PROTOCOL_VERSION, hash: 'd'.repeat(64), bytes: new Uint8Array(2000).fill(9), small: new Uint8Array(10) }),
  ];
}

/** A random CBOR-encodable value; keys include the ones decoders look at. */
function randomValue(r: Rand, depth: number): unknown {
  const k = int(r, depth > 3 ? 9 : 12);
  switch (k) {
    case 0: return int(r, 2) ? int(r, 1 << 30) : -int(r, 1 << 30);
    case 1: return [0, -1, 2 ** 32, 2 ** 53, 2 ** 64, 1.5, NaN, Infinity, -0][int(r, 9)];
    case 2: return ['', 'full', 'diff', 'exec', 'a'.repeat(64), '__proto__', 'constructor'][int(r, 7)];
    case 3: return Buffer.from(Array.from({ length: int(r, 40) }, () => int(r, 256)));
    case 4: return [true, false, null, undefined][int(r, 4)];
    case 5: return BigInt(int(r, 1000)) * 10n ** 20n;
    case 6: return new Float64Array(int(r, 4));
    case 7: return new Date(int(r, 1e12));
    case 8: return String.fromCharCode(...Array.from({ length: int(r, 20) }, () => int(r, 0xd800)));
    case 9: case 10: return Array.from({ length: int(r, 5) }, () => randomValue(r, depth + 1));
    default: return randomMap(r, depth + 1);
  }
}

const KEYS = ['kind', 'v', 'id', 'base', 'bundle', 'entry', 'fragment', 'paused', 'yields', 'memoryLength', 'pageSize',
  'indices', 'output', '$att', 'job', 'checkpoint', '__proto__', 'constructor', 'toString', 'x'];

function randomMap(r: Rand, depth: number): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  for (let i = int(r, 8); i > 0; i--) Object.defineProperty(m, KEYS[int(r, KEYS.length)], { value: randomValue(r, depth), enumerable: true, configurable: true, writable: true });
  return m;
}

/** `base` with one field changed, removed or added: close enough to pass the early checks. */
function tweak(r: Rand, base: Record<string, unknown>): Record<string, unknown> {
  const m = { ...base };
  const key = KEYS[int(r, KEYS.length)];
  if (int(r, 4) === 0) delete m[key];
  else Object.defineProperty(m, key, { value: randomValue(r, 2), enumerable: true, configurable: true, writable: true });
  return m;
}

function mutate(r: Rand, input: Uint8Array): Uint8Array {
  let b = Buffer.from(input);
  const at = () => int(r, Math.max(1, b.length));
  switch (int(r, 7)) {
    case 0: return b.subarray(0, at());
    case 1: { if (b.length) b[at()] ^= 1 << int(r, 8); return b; }
    case 2: { const i = at(); return Buffer.concat([b.subarray(0, i), Buffer.from([int(r, 256)]), b.subarray(i)]); }
    case 3: { const i = at(); return Buffer.concat([b.subarray(0, i), b.subarray(i + 1 + int(r, 8))]); }
    case 4: { if (b.length) b[at()] = [0, 0xff, 0x80, 0x7f, 0x1b, 0x9f, 0xbf][int(r, 7)]; return b; }
    case 5: {
      // A length field (at 2 in a message, 6 and 10 in a checkpoint) set to an edge value.
      const field = [2, 6, 10][int(r, 3)];
      if (b.length >= field + 4) b.writeUInt32BE([0, 1, 0xffffffff, 0x7fffffff, b.length, b.length - field][int(r, 6)] >>> 0, field);
      return b;
    }
    default: { const i = at(); b.fill(int(r, 256), i, Math.min(b.length, i + int(r, 64))); return b; }
  }
}

function frameCheckpoint(meta: Uint8Array, data: Uint8Array, version = 2): Uint8Array {
  const head = Buffer.alloc(18);
  head.write('WVCP', 0, 'latin1');
  head.writeUInt16BE(version, 4);
  head.writeUInt32BE(meta.length, 6);
  head.writeUInt32BE(data.length, 10);
  head.writeUInt32BE(crc32(data, crc32(meta)), 14);
  return Buffer.concat([head, meta, data]);
}

/** Recompute a checkpoint's CRC, so a mutation reaches the layers behind the checksum. */
function fixCrc(b: Uint8Array): Uint8Array {
  if (b.length < 18) return b;
  const out = Buffer.from(b);
  out.writeUInt32BE(crc32(out.subarray(18)), 14);
  return out;
}

function frameMessage(map: Uint8Array, rest: Uint8Array = new Uint8Array(0)): Uint8Array {
  const head = Buffer.alloc(6);
  head[0] = 0x57;
  head[1] = 1;
  head.writeUInt32BE(map.length, 2);
  return Buffer.concat([head, map, rest]);
}

let seeds: { checkpoint: Uint8Array[]; message: Uint8Array[] } | undefined;

/** The input of case `index` of a run seeded `seed`: the same bytes every time. */
export function caseBytes(target: FuzzTarget, seed: number, index: number): Uint8Array {
  seeds ??= { checkpoint: checkpointSeeds(), message: messageSeeds() };
  const r = rng((seed * 1_000_003 + index) >>> 0 || 1);
  const pool = seeds[target];
  const base = pool[int(r, pool.length)];
  const kind = int(r, 10);
  let bytes: Uint8Array;
  if (kind < 2) {
    // Structure-aware: a tweaked or random map, framed correctly.
    const headLength = target === 'checkpoint' ? 18 : 6;
    const metaLength = Buffer.from(base).readUInt32BE(target === 'checkpoint' ? 6 : 2);
    const original = cbor.decode(base.subarray(headLength, headLength + metaLength)) as Record<string, unknown>;
    const map = kind === 0 ? tweak(r, original) : randomMap(r, 0);
    let encoded: Uint8Array;
    try { encoded = cbor.encode(map); } catch { encoded = cbor.encode({}); }
    const rest = base.subarray(headLength + metaLength);
    bytes = target === 'checkpoint' ? frameCheckpoint(encoded, rest) : frameMessage(encoded, rest);
  } else {
    bytes = base;
  }
  for (let n = 1 + int(r, 3); n > 0; n--) bytes = mutate(r, bytes);
  if (target === 'checkpoint' && int(r, 2)) bytes = fixCrc(bytes);
  return bytes;
}

/** Decode one input and check the property; returns the outcome ('ok' or a code) or throws why it fails. */
function check(target: FuzzTarget, bytes: Uint8Array): string {
  if (target === 'checkpoint') {
    let cp: AnyCheckpoint;
    try {
      cp = decodeCheckpoint(bytes, { maxBytes: FUZZ_MAX_BYTES });
    } catch (err) {
      if (err instanceof CheckpointError) return err.code;
      throw err;
    }
    if (cp.kind === 'full' && cp.memory.length > FUZZ_MAX_BYTES) throw new Error(`decoded a ${cp.memory.length}-byte memory past the bound`);
    if (cp.kind === 'diff' && cp.pages.reduce((n, p) => n + p.bytes.length, 0) > bytes.length) throw new Error('decoded more page bytes than the input holds');
    // A decoded value is a valid checkpoint: it encodes again (encoding validates), and
    // that decodes to the same memory.
    const again = decodeCheckpoint(encodeCheckpoint(cp), { maxBytes: FUZZ_MAX_BYTES });
    const size = (c: AnyCheckpoint) => (c.kind === 'full' ? c.memory.length : c.memoryLength);
    if (again.kind !== cp.kind || size(again) !== size(cp)) throw new Error('a decoded checkpoint does not survive encoding again');
    return 'ok';
  }
  let m: Record<string, unknown>;
  try {
    m = decodeMessage(bytes);
  } catch (err) {
    if (err instanceof ProtocolError) return err.code;
    throw err;
  }
  if (typeof m.kind !== 'string' || !MESSAGE_KINDS.has(m.kind) || m.v !== PROTOCOL_VERSION) throw new Error(`decoded an invalid envelope: kind ${String(m.kind)}, v ${String(m.v)}`);
  if (Object.getPrototypeOf(m) !== Object.prototype) throw new Error('the decoded map has a foreign prototype');
  let attached = 0;
  for (const v of Object.values(m)) if (v instanceof Uint8Array && v.buffer === bytes.buffer) attached += v.byteLength;
  if (attached > bytes.length) throw new Error('attachments larger than the input');
  return 'ok';
}

/** Run `cases` cases of `target` from `seed`; never throws, failures are in the report. */
export function fuzz(target: FuzzTarget, cases: number, seed: number): FuzzReport {
  const report: FuzzReport = { target, cases, decoded: 0, rejected: {}, maxMs: 0, failures: [] };
  for (let i = 0; i < cases; i++) {
    const bytes = caseBytes(target, seed, i);
    const t0 = performance.now();
    try {
      const outcome = check(target, bytes);
      if (outcome === 'ok') report.decoded++;
      else report.rejected[outcome] = (report.rejected[outcome] ?? 0) + 1;
    } catch (err) {
      if (report.failures.length < 20) report.failures.push({ seed, index: i, error: `${(err as Error)?.name}: ${(err as Error)?.message ?? err}` });
    }
    report.maxMs = Math.max(report.maxMs, performance.now() - t0);
  }
  return report;
}
