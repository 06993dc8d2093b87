/**
 * The errors every layer shares, on one coded base: each has a stable `code` that travels
 * in `error` replies (`toWire`) and comes back as the same class (`fromWire`), so callers
 * tell failures apart by class and code, never by message or name strings.
 *   try { await wire.request(subject, bytes) }
 *   catch (e) { if (e instanceof TransportError && e.code === 'no-responders') placeElsewhere() }
 */

/** What an `error` reply carries (docs/protocol.md, "Errors"). */
export interface WireError { code: string; message: string }

/** The base of weave's typed errors: a class per part, a stable `code` per cause. */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CodedError';
    this.code = code;
  }

  /** The fields of an `error` reply for this error. */
  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}

/** A message that cannot be used: no weave frame, another version, an unknown kind, a bad field. */
export type ProtocolErrorCode = 'malformed' | 'version' | 'unknown-kind';

export class ProtocolError extends CodedError<ProtocolErrorCode> {
  constructor(code: ProtocolErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ProtocolError';
  }
}

/**
 * Why a message did not get through. `no-responders`: nobody listens (fail fast, place
 * elsewhere); `timeout` and `hub-lost`: maybe busy or gone (retry with backoff); `connect`:
 * the NATS server cannot be reached at all; `auth`: it refused who we are.
 */
export type TransportErrorCode =
  | 'transport' | 'no-responders' | 'timeout' | 'hub-lost' | 'aborted' | 'send' | 'closed'
  | 'framing' | 'too-large' | 'connect' | 'auth';

/** A hub could not be reached, or died while serving a request. */
export class TransportError extends CodedError<TransportErrorCode> {
  constructor(message: string, options?: ErrorOptions & { code?: TransportErrorCode }) {
    super(options?.code ?? 'transport', message, options);
    this.name = 'TransportError';
  }
}

/**
 * Error reply codes that are the program's own doing, the same on any hub: the job traps
 * (exec's FragmentTrap), as plain asc would, rather than a hub failing it. 'start-trap':
 * the module's start function (its top-level code) trapped before any fragment ran.
 */
export function isProgramTrap(code: string): boolean {
  return code === 'trap' || code === 'start-trap';
}

/** A hub answered with an error reply (other than a program trap, which is exec's FragmentTrap: isProgramTrap). */
export class HubError extends CodedError {
  constructor(code: string, message: string, readonly hub?: string) {
    super(code, message);
    this.name = 'HubError';
  }

  static fromWire(w: WireError, hub?: string): HubError {
    return new HubError(w.code, hub ? `hub ${hub}: ${w.message}` : w.message, hub);
  }
}
