/**
 * What a hub needs before its daemon starts, found or made in the order that fails
 * soonest: options resolved, the metrics endpoint listening, the GPU probed, NATS
 * connected. Then the daemon starts; a refused start leaves nothing behind.
 *   const hub = await startHub({ nats: 'nats://127.0.0.1:4222', name: 'a', slots: 2 });
 */
import { connectNats, type NatsConnection } from '../net/index.js';
import { detectGpu, gpuKernels } from '../host/index.js';
import { HubDaemon, type HubDeps } from './daemon.js';
import { HubMetrics, serveMetrics } from './metrics.js';
import { resolveHubOptions, type HubEmulation, type HubOptions } from './options.js';

/**
 * Connect and start serving. Throws HubConfigError for bad options, TransportError when
 * NATS cannot be reached, MetricsError when the metrics endpoint cannot listen where asked.
 */
export async function startHub(opts: HubOptions, emulation?: HubEmulation): Promise<HubDaemon> {
  const resolved = resolveHubOptions(opts, emulation);
  const metrics = new HubMetrics(resolved.name);
  // First, so that a port in use fails the start at once, before anything is connected.
  const metricsServer = resolved.metrics && await serveMetrics(metrics, resolved.metrics);
  if (metricsServer) metrics.collectProcessMetrics();
  const deps: HubDeps = { metrics, metricsServer };
  let nc: NatsConnection;
  try {
    if (resolved.gpu) {
      // In a child process, once: a driver that crashes or blocks costs the probe, not the hub.
      const info = await detectGpu();
      if (info.available) deps.gpu = gpuKernels(info);
      else deps.gpuReason = info.reason;
    }
    nc = await connectNats(resolved.nats, { ...resolved.auth, name: `weave hub ${resolved.name}` });
  } catch (e) {
    await metricsServer?.close();
    throw e;
  }
  const hub = new HubDaemon(nc, resolved, deps);
  try {
    await hub.start();
  } catch (e) {
    // Nothing may stay behind a refused start (slot threads, the connection): the process exits.
    await hub.stop().catch(() => undefined);
    throw e;
  }
  return hub;
}
