/**
 * Errors of the hub layer. Hubs' refusals travel as `error` replies with a code (the
 * protocol's HubError on the engine's side); what stays here is the hub's own setup.
 *   catch (e) { if (e instanceof MetricsError) console.error(e.message) }   // "cannot serve metrics on …: the port is in use"
 */
import { CodedError } from '../protocol/index.js';

/** A hub cannot start as configured (a bad name, slot count or dataset name). */
export class HubConfigError extends CodedError<'config'> {
  constructor(message: string, options?: ErrorOptions) {
    super('config', message, options);
    this.name = 'HubConfigError';
  }
}

/** The metrics endpoint cannot be served as asked (a bad port, one in use, a foreign host). */
export class MetricsError extends CodedError<'metrics'> {
  constructor(message: string, options?: ErrorOptions) {
    super('metrics', message, options);
    this.name = 'MetricsError';
  }
}
