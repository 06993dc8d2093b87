/**
 * Every command of both binaries, so that weave.config.json can be checked whole (a key
 * one binary does not take may be the other's) and `weave config` can show any of them.
 */
import type { Command } from '../command.js';
import { build } from './build.js';
import { run } from './run.js';
import { inspect } from './inspect.js';
import { hubs } from './hubs.js';
import { policy } from './policy.js';
import { configCommand } from './config.js';
import { jobs } from './jobs.js';
import { trace } from './trace.js';
import { hubStart } from './hub-start.js';
import { completionCommand } from './completion.js';

const config = configCommand(() => ALL_COMMANDS);
const completion = completionCommand(() => ALL_COMMANDS);
export const WEAVE_COMMANDS: Command[] = [build, run, inspect, hubs, jobs, policy, trace, config, completion];
export const HUB_COMMANDS: Command[] = [hubStart];

export const ALL_COMMANDS: Array<{ bin: string; cmd: Command }> = [
  ...WEAVE_COMMANDS.map((cmd) => ({ bin: 'weave', cmd })),
  ...HUB_COMMANDS.map((cmd) => ({ bin: 'hub', cmd })),
];
