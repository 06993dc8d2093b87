/**
 * The shape every CLI command has, and the one place arguments are parsed.
 *   export const build: Command = { name: 'build', usage, summary, options, run };
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  summary: string;
  /** Full --help text. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
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
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true, allowNegative: false } as ParseArgsConfig);
    return { values: values as Record<string, any>, positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nrun 'weave ${cmd.name} --help' for usage`);
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
