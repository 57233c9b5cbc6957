// Demo greeter backends on distinct loopback addresses sharing one port, like pods behind a Service.
import type * as grpc from '@grpc/grpc-js';
import * as grpcJs from '@grpc/grpc-js';
import { greeterService, startGreeter } from '../../src/demo/greeter';

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

/** A greeter that fails every call with UNAVAILABLE: a broken pod for outlier-detection tests. */
export async function startFailingGreeter(address: string): Promise<grpc.Server> {
  const server = new grpcJs.Server();
  server.addService(greeterService().service, {
    SayHello: (_call: unknown, callback: grpcJs.sendUnaryData<unknown>) =>
      callback({ code: grpcJs.status.UNAVAILABLE, details: 'this backend is broken' }),
  });
  await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpcJs.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return server;
}
