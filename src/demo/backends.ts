// The demo's two gRPC greeter backends, on loopback addresses that demo/manifests' EndpointSlice lists.
// Both listen on one port: DEMO_BACKEND_PORT, or with port 0 a free port found for both addresses (when
// another program or a second demo holds the default; see demo-source.ts for how the slice follows).
import type * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import type { Logger } from '../log';
import { startGreeter } from './greeter';
import { DEMO_BACKEND_PORT, DEMO_BACKENDS } from './ports';

export { DEMO_BACKEND_PORT, DEMO_BACKENDS };

export interface DemoBackends {
  port: number;
  stop(): void;
}

/** A port free on the first backend address right now (the bind below may still lose a race: retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, DEMO_BACKENDS[0], () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startOn(port: number): Promise<grpc.Server[]> {
  const servers: grpc.Server[] = [];
  try {
    for (const address of DEMO_BACKENDS) {
      // Named by address; the port too when it is not the default, so two demos' replies can be told apart.
      const name = port === DEMO_BACKEND_PORT ? `greeter@${address}` : `greeter@${address}:${port}`;
      servers.push((await startGreeter(`${address}:${port}`, name)).server);
    }
    return servers;
  } catch (err) {
    servers.forEach((s) => s.forceShutdown());
    throw err;
  }
}

export async function startDemoBackends(logger: Logger, port = DEMO_BACKEND_PORT): Promise<DemoBackends> {
  for (let attempt = 1; ; attempt++) {
    const chosen = port === 0 ? await freePort() : port;
    try {
      const servers = await startOn(chosen);
      for (const address of DEMO_BACKENDS)
        logger.info({ address: `${address}:${chosen}` }, 'demo greeter backend listening');
      return { port: chosen, stop: () => servers.forEach((s) => s.forceShutdown()) };
    } catch (err) {
      if (port !== 0 || attempt >= 5) throw err; // a free port on one address may be taken on the other
    }
  }
}
