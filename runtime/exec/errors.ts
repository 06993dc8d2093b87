/**
 * Errors of fragment execution.
 *   try { x.run(id) } catch (e) { if (e instanceof FragmentTrap) report(e.fragment, e.message) }
 */

/** Misuse or a mismatch between a module, a manifest and a checkpoint. */
export class ExecError extends Error {
  readonly code = 'exec';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecError';
  }
}

/** The program trapped (unreachable, out of bounds, AssemblyScript abort) in a fragment. */
export class FragmentTrap extends Error {
  readonly code = 'trap';
  constructor(message: string, readonly fragment: number, readonly entry: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FragmentTrap';
  }

  static from(err: unknown, fragment: number, entry: string): FragmentTrap {
    if (err instanceof FragmentTrap) return err;
    const msg = err instanceof Error ? err.message : String(err);
    return new FragmentTrap(`trap in fragment ${fragment} of '${entry}': ${msg}`, fragment, entry, { cause: err });
  }

  /** Rebuild a trap sent from another thread or process. */
  static fromWire(w: { message: string; fragment: number; entry: string }): FragmentTrap {
    return new FragmentTrap(w.message, w.fragment, w.entry);
  }
}

/** Thrown by the `env.abort` import: carries the AssemblyScript message and location. */
export class AbortSignalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbortSignalError';
  }
}
