/** `weave trace <trace.ndjson> [-o out.html|out.svg|-]`: draw a job's timeline from its trace. */
import { readFile, writeFile } from 'node:fs/promises';
import { parseTrace, renderHtml, renderSvg, TraceError } from '../../runtime/trace/index.js';
import { UsageError, type Command } from '../command.js';

export const trace: Command = {
  name: 'trace',
  summary: "draw a job's timeline from a trace (weave run --trace)",
  help: `usage: weave trace <trace.ndjson> [-o out.html|out.svg|-] [--job ID]

Reads the job events 'weave run --trace FILE' (or --jsonl) wrote and draws the job's
timeline: one lane per hub, each fragment run as a bar (fragment index and time), the
checkpoints as ticks with their bytes, migrations as arrows between lanes (bytes and
pause-to-resume time), lost hubs and retries marked. The SVG is self-contained; the
.html page wraps it with a title and a legend. The format is in docs/trace.md.

options:
  -o, --output FILE   write the timeline there: .html or .svg, or - for the SVG on stdout
                      (default: the trace's name with .html, beside it)
  --job ID            the job to draw, when the trace holds several
  -h, --help          show this help

exit codes: 0 ok, 2 bad input (a missing file, or a line that is not a job event of a
version this weave reads: the error names the file and line)`,
  options: {
    output: { type: 'string', short: 'o' },
    job: { type: 'string' },
  },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('weave trace takes one trace file, e.g. weave trace job.ndjson -o job.html');
    const [file] = positionals;
    // A page beside the trace unless told otherwise: kilobytes of SVG are no use on a terminal.
    const output = (values.output as string | undefined) ?? `${file.replace(/\.(nd)?jsonl?$/i, '')}.html`;
    const format = output === '-' ? 'svg' : /\.html?$/i.test(output) ? 'html' : /\.svg$/i.test(output) ? 'svg' : undefined;
    if (!format) throw new UsageError(`-o ${output}: the file must end in .html or .svg`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const events = parseTrace(text, file);
    const opts = { job: values.job as string | undefined, title: `weave trace: ${file}` };
    let drawn: string;
    try {
      drawn = format === 'html' ? renderHtml(events, opts) : renderSvg(events, opts);
    } catch (e) {
      // The renderer knows the events, not where they came from.
      if (e instanceof TraceError) throw new TraceError(`${e.message}${/pick one$/.test(e.message) ? ' with --job ID' : ''}`, file, undefined, { cause: e });
      throw e;
    }
    if (output === '-') {
      process.stdout.write(drawn + '\n');
    } else {
      await writeFile(output, drawn);
      process.stderr.write(`weave trace: wrote ${output}; open it in a browser\n`);
    }
    return 0;
  },
};
