/** `weave config [COMMAND]`: what each setting of a command is, and where it comes from. */
import { UsageError, type Command } from '../command.js';
import { CONFIG_FILE, envName, resolveConfig } from '../config.js';

/** Every command of both binaries (cli/commands/index.ts hands them in, so this file does not import its own list). */
type AllCommands = () => Array<{ bin: string; cmd: Command }>;

export const configCommand = (all: AllCommands): Command => ({
  name: 'config',
  summary: 'show the settings a command gets from the environment and weave.config.json',
  help: `usage: weave config [run | build | hubs | policy | inspect | hub start] [--json]

Options come from, in this order: the flags typed, then the environment, then
${CONFIG_FILE} (in the working directory, or the file $WEAVE_CONFIG names; none:
no file), then
the command's defaults (in its --help). The environment variable for a flag is
WEAVE_ and the flag in capitals (--checkpoint-every: WEAVE_CHECKPOINT_EVERY;
booleans 1 or 0; repeatable flags comma-separated), except NATS_URL for --nats and
NATS_TLS_CA, NATS_TLS_CERT, NATS_TLS_KEY, NATS_CREDS, NATS_NKEY for the others.
In ${CONFIG_FILE}, top-level keys are flags (without --) for every command that
takes them; a key naming a command holds that command's own, and wins:
  { "nats": "nats://10.0.0.5:4222",
    "weave run": { "checkpoint-every": ["20000", "2s"], "policy": "learned" },
    "hub start": { "slots": 4, "label": ["zone=eu"] } }
--help and --attach are never read from either.

Prints, for the command (default: run), each setting given by the environment or
the file: its value and where it came from; then the variable each other setting
would be read from.

options:
  --json      print one JSON object: { command, file, settings: { flag: { value, from, where } } }
  -h, --help  show this help

exit codes: 0 shown, 2 bad input (an unknown command, a bad ${CONFIG_FILE} or WEAVE_* value)`,
  options: { json: { type: 'boolean' } },
  async run(values, positionals) {
    const ALL_COMMANDS = all();
    const words = positionals.length ? positionals : ['run'];
    const wanted = words[0] === 'weave' ? words.slice(1).join(' ') : words.join(' ');
    const target = ALL_COMMANDS.find((c) => (c.bin === 'weave' ? c.cmd.name : `${c.bin} ${c.cmd.name}`) === wanted);
    if (!target) throw new UsageError(`no command '${wanted}'; give one of: ${ALL_COMMANDS.map((c) => (c.bin === 'weave' ? c.cmd.name : `${c.bin} ${c.cmd.name}`)).join(', ')}`);
    const { values: got, sources, file } = resolveConfig(target.bin, target.cmd, {}, process.env, process.cwd(), ALL_COMMANDS);
    const name = `${target.bin} ${target.cmd.name}`;
    const settings = Object.fromEntries(Object.entries(sources).map(([flag, s]) => [flag, { value: got[flag], from: s.from, where: s.where }]));
    if (values.json) {
      process.stdout.write(JSON.stringify({ command: name, file: file ?? null, settings }) + '\n');
      return 0;
    }
    const lines = [`${name}: ${file ? `reading ${file}` : `no ${CONFIG_FILE} here`}`];
    for (const [flag, s] of Object.entries(settings)) lines.push(`  --${flag} ${JSON.stringify(s.value)}  (${s.from}: ${s.where})`);
    const rest = Object.keys(target.cmd.options).filter((f) => !(f in settings) && f !== 'attach');
    if (rest.length) lines.push(`  the rest from their flags or defaults; environment: ${rest.map(envName).join(', ')}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
});
