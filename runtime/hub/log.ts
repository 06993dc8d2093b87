/**
 * Structured logs on stderr, so stdout stays free for results. As JSON lines when stderr
 * is not a terminal (`hub start 2>&1 | jq` works), pretty lines on a terminal
 * (runtime/hub/log-pretty.ts); WEAVE_LOG_FORMAT=json|pretty (`hub start --log-format`)
 * decides instead. Level from WEAVE_LOG_LEVEL (debug, info, warn, error). JSON lines are
 * pino's (`level` as a name, `time` as ISO 8601), written synchronously.
 *   const log = createLogger({ hub: 'a' }); log.info('ready', { slots: 2 });
 *   // {"level":"info","time":"…","hub":"a","msg":"ready","slots":2}
 */
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { pino, stdTimeFunctions } from 'pino';
import { prettyLine } from './log-pretty.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/**
 * The format lines take: WEAVE_LOG_FORMAT when it names one, else pretty when stderr is
 * a terminal. isatty(2), not process.stderr.isTTY: a slot's worker thread writes fd 2
 * directly, and its process.stderr is no terminal.
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const wanted = env.WEAVE_LOG_FORMAT as LogFormat | undefined;
  if (wanted && LOG_FORMATS.includes(wanted)) return wanted;
  return isatty(2) ? 'pretty' : 'json';
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * A logger whose every line carries `base` (say, the hub id). `write` replaces stderr
 * (tests); it gets whole lines, newline included. An unknown WEAVE_LOG_LEVEL means info:
 * a typo in the environment must not stop a hub.
 */
export function createLogger(base: Record<string, unknown>, write?: (line: string) => void): Logger {
  const wanted = process.env.WEAVE_LOG_LEVEL as LogLevel | undefined;
  const p = pino({
    base,
    level: wanted && LEVELS.includes(wanted) ? wanted : 'info',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  // Synchronous: a hub that exits right after a fatal line must not lose it, and worker
  // threads write their own lines (fd 2 directly, not through the main thread).
  }, write ? { write } : logFormat() === 'pretty'
    ? { write: (line: string) => { writeSync(2, prettyLine(line, isatty(2) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb')); } }
    : pino.destination({ fd: 2, sync: true }));
  // The message goes in the object, ahead of the fields, not as pino's trailing `msg`:
  // a line reads message first, and `"msg":"x","code":…` stays greppable as before.
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => p[level]({ msg, ...fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (library use, tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
