/**
 * The shared top of `weave` and `hub`: dispatch to a command, fill its options from the
 * environment and weave.config.json (cli/config.ts), print errors once, exit by cause.
 *   process.exitCode = await main('weave', summary, commands, argv);
 */
import { parse, type Command } from './command.js';
import { resolveConfig } from './config.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { ALL_COMMANDS } from './commands/index.js';

export async function main(bin: string, summary: string, commands: Command[], argv: string[]): Promise<number> {
  const usage = () => `usage: ${bin} <command> [options]\n\n${summary}\n\ncommands:\n` +
    commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n') + `\n\nrun '${bin} <command> --help' for a command's options`;
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT.ok : EXIT.badInput;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`${bin}: unknown command '${name}'; commands are: ${commands.map((c) => c.name).join(', ')}\n`);
    return EXIT.badInput;
  }
  let json = false;
  try {
    const parsed = parse(cmd, rest);
    json = !!(parsed.values.json || parsed.values.jsonl);
    if (parsed.values.help) {
      process.stdout.write(cmd.help + '\n');
      return EXIT.ok;
    }
    const { values } = resolveConfig(bin, cmd, parsed.values, process.env, process.cwd(), ALL_COMMANDS);
    json ||= !!(values.json || values.jsonl);
    return await cmd.run(values, parsed.positionals);
  } catch (err) {
    const e = err as Error;
    const code = exitCodeFor(e);
    process.stderr.write(`${bin} ${name}: ${e.message}\n`);
    // A script reading --json gets the failure as JSON too, not an empty stdout.
    if (json) process.stdout.write(JSON.stringify({ kind: 'error', error: { name: e.name, code: (e as { code?: unknown }).code ?? null, message: e.message, exit: code } }) + '\n');
    return code;
  }
}
