/**
 * Errors of fragment execution.
 *   try { x.run(id) } catch (e) { if (e instanceof FragmentTrap) report(e.fragment, e.message) }
 *   catch (e) { if (e instanceof ExecError && e.code === 'deadline-exceeded') placeElsewhere() }
 */

/**
 * Why execution was refused or stopped. Stable: hubs send it as the `error` reply's code.
 * - 'exec': misuse, or a module, manifest and checkpoint that do not belong together.
 * - 'bad-module': the bytes are not a WebAssembly module weave can run.
 * - 'import-denied': the module imports something wit/weave-host.wit does not declare.
 * - 'start-trap': the module's start function (or its instantiation) trapped.
 * - 'memory-limit': the module's memory would exceed the sandbox's page limit.
 * - 'deadline-exceeded': the run passed its wall-clock deadline (checked at yield points,
 *   and by the hub thread's watchdog for code that never reaches one).
 * - 'stack-limit': runaway recursion, or a call stack at a pause deeper than the
 *   Asyncify buffer the sandbox allows.
 * - 'result-too-large': a string or array result is larger than a reply may carry.
 */
export type ExecErrorCode =
  | 'exec'
  | 'bad-module'
  | 'import-denied'
  | 'start-trap'
  | 'memory-limit'
  | 'deadline-exceeded'
  | 'stack-limit'
  | 'result-too-large';

/** Misuse, a mismatch between a module, a manifest and a checkpoint, or a sandbox limit hit. */
export class ExecError extends Error {
  readonly code: ExecErrorCode;
  constructor(message: string, options?: ErrorOptions & { code?: ExecErrorCode }) {
    super(message, options);
    this.name = 'ExecError';
    this.code = options?.code ?? 'exec';
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
