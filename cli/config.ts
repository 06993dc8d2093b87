/**
 * Where a command's options come from, in one order for every command:
 *   flags  >  environment (NATS_URL, NATS_TLS_*, WEAVE_<FLAG>)  >  weave.config.json  >  defaults
 * The defaults are the commands' own (in their code and --help); this fills in what the
 * user did not type, and says where each value came from (`weave config`).
 *   const { values, sources } = resolveConfig('weave', run, parsed, process.env, process.cwd());
 *
 * weave.config.json (in the working directory, or the file $WEAVE_CONFIG names; 'none': no
 * file): top-level
 * keys are flags shared by every command that takes them; a key naming a command
 * ("weave run", "hub start") holds that command's own, and wins over the top level.
 *   { "nats": "nats://10.0.0.5:4222", "weave run": { "checkpoint-every": "2s" }, "hub start": { "slots": 4 } }
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseTree, type ParseError } from 'jsonc-parser';
import type { Command } from './command.js';

/** A bad weave.config.json or a bad WEAVE_* value: where it is and what to write instead. Exit code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Source = 'flag' | 'env' | 'config' | 'default';

export interface Resolved {
  values: Record<string, any>;
  /** Where each set option's value came from; options left to the command's default are absent. */
  sources: Record<string, { from: Source; where?: string }>;
  /** The config file read, if any. */
  file?: string;
}

export const CONFIG_FILE = 'weave.config.json';

/** Flags that are about one invocation, not a setting: never taken from env or file. */
const PER_INVOCATION = new Set(['help', 'attach']);

/** Environment names that predate WEAVE_<FLAG>, kept because NATS tools use them too. */
const ENV_ALIASES: Record<string, string> = {
  nats: 'NATS_URL', 'tls-ca': 'NATS_TLS_CA', 'tls-cert': 'NATS_TLS_CERT', 'tls-key': 'NATS_TLS_KEY', creds: 'NATS_CREDS', nkey: 'NATS_NKEY',
};

/** The environment variable for a flag: NATS_URL for --nats, WEAVE_CHECKPOINT_EVERY for --checkpoint-every. */
export function envName(flag: string): string {
  return ENV_ALIASES[flag] ?? `WEAVE_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * Fill `parsed` (the flags as typed) from the environment and the config file.
 * `commands`: every command of every binary, to tell a misspelt key from another
 * command's flag. Throws ConfigError naming the file, key and what is allowed.
 */
export function resolveConfig(
  bin: string, cmd: Command, parsed: Record<string, any>, env: NodeJS.ProcessEnv, cwd: string, commands: Array<{ bin: string; cmd: Command }> = [{ bin, cmd }],
): Resolved {
  const values: Record<string, any> = { ...parsed };
  const sources: Resolved['sources'] = {};
  for (const k of Object.keys(parsed)) sources[k] = { from: 'flag' };
  const settable = Object.keys(cmd.options).filter((f) => !PER_INVOCATION.has(f));

  for (const flag of settable) {
    if (values[flag] !== undefined) continue;
    const name = envName(flag);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    values[flag] = fromEnv(cmd, flag, raw, name);
    sources[flag] = { from: 'env', where: name };
  }

  // WEAVE_CONFIG=none: no file at all (the test suite runs so, whatever is in the tree).
  if (env.WEAVE_CONFIG === 'none') return { values, sources };
  const file = env.WEAVE_CONFIG || path.join(cwd, CONFIG_FILE);
  if (!env.WEAVE_CONFIG && !existsSync(file)) return { values, sources };
  const doc = readConfig(file);
  const sectionKey = `${bin} ${cmd.name}`;
  const section = checkConfig(file, doc, commands)[sectionKey] ?? {};
  for (const flag of settable) {
    if (values[flag] !== undefined) continue;
    const [v, key] = flag in section ? [section[flag], `"${sectionKey}": ${flag}`] : [doc[flag], flag];
    if (v === undefined) continue;
    values[flag] = fromConfig(cmd, flag, v, `${file}: ${key}`);
    sources[flag] = { from: 'config', where: `${path.relative(cwd, file) || file}: ${key}` };
  }
  return { values, sources, file };
}

function readConfig(file: string): Record<string, any> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file ($WEAVE_CONFIG names it)' : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}${where(text)}: not valid JSON (${(e as Error).message.split('\n')[0].replace(/, \.\.\..*$/s, '')})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${file}: must hold one JSON object, e.g. { "nats": "nats://127.0.0.1:4222" }`);
  return doc as Record<string, any>;
}

