/**
 * brain.js, loaded on first use. It (with gpu.js, which it pulls in) is some 85 CommonJS
 * files that every `weave`/`hub` process would otherwise parse at start-up, though only a
 * learned policy or the weaver's small net ever builds a network.
 *   const net = new (brainJs().NeuralNetwork)({ hiddenLayers: [12] });
 */
import { createRequire } from 'node:module';
import type brain from 'brain.js';

let loaded: typeof brain | undefined;

/** The brain.js module; the first call loads it (synchronously). */
export function brainJs(): typeof brain {
  loaded ??= createRequire(import.meta.url)('brain.js') as typeof brain;
  return loaded;
}
