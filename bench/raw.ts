/**
 * Raw NATS, the baseline of the benches' migration and dispatch ratios: a responder in its
 * own process that answers one byte to anything on its subject, and request/reply loops
 * to it from a fresh connection of the calling process. With `presize`, the responder's
 * nats.js parser gathers large payloads as the hubs' does (runtime/net/presize.ts), so a
 * ratio can be read against raw NATS as it ships and against raw NATS with that fix.
 *   const echo = await startEcho(url, 'bench.echo', { presize: false });
 *   const ms = await echo.roundTrips(1 << 20, 100, 3);   // per round trip, the first 3 left out
 *   echo.stop();
 * `spawnReady` starts such a helper process (the echo, bench floor's receiver).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Echo {
  /** `n` request/replies of `bytes` each after `warmup` more, in ms each (the warm-up left out). */
  roundTrips(bytes: number, n: number, warmup: number): Promise<number[]>;
  stop(): void;
}

export async function startEcho(url: string, subject: string, opts: { presize: boolean }): Promise<Echo> {
  const fix = opts.presize ? `const { presizePayloads } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'runtime', 'net', 'presize.js'))});
if (!presizePayloads()) throw new Error('presize did not install');
` : '';
  const code = `import { connect } from 'nats';
${fix}const nc = await connect({ servers: ${JSON.stringify(url)} });
nc.subscribe(${JSON.stringify(subject)}, { callback: (e, m) => m.respond(new Uint8Array([1])) });
await nc.flush(); process.stdout.write('ready\\n');`;
  const p = await spawnReady(['--input-type=module', '-e', code], 'echo responder');
  return {
    async roundTrips(bytes, n, warmup) {
      const nc = await connect({ servers: url });
      const payload = new Uint8Array(bytes).fill(7);
      const out: number[] = [];
      try {
        for (let i = 0; i < n + warmup; i++) {
          const t0 = performance.now();
          await nc.request(subject, payload, { timeout: 10_000 });
          if (i >= warmup) out.push(performance.now() - t0);
        }
      } finally {
        await nc.close();
      }
      return out;
    },
    stop: () => { p.kill(); },
  };
}

/** A Node process of the benches' own (`args` after the node binary), once it has printed its first line ('ready'). */
export function spawnReady(args: string[], what: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    p.stdout!.once('data', () => resolve(p));
    p.once('exit', (c) => reject(new Error(`${what} exited with ${c}`)));
  });
}