/**
 * Where JSON.parse failed, as :line:column of the first byte that cannot belong, from
 * jsonc-parser's strict scan (no comments, no trailing commas): it names the offending
 * token; inside a misspelt literal (`tru`), the byte where it stops being one.
 */
function where(text: string): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (!errors.length) return '';
  const { offset, length } = errors[0];
  const at = offset + literalPrefix(text.slice(offset, offset + length));
  const before = text.slice(0, at).split('\n');
  return `:${before.length}:${before[before.length - 1].length + 1}`;
}

/** How much of `token` begins a JSON literal (`tru` of `true`: 3). */
function literalPrefix(token: string): number {
  let most = 0;
  for (const word of ['true', 'false', 'null']) {
    let k = 0;
    while (k < token.length && k < word.length && token[k] === word[k]) k++;
    most = Math.max(most, k);
  }
  return most;
}

/** Every key is a known flag or command section; sections hold only that command's flags. */
function checkConfig(file: string, doc: Record<string, any>, commands: Array<{ bin: string; cmd: Command }>): Record<string, Record<string, any>> {
  const sections = new Map(commands.map((c) => [`${c.bin} ${c.cmd.name}`, c.cmd]));
  const anyFlag = new Set(commands.flatMap((c) => Object.keys(c.cmd.options)));
  for (const [key, v] of Object.entries(doc)) {
    const sub = sections.get(key);
    if (sub) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`${file}: "${key}" must be an object of its flags, e.g. { "${Object.keys(sub.options)[0]}": … }`);
      for (const flag of Object.keys(v)) {
        if (!(flag in sub.options) || PER_INVOCATION.has(flag)) {
          throw new ConfigError(`${file}: "${key}" has no setting "${flag}"; it takes: ${Object.keys(sub.options).filter((f) => !PER_INVOCATION.has(f)).join(', ')}`);
        }
      }
    } else if (!anyFlag.has(key) || PER_INVOCATION.has(key)) {
      throw new ConfigError(`${file}: unknown key "${key}"; top-level keys are flags without "--" (e.g. "nats"), or a command: ${[...sections.keys()].map((s) => `"${s}"`).join(', ')}`);
    }
  }
  return Object.fromEntries([...sections.keys()].filter((k) => k in doc).map((k) => [k, doc[k]]));
}

/** A WEAVE_* value: booleans 1/true/0/false, repeatable flags comma-separated. */
function fromEnv(cmd: Command, flag: string, raw: string, name: string): unknown {
  const opt = cmd.options[flag];
  if (opt.type === 'boolean') {
    if (/^(1|true|yes)$/i.test(raw)) return true;
    // Off is kept as false, not left unset: it must still win over the config file.
    if (/^(0|false|no)$/i.test(raw)) return false;
    throw new ConfigError(`${name}=${raw}: --${flag} is on or off; set ${name}=1 or ${name}=0`);
  }
  return opt.multiple ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
}

/** A config file value, as the flag parser would have given it (strings, booleans, string lists). */
function fromConfig(cmd: Command, flag: string, v: unknown, where: string): unknown {
  const opt = cmd.options[flag];
  if (opt.type === 'boolean') {
    if (typeof v !== 'boolean') throw new ConfigError(`${where} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }
  const one = (x: unknown) => {
    if (typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))) return String(x);
    throw new ConfigError(`${where} must be a string or number${opt.multiple ? ' (or a list of them)' : ''}, got ${JSON.stringify(x)}`);
  };
  if (opt.multiple) return (Array.isArray(v) ? v : [v]).map(one);
  return one(v);
}
