// The example app's server (`kxds demo-greeter server`): the demo greeter answering with its pod name, plus
// grpc.health.v1 so Kubernetes can probe it with a gRPC probe.
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '../log';
import { startGreeter } from './greeter';

export interface GreeterServer {
  port: number;
  stop(): Promise<void>;
}

export async function runGreeterServer(
  address: string,
  name: string,
  logger: Logger,
): Promise<GreeterServer> {
  const health = new HealthImplementation({ '': 'SERVING', 'kxds.demo.Greeter': 'SERVING' });
  const { server, port } = await startGreeter(address, name, (s) => health.addToServer(s));
  logger.info({ address, port, served_by: name }, 'greeter listening');
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        server.tryShutdown(() => resolve());
      }),
  };
}
