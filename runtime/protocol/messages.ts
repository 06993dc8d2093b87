/**
 * Every message kind, by name: its schema (so its type and validator) in one table. A
 * receiver decodes a frame (framing.ts), then checks it against the kinds it takes.
 *   const req = parseMessage(decodeMessage(bytes), ['exec', 'move', 'ping', 'drop-job']);
 *   if (req.kind === 'exec') req.bundle;   // typed, checked
 */
import type * as v from 'valibot';
import { EXEC } from './exec.js';
import { RAN, ERROR, OK, PONG, NEED_BUNDLE } from './replies.js';
import { ADVERT, DISCOVER, DRAIN, PING, PROGRESS, MOVE, FENCE, DROP_JOB, HEARTBEAT } from './mesh.js';
import { BUNDLE, BUNDLE_BYTES, DATA_READ, DATA_BYTES } from './data.js';
import { parseWith, type MessageSchema } from './schema.js';
import { ProtocolError } from './errors.js';

export const SCHEMAS = {
  exec: EXEC, ran: RAN, 'need-bundle': NEED_BUNDLE, error: ERROR, 'drop-job': DROP_JOB, ok: OK, ping: PING, pong: PONG,
  advert: ADVERT, discover: DISCOVER, bundle: BUNDLE, 'bundle-bytes': BUNDLE_BYTES, progress: PROGRESS,
  'data-read': DATA_READ, 'data-bytes': DATA_BYTES, move: MOVE, fence: FENCE, drain: DRAIN, heartbeat: HEARTBEAT,
} as const;

export type MessageKind = keyof typeof SCHEMAS;
export type MessageOf<K extends MessageKind> = v.InferOutput<(typeof SCHEMAS)[K]['schema']>;
/** Any message of the protocol, checked. */
export type Message = { [K in MessageKind]: MessageOf<K> }[MessageKind];

/** What a hub takes on its exec subject (and an embedded hub in `request`). */
export type HubRequest = MessageOf<'exec' | 'move' | 'drop-job' | 'ping'>;
/** The kinds of HubRequest. */
export const HUB_REQUEST_KINDS = ['exec', 'move', 'drop-job', 'ping'] as const satisfies readonly MessageKind[];

/** Kinds this build knows. */
export const MESSAGE_KINDS: ReadonlySet<string> = new Set(Object.keys(SCHEMAS));

/** A decoded frame before its fields are checked: a known kind and this version. */
export interface Envelope { kind: MessageKind; v: number; [field: string]: unknown }

/**
 * Check a decoded message against its kind's schema; with `accept`, only those kinds are
 * taken (another is refused as 'unknown-kind': "a hub does not take 'x' messages").
 * Throws ProtocolError.
 */
export function parseMessage<K extends MessageKind = MessageKind>(m: Envelope, accept?: readonly K[], who = 'this receiver'): MessageOf<K> {
  if (accept && !accept.includes(m.kind as K)) throw new ProtocolError('unknown-kind', `${who} does not take '${m.kind}' messages`);
  return parseWith(SCHEMAS[m.kind] as MessageSchema, m) as MessageOf<K>;
}
