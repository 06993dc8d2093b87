#!/usr/bin/env node
/**
 * `weave`: build, inspect and run fragment bundles. Parses the command line and catches
 * once: an error prints its message and sets an exit code that says its cause.
 *   weave build examples/matmul.ts -o build/matmul.wasm && weave run build/matmul.wasm 64 2
 */
import { exitWithinGrace, main } from './main.js';
import { WEAVE_COMMANDS } from './commands/index.js';

process.exitCode = await main('weave', 'build, inspect and run WebAssembly fragment bundles', WEAVE_COMMANDS, process.argv.slice(2));
exitWithinGrace();
