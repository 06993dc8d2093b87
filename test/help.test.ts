/**
 * Every `--help` is true: each flag a command's help lists on an option line exists, and
 * each flag a command takes is listed. (Flags named in prose, like "give --nats", are not
 * counted: only lines that start with the flag.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_COMMANDS } from '../cli/commands/index.js';

const test = suite('help');

/** Flags on the option lines of a help text: lines that start (indented) with `-x, --name` or `--name`. */
function documented(help: string): Set<string> {
  const flags = new Set<string>();
  for (const line of help.split('\n')) {
    if (!/^\s+(-\w,\s*)?--[a-z]/.test(line)) continue;
    // An option line may name several flags ("--a X, --b Y") before its description.
    const head = line.trim().split(/\s{2,}/)[0];
    for (const m of head.matchAll(/--([a-z0-9][a-z0-9-]*)/g)) flags.add(m[1]);
  }
  return flags;
}

for (const { bin, cmd } of ALL_COMMANDS) {
  test(`'${bin} ${cmd.name}': the help lists exactly the flags it takes`, () => {
    const takes = new Set([...Object.keys(cmd.options), 'help']);
    // A boolean flag on by default is documented by its --no- form.
    const listed = new Set([...documented(cmd.help)].map((f) => (f.startsWith('no-') && cmd.options[f.slice(3)]?.type === 'boolean' ? f.slice(3) : f)));
    assert.equal([...listed].filter((f) => !takes.has(f)).sort(), [], 'listed but not taken');
    assert.equal([...takes].filter((f) => !listed.has(f)).sort(), [], 'taken but not listed');
  });
}

test.run();
