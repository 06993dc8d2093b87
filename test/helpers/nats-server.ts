/**
 * A real nats-server (Debian's package) for tests: a random loopback port, a config file in
 * a temp folder, stopped when the test process exits even if a test throws. And real hub
 * daemons: `hub start` child processes, ready when they log 'ready'.
 *   const ns = await startNatsServer({ maxPayload: 64 * 1024 });
 *   const a = await startHubProcess(ns.url, 'a');
 *   ...; await a.stop(); await ns.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { connectMesh } from '../../runtime/engine/index.js';
import type { HubAdvert } from '../../runtime/protocol/index.js';
import { sleep } from '../../runtime/util/index.js';

export interface NatsServer { url: string; port: number; stop(): Promise<void>; restart(downMs?: number): Promise<void> }

const live = new Set<ChildProcess>();
process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });
// A test or benchmark killed from outside (a runner's timeout) must not leave its servers
// and hubs running: 'exit' does not fire for a signal unless the signal is handled.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)));
}

export function natsServerPath(): string {
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  if (!p) throw new Error('nats-server is not installed: apt-get install -y nats-server (CI does this in .ci/run)');
  return p;
}

/**
 * `config`: a whole nats-server config to run instead of the plain one (e.g. the TLS +
 * nkey one scripts/dev-certs.mjs writes); its `listen` line must pick a port itself (-1),
 * and maxPayload / jetstream are still added to it when given.
 */
export async function startNatsServer(opts: { maxPayload?: number; jetstream?: boolean; config?: string } = {}): Promise<NatsServer> {
  const bin = natsServerPath();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-nats-'));
  const lines = opts.config ? opts.config.split('\n') : ['listen: 127.0.0.1:-1'];
  if (opts.maxPayload) lines.push(`max_payload: ${opts.maxPayload}`);
  if (opts.jetstream) lines.push(`jetstream { store_dir: "${path.join(dir, 'js')}" }`);
  const conf = path.join(dir, 'nats.conf');
  writeFileSync(conf, lines.join('\n') + '\n');
  let port = 0;
  let proc: ChildProcess;
  const launch = async () => {
    // After a restart, listen on the same port so clients reconnect to it.
    if (port) writeFileSync(conf, lines.map((l) => (l.startsWith('listen') ? `listen: 127.0.0.1:${port}` : l)).join('\n') + '\n');
    proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(proc);
    port = await new Promise<number>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server did not start in 10 s:\n${log}`)), 10_000);
      proc.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /Listening for client connections on [\d.]+:(\d+)/.exec(log);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`nats-server exited with ${code}:\n${log}`)); });
    });
  };
  const kill = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
    live.delete(proc);
  };
  await launch();
  return {
    get url() { return `nats://127.0.0.1:${port}`; },
    get port() { return port; },
    async stop() { await kill(); rmSync(dir, { recursive: true, force: true }); },
    /** Stop it, leave it down for `downMs`, start it again on the same port. */
    async restart(downMs = 0) { await kill(); await sleep(downMs); await launch(); },
  };
}

/** Run a CLI (dist/cli/<bin>.js) without blocking this process's event loop. */
/**
 * How long a CLI run a test waits on may take: a guard, so that a hung job fails its test
 * with what the process printed, rather than the whole file at the runner's timeout with
 * nothing. The longest runs tests make take well under a minute.
 */
const CLI_LIMIT_MS = 240_000;

export function runCli(bin: 'weave' | 'hub', argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [`dist/cli/${bin}.js`, ...argv], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const limit = setTimeout(() => {
      stderr += `\n(runCli: ${bin} ${argv.join(' ')} still running after ${CLI_LIMIT_MS / 1000} s: killed)\n`;
      p.kill('SIGKILL');
    }, CLI_LIMIT_MS);
    p.on('close', (status) => { clearTimeout(limit); resolve({ status, stdout, stderr }); });
  });
}

export interface HubProcess {
  name: string;
  proc: ChildProcess;
  /** Everything the hub logged so far. */
  log(): string;
  /** Signal it and wait for the exit; resolves with the exit code (null when killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * How long a hub process may take to log 'ready'. A guard against a hub that never starts,
 * not a check of how fast one does: on a machine shared at a load of 14 on 2 cores a hub
 * took 7 to 21 s (loading the CLI, starting its slot threads), before and after the
 * redesign alike, so 15 s failed tests that had nothing to do with start-up time.
 */
const HUB_READY_MS = 30_000;

export async function startHubProcess(url: string, name: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<HubProcess> {
  const proc = spawn(process.execPath, ['dist/cli/hub.js', 'start', '--nats', url, '--name', name, ...extra], { stdio: ['ignore', 'ignore', 'pipe'], env });
  live.add(proc);
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => { live.delete(proc); r(code); }));
  await new Promise<void>((resolve, reject) => {
    // Killed when late: a hub left running would keep the test process (and its runner) alive.
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`hub ${name} did not get ready in ${HUB_READY_MS / 1000} s:\n${log}`)); }, HUB_READY_MS);
    const check = () => { if (log.includes('"msg":"ready"')) { clearTimeout(timer); resolve(); } };
    proc.stderr!.on('data', check);
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`hub ${name} exited with ${code}:\n${log}`)); });
  });
  return {
    name, proc,
    log: () => log,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exit;
    },
  };
}

export interface NatsClusterNode {
  /** server_name, also the JetStream peer name: n0, n1, … */
  name: string;
  url: string;
  port: number;
  running(): boolean;
  /** Signal the server and wait for it to exit; SIGKILL plays a machine crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same ports and store folder, so it rejoins the cluster. */
  restart(): Promise<void>;
}

