// Demo greeter backends on distinct loopback addresses sharing one port, like pods behind a Service.
import type * as grpc from '@grpc/grpc-js';
import { startGreeter } from '../../src/demo/greeter';

export interface Backends {
  port: number;
  servers: grpc.Server[];
  stop(): void;
}

export async function startBackends(addresses: string[]): Promise<Backends> {
  const [first, ...rest] = addresses;
  if (!first) throw new Error('no addresses');
  const a = await startGreeter(`${first}:0`, first);
  const servers = [a.server];
  for (const address of rest) servers.push((await startGreeter(`${address}:${a.port}`, address)).server);
  return { port: a.port, servers, stop: () => servers.forEach((s) => s.forceShutdown()) };
}
