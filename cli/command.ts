/**
 * The shape every CLI command has, and the one place arguments are parsed.
 *   export const build: Command = { name: 'build', usage, summary, options, run };
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSubjectToken } from '../runtime/net/index.js';
import { closest } from './suggest.js';

export interface Command {
  name: string;
  summary: string;
  /** Full --help text. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** What follows `--` is for another program (asc): it arrives as `values['--']`, not as positionals. */
  passThrough?: string;
  run(values: Record<string, any>, positionals: string[]): Promise<number>;
}

/** A user error: printed as is, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parse(cmd: Command, argv: string[]): { values: Record<string, any>; positionals: string[] } {
  const cut = cmd.passThrough ? argv.indexOf('--') : -1;
  const own = cut < 0 ? argv : argv.slice(0, cut);
  try {
    // allowNegative: every boolean flag X also takes --no-X, which turns off what the
    // environment or weave.config.json turned on.
    const { values, positionals } = parseArgs({ args: own, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true, allowNegative: true } as ParseArgsConfig);
    if (cut >= 0) (values as Record<string, unknown>)['--'] = argv.slice(cut + 1);
    return { values: values as Record<string, any>, positionals };
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '(-{1,2})([^'=]+)/.exec(message);
    const flags = Object.entries(cmd.options).flatMap(([k, o]) => (o.type === 'boolean' ? [k, `no-${k}`] : [k]));
    const guess = unknown && unknown[1] === '--' ? closest(unknown[2], flags) : undefined;
    const hint = guess ? `; did you mean --${guess}?`
      : cmd.passThrough && unknown ? `\n${cmd.passThrough} options go after --, e.g. weave ${cmd.name} src/main.ts -- -O2` : '';
    throw new UsageError(`${message}${hint}\nrun 'weave ${cmd.name} --help' for usage`);
  }
}

/** Parse a whole number option; throws UsageError naming the flag. */
export function intOption(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${value}'`);
  }
  return Number(value);
}

/** A duration option in ms: `500ms`, `30s`, `5m`, `1h`, or bare seconds (`30`). Throws UsageError naming the flag. */
export function durationOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!m || !(ms >= 1) || ms > 2 ** 31 - 1) throw new UsageError(`${flag} takes a duration (500ms, 30s, 5m, 1h; a bare number is seconds), got '${value}'`);
  return Math.round(ms);
}

/** `NAME=VALUE` flags (repeatable) as a map. Throws UsageError naming the flag. */
export function pairs(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const at = item.indexOf('=');
    if (at < 1) throw new UsageError(`${flag} must be NAME=VALUE, got '${item}'`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

/** `--data NAME=PATH` flags: names checked, files present, paths absolute. */
export function datasetFlags(list: string[] | undefined): Record<string, string> {
  const datasets = pairs(list, '--data');
  for (const [name, p] of Object.entries(datasets)) {
    if (!isSubjectToken(name)) throw new UsageError(`--data ${name}=${p}: the name must be 1-64 letters, digits, '-' or '_'`);
    if (!existsSync(p)) throw new UsageError(`--data ${name}=${p}: no such file or directory`);
    datasets[name] = path.resolve(p);
  }
  return datasets;
}
