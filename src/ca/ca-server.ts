// The workload CA's own gRPC server: TLS with kxds's serving certificate and no client certificate (a
// workload asks here precisely because it has none yet); the caller is authenticated per call by its token.
// Kept apart from the xDS port, which requires mutual TLS, so that port never accepts an unauthenticated
// handshake.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log';
import { workloadCertificatesService } from './proto';
import { signServiceImplementation, type SignServiceOptions } from './sign-service';

export interface CaServer {
  port: number;
  stop(): Promise<void>;
}

export async function startCaServer(
  address: string,
  credentials: grpc.ServerCredentials,
  options: SignServiceOptions & { logger: Logger },
): Promise<CaServer> {
  const server = new grpc.Server({
    // A Sign request is a CSR of well under 2 KiB.
    'grpc.max_receive_message_length': 64 * 1024,
    'grpc.max_concurrent_streams': 16,
  });
  server.addService(workloadCertificatesService().service, signServiceImplementation(options));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, credentials, (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  options.logger.info({ address, port }, 'workload CA listening');
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
