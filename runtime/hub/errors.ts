/**
 * Errors of hubs, transports and the weaving engine.
 *   catch (e) { if (e instanceof TransportError) retryElsewhere() }
 */

/** A hub could not be reached, or died while serving a request. */
export class TransportError extends Error {
  readonly code = 'transport';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransportError';
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
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JobError';
  }
}
