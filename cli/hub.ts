#!/usr/bin/env node
/**
 * `hub`: the hub daemon's command line.
 *   hub start --nats nats://127.0.0.1:4222
 */
import { exitWithinGrace, main } from './main.js';
import { HUB_COMMANDS } from './commands/index.js';

process.exitCode = await main('hub', 'run a weave hub daemon', HUB_COMMANDS, process.argv.slice(2));
// A drained hub is done: whatever its connection leaves open must not keep it up.
exitWithinGrace();
