/**
 * Messages on the wire: a CBOR map (cbor-x, `useRecords: false`, so any CBOR decoder reads
 * it) with a `kind` and a protocol version `v`, framed so that large byte fields
 * (checkpoints, bundles) ride after the map as raw attachments instead of being copied
 * through the CBOR encoder:
 *
 *   'W' (0x57), framing version 1, u32 BE map length, CBOR map, attachments…
 *
 * The map's `$att` field lists [field, byteLength] pairs, in the order the attachments
 * follow. Decoding checks the frame and the envelope (a map, a known kind, the version
 * this build speaks); the kind's schema checks the fields (messages.ts). Anything else is
 * a ProtocolError, which a hub turns into a typed error reply and a log line, never a
 * crash. Attachments are views into the input bytes, not copies.
 *   const bytes = encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION });
 *   const msg = decodeMessage(bytes);   // throws ProtocolError
 */
import { Encoder, addExtension } from 'cbor-x';
import { ProtocolError } from './errors.js';
import { MESSAGE_KINDS, type Envelope, type Message } from './messages.js';
import { PROTOCOL_VERSION } from './version.js';

const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

/**
 * An f64 argument of -0: cbor-x writes -0 as the integer 0 (it tests `v >>> 0 === v`),
 * and a program that divides by it or copies its sign would see +0 on the hub. It
 * travels as a tagged 0 and decodes as -0.
 */
class NegativeZero {}
const NEGATIVE_ZERO = new NegativeZero();
addExtension({ Class: NegativeZero, tag: 40_960, encode: (_v: NegativeZero, encode: (x: unknown) => Uint8Array) => encode(0), decode: () => -0 });
const keepNegativeZero = (list: unknown[]) => (list.some((x) => Object.is(x, -0)) ? list.map((x) => (Object.is(x, -0) ? NEGATIVE_ZERO : x)) : list);
const FRAME_MAGIC = 0x57;
const FRAME_VERSION = 1;
const FRAME_HEADER = 6;
/** Byte fields at least this long travel as attachments. */
const ATTACH_MIN = 512;

export interface EncodeMessageOptions {
  /**
   * A byte field whose buffer has free room before it (see encodeCheckpoint's
   * `headroom`): when it is the only attachment and the frame fits there, the frame is
   * written into that room and the result is a view ending with the field's bytes, so a
   * large checkpoint is not copied again. The caller gives up those bytes. Otherwise the
   * message is encoded as usual.
   */
  inPlace?: string;
}

/** Any map with a kind and a version: encoding checks nothing (tests send hostile ones); receivers check. */
export interface RawMessage { kind: string; v: number; [field: string]: unknown }

/** Encode `msg`; fields that are undefined are left out. */
export function encodeMessage(msg: Message | RawMessage, opts: EncodeMessageOptions = {}): Uint8Array {
  const fields: Record<string, unknown> = {};
  const att: Array<[string, number]> = [];
  const blobs: Uint8Array[] = [];
  for (const [k, v] of Object.entries(msg)) {
    if (v === undefined) continue;
    if (v instanceof Uint8Array && v.byteLength >= ATTACH_MIN) {
      att.push([k, v.byteLength]);
      blobs.push(v);
    } else {
      // cbor-x writes a Buffer as a plain byte string, a Uint8Array as a typed-array tag.
      fields[k] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Array.isArray(v) ? keepNegativeZero(v) : v;
    }
  }
  if (att.length) fields.$att = att;
  const map = cbor.encode(fields);
  const head = FRAME_HEADER + map.byteLength;
  const only = blobs.length === 1 && att[0][0] === opts.inPlace ? blobs[0] : undefined;
  const out = only && only.byteOffset >= head
    ? new Uint8Array(only.buffer, only.byteOffset - head, head + only.byteLength)
    : new Uint8Array(head + blobs.reduce((n, b) => n + b.byteLength, 0));
  out[0] = FRAME_MAGIC;
  out[1] = FRAME_VERSION;
  new DataView(out.buffer, out.byteOffset).setUint32(2, map.byteLength);
  out.set(map, FRAME_HEADER);
  if (out.buffer === only?.buffer) return out;
  let at = head;
  for (const b of blobs) { out.set(b, at); at += b.byteLength; }
  return out;
}

