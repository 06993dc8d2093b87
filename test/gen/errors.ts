/**
 * The generator harness's own failures, told apart from what a generated program does
 * (a trap is an outcome, not an error): a misused choice, a seed without the export a
 * mismatch names, a kept regression file that cannot be read.
 *   throw new GenError(`seed 7 has no export 'e9'; exports are: e0, e1`);
 */
export class GenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GenError';
  }
}
