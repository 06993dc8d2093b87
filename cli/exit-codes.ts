/**
 * Exit codes, one per cause, so a script can tell a program bug from a missing hub or a
 * wrong password without reading stderr. docs/cli.md lists them; every command's --help
 * ends with the ones it can return.
 *   process.exitCode = exitCodeFor(err);
 */
// fragments/errors.js, not fragments/index.js: that loads the compiler, seconds at every start.
import { CompileError, ManifestError, WeaveBuildError } from '../fragments/errors.js';
import { ExecError, FragmentTrap } from '../runtime/exec/index.js';
import { DecisionLogError, MeasurementLogError } from '../runtime/policy/index.js';
import { TraceError } from '../runtime/trace/index.js';
import { JobError } from '../runtime/engine/index.js';
import { HubConfigError } from '../runtime/hub/index.js';
import { UsageError } from './command.js';
import { ConfigError } from './config.js';
export const EXIT = {
  ok: 0,
  /** Anything not below: a hub failed, NATS dropped mid-job, an internal error. */
  failed: 1,
  /** Usage, files, build errors, a module or checkpoint weave cannot use, a bad config. */
  badInput: 2,
  /** The program trapped, or hit a sandbox limit (memory, stack). */
  trap: 3,
  /** No live hub, or none with what the job requires (weave build --require), before the job's --timeout. */
  noHubs: 4,
  /** A deadline passed while the job ran: its --timeout, the sandbox's --deadline-ms, or a wait with nobody answering. */
  timeout: 5,
  /** NATS refused the credentials or the TLS handshake. */
  auth: 6,
  /** The NATS server cannot be reached. */
  unreachable: 7,
  /** The job was cancelled (weave jobs cancel, Ctrl-C twice): no result. */
  cancelled: 8,
  /** Ctrl-C on a job with a record: detached, the job runs on. */
  detached: 130,
} as const;

/** Error classes that mean the user's input is wrong, when their code names no other cause. */
const INPUT_ERRORS: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  UsageError, ConfigError, CompileError, WeaveBuildError, ManifestError, DecisionLogError, MeasurementLogError, TraceError, ExecError, JobError, HubConfigError,
];

/** Error codes (the `code` of ExecError, HubError, TransportError, JobError) by cause. */
const BY_CODE: Record<string, number> = {
  trap: EXIT.trap, 'start-trap': EXIT.trap, 'memory-limit': EXIT.trap, 'stack-limit': EXIT.trap,
  'no-hubs': EXIT.noHubs, 'no-capable-hub': EXIT.noHubs,
  'deadline-exceeded': EXIT.timeout, timeout: EXIT.timeout,
  auth: EXIT.auth,
  connect: EXIT.unreachable,
  cancelled: EXIT.cancelled,
  'bad-module': EXIT.badInput, 'import-denied': EXIT.badInput,
};

/** The cause's code first (an ExecError may be a sandbox limit, a JobError a missing hub), then the class (by instanceof, not by name). */
export function exitCodeFor(e: Error): number {
  if (e instanceof FragmentTrap) return EXIT.trap;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && Object.hasOwn(BY_CODE, code)) return BY_CODE[code];
  return INPUT_ERRORS.some((c) => e instanceof c) ? EXIT.badInput : EXIT.failed;
}

/** The table as --help prints it. */
export const EXIT_HELP = `exit codes: 0 ok, 1 failed (a hub failed, NATS dropped), 2 bad input (usage, files, build,
config), 3 the program trapped or hit a sandbox limit, 4 no live hub has what the job
requires (or none came before --timeout), 5 a deadline passed while the job ran, 6 NATS
refused the credentials or TLS, 7 NATS unreachable, 8 the job was cancelled, 130 detached
by Ctrl-C (the job runs on)`;
