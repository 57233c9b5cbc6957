// SayHello with request headers (gRPC metadata), which the demo greeter helper does not send: for tests of
// header-matching routes.
import * as grpc from '@grpc/grpc-js';
import type { GreeterClient, HelloReply } from '../../src/demo/greeter';

type WithMetadata = {
  SayHello(
    request: { name: string },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (err: grpc.ServiceError | null, reply?: HelloReply) => void,
  ): grpc.ClientUnaryCall;
};

export function sayHelloWith(client: GreeterClient, headers: Record<string, string>): Promise<HelloReply> {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
  return new Promise((resolve, reject) => {
    (client as unknown as WithMetadata).SayHello(
      { name: 'h' },
      metadata,
      { deadline: Date.now() + 5000 },
      (err, reply) => (err || !reply ? reject(err ?? new Error('empty reply')) : resolve(reply)),
    );
  });
}
