/**
 * Errors of the build side. Every failure a user can cause names what to fix.
 *   try { await buildBundle(src) } catch (e) { if (e instanceof CompileError) print(e.message) }
 */

/** The AssemblyScript source did not compile; `message` lists file:line:column diagnostics. */
export class CompileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CompileError';
  }
}

/** A Wasm module could not be woven (unsupported construct, layout overflow, bad input). */
export class WeaveBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WeaveBuildError';
  }
}

/** A bundle's manifest is missing, corrupt, or from another format version. */
export class ManifestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManifestError';
  }
}
