/**
 * The reserved state area at the bottom of every woven module's linear memory.
 *
 * The rebase pass moves the program's own memory up by RESERVED_BYTES, so the area below
 * belongs to weave alone: the AssemblyScript allocator can never hand it out, and it is
 * captured with the rest of memory, so a checkpoint holds frames, globals and the Asyncify
 * stack without any extra fields. Usage:
 *   const layout = defaultLayout();
 *   view.setUint32(layout.asyncifyHeader, layout.asyncifyStart, true);
 */

export const WASM_PAGE = 65536;

/** Bytes reserved below the program's memory: two Wasm pages. */
export const RESERVED_BYTES = 2 * WASM_PAGE;

export interface StateLayout {
  /** Bytes below the program's memory that weave owns. */
  reserved: number;
  /** Asyncify data header: u32 current position, u32 end of the unwind buffer. */
  asyncifyHeader: number;
  /** Where mutable globals are spilled before a capture (8 bytes each, 16 for v128). */
  globalsStart: number;
  globalsEnd: number;
  /** Frames of the split functions: locals, next fragment, result. */
  framesStart: number;
  framesEnd: number;
  /** Asyncify unwind buffer: the paused call stack. */
  asyncifyStart: number;
  asyncifyEnd: number;
}

export function defaultLayout(): StateLayout {
  return {
    reserved: RESERVED_BYTES,
    asyncifyHeader: 16,
    globalsStart: 64,
    globalsEnd: 8192,
    framesStart: 8192,
    framesEnd: 24576,
    asyncifyStart: 24576,
    asyncifyEnd: RESERVED_BYTES,
  };
}
