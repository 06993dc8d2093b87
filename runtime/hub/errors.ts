/**
 * Errors of hubs, transports and the weaving engine.
 *   catch (e) { if (e instanceof TransportError) retryElsewhere() }
 */

/**
 * Why a message did not get through. `no-responders`: nobody listens (fail fast, place
 * elsewhere); `timeout` and `hub-lost`: maybe busy or gone (retry with backoff); `connect`:
 * the NATS server cannot be reached at all.
 */
export type TransportErrorCode =
  | 'transport' | 'no-responders' | 'timeout' | 'hub-lost' | 'aborted' | 'send' | 'closed'
  | 'framing' | 'too-large' | 'connect' | 'auth';

/** A hub could not be reached, or died while serving a request. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;
  constructor(message: string, options?: ErrorOptions & { code?: TransportErrorCode }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = options?.code ?? 'transport';
  }
}

/** A hub answered with an error reply (other than a program trap). */
export class HubError extends Error {
  constructor(readonly code: string, message: string, readonly hub?: string) {
    super(message);
    this.name = 'HubError';
  }

  static fromWire(w: { code: string; message: string }, hub?: string): HubError {
    return new HubError(w.code, hub ? `hub ${hub}: ${w.message}` : w.message, hub);
  }
}

/** The job cannot run as asked (bad entry, bad arguments, no hubs). */
export class JobError extends Error {
  /** 'no-hubs': none is up; 'no-capable-hub': none has what the job requires. */
  readonly code: 'no-hubs' | 'no-capable-hub' | 'job';
  constructor(message: string, options?: ErrorOptions & { code?: JobError['code'] }) {
    super(message, options);
    this.name = 'JobError';
    this.code = options?.code ?? 'job';
  }
}

/** The metrics endpoint cannot be served as asked (a bad port, one in use, a foreign host). */
export class MetricsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MetricsError';
  }
}
