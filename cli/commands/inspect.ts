/** `weave inspect <module.wasm>`: print the fragments of a bundle and their metadata. */
import { typeName } from '../../runtime/exec/index.js';
import { loadModule } from '../module-cache.js';
import { UsageError, type Command } from '../command.js';

export const inspect: Command = {
  name: 'inspect',
  summary: 'print the fragments of a woven module and their metadata',
  help: `usage: weave inspect <module.wasm> [--json]

Prints each entry and its fragments: kind, control flow (next), estimated cost, locals and
globals read and written, capabilities (host imports) and datasets. A plain asc module is
woven at load time first.

options:
  --json       print the manifest as JSON (modules as byte counts)
  -h, --help   show this help`,
  options: { json: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('weave inspect takes one .wasm file');
    const b = await loadModule(positionals[0]);
    const m = b.manifest;
    if (values.json) {
      const { modules, ...rest } = m;
      process.stdout.write(JSON.stringify({ ...rest, hash: b.hash, wovenAtLoad: b.wovenAtLoad, moduleBytes: modules.map((x) => x.byteLength) }, null, 2) + '\n');
      return 0;
    }
    const out: string[] = [];
    out.push(`${positionals[0]}: ${b.bytes.byteLength} bytes, sha256 ${b.hash.slice(0, 16)}…${b.wovenAtLoad ? ' (woven at load)' : ''}`);
    out.push(`granularity ${m.granularity}, yield interval ${m.yieldInterval}, runtime ${m.runtime}, ${m.globals.length} mutable globals`);
    for (const e of m.entries) {
      const params = e.signature ? e.signature.params.map((t, i) => `${e.signature!.names[i] ?? `$${i}`}: ${typeName(t)}`) : e.params;
      const result = e.signature ? typeName(e.signature.result) : e.result;
      out.push(`\nentry ${e.name}(${params.join(', ')}) -> ${result}: ${e.fragments.length} fragment${e.fragments.length === 1 ? '' : 's'}`);
      for (const id of e.fragments) {
        const f = m.fragments[id];
        const next = f.next.map((n) => (n < 0 ? 'return' : String(n))).join(', ');
        out.push(`  fragment ${f.id} [${f.kind}] -> ${next}`);
        out.push(`    cost: weight ${f.meta.cost.weight}, loop depth ${f.meta.cost.loopDepth}, estimate ${f.meta.cost.estimate}; module ${m.modules[f.module].byteLength} bytes; memory ${f.memoryPages} pages`);
        out.push(`    reads: locals ${list(f.meta.reads.locals)}; globals ${list(f.meta.reads.globals)}`);
        out.push(`    writes: locals ${list(f.meta.writes.locals)}; globals ${list(f.meta.writes.globals)}`);
        out.push(`    capabilities: ${list(f.meta.capabilities)}; datasets: ${list(f.meta.datasets)}${f.meta.indirectCalls ? '; makes indirect calls' : ''}`);
      }
    }
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};

const list = (xs: string[]) => (xs.length ? xs.join(' ') : '-');
