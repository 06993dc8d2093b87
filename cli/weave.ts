#!/usr/bin/env node
/**
 * `weave`: build, inspect and run fragment bundles. Parses the command line and catches
 * once: an error prints its message and sets an exit code that says its cause.
 *   weave build examples/matmul.ts -o build/matmul.wasm && weave run build/matmul.wasm 64 2
 */
import { main } from './main.js';
import { WEAVE_COMMANDS } from './commands/index.js';

/**
 * How long the process may stay up once its command is done. It exits when nothing is
 * left open, which is at once as a rule; but in a chaos run a `weave run` whose job ended
 * just as the NATS server restarted printed its result and stayed up for 115 s, something
 * of the connection's reconnecting still open after its close gave up waiting. A script
 * waiting on `weave` must not wait on that: past this, it exits with its code as it is.
 */
const EXIT_GRACE_MS = 5000;

process.exitCode = await main('weave', 'build, inspect and run WebAssembly fragment bundles', WEAVE_COMMANDS, process.argv.slice(2));
// Unref'd: it never keeps the process up, it only ends one that something else keeps up.
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