/** Decode a frame and check its envelope (not yet its fields: parseMessage). Throws ProtocolError. */
export function decodeMessage(bytes: Uint8Array): Envelope {
  if (bytes.byteLength < FRAME_HEADER || bytes[0] !== FRAME_MAGIC) throw new ProtocolError('malformed', `not a weave message (${bytes.byteLength} bytes, no 'W' frame)`);
  if (bytes[1] !== FRAME_VERSION) throw new ProtocolError('version', `message framing version ${bytes[1]} is not supported (this build speaks ${FRAME_VERSION})`);
  const mapLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(2);
  if (FRAME_HEADER + mapLen > bytes.byteLength) throw new ProtocolError('malformed', `message map of ${mapLen} bytes overruns the ${bytes.byteLength}-byte message`);
  let value: unknown;
  try {
    // From a copy of the map: its byte fields (keys, signatures, tickets) are then views of
    // that copy, not of `bytes`, whose buffer a hub may hand to a slot with the checkpoint
    // in it (detaching every view of it). A map is a few hundred bytes; attachments stay views.
    value = cbor.decode(bytes.slice(FRAME_HEADER, FRAME_HEADER + mapLen));
  } catch (e) {
    throw new ProtocolError('malformed', `message map is not CBOR: ${(e as Error).message}`, { cause: e });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ProtocolError('malformed', 'message is not a CBOR map');
  }
  const m = value as Record<string, unknown>;
  let at = FRAME_HEADER + mapLen;
  if (m.$att !== undefined) {
    if (!Array.isArray(m.$att)) throw new ProtocolError('malformed', "'$att' must be a list of [field, length]");
    for (const a of m.$att as unknown[]) {
      if (!Array.isArray(a) || typeof a[0] !== 'string' || !Number.isSafeInteger(a[1]) || a[1] < 0 || a[0] === '$att') {
        throw new ProtocolError('malformed', "'$att' entries must be [field, length]");
      }
      if (at + a[1] > bytes.byteLength) throw new ProtocolError('malformed', `attachment '${a[0]}' of ${a[1]} bytes overruns the message`);
      m[a[0]] = bytes.subarray(at, at + a[1]);
      at += a[1];
    }
    delete m.$att;
  }
  if (at !== bytes.byteLength) throw new ProtocolError('malformed', `${bytes.byteLength - at} unexpected bytes after the message`);
  if (typeof m.kind !== 'string') throw new ProtocolError('malformed', "message has no 'kind'");
  if (m.v !== PROTOCOL_VERSION) throw new ProtocolError('version', versionMismatch(m.v));
  if (!MESSAGE_KINDS.has(m.kind)) throw new ProtocolError('unknown-kind', `unknown message kind '${m.kind}'`);
  return m as Envelope;
}

/** Says which side is older, so a mixed deployment knows what to upgrade. */
function versionMismatch(v: unknown): string {
  const head = `protocol version ${describe(v)} is not supported (this build speaks ${PROTOCOL_VERSION})`;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return head;
  const side = v < PROTOCOL_VERSION ? 'an older' : 'a newer';
  return `${head}: the sender runs ${side} weave; run one weave version on every hub and client`;
}

/** A decoded value for a message, safely: String() throws on a map whose toString is not a function. */
function describe(v: unknown): string {
  if (typeof v === 'string') return `${JSON.stringify(v.slice(0, 32))} (a string)`;
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return String(v);
  return Array.isArray(v) ? 'an array' : v instanceof Uint8Array ? `${v.byteLength} bytes` : 'a map';
}
