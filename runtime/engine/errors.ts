/**
 * Errors of the weaving engine. Transport and hub failures are runtime/protocol's
 * (TransportError, HubError); a program trap is runtime/exec's FragmentTrap.
 *   catch (e) { if (e instanceof JobError && e.code === 'no-capable-hub') console.error(e.message) }
 */
import { CodedError } from '../protocol/index.js';

/**
 * 'no-hubs': none is up; 'no-capable-hub': none has what the job requires; 'timeout': the
 * job's deadline passed while it ran; 'cancelled': someone cancelled it; 'job': anything else.
 */
export type JobErrorCode = 'no-hubs' | 'no-capable-hub' | 'timeout' | 'cancelled' | 'job';

/** The job cannot run as asked (bad entry, bad arguments, no hubs). */
export class JobError extends CodedError<JobErrorCode> {
  constructor(message: string, options?: ErrorOptions & { code?: JobErrorCode }) {
    super(options?.code ?? 'job', message, options);
    this.name = 'JobError';
  }
}
