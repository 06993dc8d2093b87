/**
 * Errors of the snapshot part: everything the codec and the diff functions reject.
 *
 * Checkpoints cross process and hub boundaries, so callers branch on the stable `code`
 * rather than on message text. Usage:
 *   try { decodeCheckpoint(bytes); }
 *   catch (err) { if (err instanceof CheckpointError && err.code === 'checksum') refetch(); }
 */

/**
 * Why a checkpoint was rejected. Stable across releases: hubs report it over the wire.
 * - 'truncated': the bytes end before the header or the meta and data it declares do.
 * - 'checksum': meta and data do not match their CRC-32; the bytes were corrupted.
 * - 'version': the format version is not the one this runtime reads.
 * - 'malformed': not a checkpoint at all, undecodable CBOR, a field out of schema, page
 *   indices unsorted or out of range, or data that does not match the listed pages.
 * - 'base-mismatch': a diff was paired with a checkpoint it was not taken against.
 * - 'too-large': the input, or the memory a full checkpoint decodes to, exceeds the
 *   caller's size limit (`maxBytes`).
 */
export type CheckpointErrorCode =
  | 'truncated'
  | 'checksum'
  | 'version'
  | 'malformed'
  | 'base-mismatch'
  | 'too-large';

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckpointError';
    this.code = code;
  }
}
