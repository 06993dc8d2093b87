/** `hub start`: run a hub daemon connected to a NATS server. */
import { UsageError, type Command } from '../command.js';

export const hubStart: Command = {
  name: 'start',
  summary: 'start a hub daemon on this node (needs a NATS server)',
  help: `usage: hub start [--nats URL]

Hubs on separate machines find each other through a NATS server. That transport is not
built yet: today every job runs on the embedded mesh inside 'weave run'.

options:
  --nats URL    NATS server (default: $NATS_URL, else nats://127.0.0.1:4222)
  -h, --help    show this help`,
  options: { nats: { type: 'string' } },
  async run() {
    throw new UsageError("hub start: the NATS transport is not available in this version; use 'weave run' (embedded mesh)");
  },
};
