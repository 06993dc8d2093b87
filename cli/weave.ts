#!/usr/bin/env node
/**
 * `weave`: build, inspect and run fragment bundles. Parses the command line and catches
 * once: an error prints its message and sets a non-zero exit code.
 *   weave build examples/matmul.ts -o build/matmul.wasm && weave run build/matmul.wasm 64 2
 */
import { main } from './main.js';
import { build } from './commands/build.js';
import { run } from './commands/run.js';
import { inspect } from './commands/inspect.js';
import { hubs } from './commands/hubs.js';
import { policy } from './commands/policy.js';
import { trace } from './commands/trace.js';

process.exitCode = await main('weave', 'build, inspect and run WebAssembly fragment bundles', [build, run, inspect, hubs, policy, trace], process.argv.slice(2));
