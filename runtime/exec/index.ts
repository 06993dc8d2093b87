/**
 * Fragment execution: instantiate a module of a woven bundle, run fragments, pause at
 * yield points, capture and restore exact checkpoints.
 *   const x = await FragmentExecutor.create(module, manifest);
 *   x.start('main', args); const out = x.run(manifest.entries[0].fragments[0]);
 */
export { FragmentExecutor, type RunOutcome, type RunOptions, type ExecutorLimits } from './executor.js';
export { ExecError, FragmentTrap, AbortSignalError, type ExecErrorCode } from './errors.js';
export { resolveSandboxLimits, DEFAULT_MAX_MEMORY_PAGES, DEFAULT_DEADLINE_MS, DEFAULT_HARD_DEADLINE_GRACE_MS, SANDBOX_ENV, type SandboxLimits, type ResolvedSandboxLimits } from './limits.js';
export { capMemory } from './memory-limit.js';
export { makeHostImports, readAsString, allowedImports, checkImports, type HostHooks } from './host.js';
export { loadBundle, type LoadedBundle, type LoadBundleOptions } from './bundle.js';
export { decodeValue, valueSize } from './values.js';
export { parseArgs, lowerArgs, liftResult, decodeResult, formatResult, paramTypes, resultType, typeName, argBytes, describeArgs, type ArgValue, type ResultValue } from './boundary.js';
export { DEFAULT_MAX_RESULT_BYTES } from './executor.js';
