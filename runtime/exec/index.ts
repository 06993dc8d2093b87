/**
 * Fragment execution: instantiate a module of a woven bundle, run fragments, pause at
 * yield points, capture and restore exact checkpoints.
 *   const x = await FragmentExecutor.create(module, manifest);
 *   x.start('main', args); const out = x.run(manifest.entries[0].fragments[0]);
 */
export { FragmentExecutor, type RunOutcome, type RunOptions } from './executor.js';
export { ExecError, FragmentTrap, AbortSignalError } from './errors.js';
export { makeHostImports, readAsString, type HostHooks } from './host.js';
export { loadBundle, type LoadedBundle } from './bundle.js';
export { formatResult, parseArgs, decodeValue, valueSize } from './values.js';
