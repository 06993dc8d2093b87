/**
 * Errors of trace files.
 *   catch (e) { if (e instanceof TraceError) console.error(e.message) }  // "job.ndjson:12: not a JSON object"
 */

/** A trace file that cannot be read as job events; the message starts with `file:line:`. */
export class TraceError extends Error {
  constructor(message: string, readonly file?: string, readonly line?: number, options?: ErrorOptions) {
    super(file === undefined ? message : `${file}${line === undefined ? '' : `:${line}`}: ${message}`, options);
    this.name = 'TraceError';
  }
}
