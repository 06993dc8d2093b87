/**
 * Small shared helpers every layer may use (they import nothing of weave): the retry
 * schedule, sleeping, bounded caches, a byte view's hex, reading ndjson files line by line,
 * and the seeded pseudo-random generator.
 *   const delays = backoff({ initialMs: 250, maxMs: 4000 });
 *   await sleep(delays(attempt));
 */
export { backoff, sleep, type Backoff, type BackoffOptions } from './backoff.js';
export { boundedMap } from './cache.js';
export { hex } from './hex.js';
export { ndjsonLines, type NdjsonLine } from './ndjson.js';
export { uniform, xorshift32 } from './random.js';
