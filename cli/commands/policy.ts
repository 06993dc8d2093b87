/** `weave policy train|eval LOG…`: learn a placement policy from decision logs, or score one. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  LearnedPolicy, LearnedWeaver, costModelMs, parseDecisionLog, parseMeasurementLog, trainWeaver, type DecisionRecord, type LearnedState, type Measurement, type WeaverState,
} from '../../runtime/policy/index.js';
import { intOption, UsageError, type Command } from '../command.js';

export const policy: Command = {
  name: 'policy',
  summary: 'train a learned placement policy from decision logs, or evaluate one against them',
  help: `usage: weave policy train LOG… [-o FILE] [--policy-file FILE] [--epochs N]
       weave policy train --weaver LOG… [-o FILE] [--policy-file FILE] [--epochs N]
       weave policy eval LOG… --policy-file FILE [--json]

Decision logs are ndjson, one completed placement per line: what the policy saw of the
fragment and the chosen hub, and what the placement cost (weave run --decision-log FILE
writes them; so does the simulator in npm run bench:policy, to build/policy-decisions.ndjson).

train  feeds every record to a learned policy in order (continuing from --policy-file when
       it exists), then makes --epochs extra passes over what it kept, and saves it to -o
       (default: the --policy-file, else build/policy.json). weave run --policy-file uses it.
--weaver  train the learned weaver instead, from measurement logs (ndjson, one pace sample,
       move or dataset read per line: hub start --reweave learned --measurement-log FILE
       writes them; so does the simulator, to build/policy-measurements.ndjson): every
       measurement in order, as hubs learned it online, then --epochs extra passes of its
       network. hub start --reweave learned --weaver-file FILE starts from the result.
eval   predicts each record's cost with the policy and with the hand-tuned cost model, and
       prints both errors: the median and 90th percentile of |ln(predicted / actual)|
       (0.1 is about 10% off).

options:
  -o, --out FILE        where train writes the policy
  --policy-file FILE    a saved learned policy (train: start from it; eval: the one scored)
  --epochs N            extra passes over the replay buffer after reading (default 2)
  --weaver              train: the logs are measurement logs; train a learned weaver
  --json                eval: one JSON object on stdout
  -h, --help            show this help`,
  options: {
    out: { type: 'string', short: 'o' },
    'policy-file': { type: 'string' },
    epochs: { type: 'string' },
    json: { type: 'boolean' },
    weaver: { type: 'boolean' },
  },
  async run(values, positionals) {
    const [verb, ...logs] = positionals;
    if (verb !== 'train' && verb !== 'eval') throw new UsageError(`weave policy takes 'train' or 'eval', e.g. weave policy train build/policy-decisions.ndjson`);
    if (!logs.length) throw new UsageError(`weave policy ${verb} needs at least one ${values.weaver ? 'measurement' : 'decision'} log`);
    if (values.weaver) {
      if (verb !== 'train') throw new UsageError('weave policy eval scores placement policies against decision logs; --weaver only trains');
      return trainWeaverFrom(logs, values);
    }
    const records: DecisionRecord[] = [];
    for (const file of logs) records.push(...parseDecisionLog(await readLog(file), file));
    if (!records.length) throw new UsageError(`${logs.join(', ')}: no decision records`);
    const file = values['policy-file'] as string | undefined;
    if (verb === 'train') {
      const p = file && existsSync(file) ? await load(file) : new LearnedPolicy({ warmup: 0 });
      for (const r of records) p.observe(r.fragment, r.hub, r.ms);
      p.fit(intOption(values.epochs, '--epochs', 0, 1000) ?? 2);
      const out = (values.out as string | undefined) ?? file ?? path.join('build', 'policy.json');
      await mkdir(path.dirname(path.resolve(out)), { recursive: true });
      await writeFile(out, JSON.stringify(p.toJSON()) + '\n');
      const e = errors(records, (r) => p.predictMs(r.fragment, r.hub));
      process.stderr.write(`trained on ${records.length} decisions (${p.outcomes} seen in all); median error ${e.median.toFixed(3)}; saved ${out}\n`);
      return 0;
    }
    if (!file) throw new UsageError('weave policy eval needs --policy-file FILE (a policy from weave policy train)');
    const p = await load(file);
    const learned = errors(records, (r) => p.predictMs(r.fragment, r.hub));
    const model = errors(records, (r) => costModelMs(r.fragment, r.hub));
    if (values.json) {
      process.stdout.write(JSON.stringify({ records: records.length, learned, costModel: model }) + '\n');
    } else {
      process.stdout.write(`${records.length} decisions; |ln(predicted / actual)|:\n`);
      process.stdout.write(`  learned     median ${learned.median.toFixed(3)}  p90 ${learned.p90.toFixed(3)}\n`);
      process.stdout.write(`  cost-model  median ${model.median.toFixed(3)}  p90 ${model.p90.toFixed(3)}\n`);
    }
    return 0;
  },
};

/** `weave policy train --weaver LOG…`: a learned weaver from measurement logs. */
async function trainWeaverFrom(logs: string[], values: Record<string, unknown>): Promise<number> {
  const records: Measurement[] = [];
  for (const file of logs) records.push(...parseMeasurementLog(await readLog(file), file));
  if (!records.length) throw new UsageError(`${logs.join(', ')}: no measurements`);
  const file = values['policy-file'] as string | undefined;
  let weaver = new LearnedWeaver();
  if (file && existsSync(file)) {
    try {
      weaver = LearnedWeaver.fromJSON(JSON.parse(await readFile(file, 'utf8')) as WeaverState);
    } catch (e) {
      throw new UsageError(`--policy-file ${file}: ${(e as Error).message}`);
    }
  }
  trainWeaver(weaver, records);
  weaver.fit(intOption(values.epochs as string | undefined, '--epochs', 0, 1000) ?? 2);
  const out = (values.out as string | undefined) ?? file ?? path.join('build', 'weaver.json');
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await writeFile(out, JSON.stringify(weaver.toJSON()) + '\n');
  process.stderr.write(`trained a weaver on ${records.length} measurements (${weaver.model.history.size} history keys); saved ${out}\n`);
  return 0;
}

async function readLog(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

async function load(file: string): Promise<LearnedPolicy> {
  let state: LearnedState;
  try {
    state = JSON.parse(await readFile(file, 'utf8')) as LearnedState;
  } catch (e) {
    throw new UsageError(`--policy-file ${file}: ${(e as Error).message}`);
  }
  try {
    return LearnedPolicy.fromJSON(state);
  } catch (e) {
    throw new UsageError(`--policy-file ${file}: ${(e as Error).message}`);
  }
}

function errors(records: DecisionRecord[], predict: (r: DecisionRecord) => number): { median: number; p90: number } {
  const e = records.map((r) => Math.abs(Math.log(Math.max(0.01, predict(r)) / Math.max(0.01, r.ms)))).sort((a, b) => a - b);
  return { median: e[e.length >> 1], p90: e[Math.floor(e.length * 0.9)] };
}
