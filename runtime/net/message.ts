/**
 * Protocol messages on the wire: CBOR maps (cbor-x, `useRecords: false`, so any CBOR
 * decoder reads them) with a `kind` and a protocol version `v`.
 *
 * Decoding checks the envelope only (a map, a known kind, the version this build speaks);
 * each receiver checks the fields it uses. Anything else is a ProtocolError, which a hub
 * turns into a typed error reply and a log line, never a crash.
 *   const bytes = encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION });
 *   const msg = decodeMessage(bytes);   // throws ProtocolError
 */
import { Encoder } from 'cbor-x';
import { PROTOCOL_VERSION } from '../hub/protocol.js';

const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

/** Kinds this build knows. */
export const MESSAGE_KINDS = new Set([
  'exec', 'ran', 'need-bundle', 'error', 'drop-job', 'ok', 'ping', 'pong', 'advert', 'discover', 'bundle', 'bundle-bytes',
]);

export class ProtocolError extends Error {
  constructor(readonly code: 'malformed' | 'version' | 'unknown-kind', message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface Message { kind: string; v: number; [field: string]: unknown }

export function encodeMessage(msg: Message): Uint8Array {
  return cbor.encode(msg);
}

export function decodeMessage(bytes: Uint8Array): Message {
  let value: unknown;
  try {
    value = cbor.decode(bytes);
  } catch (e) {
    throw new ProtocolError('malformed', `not a CBOR message (${bytes.byteLength} bytes): ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ProtocolError('malformed', 'message is not a CBOR map');
  }
  const m = value as Record<string, unknown>;
  if (typeof m.kind !== 'string') throw new ProtocolError('malformed', "message has no 'kind'");
  if (m.v !== PROTOCOL_VERSION) throw new ProtocolError('version', `protocol version ${String(m.v)} is not supported (this build speaks ${PROTOCOL_VERSION})`);
  if (!MESSAGE_KINDS.has(m.kind)) throw new ProtocolError('unknown-kind', `unknown message kind '${m.kind}'`);
  return m as Message;
}
