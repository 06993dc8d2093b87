/**
 * The shared top of `weave` and `hub`: dispatch to a command, fill its options from the
 * environment and weave.config.json (cli/config.ts), print errors once, exit by cause.
 *   process.exitCode = await main('weave', summary, commands, argv);
 */
import { parse, type Command } from './command.js';
import { resolveConfig } from './config.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { ALL_COMMANDS } from './commands/index.js';
import { closest } from './suggest.js';
import { versionText } from './version.js';

/**
 * Output piped into a reader that closes early (`weave hubs | head -1`) must not crash:
 * Node reports the closed pipe as an 'error' event (EPIPE) on the stream, unhandled by
 * default. The reader has what it wanted; exit as a command-line tool does, quietly.
 */
function quietOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/**
 * How long a process may stay up once its command is done. It exits when nothing is left
 * open, which is at once as a rule; but in a chaos run a `weave run` whose job ended just
 * as the NATS server restarted printed its result and stayed up for 115 s, something of
 * the reconnecting connection still open after its close gave up waiting. A script or a
 * service manager waiting on the process must not wait on that.
 */
export const EXIT_GRACE_MS = 5000;

/**
 * End the process EXIT_GRACE_MS from now if something still keeps it up, with the exit
 * code already set. The timer is unref'd: it never keeps the process up itself.
 */
export function exitWithinGrace(): void {
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

export async function main(bin: string, summary: string, commands: Command[], argv: string[]): Promise<number> {
  quietOnClosedPipes();
  const usage = () => `usage: ${bin} <command> [options]\n\n${summary}\n\ncommands:\n` +
    commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n') +
    `\n\nrun '${bin} <command> --help' (or '${bin} help <command>') for a command's options; '${bin} --version' for the version`;
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(versionText(bin) + '\n');
    return EXIT.ok;
  }
  if (name === 'help' && rest.length) return main(bin, summary, commands, [rest[0], '--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT.ok : EXIT.badInput;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    const guess = closest(name, commands.map((c) => c.name));
    process.stderr.write(`${bin}: unknown command '${name}'${guess ? `; did you mean '${bin} ${guess}'?` : ''}\ncommands are: ${commands.map((c) => c.name).join(', ')}\n`);
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
