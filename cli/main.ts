/**
 * The shared top of `weave` and `hub`: dispatch to a command, print errors once.
 *   process.exitCode = await main('weave', summary, commands, argv);
 */
import { parse, UsageError, type Command } from './command.js';

/** Exit codes: 0 ok, 1 runtime failure (trap, hub), 2 bad input (usage, files, build). */
export async function main(bin: string, summary: string, commands: Command[], argv: string[]): Promise<number> {
  const usage = () => `usage: ${bin} <command> [options]\n\n${summary}\n\ncommands:\n` +
    commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n') + `\n\nrun '${bin} <command> --help' for a command's options`;
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`${bin}: unknown command '${name}'; commands are: ${commands.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  try {
    const { values, positionals } = parse(cmd, rest);
    if (values.help) {
      process.stdout.write(cmd.help + '\n');
      return 0;
    }
    return await cmd.run(values, positionals);
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`${bin} ${name}: ${e.message}\n`);
    return exitCodeFor(e);
  }
}

const INPUT_ERRORS = new Set(['UsageError', 'CompileError', 'WeaveBuildError', 'ManifestError', 'ExecError', 'JobError', 'DecisionLogError', 'TraceError']);

function exitCodeFor(e: Error): number {
  // A job no live hub can take (none up, none with what it requires) is the mesh's state, not bad input.
  if (e.name === 'JobError' && ((e as { code?: string }).code === 'no-hubs' || (e as { code?: string }).code === 'no-capable-hub')) return 1;
  return INPUT_ERRORS.has(e.name) ? 2 : 1;
}
