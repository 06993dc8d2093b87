/**
 * A job's arguments as they travel (exec requests, job records): numbers, i64 as bigint,
 * strings and arrays as their bytes (runtime/exec/boundary.ts lowers and lifts them), or
 * null for a null reference. Bounded so that a request cannot make a hub allocate freely.
 *   if (argBytes(args) > MAX_ARG_BYTES) refuse();
 */
export type ArgValue = number | bigint | Uint8Array | null;

/** Arguments an exec may carry: an entry takes a handful. */
export const MAX_ARGS = 1024;
/** Bytes of all arguments together (strings and arrays are bounded in bytes). */
export const MAX_ARG_BYTES = 64 << 20;

/** The bytes `args` occupy: a byte string its length, anything else 8. */
export function argBytes(args: readonly ArgValue[]): number {
  let n = 0;
  for (const a of args) n += a instanceof Uint8Array ? a.byteLength : 8;
  return n;
}
