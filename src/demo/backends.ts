// The demo's two gRPC greeter backends, on loopback addresses that demo/manifests' EndpointSlice lists.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log';
import { startGreeter } from './greeter';

export const DEMO_BACKENDS = ['127.0.0.2', '127.0.0.3'];
export const DEMO_BACKEND_PORT = 50061;

export async function startDemoBackends(logger: Logger): Promise<{ stop(): void }> {
  const servers: grpc.Server[] = [];
  for (const address of DEMO_BACKENDS) {
    servers.push((await startGreeter(`${address}:${DEMO_BACKEND_PORT}`, `greeter@${address}`)).server);
    logger.info({ address: `${address}:${DEMO_BACKEND_PORT}` }, 'demo greeter backend listening');
  }
  return { stop: () => servers.forEach((s) => s.forceShutdown()) };
}
