/**
 * A host call the fragment made cannot be carried out (a range outside its memory, an
 * output that overlaps an input, an output too large). Thrown inside the call, it traps
 * the fragment; the message names the call.
 */
export class HostCallError extends Error {
  readonly code = 'host-call';
  constructor(message: string) {
    super(message);
    this.name = 'HostCallError';
  }
}
