/**
 * The protocol: one schema per message kind (its type and its validator), the framing
 * every message travels in, and the coded errors every layer shares. The bottom layer:
 * it imports nothing of weave but runtime/util.
 *   const bytes = encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION });
 *   const msg = parseMessage(decodeMessage(bytes), ['ping']);   // throws ProtocolError
 */
export { PROTOCOL_VERSION } from './version.js';
export { CodedError, ProtocolError, TransportError, HubError, isProgramTrap, type WireError, type ProtocolErrorCode, type TransportErrorCode } from './errors.js';
export { encodeMessage, decodeMessage, type EncodeMessageOptions, type RawMessage } from './framing.js';
export { parseMessage, SCHEMAS, MESSAGE_KINDS, HUB_REQUEST_KINDS, type HubRequest, type Message, type MessageKind, type MessageOf, type Envelope } from './messages.js';
export { parseWith, isSubjectToken, type MessageSchema } from './schema.js';
export { EXEC, type ExecRequest, type RecoveryNote } from './exec.js';
export {
  RAN, ERROR, OK, PONG, NEED_BUNDLE,
  type RanReply, type ErrorReply, type OkReply, type PongReply, type NeedBundleReply, type HubReply, type DataStats,
} from './replies.js';
export {
  ADVERT, PROGRESS, MOVE, FENCE, DROP_JOB, PING, DRAIN, DISCOVER, HEARTBEAT, HUB_STATES,
  type HubAdvert, type HubState, type ProgressEvent, type MoveRequest, type FenceMessage, type HeartbeatMessage, type DropJobRequest, type PingRequest, type DiscoverRequest,
} from './mesh.js';
export { BUNDLE, BUNDLE_BYTES, DATA_READ, DATA_BYTES, MAX_DATA_READ_BYTES, type BundleRequest, type BundleBytes, type DataRequest, type DataBytes } from './data.js';
export { argBytes, MAX_ARGS, MAX_ARG_BYTES, type ArgValue } from './args.js';