export interface NatsCluster {
  nodes: NatsClusterNode[];
  /** Every node's client URL, comma-separated: what `--nats` takes. */
  urls: string;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on now (the OS picks it; a tiny race is acceptable in tests). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * n nats-servers on loopback, routed to each other as one cluster; with `jetstream`, a
 * clustered JetStream (one store folder per node), and it resolves only once JetStream
 * answers on every node (a cluster has no JetStream until it has elected a meta leader).
 * Every node is killed when the test process exits. Throws when a node does not start or
 * JetStream is not ready in 20 s.
 *   const cl = await startNatsCluster(3, { jetstream: true });
 *   await cl.nodes[1].stop('SIGKILL'); ...; await cl.stop();
 */
export async function startNatsCluster(n = 3, opts: { jetstream?: boolean; maxPayload?: number } = {}): Promise<NatsCluster> {
  const bin = natsServerPath();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-nats-cluster-'));
  // Ports are fixed up front: every node's routes name every other node's cluster port, and
  // a restarted node must come back where clients and peers look for it.
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  for (let i = 0; i < n; i++) { clientPorts.push(await freePort()); routePorts.push(await freePort()); }
  const nodes = clientPorts.map((port, i): NatsClusterNode => {
    const name = `n${i}`;
    const lines = [
      `server_name: ${name}`,
      `listen: 127.0.0.1:${port}`,
      ...(opts.maxPayload ? [`max_payload: ${opts.maxPayload}`] : []),
      ...(opts.jetstream ? [`jetstream { store_dir: "${path.join(dir, name)}" }`] : []),
      'cluster {',
      '  name: weave-test',
      `  listen: 127.0.0.1:${routePorts[i]}`,
      `  routes: [${routePorts.filter((_, j) => j !== i).map((p) => `nats-route://127.0.0.1:${p}`).join(', ')}]`,
      '}',
    ];
    const conf = path.join(dir, `${name}.conf`);
    writeFileSync(conf, lines.join('\n') + '\n');
    let proc: ChildProcess | undefined;
    const running = () => !!proc && proc.exitCode === null && proc.signalCode === null;
    const launch = async () => {
      const p = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      proc = p;
      live.add(p);
      p.once('exit', () => live.delete(p));
      await new Promise<void>((resolve, reject) => {
        let log = '';
        const timer = setTimeout(() => reject(new Error(`nats-server ${name} did not start in 10 s:\n${log}`)), 10_000);
        p.stderr!.on('data', (d: Buffer) => {
          log += d.toString();
          if (log.includes('Listening for client connections')) { clearTimeout(timer); resolve(); }
        });
        p.once('exit', (code) => { clearTimeout(timer); reject(new Error(`nats-server ${name} exited with ${code}:\n${log}`)); });
      });
    };
    return {
      name, port, url: `nats://127.0.0.1:${port}`, running,
      async stop(signal = 'SIGTERM') {
        if (!proc || !running()) return;
        const exited = new Promise((r) => proc!.once('exit', r));
        proc.kill(signal);
        await exited;
      },
      async restart() {
        await this.stop();
        await launch();
      },
    };
  });
  try {
    await Promise.all(nodes.map((node) => node.restart()));
    if (opts.jetstream) await waitForJetStream(nodes.map((x) => x.url));
  } catch (e) {
    // Nodes that did start would keep the test process alive (their pipes) until the
    // runner's timeout, with the failure swallowed by uvu's before hook: stop them now.
    await Promise.all(nodes.map((x) => x.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    nodes,
    urls: nodes.map((x) => x.url).join(','),
    async stop() {
      await Promise.all(nodes.map((x) => x.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the JetStream API answers through every one of `urls` (its meta leader is elected). */
async function waitForJetStream(urls: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    const nc = await connect({ servers: url, maxReconnectAttempts: -1 });
    try {
      for (let last: unknown; ; ) {
        try {
          await (await nc.jetstreamManager({ timeout: 1000 })).getAccountInfo();
          break;
        } catch (e) {
          last = e;
        }
        if (Date.now() > deadline) throw new Error(`JetStream was not ready on ${url} in ${timeoutMs / 1000} s: ${(last as Error).message}`);
        await sleep(200);
      }
    } finally {
      await nc.close();
    }
  }
}

/**
 * Wait until every hub advertising on `url` has no busy slot (a job of an earlier test,
 * such as one a frozen hub ran on after its attempt was replaced, has ended). True when so.
 */
export async function hubsIdle(url: string, waitMs = 15_000): Promise<boolean> {
  const mesh = await connectMesh({ nats: url });
  try {
    for (const until = Date.now() + waitMs; Date.now() < until; await sleep(100)) {
      const ads = await mesh.discover({ settleMs: 50 });
      if (ads.length > 0 && ads.every((a) => a.load.busy === 0)) return true;
    }
    return false;
  } finally {
    await mesh.close();
  }
}

/**
 * The first hub whose advert satisfies `want` (say, a busy slot: it runs the job), asking
 * every 100 ms for up to `waitMs`; undefined when none did by then.
 */
export async function hubWhere(url: string, want: (a: HubAdvert) => boolean, waitMs = 15_000): Promise<string | undefined> {
  const mesh = await connectMesh({ nats: url });
  try {
    for (const until = Date.now() + waitMs; Date.now() < until; await sleep(100)) {
      const a = (await mesh.discover({ settleMs: 50 })).find(want);
      if (a) return a.id;
    }
    return undefined;
  } finally {
    await mesh.close();
  }
}
